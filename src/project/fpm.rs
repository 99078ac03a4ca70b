//! The effective php-fpm configuration across files.
//!
//! php-fpm merges everything it reads: `php-fpm.conf` includes `php-fpm.d/*.conf`
//! in glob (alphabetical) order, a pool section may be re-opened in another file
//! (the official image splits `[www]` over docker.conf, www.conf and
//! zz-docker.conf), and later definitions win. Rules about a directive being
//! *unset* must therefore look at the whole include set, not one file.
//!
//! A set is built from the run's php-fpm files by joining (1) a file with the
//! files its `include =` globs match inside the linted tree and (2) files in the
//! same directory (a `php-fpm.d/` directory is one deployable unit). Joining too
//! much can only hide a finding; joining too little would invent one.
//!
//! Sets are built from the files' facts ([`FpmFacts`]), not their parsed
//! documents, which are dropped after each file's own rules ran.

use super::facts::{FileFacts, FpmDirective, FpmFacts, FpmSection};
use crate::diagnostic::FileId;
use crate::parse::ParsedFile;
use crate::parse::fpm::SectionKind;
use crate::source::FileKind;
use crate::source::hash::FastMap;
use globset::GlobBuilder;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// One php-fpm file of a set: its id, path and facts.
#[derive(Clone, Copy)]
pub struct FpmFile<'a> {
    pub id: FileId,
    pub path: &'a str,
    pub facts: &'a FpmFacts,
}

/// One directive as found in one file.
#[derive(Clone, Copy)]
pub struct Found<'a> {
    pub file: FpmFile<'a>,
    pub section: &'a FpmSection,
    pub directive: &'a FpmDirective,
}

/// The sections of one scope (a pool name, or the global scope) across a set, in read order.
#[derive(Default)]
pub struct Scope<'a> {
    pub sections: Vec<(FpmFile<'a>, &'a FpmSection)>,
}

impl<'a> Scope<'a> {
    /// The effective value: the last definition in read order.
    pub fn get(&self, name: &str) -> Option<Found<'a>> {
        self.sections.iter().rev().find_map(|&(file, section)| {
            section.directive(name).map(|directive| Found {
                file,
                section,
                directive,
            })
        })
    }

    pub fn array(&self, name: &str) -> Vec<Found<'a>> {
        let mut out = Vec::new();
        for &(file, section) in &self.sections {
            for directive in &section.directives {
                if directive.offset().is_some() && directive.is(name) {
                    out.push(Found {
                        file,
                        section,
                        directive,
                    });
                }
            }
        }
        out
    }

    /// Where a finding about a missing directive points: the first header of the scope.
    pub fn anchor(&self) -> Option<(FpmFile<'a>, &'a FpmSection)> {
        self.sections.first().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }
}

pub struct Pool<'a> {
    /// As first written (php-fpm matches pool names case-insensitively).
    pub name: String,
    pub scope: Scope<'a>,
}

/// One include set: the files php-fpm would read together.
pub struct ConfigSet<'a> {
    /// In read order: files with `include` first, then by path.
    pub files: Vec<FpmFile<'a>>,
    pub global: Scope<'a>,
    pub pools: Vec<Pool<'a>>,
}

impl ConfigSet<'_> {
    /// Whether the set holds the main config (a `php-fpm.conf`, or a file that
    /// includes others): only then do unset global directives mean built-in defaults.
    pub fn has_main_config(&self) -> bool {
        self.files.iter().any(|f| {
            file_name(f.path).starts_with("php-fpm.conf") || f.facts.includes().next().is_some()
        })
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The run's php-fpm files with their facts.
fn fpm_files<'a>(files: &'a [ParsedFile], facts: &'a [FileFacts]) -> Vec<FpmFile<'a>> {
    files
        .iter()
        .filter(|f| f.kind() == Some(FileKind::PhpFpm))
        .filter_map(|f| {
            Some(FpmFile {
                id: f.id,
                path: &f.source.path,
                facts: facts.get(f.id)?.fpm()?,
            })
        })
        .collect()
}

/// An `include =` whose glob matches no linted file.
pub struct Unresolved<'a> {
    pub file: FpmFile<'a>,
    pub directive: &'a FpmDirective,
}

/// Groups the project's php-fpm files into include sets.
pub fn config_sets<'a>(files: &'a [ParsedFile], facts: &'a [FileFacts]) -> Vec<ConfigSet<'a>> {
    let files = fpm_files(files, facts);
    let mut parent: Vec<usize> = (0..files.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let union = |p: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(p, a), find(p, b));
        if ra != rb {
            p[ra.max(rb)] = ra.min(rb);
        }
    };
    let paths = absolute_paths(files.iter().map(|f| f.path));
    // Files of one directory form one set: join each to the first file seen
    // in its directory (linear, not pairwise).
    let mut first_in_dir: FastMap<&Path, usize> = FastMap::default();
    for (i, p) in paths.iter().enumerate() {
        let dir = p.parent().unwrap_or(Path::new(""));
        match first_in_dir.get(dir) {
            Some(&j) => union(&mut parent, j, i),
            None => {
                first_in_dir.insert(dir, i);
            }
        }
    }
    // A section-less fragment included from inside a pool section (kanboard's
    // `[www] ... include = /etc/php84/php-fpm.d/env.conf`) is read as part of
    // that pool: php-fpm parses the included lines in the current section.
    let mut fragment_pool: FastMap<usize, String> = FastMap::default();
    for (i, f) in files.iter().enumerate() {
        for section in &f.facts.sections {
            for inc in section
                .directives
                .iter()
                .filter(|d| d.offset().is_none() && d.is("include"))
            {
                for j in matches(&paths[i], &inc.value.text, &paths) {
                    union(&mut parent, i, j);
                    if section.kind == SectionKind::Pool && files[j].facts.is_fragment() {
                        fragment_pool
                            .entry(j)
                            .or_insert_with(|| section.name.to_string());
                    }
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..files.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    groups
        .into_values()
        .map(|mut members| {
            members.sort_by_key(|&i| {
                let includes = files[i].facts.includes().next().is_some();
                (!includes, paths[i].clone())
            });
            let pools = members
                .iter()
                .map(|i| fragment_pool.get(i).cloned())
                .collect();
            build(members.into_iter().map(|i| files[i]).collect(), pools)
        })
        .collect()
}

/// `into_pool[i]`: the pool whose section includes `files[i]`, a section-less
/// fragment, so its directives belong to that pool rather than the global scope.
fn build(files: Vec<FpmFile<'_>>, into_pool: Vec<Option<String>>) -> ConfigSet<'_> {
    let mut global = Scope::default();
    let mut pools: Vec<Pool> = Vec::new();
    // Pool names match case-insensitively, as in php-fpm.
    let mut index: FastMap<String, usize> = FastMap::default();
    for (n, &f) in files.iter().enumerate() {
        let into = into_pool.get(n).and_then(Option::as_deref);
        for s in &f.facts.sections {
            let pool_name = match (s.kind, into) {
                (SectionKind::Pool, _) => Some(&*s.name),
                (SectionKind::Preamble, Some(pool)) => Some(pool),
                _ => None,
            };
            match pool_name {
                Some(pool_name) => match index.get(&pool_name.to_ascii_lowercase()) {
                    Some(&i) => pools[i].scope.sections.push((f, s)),
                    None => {
                        index.insert(pool_name.to_ascii_lowercase(), pools.len());
                        pools.push(Pool {
                            name: pool_name.to_owned(),
                            scope: Scope {
                                sections: vec![(f, s)],
                            },
                        });
                    }
                },
                None => global.sections.push((f, s)),
            }
        }
    }
    ConfigSet {
        files,
        global,
        pools,
    }
}

/// `include =` directives that match no linted file (symbolic ones are skipped).
/// Every php-fpm file of the run counts as a target, even one that did not parse.
pub fn unresolved_includes<'a>(
    files: &'a [ParsedFile],
    facts: &'a [FileFacts],
) -> Vec<Unresolved<'a>> {
    let files: Vec<(&ParsedFile, Option<&FpmFacts>)> = files
        .iter()
        .filter(|f| f.kind() == Some(FileKind::PhpFpm))
        .map(|f| (f, facts.get(f.id).and_then(FileFacts::fpm)))
        .collect();
    let paths = absolute_paths(files.iter().map(|(f, _)| f.source.path.as_str()));
    let mut out = Vec::new();
    for (i, &(f, fpm)) in files.iter().enumerate() {
        let Some(fpm) = fpm else { continue };
        for inc in fpm.includes() {
            if inc.value.is_symbolic() {
                continue;
            }
            if matches(&paths[i], &inc.value.text, &paths).is_empty() {
                out.push(Unresolved {
                    file: FpmFile {
                        id: f.id,
                        path: &f.source.path,
                        facts: fpm,
                    },
                    directive: inc,
                });
            }
        }
    }
    out
}

/// Files of `paths` an include pattern written in `from` matches.
///
/// A relative pattern is tried against the including file's directory. php-fpm
/// resolves it against its prefix (`/usr/local` in the official image, whose
/// php-fpm.conf says `include=etc/php-fpm.d/*.conf`), and absolute patterns name
/// image paths, so when the full pattern matches nothing its trailing components
/// are tried (`php-fpm.d/*.conf`), keeping at least one directory level, so an
/// include never matches a whole tree by its file name alone.
fn matches(from: &Path, pattern: &str, paths: &[PathBuf]) -> Vec<usize> {
    let dir = from.parent().unwrap_or(Path::new(""));
    let parts: Vec<&str> = pattern
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        return Vec::new();
    }
    let keep_min = if parts.len() >= 2 { 2 } else { 1 };
    for skip in 0..=parts.len() - keep_min {
        let tail = parts[skip..].join("/");
        let joined = normalize(&dir.join(&tail).to_string_lossy());
        let Ok(glob) = GlobBuilder::new(&joined.to_string_lossy())
            .literal_separator(true)
            .build()
        else {
            return Vec::new();
        };
        // Not `compile_matcher`: it panics on a pattern too complex for the
        // regex engine (found by tests/fuzz.rs); a set reports it.
        let Ok(m) = globset::GlobSetBuilder::new().add(glob).build() else {
            return Vec::new();
        };
        let hits: Vec<usize> = paths
            .iter()
            .enumerate()
            .filter(|(_, p)| p.as_path() != from && m.is_match(p))
            .map(|(i, _)| i)
            .collect();
        if !hits.is_empty() {
            return hits;
        }
    }
    Vec::new()
}

/// Lexically cleans a path (`a/./b/../c` -> `a/c`), with `/` separators.
/// Paths of the run's files, made absolute against the working directory
/// and normalized, so `www.conf` and `../php-fpm.d/zz.conf` seen from inside
/// `php-fpm.d/` land in one directory.
fn absolute_paths<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<PathBuf> {
    let cwd = std::env::current_dir().ok();
    paths
        .map(|path| {
            let p = Path::new(path);
            match &cwd {
                Some(cwd) if p.is_relative() => normalize(&cwd.join(p).to_string_lossy()),
                _ => normalize(path),
            }
        })
        .collect()
}

fn normalize(path: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in Path::new(&path.replace('\\', "/")).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(|p| normalize(p)).collect()
    }

    #[test]
    fn include_globs_resolve_inside_the_tree() {
        let all = paths(&[
            "docker/php-fpm.conf",
            "docker/php-fpm.d/www.conf",
            "docker/php-fpm.d/zz-app.conf",
            "other/php-fpm.d/x.conf",
        ]);
        let from = &all[0];
        assert_eq!(matches(from, "php-fpm.d/*.conf", &all), vec![1, 2]);
        assert_eq!(matches(from, "./php-fpm.d/www.conf", &all), vec![1]);
        // Prefix-relative and absolute image paths fall back to their tail.
        assert_eq!(matches(from, "etc/php-fpm.d/*.conf", &all), vec![1, 2]);
        assert_eq!(
            matches(from, "/usr/local/etc/php-fpm.d/*.conf", &all),
            vec![1, 2]
        );
        assert!(matches(from, "pool.d/*.conf", &all).is_empty());
        assert!(matches(from, "/", &all).is_empty());
        assert!(matches(from, "[", &all).is_empty());
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize("./a/./b/../c"), PathBuf::from("a/c"));
        assert_eq!(normalize("../x"), PathBuf::from("../x"));
    }
}
