//! Machine-readable output. The shape is versioned and described by
//! `schemas/report.schema.json`; tests validate real output against it.
//!
//! Streamed: each diagnostic is serialised straight into the (buffered) writer, so
//! a report with a million findings needs no tree of values in memory and no
//! system call per line. Keys are written in alphabetical order (the order the
//! report has always had).

use super::{Positions, Redactor};
use crate::catalog::catalog;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::engine::LintResult;
use crate::source::Position;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use std::borrow::Cow;
use std::io::{self, Write};

pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Location {
    column: usize,
    line: usize,
    offset: usize,
}

#[derive(Serialize)]
struct Range {
    end: Location,
    start: Location,
}

/// The range of `span` in `file`, counted on from `base` (a position in the
/// same file) when one is given.
fn range(
    result: &LintResult,
    file: usize,
    base: Option<Position>,
    span: crate::source::Span,
) -> Range {
    let src = &result.files[file].source;
    let s = match base {
        Some(b) => src.position_after(b, span.start),
        None => src.position(span.start),
    };
    let e = src.position_after(s, span.end);
    Range {
        end: Location {
            column: e.column,
            line: e.line,
            offset: e.offset,
        },
        start: Location {
            column: s.column,
            line: s.line,
            offset: s.offset,
        },
    }
}

#[derive(Serialize)]
struct LabelOut<'a> {
    message: Cow<'a, str>,
    path: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct EditOut<'a> {
    range: Range,
    replacement: Cow<'a, str>,
}

#[derive(Serialize)]
struct FixOut<'a> {
    applicability: Applicability,
    edits: Vec<EditOut<'a>>,
    title: Cow<'a, str>,
}

#[derive(Serialize)]
struct DiagnosticOut<'a> {
    code: &'a str,
    fix: Option<FixOut<'a>>,
    help: Option<Cow<'a, str>>,
    labels: Vec<LabelOut<'a>>,
    message: Cow<'a, str>,
    name: Option<&'a str>,
    path: &'a str,
    range: Range,
    severity: Severity,
    url: Option<String>,
}

fn diagnostic_out<'a>(
    result: &'a LintResult,
    redactor: &Redactor,
    positions: &mut Positions,
    d: &'a Diagnostic,
) -> DiagnosticOut<'a> {
    let meta = catalog().get(&d.code);
    let owned = |s: Cow<'_, str>| Cow::<'a, str>::Owned(s.into_owned());
    let redact = |s: &'a str| match redactor.redact(s) {
        Cow::Borrowed(b) => Cow::Borrowed(b),
        o => owned(o),
    };
    // The primary start through the cache (findings come sorted by it); the
    // other ranges of the finding are counted from it.
    let start = positions.at(result, d.file, d.span.start);
    let primary = range(result, d.file, Some(start), d.span);
    let base = |file: usize| (file == d.file).then_some(start);
    DiagnosticOut {
        code: &d.code,
        fix: d.fix.as_ref().map(|f| FixOut {
            applicability: f.applicability,
            edits: f
                .edits
                .iter()
                .map(|e| EditOut {
                    range: range(result, d.file, Some(start), e.span),
                    // Scrubbed like messages: a fix must not print a secret.
                    replacement: redact(&e.replacement),
                })
                .collect(),
            title: redact(&f.title),
        }),
        help: d.help.as_deref().map(redact),
        labels: d
            .labels
            .iter()
            .map(|l| LabelOut {
                message: redact(&l.message),
                path: &result.files[l.file].source.path,
                range: range(result, l.file, base(l.file), l.span),
            })
            .collect(),
        message: redact(&d.message),
        name: meta.map(|m| m.name),
        path: &result.files[d.file].source.path,
        range: primary,
        severity: d.severity,
        url: meta.map(|m| m.docs_url()),
    }
}

struct Diagnostics<'a> {
    result: &'a LintResult,
    redactor: &'a Redactor,
}

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.result.diagnostics.len()))?;
        let mut positions = Positions::default();
        for d in &self.result.diagnostics {
            let out = diagnostic_out(self.result, self.redactor, &mut positions, d);
            seq.serialize_element(&out)?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    files_checked: usize,
    infos: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Report<'a> {
    diagnostics: Diagnostics<'a>,
    summary: Summary,
    tool: Tool,
    version: u32,
}

pub fn write(result: &LintResult, out: &mut dyn Write) -> io::Result<()> {
    let (errors, warnings, infos) = super::counts(result);
    let redactor = Redactor::new(result);
    let report = Report {
        diagnostics: Diagnostics {
            result,
            redactor: &redactor,
        },
        summary: Summary {
            errors,
            files_checked: result.checked_files(),
            infos,
            warnings,
        },
        tool: Tool {
            name: "deploylint",
            version: env!("CARGO_PKG_VERSION"),
        },
        version: REPORT_VERSION,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
