//! Runs the rules: read and parse each file once, run its rules, files in
//! parallel; then the project rules over all files; then the filters (config
//! levels, --select/--ignore, inline suppressions), in that order.

pub mod suppress;

use crate::catalog::catalog;
use crate::config::{Config, Level};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::discover::{self, NameGuess};
use crate::parse::{self, Document, codes};
use crate::rules::{Context, Rule, builtin_rules};
use crate::source::{FileKind, ReadError, SourceFile, Span};
use rayon::prelude::*;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

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

/// A file after parsing, as rules see it.
#[derive(Debug)]
pub struct ParsedFile {
    pub id: FileId,
    pub source: SourceFile,
    pub document: Document,
}

impl ParsedFile {
    pub fn kind(&self) -> Option<FileKind> {
        self.source.kind
    }
}

/// All files of the run, for rules that relate them.
pub struct Project<'a> {
    pub files: &'a [ParsedFile],
}

impl Project<'_> {
    pub fn of_kind(&self, kind: FileKind) -> impl Iterator<Item = &ParsedFile> {
        self.files.iter().filter(move |f| f.kind() == Some(kind))
    }
}

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Only these rules (codes, names or code prefixes such as `K8S`).
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub jobs: Option<usize>,
}

pub struct LintResult {
    /// Every input, in path order; `source.kind` is `None` for skipped files.
    pub files: Vec<ParsedFile>,
    /// Sorted by path, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Spans never to print, per file (secrets).
    pub masks: HashMap<FileId, Vec<Span>>,
}

impl LintResult {
    pub fn checked_files(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.source.kind.is_some())
            .count()
    }
}

/// The rules a run uses, after config and command-line selection.
pub struct RuleSet {
    rules: Vec<Box<dyn Rule>>,
}

impl RuleSet {
    pub fn new(config: &Config, opts: &LintOptions) -> Self {
        let rules = builtin_rules()
            .into_iter()
            .filter(|r| is_enabled(r.code(), config, opts))
            .collect();
        RuleSet { rules }
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

/// Read and parse errors (`E...`) are always reported unless ignored by code.
fn is_enabled(code: &str, config: &Config, opts: &LintOptions) -> bool {
    if opts.ignore.iter().any(|s| selector_matches(s, code)) {
        return false;
    }
    if code.starts_with('E') {
        return true;
    }
    let config_level = config.settings.level(code);
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
        None => catalog().get(code).is_none_or(|m| m.enabled),
    }
}

pub fn lint(inputs: Vec<Input>, config: &Config, opts: &LintOptions) -> LintResult {
    let rules = RuleSet::new(config, opts);
    let run = || lint_with(inputs, config, opts, &rules);
    match opts.jobs {
        Some(n) if n > 0 => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        },
        _ => run(),
    }
}

struct FileOutcome {
    file: ParsedFile,
    diagnostics: Vec<Diagnostic>,
    masks: Vec<(FileId, Span)>,
}

fn lint_with(
    inputs: Vec<Input>,
    config: &Config,
    opts: &LintOptions,
    rules: &RuleSet,
) -> LintResult {
    let outcomes: Vec<FileOutcome> = inputs
        .into_par_iter()
        .enumerate()
        .map(|(id, input)| lint_file(id, input, config, rules))
        .collect();

    let mut files = Vec::with_capacity(outcomes.len());
    let mut diagnostics = Vec::new();
    let mut masks: HashMap<FileId, Vec<Span>> = HashMap::new();
    for o in outcomes {
        files.push(o.file);
        diagnostics.extend(o.diagnostics);
        for (f, s) in o.masks {
            masks.entry(f).or_default().push(s);
        }
    }

    let project = Project { files: &files };
    for rule in &rules.rules {
        let mut ctx = Context::new(rule.code(), 0, &config.settings);
        let ok =
            std::panic::catch_unwind(AssertUnwindSafe(|| rule.check_project(&project, &mut ctx)));
        let (mut d, m) = ctx.into_parts();
        if ok.is_err() {
            d = vec![internal_error(rule.code(), 0)];
        }
        diagnostics.extend(d);
        for (f, s) in m {
            masks.entry(f).or_default().push(s);
        }
    }

    finish(&mut diagnostics, &mut files, config, opts);
    LintResult {
        files,
        diagnostics,
        masks,
    }
}

fn lint_file(id: FileId, input: Input, config: &Config, rules: &RuleSet) -> FileOutcome {
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
            let (doc, parse_diags) = parse::parse(&source, kind, id);
            diagnostics.extend(parse_diags);
            doc
        }
    };
    let mut file = ParsedFile {
        id,
        source,
        document,
    };
    if let Some(kind) = kind {
        masks.extend(
            crate::secrets::detect(&file.source, &file.document)
                .into_iter()
                .map(|s| (id, s)),
        );
        for rule in rules.rules.iter().filter(|r| r.kinds().contains(&kind)) {
            let mut ctx = Context::new(rule.code(), id, &config.settings);
            let ok =
                std::panic::catch_unwind(AssertUnwindSafe(|| rule.check_file(&file, &mut ctx)));
            let (d, m) = ctx.into_parts();
            if ok.is_err() {
                diagnostics.push(internal_error(rule.code(), id));
            } else {
                diagnostics.extend(d);
            }
            masks.extend(m);
        }
    } else {
        // Not ours: keep no text around.
        file.source.text = String::new();
    }
    FileOutcome {
        file,
        diagnostics,
        masks,
    }
}

fn internal_error(code: &str, file: FileId) -> Diagnostic {
    Diagnostic::new(
        codes::INTERNAL,
        Severity::Error,
        file,
        Span::at(0),
        format!("internal error: rule {code} crashed on this file; its findings are missing"),
    )
    .with_help("Please report this with the file (or a reduced copy) attached")
}

/// Catalog defaults, config levels, selection, suppressions, order.
fn finish(
    diagnostics: &mut Vec<Diagnostic>,
    files: &mut [ParsedFile],
    config: &Config,
    opts: &LintOptions,
) {
    let cat = catalog();
    diagnostics.retain(|d| is_enabled(&d.code, config, opts));
    for d in diagnostics.iter_mut() {
        if let Some(Level::On(sev)) = config.settings.level(&d.code) {
            d.severity = sev;
        }
        if d.help.is_none() {
            d.help = cat.get(&d.code).map(|m| m.help());
        }
    }
    // Suppressions, per file.
    let mut by_file: HashMap<FileId, Vec<Diagnostic>> = HashMap::new();
    for d in diagnostics.drain(..) {
        by_file.entry(d.file).or_default().push(d);
    }
    for file in files.iter() {
        if file.source.kind.is_none() {
            continue;
        }
        let mut sups = suppress::collect(&file.source);
        sups.extend(suppress::from_annotations(&file.document));
        let list = by_file.entry(file.id).or_default();
        suppress::apply(list, &mut sups, cat);
        for s in &sups {
            if s.tool == suppress::Tool::Deploylint && s.reason.is_none() {
                list.push(
                    Diagnostic::new(SUPPRESSION_WITHOUT_REASON, Severity::Warning, file.id, s.directive,
                        "suppression without a reason")
                        .with_help("Say why after the codes: `# deploylint ignore=K8S001 -- image pinned by digest in CI`"),
                );
            }
        }
        list.retain(|d| d.code != SUPPRESSION_WITHOUT_REASON || is_enabled(&d.code, config, opts));
    }
    let mut all: Vec<Diagnostic> = by_file.into_values().flatten().collect();
    all.sort_by(|a, b| {
        let pa = &files[a.file].source.path;
        let pb = &files[b.file].source.path;
        (pa, a.span.start, &a.code, &a.message).cmp(&(pb, b.span.start, &b.code, &b.message))
    });
    *diagnostics = all;
}

pub const SUPPRESSION_WITHOUT_REASON: &str = "S001";
