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

#[cfg_attr(test, derive(Serialize))]
struct Location {
    column: usize,
    line: usize,
    offset: usize,
}

#[cfg_attr(test, derive(Serialize))]
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

#[cfg_attr(test, derive(Serialize))]
struct LabelOut<'a> {
    message: Cow<'a, str>,
    path: &'a str,
    range: Range,
}

#[cfg_attr(test, derive(Serialize))]
struct EditOut<'a> {
    range: Range,
    replacement: Cow<'a, str>,
}

#[cfg_attr(test, derive(Serialize))]
struct FixOut<'a> {
    applicability: Applicability,
    edits: Vec<EditOut<'a>>,
    title: Cow<'a, str>,
}

#[cfg_attr(test, derive(Serialize))]
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
            out.write_all(&render((0, wave)))?;
        } else {
            use rayon::prelude::*;
            let parts: Vec<Vec<u8>> = wave.par_chunks(CHUNK).enumerate().map(render).collect();
            for p in parts {
                out.write_all(&p)?;
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
) -> Vec<u8> {
    let mut buf = Vec::with_capacity(chunk.len() * 1024);
    let mut positions = Positions::default();
    for (i, d) in chunk.iter().enumerate() {
        buf.extend_from_slice(if first && i == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        let out = diagnostic_out(result, redactor, urls, &mut positions, d);
        out.write(&mut buf, 2);
    }
    buf
}

// The findings are written by hand, in the layout serde_json's pretty
// printer gives (a test compares the two): keys in alphabetical order, two
// spaces per level, `null` for an absent value, `[]` for an empty list.
// serde's per-field calls cost three times the bytes written.

/// `,\n` (or `\n` for the first) and the indentation of `depth`, then `"key": `.
fn key(buf: &mut Vec<u8>, depth: usize, first: bool, key: &str) {
    buf.extend_from_slice(if first { b"\n" } else { b",\n" });
    indent(buf, depth);
    buf.push(b'"');
    buf.extend_from_slice(key.as_bytes());
    buf.extend_from_slice(b"\": ");
}

fn indent(buf: &mut Vec<u8>, depth: usize) {
    buf.resize(buf.len() + depth * 2, b' ');
}

/// The closing bracket of a non-empty object or list at `depth`.
fn close(buf: &mut Vec<u8>, depth: usize, bracket: u8) {
    buf.push(b'\n');
    indent(buf, depth);
    buf.push(bracket);
}

fn number(buf: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// How serde_json escapes each byte: 0 for none, `u` for `\\u00XX`, else the
/// letter after the backslash.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x0c] = b'f';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Whether one of the 8 bytes of `w` needs an escape (a control byte, `"`
/// or `\\`): the classic "has a byte below n / equal to c" tests, exact as a
/// yes/no for the word.
fn word_needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    let q = w ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q & HIGH;
    let s = w ^ (ONES * u64::from(b'\\'));
    let backslash = s.wrapping_sub(ONES) & !s & HIGH;
    below_space | quote | backslash != 0
}

/// A JSON string as serde_json writes it: `"` and `\\` escaped, control
/// characters as `\n`, `\t`... or `\u00XX`, everything else as is. Bytes
/// are looked at eight at a time; runs that need no escape are copied whole.
fn string(buf: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            if !word_needs_escape(u64::from_le_bytes(w)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let short = ESCAPE[usize::from(b)];
        if short != 0 {
            buf.extend_from_slice(&bytes[start..i]);
            buf.push(b'\\');
            buf.push(short);
            if short == b'u' {
                buf.extend_from_slice(b"00");
                buf.push(HEX[usize::from(b >> 4)]);
                buf.push(HEX[usize::from(b & 0xf)]);
            }
            start = i + 1;
        }
        i += 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

fn optional(buf: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(buf, s),
        None => buf.extend_from_slice(b"null"),
    }
}

impl Location {
    fn write(&self, buf: &mut Vec<u8>, depth: usize) {
        buf.push(b'{');
        key(buf, depth + 1, true, "column");
        number(buf, self.column);
        key(buf, depth + 1, false, "line");
        number(buf, self.line);
        key(buf, depth + 1, false, "offset");
        number(buf, self.offset);
        close(buf, depth, b'}');
    }
}

impl Range {
    fn write(&self, buf: &mut Vec<u8>, depth: usize) {
        buf.push(b'{');
        key(buf, depth + 1, true, "end");
        self.end.write(buf, depth + 1);
        key(buf, depth + 1, false, "start");
        self.start.write(buf, depth + 1);
        close(buf, depth, b'}');
    }
}

/// A list at `depth`, each item written by `item` at the level inside it.
fn list<T>(buf: &mut Vec<u8>, depth: usize, items: &[T], item: impl Fn(&T, &mut Vec<u8>, usize)) {
    buf.push(b'[');
    if items.is_empty() {
        buf.push(b']');
        return;
    }
    for (i, t) in items.iter().enumerate() {
        buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        indent(buf, depth + 1);
        item(t, buf, depth + 1);
    }
    close(buf, depth, b']');
}

impl DiagnosticOut<'_> {
    /// The finding as an object at `depth` (its brace where the caller is).
    fn write(&self, buf: &mut Vec<u8>, depth: usize) {
        let d = depth + 1;
        buf.push(b'{');
        key(buf, d, true, "code");
        string(buf, self.code);
        key(buf, d, false, "fix");
        match &self.fix {
            None => buf.extend_from_slice(b"null"),
            Some(f) => {
                buf.push(b'{');
                key(buf, d + 1, true, "applicability");
                string(buf, f.applicability.name());
                key(buf, d + 1, false, "edits");
                list(buf, d + 1, &f.edits, |e, buf, depth| {
                    buf.push(b'{');
                    key(buf, depth + 1, true, "range");
                    e.range.write(buf, depth + 1);
                    key(buf, depth + 1, false, "replacement");
                    string(buf, &e.replacement);
                    close(buf, depth, b'}');
                });
                key(buf, d + 1, false, "title");
                string(buf, &f.title);
                close(buf, d, b'}');
            }
        }
        key(buf, d, false, "help");
        optional(buf, self.help.as_deref());
        key(buf, d, false, "labels");
        list(buf, d, &self.labels, |l, buf, depth| {
            buf.push(b'{');
            key(buf, depth + 1, true, "message");
            string(buf, &l.message);
            key(buf, depth + 1, false, "path");
            string(buf, l.path);
            key(buf, depth + 1, false, "range");
            l.range.write(buf, depth + 1);
            close(buf, depth, b'}');
        });
        key(buf, d, false, "message");
        string(buf, &self.message);
        key(buf, d, false, "name");
        optional(buf, self.name);
        key(buf, d, false, "path");
        string(buf, self.path);
        key(buf, d, false, "range");
        self.range.write(buf, d);
        key(buf, d, false, "severity");
        string(buf, self.severity.name());
        key(buf, d, false, "url");
        optional(buf, self.url);
        close(buf, depth, b'}');
    }
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

    fn location(n: usize) -> Location {
        Location {
            column: n,
            line: n.saturating_mul(7),
            offset: n.saturating_mul(1_000_003),
        }
    }

    /// Strings of every ASCII byte and some wider characters, at every
    /// offset of the eight-byte words, escape as serde_json escapes them.
    #[test]
    fn strings_escape_as_serde_json_does() {
        let mut cases: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        for pad in 0..17 {
            for c in [
                "\"", "\\", "\n", "\u{1}", "\u{1f}", " ", "\u{7f}", "é", "💥", "~",
            ] {
                cases.push(format!("{}{c}{}", "a".repeat(pad), "b".repeat(16 - pad)));
            }
        }
        cases.push((0u8..128).map(char::from).collect());
        cases.push(String::new());
        for c in &cases {
            let mut ours = Vec::new();
            string(&mut ours, c);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(c).unwrap(),
                "{c:?}"
            );
        }
    }

    /// The hand-written findings are byte for byte what serde_json's pretty
    /// printer makes of the same values: with and without a fix, labels,
    /// help, name and url, and strings that need every kind of escape.
    #[test]
    fn findings_are_written_as_serde_json_writes_them() {
        let odd = "quote \" back \\ nl \n cr \r tab \t bs \u{8} ff \u{c} nul \u{0} us \u{1f} del \u{7f} é 💥 `x`";
        let range = |n| Range {
            end: location(n + 1),
            start: location(n),
        };
        let full = DiagnosticOut {
            code: "X020",
            fix: Some(FixOut {
                applicability: Applicability::Unsafe,
                edits: vec![
                    EditOut {
                        range: range(3),
                        replacement: Cow::Borrowed(odd),
                    },
                    EditOut {
                        range: range(0),
                        replacement: Cow::Borrowed(""),
                    },
                ],
                title: Cow::Borrowed("Set `a = \"b\"`"),
            }),
            help: Some(Cow::Borrowed(odd)),
            labels: vec![LabelOut {
                message: Cow::Borrowed(odd),
                path: "a/\\b.yaml",
                range: range(usize::MAX / 8),
            }],
            message: Cow::Borrowed(odd),
            name: Some("fastcgi-pass-unreachable"),
            path: "docker/nginx/default.conf",
            range: range(12_345),
            severity: Severity::Error,
            url: Some("https://example.com/X020"),
        };
        let bare = DiagnosticOut {
            code: "E001",
            fix: Some(FixOut {
                applicability: Applicability::Safe,
                edits: Vec::new(),
                title: Cow::Borrowed(""),
            }),
            help: None,
            labels: Vec::new(),
            message: Cow::Borrowed(""),
            name: None,
            path: "",
            range: range(0),
            severity: Severity::Info,
            url: None,
        };
        let no_fix = DiagnosticOut {
            code: "E001",
            fix: None,
            help: None,
            labels: Vec::new(),
            message: Cow::Borrowed("m"),
            name: None,
            path: "p",
            range: range(1),
            severity: Severity::Warning,
            url: None,
        };
        for (depth, d) in [(2, &full), (1, &bare), (0, &no_fix), (5, &full)] {
            let mut ours = Vec::new();
            d.write(&mut ours, depth);
            let mut theirs = Vec::new();
            at_depth(&mut theirs, depth, d).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }

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
