//! Views over a parsed Dockerfile that rules share: which stages end up in
//! the image, the effective command, and the shell commands of `RUN`.

use crate::parse::dockerfile::{
    Base, Dockerfile, FromRef, Instruction, Keyword, Located, resolve_ref, stage_refs,
};
pub use crate::parse::shell::{Command, first_operand, split_commands, split_commands_with};

impl Dockerfile {
    /// The build target: the stage named `target`, else the last stage.
    pub fn final_stage(&self, target: Option<&str>) -> Option<usize> {
        if let Some(s) = target.and_then(|t| self.stages.iter().find(|s| s.is_named(t))) {
            return Some(s.index);
        }
        self.stages.len().checked_sub(1)
    }

    /// `stage` and the stages it is built `FROM`, root first.
    pub fn chain(&self, stage: usize) -> Vec<usize> {
        let mut out = vec![stage];
        let mut cur = stage;
        while let Some(Base::Stage(parent)) = self.stages.get(cur).map(|s| &s.base) {
            if *parent >= cur || out.contains(parent) {
                break;
            }
            out.push(*parent);
            cur = *parent;
        }
        out.reverse();
        out
    }

    /// The final stage's chain, or empty when there is no stage.
    pub fn final_chain(&self, target: Option<&str>) -> Vec<usize> {
        self.final_stage(target)
            .map(|s| self.chain(s))
            .unwrap_or_default()
    }

    /// Every stage whose files reach the final image: its chain plus, for each
    /// `COPY --from=stage`, that stage's chain, transitively.
    pub fn reaching_final(&self, target: Option<&str>) -> Vec<usize> {
        let mut out = self.final_chain(target);
        let mut i = 0;
        while i < out.len() {
            let stage = out[i];
            for inst in self.stage_instructions(stage) {
                if !matches!(inst.keyword, Keyword::Copy | Keyword::Add) {
                    continue;
                }
                for (value, _) in stage_refs(inst) {
                    if let FromRef::Stage(s) = resolve_ref(&value, stage, &self.stages) {
                        for c in self.chain(s) {
                            if !out.contains(&c) {
                                out.push(c);
                            }
                        }
                    }
                }
            }
            i += 1;
        }
        out.sort_unstable();
        out
    }

    pub fn stage_instructions(&self, stage: usize) -> &[Instruction] {
        self.stages
            .get(stage)
            .and_then(|s| self.instructions.get(s.instructions.clone()))
            .unwrap_or(&[])
    }

    /// Instructions of the given stages, in build order.
    pub fn instructions_of<'a>(
        &'a self,
        stages: &'a [usize],
    ) -> impl Iterator<Item = &'a Instruction> + 'a {
        stages.iter().flat_map(|s| self.stage_instructions(*s))
    }

    /// The last instruction of `keyword` along the chain (what the image keeps).
    pub fn last_in<'a>(&'a self, chain: &'a [usize], keyword: Keyword) -> Option<&'a Instruction> {
        self.instructions_of(chain).filter(|i| i.is(keyword)).last()
    }

    /// The image the chain's root stage builds on (`php:8.3-fpm-alpine`).
    pub fn base_image(&self, chain: &[usize]) -> Option<(&str, &Located)> {
        let root = self.stages.get(*chain.first()?)?;
        match &root.base {
            Base::Image(image) => Some((image.as_str(), &root.image)),
            _ => None,
        }
    }

    /// The words of the effective `ENTRYPOINT` and `CMD` of a chain. An
    /// `ENTRYPOINT` set after the last `CMD` resets it, as Docker does.
    pub fn runtime_words(&self, chain: &[usize]) -> Vec<Located> {
        let (mut entrypoint, mut cmd) = (None, None);
        for (n, i) in self.instructions_of(chain).enumerate() {
            match i.keyword {
                Keyword::Entrypoint => entrypoint = Some((n, i)),
                Keyword::Cmd => cmd = Some((n, i)),
                _ => {}
            }
        }
        if let (Some((e, _)), Some((c, _))) = (entrypoint, cmd) {
            if e > c {
                cmd = None;
            }
        }
        [entrypoint, cmd]
            .into_iter()
            .flatten()
            .flat_map(|(_, i)| i.words(self.escape))
            .collect()
    }

    /// `ENV` values set along a chain, as (name, value).
    pub fn env_of(&self, chain: &[usize]) -> Vec<(String, Option<String>)> {
        self.instructions_of(chain)
            .filter(|i| i.is(Keyword::Env))
            .flat_map(|i| i.key_values(self.escape))
            .map(|kv| (kv.key.text, kv.value.map(|v| v.text)))
            .collect()
    }

    /// The shell commands a `RUN` runs (its heredoc script included),
    /// split once per instruction and kept with it.
    pub fn commands<'a>(&self, inst: &'a Instruction) -> &'a [Command] {
        inst.commands(self.escape)
    }
}

/// A `USER` value names root (`root`, `0`, `root:group`, `0:0`).
pub fn is_root_user(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    name == "root" || name == "0"
}

/// The tag of an image reference: what K8S001 uses, shared here.
pub use crate::model::image::{ImageRef, image_tag};

/// The PHP version of an official `php:` image (`php:8.3-fpm-alpine` is 8.3).
pub fn official_php_image(image: &str) -> Option<OfficialPhp<'_>> {
    let image = image.strip_prefix("docker.io/").unwrap_or(image);
    let image = image.strip_prefix("library/").unwrap_or(image);
    let rest = image.strip_prefix("php")?;
    let tag = match rest.as_bytes().first() {
        None => "",
        Some(b':') => rest[1..].split('@').next().unwrap_or(""),
        Some(b'@') => "",
        _ => return None,
    };
    let version_part = tag.split('-').next().unwrap_or("");
    let mut nums = version_part.split('.').map(|n| n.parse::<u32>().ok());
    let major = nums.next().flatten();
    let minor = nums.next().flatten();
    let patch = nums.next().flatten();
    Some(OfficialPhp {
        tag,
        // A major alone follows the newest minor of that line: `php:7` and
        // `php:5` are frozen at 7.4 and 5.6; `php:8` moves (8.5 today).
        version: match (major, minor) {
            (Some(m), Some(n)) => Some((m, n)),
            (Some(7), None) => Some((7, 4)),
            (Some(5), None) => Some((5, 6)),
            _ => None,
        },
        patch: if minor.is_some() { patch } else { None },
    })
}

pub struct OfficialPhp<'a> {
    pub tag: &'a str,
    /// `None` for `latest`, untagged or named tags (`php:fpm-alpine`).
    pub version: Option<(u32, u32)>,
    /// The patch release of a fully pinned tag (`php:8.3.7-fpm` gives 7).
    pub patch: Option<u32>,
}

impl OfficialPhp<'_> {
    pub fn is_fpm(&self) -> bool {
        self.tag.split('-').any(|p| p == "fpm")
    }
}

#[cfg(test)]
mod tests {
    use super::official_php_image;
    use crate::parse::dockerfile::parse;

    #[test]
    fn entrypoint_after_cmd_resets_it() {
        let words = |t: &str| {
            let df = parse(t);
            let chain = df.final_chain(None);
            df.runtime_words(&chain)
                .into_iter()
                .map(|w| w.text)
                .collect::<Vec<_>>()
        };
        let base = "FROM php:8.3-cli AS base\nCMD [\"php\", \"artisan\", \"serve\"]\n";
        assert_eq!(
            words(&format!("{base}FROM base\nENTRYPOINT [\"php-fpm\"]\n")),
            vec!["php-fpm"]
        );
        assert_eq!(
            words(&format!(
                "{base}FROM base\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"php-fpm\"]\n"
            )),
            vec!["tini", "--", "php-fpm"]
        );
        assert_eq!(
            words(&format!("{base}FROM base\nUSER app\n")),
            vec!["php", "artisan", "serve"]
        );
    }

    #[test]
    fn official_php_tags() {
        let v = |i: &str| official_php_image(i).map(|p| (p.version, p.patch, p.is_fpm()));
        assert_eq!(v("php:8.3-fpm-alpine"), Some((Some((8, 3)), None, true)));
        assert_eq!(
            v("docker.io/library/php:8.3.7-fpm"),
            Some((Some((8, 3)), Some(7), true))
        );
        // A major alone moves with its line (8), or is frozen at its last minor (7.4).
        assert_eq!(v("php:8-cli"), Some((None, None, false)));
        assert_eq!(v("php:7-fpm"), Some((Some((7, 4)), None, true)));
        assert_eq!(v("php:fpm-alpine"), Some((None, None, true)));
        assert_eq!(v("php"), Some((None, None, false)));
        assert_eq!(v("phpmyadmin:5"), None);
        assert_eq!(v("serversideup/php:8.3-fpm"), None);
    }
}
