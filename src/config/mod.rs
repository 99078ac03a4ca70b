//! `.deploylint.yaml`: found in the working directory or its nearest parent
//! (like ruff), validated against `schemas/config.schema.json`, every error
//! located in the config file.

use crate::catalog::catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::yaml;
use crate::source::{FileKind, SourceFile, Span};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub mod platform;
mod resolve;
pub(crate) use resolve::common_dir;
pub use resolve::{Shown, ShownValue};

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
    /// `platform:` guarantees in force (names from [`platform::GUARANTEES`]).
    pub platform: Vec<&'static str>,
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
            platform: Vec::new(),
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
    /// The config files merged into this one, `extends:` first.
    pub files: Vec<String>,
    /// Setting key to `file:line` (see [`Patch::origins`]).
    pub origins: BTreeMap<String, String>,
    /// `overrides:` in order (a later one wins).
    pub overrides: Vec<Override>,
    /// Every override's globs in one set; `override_owner[i]` is the
    /// override of pattern `i`.
    override_set: Option<GlobSet>,
    override_owner: Vec<usize>,
    /// Command-line settings (`--php-version`...): applied last, everywhere.
    pub cli: Patch,
    /// Configs found below the root one, nearest wins (see `attach_nested`).
    pub nested: Vec<Config>,
    cache: SettingsCache,
    /// The working directory and `root`, canonical (found once): file paths
    /// are relative to the working directory, globs to `root`.
    anchors: std::sync::OnceLock<Option<(PathBuf, PathBuf)>>,
}

/// Resolved settings by (scope, matched overrides): each combination is
/// built once per run. A clone starts empty (its settings may change).
#[derive(Debug, Default)]
struct SettingsCache(Mutex<HashMap<ScopeKey, Arc<Settings>>>);

/// (config index: 0 the root, i + 1 `nested[i]`; indexes of the matched overrides).
type ScopeKey = (usize, Vec<usize>);

impl Clone for SettingsCache {
    fn clone(&self) -> Self {
        SettingsCache::default()
    }
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

    /// Loads a config file, the files it `extends:` merged first.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let mut config = Config::with_defaults(root);
        load_into(path, &mut config, &mut Vec::new(), None)?;
        config.path = Some(path.to_path_buf());
        config.compile_overrides();
        Ok(config)
    }

    /// Whether a path (relative to the config root when possible) is excluded
    /// or outside the include set.
    pub fn is_excluded(&self, path: &Path) -> bool {
        if self.exclude.is_none() && self.include.is_none() {
            return false;
        }
        let rel = self.relative_to_root(path);
        let rel = rel.as_ref();
        if self.exclude.as_ref().is_some_and(|g| g.is_match(rel)) {
            return true;
        }
        self.include.as_ref().is_some_and(|g| !g.is_match(rel))
    }

    pub fn kind_override(&self, path: &Path) -> Option<FileKind> {
        if self.kinds.is_empty() {
            return None;
        }
        let rel = self.relative_to_root(path);
        let rel = rel.as_ref();
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

/// A `profile:` word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileWord {
    Production,
    Development,
    Strict,
}

impl ProfileWord {
    pub fn name(self) -> &'static str {
        match self {
            ProfileWord::Production => "production",
            ProfileWord::Development => "development",
            ProfileWord::Strict => "strict",
        }
    }
}

/// The settings one config file (or one `overrides:` entry) sets, applied
/// over what came before, each with where it was written.
#[derive(Clone, Debug, Default)]
pub struct Patch {
    pub php_version: Option<(u32, u32)>,
    pub kubernetes_version: Option<String>,
    pub profile: Option<ProfileWord>,
    pub dockerfile_target: Option<String>,
    pub images: Vec<(String, String)>,
    pub rules: Vec<(String, RuleConfig)>,
    /// `platform:` guarantees: name, on.
    pub platform: Vec<(&'static str, bool)>,
    /// Setting key (`php-version`, `rules.K8S001`, `platform.vpa`) to `file:line`.
    pub origins: Vec<(String, String)>,
}

impl Patch {
    pub fn apply(&self, s: &mut Settings) {
        if let Some(v) = self.php_version {
            s.php_version = v;
        }
        if let Some(v) = &self.kubernetes_version {
            s.kubernetes_version = v.clone();
        }
        if let Some(p) = self.profile {
            s.profile = if p == ProfileWord::Development {
                Profile::Development
            } else {
                Profile::Production
            };
            s.strict = p == ProfileWord::Strict;
        }
        if let Some(t) = &self.dockerfile_target {
            s.dockerfile_target = Some(t.clone());
        }
        for (image, path) in &self.images {
            s.images.retain(|(i, _)| i != image);
            s.images.push((image.clone(), path.clone()));
        }
        for (code, rc) in &self.rules {
            match s.rules.get_mut(code) {
                // A later level keeps earlier options unless it sets its own.
                Some(old) => {
                    if rc.level.is_some() {
                        old.level = rc.level;
                    }
                    if !rc.options.is_null() {
                        old.options = rc.options.clone();
                    }
                }
                None => {
                    s.rules.insert(code.clone(), rc.clone());
                }
            }
        }
        for (name, on) in &self.platform {
            s.platform.retain(|n| n != name);
            if *on {
                s.platform.push(*name);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }
}

/// One `overrides:` entry: settings for the files its globs match
/// (relative to the config's root).
#[derive(Clone, Debug)]
pub struct Override {
    pub files: Vec<String>,
    /// `file:line` of the entry.
    pub origin: String,
    pub patch: Patch,
}

fn origin_of(source: &SourceFile, span: Span) -> String {
    format!("{}:{}", source.path, source.position(span.start).line)
}

/// Loads `path` and, first, the files it `extends:` (recursively), merging
/// each into `config` in order. `stack` holds the files being loaded (for
/// cycles); `depth` 0 is the file that was found.
fn load_into(
    path: &Path,
    config: &mut Config,
    stack: &mut Vec<PathBuf>,
    via: Option<(&SourceFile, Span)>,
) -> Result<(), ConfigError> {
    let display = path.display().to_string();
    let located = |msg: String| -> ConfigError {
        match via {
            Some((src, span)) => ConfigError {
                source: SourceFile::new(src.path.clone(), None, src.text.clone()),
                diagnostics: vec![error(span, msg)],
            },
            None => ConfigError {
                source: SourceFile::new(display.clone(), None, String::new()),
                diagnostics: vec![error(Span::at(0), msg)],
            },
        }
    };
    let canonical = match std::fs::canonicalize(path) {
        Ok(p) => p,
        Err(e) if via.is_some() => {
            return Err(located(format!("extends: cannot read `{display}`: {e}")));
        }
        Err(_) => path.to_path_buf(),
    };
    if let Some(at) = stack.iter().position(|p| *p == canonical) {
        let mut chain: Vec<String> = stack[at..]
            .iter()
            .map(|p| {
                p.file_name()
                    .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
            })
            .collect();
        chain.push(
            canonical
                .file_name()
                .map_or_else(|| display.clone(), |n| n.to_string_lossy().into()),
        );
        return Err(located(format!(
            "extends cycle: {} (a config may not extend itself)",
            chain.join(" -> ")
        )));
    }
    let text = match crate::source::read_text(path, DEFAULT_MAX_FILE_SIZE) {
        Ok(t) => t,
        Err((e, prefix)) => {
            if via.is_some() {
                return Err(located(format!("extends: cannot read `{display}`: {e}")));
            }
            let offset = e.offset();
            return Err(ConfigError {
                source: SourceFile::new(display, None, prefix),
                diagnostics: vec![error(Span::at(offset), format!("config {e}"))],
            });
        }
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let source = SourceFile::new(display, None, text);
    let fail = |diagnostics: Vec<Diagnostic>| ConfigError {
        source: SourceFile::new(source.path.clone(), None, source.text.clone()),
        diagnostics,
    };
    let file = yaml::parse(&source.text);
    if !file.errors.is_empty() {
        return Err(fail(
            file.errors
                .iter()
                .map(|e| error(e.span, e.message.clone()))
                .collect(),
        ));
    }
    let Some(doc) = file.documents.first() else {
        config.files.push(source.path.clone());
        return Ok(()); // an empty config file means defaults
    };
    let node = &doc.root;
    validate(node).map_err(fail)?;
    if let Some(n) = node.get("extends") {
        let items: Vec<&yaml::Node> = match n.as_str() {
            Some(_) => vec![n],
            None => n.as_seq().iter().collect(),
        };
        stack.push(canonical.clone());
        for item in items {
            let Some(rel) = item.as_str() else { continue };
            let base = if dir == Path::new(".") {
                PathBuf::from(rel)
            } else {
                dir.join(rel)
            };
            load_into(&base, config, stack, Some((&source, item.span)))?;
        }
        stack.pop();
    }
    let depth0 = stack.is_empty();
    let mut errors = Vec::new();
    apply_file(node, &source, &dir, depth0, config, &mut errors);
    if !errors.is_empty() {
        return Err(fail(errors));
    }
    config.files.push(source.path.clone());
    Ok(())
}

fn validate(node: &yaml::Node) -> Result<(), Vec<Diagnostic>> {
    let value = node.to_json();
    let schema: Value = serde_json::from_str(CONFIG_SCHEMA).map_err(|e| {
        vec![error(
            Span::at(0),
            format!("bundled config schema is invalid: {e}"),
        )]
    })?;
    // Compiled as draft 7: the schema uses no keyword whose meaning differs
    // from 2020-12 (no `$ref` has siblings), and jsonschema checks a schema
    // against its draft's meta-schema first, which for 2020-12 (a dozen
    // vocabulary documents) cost more than the rest of a small run.
    let validator = crate::schema::compile_as(&schema, jsonschema::Draft::Draft7)
        .map_err(|e| vec![error(Span::at(0), e)])?;
    let issues = crate::schema::validate(&validator, &schema, node, &value);
    if issues.is_empty() {
        Ok(())
    } else {
        Err(issues
            .into_iter()
            .map(|i| error(i.span, format!("invalid config: {}", i.message)))
            .collect())
    }
}

/// Merges one file's keys into `config`: scalars replace, maps (`rules`,
/// `images`, `kinds`, `platform`) merge by key, lists (`include`,
/// `exclude`, `custom-rules`) replace, `overrides` append.
fn apply_file(
    node: &yaml::Node,
    source: &SourceFile,
    dir: &Path,
    depth0: bool,
    config: &mut Config,
    errors: &mut Vec<Diagnostic>,
) {
    let origin = |span: Span| origin_of(source, span);
    let patch = parse_patch(node, source, depth0, config, errors);
    patch.apply(&mut config.settings);
    for (k, o) in &patch.origins {
        config.origins.insert(k.clone(), o.clone());
    }
    if let Some(n) = node.get("max-file-size") {
        if let Some(v) = n.as_i64() {
            config.max_file_size = v as u64;
            config
                .origins
                .insert("max-file-size".into(), origin(n.span));
        }
    }
    if let Some(n) = node.get("custom-rules") {
        let items: Vec<&yaml::Node> = match n.as_str() {
            Some(_) => vec![n],
            None => n.as_seq().iter().collect(),
        };
        config.custom_rules.clear();
        for item in items {
            if let Some(d) = item.as_str() {
                let path = dir.join(d);
                if !depth0 && !path.is_dir() {
                    // The span would not be in the found file: report it here.
                    errors.push(error(
                        item.span,
                        format!("custom-rules: directory `{}` not found", path.display()),
                    ));
                }
                config.custom_rules.push((path, item.span));
            }
        }
        config.origins.insert("custom-rules".into(), origin(n.span));
    }
    for key in ["include", "exclude"] {
        if let Some(n) = node.get(key) {
            let set = globs(Some(n), errors);
            if key == "include" {
                config.include = set;
            } else {
                config.exclude = set;
            }
            config.origins.insert(key.into(), origin(n.span));
        }
    }
    let mut kinds = Vec::new();
    for e in node.get("kinds").map(|n| n.as_map()).unwrap_or_default() {
        let (Some(pattern), Some(kind)) = (e.key.as_str(), e.value.as_str()) else {
            continue;
        };
        match (Glob::new(pattern), FileKind::from_name(kind)) {
            (Ok(g), Some(k)) => match globset::GlobSetBuilder::new().add(g).build() {
                Ok(set) => {
                    kinds.push((set, k));
                    config
                        .origins
                        .insert(format!("kinds.{pattern}"), origin(e.key.span));
                }
                Err(err) => errors.push(error(e.key.span, format!("invalid glob: {err}"))),
            },
            (Err(err), _) => errors.push(error(e.key.span, format!("invalid glob: {err}"))),
            (_, None) => errors.push(error(e.value.span, format!("unknown file kind `{kind}`"))),
        }
    }
    // The first matching kind wins: a later file's come first.
    kinds.append(&mut config.kinds);
    config.kinds = kinds;
    for item in node
        .get("overrides")
        .map(|n| n.as_seq())
        .unwrap_or_default()
    {
        let mut files = Vec::new();
        for f in item.get("files").map(|n| n.as_seq()).unwrap_or_default() {
            let Some(pattern) = f.as_str() else { continue };
            match Glob::new(pattern) {
                Ok(_) => files.push(pattern.to_owned()),
                Err(e) => errors.push(error(f.span, format!("invalid glob: {e}"))),
            }
        }
        let patch = parse_patch(item, source, false, config, errors);
        if patch.is_empty() {
            errors.push(error(
                item.span,
                "this override sets nothing: give it `profile`, `php-version`, `kubernetes-version`, `dockerfile-target`, `rules`, `select`, `ignore` or `platform`",
            ));
        }
        config.overrides.push(Override {
            files,
            origin: origin(item.span),
            patch,
        });
    }
}

/// The keys a file and an `overrides:` entry share.
fn parse_patch(
    node: &yaml::Node,
    source: &SourceFile,
    depth0: bool,
    config: &mut Config,
    errors: &mut Vec<Diagnostic>,
) -> Patch {
    let origin = |span: Span| origin_of(source, span);
    let mut p = Patch::default();
    if let Some(n) = node.get("dockerfile-target") {
        if let Some(v) = n.as_str() {
            p.dockerfile_target = Some(v.to_owned());
            p.origins.push(("dockerfile-target".into(), origin(n.span)));
        }
    }
    for e in node.get("images").map(|n| n.as_map()).unwrap_or_default() {
        if let (Some(image), Some(path)) = (e.key.as_str(), e.value.as_str()) {
            p.images.push((image.to_owned(), path.to_owned()));
            p.origins
                .push((format!("images.{image}"), origin(e.key.span)));
        }
    }
    if let Some(n) = node.get("php-version") {
        if let Some(v) = n.as_str() {
            let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
            p.php_version = Some((parts.next().unwrap_or(8), parts.next().unwrap_or(0)));
            p.origins.push(("php-version".into(), origin(n.span)));
        }
    }
    if let Some(n) = node.get("kubernetes-version") {
        let v = n.as_str().unwrap_or_default();
        match crate::model::k8s_versions::normalize_version(v) {
            Some(bundled) => {
                p.kubernetes_version = Some(bundled.to_owned());
                p.origins
                    .push(("kubernetes-version".into(), origin(n.span)));
            }
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
    if let Some(n) = node.get("profile") {
        p.profile = match n.as_str() {
            Some("development") => Some(ProfileWord::Development),
            Some("strict") => Some(ProfileWord::Strict),
            Some("production") => Some(ProfileWord::Production),
            _ => None,
        };
        p.origins.push(("profile".into(), origin(n.span)));
    }
    for e in node.get("platform").map(|n| n.as_map()).unwrap_or_default() {
        let Some(name) = e.key.as_str() else { continue };
        let Some(g) = platform::GUARANTEES.iter().find(|g| g.name == name) else {
            continue; // the schema lists the names
        };
        // `seccomp: RuntimeDefault` (or false), the others booleans.
        let on = e
            .value
            .as_bool()
            .unwrap_or_else(|| e.value.as_str().is_some());
        p.platform.push((g.name, on));
        p.origins
            .push((format!("platform.{name}"), origin(e.key.span)));
    }
    // `select:`/`ignore:` (overrides): code prefixes or names, expanded to rule levels.
    for (key, on) in [("select", true), ("ignore", false)] {
        for item in node.get(key).map(|n| n.as_seq()).unwrap_or_default() {
            let Some(word) = item.as_str() else { continue };
            let metas: Vec<&crate::catalog::RuleMeta> = catalog()
                .rules
                .iter()
                .filter(|m| {
                    word.eq_ignore_ascii_case("ALL")
                        || m.name == word
                        || m.code.len() >= word.len()
                            && m.code[..word.len()].eq_ignore_ascii_case(word)
                })
                .collect();
            if metas.is_empty() {
                if looks_custom(word) {
                    let level = (!on).then_some(Level::Off);
                    p.rules.push((
                        word.to_owned(),
                        RuleConfig {
                            level,
                            options: Value::Null,
                        },
                    ));
                    p.origins.push((format!("rules.{word}"), origin(item.span)));
                    continue;
                }
                errors.push(error(
                    item.span,
                    format!("{key}: `{word}` is no rule code, code prefix or name"),
                ));
                continue;
            }
            for m in metas {
                let level = if on {
                    Level::On(m.severity)
                } else {
                    Level::Off
                };
                p.rules.push((
                    m.code.to_owned(),
                    RuleConfig {
                        level: Some(level),
                        options: Value::Null,
                    },
                ));
                p.origins
                    .push((format!("rules.{}", m.code), origin(item.span)));
            }
        }
    }
    for e in node.get("rules").map(|n| n.as_map()).unwrap_or_default() {
        let Some(name) = e.key.as_str() else { continue };
        // A code or name, else another tool's name (`DL3019`): each rule it stands for.
        let metas = match catalog().find(name) {
            Some(meta) => vec![meta],
            None => catalog().by_foreign_name(name),
        };
        let level_node = if e.value.is_map() {
            e.value.get("severity")
        } else {
            Some(&e.value)
        };
        let options = e.value.get("options").map_or(Value::Null, |n| n.to_json());
        if metas.is_empty() && looks_custom(name) {
            // A custom rule's code (checked against the loaded rule files
            // by the caller, see `custom_rule_keys`).
            let level = level_node.and_then(|n| match n.as_bool() {
                Some(false) => Some(Level::Off),
                Some(true) => None,
                None => n.as_str().and_then(|s| match s {
                    "off" => Some(Level::Off),
                    other => Severity::from_name(other).map(Level::On),
                }),
            });
            p.rules
                .push((name.to_owned(), RuleConfig { level, options }));
            p.origins
                .push((format!("rules.{name}"), origin(e.key.span)));
            if depth0 {
                config.custom_rule_keys.push((name.to_owned(), e.key.span));
            }
            continue;
        }
        if metas.is_empty() {
            let names = catalog().rules.iter().flat_map(|r| [r.code, r.name]);
            let mut msg = format!("unknown rule `{name}`");
            if let Some(s) = crate::suggest::did_you_mean(name, names) {
                msg.push_str(&format!(": did you mean `{s}`?"));
            }
            errors.push(error(e.key.span, msg));
            continue;
        }
        for meta in metas {
            // YAML 1.1 reads a bare `off` as false: accept both spellings.
            let level = level_node.and_then(|n| match n.as_bool() {
                Some(false) => Some(Level::Off),
                Some(true) => Some(Level::On(meta.severity)),
                None => n.as_str().map(|s| match s {
                    "off" => Level::Off,
                    other => Level::On(Severity::from_name(other).unwrap_or(meta.severity)),
                }),
            });
            p.rules.push((
                meta.code.to_owned(),
                RuleConfig {
                    level,
                    options: options.clone(),
                },
            ));
            p.origins
                .push((format!("rules.{}", meta.code), origin(e.key.span)));
        }
    }
    p
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
    // (Lowercased only where a part has capitals: it runs for every file.)
    let parts: Vec<std::borrow::Cow<'_, str>> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            if p.bytes().any(|b| b.is_ascii_uppercase()) {
                std::borrow::Cow::Owned(p.to_ascii_lowercase())
            } else {
                std::borrow::Cow::Borrowed(p)
            }
        })
        .collect();
    let valid = |major: u32, minor: u32| matches!(major, 5 | 7 | 8) && minor <= 9;
    for (i, part) in parts.iter().enumerate().rev() {
        // `php7.4`, `php-7.4`, `php_7.4`, `php74`, `php-fpm-7.4` in the component.
        let mut rest: &str = part;
        while let Some(at) = rest.as_bytes().windows(3).position(|w| w == b"php") {
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
    // (Per word, without lowercasing the path: it runs for every file.)
    const WORDS: [&str; 7] = [
        "dev",
        "development",
        "devcontainer",
        "debug",
        "test",
        "tests",
        "testing",
    ];
    // (A byte loop: only words of the right length that start with `d` or
    // `t` are compared.)
    path.as_bytes()
        .split(|b| matches!(b, b'/' | b'\\' | b'.' | b'-' | b'_'))
        .filter(|w| (3..=12).contains(&w.len()) && matches!(w[0] | 0x20, b'd' | b't'))
        .any(|w| WORDS.iter().any(|k| w.eq_ignore_ascii_case(k.as_bytes())))
}

#[cfg(test)]
mod version_tests {
    use super::{is_development_path, php_version_in_path};

    #[test]
    fn development_paths_by_word() {
        for p in [
            "docker/php.development.ini",
            ".devcontainer/Dockerfile",
            "k8s/overlays/Development/deploy.yaml",
            "tests-suite/www.conf",
            "docker/DEBUG_php.ini",
            "C:\\app\\test\\php.ini",
        ] {
            assert!(is_development_path(p), "{p}");
        }
        for p in [
            "docker/php.production.ini",
            "conf.d/local.ini",
            "devops/php.ini",
            "latest/www.conf",
            "k8s/developmental/deploy.yaml",
        ] {
            assert!(!is_development_path(p), "{p}");
        }
    }

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

#[cfg(test)]
mod schema_tests {
    use crate::source::FileKind;

    /// `kinds:` in `.deploylint.yaml` is validated against the schema's
    /// enum: every kind deploylint knows must be accepted there.
    #[test]
    fn config_schema_accepts_every_file_kind() {
        let schema: serde_json::Value =
            serde_json::from_str(super::CONFIG_SCHEMA).expect("config schema parses");
        let kinds = schema
            .pointer("/properties/kinds/additionalProperties/enum")
            .and_then(|v| v.as_array())
            .expect("kinds enum");
        for k in FileKind::ALL {
            assert!(
                kinds.iter().any(|v| v.as_str() == Some(k.name())),
                "config schema lacks kind `{}`",
                k.name()
            );
        }
        assert_eq!(kinds.len(), FileKind::ALL.len());
    }
}
