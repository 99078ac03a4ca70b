//! A located php.ini parser following the Zend INI scanner (`INI_SCANNER_NORMAL`).
//!
//! It keeps what PHP itself would see (sections, `key[offset]`, bare keywords,
//! quoted strings, bitwise expressions, `${ENV}` references kept symbolic) and
//! gives every section, key, value part and comment its byte span. It never
//! fails: malformed lines become located [`IniError`]s and parsing resumes at
//! the next line, as PHP does (a php.ini syntax error is a startup warning).

use super::codes;
use crate::diagnostic::{Diagnostic, FileId, Label, Severity};
use crate::source::Span;

/// Bitwise expressions deeper than this are refused (hostile input).
const MAX_EXPR_DEPTH: usize = 64;

#[derive(Clone, Debug, Default)]
pub struct IniFile {
    pub sections: Vec<Section>,
    /// Every `key = value` line, in file order (duplicates included).
    pub entries: Vec<Entry>,
    pub comments: Vec<Comment>,
    pub errors: Vec<IniError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// `[PHP]`, `[opcache]`...: PHP ignores these names (grouping only).
    Plain,
    /// `[HOST=name]`: applies only to requests for that host (CGI/FastCGI).
    Host(String),
    /// `[PATH=/dir]`: applies only to scripts below that directory (CGI/FastCGI).
    Path(String),
}

#[derive(Clone, Debug)]
pub struct Section {
    pub name: String,
    pub kind: SectionKind,
    /// The whole `[...]` header.
    pub span: Span,
    pub name_span: Span,
    /// Where the section's body ends (the next header, or the end of file).
    pub body_end: usize,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub span: Span,
    /// `#` instead of `;` (removed in PHP 7.0: PHP reads it as a key).
    pub hash: bool,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    /// `key[offset]`: `Some("")` for `key[]`.
    pub offset: Option<(String, Span)>,
    pub value: Value,
    /// Index into [`IniFile::sections`].
    pub section: Option<usize>,
    /// From the key to the end of the value.
    pub span: Span,
    /// Byte offset just past this entry's line (after its newline, or EOF).
    pub line_end: usize,
}

impl Entry {
    /// `extension=` and `zend_extension=` load modules: they repeat by design.
    pub fn is_extension_load(&self) -> bool {
        self.key == "extension" || self.key == "zend_extension"
    }

    /// `zend_extension=opcache` (or a path to it).
    pub fn is_opcache_load(&self) -> bool {
        self.key == "zend_extension" && self.value.text().is_some_and(|t| t.contains("opcache"))
    }
}

/// One lexical piece of a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// A bare run of characters: a number, constant, path, `128M`...
    Word(String),
    /// `"..."` with escapes resolved; `${ENV}` inside is listed in [`Value::env`].
    Quoted(String),
    /// `'...'`: raw, no escapes, no `${}`.
    Raw(String),
    /// `${NAME}` or `${NAME:-default}` outside quotes.
    Env(EnvRef),
    /// `|`, `&`, `^`, `~`, `!`, `(` or `)`.
    Op(char),
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnvRef {
    pub name: String,
    /// `${NAME:-default}` (PHP 8.3+).
    pub default: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// From the first to the last part; empty (at the insertion point) when there is none.
    pub span: Span,
    pub parts: Vec<(Part, Span)>,
    /// Every `${...}` reference, inside quotes or not.
    pub env: Vec<EnvRef>,
    pub kind: ValueKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    /// `key =` with nothing after it.
    Empty,
    /// A bare `On/Off/True/False/Yes/No/None` (any case).
    Bool(bool),
    /// A bare `null`.
    Null,
    /// Literal text (one or more words and quoted strings).
    Text(String),
    /// A bitwise expression such as `E_ALL & ~E_DEPRECATED`.
    Expr,
    /// Depends on `${...}`: never guessed.
    Symbolic,
    /// The value has a syntax error (reported separately); rules skip it.
    Invalid,
}

impl Value {
    /// The string PHP hands the directive, when it does not depend on the
    /// environment or on expression evaluation. Bare booleans become `"1"`/`""`.
    pub fn text(&self) -> Option<String> {
        match &self.kind {
            ValueKind::Empty | ValueKind::Null => Some(String::new()),
            ValueKind::Bool(b) => Some(if *b { "1".into() } else { String::new() }),
            ValueKind::Text(t) => Some(t.clone()),
            ValueKind::Expr | ValueKind::Symbolic | ValueKind::Invalid => None,
        }
    }

    pub fn is_quoted(&self) -> bool {
        self.parts
            .iter()
            .any(|(p, _)| matches!(p, Part::Quoted(_) | Part::Raw(_)))
    }

    /// The boolean PHP's `OnUpdateBool` reads: bare keywords, `"on"/"yes"/"true"`,
    /// otherwise the integer value. `None` when symbolic or an expression.
    pub fn as_bool(&self) -> Option<bool> {
        if let ValueKind::Bool(b) = self.kind {
            return Some(b);
        }
        Some(text_as_bool(&self.text()?))
    }

    /// Evaluates the value as an integer expression (error levels, bitmasks),
    /// resolving bare identifiers with `constant`. `None` when symbolic or
    /// when an identifier is unknown.
    pub fn eval_int(&self, constant: &dyn Fn(&str) -> Option<i64>) -> Option<i64> {
        if matches!(self.kind, ValueKind::Symbolic | ValueKind::Invalid) {
            return None;
        }
        if let ValueKind::Bool(b) = self.kind {
            return Some(i64::from(b));
        }
        let mut p = ExprParser {
            parts: &self.parts,
            pos: 0,
            constant,
        };
        let v = p.expr(0)?;
        (p.pos == self.parts.len()).then_some(v)
    }
}

/// The boolean PHP's `OnUpdateBool` reads from a value's text: `on`, `yes`,
/// `true` (any case), otherwise the leading integer.
pub fn text_as_bool(text: &str) -> bool {
    let t = text.trim();
    ["on", "yes", "true"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w))
        || leading_int(t) != 0
}

/// C `atoi`-like: optional sign and leading digits, 0 when there are none.
pub fn leading_int(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n: i64 = digits
        .get(..digits.len().min(18))
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    if neg { -n } else { n }
}

/// Integer literal as the INI expression evaluator reads it (decimal or `0x`).
pub fn parse_int_literal(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let v = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()?
    } else {
        body.parse::<i64>().ok()?
    };
    Some(if neg { -v } else { v })
}

struct ExprParser<'a> {
    parts: &'a [(Part, Span)],
    pos: usize,
    constant: &'a dyn Fn(&str) -> Option<i64>,
}

impl ExprParser<'_> {
    // zend_ini_parser.y: `|`, `&`, `^` share one precedence, left-associative.
    fn expr(&mut self, depth: usize) -> Option<i64> {
        let mut acc = self.unary(depth)?;
        while let Some((Part::Op(op @ ('|' | '&' | '^')), _)) = self.parts.get(self.pos) {
            self.pos += 1;
            let rhs = self.unary(depth)?;
            acc = match op {
                '|' => acc | rhs,
                '&' => acc & rhs,
                _ => acc ^ rhs,
            };
        }
        Some(acc)
    }

    fn unary(&mut self, depth: usize) -> Option<i64> {
        if depth > MAX_EXPR_DEPTH {
            return None;
        }
        let (part, _) = self.parts.get(self.pos)?;
        self.pos += 1;
        match part {
            Part::Op('~') => Some(!self.unary(depth + 1)?),
            Part::Op('!') => Some(i64::from(self.unary(depth + 1)? == 0)),
            Part::Op('(') => {
                let v = self.expr(depth + 1)?;
                match self.parts.get(self.pos) {
                    Some((Part::Op(')'), _)) => {
                        self.pos += 1;
                        Some(v)
                    }
                    _ => None,
                }
            }
            Part::Word(w) => parse_int_literal(w).or_else(|| (self.constant)(w)),
            Part::Quoted(q) | Part::Raw(q) => parse_int_literal(q.trim()),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// PHP reports a syntax error here and skips the rest of the statement.
    Syntax,
    /// The same directive set twice in one scope: the later one wins.
    Duplicate,
    /// A `#` comment: removed in PHP 7.0, read as a key.
    HashComment,
    /// A line with a name but no `=`: PHP ignores it.
    MissingEquals,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IniError {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
    /// The earlier definition, for duplicates.
    pub related: Option<Span>,
}

impl IniFile {
    /// The entry PHP ends up using for `key` in the global scope (the last one),
    /// ignoring `[HOST=]`/`[PATH=]` sections.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.key == key && e.offset.is_none() && self.is_global(e))
    }

    /// Where the file configures OPcache, if it does (`None`: no
    /// `[opcache]` section, no `opcache.*` directive, no line loading it):
    /// the `[opcache]` header, else the first `opcache.*` directive (or the
    /// line loading it). Where to point when an OPcache directive is absent.
    pub fn opcache_anchor(&self) -> Option<Span> {
        self.section_named("opcache").map(|s| s.span).or_else(|| {
            self.entries
                .iter()
                .find(|e| e.key.starts_with("opcache.") || e.is_opcache_load())
                .map(|e| e.key_span)
        })
    }

    /// Whether the entry applies everywhere (not inside `[HOST=]`/`[PATH=]`).
    pub fn is_global(&self, e: &Entry) -> bool {
        e.section
            .and_then(|i| self.sections.get(i))
            .is_none_or(|s| s.kind == SectionKind::Plain)
    }

    /// Entries whose key starts with `prefix` (e.g. `opcache.`).
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.key.starts_with(prefix))
    }

    pub fn section_named(&self, name: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }
}

pub fn parse(text: &str) -> IniFile {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        file: IniFile::default(),
    };
    p.run();
    p.finish_sections();
    p.find_duplicates();
    // Documents can outlive parsing (project rules read them): give back
    // what the vectors grew into.
    p.file.entries.shrink_to_fit();
    p.file.comments.shrink_to_fit();
    p.file.sections.shrink_to_fit();
    p.file
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: IniFile,
}

fn is_eol(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    /// Offset of the end of the current line (before its terminator).
    fn line_end_from(&self, from: usize) -> usize {
        self.bytes
            .get(from..)
            .and_then(|rest| rest.iter().position(|b| is_eol(*b)))
            .map_or(self.bytes.len(), |i| from + i)
    }

    /// Moves past the current line's terminator.
    fn next_line(&mut self) {
        self.pos = self.line_end_from(self.pos);
        if self.peek() == Some(b'\r') {
            self.pos += 1;
        }
        if self.peek() == Some(b'\n') {
            self.pos += 1;
        }
    }

    fn error(&mut self, kind: ErrorKind, span: Span, message: impl Into<String>) {
        self.file.errors.push(IniError {
            kind,
            span,
            message: message.into(),
            related: None,
        });
    }

    fn comment(&mut self, hash: bool) {
        let start = self.pos;
        let end = self.line_end_from(start);
        self.file.comments.push(Comment {
            span: Span::new(start, end),
            hash,
        });
        if hash {
            self.error(
                ErrorKind::HashComment,
                Span::new(start, end),
                "`#` does not start a comment since PHP 7.0: PHP reads this line as a directive",
            );
        }
        self.pos = end;
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            self.skip_blanks();
            match self.peek() {
                None => break,
                Some(b) if is_eol(b) => self.next_line(),
                Some(b';') => self.comment(false),
                Some(b'#') => self.comment(true),
                Some(b'[') => self.section(),
                Some(_) => self.entry(),
            }
        }
    }

    fn section(&mut self) {
        let start = self.pos;
        let eol = self.line_end_from(start);
        let Some(close) = self.text[start..eol].find(']').map(|i| start + i) else {
            self.error(
                ErrorKind::Syntax,
                Span::new(start, eol),
                "section header is missing its closing `]`",
            );
            self.pos = eol;
            return;
        };
        let inner = &self.text[start + 1..close];
        let lead = inner.len() - inner.trim_start().len();
        let name = inner.trim();
        let name_start = start + 1 + lead;
        let name_span = Span::new(name_start, name_start + name.len());
        let kind = match name.split_once('=') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("HOST") => {
                SectionKind::Host(v.trim().to_owned())
            }
            Some((k, v)) if k.trim().eq_ignore_ascii_case("PATH") => {
                SectionKind::Path(v.trim().to_owned())
            }
            _ => SectionKind::Plain,
        };
        if name.is_empty() {
            self.error(
                ErrorKind::Syntax,
                Span::new(start, close + 1),
                "empty section name",
            );
        }
        self.file.sections.push(Section {
            name: name.to_owned(),
            kind,
            span: Span::new(start, close + 1),
            name_span,
            body_end: self.bytes.len(),
        });
        // The scanner returns to its initial state after `]`: the rest of the
        // line is read as a new statement.
        self.pos = close + 1;
    }

    fn entry(&mut self) {
        let start = self.pos;
        let eol = self.line_end_from(start);
        // The key runs to `=`, `[` (offset), `;` or the end of the line.
        let mut i = start;
        while i < eol && !matches!(self.bytes[i], b'=' | b'[' | b';') {
            i += 1;
        }
        let raw_key = &self.text[start..i];
        let key = raw_key.trim_end();
        let key_span = Span::new(start, start + key.len());
        if let Some(bad) = key.find(['"', '\'', '(', ')', '{', '}', '!', '&', '|', '^', '~', '$']) {
            let at = start + bad;
            self.error(
                ErrorKind::Syntax,
                Span::new(at, at + 1),
                format!(
                    "unexpected `{}` in directive name `{key}`",
                    &self.text[at..at + 1]
                ),
            );
            self.pos = eol;
            return;
        }
        let mut offset = None;
        if i < eol && self.bytes[i] == b'[' {
            let open = i;
            let Some(close) = self.text[open..eol].find(']').map(|j| open + j) else {
                self.error(
                    ErrorKind::Syntax,
                    Span::new(open, eol),
                    format!("`{key}[` is missing its closing `]`"),
                );
                self.pos = eol;
                return;
            };
            let inner = &self.text[open + 1..close];
            offset = Some((inner.trim().to_owned(), Span::new(open, close + 1)));
            i = close + 1;
            while i < eol && is_blank(self.bytes[i]) {
                i += 1;
            }
        }
        if i >= eol || self.bytes[i] != b'=' {
            if key.is_empty() {
                self.error(
                    ErrorKind::Syntax,
                    Span::new(start, (start + 1).min(eol)),
                    "unexpected text",
                );
            } else {
                self.error(
                    ErrorKind::MissingEquals,
                    key_span,
                    format!("`{key}` has no `=`: PHP ignores this line"),
                );
            }
            self.pos = i.min(eol);
            if self.pos < eol && self.bytes[self.pos] != b';' {
                self.pos = eol;
            }
            return;
        }
        if key.is_empty() {
            self.error(
                ErrorKind::Syntax,
                Span::new(i, i + 1),
                "`=` without a directive name",
            );
            self.pos = eol;
            return;
        }
        self.pos = i + 1;
        let errors_before = self.file.errors.len();
        let mut value = self.value(key);
        if self.file.errors.len() > errors_before {
            value.kind = ValueKind::Invalid;
        }
        let end = if value.parts.is_empty() {
            i + 1
        } else {
            value.span.end
        };
        let line_end = {
            let e = self.line_end_from(self.pos);
            let mut after = e;
            if self.bytes.get(after) == Some(&b'\r') {
                after += 1;
            }
            if self.bytes.get(after) == Some(&b'\n') {
                after += 1;
            }
            after
        };
        self.file.entries.push(Entry {
            key: key.to_owned(),
            key_span,
            offset,
            value,
            section: self.file.sections.len().checked_sub(1),
            span: Span::new(start, end),
            line_end,
        });
    }

    /// Reads a value up to the end of line or a `;` comment, outside quotes.
    fn value(&mut self, key: &str) -> Value {
        self.skip_blanks();
        let value_start = self.pos;
        let mut parts: Vec<(Part, Span)> = Vec::new();
        let mut env = Vec::new();
        // Words separated by blanks join with one space, as in PHP.
        let mut text = String::new();
        let mut last_end: Option<usize> = None;
        loop {
            self.skip_blanks();
            let Some(b) = self.peek() else { break };
            if is_eol(b) {
                break;
            }
            let start = self.pos;
            let part = match b {
                b';' => {
                    self.comment(false);
                    break;
                }
                b'"' => match self.double_quoted(&mut env) {
                    Some(s) => Part::Quoted(s),
                    None => break,
                },
                b'\'' => match self.single_quoted() {
                    Some(s) => Part::Raw(s),
                    None => break,
                },
                b'$' if self.bytes.get(self.pos + 1) == Some(&b'{') => match self.env_ref() {
                    Some(r) => {
                        env.push(r.clone());
                        Part::Env(r)
                    }
                    None => break,
                },
                b'|' | b'&' | b'^' | b'~' | b'!' | b'(' | b')' => {
                    self.pos += 1;
                    Part::Op(b as char)
                }
                b'=' => {
                    self.error(
                        ErrorKind::Syntax,
                        Span::new(start, start + 1),
                        format!("unexpected `=` in the value of `{key}`: quote the value"),
                    );
                    self.pos = self.line_end_from(start);
                    break;
                }
                _ => {
                    while let Some(c) = self.peek() {
                        if is_eol(c)
                            || is_blank(c)
                            || matches!(
                                c,
                                b';' | b'"'
                                    | b'\''
                                    | b'|'
                                    | b'&'
                                    | b'^'
                                    | b'~'
                                    | b'!'
                                    | b'('
                                    | b')'
                                    | b'='
                            )
                            || (c == b'$' && self.bytes.get(self.pos + 1) == Some(&b'{'))
                        {
                            break;
                        }
                        self.pos += 1;
                    }
                    Part::Word(self.text[start..self.pos].to_owned())
                }
            };
            let span = Span::new(start, self.pos);
            match &part {
                Part::Word(s) | Part::Quoted(s) | Part::Raw(s) => {
                    if last_end.is_some_and(|e| e < start) {
                        text.push(' ');
                    }
                    text.push_str(s);
                }
                _ => {}
            }
            last_end = Some(self.pos);
            parts.push((part, span));
        }
        let span = match (parts.first(), parts.last()) {
            (Some((_, a)), Some((_, b))) => a.cover(*b),
            _ => Span::at(value_start),
        };
        let has_op = parts.iter().any(|(p, _)| matches!(p, Part::Op(_)));
        if has_op {
            self.check_parens(&parts);
        }
        let kind = if !env.is_empty() {
            ValueKind::Symbolic
        } else if has_op {
            ValueKind::Expr
        } else {
            match parts.as_slice() {
                [] => ValueKind::Empty,
                [(Part::Word(w), _)] => keyword(w).unwrap_or(ValueKind::Text(text)),
                _ => ValueKind::Text(text),
            }
        };
        Value {
            span,
            parts,
            env,
            kind,
        }
    }

    fn check_parens(&mut self, parts: &[(Part, Span)]) {
        let mut open: Vec<Span> = Vec::new();
        for (p, span) in parts {
            match p {
                Part::Op('(') => {
                    open.push(*span);
                    if open.len() > MAX_EXPR_DEPTH {
                        self.error(
                            ErrorKind::Syntax,
                            *span,
                            format!("expression nested deeper than {MAX_EXPR_DEPTH} levels"),
                        );
                        return;
                    }
                }
                Part::Op(')') if open.pop().is_none() => {
                    self.error(ErrorKind::Syntax, *span, "unmatched `)`");
                    return;
                }
                _ => {}
            }
        }
        if let Some(span) = open.first() {
            self.error(ErrorKind::Syntax, *span, "unclosed `(`");
        }
    }

    /// `"..."`: may span lines; `\"`, `\\` and `\$` are unescaped; `${}` expands.
    fn double_quoted(&mut self, env: &mut Vec<EnvRef>) -> Option<String> {
        let open = self.pos;
        // A quote that never closes would swallow the rest of the file (as in
        // PHP); report it on its own line and carry on with the next one.
        if !self.text[open + 1..].contains('"') {
            let end = self.line_end_from(open);
            self.error(
                ErrorKind::Syntax,
                Span::new(open, end),
                "unterminated double-quoted string",
            );
            self.pos = end;
            return None;
        }
        self.pos += 1;
        let mut out = String::new();
        let mut run_start = self.pos;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    let next = self.bytes.get(self.pos + 1).copied();
                    // `\"` at the end of a line is a literal backslash then the
                    // closing quote (Windows paths such as "C:\dir\").
                    let at_eol = next == Some(b'"') && {
                        let mut j = self.pos + 2;
                        while self.bytes.get(j).copied().is_some_and(is_blank) {
                            j += 1;
                        }
                        self.bytes.get(j).is_none_or(|c| is_eol(*c) || *c == b';')
                    };
                    if at_eol {
                        self.pos += 1;
                        continue;
                    }
                    if matches!(next, Some(b'"' | b'\\' | b'$')) {
                        out.push_str(&self.text[run_start..self.pos]);
                        out.push(next.map_or('\\', char::from));
                        self.pos += 2;
                        run_start = self.pos;
                    } else {
                        self.pos += 1;
                    }
                }
                b'$' if self.bytes.get(self.pos + 1) == Some(&b'{') => {
                    let at = self.pos;
                    let eol = self.line_end_from(at);
                    match self.text[at..eol].find('}') {
                        Some(_) => {
                            out.push_str(&self.text[run_start..at]);
                            let r = self.env_ref()?;
                            out.push_str(&self.text[r.span.range()]);
                            env.push(r);
                            run_start = self.pos;
                        }
                        // No closing brace: PHP keeps the text as is.
                        None => self.pos += 2,
                    }
                }
                _ => self.pos += 1,
            }
        }
        let end = self.line_end_from(open);
        self.error(
            ErrorKind::Syntax,
            Span::new(open, end),
            "unterminated double-quoted string",
        );
        self.pos = end;
        None
    }

    /// `'...'`: raw, may span lines.
    fn single_quoted(&mut self) -> Option<String> {
        let open = self.pos;
        match self.text[open + 1..].find('\'') {
            Some(i) => {
                let close = open + 1 + i;
                self.pos = close + 1;
                Some(self.text[open + 1..close].to_owned())
            }
            None => {
                let end = self.line_end_from(open);
                self.error(
                    ErrorKind::Syntax,
                    Span::new(open, end),
                    "unterminated single-quoted string",
                );
                self.pos = end;
                None
            }
        }
    }

    /// `${NAME}` or `${NAME:-default}`, on one line.
    fn env_ref(&mut self) -> Option<EnvRef> {
        let start = self.pos;
        let eol = self.line_end_from(start);
        let Some(close) = self.text[start..eol].find('}').map(|i| start + i) else {
            self.error(
                ErrorKind::Syntax,
                Span::new(start, eol),
                "`${` is missing its closing `}`",
            );
            self.pos = eol;
            return None;
        };
        let inner = &self.text[start + 2..close];
        let (name, default) = match inner.split_once(":-") {
            Some((n, d)) => (n, Some(d.to_owned())),
            None => (inner, None),
        };
        self.pos = close + 1;
        let span = Span::new(start, close + 1);
        if name.trim().is_empty() {
            self.error(ErrorKind::Syntax, span, "`${}` names no variable");
        }
        Some(EnvRef {
            name: name.trim().to_owned(),
            default,
            span,
        })
    }

    fn finish_sections(&mut self) {
        let starts: Vec<usize> = self.file.sections.iter().map(|s| s.span.start).collect();
        let len = self.bytes.len();
        for (i, s) in self.file.sections.iter_mut().enumerate() {
            s.body_end = starts.get(i + 1).copied().unwrap_or(len);
        }
    }

    /// Same key (and offset) set twice in one scope. `[HOST=]`/`[PATH=]` are
    /// their own scopes; other section names are only grouping.
    fn find_duplicates(&mut self) {
        use std::collections::HashMap;
        let mut seen: HashMap<(Option<usize>, &str, Option<&str>), Span> = HashMap::new();
        let mut found = Vec::new();
        for e in &self.file.entries {
            if e.is_extension_load() || e.offset.as_ref().is_some_and(|(o, _)| o.is_empty()) {
                continue;
            }
            let scope = e.section.filter(|i| {
                self.file
                    .sections
                    .get(*i)
                    .is_some_and(|s| s.kind != SectionKind::Plain)
            });
            let k = (
                scope,
                e.key.as_str(),
                e.offset.as_ref().map(|(o, _)| o.as_str()),
            );
            if let Some(first) = seen.insert(k, e.key_span) {
                found.push(IniError {
                    kind: ErrorKind::Duplicate,
                    span: e.key_span,
                    message: format!("`{}` is set again: this later value wins", e.key),
                    related: Some(first),
                });
            }
        }
        self.file.errors.extend(found);
    }
}

/// Bare INI keywords (case-insensitive).
fn keyword(w: &str) -> Option<ValueKind> {
    let l = w.to_ascii_lowercase();
    match l.as_str() {
        "true" | "on" | "yes" => Some(ValueKind::Bool(true)),
        "false" | "off" | "no" | "none" => Some(ValueKind::Bool(false)),
        "null" => Some(ValueKind::Null),
        _ => None,
    }
}

impl IniError {
    /// The located parse diagnostic (`E030`-`E033`).
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        let e = self;
        use ErrorKind::*;
        let (code, severity, help, related, label) = match e.kind {
            Syntax => (
                codes::INI_SYNTAX,
                Severity::Error,
                "Fix the syntax here: PHP warns at startup and skips this statement; quote values that contain `=`, `;` or operators",
                "",
                "syntax error",
            ),
            Duplicate => (
                codes::INI_DUPLICATE,
                Severity::Warning,
                "Keep one definition: PHP silently uses the last one, so the earlier line is dead and misleading",
                "first set here",
                "set again: this value wins",
            ),
            HashComment => (
                codes::INI_HASH_COMMENT,
                Severity::Warning,
                "Start comments with `;`",
                "",
                "not a comment",
            ),
            MissingEquals => (
                codes::INI_MISSING_EQUALS,
                Severity::Warning,
                "Write `name = value`, or comment the line out with `;`",
                "",
                "ignored by PHP",
            ),
        };
        let mut d = Diagnostic::new(code, severity, file, e.span, e.message.clone())
            .with_help(help)
            .with_label(label);
        if let Some(r) = e.related {
            d.labels.push(Label {
                file,
                span: r,
                message: related.into(),
            });
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        let f = parse(text);
        let mut out = String::new();
        let sl = |s: Span| &text[s.range()];
        for s in &f.sections {
            out.push_str(&format!(
                "section {:?} {:?} header={:?} body_end={}\n",
                s.name,
                s.kind,
                sl(s.span),
                s.body_end
            ));
        }
        for e in &f.entries {
            out.push_str(&format!(
                "entry key={:?}@{:?}{} section={:?} value={:?} kind={:?}\n",
                e.key,
                sl(e.key_span),
                e.offset
                    .as_ref()
                    .map(|(o, sp)| format!(" offset={o:?}@{:?}", sl(*sp)))
                    .unwrap_or_default(),
                e.section,
                sl(e.value.span),
                e.value.kind
            ));
            for (p, sp) in &e.value.parts {
                out.push_str(&format!("  part {p:?} @{:?}\n", sl(*sp)));
            }
            for r in &e.value.env {
                out.push_str(&format!(
                    "  env {:?} default={:?} @{:?}\n",
                    r.name,
                    r.default,
                    sl(r.span)
                ));
            }
        }
        for c in &f.comments {
            out.push_str(&format!("comment {:?} hash={}\n", sl(c.span), c.hash));
        }
        for e in &f.errors {
            out.push_str(&format!(
                "error {:?} {:?} @{:?}{}\n",
                e.kind,
                e.message,
                sl(e.span),
                e.related
                    .map(|r| format!(" related @{}", r.start))
                    .unwrap_or_default()
            ));
        }
        out
    }

    #[test]
    fn sections_and_comments() {
        insta::assert_snapshot!(show(
            "; top comment\n[PHP]\nengine = On ; trailing\n\n[opcache]\nopcache.enable=1\n[HOST=www.example.com]\ndisplay_errors=Off\n[PATH=/srv/app]\nmemory_limit=256M\n"
        ));
    }

    #[test]
    fn scalar_values() {
        insta::assert_snapshot!(show(
            "memory_limit = 128M\nupload = 1G\nmax = -1\nprec = 14\nflt = 0.005\nlog = /var/log/php.log\nempty =\nnone = None\nnul = null\nbools = yes\nnot = FALSE\nwords = Not yet implemented\nopt = 0x7FFEBFFF\n"
        ));
    }

    #[test]
    fn quoted_strings() {
        insta::assert_snapshot!(show(
            "a = \"text/html\"\nb = 'raw ${X} \\n'\nc = \"esc \\\" \\\\ \\$ ; not a comment\"\nd = \"None\"\ne = \"line1\nline2\"\nwin = \"C:\\php\\\"\nf = \"a=href,form=\"\n"
        ));
    }

    #[test]
    fn expressions_and_constants() {
        let text = "error_reporting = E_ALL & ~E_DEPRECATED & ~E_STRICT\nx = (E_ERROR | E_WARNING) ^ 1\ny = !0\n";
        insta::assert_snapshot!(show(text));
        let f = parse(text);
        let c = |n: &str| match n {
            "E_ALL" => Some(32767),
            "E_DEPRECATED" => Some(8192),
            "E_STRICT" => Some(2048),
            "E_ERROR" => Some(1),
            "E_WARNING" => Some(2),
            _ => None,
        };
        assert_eq!(f.entries[0].value.eval_int(&c), Some(32767 & !8192 & !2048));
        assert_eq!(f.entries[1].value.eval_int(&c), Some(2));
        assert_eq!(f.entries[2].value.eval_int(&c), Some(1));
        let unknown = parse("x = E_NOPE | 1\n");
        assert_eq!(unknown.entries[0].value.eval_int(&c), None);
    }

    #[test]
    fn env_references_stay_symbolic() {
        let text = "memory_limit = ${PHP_MEMORY_LIMIT}\nopcache.validate_timestamps = ${VT:-0}\npath = \"${HOME}/x\"\nraw = '${NOT}'\n";
        insta::assert_snapshot!(show(text));
        let f = parse(text);
        assert_eq!(f.entries[0].value.text(), None);
        assert_eq!(f.entries[3].value.text().as_deref(), Some("${NOT}"));
    }

    #[test]
    fn extensions_offsets_and_duplicates() {
        insta::assert_snapshot!(show(
            "extension=redis\nextension=pdo_mysql\nzend_extension=opcache\nmemory_limit=128M\n[opcache]\nmemory_limit=512M\nfoo[] = 1\nfoo[] = 2\nbar[a] = 1\nbar[a] = 2\n[HOST=a]\nmemory_limit=1G\n"
        ));
    }

    #[test]
    fn malformed_lines_are_located() {
        insta::assert_snapshot!(show(
            "[PHP\nbare_name\n# old comment\n= 1\nbad(key = 1\nx = a = b\ny = \"open\nz = 'open\nw = ${OPEN\nv = (E_ALL\nu = E_ALL)\nok = 1\n"
        ));
    }

    #[test]
    fn bool_reading() {
        let f = parse("a=On\nb=\"yes\"\nc=0\nd=\"off\"\ne=2\nf=\n");
        let got: Vec<_> = f.entries.iter().map(|e| e.value.as_bool()).collect();
        // A quoted "off" is a string: atoi gives 0.
        assert_eq!(
            got,
            [
                Some(true),
                Some(true),
                Some(false),
                Some(false),
                Some(true),
                Some(false)
            ]
        );
    }

    #[test]
    fn crlf_and_section_then_statement() {
        let f = parse("[PHP] engine=On\r\nexpose_php = Off\r\n");
        assert_eq!(f.entries.len(), 2);
        assert_eq!(f.entries[1].value.text().as_deref(), Some(""));
        assert_eq!(f.entries[0].section, Some(0));
        assert!(f.errors.is_empty());
    }

    /// Every prefix of a file mixing all constructs parses, and every span it
    /// yields is in bounds and on character boundaries.
    #[test]
    fn every_prefix_parses_with_valid_spans() {
        let text = "; café\n[PHP]\nerror_reporting = E_ALL & ~(E_NOTICE | E_DEPRECATED)\nname = \"é ${HOME:-/root} \\\" x\"\nraw = 'ü\nv'\nk[é] = ${A}b ; c\n[HOST=é.example]\n# hash\nbare\n";
        for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
            let t = &text[..end];
            let f = parse(t);
            let ok = |s: Span| {
                s.start <= s.end
                    && s.end <= t.len()
                    && t.is_char_boundary(s.start)
                    && t.is_char_boundary(s.end)
            };
            for e in &f.entries {
                assert!(ok(e.key_span) && ok(e.value.span) && ok(e.span), "{t:?}");
                assert!(e.value.parts.iter().all(|(_, s)| ok(*s)), "{t:?}");
                assert!(e.line_end <= t.len());
            }
            assert!(
                f.sections.iter().all(|s| ok(s.span) && ok(s.name_span)),
                "{t:?}"
            );
            assert!(f.comments.iter().all(|c| ok(c.span)), "{t:?}");
            assert!(f.errors.iter().all(|e| ok(e.span)), "{t:?}");
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let deep = format!("x = {}1{}\n", "(".repeat(10_000), ")".repeat(10_000));
        let f = parse(&deep);
        assert!(f.errors.iter().any(|e| e.kind == ErrorKind::Syntax));
        assert_eq!(f.entries[0].value.eval_int(&|_| None), None);
        let long = format!("k = {}\n", "a".repeat(1 << 20));
        assert_eq!(parse(&long).entries.len(), 1);
        for junk in [
            "[",
            "\"",
            "=",
            "a[",
            "a=\"\\",
            "a=${",
            "a=$",
            "é=ü",
            "\u{feff}a=1",
            "a=\\\"",
        ] {
            let _ = parse(junk);
        }
    }
}
