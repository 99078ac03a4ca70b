//! Runs the rules: read and parse each file once, run its rules, files in
//! parallel; then the project rules over all files; then the filters (config
//! levels, --select/--ignore, inline suppressions), in that order.

mod session;
pub mod suppress;

pub use session::{Role, Session, SessionStats};

use crate::catalog::catalog;
use crate::config::{Config, Level, Settings};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::discover::{self, NameGuess};
use crate::parse::{self, Document, ParsedFile, codes};
use crate::project::FileFacts;
use crate::rules::{Context, Rule, builtin_rules};
use crate::source::{FileKind, ReadError, SourceFile, Span};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;

/// A file to lint: on disk, or text already in memory (stdin, editor buffer).
#[derive(Debug)]
pub struct Input {
    pub display: String,
    pub path: Option<PathBuf>,
    pub guess: NameGuess,
    pub text: Option<Result<String, (ReadError, String)>>,
}

impl From<discover::Candidate> for Input {
    fn from(c: discover::Candidate) -> Self {
        Input {
            display: c.display,
            path: Some(c.path),
            guess: c.guess,
            text: None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Only these rules (codes, names or code prefixes such as `K8S`).
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub jobs: Option<usize>,
    /// Audit: inline and annotation suppressions are not applied (their
    /// findings are reported).
    pub no_inline_ignores: bool,
    /// The run prints no file text, message, label or fingerprint (a
    /// `--quiet` human summary is all): the secret-masking pass, whose spans
    /// only the reporters read, is skipped. Rules' own masks are still kept.
    pub nothing_printed: bool,
}

pub struct LintResult {
    /// Every input, in path order; `source.kind` is `None` for skipped files.
    pub files: Vec<ParsedFile>,
    /// Sorted by path, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Spans never to print, per file (secrets).
    pub masks: HashMap<FileId, Vec<Span>>,
    /// By FileId: the file was loaded as workspace context, not reported on.
    pub context: Vec<bool>,
    /// Findings each `platform:` guarantee absorbed (not reported), by name.
    pub absorbed: Vec<(&'static str, usize)>,
    /// Findings of named files that a suppression silenced (not reported,
    /// not counted; SARIF lists them with their suppression).
    pub suppressed: Vec<Suppressed>,
}

/// A finding that was silenced, and by what.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub kind: SuppressionKind,
    /// Why (the suppression's reason, or what silenced it).
    pub justification: String,
}

/// SARIF's suppression kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuppressionKind {
    /// A comment or annotation in the file (`deploylint ignore=`, hadolint,
    /// Checkov skips).
    InSource,
    /// Outside the file: a baseline, or a `platform:` guarantee of the config.
    External,
}

impl LintResult {
    pub fn checked_files(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.source.kind.is_some() && !self.is_context(f.id))
            .count()
    }

    pub fn is_context(&self, id: FileId) -> bool {
        self.context.get(id).copied().unwrap_or(false)
    }
}

/// The rules a run uses, after config and command-line selection.
pub struct RuleSet {
    rules: Vec<Box<dyn Rule>>,
    /// Which rules are on, per distinct file settings (files share an `Arc`
    /// per config and matched overrides): decided once per settings, not
    /// once per file and rule.
    enabled: std::sync::Mutex<Vec<EnabledFor>>,
}

/// A file settings and, per rule of the set, whether it is on.
type EnabledFor = (Arc<Settings>, Arc<[bool]>);

impl RuleSet {
    pub fn new(config: &Config, opts: &LintOptions) -> Self {
        let rules = builtin_rules()
            .into_iter()
            .filter(|r| is_enabled_anywhere(r.code(), config, opts))
            .collect();
        RuleSet {
            rules,
            enabled: Default::default(),
        }
    }

    /// Adds a rule (a custom one) after the built-in ones.
    fn push(&mut self, rule: Box<dyn Rule>) {
        self.rules.push(rule);
        if let Ok(mut cache) = self.enabled.lock() {
            cache.clear();
        }
    }

    /// For each rule (by index), whether it is on for files with `settings`.
    fn enabled_for(&self, settings: &Arc<Settings>, opts: &LintOptions) -> Arc<[bool]> {
        let compute = || -> Arc<[bool]> {
            self.rules
                .iter()
                .map(|r| is_enabled(r.code(), settings, opts))
                .collect()
        };
        let Ok(mut cache) = self.enabled.lock() else {
            return compute();
        };
        if let Some((_, on)) = cache.iter().find(|(s, _)| Arc::ptr_eq(s, settings)) {
            return Arc::clone(on);
        }
        let on = compute();
        cache.push((Arc::clone(settings), Arc::clone(&on)));
        on
    }

    pub fn codes(&self) -> Vec<&'static str> {
        self.rules.iter().map(|r| r.code()).collect()
    }
}

fn selector_matches(selector: &str, code: &str) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || code.len() >= selector.len() && code[..selector.len()].eq_ignore_ascii_case(selector)
        || catalog().get(code).is_some_and(|m| m.name == selector)
}

/// Whether some file of the run may have `code` on: the root settings, an
/// `overrides:` entry or a nested config turns it on.
fn is_enabled_anywhere(code: &str, config: &Config, opts: &LintOptions) -> bool {
    is_enabled(code, &config.settings, opts)
        || config
            .nested
            .iter()
            .any(|n| is_enabled(code, &n.settings, opts))
        || (config.may_enable(code)
            && !opts.ignore.iter().any(|s| selector_matches(s, code))
            && (opts.select.is_empty() || opts.select.iter().any(|s| selector_matches(s, code))))
}

/// Read and parse errors (`E...`) are always reported unless ignored by code.
fn is_enabled(code: &str, settings: &Settings, opts: &LintOptions) -> bool {
    if opts.ignore.iter().any(|s| selector_matches(s, code)) {
        return false;
    }
    if code.starts_with('E') {
        return true;
    }
    let config_level = settings.level(code);
    if !opts.select.is_empty() {
        // The most specific word wins: `--select K8S` keeps a rule the config
        // turned off, off; `--select K8S001` turns it on for this run.
        let named = |s: &String| {
            s.eq_ignore_ascii_case(code) || catalog().get(code).is_some_and(|m| m.name == *s)
        };
        return opts.select.iter().any(named)
            || (config_level != Some(Level::Off)
                && opts.select.iter().any(|s| selector_matches(s, code)));
    }
    match config_level {
        Some(Level::Off) => false,
        Some(Level::On(_)) => true,
        // `profile: strict` turns the opt-in rules on too (not the removed ones).
        None => catalog()
            .get(code)
            .is_none_or(|m| m.enabled || (settings.strict && m.status != "removed")),
    }
}

/// Frees `value` on another thread (freeing the facts of a large run takes
/// a while, and the caller has other work); inline when no thread starts.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    // When no thread starts, the closure and the value in it are dropped
    // here, inline.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

pub fn lint(inputs: Vec<Input>, config: &Config, opts: &LintOptions) -> LintResult {
    let mut session = Session::new(config.clone(), opts.clone());
    for input in inputs {
        session.add(input, Role::Named);
    }
    session.into_result()
}

struct FileOutcome {
    file: ParsedFile,
    facts: FileFacts,
    diagnostics: Vec<Diagnostic>,
    masks: Vec<(FileId, Span)>,
    /// The file's resolved settings (nearest config, overrides, command line).
    settings: Arc<Settings>,
}

/// Reads, parses and (for reported files) runs the file rules of one file.
fn lint_file(
    id: FileId,
    input: Input,
    config: &Config,
    rules: &RuleSet,
    opts: &LintOptions,
    run_rules: bool,
    php_version: Option<(u32, u32)>,
) -> FileOutcome {
    let text = match input.text {
        Some(t) => t,
        None => match &input.path {
            Some(p) => crate::source::read_text(p, config.max_file_size),
            None => Ok(String::new()),
        },
    };
    let (text, read_error) = match text {
        Ok(t) => (t, None),
        Err((e, prefix)) => (prefix, Some(e)),
    };
    let path = input
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(&input.display));
    let kind = match read_error {
        // An unreadable file is reported when its name claims it is ours.
        Some(_) => Some(match input.guess {
            NameGuess::Kind(k) => k,
            NameGuess::Yaml => FileKind::Kubernetes,
            NameGuess::Conf => FileKind::PhpFpm,
            NameGuess::Ini => FileKind::PhpIni,
        }),
        None => discover::detect(input.guess, &path, &text),
    };
    let source = SourceFile::new(input.display, kind, text);
    let file_settings = config.settings_for(&path);
    let mut diagnostics = Vec::new();
    let mut masks = Vec::new();

    let document = match (kind, read_error) {
        (None, _) => Document::Unparsed,
        (Some(_), Some(e)) => {
            let at = e.offset();
            let end = crate::source::clamp_to_char_boundary(&source.text, at + 1);
            diagnostics.push(
                Diagnostic::new(codes::UNREADABLE, Severity::Error, id, Span::new(at, end.max(at)), e.to_string())
                    .with_help("Save the file as UTF-8 text, raise `max-file-size` in .deploylint.yaml, or exclude it"),
            );
            Document::Unparsed
        }
        (Some(kind), None) => {
            match std::panic::catch_unwind(AssertUnwindSafe(|| parse::parse(&source, kind, id))) {
                Ok((doc, parse_diags)) => {
                    diagnostics.extend(parse_diags);
                    doc
                }
                Err(_) => {
                    diagnostics.push(internal_error(&format!("the {kind} parser"), id));
                    Document::Unparsed
                }
            }
        }
    };
    let mut file = ParsedFile {
        id,
        source,
        document,
    };
    // Facts first: file rules read them too.
    let facts = match std::panic::catch_unwind(AssertUnwindSafe(|| {
        crate::project::facts::extract(&file, &file_settings)
    })) {
        Ok(f) => f,
        Err(_) => {
            diagnostics.push(internal_error("fact extraction", id));
            FileFacts::None
        }
    };
    if kind.is_some() && !opts.nothing_printed {
        // Secrets are masked whatever rules run, and in context files too
        // (their snippets can appear as related locations).
        match std::panic::catch_unwind(AssertUnwindSafe(|| {
            crate::secrets::detect(&file.source, &file.document)
        })) {
            Ok(spans) => masks.extend(spans.into_iter().map(|s| (id, s))),
            Err(_) => diagnostics.push(internal_error("secret detection", id)),
        }
    }
    if let (Some(kind), true) = (kind, run_rules) {
        // A php.ini or pool file is judged for the PHP version of the image
        // that copies it (`php_version`, from the graph), else the one its path
        // names (`php7.4.ini`, `etc/php84/`, `8.2/conf.d/`); one whose path says
        // development or tests (`php.development.ini`, `.devcontainer/`) with
        // the development profile.
        let php_file = matches!(kind, FileKind::PhpIni | FileKind::PhpFpm);
        let version = php_file
            .then(|| php_version.or_else(|| crate::config::php_version_in_path(&file.source.path)))
            .flatten()
            .filter(|v| *v != file_settings.php_version);
        let development = php_file
            && file_settings.profile == crate::config::Profile::Production
            && !file_settings.strict
            && crate::config::is_development_path(&file.source.path);
        let versioned = (version.is_some() || development).then(|| {
            let mut s = Settings::clone(&file_settings);
            if let Some(v) = version {
                s.php_version = v;
            }
            if development {
                s.profile = crate::config::Profile::Development;
                s.development_file = true;
            }
            s
        });
        let settings = versioned.as_ref().unwrap_or(&*file_settings);
        let on = rules.enabled_for(&file_settings, opts);
        for (rule, _) in rules
            .rules
            .iter()
            .zip(on.iter())
            .filter(|(r, on)| **on && r.kinds().contains(&kind))
        {
            let mut ctx = Context::new(rule.code(), id, settings).with_facts(&facts);
            let ok =
                std::panic::catch_unwind(AssertUnwindSafe(|| rule.check_file(&file, &mut ctx)));
            let (d, m) = ctx.into_parts();
            if ok.is_err() {
                diagnostics.push(internal_error(&format!("rule {}", rule.code()), id));
            } else {
                diagnostics.extend(d);
            }
            masks.extend(m);
        }
    } else if kind.is_none() {
        // Not ours: keep no text around.
        file.source.text = String::new();
    }
    FileOutcome {
        file,
        facts,
        diagnostics,
        masks,
        settings: file_settings,
    }
}

fn internal_error(code: &str, file: FileId) -> Diagnostic {
    Diagnostic::new(
        codes::INTERNAL,
        Severity::Error,
        file,
        Span::at(0),
        format!("internal error: {code} crashed on this file; its findings are missing"),
    )
    .with_help("Please report this with the file (or a reduced copy) attached")
}

pub const SUPPRESSION_WITHOUT_REASON: &str = "S001";
