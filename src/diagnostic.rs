//! The one finding type every parser, rule, engine and reporter shares.

use crate::source::Span;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_name(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Index of a file in the run's file list.
pub type FileId = usize;

/// A secondary location, possibly in another file (cross-file rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// Whether applying a fix can change what the deployment does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning the user evidently intended; applied by `--fix`.
    Safe,
    /// Changes runtime behaviour; offered in editors, applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    /// As the reports spell it (the serde name).
    pub fn name(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` with `replacement` (insert when the span is empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    #[serde(skip)]
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Rule code (`K8S001`), or a parse/read code such as `E001`: borrowed
    /// for the built-in codes (no allocation per finding), owned for the
    /// codes of custom rules.
    pub code: Cow<'static, str>,
    pub severity: Severity,
    pub message: String,
    pub file: FileId,
    pub span: Span,
    /// Label text under the primary span (defaults to a short form of the message).
    pub label: Option<String>,
    pub labels: Vec<Label>,
    /// The fix hint. Always set for rule diagnostics (the catalog fills it
    /// in, borrowed from the catalog: one copy per rule, not per finding).
    pub help: Option<Cow<'static, str>>,
    /// Boxed: few findings carry one, and all are kept until the report.
    pub fix: Option<Box<Fix>>,
}

impl Diagnostic {
    pub fn new(
        code: impl Into<Cow<'static, str>>,
        severity: Severity,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            file,
            span,
            label: None,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}
