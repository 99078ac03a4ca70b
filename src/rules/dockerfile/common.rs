//! Walkers the Dockerfile rules share: the parsed file, the target's stage
//! chain, every shell command with the instruction it runs in, and the
//! image references of `FROM` and `--from`.

use crate::model::dockerfile::{Command, split_commands};
use crate::parse::dockerfile::{
    Base, Dockerfile, FromRef, Instruction, Keyword, Located, Stage, Text, resolve_ref, stage_refs,
};
use crate::project::ParsedFile;
use crate::rules::Context;
use crate::source::Span;

pub fn dockerfile(file: &ParsedFile) -> Option<&Dockerfile> {
    file.document.as_dockerfile()
}

pub fn target<'a>(ctx: &Context<'a>) -> Option<&'a str> {
    ctx.settings.dockerfile_target.as_deref()
}

/// The build target's stage chain and its last (target) stage.
pub fn final_image<'a>(df: &'a Dockerfile, ctx: &Context) -> Option<(Vec<usize>, &'a Stage)> {
    let chain = df.final_chain(target(ctx));
    let last = df.stages.get(*chain.last()?)?;
    Some((chain, last))
}

/// The target's chain and the words of its `ENTRYPOINT` + `CMD` ([`runtime_tokens`]).
pub fn final_command(df: &Dockerfile, ctx: &Context) -> (Vec<usize>, Vec<Located>) {
    let chain = df.final_chain(target(ctx));
    let tokens = runtime_tokens(df, &chain);
    (chain, tokens)
}

/// Every shell command `RUN` runs in the given stages, with its instruction.
pub fn commands_in<'a>(
    df: &'a Dockerfile,
    stages: &'a [usize],
) -> Vec<(&'a Instruction, &'a Command)> {
    df.instructions_of(stages)
        .flat_map(|i| df.commands(i).iter().map(move |c| (i, c)))
        .collect()
}

/// Every shell command of every stage.
pub fn all_commands(df: &Dockerfile) -> Vec<(&Instruction, &Command)> {
    df.instructions
        .iter()
        .flat_map(|i| df.commands(i).iter().map(move |c| (i, c)))
        .collect()
}

/// Hits of a per-command check merged per instruction, as hadolint reports
/// (one finding per `RUN`): the first command's span, with the edit of every
/// command of that instruction, in order.
pub fn per_instruction<'a>(
    hits: impl IntoIterator<Item = (&'a Instruction, Span, crate::diagnostic::Edit)>,
) -> Vec<(Span, Vec<crate::diagnostic::Edit>)> {
    let mut out: Vec<(*const Instruction, Span, Vec<crate::diagnostic::Edit>)> = Vec::new();
    for (inst, span, edit) in hits {
        match out.last_mut() {
            Some((last, _, edits)) if std::ptr::eq(*last, inst) => edits.push(edit),
            _ => out.push((std::ptr::from_ref(inst), span, vec![edit])),
        }
    }
    out.into_iter()
        .map(|(_, span, edits)| (span, edits))
        .collect()
}

/// Whether a `RUN --mount=type=cache` targets one of `dirs`.
pub fn has_cache_mount(inst: &Instruction, dirs: &[&str]) -> bool {
    inst.flags.iter().any(|f| {
        let fields = f.mount_fields();
        fields.iter().any(|(k, v, _)| *k == "type" && *v == "cache")
            && fields.iter().any(|(k, v, _)| {
                matches!(*k, "target" | "dst" | "destination")
                    && dirs.iter().any(|d| v.trim_end_matches('/') == *d)
            })
    })
}

/// An image a build pulls: a `FROM` base or a `--from=` that names no stage.
pub struct ImageUse<'a> {
    /// With build arguments expanded.
    pub image: String,
    pub span: Span,
    pub instruction: &'a Instruction,
}

pub fn image_uses(df: &Dockerfile) -> Vec<ImageUse<'_>> {
    let mut out = Vec::new();
    for stage in &df.stages {
        if let (Base::Image(image), Some(inst)) = (&stage.base, df.instructions.get(stage.from)) {
            out.push(ImageUse {
                image: image.clone(),
                span: stage.image.span,
                instruction: inst,
            });
        }
        for inst in df.stage_instructions(stage.index) {
            for (value, span) in stage_refs(inst) {
                let bad_ref = df.errors.iter().any(|e| e.span == span);
                if let (FromRef::Image(image), false) =
                    (resolve_ref(&value, stage.index, &df.stages), bad_ref)
                {
                    out.push(ImageUse {
                        image,
                        span,
                        instruction: inst,
                    });
                }
            }
        }
    }
    out
}

/// The words of the final image's `ENTRYPOINT` + `CMD`, with exec items that
/// hold a whole command line (`["sh", "-c", "php artisan ..."]`) split too.
pub fn runtime_tokens(df: &Dockerfile, chain: &[usize]) -> Vec<Located> {
    let mut out = Vec::new();
    for w in df.runtime_words(chain) {
        if !w.text.contains(char::is_whitespace) {
            out.push(w);
            continue;
        }
        // The item's span includes its quotes; without escapes the text sits one byte in.
        let inner = Text::contiguous(&w.text, w.span.start + 1);
        for c in split_commands(&inner) {
            out.extend(c.words);
        }
    }
    out
}

/// The argument words after `composer` (also `php composer.phar`), if `cmd` runs composer.
pub fn composer_args(cmd: &Command) -> Option<&[Located]> {
    let argv = cmd.argv();
    let name = |w: &Located| {
        let base = w.text.rsplit('/').next().unwrap_or(&w.text);
        base == "composer" || base == "composer.phar"
    };
    match argv {
        [first, rest @ ..] if name(first) => Some(rest),
        [php, second, rest @ ..] if php.text.starts_with("php") && name(second) => Some(rest),
        _ => None,
    }
}

/// The `octane:start` family word of a command line.
pub fn octane_command(tokens: &[Located]) -> Option<usize> {
    tokens.iter().position(|w| {
        matches!(
            w.text.as_str(),
            "octane:start" | "octane:swoole" | "octane:roadrunner" | "octane:frankenphp"
        )
    })
}

/// Whether the chain's instructions include `keyword`.
pub fn has(df: &Dockerfile, chain: &[usize], keyword: Keyword) -> bool {
    df.instructions_of(chain).any(|i| i.is(keyword))
}

/// A Dockerfile whose path says development or tests (`docker/development/`,
/// `dev.Dockerfile`, `.devcontainer/`, `tests-suite/`), judged with the
/// production profile: checks about what ships to production (root user,
/// Composer dev packages, OPcache) stay quiet there, as the php.ini ones do.
pub fn development_file(ctx: &Context, file: &ParsedFile) -> bool {
    ctx.settings.profile == crate::config::Profile::Production
        && !ctx.settings.strict
        && crate::config::is_development_path(&file.source.path)
}

/// An image other images build on, or a build tool, by its name: the file
/// name says `base`, `build` or `builder` (`Dockerfile.backend-base`,
/// `static-builder-musl.Dockerfile`), or it sits in a `base/` directory
/// (devilbox's `Dockerfiles/base/Dockerfile-8.2`, which its `mods/` images
/// build on). What the deployed image runs as, or installs, is decided by the
/// image built on top, which is judged itself.
pub fn intermediate_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.rsplit(['/', '\\']);
    let name = parts.next().unwrap_or("");
    let dir = parts.next().unwrap_or("");
    dir == "base"
        || name
            .split(['.', '-', '_'])
            .any(|w| matches!(w, "base" | "build" | "builder"))
}

#[cfg(test)]
mod intermediate_tests {
    use super::intermediate_image as i;

    #[test]
    fn names_that_say_base_or_build() {
        assert!(i(".docker/Dockerfiles/Dockerfile.backend-base"));
        assert!(i("static-builder-musl.Dockerfile"));
        assert!(i("Dockerfiles/base/Dockerfile-8.2"));
        assert!(i("docker/Dockerfile.build"));
        assert!(!i("Dockerfile"));
        assert!(!i("docker/production/nginx/Dockerfile"));
        assert!(!i("build/Dockerfile"));
        assert!(!i("database/Dockerfile"));
        assert!(!i("Dockerfiles/mods/Dockerfile-8.2"));
    }
}
