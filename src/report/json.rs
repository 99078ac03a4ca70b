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
use std::borrow::Cow;
use std::collections::HashMap;
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
    url: Option<&'a str>,
}

fn diagnostic_out<'a>(
    result: &'a LintResult,
    redactor: &Redactor,
    urls: &'a Urls,
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
        url: meta.and_then(|m| urls.get(m)),
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

/// Findings rendered per task on rayon's pool, in waves of this many tasks'
/// worth (the wave's text is held until it is written).
const CHUNK: usize = 256;
const WAVE: usize = CHUNK * 4;

/// The report, pretty-printed as `serde_json::to_writer_pretty` prints it
/// (keys in alphabetical order: `diagnostics`, `summary`, `tool`,
/// `version`). The findings are rendered in chunks on rayon's pool, each
/// at the depth it has in the document, and written in order.
pub fn write<W: Write>(result: &LintResult, out: &mut W) -> io::Result<()> {
    let (errors, warnings, infos) = super::counts(result);
    let redactor = Redactor::new(result);
    let urls = Urls::new(result);
    out.write_all(b"{\n  \"diagnostics\": [")?;
    let all = &result.diagnostics;
    for (w, wave) in all.chunks(WAVE).enumerate() {
        let render = |(c, chunk): (usize, &[Diagnostic])| {
            let first = w == 0 && c == 0;
            render_chunk(result, &redactor, &urls, chunk, first)
        };
        if wave.len() <= CHUNK {
            out.write_all(&render((0, wave))?)?;
        } else {
            use rayon::prelude::*;
            let parts: Vec<io::Result<Vec<u8>>> =
                wave.par_chunks(CHUNK).enumerate().map(render).collect();
            for p in parts {
                out.write_all(&p?)?;
            }
        }
    }
    out.write_all(if all.is_empty() { b"]" } else { b"\n  ]" })?;
    let summary = Summary {
        errors,
        files_checked: result.checked_files(),
        infos,
        warnings,
    };
    let tool = Tool {
        name: "deploylint",
        version: env!("CARGO_PKG_VERSION"),
    };
    out.write_all(b",\n  \"summary\": ")?;
    at_depth(out, 1, &summary)?;
    out.write_all(b",\n  \"tool\": ")?;
    at_depth(out, 1, &tool)?;
    writeln!(out, ",\n  \"version\": {REPORT_VERSION}\n}}")
}

/// The elements of `chunk` as they appear in the `diagnostics` array, each
/// after its separator (none before the report's first).
fn render_chunk(
    result: &LintResult,
    redactor: &Redactor,
    urls: &Urls,
    chunk: &[Diagnostic],
    first: bool,
) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(chunk.len() * 1024);
    let mut positions = Positions::default();
    for (i, d) in chunk.iter().enumerate() {
        buf.extend_from_slice(if first && i == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        let out = diagnostic_out(result, redactor, urls, &mut positions, d);
        at_depth(&mut buf, 2, &out)?;
    }
    Ok(buf)
}

/// The rule pages' addresses, built once per code before rendering.
struct Urls(HashMap<&'static str, String>);

impl Urls {
    fn new(result: &LintResult) -> Self {
        let mut map = HashMap::new();
        for d in &result.diagnostics {
            if let Some(m) = catalog().get(&d.code) {
                map.entry(m.code).or_insert_with(|| m.docs_url());
            }
        }
        Urls(map)
    }

    fn get(&self, meta: &crate::catalog::RuleMeta) -> Option<&str> {
        self.0.get(meta.code).map(String::as_str)
    }
}

/// `value` pretty-printed as it is at `depth` in the report (its inner lines
/// indented from there; the first line is the caller's).
fn at_depth<W: Write + ?Sized, T: Serialize>(
    out: &mut W,
    depth: usize,
    value: &T,
) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Pretty::at(depth));
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// serde_json's `PrettyFormatter` (two spaces) starting at a given depth,
/// which `PrettyFormatter` cannot.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Self {
        Pretty {
            depth,
            has_value: false,
        }
    }

    fn open<W: Write + ?Sized>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: Write + ?Sized>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: Write + ?Sized>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn indent<W: Write + ?Sized>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: Write + ?Sized>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: Write + ?Sized>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: Write + ?Sized>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: Write + ?Sized>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formatter prints what serde_json's pretty printer does, at any
    /// depth: nested, empty and scalar values, as the report's pieces.
    #[test]
    fn pretty_at_depth_matches_serde_json() {
        let value = serde_json::json!({
            "a": [1, {"b": [], "c": {}, "d": [[], [null, "x\n\"y"]]}],
            "e": {"f": {"g": true}},
            "h": 2.5
        });
        let mut ours = Vec::new();
        at_depth(&mut ours, 0, &value).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
        // Inside two levels: what a finding is in the report.
        let wrapped = serde_json::json!({"a": [value.clone()]});
        let full = serde_json::to_string_pretty(&wrapped).unwrap();
        let mut inner = Vec::new();
        at_depth(&mut inner, 2, &value).unwrap();
        let inner = String::from_utf8(inner).unwrap();
        assert_eq!(full, format!("{{\n  \"a\": [\n    {inner}\n  ]\n}}"));
        let mut scalar = Vec::new();
        at_depth(&mut scalar, 3, &"x").unwrap();
        assert_eq!(scalar, b"\"x\"");
    }
}
