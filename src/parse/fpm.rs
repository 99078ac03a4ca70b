//! A located parser for php-fpm configuration files (`php-fpm.conf`, pool
//! files such as `www.conf`).
//!
//! php-fpm reads its config line by line and hands each line to the Zend INI
//! scanner, so quoted values never span lines. We follow the same model: one
//! line is a section header, a directive, a comment or blank. Values keep their
//! raw text and span; `$pool` is expanded inside pool sections and `${ENV}`
//! references are kept symbolic (listed in [`Value::env_refs`]), never guessed.

use crate::source::Span;

/// Longest line we interpret; longer lines are reported, not scanned (hostile input).
const MAX_LINE: usize = 64 * 1024;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FpmFile {
    /// In file order. The first section has no header when the file starts
    /// with directives outside any section (php-fpm treats them as global).
    pub sections: Vec<Section>,
    pub comments: Vec<Comment>,
    pub errors: Vec<FpmError>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// Directives before any `[section]` header: php-fpm's global scope.
    Preamble,
    Global,
    Pool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub kind: SectionKind,
    /// The name between the brackets (`www`, `global`), absent for the preamble.
    pub name: Option<Located>,
    /// The whole `[name]` header, or an empty span at 0 for the preamble.
    pub header: Span,
    /// From the header to the end of the last directive.
    pub span: Span,
    pub directives: Vec<Directive>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Directive {
    /// The directive name without its array offset (`php_admin_value`, `pm.max_children`).
    pub name: Located,
    /// The offset of `name[offset]` (`env[PATH]` gives `PATH`); empty text for `name[]`.
    pub offset: Option<Located>,
    /// The whole key, offset included.
    pub key_span: Span,
    pub value: Value,
    /// From the key to the end of the value (comments excluded).
    pub span: Span,
    /// Byte offset just past this line's end (its newline included), for insertions.
    pub line_end: usize,
}

impl Directive {
    /// Case-insensitive name match, as php-fpm does (`strcasecmp`).
    pub fn is(&self, name: &str) -> bool {
        self.name.text.eq_ignore_ascii_case(name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quoting {
    Bare,
    Double,
    Single,
    /// Quoted and bare parts concatenated (`"a"b`).
    Mixed,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// The source text of the value, quotes included.
    pub raw: String,
    pub span: Span,
    /// What php-fpm sees: quotes removed, escapes applied, bare booleans kept as
    /// written (see [`Value::as_bool`]), `$pool` expanded in pools, `${ENV}` left as is.
    pub text: String,
    pub quoting: Quoting,
    /// `${NAME}` references, resolved only at php-fpm start-up.
    pub env_refs: Vec<Located>,
}

/// A value converted to a type, or why it could not be.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed<T> {
    Ok(T),
    /// Depends on an environment variable, so unknown until start-up.
    Symbolic,
    Invalid(String),
}

impl<T> Typed<T> {
    pub fn ok(self) -> Option<T> {
        match self {
            Typed::Ok(v) => Some(v),
            _ => None,
        }
    }
}

impl Value {
    pub fn is_symbolic(&self) -> bool {
        !self.env_refs.is_empty()
    }

    /// An fpm boolean. The INI scanner turns bare `yes/on/true` into "1" and bare
    /// `no/off/false/none/null` into "" (case-insensitively); since PHP 8.2.20 and
    /// 8.3.8 (php-src GH-13563) php-fpm also accepts the exact lowercase strings
    /// `yes/true/on/0/no/none/false/off`, so a quoted `"no"` or a bare `0` works
    /// there. See [`Value::is_legacy_bool`] for older releases.
    pub fn as_bool(&self) -> Typed<bool> {
        typed_bool(&self.text, self.quoting, self.is_symbolic(), &self.raw)
    }

    /// Whether php-fpm releases before GH-13563 also accept this boolean: there
    /// only the scanner's bare words, `1` and the empty string work.
    pub fn is_legacy_bool(&self) -> bool {
        let t = self.text.trim();
        match self.quoting {
            Quoting::Bare => t != "0" && self.as_bool().ok().is_some(),
            _ => t == "1" || t.is_empty(),
        }
    }

    /// An fpm integer: optional `-`, then digits only.
    pub fn as_int(&self) -> Typed<i64> {
        typed_int(&self.text, self.is_symbolic())
    }

    /// An fpm time in seconds: an integer with an optional `s`, `m`, `h` or `d` suffix.
    pub fn as_duration(&self) -> Typed<i64> {
        typed_duration(&self.text, self.is_symbolic())
    }

    /// A PHP shorthand byte quantity (`128M`, `1G`, `-1`), for `php_value` entries.
    pub fn as_size(&self) -> Typed<i64> {
        if self.is_symbolic() {
            return Typed::Symbolic;
        }
        parse_size(self.text.trim())
    }
}

/// An fpm boolean from a value's text as php-fpm sees it (see
/// [`Value::as_bool`]); `shown` is what an error message quotes.
pub fn typed_bool(text: &str, quoting: Quoting, symbolic: bool, shown: &str) -> Typed<bool> {
    if symbolic {
        return Typed::Symbolic;
    }
    let t = text.trim();
    let word = if quoting == Quoting::Bare {
        t.to_ascii_lowercase()
    } else {
        t.to_owned()
    };
    match word.as_str() {
        "yes" | "on" | "true" | "1" => Typed::Ok(true),
        "no" | "off" | "false" | "none" | "0" | "" => Typed::Ok(false),
        "null" if quoting == Quoting::Bare => Typed::Ok(false),
        _ => Typed::Invalid(format!("`{shown}` is not a boolean (use `yes` or `no`)")),
    }
}

/// An fpm time in seconds from a value's text (see [`parse_duration`]).
pub fn typed_duration(text: &str, symbolic: bool) -> Typed<i64> {
    if symbolic {
        return Typed::Symbolic;
    }
    parse_duration(text.trim())
}

/// An fpm integer from a value's text: optional `-`, then digits only.
pub fn typed_int(text: &str, symbolic: bool) -> Typed<i64> {
    if symbolic {
        return Typed::Symbolic;
    }
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Typed::Invalid(format!("`{t}` is not an integer"));
    }
    match t.parse::<i64>() {
        Ok(n) => Typed::Ok(n),
        Err(_) => Typed::Invalid(format!("`{t}` is out of range")),
    }
}

pub fn parse_duration(t: &str) -> Typed<i64> {
    let (num, mult) = match t.as_bytes().last() {
        Some(b's') => (&t[..t.len() - 1], 1),
        Some(b'm') => (&t[..t.len() - 1], 60),
        Some(b'h') => (&t[..t.len() - 1], 3600),
        Some(b'd') => (&t[..t.len() - 1], 86400),
        Some(b) if b.is_ascii_digit() => (t, 1),
        Some(_) => {
            return Typed::Invalid(format!(
                "`{t}` has an unknown time suffix (use `s`, `m`, `h` or `d`)"
            ));
        }
        None => return Typed::Invalid("an empty time value is invalid".into()),
    };
    let digits = num.strip_prefix('-').unwrap_or(num);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Typed::Invalid(format!("`{t}` is not a time value (e.g. `30s`, `10m`)"));
    }
    match num.parse::<i64>().ok().and_then(|n| n.checked_mul(mult)) {
        Some(n) => Typed::Ok(n),
        None => Typed::Invalid(format!("`{t}` is out of range")),
    }
}

pub fn parse_size(t: &str) -> Typed<i64> {
    let (num, mult) = match t.as_bytes().last() {
        Some(b'k' | b'K') => (&t[..t.len() - 1], 1i64 << 10),
        Some(b'm' | b'M') => (&t[..t.len() - 1], 1 << 20),
        Some(b'g' | b'G') => (&t[..t.len() - 1], 1 << 30),
        Some(b) if b.is_ascii_digit() => (t, 1),
        _ => {
            return Typed::Invalid(format!(
                "`{t}` is not a byte quantity (digits with an optional `K`, `M` or `G`)"
            ));
        }
    };
    let digits = num.strip_prefix(['-', '+']).unwrap_or(num);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Typed::Invalid(format!(
            "`{t}` is not a byte quantity (digits with an optional `K`, `M` or `G`)"
        ));
    }
    match num.parse::<i64>().ok().and_then(|n| n.checked_mul(mult)) {
        Some(n) => Typed::Ok(n),
        None => Typed::Invalid(format!("`{t}` is out of range")),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentStyle {
    Semicolon,
    /// `#`: not a comment for php-fpm since PHP 7.0 (the line is a fatal error).
    Hash,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    pub style: CommentStyle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Unterminated quote or header, a line without `=`, an empty key.
    Syntax,
    /// A `#` comment line.
    HashComment,
    /// `key =` with nothing after it (php-fpm: "value is NULL").
    EmptyValue,
    /// `$pool` used outside a pool section.
    PoolVarOutsidePool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FpmError {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
}

pub fn parse(text: &str) -> FpmFile {
    let mut p = Parser {
        file: FpmFile::default(),
    };
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let end = offset + line.len();
        p.line(offset, line.trim_end_matches(['\n', '\r']), end);
        offset = end;
    }
    for s in &mut p.file.sections {
        if let Some(last) = s.directives.last() {
            s.span = s.span.cover(last.span);
        }
        // Pool documents live until the project rules ran: give back what
        // the vectors grew into.
        s.directives.shrink_to_fit();
    }
    p.file.sections.shrink_to_fit();
    p.file.comments.shrink_to_fit();
    p.file
}

struct Parser {
    file: FpmFile,
}

impl Parser {
    fn error(&mut self, kind: ErrorKind, span: Span, message: impl Into<String>) {
        self.file.errors.push(FpmError {
            kind,
            span,
            message: message.into(),
        });
    }

    fn line(&mut self, start: usize, line: &str, line_end: usize) {
        if line.len() > MAX_LINE {
            self.error(
                ErrorKind::Syntax,
                Span::new(start, start + 1),
                format!("line is longer than {MAX_LINE} bytes and was not read"),
            );
            return;
        }
        let lead = line.len() - line.trim_start().len();
        let body = line.trim();
        let at = start + lead;
        if body.is_empty() {
            return;
        }
        if body.starts_with(';') {
            self.file.comments.push(Comment {
                span: Span::new(at, at + body.len()),
                style: CommentStyle::Semicolon,
            });
            return;
        }
        if body.starts_with('#') {
            let span = Span::new(at, at + body.len());
            self.file.comments.push(Comment {
                span,
                style: CommentStyle::Hash,
            });
            self.error(
                ErrorKind::HashComment,
                Span::new(at, at + 1),
                "`#` does not start a comment in php-fpm config since PHP 7.0: php-fpm refuses this line",
            );
            return;
        }
        if body.starts_with('[') {
            self.header(at, body);
            return;
        }
        self.directive(at, body, line_end);
    }

    fn header(&mut self, at: usize, body: &str) {
        let Some(close) = body.find(']') else {
            self.error(
                ErrorKind::Syntax,
                Span::new(at, at + body.len()),
                "section header has no closing `]`",
            );
            return;
        };
        let inner = &body[1..close];
        let name_lead = inner.len() - inner.trim_start().len();
        let name = inner.trim();
        let rest = body[close + 1..].trim_start();
        if !rest.is_empty() {
            let rest_at = at + body.len() - rest.len();
            if rest.starts_with(';') {
                self.comment(rest_at, rest);
            } else {
                self.error(
                    ErrorKind::Syntax,
                    Span::new(rest_at, rest_at + rest.len()),
                    "unexpected text after the section header",
                );
            }
        }
        if name.is_empty() {
            self.error(
                ErrorKind::Syntax,
                Span::new(at, at + close + 1),
                "section header has an empty name",
            );
        }
        let name_at = at + 1 + name_lead;
        let header = Span::new(at, at + close + 1);
        let kind = if name.eq_ignore_ascii_case("global") {
            SectionKind::Global
        } else {
            SectionKind::Pool
        };
        self.file.sections.push(Section {
            kind,
            name: Some(Located {
                text: name.to_owned(),
                span: Span::new(name_at, name_at + name.len()),
            }),
            header,
            span: header,
            directives: Vec::new(),
        });
    }

    fn comment(&mut self, at: usize, text: &str) {
        self.file.comments.push(Comment {
            span: Span::new(at, at + text.len()),
            style: CommentStyle::Semicolon,
        });
    }

    fn directive(&mut self, at: usize, body: &str, line_end: usize) {
        let Some(eq) = key_end(body) else {
            let why = if body.contains('[') && body.contains('=') {
                "has an unclosed `[` before its `=`"
            } else {
                "has no `=`"
            };
            self.error(
                ErrorKind::Syntax,
                Span::new(at, at + body.len()),
                format!("`{}` {why}: php-fpm refuses this line", truncate(body)),
            );
            return;
        };
        let key_text = body[..eq].trim_end();
        if key_text.is_empty() {
            self.error(
                ErrorKind::Syntax,
                Span::new(at + eq, at + eq + 1),
                "`=` without a directive name",
            );
            return;
        }
        let key_span = Span::new(at, at + key_text.len());
        let (name, offset) = match key_text.find('[') {
            Some(open) => {
                let Some(close) = key_text.rfind(']').filter(|c| *c > open) else {
                    self.error(
                        ErrorKind::Syntax,
                        key_span,
                        format!("`{key_text}` has an unclosed `[`"),
                    );
                    return;
                };
                let off = &key_text[open + 1..close];
                (
                    &key_text[..open],
                    Some(Located {
                        text: off.trim().trim_matches('"').to_owned(),
                        span: Span::new(at + open + 1, at + close),
                    }),
                )
            }
            None => (key_text, None),
        };
        let name = name.trim_end();
        let after_eq = &body[eq + 1..];
        let v_lead = after_eq.len() - after_eq.trim_start().len();
        let v_at = at + eq + 1 + v_lead;
        let pool = self.current_pool_name();
        let value = match self.value(v_at, after_eq.trim_start(), pool.as_deref()) {
            Some(v) => v,
            None => return,
        };
        if value.raw.is_empty() {
            self.error(
                ErrorKind::EmptyValue,
                Span::new(at, at + eq + 1),
                format!("`{key_text}` has no value: php-fpm refuses `key =` with nothing after it"),
            );
            return;
        }
        let directive = Directive {
            name: Located {
                text: name.to_owned(),
                span: Span::new(at, at + name.len()),
            },
            offset,
            key_span,
            span: Span::new(at, value.span.end),
            value,
            line_end,
        };
        if self.file.sections.is_empty() {
            self.file.sections.push(Section {
                kind: SectionKind::Preamble,
                name: None,
                header: Span::at(at),
                span: Span::at(at),
                directives: Vec::new(),
            });
        }
        if let Some(s) = self.file.sections.last_mut() {
            s.directives.push(directive);
        }
    }

    fn current_pool_name(&self) -> Option<String> {
        self.file
            .sections
            .last()
            .filter(|s| s.kind == SectionKind::Pool)
            .and_then(|s| s.name.as_ref())
            .map(|n| n.text.clone())
    }

    /// Scans a value: bare text, `"double"` (escapes, `${}`), `'single'` (raw),
    /// concatenated; stops at a `;` comment outside quotes.
    fn value(&mut self, at: usize, s: &str, pool: Option<&str>) -> Option<Value> {
        let mut text = String::new();
        let mut env_refs = Vec::new();
        let mut kinds = (false, false, false); // bare, double, single
        let mut end = 0; // end of the value within `s` (trailing blanks dropped)
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b';' => {
                    self.comment(at + i, &s[i..]);
                    break;
                }
                q @ (b'"' | b'\'') => {
                    let Some(rel) = find_close(&s[i + 1..], q) else {
                        self.error(
                            ErrorKind::Syntax,
                            Span::new(at + i, at + s.len()),
                            "unterminated quoted value (php-fpm reads one line at a time)",
                        );
                        return None;
                    };
                    let inner = &s[i + 1..i + 1 + rel];
                    if q == b'"' {
                        kinds.1 = true;
                        scan_env(inner, at + i + 1, &mut env_refs);
                        text.push_str(&unescape(inner));
                    } else {
                        kinds.2 = true;
                        text.push_str(inner);
                    }
                    i += rel + 2;
                    end = i;
                }
                _ => {
                    let stop = s[i..].find([';', '"', '\'']).map_or(s.len(), |n| i + n);
                    let chunk = &s[i..stop];
                    let trimmed = chunk.trim_end();
                    if !trimmed.is_empty() {
                        kinds.0 = true;
                        end = i + trimmed.len();
                    }
                    scan_env(chunk, at + i, &mut env_refs);
                    text.push_str(if stop == s.len() || s.as_bytes()[stop] == b';' {
                        trimmed
                    } else {
                        chunk
                    });
                    i = stop;
                }
            }
        }
        let raw = &s[..end];
        if raw.contains("$pool") {
            match pool {
                Some(p) => text = text.replace("$pool", p),
                None => {
                    let off = raw.find("$pool").unwrap_or(0);
                    self.error(
                        ErrorKind::PoolVarOutsidePool,
                        Span::new(at + off, at + off + 5),
                        "`$pool` is only defined inside a pool section",
                    );
                }
            }
        }
        let quoting = match kinds {
            (_, true, true) | (true, true, _) | (true, _, true) => Quoting::Mixed,
            (_, true, false) => Quoting::Double,
            (_, false, true) => Quoting::Single,
            _ => Quoting::Bare,
        };
        Some(Value {
            raw: raw.to_owned(),
            span: Span::new(at, at + end),
            text,
            quoting,
            env_refs,
        })
    }
}

/// Position of the `=` ending the key; `=` inside `[...]` offsets does not count.
fn key_end(body: &str) -> Option<usize> {
    let mut depth = 0u32;
    for (i, b) in body.bytes().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'=' if depth == 0 => return Some(i),
            b';' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

fn find_close(s: &str, q: u8) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if q == b'"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == q {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Zend INI double-quote escapes: `\"`, `\\` and `\$`; others stay literal.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if matches!(n, '"' | '\\' | '$') {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

fn scan_env(s: &str, at: usize, out: &mut Vec<Located>) {
    let mut from = 0;
    while let Some(rel) = s[from..].find("${") {
        let open = from + rel;
        let Some(close) = s[open..].find('}') else {
            break;
        };
        let name = &s[open + 2..open + close];
        out.push(Located {
            text: name.to_owned(),
            span: Span::new(at + open, at + open + close + 1),
        });
        from = open + close + 1;
    }
}

fn truncate(s: &str) -> String {
    if s.len() <= 40 {
        return s.to_owned();
    }
    let cut = crate::source::clamp_to_char_boundary(s, 40);
    format!("{}...", &s[..cut])
}

impl FpmFile {
    pub fn pools(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| s.kind == SectionKind::Pool)
    }

    /// `[global]` sections and the preamble (both are php-fpm's global scope).
    pub fn global_scopes(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| s.kind != SectionKind::Pool)
    }

    /// Every `include =` directive, wherever it is.
    pub fn includes(&self) -> impl Iterator<Item = &Directive> {
        self.sections
            .iter()
            .flat_map(|s| &s.directives)
            .filter(|d| d.is("include") && d.offset.is_none())
    }
}

impl Section {
    pub fn name(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.text.as_str())
    }

    /// The last scalar directive named `name` (later definitions win).
    pub fn get(&self, name: &str) -> Option<&Directive> {
        self.directives
            .iter()
            .rev()
            .find(|d| d.offset.is_none() && d.is(name))
    }

    /// Entries of an array directive (`env`, `php_value`, ...).
    pub fn array<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Directive> + 'a {
        self.directives
            .iter()
            .filter(move |d| d.offset.is_some() && d.is(name))
    }

    /// Where to insert a new directive line at the end of this section.
    pub fn insertion_point(&self, text: &str) -> usize {
        match self.directives.last() {
            Some(d) => d.line_end,
            None => text[self.header.end.min(text.len())..]
                .find('\n')
                .map_or(text.len(), |n| self.header.end + n + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Directive {
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        f.sections
            .iter()
            .flat_map(|s| s.directives.clone())
            .next_back()
            .expect("a directive")
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn sections_and_spans() {
        let text = "[global]\nerror_log = /proc/self/fd/2\n\n[www] ; pool\npm = dynamic\n";
        let f = parse(text);
        assert!(f.errors.is_empty());
        assert_eq!(f.sections.len(), 2);
        assert_eq!(f.sections[0].kind, SectionKind::Global);
        let www = &f.sections[1];
        assert_eq!(www.kind, SectionKind::Pool);
        assert_eq!(slice(text, www.header), "[www]");
        assert_eq!(slice(text, www.name.as_ref().unwrap().span), "www");
        let pm = www.get("PM").unwrap();
        assert_eq!(slice(text, pm.name.span), "pm");
        assert_eq!(slice(text, pm.value.span), "dynamic");
        assert_eq!(slice(text, www.span), "[www] ; pool\npm = dynamic");
        assert_eq!(f.comments.len(), 1);
        assert_eq!(slice(text, f.comments[0].span), "; pool");
        insta::assert_debug_snapshot!(f);
    }

    #[test]
    fn comments_and_trailing_comments() {
        let text = ";pm.max_requests = 500\n  ; indented\npm = static ; why\n";
        let f = parse(text);
        assert_eq!(f.comments.len(), 3);
        let d = &f.sections[0].directives[0];
        assert_eq!(d.value.text, "static");
        assert_eq!(slice(text, d.span), "pm = static");
        assert_eq!(slice(text, f.comments[2].span), "; why");
    }

    #[test]
    fn hash_comment_is_an_error_but_parsing_goes_on() {
        let text = "[www]\n# old style\npm = static\n";
        let f = parse(text);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].kind, ErrorKind::HashComment);
        assert_eq!(slice(text, f.errors[0].span), "#");
        assert_eq!(f.comments[0].style, CommentStyle::Hash);
        assert_eq!(f.sections[0].directives.len(), 1);
    }

    #[test]
    fn quoted_values() {
        let text = "access.format = \"%R - %u %t \\\"%m %r\\\" %s\" ; c\n";
        let d = one(text);
        assert_eq!(d.value.quoting, Quoting::Double);
        assert_eq!(d.value.text, "%R - %u %t \"%m %r\" %s");
        assert_eq!(slice(text, d.value.span), "\"%R - %u %t \\\"%m %r\\\" %s\"");
        let d = one("x = 'a;b ${X}'\n");
        assert_eq!(d.value.quoting, Quoting::Single);
        assert_eq!(d.value.text, "a;b ${X}");
        assert!(d.value.env_refs.is_empty());
        let d = one("x = \"a\"b\n");
        assert_eq!(d.value.quoting, Quoting::Mixed);
        assert_eq!(d.value.text, "ab");
    }

    #[test]
    fn unterminated_quote_is_located() {
        let text = "[www]\nslowlog = \"/var/log\n";
        let f = parse(text);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].kind, ErrorKind::Syntax);
        assert_eq!(slice(text, f.errors[0].span), "\"/var/log");
    }

    #[test]
    fn durations() {
        let d = |s: &str| parse_duration(s);
        assert_eq!(d("30s"), Typed::Ok(30));
        assert_eq!(d("30"), Typed::Ok(30));
        assert_eq!(d("10m"), Typed::Ok(600));
        assert_eq!(d("1h"), Typed::Ok(3600));
        assert_eq!(d("1d"), Typed::Ok(86400));
        assert!(matches!(d("10x"), Typed::Invalid(_)));
        assert!(matches!(d("s"), Typed::Invalid(_)));
        assert!(matches!(d(""), Typed::Invalid(_)));
        assert!(matches!(d("99999999999999999999d"), Typed::Invalid(_)));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("128M"), Typed::Ok(128 << 20));
        assert_eq!(parse_size("1G"), Typed::Ok(1 << 30));
        assert_eq!(parse_size("512k"), Typed::Ok(512 << 10));
        assert_eq!(parse_size("-1"), Typed::Ok(-1));
        assert!(matches!(parse_size("512MB"), Typed::Invalid(_)));
    }

    #[test]
    fn booleans() {
        for (v, b) in [
            ("yes", true),
            ("On", true),
            ("true", true),
            ("1", true),
            ("no", false),
            ("off", false),
            ("FALSE", false),
            ("0", false),
        ] {
            assert_eq!(
                one(&format!("x = {v}\n")).value.as_bool(),
                Typed::Ok(b),
                "{v}"
            );
        }
        // Quoted lowercase words and `0` are booleans since PHP 8.2.20/8.3.8, not before.
        let quoted = one("x = \"yes\"\n").value;
        assert_eq!(quoted.as_bool(), Typed::Ok(true));
        assert!(!quoted.is_legacy_bool());
        assert!(!one("x = 0\n").value.is_legacy_bool());
        assert!(one("x = Off\n").value.is_legacy_bool());
        assert!(matches!(
            one("x = \"YES\"\n").value.as_bool(),
            Typed::Invalid(_)
        ));
        assert!(matches!(one("x = 2\n").value.as_bool(), Typed::Invalid(_)));
        assert!(matches!(
            one("x = maybe\n").value.as_bool(),
            Typed::Invalid(_)
        ));
        assert_eq!(one("x = ${ON}\n").value.as_bool(), Typed::Symbolic);
    }

    #[test]
    fn pool_and_env_expansion() {
        let text = "[api]\nlisten = /run/$pool.sock\nslowlog = \"${LOG_DIR}/$pool.slow\"\n";
        let f = parse(text);
        assert!(f.errors.is_empty());
        let pool = &f.sections[0];
        assert_eq!(pool.get("listen").unwrap().value.text, "/run/api.sock");
        let slow = &pool.get("slowlog").unwrap().value;
        assert_eq!(slow.text, "${LOG_DIR}/api.slow");
        assert_eq!(slow.env_refs.len(), 1);
        assert_eq!(slow.env_refs[0].text, "LOG_DIR");
        assert_eq!(slice(text, slow.env_refs[0].span), "${LOG_DIR}");
        assert_eq!(slow.as_duration(), Typed::Symbolic);
        let g = parse("[global]\npid = /run/$pool.pid\n");
        assert_eq!(g.errors.len(), 1);
        assert_eq!(g.errors[0].kind, ErrorKind::PoolVarOutsidePool);
    }

    #[test]
    fn arrays() {
        let text = "[www]\nphp_value[memory_limit] = 256M\nphp_admin_value[error_log] = /proc/self/fd/2\nphp_flag[display_errors] = off\nphp_admin_flag[log_errors] = on\nenv[DB_HOST] = $DB_HOST\naccess.suppress_path[] = /ping\n";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let www = &f.sections[0];
        let v: Vec<_> = www.array("php_value").collect();
        assert_eq!(v.len(), 1);
        let off = v[0].offset.as_ref().unwrap();
        assert_eq!(off.text, "memory_limit");
        assert_eq!(slice(text, off.span), "memory_limit");
        assert_eq!(slice(text, v[0].key_span), "php_value[memory_limit]");
        assert_eq!(v[0].value.as_size(), Typed::Ok(256 << 20));
        assert_eq!(www.array("env").next().unwrap().value.text, "$DB_HOST");
        assert_eq!(
            www.array("php_flag").next().unwrap().value.as_bool(),
            Typed::Ok(false)
        );
        let sp = www.array("access.suppress_path").next().unwrap();
        assert_eq!(sp.offset.as_ref().unwrap().text, "");
        assert!(www.get("php_value").is_none(), "arrays are not scalars");
        insta::assert_debug_snapshot!(
            www.directives
                .iter()
                .map(|d| (
                    &d.name.text,
                    d.offset.as_ref().map(|o| &o.text),
                    &d.value.text
                ))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn include_and_preamble() {
        let text = "include = php-fpm.d/*.conf\n[global]\ndaemonize = no\n";
        let f = parse(text);
        assert_eq!(f.sections[0].kind, SectionKind::Preamble);
        let inc: Vec<_> = f.includes().collect();
        assert_eq!(inc.len(), 1);
        assert_eq!(inc[0].value.text, "php-fpm.d/*.conf");
        assert_eq!(f.global_scopes().count(), 2);
    }

    #[test]
    fn later_definitions_win() {
        let f = parse("[www]\npm = static\npm = dynamic\n");
        assert_eq!(f.sections[0].get("pm").unwrap().value.text, "dynamic");
    }

    #[test]
    fn errors_are_located() {
        let text = "[www\nlisten\n= 9000\nuser =\nenv[X = 1\n[]\n[p] junk\n";
        let f = parse(text);
        let shown: Vec<_> = f
            .errors
            .iter()
            .map(|e| (e.kind, slice(text, e.span), e.message.as_str()))
            .collect();
        insta::assert_debug_snapshot!(shown);
    }

    #[test]
    fn insertion_point_is_after_the_last_directive() {
        let text = "[www]\npm = static\n; tail\n[other]\n";
        let f = parse(text);
        assert_eq!(f.sections[0].insertion_point(text), 18);
        assert_eq!(f.sections[1].insertion_point(text), text.len());
        let no_nl = "[www]";
        assert_eq!(parse(no_nl).sections[0].insertion_point(no_nl), 5);
    }

    /// Every construct with the exact text its span covers, one per line.
    fn render(text: &str, f: &FpmFile) -> String {
        let mut out = Vec::new();
        for s in &f.sections {
            out.push(format!(
                "section {:?} header={:?}",
                s.kind,
                slice(text, s.header)
            ));
            for d in &s.directives {
                out.push(format!(
                    "  key={:?} offset={:?} value={:?} -> {:?} ({:?}) env={:?}",
                    slice(text, d.name.span),
                    d.offset.as_ref().map(|o| slice(text, o.span)),
                    slice(text, d.value.span),
                    d.value.text,
                    d.value.quoting,
                    d.value
                        .env_refs
                        .iter()
                        .map(|e| (e.text.as_str(), slice(text, e.span)))
                        .collect::<Vec<_>>(),
                ));
            }
        }
        for c in &f.comments {
            out.push(format!("comment {:?} {:?}", c.style, slice(text, c.span)));
        }
        for e in &f.errors {
            out.push(format!(
                "error {:?} {:?}: {}",
                e.kind,
                slice(text, e.span),
                e.message
            ));
        }
        out.join("\n")
    }

    #[test]
    fn every_construct_snapshot() {
        let text = concat!(
            "include = php-fpm.d/*.conf ; outside any section\n",
            "[global]\n",
            "error_log = /proc/self/fd/2\n",
            "process_control_timeout = 20s\n",
            "# hash comment\n",
            "[www]\n",
            "  listen = /run/php/$pool.sock\n",
            "request_terminate_timeout = 1h\n",
            "pm.max_requests=500;tight\n",
            "clear_env = Off\n",
            "access.format = \"%R %u \\\"%m\\\" ; kept\" ; comment\n",
            "slowlog = '${NOT_EXPANDED}/x'\n",
            "chdir = \"${APP_DIR}\"/public\n",
            "env[DB_HOST] = $DB_HOST\n",
            "php_admin_value[memory_limit] = 256M\n",
            "php_flag[display_errors] = off\n",
            "access.suppress_path[] = /ping\n",
        );
        let f = parse(text);
        insta::assert_snapshot!(render(text, &f));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let long = "x".repeat(MAX_LINE + 10);
        let f = parse(&long);
        assert_eq!(f.errors.len(), 1);
        for t in [
            "\"",
            "[",
            "]",
            "=",
            "a=\"\\",
            "a=\"${",
            "a=${}",
            "é=ü",
            "[é]\nä = ö ; ü\n",
            "a[=b",
            "a]=b",
            "\r\n\r\n",
            "a = 'x' 'y\n",
        ] {
            let _ = parse(t);
        }
    }
}
