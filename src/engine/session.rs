//! The Session: the files of a workspace with a slot per file (text, parsed
//! document, facts, suppressions, file findings) and the graph built from
//! them. `update` re-reads one file; `check` re-parses only the changed
//! slots, re-runs their file rules, rebuilds the (cheap) graph and re-runs
//! the project rules whose inputs changed. The CLI runs a Session once; an
//! editor server keeps one alive.
//!
//! Every stage (reading, parsing, fact extraction, each rule) runs under
//! `catch_unwind`: a panic becomes an internal-error finding for that file
//! and the rest of the run goes on.

use super::suppress::{self, Suppression};
use super::{
    FileOutcome, Input, LintOptions, LintResult, RuleSet, SUPPRESSION_WITHOUT_REASON, Suppressed,
    SuppressionKind, internal_error, is_enabled, is_enabled_anywhere,
};
use crate::catalog::catalog;
use crate::config::{Config, Level, Settings};
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::discover::NameGuess;
use crate::parse::{Document, ParsedFile};
use crate::project::{FileFacts, Graph, Project, links};
use crate::rules::Context;
use crate::source::{FileKind, ReadError, SourceFile, Span};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;

/// Whether a file's findings are reported, or it only feeds the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Named by the user (or inside a named directory): reported on.
    Named,
    /// Another config file of the workspace: feeds the graph and the
    /// project rules, never reported on (its file rules do not run).
    Context,
}

/// Counters a test can read to see what a `check` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionStats {
    /// Files read and parsed, over the session's life.
    pub parses: usize,
    /// Project-rule runs, over the session's life.
    pub project_rule_runs: usize,
}

struct Meta {
    display: String,
    path: Option<PathBuf>,
    guess: NameGuess,
    /// In-memory text (stdin, an editor buffer); `None` reads the path.
    text: Option<String>,
    /// A read error the caller met, reported once.
    read_error: Option<(ReadError, String)>,
    role: Role,
    dirty: bool,
    /// The PHP version of the image that copies this php.ini or pool file
    /// (from the graph), which its file rules are judged for.
    php_version: Option<(u32, u32)>,
    suppressions: Vec<Suppression>,
    diagnostics: Vec<Diagnostic>,
    masks: Vec<(FileId, Span)>,
    /// The file's resolved settings (set when it is read).
    settings: Option<Arc<Settings>>,
}

/// A PHP `(major, minor)` version.
type PhpVersion = (u32, u32);

/// One rule's findings and masks.
type RuleOutput = (Vec<Diagnostic>, Vec<(FileId, Span)>);

pub struct Session {
    config: Config,
    opts: LintOptions,
    rules: RuleSet,
    meta: Vec<Meta>,
    /// Indexed by FileId, parallel to `meta`.
    files: Vec<ParsedFile>,
    facts: Vec<FileFacts>,
    by_name: HashMap<String, FileId>,
    graph: Graph,
    /// Project findings by rule index, kept between checks.
    project_out: Vec<RuleOutput>,
    /// Kinds of the files changed since the project rules last ran.
    changed: BTreeSet<Option<FileKind>>,
    /// Keep parsed documents after the file rules ran (an editor session).
    keep_documents: bool,
    stats: SessionStats,
    /// Findings each `platform:` guarantee absorbed at the last check.
    absorbed: Vec<(&'static str, usize)>,
    /// Findings suppressions silenced at the last check.
    suppressed: Vec<Suppressed>,
}

impl Session {
    pub fn new(config: Config, opts: LintOptions) -> Session {
        let rules = RuleSet::new(&config, &opts);
        let n = rules.rules.len();
        Session {
            config,
            opts,
            rules,
            meta: Vec::new(),
            files: Vec::new(),
            facts: Vec::new(),
            by_name: HashMap::new(),
            graph: Graph::default(),
            project_out: (0..n).map(|_| Default::default()).collect(),
            changed: BTreeSet::new(),
            keep_documents: false,
            stats: SessionStats::default(),
            absorbed: Vec::new(),
            suppressed: Vec::new(),
        }
    }

    /// Keep every parsed document alive (an editor server re-lints buffers).
    pub fn keep_documents(mut self, keep: bool) -> Self {
        self.keep_documents = keep;
        self
    }

    pub fn stats(&self) -> SessionStats {
        self.stats
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Makes room for `n` more files (one allocation instead of doubling).
    pub fn reserve(&mut self, n: usize) {
        self.meta.reserve_exact(n);
        self.files.reserve_exact(n);
        self.facts.reserve_exact(n);
        self.by_name.reserve(n);
    }

    /// Adds a file; a file already present (same display name) is replaced.
    pub fn add(&mut self, input: Input, role: Role) -> FileId {
        let (text, read_error) = match input.text {
            Some(Ok(t)) => (Some(t), None),
            // A read error found by the caller (standard input over the
            // limit) is reported at the next check.
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        if let Some(&id) = self.by_name.get(&input.display) {
            let m = &mut self.meta[id];
            m.text = text;
            m.read_error = read_error;
            m.dirty = true;
            if role == Role::Named {
                m.role = Role::Named;
            }
            return id;
        }
        let id = self.meta.len();
        self.by_name.insert(input.display.clone(), id);
        self.files.push(ParsedFile {
            id,
            source: SourceFile::new(input.display.clone(), None, String::new()),
            document: Document::Unparsed,
        });
        self.facts.push(FileFacts::None);
        self.meta.push(Meta {
            display: input.display,
            path: input.path,
            guess: input.guess,
            text,
            read_error,
            role,
            dirty: true,
            php_version: None,
            suppressions: Vec::new(),
            diagnostics: Vec::new(),
            masks: Vec::new(),
            settings: None,
        });
        id
    }

    /// Replaces a file's text (an editor buffer). Returns false when the
    /// file is not part of the session.
    pub fn update(&mut self, display: &str, text: String) -> bool {
        let Some(&id) = self.by_name.get(display) else {
            return false;
        };
        self.meta[id].text = Some(text);
        self.meta[id].dirty = true;
        true
    }

    /// Makes a file reported on (an editor opened it) or context only.
    pub fn set_role(&mut self, display: &str, role: Role) -> bool {
        let Some(&id) = self.by_name.get(display) else {
            return false;
        };
        if self.meta[id].role != role {
            self.meta[id].role = role;
            // File rules run only for reported files: re-check it.
            self.meta[id].dirty = true;
        }
        true
    }

    /// Forgets an editor buffer: the file is read from disk again.
    pub fn reload(&mut self, display: &str) -> bool {
        let Some(&id) = self.by_name.get(display) else {
            return false;
        };
        self.meta[id].text = None;
        self.meta[id].dirty = true;
        true
    }

    /// Removes a file from the session (deleted on disk). Its slot stays as
    /// an empty, unreported tombstone so file ids remain stable.
    pub fn remove(&mut self, display: &str) -> bool {
        let Some(id) = self.by_name.remove(display) else {
            return false;
        };
        self.changed.insert(self.files[id].kind());
        self.files[id].source = SourceFile::new(display.to_owned(), None, String::new());
        self.files[id].document = Document::Unparsed;
        self.facts[id] = FileFacts::None;
        let m = &mut self.meta[id];
        m.role = Role::Context;
        m.dirty = false;
        m.diagnostics.clear();
        m.masks.clear();
        m.suppressions.clear();
        true
    }

    pub fn file_id(&self, display: &str) -> Option<FileId> {
        self.by_name.get(display).copied()
    }

    pub fn files(&self) -> &[ParsedFile] {
        &self.files
    }

    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    pub fn facts(&self) -> &[FileFacts] {
        &self.facts
    }

    pub fn role(&self, id: FileId) -> Option<Role> {
        self.meta.get(id).map(|m| m.role)
    }

    /// Brings every slot up to date and returns the reported findings
    /// (named files only), filtered, suppressed and sorted.
    pub fn check(&mut self) -> (Vec<Diagnostic>, HashMap<FileId, Vec<Span>>) {
        self.refresh_on_pool();
        self.collect(false)
    }

    /// Runs once and hands over everything (the CLI's one-shot use): the
    /// findings are moved out, not copied.
    pub fn into_result(mut self) -> LintResult {
        self.take_result()
    }

    /// As [`Session::into_result`], leaving the session with its facts and
    /// graph but no files or findings: the CLI frees what is left on another
    /// thread (freeing a large run's facts is not free) while it reports.
    pub fn take_result(&mut self) -> LintResult {
        self.take_result_with(false)
    }

    /// The result of a run whose process exits after reporting it: the
    /// facts, the graph and the session itself are never freed (the system
    /// takes the memory back at exit). Freeing a large run's facts cost two
    /// cores a tenth of its time, and the allocator then spent as long again
    /// consolidating the freed chunks at the next large allocation, on one
    /// core. Peak memory is the same: the findings, collected after, are a
    /// few percent of the facts.
    pub fn finish(mut self) -> LintResult {
        let result = self.take_result_with(true);
        std::mem::forget(self);
        result
    }

    fn take_result_with(&mut self, exiting: bool) -> LintResult {
        self.refresh_on_pool();
        // The facts and the graph are not part of the result: freed (or, for
        // a process about to exit, left to the system) before the findings
        // are collected, so the run's peak memory does not hold both
        // (freeing them on another thread raced the collection and kept them
        // alive at the peak).
        let facts = std::mem::take(&mut self.facts);
        let graph = std::mem::take(&mut self.graph);
        if exiting {
            std::mem::forget((facts, graph));
        } else if self.opts.jobs.is_none() && facts.len() >= 256 {
            // (Freed on rayon's pool when the run used it, and waited for: a
            // serial step otherwise. `--jobs N` ran on a pool of its own, gone.)
            rayon::join(
                || {
                    use rayon::prelude::*;
                    facts.into_par_iter().with_min_len(128).for_each(drop);
                },
                || drop(graph),
            );
        } else {
            drop((facts, graph));
        }
        let (diagnostics, masks) = self.collect(true);
        let context = self.meta.iter().map(|m| m.role == Role::Context).collect();
        // The slots no longer match the files: nothing may run on them again.
        self.meta.clear();
        self.by_name.clear();
        LintResult {
            files: std::mem::take(&mut self.files),
            diagnostics,
            masks,
            context,
            absorbed: std::mem::take(&mut self.absorbed),
            suppressed: std::mem::take(&mut self.suppressed),
        }
    }

    /// [`Session::refresh`] on `--jobs N` threads when asked, else rayon's pool.
    fn refresh_on_pool(&mut self) {
        match self.opts.jobs {
            Some(n) if n > 0 => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
                Ok(pool) => pool.install(|| self.refresh()),
                Err(_) => self.refresh(),
            },
            _ => self.refresh(),
        }
    }

    fn refresh(&mut self) {
        self.refresh_once();
        // php.ini and pool files are judged for the PHP version of the image
        // that copies them, known once the graph is built: those whose version
        // changed run their file rules again (once; links do not depend on the
        // ini files' contents).
        if self.apply_image_php_versions() {
            self.refresh_once();
        }
    }

    /// Records for each php.ini and pool file the PHP version of the image
    /// whose Dockerfile copies it (its base image's tag says it) (when all such images agree), and
    /// marks the files whose version changed dirty. Whether any did.
    fn apply_image_php_versions(&mut self) -> bool {
        let found = crate::project::links::php_versions(&self.files, &self.facts, &self.graph);
        // Re-lint only where the version the rules see changes (the image
        // usually runs the version the path or the config already gives).
        let mut any = false;
        for (id, m) in self.meta.iter_mut().enumerate() {
            let v = found.get(&id).copied().flatten();
            if m.php_version == v {
                continue;
            }
            let path = &self.files[id].source.path;
            let default = m
                .settings
                .as_ref()
                .map_or(self.config.settings.php_version, |s| s.php_version);
            let effective = |v: Option<(u32, u32)>| {
                v.or_else(|| crate::config::php_version_in_path(path))
                    .unwrap_or(default)
            };
            if effective(m.php_version) != effective(v) {
                m.dirty = true;
                any = true;
            }
            m.php_version = v;
        }
        any
    }

    fn refresh_once(&mut self) {
        let dirty: Vec<FileId> = (0..self.meta.len())
            .filter(|&i| self.meta[i].dirty)
            .collect();
        if dirty.is_empty() && self.changed.is_empty() {
            return;
        }
        let config = &self.config;
        let rules = &self.rules;
        let opts = &self.opts;
        let keep = self.keep_documents;
        // The kinds whose documents a project rule reads, not only their facts.
        let read_later: Vec<FileKind> = FileKind::ALL
            .into_iter()
            .filter(|k| {
                rules
                    .rules
                    .iter()
                    .any(|r| r.project_documents().contains(k))
            })
            .collect();
        let jobs: Vec<(FileId, Input, Role, Option<PhpVersion>)> = dirty
            .iter()
            .map(|&id| {
                let m = &mut self.meta[id];
                m.dirty = false;
                (
                    id,
                    Input {
                        display: m.display.clone(),
                        path: m.path.clone(),
                        guess: m.guess,
                        text: match m.read_error.take() {
                            Some(e) => Some(Err(e)),
                            None => m.text.clone().map(Ok),
                        },
                    },
                    m.role,
                    m.php_version,
                )
            })
            .collect();
        self.stats.parses += jobs.len();
        // (At most 16 files per task: rayon otherwise stops splitting after
        // a few halvings, and the run ended with one core still working
        // through a quarter-run chunk while the other had nothing to steal.)
        let outcomes: Vec<(FileOutcome, Vec<Suppression>)> = jobs
            .into_par_iter()
            .with_max_len(16)
            .map(|(id, input, role, php)| {
                let mut o =
                    super::lint_file(id, input, config, rules, opts, role == Role::Named, php);
                // Suppressions apply to reported files only.
                let sups = if role == Role::Named && o.file.kind().is_some() {
                    std::panic::catch_unwind(AssertUnwindSafe(|| {
                        let mut s = suppress::collect(&o.file.source);
                        s.extend(suppress::from_annotations(&o.file.document));
                        s
                    }))
                    .unwrap_or_default()
                } else {
                    Vec::new()
                };
                // Documents no project rule reads are dropped: facts stay.
                if !keep && !o.file.kind().is_some_and(|k| read_later.contains(&k)) {
                    o.file.document = Document::Unparsed;
                }
                (o, sups)
            })
            .collect();
        for (mut o, sups) in outcomes {
            let f = std::mem::take(&mut o.facts);
            let id = o.file.id;
            self.changed.insert(o.file.kind());
            self.changed.insert(self.files[id].kind());
            self.files[id] = o.file;
            self.facts[id] = f;
            let m = &mut self.meta[id];
            m.diagnostics = o.diagnostics;
            m.masks = o.masks;
            m.suppressions = sups;
            m.settings = Some(o.settings);
        }
        self.rebuild_project();
    }

    fn rebuild_project(&mut self) {
        let changed = std::mem::take(&mut self.changed);
        if changed.is_empty() {
            return;
        }
        let graph = std::panic::catch_unwind(AssertUnwindSafe(|| {
            links::build(
                &self.files,
                &self.facts,
                &self.config.settings,
                &self.config.root,
            )
        }))
        .unwrap_or_default();
        self.graph = graph;
        let project = Project::new(&self.files, &self.facts, &self.graph);
        let groups = self.settings_groups();
        let opts = &self.opts;
        let first = self.files.len();
        // Project rules are independent of each other: run them in parallel.
        let due: Vec<usize> = (0..self.rules.rules.len())
            .filter(|&i| {
                let inputs = self.rules.rules[i].project_inputs();
                // A kustomization changes what the manifests it builds refer
                // to (generated ConfigMaps and Secrets, their files).
                let reads_manifests = inputs.contains(&FileKind::Kubernetes);
                changed.iter().any(|k| {
                    k.is_none_or(|k| {
                        inputs.contains(&k) || reads_manifests && k == FileKind::Kustomization
                    })
                })
            })
            .collect();
        let runs = due.len();
        let rules = &self.rules.rules;
        let outputs: Vec<(usize, RuleOutput)> = due
            .into_par_iter()
            .map(|i| {
                let rule = &rules[i];
                let mut all: RuleOutput = Default::default();
                for (settings, members) in &groups {
                    // A finding is judged with the settings of the file it is
                    // in (its profile, versions and rule options), as file
                    // rules are: one run per distinct settings, each keeping
                    // the findings in its own files.
                    if members.is_some() && !is_enabled(rule.code(), settings, opts) {
                        continue;
                    }
                    let mut ctx = Context::new(rule.code(), first, settings);
                    let ok = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        rule.check_project(&project, &mut ctx)
                    }));
                    let (mut d, m) = ctx.into_parts();
                    if ok.is_err() {
                        d = vec![internal_error(&format!("rule {}", rule.code()), 0)];
                    }
                    // A finding with no file (`ctx.report` in a project rule) has nowhere to go.
                    d.retain(|d| {
                        d.file < first && members.as_ref().is_none_or(|f| f.contains(&d.file))
                    });
                    all.0.extend(d);
                    all.1.extend(m);
                }
                all.1.sort_by_key(|(f, s)| (*f, s.start, s.end));
                all.1.dedup();
                (i, all)
            })
            .collect();
        for (i, out) in outputs {
            self.project_out[i] = out;
        }
        self.stats.project_rule_runs += runs;
    }

    /// The distinct settings of the reported files, each with its files
    /// (`None`: every file, when all share one). Files share an `Arc` per
    /// (config, matched overrides), so this is usually one group.
    fn settings_groups(&self) -> Vec<(Arc<Settings>, Option<BTreeSet<FileId>>)> {
        let mut groups: Vec<(Arc<Settings>, BTreeSet<FileId>)> = Vec::new();
        for (id, m) in self.meta.iter().enumerate() {
            if m.role != Role::Named {
                continue;
            }
            let Some(s) = &m.settings else { continue };
            match groups.iter_mut().find(|(g, _)| Arc::ptr_eq(g, s)) {
                Some((_, files)) => {
                    files.insert(id);
                }
                None => groups.push((Arc::clone(s), BTreeSet::from([id]))),
            }
        }
        match groups.len() {
            0 => vec![(Arc::new(self.config.settings.clone()), None)],
            1 => groups.into_iter().map(|(s, _)| (s, None)).collect(),
            _ => groups.into_iter().map(|(s, f)| (s, Some(f))).collect(),
        }
    }

    /// The reported findings. `take` moves them out of the slots (a
    /// one-shot run); otherwise they are copied and the slots keep theirs.
    fn collect(&mut self, take: bool) -> (Vec<Diagnostic>, HashMap<FileId, Vec<Span>>) {
        let cat = catalog();
        let mut masks: HashMap<FileId, Vec<Span>> = HashMap::new();
        // Findings by file id (a vector, not a map: every slot is visited).
        let mut by_file: Vec<Vec<Diagnostic>> = Vec::new();
        by_file.resize_with(self.meta.len(), Vec::new);
        let mut total = 0;
        let grab = |list: &mut Vec<Diagnostic>| {
            if take {
                std::mem::take(list)
            } else {
                list.clone()
            }
        };
        for (id, m) in self.meta.iter_mut().enumerate() {
            for (f, s) in &m.masks {
                masks.entry(*f).or_default().push(*s);
            }
            let list = grab(&mut m.diagnostics);
            // A file's own findings (nearly always all of them) are moved
            // over whole: copying them one by one into new lists held every
            // finding twice at the run's peak.
            if by_file.get(id).is_some_and(Vec::is_empty) && list.iter().all(|d| d.file == id) {
                total += list.len();
                by_file[id] = list;
                continue;
            }
            for d in list {
                if let Some(list) = by_file.get_mut(d.file) {
                    total += 1;
                    list.push(d);
                }
            }
        }
        for (d, m) in &mut self.project_out {
            for (f, s) in m.iter() {
                masks.entry(*f).or_default().push(*s);
            }
            for d in grab(d) {
                if let Some(list) = by_file.get_mut(d.file) {
                    total += 1;
                    list.push(d);
                }
            }
        }
        let named = |id: FileId| self.meta.get(id).is_some_and(|m| m.role == Role::Named);
        let mut all = Vec::with_capacity(total);
        let mut absorbed: Vec<(&'static str, usize)> = Vec::new();
        let mut suppressed: Vec<Suppressed> = Vec::new();
        let mut per_file: Vec<(FileId, Vec<Diagnostic>)> = Vec::new();
        for (id, list) in by_file.iter_mut().enumerate() {
            let mut list = std::mem::take(list);
            if !named(id) {
                continue;
            }
            let settings = match &self.meta[id].settings {
                Some(s) => Arc::clone(s),
                None => Arc::new(self.config.settings.clone()),
            };
            let opts = &self.opts;
            list.retain(|d| is_enabled(&d.code, &settings, opts));
            for d in list.iter_mut() {
                if let Some(Level::On(sev)) = settings.level(&d.code) {
                    d.severity = sev;
                }
                if d.help.is_none() {
                    d.help = cat
                        .get(&d.code)
                        .map(|m| std::borrow::Cow::Borrowed(m.help()));
                }
            }
            // What the platform guarantees is not reported, but counted.
            // Nothing is absorbed in the usual case: the list is then kept as
            // it is, not copied.
            let absorbed_by =
                |d: &Diagnostic| crate::config::platform::absorbed_by(&d.code, &settings.platform);
            if list.iter().any(|d| absorbed_by(d).is_some()) {
                let mut kept = Vec::with_capacity(list.len());
                for d in list {
                    let Some(g) = absorbed_by(&d) else {
                        kept.push(d);
                        continue;
                    };
                    match absorbed.iter_mut().find(|(n, _)| *n == g) {
                        Some((_, c)) => *c += 1,
                        None => absorbed.push((g, 1)),
                    }
                    suppressed.push(Suppressed {
                        diagnostic: d,
                        kind: SuppressionKind::External,
                        justification: format!(
                            "the cluster guarantees it (`platform: {g}` in the configuration)"
                        ),
                    });
                }
                list = kept;
            }
            if self.opts.no_inline_ignores {
                // Audit: every finding is reported, no suppression is judged.
                per_file.push((id, list));
                continue;
            }
            let mut sups = self.meta[id].suppressions.clone();
            for (d, why) in suppress::apply(&mut list, &mut sups, cat) {
                suppressed.push(Suppressed {
                    diagnostic: d,
                    kind: SuppressionKind::InSource,
                    justification: why,
                });
            }
            for s in &sups {
                if s.tool == suppress::Tool::Deploylint
                    && s.reason.is_none()
                    && is_enabled(SUPPRESSION_WITHOUT_REASON, &settings, opts)
                {
                    list.push(
                        Diagnostic::new(SUPPRESSION_WITHOUT_REASON, Severity::Warning, id, s.directive,
                            "suppression without a reason")
                            .with_help("Say why after the codes: `# deploylint ignore=K8S001 -- image pinned by digest in CI`"),
                    );
                }
            }
            let ran = |code: &str| {
                is_enabled(code, &settings, opts)
                    && self.rules.rules.iter().any(|r| r.code() == code)
            };
            let audit = suppress::audit(&sups, id, cat, &ran);
            list.extend(
                audit
                    .into_iter()
                    .filter(|d| is_enabled(&d.code, &settings, opts)),
            );
            per_file.push((id, list));
        }
        absorbed.sort();
        self.absorbed = absorbed;
        // In path order, then by position, code and message: the files are
        // ordered once (paths compared per file, not per finding pair), then
        // each file's findings among themselves.
        let files = &self.files;
        let path = |id: FileId| files[id].source.path.as_str();
        let in_file = |a: &Diagnostic, b: &Diagnostic| {
            (a.span.start, &a.code, &a.message).cmp(&(b.span.start, &b.code, &b.message))
        };
        per_file.sort_by(|(a, _), (b, _)| path(*a).cmp(path(*b)));
        for (_, mut list) in per_file {
            list.sort_by(in_file);
            all.extend(list);
        }
        suppressed.sort_by(|a, b| {
            let (a, b) = (&a.diagnostic, &b.diagnostic);
            path(a.file).cmp(path(b.file)).then_with(|| in_file(a, b))
        });
        self.suppressed = suppressed;
        (all, masks)
    }
}

impl Session {
    /// A session over in-memory texts (tests, an editor's unsaved buffers).
    pub fn from_texts(config: Config, opts: LintOptions, texts: &[(&str, &str)]) -> Session {
        let mut s = Session::new(config, opts);
        for (name, text) in texts {
            let guess = crate::discover::guess(std::path::Path::new(name), s.config())
                .unwrap_or(NameGuess::Yaml);
            s.add(
                Input {
                    display: (*name).to_owned(),
                    path: None,
                    guess,
                    text: Some(Ok((*text).to_owned())),
                },
                Role::Named,
            );
        }
        s
    }
}

impl Session {
    /// Adds rules beyond the built-in ones (custom rules from rule files),
    /// filtered by the config and `--select`/`--ignore` like the others.
    /// Call before the first `check`.
    pub fn add_rules(&mut self, rules: Vec<Box<dyn crate::rules::Rule>>) {
        for r in rules {
            if is_enabled_anywhere(r.code(), &self.config, &self.opts) {
                self.rules.push(r);
                self.project_out.push(Default::default());
            }
        }
        for m in &mut self.meta {
            m.dirty = true;
        }
    }
}
