//! Per-file settings: the nearest config's settings, the `overrides:` whose
//! globs match the file, then the command line. Globs are compiled once per
//! config; each combination of (config, matched overrides) is built once
//! per run and shared (`Arc`), so a file costs one glob-set match and a map
//! lookup.

use super::{Config, Level, Patch, Profile, ProfileWord, Settings};
use crate::source::hash::{FastMap, FastSet};
use globset::{Glob, GlobSetBuilder};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// `./a/./b` as `a/b` (paths are compared by components).
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// `std::fs::canonicalize(dir)`, at one `lstat` for a directory whose parent
/// was resolved before: a directory that is not a symbolic link resolves to
/// its parent's canonical path and its name. (`canonicalize` costs a
/// `readlink` per path component, for every directory of the run.)
fn canonical_dir(dir: &Path, parents: &mut FastMap<PathBuf, Option<PathBuf>>) -> Option<PathBuf> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return std::fs::canonicalize(dir).ok();
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let resolved = match parents.get(parent) {
        Some(resolved) => resolved.clone(),
        None => {
            let resolved = std::fs::canonicalize(parent).ok();
            parents.insert(parent.to_path_buf(), resolved.clone());
            resolved
        }
    }?;
    match std::fs::symlink_metadata(parent.join(name)) {
        Ok(m) if !m.file_type().is_symlink() => Some(resolved.join(name)),
        Ok(_) => std::fs::canonicalize(dir).ok(),
        Err(_) => None,
    }
}

/// An absolute path with `.` and `..` resolved by name (no file system access).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `cwd/dir` when that is already lexically normal (`dir` relative, no
/// `.`, `..` or empty components past a leading `./`): the usual named
/// directory, joined without parsing components. `None` for the others.
fn simple_join(cwd: &str, dir: &str) -> Option<String> {
    let mut d = dir;
    while let Some(rest) = d.strip_prefix("./") {
        d = rest;
    }
    if d == "." || d.is_empty() {
        return Some(cwd.trim_end_matches('/').to_owned()).filter(|c| !c.is_empty());
    }
    if d.starts_with('/') || d.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
        return None;
    }
    let base = cwd.trim_end_matches('/');
    Some(format!("{base}/{d}"))
}

/// [`lexical`] of `cwd/path`, through [`simple_join`] when that answers.
fn lexical_join(cwd: &Path, path: &Path) -> PathBuf {
    cwd.to_str()
        .filter(|c| c.starts_with('/'))
        .zip(path.to_str())
        .and_then(|(c, p)| simple_join(c, p))
        .map_or_else(|| lexical(&cwd.join(path)), PathBuf::from)
}

/// The deepest directory holding every one of `paths` (named files or
/// directories, relative to `cwd` or absolute), by name: where the config of
/// a run naming several paths is looked for, whatever their order. `None`
/// for no path.
pub(crate) fn common_dir(cwd: &Path, paths: &[&Path]) -> Option<PathBuf> {
    let absolute: Vec<PathBuf> = paths.iter().map(|p| lexical_join(cwd, p)).collect();
    let (first, rest) = absolute.split_first()?;
    fn bytes(p: &Path) -> &[u8] {
        p.as_os_str().as_encoded_bytes()
    }
    let first_bytes = bytes(first);
    // The longest common prefix, then back to a component boundary.
    let mut n = first_bytes.len();
    for p in rest {
        n = n.min(
            first_bytes
                .iter()
                .zip(bytes(p))
                .take_while(|(x, y)| x == y)
                .count(),
        );
    }
    let at_boundary = |b: &[u8]| b.len() == n || b.get(n) == Some(&b'/');
    if !(at_boundary(first_bytes) && rest.iter().all(|p| at_boundary(bytes(p)))) {
        n = first_bytes[..n]
            .iter()
            .rposition(|&c| c == b'/')
            .unwrap_or(0);
    }
    // (Lexically normal: every ancestor is a prefix of the path's bytes.)
    first
        .ancestors()
        .find(|a| a.as_os_str().len() <= n.max(1))
        .map(Path::to_path_buf)
}

impl Config {
    pub(super) fn compile_overrides(&mut self) {
        let mut builder = GlobSetBuilder::new();
        self.override_owner.clear();
        for (i, o) in self.overrides.iter().enumerate() {
            for f in &o.files {
                if let Ok(g) = Glob::new(f) {
                    builder.add(g);
                    self.override_owner.push(i);
                }
            }
        }
        self.override_set = (!self.override_owner.is_empty())
            .then(|| builder.build().ok())
            .flatten();
    }

    /// The config that governs `path`: `self` or the nearest nested one,
    /// with its index (0 = self).
    fn scope_of(&self, path: &Path) -> (usize, &Config) {
        if self.nested.is_empty() {
            return (0, self);
        }
        let p = normalize(path);
        self.nested
            .iter()
            .enumerate()
            .filter(|(_, c)| p.starts_with(normalize(&c.root)))
            .max_by_key(|(_, c)| normalize(&c.root).components().count())
            .map_or((0, self), |(i, c)| (i + 1, c))
    }

    /// `path` relative to this config's root, as its globs (`exclude:`,
    /// `overrides:`, `kinds:`) are written. Paths are relative to the working
    /// directory; when that is below the root (`root` is `..` or absolute),
    /// the working directory's place under the root is put in front.
    pub(super) fn relative_to_root<'p>(&self, path: &'p Path) -> Cow<'p, Path> {
        let p = normalize(path);
        let root = normalize(&self.root);
        if let Ok(r) = p.strip_prefix(&root) {
            return Cow::Owned(r.to_path_buf());
        }
        let anchors = self.anchors.get_or_init(|| {
            let cwd = std::env::current_dir().ok()?;
            let cwd = std::fs::canonicalize(cwd).ok()?;
            let dir = if self.root.as_os_str().is_empty() {
                Path::new(".")
            } else {
                &self.root
            };
            let root = std::fs::canonicalize(dir).ok()?;
            Some((cwd, root))
        });
        if let Some((cwd, root_abs)) = anchors {
            let abs = if p.is_absolute() {
                lexical(&p)
            } else {
                lexical(&cwd.join(&p))
            };
            if let Ok(r) = abs.strip_prefix(root_abs) {
                return Cow::Owned(r.to_path_buf());
            }
        }
        if p.as_os_str().len() == path.as_os_str().len() {
            Cow::Borrowed(path)
        } else {
            Cow::Owned(p)
        }
    }

    /// Indexes of the overrides whose globs match `path` (relative to this
    /// config's root), in order.
    fn matching_overrides(&self, path: &Path) -> Vec<usize> {
        let Some(set) = &self.override_set else {
            return Vec::new();
        };
        let rel = self.relative_to_root(path);
        let mut out: Vec<usize> = set
            .matches(rel.as_ref())
            .into_iter()
            .filter_map(|i| self.override_owner.get(i).copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The settings for one file: resolved once per (config, overrides)
    /// combination and shared.
    pub fn settings_for(&self, path: &Path) -> Arc<Settings> {
        let (scope, config) = self.scope_of(path);
        let matched = config.matching_overrides(path);
        let key = (scope, matched);
        if let Ok(cache) = self.cache.0.lock() {
            if let Some(s) = cache.get(&key) {
                return Arc::clone(s);
            }
        }
        let mut s = config.settings.clone();
        for &i in &key.1 {
            config.overrides[i].patch.apply(&mut s);
        }
        if scope != 0 || !key.1.is_empty() {
            // The command line wins over every file (the root config's
            // settings already carry it).
            self.cli.apply(&mut s);
        }
        let s = Arc::new(s);
        if let Ok(mut cache) = self.cache.0.lock() {
            cache.insert(key, Arc::clone(&s));
        }
        s
    }

    /// Whether some override or nested config can turn `code` on (so the
    /// run must load the rule; each file then decides).
    pub fn may_enable(&self, code: &str) -> bool {
        let patch_on = |p: &Patch| {
            p.profile == Some(ProfileWord::Strict)
                || p.rules
                    .iter()
                    .any(|(c, r)| c == code && matches!(r.level, Some(Level::On(_))))
        };
        let scope_on = |c: &Config| {
            c.overrides.iter().any(|o| patch_on(&o.patch))
                || c.settings.strict
                || matches!(c.settings.level(code), Some(Level::On(_)))
        };
        self.overrides.iter().any(|o| patch_on(&o.patch)) || self.nested.iter().any(scope_on)
    }

    /// Records a command-line setting (applied over every file's settings).
    pub fn set_cli(&mut self, f: impl Fn(&mut Patch)) {
        f(&mut self.cli);
        self.cli.apply(&mut self.settings);
        for n in &mut self.nested {
            self.cli.apply(&mut n.settings);
        }
    }

    /// Finds and loads the `.deploylint.yaml` files below the root config's
    /// directory (the workspace) that are nearer to some of `paths` than
    /// the root one: each file then uses its nearest config, like ruff.
    /// Each directory is looked at once.
    pub fn attach_nested<'a>(
        &mut self,
        paths: impl Iterator<Item = &'a Path>,
    ) -> Result<(), super::ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let root_dir = if self.root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &self.root
        };
        let Ok(root_abs) = std::fs::canonicalize(root_dir) else {
            return Ok(());
        };
        // Directories are compared by name first (no system call per
        // directory): a directory below the root as named needs no
        // `canonicalize`, which costs a `readlink` per path component.
        let root_lexical = lexical_join(&cwd, root_dir);
        let mut seen_dirs: FastSet<&std::ffi::OsStr> = FastSet::default();
        // Directories to look in, each once; looked in on all cores (two
        // `stat`s per directory, most of them misses, were a serial step).
        // Kept as text where the path is UTF-8 (nearly always): their
        // ancestors are then prefixes, found without parsing components.
        let mut dirs: FastSet<String> = FastSet::default();
        let mut other_dirs: FastSet<PathBuf> = FastSet::default();
        let mut canonical_parents: FastMap<PathBuf, Option<PathBuf>> = FastMap::default();
        // (Paths compared and hashed as bytes: both sides are lexically
        // normal, where that equals comparing components, at a tenth of
        // the cost.)
        let under = |d: &[u8], root: &[u8]| {
            d.starts_with(root)
                && (root.ends_with(b"/") || d.len() == root.len() || d[root.len()] == b'/')
        };
        for p in paths {
            let Some(dir) = p.parent() else { continue };
            if !seen_dirs.insert(dir.as_os_str()) {
                continue;
            }
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let named = lexical_join(&cwd, dir);
            let (abs, root) = if under(
                named.as_os_str().as_encoded_bytes(),
                root_lexical.as_os_str().as_encoded_bytes(),
            ) {
                (named, &root_lexical)
            } else {
                match canonical_dir(dir, &mut canonical_parents) {
                    Some(abs) => (abs, &root_abs),
                    None => continue,
                }
            };
            let root = root.as_os_str().as_encoded_bytes();
            if let (Some(text), Some(root)) = (abs.to_str(), std::str::from_utf8(root).ok()) {
                // The directory and its ancestors below the root: prefixes
                // ending before a `/`.
                let mut d = text;
                while d != root && under(d.as_bytes(), root.as_bytes()) && !dirs.contains(d) {
                    dirs.insert(d.to_owned());
                    match d.rfind('/') {
                        Some(0) => d = "/",
                        Some(i) => d = &d[..i],
                        None => break,
                    }
                }
                continue;
            }
            for d in abs.ancestors() {
                let b = d.as_os_str().as_encoded_bytes();
                if b == root || !under(b, root) {
                    break;
                }
                // (A UTF-8 ancestor of a path that is not goes with the text ones.)
                let new = match d.to_str() {
                    Some(t) => dirs.insert(t.to_owned()),
                    None => other_dirs.insert(d.to_path_buf()),
                };
                if !new {
                    break;
                }
            }
        }
        let mut found: Vec<PathBuf> = {
            use rayon::prelude::*;
            let dirs: Vec<PathBuf> = dirs
                .into_iter()
                .map(PathBuf::from)
                .chain(other_dirs)
                .collect();
            dirs.par_iter()
                .filter_map(|d| {
                    super::CONFIG_NAMES
                        .iter()
                        .map(|n| d.join(n))
                        .find(|f| f.is_file())
                })
                .collect()
        };
        found.sort();
        for f in found {
            let shown = f.strip_prefix(&cwd).map_or(f.clone(), Path::to_path_buf);
            let mut c = Config::load(&shown)?;
            if let Ok(abs) = std::fs::canonicalize(&c.root) {
                c.root = abs
                    .strip_prefix(&cwd)
                    .map_or(abs.clone(), Path::to_path_buf);
            }
            c.compile_overrides();
            self.cli.apply(&mut c.settings);
            self.nested.push(c);
        }
        Ok(())
    }

    /// The resolved settings for `path` with where each value came from.
    pub fn show(&self, path: &Path) -> Shown {
        let (_, config) = self.scope_of(path);
        let matched = config.matching_overrides(path);
        let settings = self.settings_for(path);
        let mut origins = config.origins.clone();
        for &i in &matched {
            for (k, o) in &config.overrides[i].patch.origins {
                origins.insert(k.clone(), o.clone());
            }
        }
        for (k, _) in &self.cli.origins {
            origins.insert(k.clone(), "command line".into());
        }
        let from = |k: &str| origins.get(k).cloned().unwrap_or_else(|| "default".into());
        let mut values = Vec::new();
        let mut push = |key: String, value: serde_json::Value| {
            let from = from(&key);
            values.push(ShownValue { key, value, from });
        };
        let (a, b) = settings.php_version;
        push("php-version".into(), format!("{a}.{b}").into());
        push(
            "kubernetes-version".into(),
            settings.kubernetes_version.clone().into(),
        );
        let profile = if settings.strict {
            "strict"
        } else if settings.profile == Profile::Development {
            "development"
        } else {
            "production"
        };
        push("profile".into(), profile.into());
        push(
            "dockerfile-target".into(),
            settings
                .dockerfile_target
                .clone()
                .map_or(serde_json::Value::Null, Into::into),
        );
        for (image, p) in &settings.images {
            push(format!("images.{image}"), p.clone().into());
        }
        for g in super::platform::GUARANTEES {
            if settings.platform.contains(&g.name) {
                push(format!("platform.{}", g.name), true.into());
            }
        }
        if config.path.is_some() {
            push(
                "max-file-size".into(),
                serde_json::Value::from(self.max_file_size),
            );
        }
        let rules: BTreeMap<&String, &super::RuleConfig> = settings.rules.iter().collect();
        for (code, rc) in rules {
            let level = match rc.level {
                Some(Level::Off) => "off".to_owned(),
                Some(Level::On(s)) => s.name().to_owned(),
                None => "default".to_owned(),
            };
            let value = if rc.options.is_null() {
                level.into()
            } else {
                serde_json::json!({"severity": level, "options": rc.options})
            };
            push(format!("rules.{code}"), value);
        }
        Shown {
            path: path.display().to_string(),
            config: config.path.as_ref().map(|p| p.display().to_string()),
            files: config.files.clone(),
            overrides: matched
                .iter()
                .map(|&i| config.overrides[i].origin.clone())
                .collect(),
            values,
        }
    }
}

/// `deploylint config --show`: the settings for one path.
#[derive(Debug, serde::Serialize)]
pub struct Shown {
    pub path: String,
    /// The config file in use (`None`: defaults).
    pub config: Option<String>,
    /// The files merged into it, `extends:` first.
    pub files: Vec<String>,
    /// The `overrides:` entries that match the path (`file:line`).
    pub overrides: Vec<String>,
    pub values: Vec<ShownValue>,
}

#[derive(Debug, serde::Serialize)]
pub struct ShownValue {
    pub key: String,
    pub value: serde_json::Value,
    /// `file:line`, `default` or `command line`.
    pub from: String,
}

#[cfg(test)]
mod tests {
    use super::{FastMap, canonical_dir, common_dir, lexical, simple_join};
    use std::path::Path;

    #[test]
    fn common_dir_is_the_deepest_directory_holding_every_path() {
        let cwd = Path::new("/w/repo");
        let dir = |paths: &[&str]| {
            let p: Vec<&Path> = paths.iter().map(Path::new).collect();
            common_dir(cwd, &p).map(|d| d.to_string_lossy().into_owned())
        };
        assert_eq!(
            dir(&["a/b/Dockerfile"]).as_deref(),
            Some("/w/repo/a/b/Dockerfile")
        );
        assert_eq!(dir(&["a/b/x", "./a/b/y"]).as_deref(), Some("/w/repo/a/b"));
        assert_eq!(
            dir(&["a/b/c/Dockerfile", "Dockerfile"]).as_deref(),
            Some("/w/repo")
        );
        assert_eq!(
            dir(&["Dockerfile", "a/b/c/Dockerfile"]).as_deref(),
            Some("/w/repo")
        );
        // Byte prefixes that are no component boundary are cut back.
        assert_eq!(dir(&["app-1/x", "app-10/x"]).as_deref(), Some("/w/repo"));
        assert_eq!(dir(&["a", "a/b"]).as_deref(), Some("/w/repo/a"));
        assert_eq!(dir(&["../other/x", "a/y"]).as_deref(), Some("/w"));
        assert_eq!(dir(&["/etc/x", "a/y"]).as_deref(), Some("/"));
        assert_eq!(dir(&["a/../b/x", "b/y"]).as_deref(), Some("/w/repo/b"));
        assert_eq!(dir(&[]), None);
    }

    #[test]
    fn simple_join_is_lexical_where_it_answers() {
        for cwd in ["/", "/work", "/work/repo/"] {
            for dir in [
                ".", "./", "a", "./a/b", "././a", "a/b/c", "a/./b", "a/../b", "../a", "a//b", "a/",
                "/abs", "", "a/b/..", "é/ü",
            ] {
                let expected =
                    lexical(&Path::new(cwd).join(if dir.is_empty() { "." } else { dir }));
                if let Some(got) = simple_join(cwd, dir) {
                    assert_eq!(Path::new(&got), expected, "{cwd} + {dir}");
                    assert_eq!(got.as_str(), expected.to_str().unwrap(), "{cwd} + {dir}");
                }
            }
        }
        // The usual named directories are answered.
        assert_eq!(simple_join("/w", "./a/b").as_deref(), Some("/w/a/b"));
        assert_eq!(simple_join("/w", ".").as_deref(), Some("/w"));
        assert_eq!(simple_join("/w", "a/../b"), None);
    }

    #[test]
    fn canonical_dir_agrees_with_canonicalize_through_symlinks() {
        let d = std::env::temp_dir().join(format!("dl-canon-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("real/sub/deeper")).unwrap();
        std::os::unix::fs::symlink(d.join("real"), d.join("link")).unwrap();
        std::os::unix::fs::symlink("sub", d.join("real/rel")).unwrap();
        let mut memo = FastMap::default();
        for dir in [
            "real",
            "real/sub",
            "real/sub/deeper",
            "link",
            "link/sub",
            "link/sub/deeper",
            "real/rel",
            "real/rel/deeper",
            "link/rel/deeper",
            "real/sub/..",
            "missing",
        ] {
            let path = d.join(dir);
            // Twice: the second answer comes from the memo.
            for _ in 0..2 {
                assert_eq!(
                    canonical_dir(&path, &mut memo),
                    std::fs::canonicalize(&path).ok(),
                    "{dir}"
                );
            }
        }
        assert_eq!(
            canonical_dir(Path::new("src"), &mut memo),
            std::fs::canonicalize("src").ok()
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
