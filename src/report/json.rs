//! Machine-readable output. The shape is versioned and described by
//! `schemas/report.schema.json`; tests validate real output against it.

use crate::catalog::catalog;
use crate::engine::LintResult;
use serde::Serialize;
use serde_json::json;
use std::io::{self, Write};

pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Location {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Serialize)]
struct Range {
    start: Location,
    end: Location,
}

fn range(result: &LintResult, file: usize, span: crate::source::Span) -> Range {
    let src = &result.files[file].source;
    let s = src.position(span.start);
    let e = src.position(span.end);
    Range {
        start: Location {
            line: s.line,
            column: s.column,
            offset: s.offset,
        },
        end: Location {
            line: e.line,
            column: e.column,
            offset: e.offset,
        },
    }
}

pub fn write(result: &LintResult, out: &mut dyn Write) -> io::Result<()> {
    let (errors, warnings, infos) = super::counts(result);
    let diagnostics: Vec<_> = result
        .diagnostics
        .iter()
        .map(|d| {
            let meta = catalog().get(&d.code);
            let labels: Vec<_> = d
                .labels
                .iter()
                .map(|l| {
                    json!({
                        "path": result.files[l.file].source.path,
                        "range": range(result, l.file, l.span),
                        "message": l.message,
                    })
                })
                .collect();
            let fix = d.fix.as_ref().map(|f| {
                json!({
                    "title": f.title,
                    "applicability": f.applicability,
                    "edits": f.edits.iter().map(|e| json!({
                        "range": range(result, d.file, e.span),
                        "replacement": e.replacement,
                    })).collect::<Vec<_>>(),
                })
            });
            json!({
                "code": d.code,
                "name": meta.map(|m| m.name.as_str()),
                "severity": d.severity,
                "message": d.message,
                "path": result.files[d.file].source.path,
                "range": range(result, d.file, d.span),
                "help": d.help,
                "labels": labels,
                "fix": fix,
                "url": meta.map(|m| m.docs_url()),
            })
        })
        .collect();
    let doc = json!({
        "version": REPORT_VERSION,
        "tool": { "name": "deploylint", "version": env!("CARGO_PKG_VERSION") },
        "summary": {
            "files_checked": result.checked_files(),
            "errors": errors,
            "warnings": warnings,
            "infos": infos,
        },
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
