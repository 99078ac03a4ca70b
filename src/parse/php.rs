//! A located parser for the PHP that Laravel config files are written in
//! (`config/octane.php`), which never executes anything.
//!
//! It reads `<?php`, `declare(...)`, `namespace`/`use` statements, `//`, `#`
//! and `/* */` comments and `return <expr>;`, where the expression is built
//! from short `[...]` and long `array(...)` arrays (keyed and list entries,
//! `...` spreads), single/double-quoted strings, ints, floats, booleans,
//! `null`, `env('NAME', default)` (kept as an env reference with its
//! default), `Foo::class` and class constants, function and static method
//! calls (kept by name with their arguments), casts, constant arithmetic
//! (evaluated) and `.` concatenation. Anything else (variables, closures,
//! `new`, ternaries...) becomes an [`ValueKind::Opaque`] value with its span,
//! never a failure of the file. Real syntax errors (unterminated strings and
//! comments, unbalanced brackets, a missing `,` between entries) are located
//! [`PhpError`]s. Nesting is bounded by [`MAX_DEPTH`] (a located error, no
//! stack overflow) and every token is looked at a bounded number of times.

use crate::source::Span;

/// Arrays and expressions nested deeper than this are refused.
pub const MAX_DEPTH: usize = 128;
/// At most this many syntax errors are kept per file.
const MAX_ERRORS: usize = 20;

#[derive(Clone, Debug, Default)]
pub struct PhpFile {
    /// The value of the top-level `return` (the config array).
    pub root: Option<Value>,
    /// `use Foo\Bar;` names (fully qualified, with their spans).
    pub uses: Vec<(String, Span)>,
    pub errors: Vec<PhpError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhpError {
    pub kind: ErrorKind,
    pub message: String,
    pub span: Span,
    /// The opening bracket of an unclosed array, for a secondary label.
    pub related: Option<Span>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    /// No `return` of a value: Laravel gets `1` instead of a config array.
    NoReturn,
    TooDeep,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Array(Vec<Entry>),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// `env('NAME', default)`.
    Env {
        name: String,
        name_span: Span,
        default: Option<Box<Value>>,
    },
    /// `Foo::class` (constant `class`) or `Foo::BAR`.
    ClassConst {
        class: String,
        constant: String,
    },
    /// A bare constant (`SWOOLE_LOG_ERROR`, `PHP_EOL`).
    Const(String),
    /// `name(args)`: `swoole_cpu_num()`, `storage_path('logs')`.
    Call {
        name: String,
        args: Vec<Value>,
    },
    /// `Class::method(args)`: `Octane::defaultServicesToWarm()`.
    StaticCall {
        class: String,
        method: String,
        args: Vec<Value>,
    },
    /// `(int) expr` and friends.
    Cast {
        to: String,
        value: Box<Value>,
    },
    /// `a . b` that could not be folded to one string.
    Concat(Vec<Value>),
    /// Anything else, kept by its span.
    Opaque,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Option<Value>,
    pub value: Value,
    /// `...expr`.
    pub spread: bool,
    pub span: Span,
}

impl Entry {
    /// The key when it is a string literal.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_ref().and_then(Value::as_str)
    }
}

impl Value {
    pub fn as_array(&self) -> &[Entry] {
        match &self.kind {
            ValueKind::Array(e) => e,
            _ => &[],
        }
    }

    /// The entry whose key is the string `key`; the last one wins, as in PHP.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_array()
            .iter()
            .rev()
            .find(|e| e.key_str() == Some(key))
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value PHP would get when no environment variable is set: the
    /// literal itself, or `env()`'s default, through casts and `intval()`.
    pub fn effective(&self) -> Option<Scalar> {
        self.effective_at(0)
    }

    fn effective_at(&self, depth: usize) -> Option<Scalar> {
        if depth > MAX_DEPTH {
            return None;
        }
        match &self.kind {
            ValueKind::Str(s) => Some(Scalar::Str(s.clone())),
            ValueKind::Int(i) => Some(Scalar::Int(*i)),
            ValueKind::Float(f) => Some(Scalar::Float(*f)),
            ValueKind::Bool(b) => Some(Scalar::Bool(*b)),
            ValueKind::Null => Some(Scalar::Null),
            ValueKind::Env { default, .. } => match default {
                Some(d) => d.effective_at(depth + 1),
                None => Some(Scalar::Null),
            },
            ValueKind::Cast { to, value } => {
                let v = value.effective_at(depth + 1)?;
                cast(&v, to)
            }
            ValueKind::Call { name, args } if args.len() == 1 => {
                let to = match name.trim_start_matches('\\').to_ascii_lowercase().as_str() {
                    "intval" => "int",
                    "floatval" | "doubleval" => "float",
                    "boolval" => "bool",
                    "strval" => "string",
                    _ => return None,
                };
                cast(&args[0].effective_at(depth + 1)?, to)
            }
            _ => None,
        }
    }

    /// The env variable this value reads, if any (through casts).
    pub fn env_name(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Env { name, .. } => Some(name),
            ValueKind::Cast { value, .. } => value.env_name(),
            ValueKind::Call { args, .. } if args.len() == 1 => args[0].env_name(),
            _ => None,
        }
    }
}

/// A literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
}

impl Scalar {
    /// The integer PHP's `(int)` cast gives (numeric prefix of strings).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Scalar::Int(i) => Some(*i),
            Scalar::Float(f) if f.is_finite() => Some(*f as i64),
            Scalar::Bool(b) => Some(i64::from(*b)),
            Scalar::Null => Some(0),
            Scalar::Str(s) => {
                let t = s.trim_start();
                let end = t
                    .char_indices()
                    .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+'))))
                    .map_or(t.len(), |(i, _)| i);
                Some(t[..end].parse().unwrap_or(0))
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
}

fn cast(v: &Scalar, to: &str) -> Option<Scalar> {
    Some(match to {
        "int" | "integer" => Scalar::Int(v.as_int()?),
        "bool" | "boolean" => Scalar::Bool(match v {
            Scalar::Bool(b) => *b,
            Scalar::Int(i) => *i != 0,
            Scalar::Float(f) => *f != 0.0,
            Scalar::Str(s) => !(s.is_empty() || s == "0"),
            Scalar::Null => false,
        }),
        "float" | "double" => Scalar::Float(match v {
            Scalar::Float(f) => *f,
            other => other.as_int()? as f64,
        }),
        "string" => Scalar::Str(match v {
            Scalar::Str(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Bool(true) => "1".into(),
            Scalar::Bool(false) | Scalar::Null => String::new(),
            Scalar::Float(f) => f.to_string(),
        }),
        _ => return None,
    })
}

// ---------------------------------------------------------------- lexer

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A string literal; `None` when it interpolates variables.
    Str(Option<String>),
    Int(i64),
    Float(f64),
    /// A name, possibly namespaced (`Foo\Bar`, `\env`).
    Ident(String),
    Var,
    Punct(&'static str),
    /// `?>`: the end of PHP code.
    Close,
    Eof,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    span: Span,
}

const PUNCTS: [&str; 44] = [
    "<<=", ">>=", "**=", "...", "<=>", "===", "!==", "??=", "?->", "=>", "::", "->", "??", "==",
    "!=", "<>", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", ".=", "%=", "**", "<<",
    ">>", "|=", "&=", "^=", "[", "]", "(", ")", "{", "}", ",", ";", "=", "?",
];
const SINGLE: &str = ".+-*/%<>!~^&|:@";

fn lex(text: &str, start: usize, errors: &mut Vec<PhpError>) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    'outer: while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let at = i;
        // Comments.
        if c == b'#' || (c == b'/' && b.get(i + 1) == Some(&b'/')) {
            while i < b.len() && b[i] != b'\n' {
                if b[i] == b'?' && b.get(i + 1) == Some(&b'>') {
                    break;
                }
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            match text[i + 2..].find("*/") {
                Some(p) => i = i + 2 + p + 2,
                None => {
                    push_err(
                        errors,
                        ErrorKind::Syntax,
                        "unterminated `/*` comment",
                        Span::new(at, at + 2),
                    );
                    i = b.len();
                }
            }
            continue;
        }
        if c == b'?' && b.get(i + 1) == Some(&b'>') {
            out.push(Token {
                tok: Tok::Close,
                span: Span::new(i, i + 2),
            });
            break;
        }
        if c == b'\'' || c == b'"' {
            let (tok, end) = string(text, i, errors);
            out.push(Token {
                tok,
                span: Span::new(at, end),
            });
            i = end;
            continue;
        }
        if c == b'<' && text[i..].starts_with("<<<") {
            let (end, ok) = heredoc(text, i);
            if !ok {
                push_err(
                    errors,
                    ErrorKind::Syntax,
                    "unterminated heredoc",
                    Span::new(at, at + 3),
                );
            }
            out.push(Token {
                tok: Tok::Str(None),
                span: Span::new(at, end),
            });
            i = end;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let (tok, end) = number(text, i);
            out.push(Token {
                tok,
                span: Span::new(at, end),
            });
            i = end;
            continue;
        }
        if c == b'$' {
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Var,
                span: Span::new(at, i),
            });
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' || c == b'\\' || c >= 0x80 {
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'\\' || b[i] >= 0x80)
            {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(text[at..i].to_owned()),
                span: Span::new(at, i),
            });
            continue;
        }
        for p in PUNCTS {
            if text[i..].starts_with(p) {
                i += p.len();
                out.push(Token {
                    tok: Tok::Punct(p),
                    span: Span::new(at, i),
                });
                continue 'outer;
            }
        }
        if let Some(pos) = SINGLE.find(c as char) {
            out.push(Token {
                tok: Tok::Punct(&SINGLE[pos..pos + 1]),
                span: Span::new(at, at + 1),
            });
            i += 1;
            continue;
        }
        push_err(
            errors,
            ErrorKind::Syntax,
            format!("unexpected character `{}`", (c as char).escape_default()),
            Span::new(at, at + 1),
        );
        i += 1;
    }
    out.push(Token {
        tok: Tok::Eof,
        span: Span::at(b.len()),
    });
    out
}

fn push_err(errors: &mut Vec<PhpError>, kind: ErrorKind, message: impl Into<String>, span: Span) {
    add_error(
        errors,
        PhpError {
            kind,
            message: message.into(),
            span,
            related: None,
        },
    );
}

/// Keeps at most [`MAX_ERRORS`], and one error per spot: a stray closer
/// would otherwise be reported once per enclosing bracket.
fn add_error(errors: &mut Vec<PhpError>, e: PhpError) {
    if errors.len() < MAX_ERRORS && errors.last().is_none_or(|l| l.span != e.span) {
        errors.push(e);
    }
}

/// A quoted string starting at `i`: its value and end offset.
fn string(text: &str, i: usize, errors: &mut Vec<PhpError>) -> (Tok, usize) {
    let quote = text.as_bytes()[i];
    let mut out = String::new();
    let mut interpolates = false;
    let mut chars = text[i + 1..].char_indices();
    while let Some((off, c)) = chars.next() {
        let pos = i + 1 + off;
        if c as u32 == u32::from(quote) {
            let tok = if interpolates {
                Tok::Str(None)
            } else {
                Tok::Str(Some(out))
            };
            return (tok, pos + 1);
        }
        if c == '\\' {
            let Some((_, n)) = chars.next() else { break };
            if quote == b'\'' {
                match n {
                    '\'' | '\\' => out.push(n),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            } else {
                match n {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'v' => out.push('\u{b}'),
                    'e' => out.push('\u{1b}'),
                    'f' => out.push('\u{c}'),
                    '0' => out.push('\0'),
                    '\\' | '$' | '"' => out.push(n),
                    // \x.., \u{..} and octal escapes are kept as written.
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            continue;
        }
        if quote == b'"' && c == '$' {
            let next = text[pos + 1..].chars().next();
            if next.is_some_and(|n| n.is_alphabetic() || n == '_' || n == '{') {
                interpolates = true;
            }
        }
        if quote == b'"' && c == '{' && text[pos + 1..].starts_with('$') {
            interpolates = true;
        }
        out.push(c);
    }
    push_err(
        errors,
        ErrorKind::Syntax,
        "unterminated string",
        Span::new(i, i + 1),
    );
    (Tok::Str(None), text.len())
}

/// A heredoc or nowdoc at `i`: its end offset, and whether it was closed.
fn heredoc(text: &str, i: usize) -> (usize, bool) {
    let rest = &text[i + 3..];
    let line_end = rest.find('\n').map_or(text.len(), |p| i + 3 + p);
    let label: String = text[i + 3..line_end]
        .trim()
        .trim_matches(|c| c == '\'' || c == '"')
        .to_owned();
    if label.is_empty() || !label.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return (line_end, false);
    }
    let mut pos = line_end;
    while pos < text.len() {
        let start = pos + 1;
        let end = text[start.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |p| start + p);
        let line = text.get(start..end).unwrap_or("").trim_start();
        if let Some(after) = line.strip_prefix(label.as_str()) {
            if !after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                let label_at = end - line.len() + label.len();
                return (label_at, true);
            }
        }
        pos = end;
    }
    (text.len(), false)
}

fn number(text: &str, i: usize) -> (Tok, usize) {
    let b = text.as_bytes();
    let mut j = i;
    let radix_prefix = |p: &str| text[i..].len() > 2 && text[i..i + 2].eq_ignore_ascii_case(p);
    for (p, radix) in [("0x", 16), ("0b", 2), ("0o", 8)] {
        if radix_prefix(p) {
            j = i + 2;
            while j < b.len() && (b[j].is_ascii_hexdigit() || b[j] == b'_') {
                j += 1;
            }
            let digits: String = text[i + 2..j].chars().filter(|c| *c != '_').collect();
            return match i64::from_str_radix(&digits, radix) {
                Ok(v) => (Tok::Int(v), j),
                Err(_) => (Tok::Float(f64::NAN), j),
            };
        }
    }
    let mut float = false;
    while j < b.len() {
        match b[j] {
            b'0'..=b'9' | b'_' => j += 1,
            b'.' if !float && b.get(j + 1).is_some_and(u8::is_ascii_digit) => {
                float = true;
                j += 1;
            }
            b'.' if !float && b.get(j + 1).is_none_or(|c| *c != b'.') => {
                // `1.` is a float; `1 . 'x'` is concatenation only with spaces.
                float = true;
                j += 1;
            }
            b'e' | b'E'
                if b.get(j + 1).is_some_and(|c| c.is_ascii_digit())
                    || (matches!(b.get(j + 1), Some(b'+' | b'-'))
                        && b.get(j + 2).is_some_and(u8::is_ascii_digit)) =>
            {
                float = true;
                j += 2;
            }
            _ => break,
        }
    }
    let digits: String = text[i..j].chars().filter(|c| *c != '_').collect();
    if !float {
        // A leading 0 is octal in PHP.
        let parsed = if digits.len() > 1 && digits.starts_with('0') {
            i64::from_str_radix(&digits[1..], 8).ok()
        } else {
            digits.parse::<i64>().ok()
        };
        if let Some(v) = parsed {
            return (Tok::Int(v), j);
        }
    }
    (Tok::Float(digits.parse::<f64>().unwrap_or(f64::NAN)), j)
}

// ---------------------------------------------------------------- parser

struct Parser<'t> {
    toks: Vec<Token>,
    pos: usize,
    errors: &'t mut Vec<PhpError>,
    /// Set once nesting went past [`MAX_DEPTH`]: the rest is not parsed.
    aborted: bool,
}

/// Parses a config file.
pub fn parse(text: &str) -> PhpFile {
    let mut errors = Vec::new();
    let mut file = PhpFile::default();
    // Inline text before `<?php` is output, not code.
    let Some(open) = text.find("<?php").or_else(|| text.find("<?")) else {
        if !text.trim().is_empty() {
            push_err(
                &mut errors,
                ErrorKind::Syntax,
                "no `<?php` open tag: PHP prints this file instead of running it",
                Span::new(0, text.find('\n').unwrap_or(text.len())),
            );
        }
        file.errors = errors;
        return file;
    };
    let code_start = if text[open..].starts_with("<?php") {
        open + 5
    } else {
        open + 2
    };
    let toks = lex(text, code_start, &mut errors);
    let mut p = Parser {
        toks,
        pos: 0,
        errors: &mut errors,
        aborted: false,
    };
    p.statements(&mut file);
    // A `return` inside a block (`if (...) { return [...]; }`) is not
    // followed: only a file with no `return` at all is reported.
    let returns_somewhere = p
        .toks
        .iter()
        .any(|t| matches!(&t.tok, Tok::Ident(w) if w.eq_ignore_ascii_case("return")));
    if file.root.is_none() && !returns_somewhere && !p.aborted && p.errors.is_empty() {
        push_err(
            p.errors,
            ErrorKind::NoReturn,
            "the file returns no value: Laravel expects `return [...]`",
            Span::new(open, code_start),
        );
    }
    file.errors = errors;
    file
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn peek_at(&self, n: usize) -> &Token {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek().tok, Tok::Punct(q) if q == p)
    }

    fn is_ident(&self, word: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(w) if w.eq_ignore_ascii_case(word))
    }

    fn at_end(&self) -> bool {
        matches!(self.peek().tok, Tok::Eof | Tok::Close)
    }

    fn error(&mut self, message: impl Into<String>, span: Span) {
        push_err(self.errors, ErrorKind::Syntax, message, span);
    }

    fn describe(t: &Token) -> String {
        match &t.tok {
            Tok::Str(_) => "a string".into(),
            Tok::Int(_) | Tok::Float(_) => "a number".into(),
            Tok::Ident(w) => format!("`{w}`"),
            Tok::Var => "a variable".into(),
            Tok::Punct(p) => format!("`{p}`"),
            Tok::Close => "`?>`".into(),
            Tok::Eof => "the end of the file".into(),
        }
    }

    fn statements(&mut self, file: &mut PhpFile) {
        while !self.at_end() && !self.aborted {
            let t = self.peek().clone();
            match &t.tok {
                Tok::Punct(";") => {
                    self.bump();
                }
                Tok::Ident(w) if w.eq_ignore_ascii_case("use") => {
                    self.bump();
                    self.use_statement(file);
                }
                Tok::Ident(w) if w.eq_ignore_ascii_case("return") => {
                    self.bump();
                    let v = self.expr(0);
                    if !self.aborted {
                        self.end_statement();
                    }
                    if file.root.is_none() {
                        file.root = Some(v);
                    }
                }
                _ => {
                    // `declare(...)`, `namespace X;`, assignments, `if`: kept out.
                    self.skip_statement();
                }
            }
        }
    }

    fn use_statement(&mut self, file: &mut PhpFile) {
        loop {
            let t = self.bump();
            match t.tok {
                Tok::Ident(w)
                    if !matches!(w.to_ascii_lowercase().as_str(), "function" | "const") =>
                {
                    file.uses
                        .push((w.trim_start_matches('\\').to_owned(), t.span));
                    if self.is_ident("as") {
                        self.bump();
                        self.bump();
                    }
                }
                Tok::Ident(_) | Tok::Punct(",") => {}
                Tok::Punct(";") | Tok::Eof | Tok::Close => return,
                Tok::Punct("{") => {
                    // Group use: `use A\{B, C};` (kept out).
                    self.skip_balanced_from_open(t);
                }
                _ => {
                    self.error(
                        format!("unexpected {} in a `use` statement", Self::describe(&t)),
                        t.span,
                    );
                    self.skip_statement();
                    return;
                }
            }
        }
    }

    fn end_statement(&mut self) {
        if self.is_punct(";") {
            self.bump();
        } else if !self.at_end() {
            let t = self.peek().clone();
            self.error(
                format!(
                    "expected `;` after the returned value, found {}",
                    Self::describe(&t)
                ),
                t.span,
            );
            self.skip_statement();
        }
    }

    /// Skips to the end of a statement (`;` or a `{...}` block at depth 0).
    fn skip_statement(&mut self) {
        while !self.at_end() && !self.aborted {
            let t = self.bump();
            match t.tok {
                Tok::Punct(";") => return,
                Tok::Punct("(" | "[") => self.skip_balanced_from_open(t),
                Tok::Punct("{") => {
                    self.skip_balanced_from_open(t);
                    if !self.is_punct(";") {
                        return;
                    }
                }
                Tok::Punct(")" | "]" | "}") => {
                    self.error(format!("unmatched {}", Self::describe(&t)), t.span)
                }
                _ => {}
            }
        }
    }

    /// After an opening bracket: skips to its closer, with an explicit stack.
    fn skip_balanced_from_open(&mut self, open: Token) {
        let mut stack = vec![open];
        while let Some(top) = stack.last().cloned() {
            let t = self.peek().clone();
            match &t.tok {
                Tok::Eof | Tok::Close => {
                    self.unclosed(&top, &t);
                    return;
                }
                Tok::Punct(p @ ("(" | "[" | "{")) => {
                    let _ = p;
                    self.bump();
                    stack.push(t);
                }
                Tok::Punct(p @ (")" | "]" | "}")) => {
                    if closer_of(&top) == *p {
                        self.bump();
                        stack.pop();
                    } else {
                        self.mismatch(&top, &t);
                        return;
                    }
                }
                _ => {
                    self.bump();
                }
            }
        }
    }

    fn unclosed(&mut self, open: &Token, at: &Token) {
        add_error(
            self.errors,
            PhpError {
                kind: ErrorKind::Syntax,
                message: format!(
                    "{} opened here is never closed (found {})",
                    Self::describe(open),
                    Self::describe(at)
                ),
                span: open.span,
                related: None,
            },
        );
    }

    fn mismatch(&mut self, open: &Token, at: &Token) {
        add_error(
            self.errors,
            PhpError {
                kind: ErrorKind::Syntax,
                message: format!(
                    "expected `{}`, found {}",
                    closer_of(open),
                    Self::describe(at)
                ),
                span: at.span,
                related: Some(open.span),
            },
        );
    }

    fn too_deep(&mut self, span: Span) -> Value {
        if !self.aborted {
            self.aborted = true;
            if self.errors.len() < MAX_ERRORS {
                self.errors.push(PhpError {
                    kind: ErrorKind::TooDeep,
                    message: format!("arrays or expressions nested deeper than {MAX_DEPTH} levels"),
                    span,
                    related: None,
                });
            }
        }
        // Nothing after this point is read: jump to the end.
        self.pos = self.toks.len() - 1;
        Value {
            kind: ValueKind::Opaque,
            span,
        }
    }

    /// An expression: binary operators of a config file, folded when constant.
    fn expr(&mut self, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            let span = self.peek().span;
            return self.too_deep(span);
        }
        let first = self.unary(depth + 1);
        let mut operands = vec![first];
        let mut ops: Vec<&'static str> = Vec::new();
        loop {
            if self.aborted {
                break;
            }
            let op = match self.peek().tok {
                Tok::Punct(p @ ("." | "+" | "-" | "*" | "/" | "%" | "**")) => p,
                Tok::Punct(
                    "??" | "?" | ":" | "==" | "===" | "!=" | "!==" | "<>" | "<" | ">" | "<=" | ">="
                    | "<=>" | "&&" | "||" | "&" | "|" | "^" | "<<" | ">>",
                ) => {
                    // Not evaluated: the whole expression becomes opaque.
                    let start = operands[0].span.start;
                    let end = self.skip_opaque_tail();
                    return Value {
                        kind: ValueKind::Opaque,
                        span: Span::new(start, end),
                    };
                }
                Tok::Ident(ref w)
                    if matches!(
                        w.to_ascii_lowercase().as_str(),
                        "and" | "or" | "xor" | "instanceof"
                    ) =>
                {
                    let start = operands[0].span.start;
                    let end = self.skip_opaque_tail();
                    return Value {
                        kind: ValueKind::Opaque,
                        span: Span::new(start, end),
                    };
                }
                _ => break,
            };
            self.bump();
            ops.push(op);
            operands.push(self.unary(depth + 1));
        }
        fold(operands, &ops)
    }

    /// Skips the rest of an expression PHP would evaluate but we do not:
    /// up to a `,`, `;`, `=>` or closer at this level. Returns its end.
    fn skip_opaque_tail(&mut self) -> usize {
        let mut end = self.peek().span.start;
        loop {
            let t = self.peek().clone();
            match &t.tok {
                Tok::Eof | Tok::Close => return end,
                Tok::Punct("," | ";" | ")" | "]" | "}" | "=>") => return end,
                Tok::Punct("(" | "[" | "{") => {
                    self.bump();
                    self.skip_balanced_from_open(t);
                    end = self.toks[self.pos.saturating_sub(1)].span.end;
                }
                _ => {
                    self.bump();
                    end = t.span.end;
                }
            }
        }
    }

    fn unary(&mut self, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            let span = self.peek().span;
            return self.too_deep(span);
        }
        let t = self.peek().clone();
        match t.tok {
            Tok::Punct(op @ ("-" | "+")) => {
                self.bump();
                let v = self.unary(depth + 1);
                let span = t.span.cover(v.span);
                let kind = match (op, v.kind) {
                    ("-", ValueKind::Int(i)) => i
                        .checked_neg()
                        .map_or(ValueKind::Float(-(i as f64)), ValueKind::Int),
                    ("-", ValueKind::Float(f)) => ValueKind::Float(-f),
                    ("+", k @ (ValueKind::Int(_) | ValueKind::Float(_))) => k,
                    _ => ValueKind::Opaque,
                };
                Value { kind, span }
            }
            Tok::Punct("!" | "~" | "@") => {
                self.bump();
                let v = self.unary(depth + 1);
                let span = t.span.cover(v.span);
                let kind = match (&t.tok, &v.kind) {
                    (Tok::Punct("!"), ValueKind::Bool(b)) => ValueKind::Bool(!b),
                    (Tok::Punct("@"), _) => v.kind,
                    _ => ValueKind::Opaque,
                };
                Value { kind, span }
            }
            _ => self.postfix(depth),
        }
    }

    /// A primary value, then `->`, `[...]` or `(...)` after it (opaque).
    fn postfix(&mut self, depth: usize) -> Value {
        let mut v = self.primary(depth);
        loop {
            if self.aborted {
                return v;
            }
            let t = self.peek().clone();
            match t.tok {
                Tok::Punct("->" | "?->" | "::") => {
                    self.bump();
                    let n = self.bump();
                    v = Value {
                        kind: ValueKind::Opaque,
                        span: v.span.cover(n.span),
                    };
                }
                Tok::Punct("[" | "(" | "{") if matches!(v.kind, ValueKind::Opaque) => {
                    self.bump();
                    self.skip_balanced_from_open(t);
                    let end = self.toks[self.pos.saturating_sub(1)].span.end;
                    v = Value {
                        kind: ValueKind::Opaque,
                        span: Span::new(v.span.start, end),
                    };
                }
                Tok::Punct("[") => {
                    // `['a' => 1]['a']`, `CONST[0]`: an index into a value.
                    self.bump();
                    self.skip_balanced_from_open(t);
                    let end = self.toks[self.pos.saturating_sub(1)].span.end;
                    v = Value {
                        kind: ValueKind::Opaque,
                        span: Span::new(v.span.start, end),
                    };
                }
                _ => return v,
            }
        }
    }

    fn primary(&mut self, depth: usize) -> Value {
        let before = self.pos;
        let t = self.bump();
        let span = t.span;
        let lit = |kind| Value { kind, span };
        match t.tok {
            Tok::Str(Some(s)) => lit(ValueKind::Str(s)),
            Tok::Str(None) => lit(ValueKind::Opaque),
            Tok::Int(i) => lit(ValueKind::Int(i)),
            Tok::Float(f) => lit(ValueKind::Float(f)),
            Tok::Var => lit(ValueKind::Opaque),
            Tok::Punct("[") => self.array(t, "]", depth),
            Tok::Punct("(") => {
                // A cast `(int) x`, or a parenthesised expression.
                if let (Tok::Ident(w), Tok::Punct(")")) = (&self.peek().tok, &self.peek_at(1).tok) {
                    let to = w.to_ascii_lowercase();
                    if matches!(
                        to.as_str(),
                        "int"
                            | "integer"
                            | "bool"
                            | "boolean"
                            | "float"
                            | "double"
                            | "string"
                            | "array"
                            | "object"
                    ) {
                        self.bump();
                        self.bump();
                        let v = self.unary(depth + 1);
                        return Value {
                            span: span.cover(v.span),
                            kind: ValueKind::Cast {
                                to,
                                value: Box::new(v),
                            },
                        };
                    }
                }
                let inner = self.expr(depth + 1);
                if self.is_punct(")") {
                    let close = self.bump();
                    Value {
                        kind: inner.kind,
                        span: span.cover(close.span),
                    }
                } else {
                    let found = self.peek().clone();
                    if matches!(found.tok, Tok::Eof | Tok::Close) {
                        self.unclosed(&t, &found);
                    } else {
                        self.mismatch(&t, &found);
                    }
                    Value {
                        kind: ValueKind::Opaque,
                        span: span.cover(inner.span),
                    }
                }
            }
            Tok::Ident(w) => self.name(w, span, depth),
            Tok::Punct("&") => {
                // `&$ref`
                let v = self.unary(depth + 1);
                Value {
                    kind: ValueKind::Opaque,
                    span: span.cover(v.span),
                }
            }
            _ => {
                self.error(
                    format!("expected a value, found {}", Self::describe(&t)),
                    span,
                );
                // Do not consume a closer or separator the caller needs.
                if matches!(
                    t.tok,
                    Tok::Punct("," | ";" | ")" | "]" | "}" | "=>") | Tok::Eof | Tok::Close
                ) {
                    self.pos = before;
                }
                Value {
                    kind: ValueKind::Opaque,
                    span,
                }
            }
        }
    }

    fn name(&mut self, w: String, span: Span, depth: usize) -> Value {
        let lower = w.to_ascii_lowercase();
        match lower.as_str() {
            "true" => {
                return Value {
                    kind: ValueKind::Bool(true),
                    span,
                };
            }
            "false" => {
                return Value {
                    kind: ValueKind::Bool(false),
                    span,
                };
            }
            "null" => {
                return Value {
                    kind: ValueKind::Null,
                    span,
                };
            }
            "array" if self.is_punct("(") => {
                let open = self.bump();
                let arr = self.array(open, ")", depth);
                return Value {
                    kind: arr.kind,
                    span: span.cover(arr.span),
                };
            }
            // Closures, `new`, `match`, `static fn`: kept by their span.
            "fn" | "function" | "static" | "new" | "match" | "clone" | "include" | "require"
            | "include_once" | "require_once" | "print" | "yield" | "throw" => {
                let mut end = self.skip_opaque_tail().max(span.end);
                // An arrow function's body follows its `=>`.
                if matches!(lower.as_str(), "fn" | "static") && self.is_punct("=>") {
                    self.bump();
                    end = self.skip_opaque_tail().max(end);
                }
                return Value {
                    kind: ValueKind::Opaque,
                    span: Span::new(span.start, end),
                };
            }
            _ => {}
        }
        if self.is_punct("::") {
            self.bump();
            let member = self.bump();
            let member_name = match &member.tok {
                Tok::Ident(m) => m.clone(),
                _ => {
                    return Value {
                        kind: ValueKind::Opaque,
                        span: span.cover(member.span),
                    };
                }
            };
            if self.is_punct("(") {
                let open = self.bump();
                let (args, end) = self.args(open, depth);
                return Value {
                    kind: ValueKind::StaticCall {
                        class: w,
                        method: member_name,
                        args,
                    },
                    span: Span::new(span.start, end),
                };
            }
            return Value {
                kind: ValueKind::ClassConst {
                    class: w,
                    constant: member_name,
                },
                span: span.cover(member.span),
            };
        }
        if self.is_punct("(") {
            let open = self.bump();
            let (args, end) = self.args(open, depth);
            let span = Span::new(span.start, end);
            if lower.trim_start_matches('\\') == "env" {
                if let Some(Value {
                    kind: ValueKind::Str(name),
                    span: name_span,
                }) = args.first()
                {
                    return Value {
                        kind: ValueKind::Env {
                            name: name.clone(),
                            name_span: *name_span,
                            default: args.get(1).cloned().map(Box::new),
                        },
                        span,
                    };
                }
            }
            return Value {
                kind: ValueKind::Call { name: w, args },
                span,
            };
        }
        Value {
            kind: ValueKind::Const(w),
            span,
        }
    }

    /// Call arguments after `(`: values (named arguments and spreads kept
    /// as their value), and the end offset of `)`.
    fn args(&mut self, open: Token, depth: usize) -> (Vec<Value>, usize) {
        let entries = self.entries(&open, ")", depth);
        let end = self.toks[self.pos.saturating_sub(1)].span.end;
        (entries.into_iter().map(|e| e.value).collect(), end)
    }

    fn array(&mut self, open: Token, closer: &'static str, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return self.too_deep(open.span);
        }
        let entries = self.entries(&open, closer, depth);
        let end = self.toks[self.pos.saturating_sub(1)]
            .span
            .end
            .max(open.span.end);
        Value {
            kind: ValueKind::Array(entries),
            span: Span::new(open.span.start, end),
        }
    }

    /// Comma-separated entries up to `closer` (consumed).
    fn entries(&mut self, open: &Token, closer: &'static str, depth: usize) -> Vec<Entry> {
        let mut out = Vec::new();
        if depth > MAX_DEPTH {
            self.too_deep(open.span);
            return out;
        }
        loop {
            if self.aborted {
                return out;
            }
            let t = self.peek().clone();
            match &t.tok {
                Tok::Punct(p) if *p == closer => {
                    self.bump();
                    return out;
                }
                // `;` cannot be inside an array or call: the bracket was never closed.
                Tok::Eof | Tok::Close | Tok::Punct(";") => {
                    self.unclosed(open, &t);
                    return out;
                }
                Tok::Punct(")" | "]" | "}") => {
                    self.mismatch(open, &t);
                    return out;
                }
                Tok::Punct(",") => {
                    // `[,]` is an error in PHP; `[1, , 2]` too.
                    self.error("empty array entry", t.span);
                    self.bump();
                    continue;
                }
                _ => {}
            }
            let start = t.span.start;
            let spread = self.is_punct("...");
            if spread {
                self.bump();
            }
            // Named arguments `name: value` in calls.
            if closer == ")" {
                if let (Tok::Ident(_), Tok::Punct(":")) = (&self.peek().tok, &self.peek_at(1).tok) {
                    self.bump();
                    self.bump();
                }
            }
            let first = self.expr(depth + 1);
            let (key, value) = if !spread && self.is_punct("=>") {
                self.bump();
                let v = self.expr(depth + 1);
                (Some(first), v)
            } else {
                (None, first)
            };
            let end = value.span.end.max(start);
            out.push(Entry {
                key,
                value,
                spread,
                span: Span::new(start, end),
            });
            if self.aborted {
                return out;
            }
            let t = self.peek().clone();
            match &t.tok {
                Tok::Punct(",") => {
                    self.bump();
                }
                Tok::Punct(p) if *p == closer => {}
                Tok::Eof | Tok::Close => {}
                Tok::Punct(")" | "]" | "}") => {}
                _ => {
                    self.error(
                        format!(
                            "expected `,` or `{closer}` after an array entry, found {}",
                            Self::describe(&t)
                        ),
                        t.span,
                    );
                    // Resume at the next entry.
                    self.skip_opaque_tail();
                    if self.is_punct("=>") {
                        self.bump();
                        self.skip_opaque_tail();
                    }
                    if self.is_punct(",") {
                        self.bump();
                    }
                }
            }
        }
    }
}

fn closer_of(open: &Token) -> &'static str {
    match open.tok {
        Tok::Punct("(") => ")",
        Tok::Punct("{") => "}",
        _ => "]",
    }
}

/// Folds `a op b op c` with PHP's precedences (`**` over `*`/`/`/`%` over
/// `+`/`-` over `.` since PHP 8) when the operands are literals: a
/// shunting-yard reduction, iterative so long chains cannot overflow the stack.
fn fold(operands: Vec<Value>, ops: &[&'static str]) -> Value {
    let prec = |op: &str| match op {
        "." => 0,
        "+" | "-" => 1,
        "*" | "/" | "%" => 2,
        _ => 3,
    };
    let mut operands = operands.into_iter();
    let Some(first) = operands.next() else {
        return Value {
            kind: ValueKind::Opaque,
            span: Span::default(),
        };
    };
    let mut vals: Vec<Value> = vec![first];
    let mut stack: Vec<&'static str> = Vec::new();
    let reduce = |vals: &mut Vec<Value>, op: &'static str| {
        if let (Some(b), Some(a)) = (vals.pop(), vals.pop()) {
            vals.push(combine(a, op, b));
        }
    };
    for (op, v) in ops.iter().zip(operands) {
        while let Some(&top) = stack.last() {
            let right_assoc = *op == "**";
            if prec(top) > prec(op) || (prec(top) == prec(op) && !right_assoc) {
                stack.pop();
                reduce(&mut vals, top);
            } else {
                break;
            }
        }
        stack.push(op);
        vals.push(v);
    }
    while let Some(top) = stack.pop() {
        reduce(&mut vals, top);
    }
    vals.pop().unwrap_or(Value {
        kind: ValueKind::Opaque,
        span: Span::default(),
    })
}

fn combine(a: Value, op: &str, b: Value) -> Value {
    let span = a.span.cover(b.span);
    if op == "." {
        let lit = |k: &ValueKind| match k {
            ValueKind::Str(s) => Some(s.clone()),
            ValueKind::Int(i) => Some(i.to_string()),
            ValueKind::Bool(true) => Some("1".into()),
            ValueKind::Bool(false) | ValueKind::Null => Some(String::new()),
            _ => None,
        };
        if let (Some(x), Some(y)) = (lit(&a.kind), lit(&b.kind)) {
            return Value {
                kind: ValueKind::Str(x + y.as_str()),
                span,
            };
        }
        let mut parts = match a.kind {
            ValueKind::Concat(p) => p,
            _ => vec![a],
        };
        parts.push(b);
        return Value {
            kind: ValueKind::Concat(parts),
            span,
        };
    }
    let kind = arith(&a.kind, op, &b.kind).unwrap_or(ValueKind::Opaque);
    Value { kind, span }
}

fn arith(a: &ValueKind, op: &str, b: &ValueKind) -> Option<ValueKind> {
    use ValueKind::{Float, Int};
    match (a, b) {
        (Int(x), Int(y)) => {
            let r = match op {
                "+" => x.checked_add(*y),
                "-" => x.checked_sub(*y),
                "*" => x.checked_mul(*y),
                "%" => x.checked_rem(*y),
                "/" if *y != 0 && x % y == 0 => Some(x / y),
                "/" if *y != 0 => return Some(Float(*x as f64 / *y as f64)),
                "**" if *y >= 0 => u32::try_from(*y).ok().and_then(|e| x.checked_pow(e)),
                _ => None,
            };
            r.map(Int)
        }
        (Int(_) | Float(_), Int(_) | Float(_)) => {
            let f = |k: &ValueKind| match k {
                Int(i) => *i as f64,
                Float(f) => *f,
                _ => 0.0,
            };
            let (x, y) = (f(a), f(b));
            Some(Float(match op {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "/" if y != 0.0 => x / y,
                "**" => x.powf(y),
                _ => return None,
            }))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    /// A readable dump of the parse: every value with its source text.
    fn show(text: &str) -> String {
        let f = parse(text);
        let mut out = String::new();
        for (u, s) in &f.uses {
            writeln!(out, "use {u} @{}..{}", s.start, s.end).ok();
        }
        if let Some(root) = &f.root {
            dump(text, root, 0, &mut out);
        }
        for e in &f.errors {
            writeln!(
                out,
                "error {:?} @{}..{} `{}`: {}",
                e.kind,
                e.span.start,
                e.span.end,
                &text[e.span.range()],
                e.message
            )
            .ok();
        }
        out
    }

    fn dump(text: &str, v: &Value, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent);
        let src = &text[v.span.range()];
        let src = if src.len() > 60 { "…" } else { src };
        match &v.kind {
            ValueKind::Array(entries) => {
                writeln!(
                    out,
                    "{pad}array ({} entries) `{}`",
                    entries.len(),
                    if src.len() > 20 { "…" } else { src }
                )
                .ok();
                for e in entries {
                    if e.spread {
                        writeln!(out, "{pad}  ...").ok();
                    }
                    if let Some(k) = &e.key {
                        writeln!(out, "{pad}  key:").ok();
                        dump(text, k, indent + 2, out);
                    }
                    dump(text, &e.value, indent + 1, out);
                }
            }
            other => {
                let desc = match other {
                    ValueKind::Env { name, default, .. } => format!(
                        "env {name} default={:?}",
                        default.as_ref().and_then(|d| d.effective())
                    ),
                    ValueKind::Call { name, args } => format!("call {name}/{}", args.len()),
                    ValueKind::StaticCall {
                        class,
                        method,
                        args,
                    } => format!("static {class}::{method}/{}", args.len()),
                    ValueKind::Cast { to, value } => {
                        format!("cast {to} -> {:?}", v.effective().or(value.effective()))
                    }
                    ValueKind::Concat(parts) => format!("concat/{}", parts.len()),
                    k => format!("{k:?}"),
                };
                writeln!(out, "{pad}{desc} `{src}`").ok();
            }
        }
    }

    const EVERY_CONSTRUCT: &str = r#"<?php
declare(strict_types=1);

namespace App\Config;

use Laravel\Octane\Octane;
use Laravel\Octane\Events\RequestReceived as Received, Foo\Bar;

// line comment
# hash comment
/* block
   comment */
$unused = 1;

return [
    'server' => env('OCTANE_SERVER', 'swoole'),
    'https' => env("OCTANE_HTTPS", false),
    'secret' => env('APP_KEY'),
    'listeners' => [
        Received::class => [
            ...Octane::prepareApplicationForNextOperation(),
            \Laravel\Octane\Listeners\FlushOnce::class,
        ],
    ],
    'long' => array('a', "b\n\"c\"", 'it\'s', array(1, 2,),),
    'numbers' => [0, -1, 1_000, 0x1F, 0b11, 017, 1.5, 2e3, .5],
    'bools' => [true, FALSE, Null],
    'math' => 20 * 1024 * 1024,
    'mixed' => 1 + 2 * 3 - 4 / 2,
    'concat' => 'storage' . '/' . 'logs',
    'path' => storage_path('logs') . '/swoole.log',
    'workers' => swoole_cpu_num() * 2,
    'const' => SWOOLE_LOG_ERROR,
    'class_const' => \Swoole\Constant::OPTION_WORKER_NUM,
    'cast' => (int) env('MAX', '30'),
    'intval' => intval(env('LYCHEE_MAX_EXECUTION_TIME', 30)),
    'ternary' => env('A') ? 1 : 2,
    'closure' => fn () => [1, 2],
    'func' => function ($x) { return $x; },
    'var' => $unused,
    'interp' => "x{$unused}y",
    'new' => new Foo(1, [2]),
    'named' => foo(bar: 1),
    'paren' => (1 + 2) * 3,
    'heredoc' => <<<EOT
      text
      EOT,
    5 => 'int key',
];
"#;

    #[test]
    fn every_construct() {
        insta::assert_snapshot!(show(EVERY_CONSTRUCT));
    }

    #[test]
    fn every_prefix_and_suffix_terminates() {
        let text = EVERY_CONSTRUCT;
        for (i, _) in text.char_indices() {
            let _ = parse(&text[..i]);
            let _ = parse(&format!("<?php {}", &text[i..]));
        }
    }

    #[test]
    fn errors_are_located() {
        insta::assert_snapshot!(show("<?php return [ this is not php"));
        insta::assert_snapshot!(show("<?php return ['a' => 1 'b' => 2];"));
        insta::assert_snapshot!(show("<?php return ['a' => [1, 2), 'b' => 3];"));
        insta::assert_snapshot!(show("<?php return ['a' => 'unterminated];"));
        insta::assert_snapshot!(show("<?php /* never closed\nreturn [];"));
        insta::assert_snapshot!(show("<?php\n$config = [];\n"));
        insta::assert_snapshot!(show("no php here"));
        insta::assert_snapshot!(show("<?php return [1, , 2];"));
        // A conditional return is not followed, and not an error.
        let f = parse("<?php\nif (PHP_SAPI === 'cli') {\n    return ['a' => 1];\n}\nreturn [];\n");
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let f = parse("<?php\nif ($x) { return ['a' => 1]; }\n");
        assert!(f.errors.is_empty() && f.root.is_none(), "{:?}", f.errors);
    }

    #[test]
    fn deep_nesting_is_a_located_error() {
        let depth = 10_000;
        let text = format!("<?php return {}{};", "[".repeat(depth), "]".repeat(depth));
        let f = parse(&text);
        let e = f
            .errors
            .iter()
            .find(|e| e.kind == ErrorKind::TooDeep)
            .expect("too deep");
        assert!(e.span.start > 0 && e.span.start < text.len());
        for (open, close) in [("(", "1;"), ("- ", "1;"), ("array(", ""), ("f(", "")] {
            let text = format!("<?php return {}{close}", open.repeat(depth));
            assert!(
                parse(&text)
                    .errors
                    .iter()
                    .any(|e| e.kind == ErrorKind::TooDeep),
                "`{open}` nested {depth} deep"
            );
        }
    }

    #[test]
    fn large_generated_array() {
        let mut text = String::from("<?php return [\n");
        let mut n = 0;
        while text.len() < 1 << 20 {
            writeln!(
                text,
                "    'key_{n}' => ['v' => {n} * 2, 'e' => env('X_{n}', 'd')],"
            )
            .ok();
            n += 1;
        }
        text.push_str("];\n");
        let f = parse(&text);
        assert!(f.errors.is_empty(), "{:?}", f.errors.first());
        let root = f.root.expect("root");
        assert_eq!(root.as_array().len(), n);
        let last = root.get(&format!("key_{}", n - 1)).expect("last");
        assert_eq!(
            last.get("v").and_then(Value::effective),
            Some(Scalar::Int(((n - 1) * 2) as i64))
        );
        // Many unclosed brackets: one error each (bounded), no blow-up.
        let text = format!("<?php return {}", "[".repeat(1 << 20));
        assert!(!parse(&text).errors.is_empty());
        let text = format!("<?php return [{}];", "$a ?? ".repeat(100_000));
        assert!(parse(&text).errors.len() <= MAX_ERRORS);
    }

    #[test]
    fn effective_values() {
        let f = parse(
            "<?php return ['a' => env('X', 5), 'b' => (int) env('Y', '30'), 'c' => '0', 'd' => env('Z')];",
        );
        let r = f.root.expect("root");
        assert_eq!(r.get("a").and_then(Value::effective), Some(Scalar::Int(5)));
        assert_eq!(r.get("b").and_then(Value::effective), Some(Scalar::Int(30)));
        assert_eq!(r.get("b").and_then(Value::env_name), Some("Y"));
        assert_eq!(
            r.get("c")
                .and_then(Value::effective)
                .and_then(|s| s.as_int()),
            Some(0)
        );
        assert_eq!(r.get("d").and_then(Value::effective), Some(Scalar::Null));
    }

    #[test]
    fn never_panics_on_fragments() {
        let samples = [
            "<?php",
            "<?php return",
            "<?php return [",
            "<?php return ['a' =>",
            "<?php return [...",
            "<?php return \"",
            "<?php return <<<",
            "<?php return <<<A\nx",
            "<?php return 0x",
            "<?php return 1e",
            "<?php return (",
            "<?php return (int",
            "<?php return A::",
            "<?php return f(a:",
            "<?php use",
            "<?php use {",
            "<?php return ]",
            "<?php }}}",
            "<?php return 9999999999999999999999;",
            "<?php return 1 ** -1;",
            "<?php return 1 % 0;",
            "<?php return PHP_INT_MAX + 1;",
            "<?php return -9223372036854775807 - 1;",
            "<?php return 'é' . \"ü\";",
            "<?php return [\u{0}];",
            "<?php ?> text",
            "<?php return 1 ?>",
            "<?",
            "<?php return $a->b?->c[1]{2};",
        ];
        for s in samples {
            let _ = parse(s);
        }
        for end in 0..400 {
            let full = "<?php\nuse A\\B;\nreturn ['x' => env('A', 1 + 2 * 3), \"y\\n\" => [1, 2.5, (int) '3', f(...), B::class], 'z' => <<<'E'\n t\n E, /* c */ 'w' => fn() => 1 ?: 2];\n";
            let cut = full
                .char_indices()
                .map(|(i, _)| i)
                .take_while(|i| *i <= end)
                .last()
                .unwrap_or(0);
            let _ = parse(&full[..cut]);
        }
    }
}
