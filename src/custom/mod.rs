//! Custom rules: rule files (`*.yaml`) in the directories `custom-rules:`
//! names (default `.deploylint/rules/`), in the catalog's format plus a
//! `target` and a check: `schema:` (JSON Schema, compiled once per run) or
//! `script:` / `script-file:` (Rhai, sandboxed, compiled once per run).
//!
//! Every value a check sees is a located [`tree::Tree`], so findings land on
//! the exact span (a missing field on its nearest existing parent). Errors in
//! a rule file are located errors in that file (the CLI exits 2); a script
//! that fails at run time gives one finding on the rule file and the run
//! goes on.

pub mod keywords;
pub mod script;
pub mod tree;
pub mod views;

use crate::catalog::reflow;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::parse::yaml;
use crate::project::{FileFacts, ParsedFile, Project};
use crate::rules::{Context, Rule};
use crate::source::{FileKind, SourceFile, Span};
use jsonschema::error::ValidationErrorKind;
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tree::{Tree, parse_path, pointer_segments};
use views::{Target, View};

/// A rule file that cannot be used (exit 2).
pub const RULE_FILE_ERROR: &str = "E008";
/// A custom rule's script failed at run time.
pub const RULE_FAILED: &str = "E009";

/// Code prefixes of built-in rules; a custom code may not start with one
/// (so `--select X` or `ignore=E` never catch a custom rule).
pub const BUILTIN_PREFIXES: [&str; 9] = ["DF", "FPM", "INI", "OCT", "K8S", "DC", "X", "E", "S"];

pub const DEFAULT_DIR: &str = ".deploylint/rules";

const RULE_FILE_SCHEMA: &str = r#"{
  "type": "object",
  "required": ["code", "name", "title", "severity", "target", "rationale", "remediation"],
  "additionalProperties": false,
  "properties": {
    "code": {"type": "string", "pattern": "^[A-Z][A-Z0-9]*[0-9]+$"},
    "name": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
    "title": {"type": "string", "minLength": 1},
    "format": {"type": "string"},
    "category": {"type": "string"},
    "severity": {"enum": ["info", "warning", "error"]},
    "status": {"type": "string"},
    "enabled": {"type": "boolean"},
    "rationale": {"type": "string"},
    "remediation": {"type": "string"},
    "references": {"type": "array", "items": {"type": "string"}},
    "since": {"type": "string"},
    "target": {"enum": ["kubernetes-object", "kubernetes", "container", "dockerfile", "dockerfile-stage",
                        "dockerfile-instruction", "php-fpm-pool", "php-ini", "deployment"]},
    "kinds": {"type": "array", "items": {"type": "string"}},
    "message": {"type": "string"},
    "schema": {"type": ["object", "boolean"]},
    "script": {"type": "string", "minLength": 1},
    "script-file": {"type": "string", "minLength": 1},
    "examples": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "filename": {"type": "string"},
        "bad": {"type": "string"},
        "good": {"type": "string"}
      }
    }
  }
}"#;

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RuleFile {
    code: String,
    name: String,
    title: String,
    severity: Severity,
    #[serde(default = "yes")]
    enabled: bool,
    rationale: String,
    remediation: String,
    target: String,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    schema: Option<Value>,
    #[serde(default)]
    script: Option<String>,
    #[serde(default)]
    script_file: Option<String>,
    #[serde(default)]
    examples: Examples,
    #[serde(flatten)]
    _rest: serde_json::Map<String, Value>,
}

fn yes() -> bool {
    true
}

enum Check {
    Schema(Box<jsonschema::Validator>),
    Script(Box<rhai::AST>),
}

/// Where a script's lines are in its file: for error positions.
struct ScriptPlace {
    /// Index into [`CustomRules::sources`].
    source: usize,
    /// Byte offset of each script line's first character.
    line_starts: Vec<usize>,
    /// The `script:` key (or the whole script file).
    fallback: Span,
}

#[derive(Default)]
struct Failures {
    first: Option<(script::ScriptError, String)>,
    count: usize,
}

/// A custom rule's examples (the catalog's `Examples`, owned: read from the
/// rule file at run time).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// File name the examples are linted as (defaults from `target`).
    #[serde(default)]
    pub filename: Option<String>,
    #[serde(default)]
    pub bad: Option<String>,
    #[serde(default)]
    pub good: Option<String>,
}

pub struct CustomRule {
    pub code: &'static str,
    pub name: String,
    pub title: String,
    pub severity: Severity,
    pub enabled: bool,
    pub rationale: String,
    pub help: String,
    pub target: Target,
    pub kinds: Vec<String>,
    pub examples: Examples,
    /// The rule file, as shown.
    pub path: String,
    message: Option<String>,
    check: Check,
    /// Index into [`CustomRules::sources`] of the rule file.
    source: usize,
    /// The `code:` value in the rule file.
    code_span: Span,
    script_place: Option<ScriptPlace>,
    failures: Mutex<Failures>,
}

/// The custom rules of a run, with one shared script engine.
pub struct CustomRules {
    pub rules: Vec<Arc<CustomRule>>,
    engine: Arc<rhai::Engine>,
    /// Rule files and script files (for locating their errors).
    pub sources: Vec<SourceFile>,
}

impl std::fmt::Debug for CustomRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomRules")
            .field(
                "rules",
                &self.rules.iter().map(|r| r.code).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Located errors in rule files: `diagnostics[i].file` indexes `files`.
#[derive(Debug)]
pub struct LoadError {
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// The first error as `file:line:column: message` (and how many more), for
    /// places that show one line (an editor's message).
    pub fn summary(&self) -> String {
        let Some(d) = self.diagnostics.first() else {
            return "unknown error".to_owned();
        };
        let place = self.files.get(d.file).map_or_else(String::new, |f| {
            let p = f.position(d.span.start);
            format!("{}:{}:{}: ", f.path, p.line, p.column)
        });
        let more = match self.diagnostics.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        format!("{place}{}{more}", d.message)
    }

    /// Errors located in the configuration file (`.deploylint.yaml`), file 0.
    fn in_config(config: &crate::config::Config, diagnostics: Vec<Diagnostic>) -> LoadError {
        let path = config.path.as_ref().map_or_else(
            || ".deploylint.yaml".to_owned(),
            |p| p.display().to_string(),
        );
        let text = config
            .path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        LoadError {
            files: vec![SourceFile::new(path, None, text)],
            diagnostics,
        }
    }
}

fn error(file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(RULE_FILE_ERROR, Severity::Error, file, span, message).with_help(
        "Fix the rule file; see the README section \"Custom rules\" for the format, and `deploylint test-rules` to run its examples",
    )
}

impl CustomRules {
    pub fn empty() -> CustomRules {
        CustomRules {
            rules: Vec::new(),
            engine: Arc::new(script::idle_engine()),
            sources: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The directories of the config's `custom-rules:` (or the default one
    /// when it exists), loaded.
    pub fn load(config: &Config) -> Result<CustomRules, LoadError> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        let mut missing = Vec::new();
        for (dir, span) in &config.custom_rules {
            if dir.is_dir() {
                dirs.push(dir.clone());
            } else {
                missing.push((dir.clone(), *span));
            }
        }
        if config.custom_rules.is_empty() {
            let default = config.root.join(DEFAULT_DIR);
            if default.is_dir() {
                dirs.push(default);
            }
        }
        if !missing.is_empty() {
            return Err(LoadError::in_config(
                config,
                missing
                    .into_iter()
                    .map(|(d, span)| {
                        error(
                            0,
                            span,
                            format!("custom-rules: directory `{}` not found", d.display()),
                        )
                    })
                    .collect(),
            ));
        }
        let rules = Self::load_dirs(&dirs)?;
        // `rules: {ACME001: off}` in the config must name a loaded rule.
        let unknown: Vec<&(String, Span)> = config
            .custom_rule_keys
            .iter()
            .filter(|(code, _)| rules.find(code).is_none())
            .collect();
        if !unknown.is_empty() {
            return Err(LoadError::in_config(
                config,
                unknown
                    .into_iter()
                    .map(|(code, span)| {
                        error(
                            0,
                            *span,
                            format!(
                                "unknown rule `{code}`: no built-in or custom rule has this code"
                            ),
                        )
                    })
                    .collect(),
            ));
        }
        Ok(rules)
    }

    /// Loads every `*.yaml`/`*.yml` file directly in each directory (a
    /// `tests/` directory beside them holds test cases, not rules).
    pub fn load_dirs(dirs: &[PathBuf]) -> Result<CustomRules, LoadError> {
        let mut files = Vec::new();
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut list: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            list.sort();
            files.extend(list);
        }
        let mut texts = Vec::new();
        for p in files {
            let text = match crate::source::read_text(&p, crate::config::DEFAULT_MAX_FILE_SIZE) {
                Ok(t) => t,
                Err((e, prefix)) => {
                    let display = p.display().to_string();
                    let at = e.offset();
                    return Err(LoadError {
                        files: vec![SourceFile::new(display, None, prefix)],
                        diagnostics: vec![error(0, Span::at(at), e.to_string())],
                    });
                }
            };
            texts.push((p, text));
        }
        Self::from_texts(texts)
    }

    /// Rule files given as (path, text); `script-file:` paths are read
    /// relative to each rule file.
    pub fn from_texts(texts: Vec<(PathBuf, String)>) -> Result<CustomRules, LoadError> {
        let engine = if texts.is_empty() {
            script::idle_engine()
        } else {
            script::engine()
        };
        let mut out = CustomRules {
            rules: Vec::new(),
            engine: Arc::new(engine),
            sources: Vec::new(),
        };
        let mut diagnostics = Vec::new();
        for (path, text) in texts {
            let id = out.sources.len();
            out.sources
                .push(SourceFile::new(path.display().to_string(), None, text));
            match out.load_one(id, &path) {
                Ok(rule) => {
                    if let Some(other) = out.rules.iter().find(|r| r.code == rule.code) {
                        diagnostics.push(error(
                            id,
                            rule.code_span,
                            format!("code `{}` is already used by {}", rule.code, other.path),
                        ));
                    } else {
                        out.rules.push(Arc::new(rule));
                    }
                }
                Err(mut d) => diagnostics.append(&mut d),
            }
        }
        if diagnostics.is_empty() {
            Ok(out)
        } else {
            Err(LoadError {
                files: out.sources,
                diagnostics,
            })
        }
    }

    fn load_one(&mut self, id: usize, path: &Path) -> Result<CustomRule, Vec<Diagnostic>> {
        let source = &self.sources[id];
        let file = yaml::parse(&source.text);
        if !file.errors.is_empty() {
            return Err(file
                .errors
                .iter()
                .map(|e| error(id, e.span, e.message.clone()))
                .collect());
        }
        let Some(doc) = file.documents.first() else {
            return Err(vec![error(id, Span::at(0), "empty rule file")]);
        };
        let node = &doc.root;
        let value = node.to_json();
        let schema: Value = serde_json::from_str(RULE_FILE_SCHEMA)
            .map_err(|e| vec![error(id, Span::at(0), e.to_string())])?;
        // Draft 7: the same meaning for these keywords, and a far cheaper
        // meta-schema check than 2020-12's (see `config::validate`).
        let validator = crate::schema::compile_as(&schema, jsonschema::Draft::Draft7)
            .map_err(|e| vec![error(id, Span::at(0), e)])?;
        let issues = crate::schema::validate(&validator, &schema, node, &value);
        if !issues.is_empty() {
            return Err(issues
                .into_iter()
                .map(|i| error(id, i.span, format!("invalid rule file: {}", i.message)))
                .collect());
        }
        let raw: RuleFile = serde_json::from_value(value)
            .map_err(|e| vec![error(id, node.span, format!("invalid rule file: {e}"))])?;
        let span_of = |key: &str| node.entry(key).map_or(Span::at(0), |e| e.key.span);
        let code_span = node.get("code").map_or(Span::at(0), |n| n.span);
        if let Some(p) = BUILTIN_PREFIXES.iter().find(|p| raw.code.starts_with(**p)) {
            return Err(vec![error(
                id,
                code_span,
                format!(
                    "code `{}` starts with the built-in prefix `{p}`: pick your own prefix (e.g. `ACME001`); built-in prefixes are {}",
                    raw.code,
                    BUILTIN_PREFIXES.join(", ")
                ),
            )]);
        }
        if crate::catalog::catalog().find(&raw.name).is_some() {
            return Err(vec![error(
                id,
                node.get("name").map_or(Span::at(0), |n| n.span),
                format!("name `{}` is a built-in rule's name", raw.name),
            )]);
        }
        let Some(target) = Target::from_name(&raw.target) else {
            return Err(vec![error(id, span_of("target"), "unknown target")]);
        };
        let mut script_place = None;
        let check = match (&raw.schema, &raw.script, &raw.script_file) {
            (Some(schema), None, None) => match keywords::options().build(schema) {
                Ok(v) => Check::Schema(Box::new(v)),
                Err(e) => {
                    let at = node
                        .get("schema")
                        .map(|s| s.locate(e.instance_path().as_str()).1.span)
                        .unwrap_or_else(|| span_of("schema"));
                    return Err(vec![error(id, at, format!("invalid schema: {e}"))]);
                }
            },
            (None, Some(text), None) => {
                let entry = node.entry("script");
                let value_span = entry.map_or(Span::at(0), |e| e.value.span);
                let place = ScriptPlace {
                    source: id,
                    line_starts: script_lines(&source.text, value_span.start, text),
                    fallback: span_of("script"),
                };
                let ast = self.compile_script(text, &place)?;
                script_place = Some(place);
                Check::Script(Box::new(ast))
            }
            (None, None, Some(rel)) => {
                let p = path.parent().unwrap_or(Path::new(".")).join(rel);
                let Ok(text) = std::fs::read_to_string(&p) else {
                    return Err(vec![error(
                        id,
                        node.get("script-file").map_or(Span::at(0), |n| n.span),
                        format!("cannot read script file `{}`", p.display()),
                    )]);
                };
                let sid = self.sources.len();
                let line_starts = script_lines(&text, 0, &text);
                let fallback = Span::new(0, text.lines().next().map_or(0, str::len));
                self.sources
                    .push(SourceFile::new(p.display().to_string(), None, text.clone()));
                let place = ScriptPlace {
                    source: sid,
                    line_starts,
                    fallback,
                };
                let ast = self.compile_script(&text, &place)?;
                script_place = Some(place);
                Check::Script(Box::new(ast))
            }
            _ => {
                return Err(vec![error(
                    id,
                    span_of("code"),
                    "a rule needs exactly one check: `schema:`, `script:` or `script-file:`",
                )]);
            }
        };
        Ok(CustomRule {
            code: Box::leak(raw.code.clone().into_boxed_str()),
            name: raw.name,
            title: raw.title,
            severity: raw.severity,
            enabled: raw.enabled,
            rationale: raw.rationale,
            help: reflow(&raw.remediation),
            target,
            kinds: raw.kinds,
            examples: raw.examples,
            path: self.sources[id].path.clone(),
            message: raw.message,
            check,
            source: id,
            code_span,
            script_place,
            failures: Mutex::new(Failures::default()),
        })
    }

    fn compile_script(
        &self,
        text: &str,
        place: &ScriptPlace,
    ) -> Result<rhai::AST, Vec<Diagnostic>> {
        script::compile(&self.engine, text).map_err(|e| {
            vec![error(
                place.source,
                place.locate(e.position),
                format!("script does not compile: {}", e.message),
            )]
        })
    }

    /// One [`Rule`] per custom rule, for the engine.
    pub fn rules(&self) -> Vec<Box<dyn Rule>> {
        self.rules
            .iter()
            .filter(|r| r.enabled)
            .map(|r| {
                Box::new(Runner {
                    rule: r.clone(),
                    engine: self.engine.clone(),
                }) as Box<dyn Rule>
            })
            .collect()
    }

    /// Whether `code` is a custom rule's code or name.
    pub fn find(&self, code_or_name: &str) -> Option<&CustomRule> {
        self.rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
            .map(|r| &**r)
    }

    /// One finding per rule whose script failed during the run, located in
    /// the rule (or script) file: `diagnostics[i].file` is `first_id` plus
    /// the index into the returned files. Clears the failures.
    pub fn take_failures(&self, first_id: FileId) -> (Vec<SourceFile>, Vec<Diagnostic>) {
        let mut files: Vec<SourceFile> = Vec::new();
        let mut used: Vec<usize> = Vec::new();
        let mut out = Vec::new();
        for r in &self.rules {
            let Ok(mut f) = r.failures.lock() else {
                continue;
            };
            let Some((err, at)) = f.first.take() else {
                continue;
            };
            let count = std::mem::take(&mut f.count);
            let (src, span) = match &r.script_place {
                Some(p) => (p.source, p.locate(err.position)),
                None => (r.source, r.code_span),
            };
            let slot = match used.iter().position(|&s| s == src) {
                Some(i) => i,
                None => {
                    used.push(src);
                    let s = &self.sources[src];
                    files.push(SourceFile::new(s.path.clone(), None, s.text.clone()));
                    used.len() - 1
                }
            };
            let more = if count > 1 {
                format!(" (and {} other target(s))", count - 1)
            } else {
                String::new()
            };
            out.push(
                Diagnostic::new(
                    RULE_FAILED,
                    Severity::Error,
                    first_id + slot,
                    span,
                    format!(
                        "custom rule {} failed on {at}{more}: {}; its findings there are missing",
                        r.code, err.message
                    ),
                )
                .with_help("Fix the script (it runs in a sandbox with limits on operations, call depth and value sizes); `deploylint test-rules` runs its examples"),
            );
        }
        (files, out)
    }
}

impl ScriptPlace {
    fn locate(&self, position: Option<(usize, usize)>) -> Span {
        match position.and_then(|(l, c)| Some((self.line_starts.get(l.checked_sub(1)?)?, c))) {
            Some((start, col)) => {
                let at = start + col.saturating_sub(1);
                Span::new(at, at + 1)
            }
            None => self.fallback,
        }
    }
}

/// The offset in `file` of each line of `script`, whose text starts at or
/// after `from` (a block scalar's content is indented in the file).
fn script_lines(file: &str, from: usize, script: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = from.min(file.len());
    for line in script.lines() {
        let t = line.trim();
        if t.is_empty() {
            // Empty lines: the next line start.
            let next = file[at..].find('\n').map_or(file.len(), |i| at + i + 1);
            out.push(at);
            at = next;
            continue;
        }
        match file[at..].find(t) {
            Some(i) => {
                let start = at + i;
                // Column 1 of the script line is where its indentation-stripped text starts.
                let lead = line.len() - line.trim_start().len();
                out.push(start.saturating_sub(lead));
                at = file[start..]
                    .find('\n')
                    .map_or(file.len(), |j| start + j + 1);
            }
            None => out.push(at),
        }
    }
    out
}

struct Runner {
    rule: Arc<CustomRule>,
    engine: Arc<rhai::Engine>,
}

const DEPLOYMENT_DOCUMENTS: [FileKind; 4] = [
    FileKind::Kubernetes,
    FileKind::PhpFpm,
    FileKind::PhpIni,
    FileKind::Dockerfile,
];

impl Rule for Runner {
    fn code(&self) -> &'static str {
        self.rule.code
    }

    fn kinds(&self) -> &'static [FileKind] {
        self.rule.target.kinds()
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let facts: &FileFacts = ctx.facts;
        for v in views::file_views(self.rule.target, file, facts) {
            self.check_view(&v, ctx, &file.source);
        }
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        if self.rule.target != Target::Deployment {
            return;
        }
        for v in views::deployment_views(project) {
            let Some(f) = project.file(v.tree.file) else {
                continue;
            };
            self.check_view(&v, ctx, &f.source);
        }
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        match self.rule.target {
            Target::Deployment => &FileKind::ALL,
            _ => &[],
        }
    }

    fn project_documents(&self) -> &'static [FileKind] {
        match self.rule.target {
            Target::Deployment => &DEPLOYMENT_DOCUMENTS,
            _ => &[],
        }
    }
}

impl Runner {
    fn check_view(&self, v: &View, ctx: &mut Context, source: &SourceFile) {
        let r = &self.rule;
        if !r.kinds.is_empty() && !v.kind.as_ref().is_some_and(|k| r.kinds.contains(k)) {
            return;
        }
        match &r.check {
            Check::Schema(validator) => {
                for (node, message) in schema_findings(validator, &v.tree) {
                    let lead = r.message.as_deref().unwrap_or(&r.title);
                    self.report(ctx, node.0, node.1, format!("{lead}: {message}"), None);
                }
            }
            Check::Script(ast) => {
                let scope = v.scope.iter().map(|(k, t)| (*k, t.to_dynamic())).collect();
                match script::run(&self.engine, ast, v.tree.to_dynamic(), scope) {
                    Ok(reports) => {
                        for rep in reports {
                            let (file, span) = locate_report(v, &rep.path);
                            self.report(ctx, file, span, rep.message, rep.hint);
                        }
                    }
                    Err(e) => {
                        let line = format!(
                            "{}:{}",
                            source.path,
                            source.position(v.tree.anchor.start).line
                        );
                        if let Ok(mut f) = r.failures.lock() {
                            f.count += 1;
                            if f.first.is_none() {
                                f.first = Some((e, line));
                            }
                        }
                    }
                }
            }
        }
    }

    fn report(
        &self,
        ctx: &mut Context,
        file: FileId,
        span: Span,
        message: String,
        hint: Option<String>,
    ) {
        let r = &self.rule;
        let d = ctx.report_in(file, span, message);
        d.severity(r.severity);
        d.hint(hint.unwrap_or_else(|| r.help.clone()));
    }
}

/// Where a script's `report(path, ...)` points: `$pod.x` and `$object.x`
/// address the other values in scope.
fn locate_report(v: &View, path: &str) -> (FileId, Span) {
    let (root, rest) = match path.strip_prefix('$') {
        Some(p) => {
            let (name, rest) = p.split_at(p.find(['.', '/', '[']).unwrap_or(p.len()));
            match v.scope.iter().find(|(k, _)| *k == name) {
                Some((_, t)) => (t, rest.trim_start_matches('.')),
                None => (&v.tree, ""),
            }
        }
        None => (&v.tree, path),
    };
    let found = root.locate(&parse_path(rest));
    (found.node.file, point(found.node, found.missing.is_none()))
}

/// A value's own span for a scalar found exactly; else its anchor (a key,
/// or the first entry), never the start of the file.
fn point(node: &Tree, exact: bool) -> Span {
    use tree::TValue::*;
    match (&node.value, exact) {
        (Str(_) | Int(_) | Float(_) | Bool(_), true) if !node.span.is_empty() => node.span,
        _ => node.anchor,
    }
}

/// JSON Schema errors over a tree, each at its instance path.
fn schema_findings(
    validator: &jsonschema::Validator,
    tree: &Tree,
) -> Vec<((FileId, Span), String)> {
    let json = tree.to_json();
    let mut out = Vec::new();
    for e in validator.iter_errors(&json) {
        let pointer = e.instance_path().as_str().to_owned();
        let found = tree.locate(&pointer_segments(&pointer));
        let at = crate::schema::dotted(&pointer);
        let place = |s: &str| {
            if at.is_empty() {
                s.to_owned()
            } else {
                format!("{s} in `{at}`")
            }
        };
        match e.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                out.push((
                    (found.node.file, found.node.anchor),
                    place(&format!("missing `{name}`")),
                ));
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    let child = found.node.get(name).unwrap_or(found.node);
                    out.push((
                        (child.file, child.anchor),
                        place(&format!("unexpected `{name}`")),
                    ));
                }
            }
            _ => {
                let detail = e.masked().to_string();
                let msg = if at.is_empty() {
                    detail
                } else {
                    format!("`{at}`: {detail}")
                };
                out.push(((found.node.file, point(found.node, true)), msg));
            }
        }
    }
    out
}

/// Runs one rule's check over in-memory files (for `test-rules`); the
/// caller lints them with only this rule selected.
pub fn example_filename(rule: &CustomRule) -> String {
    rule.examples
        .filename
        .clone()
        .unwrap_or_else(|| rule.target.example_filename().to_owned())
}

#[cfg(test)]
mod tests {
    /// The rule-file and config schemas are compiled as draft 7 (see
    /// `load_one` and `config::validate`).
    #[test]
    fn bundled_schemas_mean_the_same_under_draft7() {
        for (name, text) in [
            ("rule-file schema", super::RULE_FILE_SCHEMA),
            ("config.schema.json", crate::config::CONFIG_SCHEMA),
        ] {
            let schema: serde_json::Value = serde_json::from_str(text).expect("schema parses");
            crate::schema::assert_same_under_draft7(&schema, name);
        }
        // And the check can fail.
        let sibling = serde_json::json!({"properties": {"a": {"$ref": "#/x", "minLength": 1}}});
        let caught = std::panic::catch_unwind(|| {
            crate::schema::assert_same_under_draft7(&sibling, "test");
        });
        assert!(caught.is_err());
    }
}
