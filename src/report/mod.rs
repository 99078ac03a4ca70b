//! Reporters are pure functions of the run's files, diagnostics and the catalog.

mod human;
mod json;

pub use human::HumanOptions;

use crate::engine::LintResult;
use std::borrow::Cow;
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
    // One buffer for every reporter: stdout is line-buffered, and a big
    // report would otherwise cost a system call per line.
    let mut buf = io::BufWriter::with_capacity(64 * 1024, out);
    match format {
        Format::Human => human::write(result, human, &mut buf)?,
        Format::Json => json::write(result, &mut buf)?,
    }
    buf.flush()
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

/// The masked values of each file (secrets), to scrub from messages, help and
/// labels as a safety net: a rule should never quote one, but if it does, the
/// reporters print `****` instead. Values shorter than 4 bytes are left alone
/// (they would blank ordinary words).
pub(crate) struct Redactor {
    values: Vec<String>,
}

impl Redactor {
    pub(crate) fn new(result: &LintResult) -> Self {
        let mut values = Vec::new();
        for (&file, spans) in &result.masks {
            let Some(f) = result.files.get(file) else {
                continue;
            };
            values.extend(
                spans
                    .iter()
                    .map(|s| f.source.slice(*s).trim().to_owned())
                    .filter(|v| v.len() >= 4),
            );
        }
        // Longest first, so a value containing another is scrubbed whole.
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        Redactor { values }
    }

    /// `text` with every masked value of every file replaced by `****`
    /// (a message about one file may quote another).
    pub(crate) fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for v in &self.values {
            if out.contains(v.as_str()) {
                if let Some(r) = replace_whole(&out, v) {
                    out = Cow::Owned(r);
                }
            }
        }
        out
    }
}

/// `text` with each occurrence of `value` replaced by `****`; values shorter
/// than 8 bytes only where they are not part of a longer word (a masked `pass`
/// must not turn `password` into `****word`). `None` when there is none.
fn replace_whole(text: &str, value: &str) -> Option<String> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut changed = false;
    for (at, _) in text.match_indices(value) {
        if at < last {
            continue;
        }
        let before = text[..at].chars().next_back();
        let after = text[at + value.len()..].chars().next();
        let edge_ok = |c: Option<char>, inner: Option<char>| !(word(c) && word(inner));
        // Long values are scrubbed wherever they appear (`-pVALUE`); short ones
        // only as whole words.
        let long = value.len() >= 8;
        if long
            || edge_ok(before, value.chars().next()) && edge_ok(after, value.chars().next_back())
        {
            out.push_str(&text[last..at]);
            out.push_str("****");
            last = at + value.len();
            changed = true;
        }
    }
    changed.then(|| {
        out.push_str(&text[last..]);
        out
    })
}

fn is_bad_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal: control characters (ESC, BEL, backspace, CR, C1 codes,
/// bidi overrides) become visible escapes such as `\u{1b}`, so file content and
/// names cannot drive the terminal. Newlines and tabs are kept.
pub fn sanitize_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_bad_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_bad_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Same-length variant for snippet text, whose byte offsets must not move:
/// each ASCII control byte becomes `?` (a lone CR becomes a newline, which it
/// is for the line index; the CR of CRLF stays), each 2-byte C1 control becomes
/// `¿` and each 3-byte bidi override becomes U+FFFD.
pub(crate) fn sanitize_same_length(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !text.chars().any(|c| c != '\r' && is_bad_control(c)) && !(0..bytes.len()).any(lone_cr) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c == '\r' {
            out.push(if lone_cr(i) { '\n' } else { '\r' });
        } else if is_bad_control(c) {
            match c.len_utf8() {
                1 => out.push('?'),
                2 => out.push('\u{bf}'),
                _ => out.push('\u{fffd}'),
            }
        } else {
            out.push(c);
        }
    }
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

/// Files' texts as shown in any output: secrets replaced by `*`.
pub(crate) fn display_text(result: &LintResult, file: usize) -> Cow<'_, str> {
    let source = &result.files[file].source;
    match result.masks.get(&file) {
        Some(masks) if !masks.is_empty() => Cow::Owned(source.masked_text(masks)),
        _ => Cow::Borrowed(source.text.as_str()),
    }
}
