//! A located parser for dotenv files (`.env`, `.env.production`), as Laravel
//! (vlucas/phpdotenv) and compose read them: `KEY=value`, an optional
//! `export ` prefix, `#` comments, single-quoted (literal) and double-quoted
//! (escapes, may span lines) values, and `${VAR}` references kept as written.
//! One pass over the text; a bad line is a located error and the rest is read.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvEntry {
    pub key: String,
    pub key_span: Span,
    /// The value after unquoting (escapes of double quotes applied).
    pub value: String,
    /// The value as written, quotes included (empty span for `KEY=`).
    pub value_span: Span,
    /// `'` or `"` for quoted values.
    pub quote: Option<char>,
    /// The whole entry, from the key (or `export`) to the end of the value.
    pub span: Span,
}

impl EnvEntry {
    /// The value refers to other variables (`${DB_HOST}`, `$HOME`); single
    /// quotes keep `$` literal.
    pub fn has_reference(&self) -> bool {
        self.quote != Some('\'') && has_reference(&self.value)
    }
}

/// `${VAR}`, `${VAR:-default}` or `$VAR` in a value.
pub fn has_reference(value: &str) -> bool {
    let b = value.as_bytes();
    b.iter().enumerate().any(|(i, c)| {
        *c == b'$'
            && b.get(i + 1)
                .is_some_and(|n| *n == b'{' || n.is_ascii_alphabetic() || *n == b'_')
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotEnvError {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DotEnvFile {
    pub entries: Vec<EnvEntry>,
    pub errors: Vec<DotEnvError>,
}

impl DotEnvFile {
    /// The last entry for `key` (later lines win, as in phpdotenv and compose).
    pub fn get(&self, key: &str) -> Option<&EnvEntry> {
        self.entries.iter().rev().find(|e| e.key == key)
    }
}

pub fn parse(text: &str) -> DotEnvFile {
    let mut out = DotEnvFile::default();
    let bytes = text.as_bytes();
    let mut pos = 0;
    // A quote with no closing one after some point has none after any later
    // point either: remembering it keeps many unclosed quotes linear.
    let mut unclosed = [false; 2];
    while pos < bytes.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let mut i = pos;
        skip_blanks(bytes, &mut i, line_end);
        if i >= line_end || bytes[i] == b'#' || (bytes[i] == b'\r' && i + 1 >= line_end) {
            pos = line_end + 1;
            continue;
        }
        let entry_start = i;
        if text[i..line_end].starts_with("export ") || text[i..line_end].starts_with("export\t") {
            i += "export".len();
            skip_blanks(bytes, &mut i, line_end);
        }
        let key_start = i;
        while i < line_end
            && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'.' | b'-'))
        {
            i += 1;
        }
        let key_end = i;
        skip_blanks(bytes, &mut i, line_end);
        if key_start == key_end || i >= line_end || bytes[i] != b'=' {
            let end = trim_end(text, pos, line_end);
            out.errors.push(DotEnvError {
                span: Span::new(entry_start, end.max(entry_start)),
                message: if key_start == key_end {
                    "expected `KEY=value`: a variable name starts with a letter, digit or `_`"
                        .into()
                } else {
                    format!(
                        "expected `=` after `{}`: write `KEY=value`",
                        &text[key_start..key_end]
                    )
                },
            });
            pos = line_end + 1;
            continue;
        }
        i += 1;
        skip_blanks(bytes, &mut i, line_end);
        let key = text[key_start..key_end].to_owned();
        let key_span = Span::new(key_start, key_end);
        let (value, value_span, quote, next) =
            if i < bytes.len() && matches!(bytes[i], b'"' | b'\'') {
                let q = bytes[i];
                let which = usize::from(q == b'"');
                let close = if unclosed[which] {
                    None
                } else {
                    closing_quote(bytes, i + 1, q)
                };
                unclosed[which] |= close.is_none();
                match close {
                    Some(close) => {
                        let raw = &text[i + 1..close];
                        let value = if q == b'"' {
                            unescape(raw)
                        } else {
                            raw.to_owned()
                        };
                        let after = text[close..].find('\n').map_or(text.len(), |n| close + n);
                        (value, Span::new(i, close + 1), Some(q as char), after + 1)
                    }
                    None => {
                        out.errors.push(DotEnvError {
                            span: Span::new(i, trim_end(text, i, line_end).max(i + 1)),
                            message: format!("unclosed {} quote", q as char),
                        });
                        pos = line_end + 1;
                        continue;
                    }
                }
            } else {
                // Unquoted: up to a ` #` comment, trimmed.
                let mut end = line_end;
                let mut j = i;
                while j < line_end {
                    if bytes[j] == b'#' && (j == i || matches!(bytes[j - 1], b' ' | b'\t')) {
                        end = j;
                        break;
                    }
                    j += 1;
                }
                let end = trim_end(text, i, end);
                (
                    text[i..end].to_owned(),
                    Span::new(i, end),
                    None,
                    line_end + 1,
                )
            };
        out.entries.push(EnvEntry {
            key,
            key_span,
            value,
            value_span,
            quote,
            span: Span::new(entry_start, value_span.end.max(key_end)),
        });
        pos = next;
    }
    out
}

fn skip_blanks(bytes: &[u8], i: &mut usize, end: usize) {
    while *i < end && matches!(bytes[*i], b' ' | b'\t') {
        *i += 1;
    }
}

fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

/// The index of the quote closing a value opened before `from` (double
/// quotes honour `\"`); values may span lines.
fn closing_quote(bytes: &[u8], from: usize, q: u8) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_forms() {
        let text = "# c\nAPP_NAME=Laravel\nexport A = 'x y' # c\nB=\"multi\nline\\n\"\nC=v # comment\nD=\nE=${A}-x\n";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let keys: Vec<_> = f.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["APP_NAME", "A", "B", "C", "D", "E"]);
        assert_eq!(f.get("A").unwrap().value, "x y");
        assert_eq!(&text[f.get("A").unwrap().value_span.range()], "'x y'");
        assert_eq!(f.get("B").unwrap().value, "multi\nline\n");
        assert_eq!(f.get("C").unwrap().value, "v");
        assert_eq!(f.get("D").unwrap().value, "");
        assert!(f.get("E").unwrap().has_reference());
        assert_eq!(
            &text[f.get("APP_NAME").unwrap().key_span.range()],
            "APP_NAME"
        );
    }

    #[test]
    fn bad_lines_are_located_and_reading_goes_on() {
        let text = "oops\nA='open\nB=1\n";
        let f = parse(text);
        assert_eq!(f.errors.len(), 2);
        assert_eq!(&text[f.errors[0].span.range()], "oops");
        assert_eq!(f.get("B").unwrap().value, "1");
    }

    #[test]
    fn crlf_and_empty_input() {
        let f = parse("A=1\r\n\r\nB='2'\r\n");
        assert_eq!(f.get("A").unwrap().value, "1");
        assert_eq!(f.get("B").unwrap().value, "2");
        assert!(f.errors.is_empty());
        assert_eq!(parse(""), DotEnvFile::default());
    }
}
