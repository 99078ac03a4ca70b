//! A located nginx configuration parser, following nginx's own tokenizer
//! (`ngx_conf_read_token`): whitespace-separated words, `;` ending a simple
//! directive, `{` / `}` blocks, `#` comments at the start of a word, `"` and
//! `'` quoted words with `\` escapes, and `${var}` braces kept inside a word.
//! `include` is an ordinary directive: nothing is expanded. The bodies of
//! OpenResty's `*_by_lua_block { ... }` are Lua, skipped by brace matching.
//!
//! One pass over the bytes, an explicit stack for blocks (nesting is bounded),
//! located errors; an error never stops the rest of the file.

use crate::source::Span;

/// Blocks nested deeper than this are reported, not parsed.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word's value: quotes removed and `\"`, `\'`, `\\`, `\t`, `\r`, `\n`
    /// escapes applied, as nginx does.
    pub text: String,
    pub span: Span,
    pub quoted: bool,
}

impl Word {
    /// Holds a variable (`$host`, `${var}`): its value is only known at run time.
    pub fn has_variable(&self) -> bool {
        self.text.contains('$')
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub name: Word,
    pub args: Vec<Word>,
    pub block: Option<Block>,
    /// From the name through the `;` or the closing `}`.
    pub span: Span,
}

impl Directive {
    /// The directives of its block (empty without one).
    pub fn children(&self) -> &[Directive] {
        self.block.as_ref().map_or(&[], |b| b.directives.as_slice())
    }

    pub fn is(&self, name: &str) -> bool {
        self.name.text == name
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub open: Span,
    pub close: Option<Span>,
    pub directives: Vec<Directive>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    TooDeep,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NginxError {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NginxFile {
    pub directives: Vec<Directive>,
    pub errors: Vec<NginxError>,
}

impl NginxFile {
    /// Every directive at any depth, parents before children.
    pub fn walk(&self) -> Vec<&Directive> {
        let mut out = Vec::new();
        let mut stack: Vec<&Directive> = self.directives.iter().rev().collect();
        while let Some(d) = stack.pop() {
            out.push(d);
            stack.extend(d.children().iter().rev());
        }
        out
    }
}

/// What ends a statement.
enum End {
    Semicolon(Span),
    Open(Span),
    Close(Span),
    Eof,
}

struct Lexer<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    errors: Vec<NginxError>,
}

impl Lexer<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(NginxError {
            kind: ErrorKind::Syntax,
            span,
            message: message.into(),
        });
    }

    fn next_char(&self, i: usize) -> usize {
        self.text[i..]
            .chars()
            .next()
            .map_or(i + 1, |c| i + c.len_utf8())
    }

    /// Reads the words of one statement up to what ends it.
    fn statement(&mut self, words: &mut Vec<Word>) -> End {
        let b = self.b;
        loop {
            // Whitespace and comments between words.
            while self.i < b.len() {
                match b[self.i] {
                    b' ' | b'\t' | b'\r' | b'\n' => self.i += 1,
                    b'#' => {
                        while self.i < b.len() && b[self.i] != b'\n' {
                            self.i += 1;
                        }
                    }
                    _ => break,
                }
            }
            if self.i >= b.len() {
                return End::Eof;
            }
            let start = self.i;
            match b[start] {
                b';' => {
                    self.i += 1;
                    return End::Semicolon(Span::new(start, start + 1));
                }
                b'{' => {
                    self.i += 1;
                    return End::Open(Span::new(start, start + 1));
                }
                b'}' => {
                    self.i += 1;
                    return End::Close(Span::new(start, start + 1));
                }
                q @ (b'"' | b'\'') => {
                    self.i += 1;
                    let mut value = String::new();
                    let mut closed = false;
                    while self.i < b.len() {
                        let c = b[self.i];
                        if c == b'\\' && self.i + 1 < b.len() {
                            self.i = escape(self.text, self.i, &mut value);
                        } else if c == q {
                            self.i += 1;
                            closed = true;
                            break;
                        } else {
                            let e = self.next_char(self.i);
                            value.push_str(&self.text[self.i..e]);
                            self.i = e;
                        }
                    }
                    if !closed {
                        let quote = q as char;
                        self.error(
                            Span::new(start, start + 1),
                            format!(
                                "unclosed `{quote}`: the quoted word runs to the end of the file"
                            ),
                        );
                    } else if let Some(&c) = b.get(self.i) {
                        if !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b')') {
                            let e = self.next_char(self.i);
                            let shown = self.text[self.i..e].to_owned();
                            self.error(
                                Span::new(self.i, e),
                                format!("unexpected `{shown}` right after a quoted word: nginx wants a space, `;` or `{{` there"),
                            );
                        }
                    }
                    words.push(Word {
                        text: value,
                        span: Span::new(start, self.i),
                        quoted: true,
                    });
                }
                _ => {
                    let mut value = String::new();
                    let mut variable = false;
                    while self.i < b.len() {
                        let c = b[self.i];
                        if c == b'{' && variable {
                            value.push('{');
                            self.i += 1;
                            variable = false;
                            continue;
                        }
                        variable = false;
                        match c {
                            b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' => break,
                            b'\\' if self.i + 1 < b.len() => {
                                self.i = escape(self.text, self.i, &mut value);
                            }
                            _ => {
                                variable = c == b'$';
                                let e = self.next_char(self.i);
                                value.push_str(&self.text[self.i..e]);
                                self.i = e;
                            }
                        }
                    }
                    words.push(Word {
                        text: value,
                        span: Span::new(start, self.i),
                        quoted: false,
                    });
                }
            }
        }
    }

    /// Skips a Lua block body after its `{`: braces matched, Lua strings and
    /// `--` comments skipped. Returns the closing brace's span.
    fn skip_lua(&mut self) -> Option<Span> {
        let b = self.b;
        let mut depth = 1usize;
        while self.i < b.len() {
            match b[self.i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.i += 1;
                        return Some(Span::new(self.i - 1, self.i));
                    }
                }
                q @ (b'"' | b'\'') => {
                    self.i += 1;
                    while self.i < b.len() && b[self.i] != q && b[self.i] != b'\n' {
                        if b[self.i] == b'\\' {
                            self.i += 1;
                        }
                        self.i += 1;
                    }
                }
                b'-' if b.get(self.i + 1) == Some(&b'-') => {
                    while self.i < b.len() && b[self.i] != b'\n' {
                        self.i += 1;
                    }
                    continue;
                }
                _ => {}
            }
            self.i += 1;
        }
        self.i = b.len();
        None
    }
}

/// Applies the escape at `i` (a `\`) into `out`; returns the index after it.
fn escape(text: &str, i: usize, out: &mut String) -> usize {
    let b = text.as_bytes();
    match b.get(i + 1) {
        Some(b'"') => out.push('"'),
        Some(b'\'') => out.push('\''),
        Some(b'\\') => out.push('\\'),
        Some(b't') => out.push('\t'),
        Some(b'r') => out.push('\r'),
        Some(b'n') => out.push('\n'),
        _ => {
            // Kept as written (`\.php$`): the next character follows as is.
            out.push('\\');
            return i + 1;
        }
    }
    i + 2
}

/// A directive whose block is being read.
struct Open {
    directive: Directive,
}

pub fn parse(text: &str) -> NginxFile {
    let mut lx = Lexer {
        text,
        b: text.as_bytes(),
        i: 0,
        errors: Vec::new(),
    };
    let mut top: Vec<Directive> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    // Blocks too deep to keep: only their braces are counted.
    let mut skipped_depth = 0usize;
    let push =
        |d: Directive, stack: &mut Vec<Open>, top: &mut Vec<Directive>| match stack.last_mut() {
            Some(o) => {
                if let Some(b) = o.directive.block.as_mut() {
                    b.directives.push(d);
                }
            }
            None => top.push(d),
        };
    loop {
        let mut words = Vec::new();
        let end = lx.statement(&mut words);
        let mut words = words.into_iter();
        let head = words.next();
        let args: Vec<Word> = words.collect();
        match end {
            End::Semicolon(semi) => {
                let Some(name) = head else {
                    lx.error(semi, "unexpected `;`: no directive before it");
                    continue;
                };
                if skipped_depth > 0 {
                    continue;
                }
                let span = Span::new(name.span.start, semi.end);
                push(
                    Directive {
                        name,
                        args,
                        block: None,
                        span,
                    },
                    &mut stack,
                    &mut top,
                );
            }
            End::Open(open) => {
                let Some(name) = head else {
                    lx.error(open, "unexpected `{`: a block needs a directive before it");
                    // Keep the braces balanced: read it as an anonymous block.
                    skipped_depth += 1;
                    continue;
                };
                if name.text.ends_with("_by_lua_block") {
                    let close = lx.skip_lua();
                    if close.is_none() {
                        lx.error(open, "unclosed `{`: this Lua block has no matching `}`");
                    }
                    if skipped_depth == 0 {
                        let end = close.map_or(text.len(), |c| c.end);
                        push(
                            Directive {
                                span: Span::new(name.span.start, end),
                                name,
                                args,
                                block: Some(Block {
                                    open,
                                    close,
                                    directives: Vec::new(),
                                }),
                            },
                            &mut stack,
                            &mut top,
                        );
                    }
                    continue;
                }
                if skipped_depth > 0 {
                    skipped_depth += 1;
                    continue;
                }
                if stack.len() >= MAX_DEPTH {
                    lx.errors.push(NginxError {
                        kind: ErrorKind::TooDeep,
                        span: open,
                        message: format!(
                            "blocks nested deeper than {MAX_DEPTH} levels; the inside of this block was not checked"
                        ),
                    });
                    skipped_depth = 1;
                    continue;
                }
                stack.push(Open {
                    directive: Directive {
                        span: Span::new(name.span.start, open.end),
                        name,
                        args,
                        block: Some(Block {
                            open,
                            close: None,
                            directives: Vec::new(),
                        }),
                    },
                });
            }
            End::Close(close) => {
                if let Some(name) = &head {
                    lx.error(
                        close,
                        format!(
                            "unexpected `}}`: the directive `{}` before it has no `;`",
                            name.text
                        ),
                    );
                }
                if skipped_depth > 0 {
                    skipped_depth -= 1;
                    continue;
                }
                match stack.pop() {
                    Some(mut o) => {
                        if let Some(b) = o.directive.block.as_mut() {
                            b.close = Some(close);
                        }
                        o.directive.span = Span::new(o.directive.span.start, close.end);
                        push(o.directive, &mut stack, &mut top);
                    }
                    None => lx.error(close, "unexpected `}`: no block is open here"),
                }
            }
            End::Eof => {
                if let Some(name) = &head {
                    let span = args.last().map_or(name.span, |a| name.span.cover(a.span));
                    lx.error(
                        span,
                        format!(
                            "unexpected end of file: the directive `{}` has no `;`",
                            name.text
                        ),
                    );
                }
                break;
            }
        }
    }
    // Blocks never closed: report the innermost opening brace, keep the content.
    let mut reported = false;
    while let Some(o) = stack.pop() {
        if !reported {
            if let Some(b) = &o.directive.block {
                lx.error(b.open, "unclosed `{`: this block has no matching `}`");
            }
            reported = true;
        }
        push(o.directive, &mut stack, &mut top);
    }
    NginxFile {
        directives: top,
        errors: lx.errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(d: &Directive) -> String {
        std::iter::once(&d.name)
            .chain(&d.args)
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn server_with_locations() {
        let text = "# main\nuser nginx;\nhttp {\n  upstream php { server app:9000; }\n  server {\n    listen 80 default_server;\n    root /var/www/public; # docroot\n    location ~ \\.php$ {\n      fastcgi_pass php;\n      include fastcgi_params;\n    }\n  }\n}\n";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let all: Vec<String> = f.walk().iter().map(|d| shown(d)).collect();
        assert_eq!(
            all,
            [
                "user nginx",
                "http",
                "upstream php",
                "server app:9000",
                "server",
                "listen 80 default_server",
                "root /var/www/public",
                "location ~ \\.php$",
                "fastcgi_pass php",
                "include fastcgi_params",
            ]
        );
        let pass = f.walk().into_iter().find(|d| d.is("fastcgi_pass")).unwrap();
        assert_eq!(&text[pass.args[0].span.start..pass.args[0].span.end], "php");
        assert_eq!(&text[pass.span.start..pass.span.end], "fastcgi_pass php;");
        let http = &f.directives[1];
        assert_eq!(
            text[http.span.start..http.span.end].chars().last(),
            Some('}')
        );
    }

    #[test]
    fn quotes_escapes_variables_and_comments() {
        let text = "add_header X-A \"a \\\"b\\\" c\" always;\nset $x 'it''s';\nreturn 200 \"${host}x\";\nrewrite ^/(.*)$ /index.php?$1 last;\nlog_format main '$remote_addr - \"$request\"';\nx a#b;\nif ($request_uri ~* \"^/a{2}\") { return 404; }\nset ${y}z 1;\n";
        let f = parse(text);
        assert_eq!(f.errors.len(), 1, "{:?}", f.errors); // 'it''s': nginx rejects a quote right after a quote
        let d = f.walk();
        assert_eq!(d[0].args[1].text, "a \"b\" c");
        assert!(d[0].args[1].quoted);
        assert_eq!(d[2].args[1].text, "${host}x");
        assert!(d[2].args[1].has_variable());
        assert_eq!(d[5].args[0].text, "a#b");
        assert_eq!(shown(d[6]), "if ($request_uri ~* ^/a{2} )");
        assert_eq!(d[6].children().len(), 1);
        assert_eq!(d[8].args[0].text, "${y}z");
    }

    #[test]
    fn lua_blocks_are_skipped() {
        let text = "location / {\n  content_by_lua_block {\n    local t = { a = \"}\" } -- }\n    ngx.say(t.a)\n  }\n  return 204;\n}\n";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        assert_eq!(f.directives[0].children().len(), 2);
        assert!(f.directives[0].children()[1].is("return"));
    }

    #[test]
    fn located_errors() {
        // Unclosed block: the innermost opening brace.
        let f = parse("http {\n server {\n  listen 80;\n }\n");
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].span, Span::new(5, 6));
        // A `}` with no block.
        let f = parse("listen 80;\n}\n");
        assert_eq!(f.errors[0].span, Span::new(11, 12));
        // Unterminated string.
        let f = parse("root \"/var/www;\n");
        assert_eq!(f.errors[0].span, Span::new(5, 6));
        assert_eq!(f.errors.len(), 2, "{:?}", f.errors); // and no `;` at the end
        // Missing `;` before `}`.
        let f = parse("server {\n listen 80\n}\n");
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].span, Span::new(20, 21));
        // Missing `;` at the end of the file.
        let f = parse("worker_processes auto");
        assert_eq!(f.errors[0].span, Span::new(0, 21));
        // Stray `;` and `{`.
        let f = parse(";\n{ a; }\nb;\n");
        assert_eq!(f.errors.len(), 2);
        assert_eq!(f.directives.len(), 1);
        assert!(f.directives[0].is("b"));
    }

    #[test]
    fn bad_inputs_never_panic() {
        for text in [
            "",
            "\\",
            "a \\",
            "\"",
            "'\\",
            "a \"\\",
            "}}}{{{",
            "{",
            ";;;",
            "a ${",
            "a $",
            "x_by_lua_block {",
            "x_by_lua_block { '",
            "x_by_lua_block { \"\\",
            "é ü;\n\"ä\"x;",
            "a\u{0}b;",
            "# only a comment",
            "server { location / { } ",
        ] {
            let f = parse(text);
            for e in &f.errors {
                assert!(e.span.end <= text.len().max(1), "{text:?}: {e:?}");
            }
            for d in f.walk() {
                assert!(d.span.end <= text.len(), "{text:?}");
                assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
            }
        }
    }

    #[test]
    fn big_input_parses_in_one_pass() {
        let one = "  location /a {\n    fastcgi_pass \"unix:/run/php.sock\"; # c\n    fastcgi_param A $b;\n  }\n";
        let text = format!("server {{\n{}}}\n", one.repeat(20_000));
        assert!(text.len() > 1_000_000);
        let f = parse(&text);
        assert!(f.errors.is_empty());
        assert_eq!(f.directives[0].children().len(), 20_000);
        // An unclosed quote at the start: one located error, no blow-up.
        let f = parse(&format!("'{text}"));
        assert_eq!(f.errors[0].span, Span::new(0, 1));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let n = 10_000;
        let text = format!("{}{}", "a {\n".repeat(n), "}\n".repeat(n));
        let f = parse(&text);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].kind, ErrorKind::TooDeep);
        assert_eq!(f.directives.len(), 1);
        let f = parse(&"{".repeat(n));
        assert!(!f.errors.is_empty());
    }
}
