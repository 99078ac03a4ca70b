//! Built-in rule logic. Each rule is a unit struct implementing [`Rule`] in
//! `src/rules/<domain>/<snake_name>.rs`; build.rs finds and registers it, and
//! a test checks it against its catalog entry in `rules/`.

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Edit, FileId, Fix, Label, Severity};
use crate::project::{FileFacts, ParsedFile, Project};
use crate::source::{FileKind, Span};

include!(concat!(env!("OUT_DIR"), "/rule_registry.rs"));

pub trait Rule: Send + Sync {
    /// The stable code, matching the catalog entry (`K8S001`).
    fn code(&self) -> &'static str;

    /// File kinds `check_file` runs on.
    fn kinds(&self) -> &'static [FileKind] {
        &[]
    }

    /// Inspects one parsed file.
    fn check_file(&self, _file: &ParsedFile, _ctx: &mut Context) {}

    /// Inspects all files of the run together (cross-file and cross-object rules).
    fn check_project(&self, _project: &Project, _ctx: &mut Context) {}

    /// File kinds whose changes `check_project` depends on. Empty (the
    /// default): the rule has no project part and `check_project` never runs.
    fn project_inputs(&self) -> &'static [FileKind] {
        &[]
    }

    /// File kinds whose parsed documents (not only facts) `check_project`
    /// reads; documents of other kinds are dropped after their file rules.
    fn project_documents(&self) -> &'static [FileKind] {
        self.project_inputs()
    }
}

/// What a rule sees besides the document: settings, and where to report.
pub struct Context<'a> {
    /// The file being checked (for `check_file`; the first file for project rules).
    pub file: FileId,
    pub settings: &'a Settings,
    /// The checked file's facts (for `check_file`), extracted once after parsing.
    pub facts: &'a FileFacts,
    code: &'static str,
    out: Vec<Diagnostic>,
    masks: Vec<(FileId, Span)>,
}

impl<'a> Context<'a> {
    pub fn new(code: &'static str, file: FileId, settings: &'a Settings) -> Self {
        static NONE: FileFacts = FileFacts::None;
        Context {
            file,
            settings,
            facts: &NONE,
            code,
            out: Vec::new(),
            masks: Vec::new(),
        }
    }

    /// Gives `check_file` the facts of its file.
    pub fn with_facts(mut self, facts: &'a FileFacts) -> Self {
        self.facts = facts;
        self
    }

    /// Reports a finding in the current file. Severity and help default to the
    /// catalog's; the engine applies config overrides and suppressions later.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        let file = self.file;
        self.report_in(file, span, message)
    }

    /// Reports a finding in another file of the run (project rules).
    pub fn report_in(
        &mut self,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let severity = crate::catalog::catalog()
            .get(self.code)
            .map_or(Severity::Warning, |m| m.severity);
        self.out
            .push(Diagnostic::new(self.code, severity, file, span, message));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// Never show the bytes of `span` (a secret) in any output.
    pub fn mask(&mut self, span: Span) {
        self.masks.push((self.file, span));
    }

    pub fn mask_in(&mut self, file: FileId, span: Span) {
        self.masks.push((file, span));
    }

    /// This rule's options from `.deploylint.yaml` (`null` when none are set).
    pub fn options(&self) -> &serde_json::Value {
        self.settings.rule_options(self.code)
    }

    pub fn into_parts(self) -> (Vec<Diagnostic>, Vec<(FileId, Span)>) {
        (self.out, self.masks)
    }
}

/// Builder-style refinements on a just-reported diagnostic.
impl Diagnostic {
    pub fn hint(&mut self, help: impl Into<std::borrow::Cow<'static, str>>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn label_text(&mut self, text: impl Into<String>) -> &mut Self {
        self.label = Some(text.into());
        self
    }

    pub fn secondary(&mut self, file: FileId, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }

    pub fn safe_fix(&mut self, title: impl Into<String>, edits: Vec<Edit>) -> &mut Self {
        self.fix = Some(Box::new(Fix::safe(title, edits)));
        self
    }

    pub fn unsafe_fix(&mut self, title: impl Into<String>, edits: Vec<Edit>) -> &mut Self {
        self.fix = Some(Box::new(Fix::unsafe_(title, edits)));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Project rules read facts and links, never another file's parsed
    /// document: no built-in rule keeps one, so every document is dropped
    /// after its file rules ran.
    #[test]
    fn no_builtin_rule_keeps_a_document() {
        let keeping: Vec<String> = builtin_rules()
            .iter()
            .filter(|r| !r.project_documents().is_empty())
            .map(|r| format!("{} keeps {:?} documents", r.code(), r.project_documents()))
            .collect();
        assert!(keeping.is_empty(), "{keeping:#?}");
    }
}
