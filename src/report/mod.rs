//! Reporters are pure functions of the run's files, diagnostics and the catalog.

pub mod graph;
mod human;
mod json;

pub use human::HumanOptions;

use crate::engine::LintResult;
use std::io::{self, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Snippets with the span underlined, help lines and a summary.
    Human,
    /// One JSON document; see `schemas/report.schema.json`.
    Json,
}

pub fn write(
    format: Format,
    result: &LintResult,
    human: &HumanOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(result, human, out),
        Format::Json => json::write(result, out),
    }
}

/// Counts by severity: (errors, warnings, infos).
pub fn counts(result: &LintResult) -> (usize, usize, usize) {
    use crate::diagnostic::Severity::*;
    result
        .diagnostics
        .iter()
        .fold((0, 0, 0), |(e, w, i), d| match d.severity {
            Error => (e + 1, w, i),
            Warning => (e, w + 1, i),
            Info => (e, w, i + 1),
        })
}

/// Files' texts as shown in any output: secrets replaced by `*`.
pub(crate) fn display_text(result: &LintResult, file: usize) -> std::borrow::Cow<'_, str> {
    let source = &result.files[file].source;
    match result.masks.get(&file) {
        Some(masks) if !masks.is_empty() => std::borrow::Cow::Owned(source.masked_text(masks)),
        _ => std::borrow::Cow::Borrowed(source.text.as_str()),
    }
}
