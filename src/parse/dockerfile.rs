//! A located Dockerfile parser covering what BuildKit accepts: parser
//! directives (`# syntax=`, `# escape=`), line continuations with comment and
//! blank lines inside, heredocs (several per instruction, `<<-`, quoted
//! delimiters), exec (JSON) vs shell form, `--flags`, `ONBUILD`, multi-stage
//! builds with `AS name`, and `ARG`-before-`FROM` expansion of base images.
//!
//! A continued instruction is joined into one logical [`Text`] that maps every
//! byte back to the source, so a rule can point at a word on its third line.
//! Errors are located and never stop the parse: an unknown instruction is
//! reported and skipped, the rest of the file is still read.

use crate::source::Span;

/// Longest file region we treat as one instruction (hostile input stays linear).
const MAX_INSTRUCTION: usize = 1 << 20;

/// Stages beyond this are read as part of the last one: stage lookups are
/// quadratic, and no real Dockerfile comes near it.
const MAX_STAGES: usize = 1000;

#[derive(Clone, Debug, Default)]
pub struct Dockerfile {
    pub directives: Vec<ParserDirective>,
    /// `\` unless `# escape=` says `` ` ``.
    pub escape: char,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    pub errors: Vec<DockerfileError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ParserDirective {
    pub name: Located,
    pub value: Located,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    From,
    Run,
    Cmd,
    Label,
    Maintainer,
    Expose,
    Env,
    Add,
    Copy,
    Entrypoint,
    Volume,
    User,
    Workdir,
    Arg,
    Onbuild,
    Stopsignal,
    Healthcheck,
    Shell,
}

impl Keyword {
    const ALL: [(Keyword, &'static str); 18] = [
        (Keyword::From, "FROM"),
        (Keyword::Run, "RUN"),
        (Keyword::Cmd, "CMD"),
        (Keyword::Label, "LABEL"),
        (Keyword::Maintainer, "MAINTAINER"),
        (Keyword::Expose, "EXPOSE"),
        (Keyword::Env, "ENV"),
        (Keyword::Add, "ADD"),
        (Keyword::Copy, "COPY"),
        (Keyword::Entrypoint, "ENTRYPOINT"),
        (Keyword::Volume, "VOLUME"),
        (Keyword::User, "USER"),
        (Keyword::Workdir, "WORKDIR"),
        (Keyword::Arg, "ARG"),
        (Keyword::Onbuild, "ONBUILD"),
        (Keyword::Stopsignal, "STOPSIGNAL"),
        (Keyword::Healthcheck, "HEALTHCHECK"),
        (Keyword::Shell, "SHELL"),
    ];

    pub fn from_word(word: &str) -> Option<Keyword> {
        Self::ALL
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(word))
            .map(|(k, _)| *k)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("", |(_, n)| n)
    }

    /// Instructions whose arguments may be a JSON array (exec form).
    fn takes_exec_form(self) -> bool {
        matches!(
            self,
            Keyword::Run
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Shell
                | Keyword::Copy
                | Keyword::Add
                | Keyword::Volume
        )
    }

    fn takes_heredocs(self) -> bool {
        matches!(self, Keyword::Run | Keyword::Copy | Keyword::Add)
    }

    fn takes_flags(self) -> bool {
        matches!(
            self,
            Keyword::From | Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Healthcheck
        )
    }
}

/// One logical line: source pieces joined where a continuation removed the
/// escape character and newline. Offsets into `text` map back to the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    /// From the first to the last source byte of the text.
    pub span: Span,
    /// `(logical offset, source offset)` where each contiguous piece starts.
    pieces: Pieces,
}

/// The pieces of a [`Text`]: most texts are one piece, kept inline (a
/// `Vec` would be an allocation per instruction, argument and word).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Pieces {
    len: usize,
    /// The piece when there is one.
    one: (usize, usize),
    /// Every piece when there are several.
    many: Vec<(usize, usize)>,
}

impl Pieces {
    fn push(&mut self, piece: (usize, usize)) {
        match self.len {
            0 => self.one = piece,
            1 => {
                self.many = vec![self.one, piece];
                self.one = (0, 0);
            }
            _ => self.many.push(piece),
        }
        self.len += 1;
    }

    fn as_slice(&self) -> &[(usize, usize)] {
        match self.len {
            0 => &[],
            1 => std::slice::from_ref(&self.one),
            _ => &self.many,
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn retain(&mut self, keep: impl Fn(&(usize, usize)) -> bool) {
        let kept: Vec<(usize, usize)> = self.as_slice().iter().copied().filter(keep).collect();
        *self = Pieces::default();
        for p in kept {
            self.push(p);
        }
    }
}

impl Text {
    fn push(&mut self, source: &str, at: usize) {
        if source.is_empty() {
            return;
        }
        if self.pieces.is_empty() {
            self.span = Span::new(at, at + source.len());
        } else {
            self.span.end = at + source.len();
        }
        self.pieces.push((self.text.len(), at));
        self.text.push_str(source);
    }

    /// A text that is one contiguous piece of the source.
    pub fn contiguous(text: &str, at: usize) -> Text {
        let mut t = Text::default();
        t.push(text, at);
        if t.pieces.is_empty() {
            t.span = Span::at(at);
        }
        t
    }

    /// The source offset of logical offset `at`.
    pub fn source_offset(&self, at: usize) -> usize {
        let pieces = self.pieces.as_slice();
        let i = pieces.partition_point(|(l, _)| *l <= at);
        match i.checked_sub(1).and_then(|i| pieces.get(i)) {
            Some((l, s)) => s + (at - l),
            None => self.span.start,
        }
    }

    /// The source span of the logical range `start..end`.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        let s = self.source_offset(start);
        let e = if end > start {
            self.source_offset(end - 1) + 1
        } else {
            s
        };
        Span::new(s, e.max(s))
    }

    /// The part of this text from logical offset `from`, still mapped.
    pub fn slice_from(&self, from: usize) -> Text {
        let mut out = Text {
            text: String::with_capacity(self.text.len().saturating_sub(from)),
            ..Text::default()
        };
        let pieces = self.pieces.as_slice();
        for (i, (l, s)) in pieces.iter().enumerate() {
            let end = pieces.get(i + 1).map_or(self.text.len(), |p| p.0);
            if end <= from {
                continue;
            }
            let begin = (*l).max(from);
            out.push(&self.text[begin..end], s + (begin - l));
        }
        if out.pieces.is_empty() {
            out.span = Span::at(self.span.end);
        }
        out
    }

    /// The text without leading and trailing whitespace, still mapped.
    pub fn trimmed(&self) -> Text {
        self.trimmed_from(0)
    }

    /// `self.slice_from(from).trimmed()`, copying the text once.
    pub fn trimmed_from(&self, from: usize) -> Text {
        let rest = &self.text[from..];
        let mut t = self.slice_from(from + (rest.len() - rest.trim_start().len()));
        let keep = t.text.trim_end().len();
        if keep < t.text.len() {
            t.text.truncate(keep);
            let end = if keep == 0 {
                t.span.start
            } else {
                t.source_offset(keep - 1) + 1
            };
            t.span.end = end;
            t.pieces.retain(|(l, _)| *l < keep.max(1));
        }
        t
    }

    fn located(&self, start: usize, end: usize, text: String) -> Located {
        Located {
            text,
            span: self.source_span(start, end),
        }
    }

    /// Splits into words the way BuildKit does for non-shell instructions:
    /// whitespace separates, quotes group and are removed, the escape
    /// character escapes the next one.
    pub fn words(&self, escape: char) -> Vec<Located> {
        let bytes = self.text.as_bytes();
        // Most arguments (`COPY a b`, `EXPOSE 9000`, `USER www-data`) hold no
        // quote and no escape: each word is then a slice of the text, copied
        // once instead of char by char.
        if self.text.is_ascii()
            && !bytes
                .iter()
                .any(|&b| b == b'"' || b == b'\'' || char::from(b) == escape)
        {
            let mut out = Vec::new();
            let mut start: Option<usize> = None;
            for (i, &b) in bytes.iter().enumerate() {
                // (`char::is_whitespace` on ASCII: vertical tab included.)
                if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) {
                    if let Some(s) = start.take() {
                        out.push(self.located(s, i, self.text[s..i].to_owned()));
                    }
                } else {
                    start.get_or_insert(i);
                }
            }
            if let Some(s) = start {
                out.push(self.located(s, bytes.len(), self.text[s..].to_owned()));
            }
            return out;
        }
        self.words_quoted(escape)
    }

    /// [`Text::words`] for a text with quotes or escapes (or non-ASCII).
    fn words_quoted(&self, escape: char) -> Vec<Located> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut start: Option<usize> = None;
        let mut quote: Option<char> = None;
        let mut chars = self.text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match quote {
                Some(q) if c == q => quote = None,
                Some('"') if c == escape => {
                    if let Some((_, n)) = chars.next() {
                        if n != '"' && n != escape {
                            cur.push(c);
                        }
                        cur.push(n);
                    }
                }
                Some(_) => cur.push(c),
                None if c.is_whitespace() => {
                    if let Some(s) = start.take() {
                        out.push(self.located(s, i, std::mem::take(&mut cur)));
                    }
                }
                None => {
                    start.get_or_insert(i);
                    if c == '"' || c == '\'' {
                        quote = Some(c);
                    } else if c == escape {
                        if let Some((_, n)) = chars.next() {
                            cur.push(n);
                        }
                    } else {
                        cur.push(c);
                    }
                }
            }
        }
        if let Some(s) = start {
            out.push(self.located(s, self.text.len(), cur));
        }
        out
    }
}

#[derive(Clone, Debug)]
pub struct Flag {
    /// Without the leading `--` (`from`, `mount`, `chown`).
    pub name: String,
    pub value: Option<Located>,
    /// The whole `--name=value` word.
    pub span: Span,
}

impl Flag {
    /// The `key=value` fields of a `--mount=type=cache,target=/x` flag, each with
    /// its value's span; empty for other flags.
    pub fn mount_fields(&self) -> Vec<(&str, &str, Span)> {
        let Some(v) = self
            .value
            .as_ref()
            .filter(|_| self.name.eq_ignore_ascii_case("mount"))
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut at = v.span.start;
        for part in v.text.split(',') {
            if let Some((key, value)) = part.split_once('=') {
                let s = at + key.len() + 1;
                out.push((
                    key,
                    value,
                    Span::new(s.min(v.span.end), (s + value.len()).min(v.span.end)),
                ));
            }
            at += part.len() + 1;
        }
        out
    }
}

#[derive(Clone, Debug)]
pub enum Args {
    /// A JSON array (`CMD ["php-fpm"]`): each string, unescaped, with its span.
    Exec { items: Vec<Located>, span: Span },
    /// Everything else, including the heredoc markers (`RUN <<EOF`).
    Shell(Text),
}

impl Args {
    pub fn span(&self) -> Span {
        match self {
            Args::Exec { span, .. } => *span,
            Args::Shell(t) => t.span,
        }
    }

    pub fn is_exec(&self) -> bool {
        matches!(self, Args::Exec { .. })
    }
}

#[derive(Clone, Debug)]
pub struct Heredoc {
    /// The delimiter word as it closes the body (`EOF`).
    pub delimiter: String,
    /// The `<<-"EOF"` marker in the instruction line.
    pub marker: Span,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub strip_tabs: bool,
    /// A quoted delimiter: no variable expansion in the body.
    pub quoted: bool,
    /// The lines between the marker's line and the terminator.
    pub body: Text,
    /// Whether the terminator line was found.
    pub terminated: bool,
}

#[derive(Clone, Debug)]
pub struct Instruction {
    pub keyword: Keyword,
    pub keyword_span: Span,
    /// From the keyword to the end of the last line it uses (heredoc bodies included).
    pub span: Span,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// `ONBUILD`'s trigger instruction.
    pub trigger: Option<Box<Instruction>>,
    /// The stage it belongs to; `None` for `ARG`s before the first `FROM`.
    pub stage: Option<usize>,
    /// The shell commands of a `RUN`, split on first use ([`Instruction::commands`]).
    pub(crate) commands: std::sync::OnceLock<Vec<super::shell::Command>>,
}

impl Instruction {
    pub fn is(&self, keyword: Keyword) -> bool {
        self.keyword == keyword
    }

    /// The shell commands a `RUN` runs (its heredoc script included), split
    /// on first use and kept; `escape` is the file's escape character.
    pub fn commands(&self, escape: char) -> &[super::shell::Command] {
        self.commands
            .get_or_init(|| super::shell::run_commands(self, escape == '\\'))
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// Arguments as words (exec items, or shell-form words), flags excluded.
    pub fn words(&self, escape: char) -> Vec<Located> {
        match &self.args {
            Args::Exec { items, .. } => items.clone(),
            Args::Shell(t) => t.words(escape),
        }
    }

    /// `ENV`, `ARG` and `LABEL` pairs. `ENV KEY value words` (the legacy form)
    /// gives one pair whose value is the rest of the line.
    pub fn key_values(&self, escape: char) -> Vec<KeyValue> {
        let Args::Shell(text) = &self.args else {
            return Vec::new();
        };
        let words = text.words(escape);
        let legacy =
            self.keyword == Keyword::Env && words.first().is_some_and(|w| !w.text.contains('='));
        if legacy {
            let Some(key) = words.first() else {
                return Vec::new();
            };
            let rest = words.get(1).map(|first| {
                let last = words.last().unwrap_or(first);
                let values: Vec<&str> = words[1..].iter().map(|w| w.text.as_str()).collect();
                Located {
                    text: values.join(" "),
                    span: first.span.cover(last.span),
                }
            });
            return vec![KeyValue {
                key: key.clone(),
                value: rest,
                span: key.span.cover(words.last().map_or(key.span, |w| w.span)),
            }];
        }
        words
            .iter()
            .map(|w| match w.text.split_once('=') {
                // The key is a plain word, so `=` sits at the same offset in the source.
                Some((key, value)) => {
                    let eq = w.span.start + key.len();
                    KeyValue {
                        key: Located {
                            text: key.to_owned(),
                            span: Span::new(w.span.start, eq.min(w.span.end)),
                        },
                        value: Some(Located {
                            text: value.to_owned(),
                            span: Span::new((eq + 1).min(w.span.end), w.span.end),
                        }),
                        span: w.span,
                    }
                }
                None => KeyValue {
                    key: w.clone(),
                    value: None,
                    span: w.span,
                },
            })
            .collect()
    }
}

#[derive(Clone, Debug)]
pub struct KeyValue {
    pub key: Located,
    pub value: Option<Located>,
    pub span: Span,
}

/// What a stage builds on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// An earlier stage of this Dockerfile.
    Stage(usize),
    /// An image reference, with `ARG`s expanded.
    Image(String),
    /// Depends on a build argument with no default.
    Unresolved,
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// Index of its `FROM` in [`Dockerfile::instructions`].
    pub from: usize,
    /// The image word as written.
    pub image: Located,
    pub base: Base,
    /// `AS name`, lower-cased as BuildKit does.
    pub name: Option<Located>,
    /// Instruction indices of the stage, its `FROM` included.
    pub instructions: std::ops::Range<usize>,
}

impl Stage {
    /// Whether `AS name` is `name`; stage names compare case-insensitively.
    pub fn is_named(&self, name: &str) -> bool {
        self.name
            .as_ref()
            .is_some_and(|n| n.text.eq_ignore_ascii_case(name))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    InvalidExecForm,
    UndefinedStage,
}

#[derive(Clone, Debug)]
pub struct DockerfileError {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
}

/// One source line: its content (no line break) and where it starts.
struct Line<'a> {
    text: &'a str,
    start: usize,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let content = piece.strip_suffix('\n').unwrap_or(piece);
        let content = content.strip_suffix('\r').unwrap_or(content);
        out.push(Line {
            text: content,
            start,
        });
        start += piece.len();
    }
    out
}

fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

pub fn parse(text: &str) -> Dockerfile {
    let lines = split_lines(text);
    let mut df = Dockerfile {
        escape: '\\',
        ..Dockerfile::default()
    };
    let mut i = read_directives(&lines, &mut df);
    while i < lines.len() {
        if is_comment_or_blank(lines[i].text) {
            i += 1;
            continue;
        }
        let (logical, next) = join_continuations(&lines, i, df.escape);
        if logical.text.len() > MAX_INSTRUCTION {
            // The rest of the instruction was skipped, not read as new instructions.
            let end = lines
                .get(next - 1)
                .map_or(text.len(), |l| l.start + l.text.len());
            let start = lines[i].start;
            syntax(
                &mut df.errors,
                Span::new(start, end.max(start)),
                format!(
                    "this instruction continues past {} MiB; the rest of it was not read",
                    MAX_INSTRUCTION >> 20
                ),
            );
        }
        i = next;
        if let Some(mut inst) = parse_instruction(&logical, &mut df.errors) {
            if inst.keyword.takes_heredocs() {
                i = read_heredocs(&mut inst, &lines, i, &mut df.errors);
            }
            df.instructions.push(inst);
        }
    }
    build_stages(&mut df);
    if df.stages.is_empty() && !df.instructions.is_empty() {
        df.errors.push(DockerfileError {
            kind: ErrorKind::Syntax,
            span: Span::at(0),
            message: "no `FROM` instruction: a Dockerfile must start a build stage".into(),
        });
    }
    df
}

/// `# name=value` lines at the very top; the first other line ends them.
fn read_directives(lines: &[Line], df: &mut Dockerfile) -> usize {
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let Some(body) = line.text.trim_start().strip_prefix('#') else {
            break;
        };
        let Some((name, value)) = body.split_once('=') else {
            break;
        };
        let name_t = name.trim();
        let known = ["syntax", "escape", "check"];
        if !known.iter().any(|k| k.eq_ignore_ascii_case(name_t))
            || df
                .directives
                .iter()
                .any(|d| d.name.text.eq_ignore_ascii_case(name_t))
        {
            break;
        }
        let name_at = line.start + line.text.find(name_t).unwrap_or(0);
        let value_t = value.trim();
        let value_at =
            line.start + line.text.len() - value.len() + (value.len() - value.trim_start().len());
        if name_t.eq_ignore_ascii_case("escape") {
            match value_t {
                "\\" => df.escape = '\\',
                "`" => df.escape = '`',
                _ => df.errors.push(DockerfileError {
                    kind: ErrorKind::Syntax,
                    span: Span::new(value_at, value_at + value_t.len()),
                    message: format!("invalid escape character `{value_t}`: use `\\` or `` ` ``"),
                }),
            }
        }
        df.directives.push(ParserDirective {
            name: Located {
                text: name_t.to_ascii_lowercase(),
                span: Span::new(name_at, name_at + name_t.len()),
            },
            value: Located {
                text: value_t.to_owned(),
                span: Span::new(value_at, value_at + value_t.len()),
            },
        });
        i += 1;
    }
    i
}

/// Joins a line ending in the escape character with the next one, skipping
/// comment and blank lines in between, as BuildKit does.
fn join_continuations(lines: &[Line], first: usize, escape: char) -> (Text, usize) {
    let mut text = Text::default();
    let mut i = first;
    loop {
        let line = &lines[i];
        let indent = if i == first {
            line.text.len() - line.text.trim_start().len()
        } else {
            0
        };
        let content = &line.text[indent..];
        let trimmed = content.trim_end();
        // BuildKit continues any line whose last non-blank character is the escape
        // character, even when another escape character precedes it.
        let continued = trimmed.ends_with(escape);
        i += 1;
        if continued {
            let keep = trimmed.len() - escape.len_utf8();
            text.push(&content[..keep], line.start + indent);
            while i < lines.len() && is_comment_or_blank(lines[i].text) {
                i += 1;
            }
            if i >= lines.len() {
                break;
            }
            if text.text.len() > MAX_INSTRUCTION {
                // Over the cap: consume (without keeping) the rest of the
                // continued lines, so they do not become instructions.
                while i < lines.len() {
                    let t = lines[i].text.trim_end();
                    i += 1;
                    if !(t.ends_with(escape) || is_comment_or_blank(t)) {
                        break;
                    }
                }
                break;
            }
        } else {
            text.push(content, line.start + indent);
            break;
        }
    }
    if text.pieces.is_empty() {
        text.span = Span::at(lines[first].start);
    }
    (text, i)
}

fn syntax(errors: &mut Vec<DockerfileError>, span: Span, message: String) {
    errors.push(DockerfileError {
        kind: ErrorKind::Syntax,
        span,
        message,
    });
}

fn parse_instruction(logical: &Text, errors: &mut Vec<DockerfileError>) -> Option<Instruction> {
    let word_len = logical
        .text
        .find(char::is_whitespace)
        .unwrap_or(logical.text.len());
    let word = &logical.text[..word_len];
    let keyword_span = logical.source_span(0, word_len);
    let Some(keyword) = Keyword::from_word(word) else {
        let hint = crate::suggest::did_you_mean(word, Keyword::ALL.iter().map(|(_, n)| *n))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        syntax(
            errors,
            keyword_span,
            format!("unknown instruction `{word}`{hint}"),
        );
        return None;
    };
    let after = logical.trimmed_from(word_len);
    let mut flags = Vec::new();
    // Offsets into `after`, so many flags on a long continued line stay linear.
    let mut pos = 0;
    if keyword.takes_flags() {
        while after.text[pos..].starts_with("--") {
            let len = after.text[pos..]
                .find(char::is_whitespace)
                .unwrap_or(after.text.len() - pos);
            let word = &after.text[pos..pos + len];
            let body = &word[2..];
            let span = after.source_span(pos, pos + len);
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => {
                    let vstart = pos + 2 + n.len() + 1;
                    (
                        n.to_owned(),
                        Some(Located {
                            text: unquote(v),
                            span: after.source_span(vstart, pos + len),
                        }),
                    )
                }
                None => (body.to_owned(), None),
            };
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                syntax(errors, span, format!("malformed flag `{word}`"));
            }
            flags.push(Flag { name, value, span });
            pos += len;
            pos += after.text[pos..].len() - after.text[pos..].trim_start().len();
        }
    }
    let rest = if pos == 0 {
        after
    } else {
        after.trimmed_from(pos)
    };
    // (`ONBUILD`'s trigger is parsed from it after the instruction is built.)
    let trigger_text = (keyword == Keyword::Onbuild).then(|| rest.clone());
    let args = if keyword.takes_exec_form() && rest.text.starts_with('[') {
        match parse_json_array(&rest) {
            Ok(items) => Args::Exec {
                items,
                span: rest.span,
            },
            Err(at) => {
                if matches!(
                    keyword,
                    Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell
                ) {
                    errors.push(DockerfileError {
                        kind: ErrorKind::InvalidExecForm,
                        span: rest.span,
                        message: format!(
                            "`{}` argument starts with `[` but is not a JSON array of double-quoted strings (error at column {}): Docker runs it as a shell command",
                            keyword.name(),
                            at + 1
                        ),
                    });
                }
                Args::Shell(rest)
            }
        }
    } else {
        Args::Shell(rest)
    };
    let mut inst = Instruction {
        keyword,
        keyword_span,
        span: logical.span,
        flags,
        args,
        heredocs: Vec::new(),
        trigger: None,
        stage: None,
        commands: std::sync::OnceLock::new(),
    };
    check_arguments(&mut inst, trigger_text.as_ref(), errors);
    Some(inst)
}

/// Required arguments and `ONBUILD`'s trigger (parsed from `trigger_text`).
fn check_arguments(
    inst: &mut Instruction,
    trigger_text: Option<&Text>,
    errors: &mut Vec<DockerfileError>,
) {
    let empty = match &inst.args {
        Args::Shell(t) => t.text.trim().is_empty(),
        // `CMD []` and `ENTRYPOINT []` are valid: they reset what the base image set.
        Args::Exec { items, .. } => {
            items.is_empty() && !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint)
        }
    };
    if empty {
        syntax(
            errors,
            inst.keyword_span,
            format!("`{}` needs an argument", inst.keyword.name()),
        );
        return;
    }
    if let Some(rest) = trigger_text {
        let mut nested = Vec::new();
        if let Some(trigger) = parse_instruction(rest, &mut nested) {
            if matches!(
                trigger.keyword,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            ) {
                syntax(
                    errors,
                    trigger.keyword_span,
                    format!("`ONBUILD {}` is not allowed", trigger.keyword.name()),
                );
            }
            inst.trigger = Some(Box::new(trigger));
        }
        errors.extend(nested);
    }
}

fn unquote(v: &str) -> String {
    let b = v.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        v[1..v.len() - 1].to_owned()
    } else {
        v.to_owned()
    }
}

/// Parses `["a", "b"]` with positions; `Err(offset)` where it stops being JSON.
fn parse_json_array(text: &Text) -> Result<Vec<Located>, usize> {
    let s = text.text.as_bytes();
    let mut i = 1;
    let skip_ws = |i: &mut usize| {
        while *i < s.len() && s[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    let mut items = Vec::new();
    skip_ws(&mut i);
    if s.get(i) == Some(&b']') {
        i += 1;
    } else {
        loop {
            skip_ws(&mut i);
            if s.get(i) != Some(&b'"') {
                return Err(i);
            }
            let start = i;
            i += 1;
            let mut value = String::new();
            loop {
                let Some(&c) = s.get(i) else { return Err(i) };
                match c {
                    b'"' => break,
                    b'\\' => {
                        let Some(&e) = s.get(i + 1) else {
                            return Err(i);
                        };
                        match e {
                            b'"' | b'\\' | b'/' => value.push(e as char),
                            b'n' => value.push('\n'),
                            b't' => value.push('\t'),
                            b'r' => value.push('\r'),
                            b'b' => value.push('\u{8}'),
                            b'f' => value.push('\u{c}'),
                            b'u' => {
                                let hex = text.text.get(i + 2..i + 6).ok_or(i)?;
                                let code = u32::from_str_radix(hex, 16).map_err(|_| i)?;
                                value.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                                i += 4;
                            }
                            _ => return Err(i),
                        }
                        i += 2;
                    }
                    _ => {
                        // Copy the whole UTF-8 character.
                        let ch_len = text.text[i..].chars().next().map_or(1, char::len_utf8);
                        value.push_str(&text.text[i..i + ch_len]);
                        i += ch_len;
                    }
                }
            }
            i += 1;
            items.push(Located {
                text: value,
                span: text.source_span(start, i),
            });
            skip_ws(&mut i);
            match s.get(i) {
                Some(b',') => i += 1,
                Some(b']') => {
                    i += 1;
                    break;
                }
                _ => return Err(i),
            }
        }
    }
    skip_ws(&mut i);
    if i != s.len() {
        return Err(i);
    }
    Ok(items)
}

/// Finds `<<EOF`, `<<-EOF`, `<<"EOF"` markers outside quotes (not `<<<`).
fn heredoc_markers(text: &Text) -> Vec<(usize, usize, String, bool, bool)> {
    let s = text.text.as_bytes();
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == b'\'' || c == b'"' {
            quote = Some(c);
            i += 1;
            continue;
        }
        let is_marker = c == b'<'
            && s.get(i + 1) == Some(&b'<')
            && s.get(i + 2) != Some(&b'<')
            && (i == 0 || s[i - 1] != b'<');
        if !is_marker {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 2;
        let strip = s.get(j) == Some(&b'-');
        if strip {
            j += 1;
        }
        let q = match s.get(j) {
            Some(&b'"') | Some(&b'\'') => {
                j += 1;
                Some(s[j - 1])
            }
            _ => None,
        };
        let name_start = j;
        while j < s.len() && (s[j].is_ascii_alphanumeric() || s[j] == b'_') {
            j += 1;
        }
        let name = text.text[name_start..j].to_owned();
        if let Some(q) = q {
            if s.get(j) != Some(&q) {
                i = j;
                continue;
            }
            j += 1;
        }
        if !name.is_empty() {
            out.push((start, j, name, strip, q.is_some()));
        }
        i = j.max(i + 2);
    }
    out
}

/// Reads the bodies of the instruction's heredocs from the lines after it.
fn read_heredocs(
    inst: &mut Instruction,
    lines: &[Line],
    mut i: usize,
    errors: &mut Vec<DockerfileError>,
) -> usize {
    let Args::Shell(text) = &inst.args else {
        return i;
    };
    for (start, end, delimiter, strip_tabs, quoted) in heredoc_markers(text) {
        let marker = text.source_span(start, end);
        let mut body = Text {
            span: Span::at(lines.get(i).map_or(inst.span.end, |l| l.start)),
            ..Text::default()
        };
        let mut terminated = false;
        while let Some(line) = lines.get(i) {
            i += 1;
            let candidate = if strip_tabs {
                line.text.trim_start_matches('\t')
            } else {
                line.text
            };
            if candidate == delimiter {
                terminated = true;
                inst.span.end = line.start + line.text.len();
                break;
            }
            // `<<-` strips leading tabs from the body as well.
            let content = if strip_tabs { candidate } else { line.text };
            body.push(content, line.start + line.text.len() - content.len());
            if let Some(next) = lines.get(i) {
                body.push("\n", next.start - 1);
            }
        }
        if !terminated {
            inst.span.end = inst.span.end.max(body.span.end);
            syntax(
                errors,
                marker,
                format!("heredoc `{delimiter}` is never closed: no line `{delimiter}` follows"),
            );
        }
        inst.heredocs.push(Heredoc {
            delimiter,
            marker,
            strip_tabs,
            quoted,
            body,
            terminated,
        });
    }
    i
}

/// Groups instructions into stages and resolves each stage's base.
fn build_stages(df: &mut Dockerfile) {
    let escape = df.escape;
    let mut global_args: Vec<(String, Option<String>)> = Vec::new();
    let mut current: Option<usize> = None;
    for idx in 0..df.instructions.len() {
        let inst = &df.instructions[idx];
        if inst.keyword == Keyword::From && df.stages.len() == MAX_STAGES {
            syntax(
                &mut df.errors,
                inst.keyword_span,
                format!(
                    "more than {MAX_STAGES} build stages: the rest are checked as part of stage {}",
                    MAX_STAGES - 1
                ),
            );
        }
        if inst.keyword == Keyword::From && df.stages.len() < MAX_STAGES {
            let words = inst.words(escape);
            let Some(image) = words.first().cloned() else {
                continue;
            };
            let name = match (words.get(1), words.get(2)) {
                (Some(as_kw), Some(name)) if as_kw.text.eq_ignore_ascii_case("as") => {
                    Some(Located {
                        text: name.text.to_ascii_lowercase(),
                        span: name.span,
                    })
                }
                (None, None) => None,
                (Some(w), _) => {
                    df.errors.push(DockerfileError {
                        kind: ErrorKind::Syntax,
                        span: w.span,
                        message: "expected `AS <name>` after the image".into(),
                    });
                    None
                }
                (None, Some(_)) => None,
            };
            let index = df.stages.len();
            if let Some(prev) = current {
                df.stages[prev].instructions.end = idx;
            }
            let base = resolve_base(&image, &global_args, &df.stages, &mut df.errors);
            df.stages.push(Stage {
                index,
                from: idx,
                image,
                base,
                name,
                instructions: idx..df.instructions.len(),
            });
            current = Some(index);
        } else if current.is_none() && inst.keyword == Keyword::Arg {
            for kv in inst.key_values(escape) {
                // A default may use earlier arguments (`ARG IMAGE=php:${PHP}-fpm`).
                let value = kv.value.and_then(|v| expand(&v.text, &global_args));
                global_args.push((kv.key.text, value));
            }
        } else if current.is_none() {
            syntax(
                &mut df.errors,
                inst.keyword_span,
                format!(
                    "`{}` before the first `FROM`: only `ARG` may come first",
                    inst.keyword.name()
                ),
            );
        }
        df.instructions[idx].stage = current;
    }
    check_stage_references(df);
}

fn resolve_base(
    image: &Located,
    args: &[(String, Option<String>)],
    stages: &[Stage],
    errors: &mut Vec<DockerfileError>,
) -> Base {
    let Some(resolved) = expand(&image.text, args) else {
        return Base::Unresolved;
    };
    if resolved.eq_ignore_ascii_case("scratch") {
        return Base::Scratch;
    }
    let lower = resolved.to_ascii_lowercase();
    if let Some(s) = stages.iter().find(|s| s.is_named(&lower)) {
        return Base::Stage(s.index);
    }
    if let Some(hint) = near_stage_name(&lower, stages) {
        errors.push(DockerfileError {
            kind: ErrorKind::UndefinedStage,
            span: image.span,
            message: format!(
                "`{resolved}` is no stage defined before this `FROM` (did you mean `{hint}`?): BuildKit would pull an image of that name"
            ),
        });
    }
    Base::Image(resolved)
}

/// Stages a near-miss is compared with (the latest ones): bounds the work of
/// a hostile Dockerfile with thousands of stages and references.
const MAX_STAGES_SUGGESTED: usize = 64;

/// A stage name one typo away from `name`, for bare names only.
fn near_stage_name<'a>(name: &str, stages: &'a [Stage]) -> Option<&'a str> {
    if name.contains(['/', ':', '@', '.']) {
        return None;
    }
    let names = stages
        .iter()
        .rev()
        .take(MAX_STAGES_SUGGESTED)
        .filter_map(|s| s.name.as_ref())
        .map(|n| n.text.as_str());
    crate::suggest::did_you_mean(name, names).filter(|s| *s != name)
}

/// `--from=` on COPY and `RUN --mount=from=`: an index must exist and not be
/// the stage itself; a near-miss of a stage name is an error (BuildKit would
/// pull an image of that name).
fn check_stage_references(df: &mut Dockerfile) {
    let mut errors = Vec::new();
    for inst in &df.instructions {
        let Some(stage) = inst.stage else { continue };
        for (value, span) in stage_refs(inst) {
            if let Some(e) = check_reference(&value, span, stage, &df.stages) {
                errors.push(e);
            }
        }
    }
    df.errors.extend(errors);
}

/// The stage or image names an instruction reads files from.
pub fn stage_refs(inst: &Instruction) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for f in &inst.flags {
        let Some(v) = &f.value else { continue };
        if f.name.eq_ignore_ascii_case("from")
            && matches!(inst.keyword, Keyword::Copy | Keyword::Add)
        {
            out.push((v.text.clone(), v.span));
        } else {
            for (key, value, span) in f.mount_fields() {
                if key == "from" {
                    out.push((value.to_owned(), span));
                }
            }
        }
    }
    out
}

/// What a `--from` value names, seen from stage `current`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FromRef {
    Stage(usize),
    Image(String),
    /// Uses a build argument, or is not a valid reference.
    Unknown,
}

/// BuildKit looks `--from` up among all stages, later ones included (it only
/// refuses cycles); a name that is no stage is an image.
pub fn resolve_ref(value: &str, current: usize, stages: &[Stage]) -> FromRef {
    if value.contains('$') {
        return FromRef::Unknown;
    }
    if let Ok(n) = value.parse::<usize>() {
        return if n < stages.len() && n != current {
            FromRef::Stage(n)
        } else {
            FromRef::Unknown
        };
    }
    match stages
        .iter()
        .find(|s| s.index != current && s.is_named(value))
    {
        Some(s) => FromRef::Stage(s.index),
        None if stages.get(current).is_some_and(|s| s.is_named(value)) => FromRef::Unknown,
        None => FromRef::Image(value.to_owned()),
    }
}

fn check_reference(
    value: &str,
    span: Span,
    current: usize,
    stages: &[Stage],
) -> Option<DockerfileError> {
    let err = |message: String| {
        Some(DockerfileError {
            kind: ErrorKind::UndefinedStage,
            span,
            message,
        })
    };
    if value.contains('$') {
        return None;
    }
    if let Ok(n) = value.parse::<usize>() {
        return match n {
            n if n == current => err(format!(
                "`--from={n}` names this stage itself: a stage cannot copy from itself"
            )),
            n if n >= stages.len() => err(format!(
                "`--from={n}` names stage {n}, but this Dockerfile has {} stage(s), numbered from 0",
                stages.len()
            )),
            _ => None,
        };
    }
    let lower = value.to_ascii_lowercase();
    if stages.get(current).is_some_and(|s| s.is_named(&lower)) {
        return err(format!(
            "`--from={value}` names this stage itself: a stage cannot copy from itself"
        ));
    }
    if resolve_ref(value, current, stages) != FromRef::Image(value.to_owned()) {
        return None;
    }
    near_stage_name(&lower, stages).and_then(|hint| {
        err(format!(
            "`{value}` is no stage of this Dockerfile (did you mean `{hint}`?): BuildKit would pull an image named `{value}`"
        ))
    })
}

/// Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` from build
/// arguments' defaults; `None` when a variable has no value to use.
pub fn expand(text: &str, vars: &[(String, Option<String>)]) -> Option<String> {
    if !text.contains('$') {
        return Some(text.to_owned());
    }
    let lookup = |name: &str| -> Option<Option<&str>> {
        vars.iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref())
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(body) = rest.strip_prefix('{') {
            let end = body.find('}')?;
            let expr = &body[..end];
            rest = &body[end + 1..];
            let (name, op, word) = match expr.find(":-").or_else(|| expr.find(":+")) {
                Some(p) => (&expr[..p], &expr[p..p + 2], &expr[p + 2..]),
                None => (expr, "", ""),
            };
            let value = lookup(name).flatten().filter(|v| !v.is_empty());
            match (op, value) {
                (":-", Some(v)) => out.push_str(v),
                (":-", None) => out.push_str(word),
                (":+", Some(_)) => out.push_str(word),
                (":+", None) => {}
                (_, Some(v)) => out.push_str(v),
                _ => return None,
            }
        } else {
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if len == 0 {
                out.push('$');
                continue;
            }
            out.push_str(lookup(&rest[..len]).flatten()?);
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    /// The unquoted fast path of `Text::words` splits as the general one.
    #[test]
    fn plain_words_split_as_quoted_words_do() {
        let texts = [
            "a b",
            "  lead  and\ttrail  ",
            "x\x0by\x0cz\rw",
            "/usr/local/etc/php-fpm.d/www.conf /usr/local/etc/php-fpm.d/",
            "",
            "   ",
            "one",
            "9000/tcp 80",
            "a\u{a0}b",
            "say \"hi there\" 'x y'",
            "esc\\ aped",
        ];
        for text in texts {
            for at in [0, 7] {
                let t = Text::contiguous(text, at);
                for escape in ['\\', '`'] {
                    let fast: Vec<(String, Span)> = t
                        .words(escape)
                        .into_iter()
                        .map(|w| (w.text, w.span))
                        .collect();
                    let general: Vec<(String, Span)> = t
                        .words_quoted(escape)
                        .into_iter()
                        .map(|w| (w.text, w.span))
                        .collect();
                    assert_eq!(fast, general, "{text:?} escaped by {escape}");
                }
            }
        }
        // Continuation lines: a text of several pieces keeps its mapping.
        let df = parse("FROM php\nCOPY a \\\n  b /dst/\n");
        let copy = &df.instructions[1];
        let text = "FROM php\nCOPY a \\\n  b /dst/\n";
        let words = copy.words('\\');
        let shown: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(shown, ["a", "b", "/dst/"]);
        assert_eq!(&text[words[1].span.start..words[1].span.end], "b");
        assert_eq!(&text[words[2].span.start..words[2].span.end], "/dst/");
    }

    /// Every located value with the exact source bytes its span covers.
    pub fn render(src: &str) -> String {
        let df = parse(src);
        let at = |s: Span| format!("{:?}", &src[s.start..s.end]);
        let mut out = String::new();
        for d in &df.directives {
            writeln!(out, "directive {} = {}", at(d.name.span), at(d.value.span)).ok();
        }
        writeln!(out, "escape {:?}", df.escape).ok();
        for (n, i) in df.instructions.iter().enumerate() {
            render_instruction(&mut out, src, n, i, &df, "");
        }
        for s in &df.stages {
            writeln!(
                out,
                "stage {} {:?} image {} base {:?} instructions {:?}",
                s.index,
                s.name.as_ref().map(|n| n.text.as_str()),
                at(s.image.span),
                s.base,
                s.instructions
            )
            .ok();
        }
        for e in &df.errors {
            writeln!(out, "error {:?} at {}: {}", e.kind, at(e.span), e.message).ok();
        }
        out
    }

    fn render_instruction(
        out: &mut String,
        src: &str,
        n: usize,
        i: &Instruction,
        df: &Dockerfile,
        indent: &str,
    ) {
        let at = |s: Span| format!("{:?}", &src[s.start..s.end]);
        writeln!(
            out,
            "{indent}[{n}] {} {} stage {:?}",
            i.keyword.name(),
            at(i.keyword_span),
            i.stage
        )
        .ok();
        for f in &i.flags {
            writeln!(
                out,
                "{indent}  flag {} = {:?} {}",
                f.name,
                f.value.as_ref().map(|v| at(v.span)),
                at(f.span)
            )
            .ok();
        }
        match &i.args {
            Args::Exec { items, .. } => {
                for it in items {
                    writeln!(out, "{indent}  exec {:?} at {}", it.text, at(it.span)).ok();
                }
            }
            Args::Shell(t) => {
                writeln!(out, "{indent}  shell {:?}", t.text).ok();
                for w in t.words(df.escape) {
                    writeln!(out, "{indent}    word {:?} at {}", w.text, at(w.span)).ok();
                }
            }
        }
        for h in &i.heredocs {
            writeln!(
                out,
                "{indent}  heredoc {} strip={} quoted={} terminated={} marker {} body {:?}",
                h.delimiter,
                h.strip_tabs,
                h.quoted,
                h.terminated,
                at(h.marker),
                h.body.text
            )
            .ok();
        }
        if let Some(t) = &i.trigger {
            render_instruction(out, src, n, t, df, "    ");
        }
        if i.is(Keyword::Run) {
            for c in df.commands(i) {
                let words: Vec<&str> = c.words.iter().map(|w| w.text.as_str()).collect();
                writeln!(out, "{indent}  command {words:?} at {}", at(c.span)).ok();
            }
        }
    }

    /// The parsed structure of each construct fixture, every span shown as the
    /// source text it covers.
    #[test]
    fn parser_fixture_snapshots() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dockerfile/parser");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("fixtures/dockerfile/parser")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
            .collect();
        files.sort();
        assert!(files.len() >= 5, "parser fixtures missing");
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read fixture");
            let name = f
                .file_stem()
                .and_then(|n| n.to_str())
                .unwrap_or("fixture")
                .to_owned();
            insta::assert_snapshot!(format!("dockerfile_{name}"), render(&text));
        }
    }

    #[test]
    fn continuation_words_map_back_to_their_lines() {
        let src = "FROM php:8.3-fpm-alpine\nRUN apk add \\\n    # a comment inside\n\n    --no-cache git \\\n  && echo done\n";
        let df = parse(src);
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        let run = &df.instructions[1];
        let cmds = df.commands(run);
        assert_eq!(cmds.len(), 2);
        let git = &cmds[0].words[3];
        assert_eq!(git.text, "git");
        assert_eq!(&src[git.span.range()], "git");
        let done = &cmds[1].words[1];
        assert_eq!(&src[done.span.range()], "done");
        assert_eq!(
            &src[run.span.range()].lines().last(),
            &Some("  && echo done")
        );
    }

    #[test]
    fn exec_form_items_are_located_and_unescaped() {
        let src = "FROM php:8.3-cli\nCMD [\"php\", \"artisan\", \"octane:start\", \"--host=\\u0030.0.0.0\"]\n";
        let df = parse(src);
        let Args::Exec { items, .. } = &df.instructions[1].args else {
            panic!("not exec")
        };
        assert_eq!(items[3].text, "--host=0.0.0.0");
        assert_eq!(&src[items[1].span.range()], "\"artisan\"");
    }

    #[test]
    fn empty_exec_entrypoint_and_cmd_reset_the_parents() {
        let df = parse("FROM php:8.3-fpm\nENTRYPOINT []\nCMD []\n");
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        let df = parse("FROM php:8.3-fpm\nRUN []\n");
        assert_eq!(df.errors.len(), 1);
    }

    #[test]
    fn invalid_exec_form_is_reported_and_read_as_shell() {
        let df = parse("FROM php:8.3-fpm\nCMD ['php-fpm']\n");
        assert_eq!(df.errors.len(), 1);
        assert_eq!(df.errors[0].kind, ErrorKind::InvalidExecForm);
        assert!(matches!(df.instructions[1].args, Args::Shell(_)));
    }

    #[test]
    fn escape_directive_switches_the_continuation_character() {
        let src = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir c:\\ `\n    && echo ok\n";
        let df = parse(src);
        assert_eq!(df.escape, '`');
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        let cmds = df.commands(&df.instructions[1]);
        assert_eq!(cmds.len(), 2, "{cmds:?}");
    }

    #[test]
    fn directives_stop_at_the_first_other_line() {
        let df = parse("# syntax=docker/dockerfile:1\n# comment\n# escape=`\nFROM alpine:3.20\n");
        assert_eq!(df.directives.len(), 1);
        assert_eq!(df.escape, '\\');
    }

    #[test]
    fn heredocs_several_per_instruction_with_strip_and_quotes() {
        let src = "FROM alpine:3.20\nRUN <<A cat > /a && <<-\"B\" cat > /b\nfirst\nA\n\tsecond\n\tB\nRUN <<EOF\napk add --no-cache git\necho hi\nEOF\nCOPY <<EOF /etc/app.ini\nmemory_limit=256M\nEOF\n";
        let df = parse(src);
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        let run = &df.instructions[1];
        assert_eq!(run.heredocs.len(), 2);
        assert_eq!(run.heredocs[0].body.text, "first\n");
        assert!(run.heredocs[1].strip_tabs && run.heredocs[1].quoted);
        assert_eq!(df.instructions.len(), 4);
        let script = df.commands(&df.instructions[2]);
        assert_eq!(script[0].words[0].text, "apk");
        assert_eq!(&src[script[0].words[3].span.range()], "git");
        assert_eq!(
            df.instructions[3].heredocs[0].body.text,
            "memory_limit=256M\n"
        );
    }

    #[test]
    fn unterminated_heredoc_is_located() {
        let src = "FROM alpine:3.20\nRUN <<EOF\necho never closed\n";
        let df = parse(src);
        assert_eq!(df.errors.len(), 1);
        assert_eq!(&src[df.errors[0].span.range()], "<<EOF");
    }

    #[test]
    fn stages_resolve_args_names_and_indices() {
        let src = "ARG PHP=8.3\nARG VARIANT\nFROM php:${PHP}-fpm-alpine AS Base\nFROM base AS app\nCOPY --from=0 /a /b\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nFROM php:${VARIANT}\nFROM php:${VARIANT:-8.2}-cli\n";
        let df = parse(src);
        assert!(df.errors.is_empty(), "{:?}", df.errors);
        assert_eq!(df.stages[0].base, Base::Image("php:8.3-fpm-alpine".into()));
        assert_eq!(df.stages[1].base, Base::Stage(0));
        assert_eq!(df.stages[2].base, Base::Unresolved);
        assert_eq!(df.stages[3].base, Base::Image("php:8.2-cli".into()));
        assert_eq!(df.chain(1), vec![0, 1]);
    }

    #[test]
    fn bad_stage_references_are_errors() {
        let src = "FROM composer:2 AS builder\nFROM php:8.3-fpm AS app\nCOPY --from=biulder /app /app\nCOPY --from=5 /a /b\nCOPY --from=later /a /b\nCOPY --from=app /a /b\nRUN --mount=type=cache,from=buildr,target=/x true\nFROM alpine:3 AS later\n";
        let df = parse(src);
        let kinds: Vec<_> = df
            .errors
            .iter()
            .map(|e| (&src[e.span.range()], e.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("biulder", ErrorKind::UndefinedStage),
                ("5", ErrorKind::UndefinedStage),
                ("app", ErrorKind::UndefinedStage),
                ("buildr", ErrorKind::UndefinedStage),
            ]
        );
    }

    #[test]
    fn unknown_instruction_suggests_and_parse_goes_on() {
        let df = parse("FROM alpine:3\nRUNN echo\nUSER app\n");
        assert_eq!(df.errors.len(), 1);
        assert!(
            df.errors[0].message.contains("did you mean `RUN`"),
            "{}",
            df.errors[0].message
        );
        assert!(df.instructions.iter().any(|i| i.is(Keyword::User)));
    }

    #[test]
    fn env_forms_and_onbuild() {
        let src = "from alpine:3\nENV A=1 B=\"two words\"\nENV LEGACY some value\nonbuild RUN echo hi\nONBUILD FROM x\n";
        let df = parse(src);
        let kv = df.instructions[1].key_values(df.escape);
        assert_eq!(
            (
                kv[1].key.text.as_str(),
                kv[1].value.as_ref().map(|v| v.text.as_str())
            ),
            ("B", Some("two words"))
        );
        assert_eq!(
            &src[kv[1]
                .value
                .as_ref()
                .map(|v| v.span)
                .unwrap_or_default()
                .range()],
            "\"two words\""
        );
        let legacy = df.instructions[2].key_values(df.escape);
        assert_eq!(
            legacy[0].value.as_ref().map(|v| v.text.as_str()),
            Some("some value")
        );
        assert_eq!(
            df.instructions[3].trigger.as_ref().map(|t| t.keyword),
            Some(Keyword::Run)
        );
        assert_eq!(df.errors.len(), 1, "{:?}", df.errors);
    }

    #[test]
    fn hostile_input_stays_bounded() {
        let long = format!("FROM alpine:3\nRUN {}\n", "a \\\n".repeat(200_000));
        let df = parse(&long);
        assert!(!df.instructions.is_empty());
        let binaryish = "FROM \u{0}\u{1}[\n[[[[\nCMD [\"\\u12\n";
        let _ = parse(binaryish);
    }
}

#[cfg(test)]
mod text_tests {
    use super::*;

    /// `trimmed_from(k)` is `slice_from(k).trimmed()` (one copy instead of
    /// two), for texts of several pieces and every start.
    #[test]
    fn trimmed_from_is_slice_then_trim() {
        let parts = ["a", " ", "\t", "bc", "é", "  x "];
        let mut seed: u64 = 99;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut t = Text::default();
            let mut at = (rnd() % 5) as usize;
            for _ in 0..rnd() % 4 {
                let mut p = String::new();
                for _ in 0..rnd() % 4 {
                    p.push_str(parts[(rnd() % 6) as usize]);
                }
                t.push(&p, at);
                at += p.len() + 2;
            }
            if t.pieces.is_empty() {
                t.span = Span::at(at);
            }
            for from in (0..=t.text.len()).filter(|&i| t.text.is_char_boundary(i)) {
                assert_eq!(
                    t.slice_from(from).trimmed(),
                    t.trimmed_from(from),
                    "{t:?} {from}"
                );
            }
        }
    }
}
