//! `.deploylint.yaml`: found in the working directory or its nearest parent
//! (like ruff), validated against `schemas/config.schema.json`, every error
//! located in the config file.

use crate::catalog::catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::yaml;
use crate::source::{FileKind, SourceFile, Span};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const CONFIG_NAMES: [&str; 2] = [".deploylint.yaml", ".deploylint.yml"];
pub const CONFIG_SCHEMA: &str = include_str!("../../schemas/config.schema.json");
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    Production,
    Development,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Clone, Debug, Default)]
pub struct RuleConfig {
    pub level: Option<Level>,
    pub options: Value,
}

/// Settings rules may read.
#[derive(Clone, Debug)]
pub struct Settings {
    /// (major, minor)
    pub php_version: (u32, u32),
    pub kubernetes_version: String,
    pub profile: Profile,
    /// `profile: strict`: production, plus every opt-in rule (catalog `enabled: false`).
    pub strict: bool,
    /// The file's path says development or tests (`php.development.ini`,
    /// `.devcontainer/`): production-only php.ini checks stay quiet.
    pub development_file: bool,
    /// `docker build --target`: the stage final-image rules check (default: the last).
    pub dockerfile_target: Option<String>,
    /// `images:`: image repository to Dockerfile path (relative to the config root).
    pub images: Vec<(String, String)>,
    /// Keyed by rule code.
    pub rules: HashMap<String, RuleConfig>,
    /// The directory the files' shown paths are relative to, when it is not
    /// the working directory (test harnesses). Rules that read a file beside
    /// a linted one (a kustomization) resolve it from here.
    pub base_dir: Option<std::path::PathBuf>,
    null: Value,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            php_version: (8, 3),
            kubernetes_version: "1.31".into(),
            profile: Profile::Production,
            strict: false,
            development_file: false,
            dockerfile_target: None,
            images: Vec::new(),
            rules: HashMap::new(),
            base_dir: None,
            null: Value::Null,
        }
    }
}

impl Settings {
    pub fn rule_options(&self, code: &str) -> &Value {
        self.rules.get(code).map_or(&self.null, |r| &r.options)
    }

    pub fn level(&self, code: &str) -> Option<Level> {
        self.rules.get(code).and_then(|r| r.level)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The config file, when one was found.
    pub path: Option<PathBuf>,
    /// Directory globs are relative to.
    pub root: PathBuf,
    pub settings: Settings,
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    /// One-glob sets: `GlobSet::build` reports a pattern too complex to
    /// compile, where `Glob::compile_matcher` panics.
    pub kinds: Vec<(globset::GlobSet, FileKind)>,
    pub max_file_size: u64,
    /// `custom-rules:` directories, relative to `root` (with the key's span
    /// in the config file); empty: the default `.deploylint/rules/`.
    pub custom_rules: Vec<(PathBuf, Span)>,
    /// Keys of `rules:` that are no built-in rule but look like a custom
    /// rule's code (`ACME001`), with their spans: the custom rules loader
    /// reports those no rule file defines.
    pub custom_rule_keys: Vec<(String, Span)>,
}

/// A config that could not be used: the file (for snippets) and located errors.
#[derive(Debug)]
pub struct ConfigError {
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

pub const CONFIG_ERROR: &str = "E005";

impl Config {
    pub fn with_defaults(root: PathBuf) -> Self {
        Config {
            root,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            ..Config::default()
        }
    }

    /// Finds the config for `start` (a directory): there or in the nearest parent.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start.ancestors().find_map(|dir| {
            CONFIG_NAMES
                .iter()
                .map(|n| dir.join(n))
                .find(|p| p.is_file())
        })
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let text = match crate::source::read_text(path, DEFAULT_MAX_FILE_SIZE) {
            Ok(t) => t,
            Err((e, prefix)) => {
                let offset = e.offset();
                return Err(ConfigError {
                    source: SourceFile::new(display, None, prefix),
                    diagnostics: vec![error(Span::at(offset), format!("config {e}"))],
                });
            }
        };
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let source = SourceFile::new(display, None, text);
        match parse_config(&source, root) {
            Ok(mut config) => {
                config.path = Some(path.to_path_buf());
                Ok(config)
            }
            Err(diagnostics) => Err(ConfigError {
                source,
                diagnostics,
            }),
        }
    }

    /// Whether a path (relative to the config root when possible) is excluded
    /// or outside the include set.
    pub fn is_excluded(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let rel = rel.strip_prefix("./").unwrap_or(rel);
        if self.exclude.as_ref().is_some_and(|g| g.is_match(rel)) {
            return true;
        }
        self.include.as_ref().is_some_and(|g| !g.is_match(rel))
    }

    pub fn kind_override(&self, path: &Path) -> Option<FileKind> {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let rel = rel.strip_prefix("./").unwrap_or(rel);
        self.kinds
            .iter()
            .find(|(m, _)| m.is_match(rel))
            .map(|(_, k)| *k)
    }
}

fn error(span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(CONFIG_ERROR, Severity::Error, 0, span, message)
        .with_help("See the configuration section of the README, or `schemas/config.schema.json`")
}

fn parse_config(source: &SourceFile, root: PathBuf) -> Result<Config, Vec<Diagnostic>> {
    let file = yaml::parse(&source.text);
    if !file.errors.is_empty() {
        return Err(file
            .errors
            .iter()
            .map(|e| error(e.span, e.message.clone()))
            .collect());
    }
    let mut config = Config::with_defaults(root);
    let Some(doc) = file.documents.first() else {
        return Ok(config); // an empty config file means defaults
    };
    let node = &doc.root;
    let value = node.to_json();
    let schema: Value = serde_json::from_str(CONFIG_SCHEMA).map_err(|e| {
        vec![error(
            Span::at(0),
            format!("bundled config schema is invalid: {e}"),
        )]
    })?;
    let validator = crate::schema::compile(&schema).map_err(|e| vec![error(Span::at(0), e)])?;
    let issues = crate::schema::validate(&validator, &schema, node, &value);
    if !issues.is_empty() {
        return Err(issues
            .into_iter()
            .map(|i| error(i.span, format!("invalid config: {}", i.message)))
            .collect());
    }

    let mut errors = Vec::new();
    if let Some(v) = node.get("dockerfile-target").and_then(|n| n.as_str()) {
        config.settings.dockerfile_target = Some(v.to_owned());
    }
    for e in node.get("images").map(|n| n.as_map()).unwrap_or_default() {
        if let (Some(image), Some(path)) = (e.key.as_str(), e.value.as_str()) {
            config
                .settings
                .images
                .push((image.to_owned(), path.to_owned()));
        }
    }
    if let Some(v) = node.get("php-version").and_then(|n| n.as_str()) {
        let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        config.settings.php_version = (parts.next().unwrap_or(8), parts.next().unwrap_or(0));
    }
    if let Some(n) = node.get("kubernetes-version") {
        let v = n.as_str().unwrap_or_default();
        match crate::model::k8s_versions::normalize_version(v) {
            Some(bundled) => config.settings.kubernetes_version = bundled.to_owned(),
            None => errors.push(error(
                n.span,
                format!(
                    "no bundled Kubernetes schemas for version `{v}`; bundled: {}",
                    crate::model::k8s_versions::bundled_versions()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    match node.str_at(&["profile"]) {
        Some("development") => config.settings.profile = Profile::Development,
        Some("strict") => config.settings.strict = true,
        _ => {}
    }
    if let Some(n) = node.get("max-file-size").and_then(|n| n.as_i64()) {
        config.max_file_size = n as u64;
    }
    if let Some(n) = node.get("custom-rules") {
        let items: Vec<&yaml::Node> = match n.as_str() {
            Some(_) => vec![n],
            None => n.as_seq().iter().collect(),
        };
        for item in items {
            if let Some(dir) = item.as_str() {
                config.custom_rules.push((config.root.join(dir), item.span));
            }
        }
    }
    config.include = globs(node.get("include"), &mut errors);
    config.exclude = globs(node.get("exclude"), &mut errors);
    for e in node.get("kinds").map(|n| n.as_map()).unwrap_or_default() {
        let (Some(pattern), Some(kind)) = (e.key.as_str(), e.value.as_str()) else {
            continue;
        };
        match (Glob::new(pattern), FileKind::from_name(kind)) {
            (Ok(g), Some(k)) => match globset::GlobSetBuilder::new().add(g).build() {
                Ok(set) => config.kinds.push((set, k)),
                Err(err) => errors.push(error(e.key.span, format!("invalid glob: {err}"))),
            },
            (Err(err), _) => errors.push(error(e.key.span, format!("invalid glob: {err}"))),
            (_, None) => errors.push(error(e.value.span, format!("unknown file kind `{kind}`"))),
        }
    }
    for e in node.get("rules").map(|n| n.as_map()).unwrap_or_default() {
        let Some(name) = e.key.as_str() else { continue };
        // A code or name, else another tool's name (`DL3019`): each rule it stands for.
        let metas = match catalog().find(name) {
            Some(meta) => vec![meta],
            None => catalog().by_foreign_name(name),
        };
        if metas.is_empty() && looks_custom(name) {
            // A custom rule's code (checked against the loaded rule files
            // by the caller, see `custom_rule_keys`).
            let level_node = if e.value.is_map() {
                e.value.get("severity")
            } else {
                Some(&e.value)
            };
            let level = level_node.and_then(|n| match n.as_bool() {
                Some(false) => Some(Level::Off),
                Some(true) => None,
                None => n.as_str().and_then(|s| match s {
                    "off" => Some(Level::Off),
                    other => Severity::from_name(other).map(Level::On),
                }),
            });
            let options = e.value.get("options").map_or(Value::Null, |n| n.to_json());
            config
                .settings
                .rules
                .insert(name.to_owned(), RuleConfig { level, options });
            config.custom_rule_keys.push((name.to_owned(), e.key.span));
            continue;
        }
        if metas.is_empty() {
            let names = catalog()
                .rules
                .iter()
                .flat_map(|r| [r.code.as_str(), r.name.as_str()]);
            let mut msg = format!("unknown rule `{name}`");
            if let Some(s) = crate::suggest::did_you_mean(name, names) {
                msg.push_str(&format!(": did you mean `{s}`?"));
            }
            errors.push(error(e.key.span, msg));
            continue;
        }
        for meta in metas {
            let level_node = if e.value.is_map() {
                e.value.get("severity")
            } else {
                Some(&e.value)
            };
            // YAML 1.1 reads a bare `off` as false: accept both spellings.
            let level = level_node.and_then(|n| match n.as_bool() {
                Some(false) => Some(Level::Off),
                Some(true) => Some(Level::On(meta.severity)),
                None => n.as_str().map(|s| match s {
                    "off" => Level::Off,
                    other => Level::On(Severity::from_name(other).unwrap_or(meta.severity)),
                }),
            });
            let options = e.value.get("options").map_or(Value::Null, |n| n.to_json());
            config
                .settings
                .rules
                .insert(meta.code.clone(), RuleConfig { level, options });
        }
    }
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

/// `ACME001`: capitals and digits ending in digits, not starting with a
/// built-in prefix.
fn looks_custom(name: &str) -> bool {
    const BUILTIN: [&str; 9] = ["DF", "FPM", "INI", "OCT", "K8S", "DC", "X", "E", "S"];
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_uppercase()
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b[b.len() - 1].is_ascii_digit()
        && !BUILTIN.iter().any(|p| name.starts_with(p))
}

fn globs(node: Option<&yaml::Node>, errors: &mut Vec<Diagnostic>) -> Option<GlobSet> {
    let items = node?.as_seq();
    let mut builder = GlobSetBuilder::new();
    for item in items {
        let Some(pattern) = item.as_str() else {
            continue;
        };
        match Glob::new(pattern) {
            Ok(g) => {
                builder.add(g);
            }
            Err(e) => errors.push(error(item.span, format!("invalid glob: {e}"))),
        }
    }
    builder.build().ok()
}

/// The PHP version a path names, if any: `php7.4.ini`, `php-8.2.conf`, `etc/php84/`,
/// `php/8/4/conf.d/`, or a `7.4/` directory. The file name is read first, then
/// the directories from the nearest. Only PHP 5, 7 and 8 are taken.
pub fn php_version_in_path(path: &str) -> Option<(u32, u32)> {
    let parts: Vec<String> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let valid = |major: u32, minor: u32| matches!(major, 5 | 7 | 8) && minor <= 9;
    for (i, part) in parts.iter().enumerate().rev() {
        // `php7.4`, `php-7.4`, `php_7.4`, `php74`, `php-fpm-7.4` in the component.
        let mut rest = part.as_str();
        while let Some(at) = rest.find("php") {
            rest = &rest[at + 3..];
            let after = rest.trim_start_matches(['-', '_']);
            let after = after
                .strip_prefix("fpm")
                .map_or(after, |a| a.trim_start_matches(['-', '_']));
            let b = after.as_bytes();
            let d = |i: usize| {
                b.get(i)
                    .filter(|c| c.is_ascii_digit())
                    .map(|c| u32::from(c - b'0'))
            };
            let found = match (d(0), b.get(1), d(1), d(2)) {
                (Some(major), Some(b'.'), _, Some(minor)) if d(3).is_none() => Some((major, minor)),
                (Some(major), _, Some(minor), None) => Some((major, minor)),
                _ => None,
            };
            if let Some(v) = found.filter(|(a, b)| valid(*a, *b)) {
                return Some(v);
            }
        }
        // A `7.4` directory, or `php/8/4`.
        if i + 1 < parts.len() {
            if let Some((a, b)) = part.split_once('.') {
                if let (Ok(major), Ok(minor)) = (a.parse(), b.parse()) {
                    if valid(major, minor) {
                        return Some((major, minor));
                    }
                }
            }
            if part == "php" {
                if let (Some(a), Some(b)) = (parts.get(i + 1), parts.get(i + 2)) {
                    if let (Ok(major), Ok(minor)) = (a.parse(), b.parse()) {
                        if valid(major, minor) && i + 3 < parts.len() {
                            return Some((major, minor));
                        }
                    }
                }
            }
        }
    }
    None
}

/// Whether a path says its file is for development or tests, not production:
/// a name or directory word `dev`, `development`, `devcontainer`, `debug`,
/// `test`, `tests`, `testing` (not `local`: `conf.d/local.ini` is usually the
/// site's production override) (`php.development.ini`, `.devcontainer/`,
/// `overlays/development/`, `tests-suite/`).
pub fn is_development_path(path: &str) -> bool {
    path.to_ascii_lowercase()
        .split(['/', '\\', '.', '-', '_'])
        .any(|w| {
            matches!(
                w,
                "dev" | "development" | "devcontainer" | "debug" | "test" | "tests" | "testing"
            )
        })
}

#[cfg(test)]
mod version_tests {
    use super::php_version_in_path;

    #[test]
    fn versions_named_by_paths() {
        let v = php_version_in_path;
        assert_eq!(v("docker/php7.3.ini"), Some((7, 3)));
        assert_eq!(v("data/php-ini.d/php-7.4.ini"), Some((7, 4)));
        assert_eq!(v("data/php-fpm.conf/php-fpm-5.6.conf"), Some((5, 6)));
        assert_eq!(v("docker/etc/php84/conf.d/local.ini"), Some((8, 4)));
        assert_eq!(
            v("support/build/conf/php/8/5/conf.d/000-heroku.ini"),
            Some((8, 5))
        );
        assert_eq!(v("dockerfile/php/7.4/fpm/php.ini"), Some((7, 4)));
        assert_eq!(v("docker/php/conf.d/opcache.ini"), None);
        assert_eq!(v("docker/php.ini"), None);
        assert_eq!(v("config/php8/docker-php.ini"), None);
        assert_eq!(v("php-fpm.d/www.conf"), None);
        assert_eq!(v("app/1.2/php.ini"), None);
        assert_eq!(v("php8.30/x.ini"), None);
        assert_eq!(v("etc/php-fpm-8.2.conf"), Some((8, 2)));
        use super::is_development_path as dev;
        assert!(dev("init/php.development.ini"));
        assert!(dev(".devcontainer/docker-php.ini"));
        assert!(dev("k8s/overlays/development/config/docker.ini"));
        assert!(dev("tests-suite/assets/php.ini"));
        assert!(!dev("docker/production/php.ini"));
        assert!(!dev("docker/php/conf.d/opcache.ini"));
        assert!(!dev("devops/php.ini"));
    }
}
