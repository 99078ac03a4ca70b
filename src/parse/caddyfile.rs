//! A located Caddyfile parser (Caddy's lexer rules): whitespace-separated
//! tokens, `"double"` quotes with `\` escapes, `` `backtick` `` raw quotes,
//! `<<MARKER` heredocs, `#` comments at the start of a token, `\` + newline
//! line continuations, and `{` / `}` blocks. Placeholders (`{path}`,
//! `{$ENV:default}`, `{env.X}`), snippet definitions `(name)` and `import`
//! lines are ordinary tokens: nothing is expanded.
//!
//! One pass over the bytes, an explicit stack for blocks (nesting is bounded),
//! and located errors; an error never stops the rest of the file.

use crate::source::Span;

/// Blocks nested deeper than this are reported, not parsed.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The token's value: quotes removed and escapes applied.
    pub text: String,
    pub span: Span,
    /// Written in quotes (or a heredoc): never a block brace.
    pub quoted: bool,
}

impl Token {
    /// `{$NAME}` / `{$NAME:default}`: replaced from the environment before Caddy
    /// parses the file, possibly by several lines of directives.
    pub fn is_env_placeholder(&self) -> bool {
        !self.quoted && self.text.starts_with("{$") && self.text.ends_with('}')
    }

    /// Any placeholder: `{$ENV}`, `{env.X}`, `{path}`...
    pub fn has_placeholder(&self) -> bool {
        self.text.contains('{') && self.text.contains('}')
    }
}

/// One line of tokens (a directive, a site address list, a global option),
/// with the block that follows it when the line ends with `{`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The name and its arguments. Empty for a bare `{ ... }` (the global
    /// options block).
    pub tokens: Vec<Token>,
    pub block: Option<Block>,
    pub span: Span,
}

impl Directive {
    pub fn name(&self) -> Option<&Token> {
        self.tokens.first()
    }

    pub fn args(&self) -> &[Token] {
        self.tokens.get(1..).unwrap_or(&[])
    }

    /// The directives of its block (empty without one).
    pub fn children(&self) -> &[Directive] {
        self.block.as_ref().map_or(&[], |b| b.directives.as_slice())
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
pub struct CaddyError {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caddyfile {
    /// Top-level entries: the global options block (no tokens), snippets
    /// `(name) { }`, site blocks, and the directives of a single-site file
    /// written without braces.
    pub directives: Vec<Directive>,
    pub errors: Vec<CaddyError>,
}

impl Caddyfile {
    /// The global options block: a bare `{ ... }` first in the file.
    pub fn global_options(&self) -> Option<&Directive> {
        self.directives
            .first()
            .filter(|d| d.tokens.is_empty() && d.block.is_some())
    }

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

/// A lexed item: a token, or the end of a line.
enum Lexed {
    Token(Token),
    Newline,
}

fn lex(text: &str, errors: &mut Vec<CaddyError>) -> Vec<Lexed> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                out.push(Lexed::Newline);
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'\\' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'\\' if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') => i += 3,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                let mut value = String::new();
                i += 1;
                let mut closed = false;
                while i < b.len() {
                    match b[i] {
                        b'\\' if matches!(b.get(i + 1), Some(b'"') | Some(b'\\')) => {
                            value.push(b[i + 1] as char);
                            i += 2;
                        }
                        b'"' => {
                            closed = true;
                            i += 1;
                            break;
                        }
                        _ => {
                            let ch_end = next_char(text, i);
                            value.push_str(&text[i..ch_end]);
                            i = ch_end;
                        }
                    }
                }
                if !closed {
                    errors.push(CaddyError {
                        kind: ErrorKind::Syntax,
                        span: Span::new(start, start + 1),
                        message: "unclosed `\"`: the quoted token runs to the end of the file"
                            .into(),
                    });
                }
                out.push(Lexed::Token(Token {
                    text: value,
                    span: Span::new(start, i),
                    quoted: true,
                }));
            }
            b'`' => {
                let start = i;
                i += 1;
                let body_start = i;
                while i < b.len() && b[i] != b'`' {
                    i += 1;
                }
                let value = text[body_start..i].to_owned();
                if i >= b.len() {
                    errors.push(CaddyError {
                        kind: ErrorKind::Syntax,
                        span: Span::new(start, start + 1),
                        message: "unclosed `` ` ``: the quoted token runs to the end of the file"
                            .into(),
                    });
                } else {
                    i += 1;
                }
                out.push(Lexed::Token(Token {
                    text: value,
                    span: Span::new(start, i),
                    quoted: true,
                }));
            }
            _ => {
                let start = i;
                let mut value = String::new();
                while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
                    if b[i] == b'\\'
                        && matches!(b.get(i + 1), Some(b'"') | Some(b'\\') | Some(b'`'))
                    {
                        value.push(b[i + 1] as char);
                        i += 2;
                        continue;
                    }
                    let ch_end = next_char(text, i);
                    value.push_str(&text[i..ch_end]);
                    i = ch_end;
                }
                // A heredoc `<<MARKER` ending its line: the value is the lines up
                // to the one holding only MARKER.
                if let Some(marker) = value.strip_prefix("<<").filter(|m| {
                    !m.is_empty() && m.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                }) {
                    let line_end = text[i..].find('\n').map_or(b.len(), |p| i + p);
                    if text[i..line_end].trim().is_empty() {
                        let body_start = (line_end + 1).min(b.len());
                        let mut at = body_start;
                        let mut found = None;
                        while at < b.len() {
                            let end = text[at..].find('\n').map_or(b.len(), |p| at + p);
                            // The closing marker may be followed by more arguments
                            // (`HTML 200`).
                            let line = text[at..end].trim_start();
                            let after = line.strip_prefix(marker);
                            if after
                                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r']))
                            {
                                let marker_end = end - line.len() + marker.len();
                                found = Some((at, marker_end));
                                break;
                            }
                            at = end + 1;
                        }
                        match found {
                            Some((line_start, end)) => {
                                out.push(Lexed::Token(Token {
                                    text: text[body_start..line_start].to_owned(),
                                    span: Span::new(start, end),
                                    quoted: true,
                                }));
                                i = end;
                            }
                            None => {
                                errors.push(CaddyError {
                                    kind: ErrorKind::Syntax,
                                    span: Span::new(start, start + value.len()),
                                    message: format!(
                                        "heredoc `<<{marker}` has no closing `{marker}` line"
                                    ),
                                });
                                i = b.len();
                            }
                        }
                        continue;
                    }
                }
                out.push(Lexed::Token(Token {
                    text: value,
                    span: Span::new(start, i),
                    quoted: false,
                }));
            }
        }
    }
    out
}

fn next_char(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(i + 1, |c| i + c.len_utf8())
}

/// A directive being built, with the index of the block it belongs to.
struct Open {
    directive: Directive,
}

pub fn parse(text: &str) -> Caddyfile {
    let mut errors = Vec::new();
    let lexed = lex(text, &mut errors);
    // Lines of tokens.
    let mut lines: Vec<Vec<Token>> = Vec::new();
    let mut cur = Vec::new();
    for item in lexed {
        match item {
            Lexed::Token(t) => cur.push(t),
            Lexed::Newline => {
                if !cur.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }

    let mut top: Vec<Directive> = Vec::new();
    // Open blocks, innermost last; each holds the directive that opened it.
    let mut stack: Vec<Open> = Vec::new();
    // Lines inside blocks too deep to keep: only their braces are counted.
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

    for line in lines {
        // Split the line at `}` tokens (a `}` closes a block wherever it is).
        let mut tokens: Vec<Token> = Vec::new();
        let mut segments: Vec<(Vec<Token>, Option<Span>)> = Vec::new();
        for t in line {
            if !t.quoted && t.text == "}" {
                segments.push((std::mem::take(&mut tokens), Some(t.span)));
            } else {
                tokens.push(t);
            }
        }
        segments.push((tokens, None));
        for (mut tokens, close) in segments {
            if !tokens.is_empty() {
                let opens = tokens.last().is_some_and(|t| !t.quoted && t.text == "{");
                if let Some(pos) = tokens
                    .iter()
                    .position(|t| !t.quoted && t.text == "{")
                    .filter(|p| p + 1 < tokens.len())
                {
                    errors.push(CaddyError {
                        kind: ErrorKind::Syntax,
                        span: tokens[pos + 1].span,
                        message:
                            "unexpected token after `{`: a block's content starts on the next line"
                                .into(),
                    });
                }
                let open_span = if opens {
                    tokens.pop().map(|t| t.span)
                } else {
                    None
                };
                let start = tokens
                    .first()
                    .map(|t| t.span.start)
                    .or(open_span.map(|s| s.start))
                    .unwrap_or(0);
                let end = open_span
                    .map(|s| s.end)
                    .or(tokens.last().map(|t| t.span.end))
                    .unwrap_or(start);
                let d = Directive {
                    tokens,
                    block: open_span.map(|open| Block {
                        open,
                        close: None,
                        directives: Vec::new(),
                    }),
                    span: Span::new(start, end),
                };
                if skipped_depth > 0 {
                    if d.block.is_some() {
                        skipped_depth += 1;
                    }
                } else if d.block.is_some() {
                    if stack.len() >= MAX_DEPTH {
                        errors.push(CaddyError {
                            kind: ErrorKind::TooDeep,
                            span: open_span.unwrap_or(d.span),
                            message: format!(
                                "blocks nested deeper than {MAX_DEPTH} levels; the inside of this block was not checked"
                            ),
                        });
                        skipped_depth = 1;
                    } else {
                        stack.push(Open { directive: d });
                    }
                } else {
                    push(d, &mut stack, &mut top);
                }
            }
            if let Some(close) = close {
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
                    None => errors.push(CaddyError {
                        kind: ErrorKind::Syntax,
                        span: close,
                        message: "unexpected `}`: no block is open here".into(),
                    }),
                }
            }
        }
    }
    // Blocks never closed: report the innermost opening brace, keep the content.
    let mut reported = false;
    while let Some(o) = stack.pop() {
        if !reported {
            if let Some(b) = &o.directive.block {
                errors.push(CaddyError {
                    kind: ErrorKind::Syntax,
                    span: b.open,
                    message: "unclosed `{`: this block has no matching `}`".into(),
                });
            }
            reported = true;
        }
        push(o.directive, &mut stack, &mut top);
    }
    Caddyfile {
        directives: top,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(d: &[Directive]) -> Vec<String> {
        d.iter()
            .map(|d| {
                d.tokens
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn global_block_and_site() {
        let text = "{\n\tfrankenphp {\n\t\tnum_threads 4\n\t\tworker {\n\t\t\tfile ./public/index.php\n\t\t\tnum 2\n\t\t}\n\t}\n}\n\nexample.com {\n\tphp_server\n}\n";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let g = f.global_options().unwrap();
        let fp = &g.children()[0];
        assert_eq!(fp.name().unwrap().text, "frankenphp");
        assert_eq!(names(fp.children()), ["num_threads 4", "worker"]);
        assert_eq!(
            names(fp.children()[1].children()),
            ["file ./public/index.php", "num 2"]
        );
        assert_eq!(names(&f.directives), ["", "example.com"]);
        let num = &fp.children()[0].args()[0];
        assert_eq!(&text[num.span.start..num.span.end], "4");
    }

    #[test]
    fn quotes_backticks_comments_placeholders() {
        let text = "{$SERVER_NAME:localhost} {\n\theader ?Link `</a>; rel=\"x\"` # c\n\trespond \"a \\\"b\\\" c\" 200\n\t# whole line\n\troot {env.ROOT}\n\tfoo#bar\n}\n";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let site = &f.directives[0];
        assert!(site.tokens[0].is_env_placeholder());
        let c = site.children();
        assert_eq!(c[0].args()[1].text, "</a>; rel=\"x\"");
        assert_eq!(c[1].args()[0].text, "a \"b\" c");
        assert_eq!(c[2].args()[0].text, "{env.ROOT}");
        assert_eq!(c[3].tokens[0].text, "foo#bar");
        assert_eq!(c.len(), 4);
    }

    #[test]
    fn continuation_heredoc_snippet_import() {
        let text = "(common) {\n\tencode gzip\n}\n:80 {\n\timport common\n\trespond <<HTML\n\t<p>{\n\tHTML 200\n\tredir \\\n\t\t/a /b\n}\n";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        assert_eq!(names(&f.directives), ["(common)", ":80"]);
        let c = f.directives[1].children();
        assert_eq!(names(c)[0], "import common");
        assert_eq!(c[1].args()[0].text, "\t<p>{\n");
        assert_eq!(names(c)[2], "redir /a /b");
    }

    #[test]
    fn located_errors() {
        let f = parse("a {\n\tb {\n\t\tc\n\t}\n");
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].span, Span::new(2, 3));
        let f = parse("a\n}\n");
        assert_eq!(f.errors[0].span, Span::new(2, 3));
        let f = parse("a \"open\n");
        assert_eq!(f.errors[0].span, Span::new(2, 3));
        let f = parse("a { b\n}\n");
        assert_eq!(f.errors[0].span, Span::new(4, 5));
    }

    #[test]
    fn big_input_parses_in_one_pass() {
        // ~1 MB: 40,000 workers with quoted, placeholder and comment tokens.
        let one = "\tworker {\n\t\tfile \"{$ROOT}/w.php\" # c\n\t\tnum 2\n\t}\n";
        let text = format!("{{\n\tfrankenphp {{\n{}\t}}\n}}\n", one.repeat(40_000));
        assert!(text.len() > 1_000_000);
        let f = parse(&text);
        assert!(f.errors.is_empty());
        let fp = &f.global_options().unwrap().children()[0];
        assert_eq!(fp.children().len(), 40_000);
        // Unclosed quote at the start: one located error, no blow-up.
        let f = parse(&format!("`{text}"));
        assert_eq!(f.errors.len(), 1);
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
    }
}
