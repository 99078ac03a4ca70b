//! Reporters are pure functions of the run's files, diagnostics and the catalog.

mod checkstyle;
mod concise;
pub mod diff;
pub mod fixes;
mod github;
mod gitlab;
pub mod graph;
mod human;
mod json;
mod junit;
mod sarif;
mod statistics;

pub use human::HumanOptions;
pub use statistics::write as write_statistics;

use crate::engine::LintResult;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Snippets with the span underlined, help lines and a summary.
    Human,
    /// One JSON document; see `schemas/report.schema.json`.
    Json,
    /// One line per finding: `path:line:col: CODE [severity] message`.
    Concise,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// GitLab Code Quality report (JSON).
    Gitlab,
    /// Checkstyle XML.
    Checkstyle,
    /// JUnit XML (CI test reports).
    Junit,
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
        Format::Concise => concise::write(result, human, &mut buf)?,
        Format::Sarif => sarif::write(result, &mut buf)?,
        Format::Github => github::write(result, &mut buf)?,
        Format::Gitlab => gitlab::write(result, &mut buf)?,
        Format::Checkstyle => checkstyle::write(result, &mut buf)?,
        Format::Junit => junit::write(result, &mut buf)?,
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
    /// Longest first.
    values: Vec<String>,
    /// Indices into `values` by their first four bytes: a message is scanned
    /// once, whatever the number of masked values.
    by_prefix: HashMap<[u8; 4], Vec<usize>>,
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
        let mut by_prefix: HashMap<[u8; 4], Vec<usize>> = HashMap::new();
        for (i, v) in values.iter().enumerate() {
            let b = v.as_bytes();
            by_prefix
                .entry([b[0], b[1], b[2], b[3]])
                .or_default()
                .push(i);
        }
        Redactor { values, by_prefix }
    }

    /// `text` with every masked value of every file replaced by `****` (a
    /// message about one file may quote another). Values of 8 bytes or more
    /// that are not plain words are scrubbed wherever they appear (`-pVALUE`).
    /// Short values only where a message quotes them, as a whole word inside
    /// a backtick span; plain words (`root`, `shopware`, `postgres`: weak
    /// passwords that are also ordinary words) only as a quoted assigned value
    /// (`PASSWORD=postgres`). A masked `root` must not turn "may run as root"
    /// into "may run as ****" in every message of the run, nor
    /// `postgres:16` into `****:16`.
    pub(crate) fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.values.is_empty() || text.len() < 4 {
            return Cow::Borrowed(text);
        }
        let bytes = text.as_bytes();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let mut out = String::new();
        let mut last = 0;
        let mut i = 0;
        while i + 4 <= bytes.len() {
            let key = [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]];
            let hit = self.by_prefix.get(&key).and_then(|candidates| {
                candidates.iter().map(|&c| &self.values[c]).find(|v| {
                    let end = i + v.len();
                    bytes[i..].starts_with(v.as_bytes())
                        && text.is_char_boundary(i)
                        && text.is_char_boundary(end)
                        && (v.len() >= 8 && !is_plain_word(v) || {
                            let before = text[..i].chars().next_back();
                            let after = text[end..].chars().next();
                            let first = v.chars().next();
                            let lastc = v.chars().next_back();
                            let quoted = bytes[..i].iter().filter(|&&b| b == b'`').count() % 2 == 1;
                            // A plain word (`postgres`) only as an assigned
                            // value (`PASSWORD=postgres`, `password: postgres`),
                            // not as the image or service it also names.
                            let assigned = !is_plain_word(v)
                                || text[..i].trim_end_matches([' ', '`']).ends_with(['=', ':']);
                            quoted
                                && assigned
                                && !(word(before) && word(first) || word(after) && word(lastc))
                        })
                })
            });
            match hit {
                Some(v) => {
                    out.push_str(&text[last..i]);
                    out.push_str("****");
                    i += v.len();
                    last = i;
                }
                None => i += 1,
            }
        }
        if last == 0 {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }
}

/// A value that reads as an ordinary word: letters only, shorter than 12.
fn is_plain_word(v: &str) -> bool {
    v.len() < 12 && v.bytes().all(|b| b.is_ascii_alphabetic())
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

/// Positions of findings, each computed from the previous one in the same
/// file when it is further on the same line (findings come sorted by offset):
/// many findings on one long line cost the line's length once, not each time.
#[derive(Default)]
pub(crate) struct Positions {
    last: HashMap<usize, crate::source::Position>,
}

impl Positions {
    pub(crate) fn at(
        &mut self,
        result: &LintResult,
        file: usize,
        offset: usize,
    ) -> crate::source::Position {
        let src = &result.files[file].source;
        let p = match self.last.get(&file) {
            Some(base) => src.position_after(*base, offset),
            None => src.position(offset),
        };
        self.last.insert(file, p);
        p
    }
}

/// Start and end (exclusive) positions of `span` in `file`: 1-based lines,
/// columns in Unicode scalar values.
pub(crate) fn region(
    result: &LintResult,
    positions: &mut Positions,
    file: usize,
    span: crate::source::Span,
) -> (crate::source::Position, crate::source::Position) {
    let start = positions.at(result, file, span.start);
    let end = result.files[file].source.position_after(start, span.end);
    (start, end)
}

/// A fingerprint per diagnostic (same order as `result.diagnostics`) that
/// stays the same when lines are added above the finding: a hash of the code,
/// the path and the text of the finding's first line with whitespace
/// collapsed (secrets masked), plus `:N` counting identical earlier ones.
/// FNV-1a, 64 bits: stable across Rust versions and platforms.
pub(crate) fn fingerprints(result: &LintResult) -> Vec<String> {
    fingerprints_of(result, result.diagnostics.iter())
}

/// [`fingerprints`] of the given findings of `result`, in their order.
pub(crate) fn fingerprints_of<'a>(
    result: &'a LintResult,
    diagnostics: impl Iterator<Item = &'a crate::diagnostic::Diagnostic>,
) -> Vec<String> {
    let mut texts: HashMap<usize, Cow<'_, str>> = HashMap::new();
    let mut seen: HashMap<u64, usize> = HashMap::new();
    diagnostics
        .map(|d| {
            let text = texts
                .entry(d.file)
                .or_insert_with(|| display_text(result, d.file));
            let src = &result.files[d.file].source;
            let line = src.lines.line_of(d.span.start.min(text.len()));
            let range = src.lines.line_range(text, line);
            let line_text = text.get(range).unwrap_or("");
            let mut h = Fnv::default();
            h.write(d.code.as_bytes());
            h.write(&[0]);
            h.write(src.path.as_bytes());
            h.write(&[0]);
            let mut first = true;
            for word in line_text.split_whitespace() {
                if !first {
                    h.write(b" ");
                }
                h.write(word.as_bytes());
                first = false;
            }
            let hash = h.0;
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            format!("{hash:016x}:{n}")
        })
        .collect()
}

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Text for XML attribute values and character data: markup characters as
/// entities, newlines and tabs as character references, and the control
/// characters XML 1.0 cannot carry at all as visible `\u{..}` escapes.
pub(crate) fn xml_escape(text: &str) -> Cow<'_, str> {
    let needs = |c: char| {
        matches!(c, '&' | '<' | '>' | '"' | '\'' | '\n' | '\r' | '\t')
            || is_bad_control(c)
            || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_bad_control(c) || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.extend(c.escape_unicode())
            }
            c => out.push(c),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_scrubs_masked_values_but_not_words_containing_short_ones() {
        let config = crate::config::Config::with_defaults(std::path::PathBuf::from("."));
        let text = "FROM alpine:3.19\nENV DB_PASSWORD=pass API_TOKEN=LongSecretValue1\n";
        let r = crate::lint_text("Dockerfile", text, &config, &Default::default());
        let red = Redactor::new(&r);
        assert_eq!(red.redact("password: `pass`."), "password: `****`.");
        assert_eq!(red.redact("`x=pass y`"), "`x=**** y`");
        // Outside a quote a short value is an ordinary word of the message.
        assert_eq!(red.redact("a pass through"), "a pass through");
        assert_eq!(red.redact("-pLongSecretValue1x"), "-p****x");
        assert_eq!(red.redact("nothing here"), "nothing here");
    }

    #[test]
    fn plain_word_secrets_are_scrubbed_only_where_quoted_whole() {
        let config = crate::config::Config::with_defaults(std::path::PathBuf::from("."));
        let text = "FROM alpine:3.19\nENV DB_PASSWORD=postgres ROOT_PASSWORD=root\n";
        let r = crate::lint_text("Dockerfile", text, &config, &Default::default());
        let red = Redactor::new(&r);
        assert_eq!(red.redact("may run as root"), "may run as root");
        assert_eq!(red.redact("`postgresql-dev`"), "`postgresql-dev`");
        assert_eq!(red.redact("`DB_PASSWORD=postgres`"), "`DB_PASSWORD=****`");
        assert_eq!(red.redact("`ROOT_PASSWORD: root`"), "`ROOT_PASSWORD: ****`");
        assert_eq!(red.redact("user `root`"), "user `root`");
        assert_eq!(red.redact("image `postgres:16`"), "image `postgres:16`");
    }

    #[test]
    fn xml_escaping_covers_markup_and_control_characters() {
        assert_eq!(xml_escape("plain"), "plain");
        assert_eq!(
            xml_escape("a<b>&\"c'\n\t\x1b\u{0}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#9;\\u{1b}\\u{0}"
        );
    }

    #[test]
    fn fingerprints_ignore_line_numbers_and_indentation_but_not_paths() {
        let config = crate::config::Config::with_defaults(std::path::PathBuf::from("."));
        let prints = |name: &str, text: &str| {
            let r = crate::lint_text(name, text, &config, &Default::default());
            fingerprints(&r)
        };
        let a = prints("Dockerfile", "FROM php:latest\nUSER app\n");
        let b = prints("Dockerfile", "# x\n\nFROM   php:latest\nUSER app\n");
        let c = prints("other/Dockerfile", "FROM php:latest\nUSER app\n");
        assert!(!a.is_empty());
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn same_length_sanitising_keeps_offsets() {
        let t = "a\x1b[2Jb\u{9b}c\u{202e}d\re\r\nf";
        let s = sanitize_same_length(t);
        assert_eq!(s.len(), t.len());
        assert_eq!(s, "a?[2Jb\u{bf}c\u{fffd}d\ne\r\nf");
        assert_eq!(sanitize_for_terminal("x\x1by"), "x\\u{1b}y");
    }
}
