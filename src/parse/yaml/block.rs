//! A fast path for the block-style YAML that manifests and compose files are
//! written in: block mappings and sequences, single-line plain and quoted
//! scalars, one-line flow sequences of scalars, `{}`, and literal and folded
//! block scalars. It feeds the same [`Loader`] as saphyr's events do, with the
//! spans saphyr gives, so the tree is the same by construction.
//!
//! Anything outside that subset (anchors, aliases, tags, multi-line plain or
//! quoted scalars, flow mappings, tabs, CR, explicit keys, directives, empty
//! sequence items, anything that might be an error) gives up: the caller
//! throws the partial tree away and parses the chunk with saphyr. A
//! differential test (`tests/yaml_fast_path.rs`) checks over every YAML file
//! of the corpora, and over mutations of them, that both paths build the
//! same documents and errors.

use super::{Frame, Loader, Node, NodeKind, Scalar, Style};
use crate::source::Span;
use crate::source::small::SmallStr;

/// The chunk is outside the subset (or may be an error): use saphyr.
pub(super) struct GiveUp;

type R<T> = Result<T, GiveUp>;

/// A content line: where it starts and how many spaces indent it.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    indent: usize,
}

impl Line {
    fn first(self) -> usize {
        self.start + self.indent
    }
}

/// Nesting the fast path takes on; deeper documents go to saphyr.
const MAX_DEPTH: usize = 64;

/// Keys longer than this are not simple keys (YAML caps them at 1024).
const MAX_KEY: usize = 1000;

/// Loads the loader's chunk through the fast path. `false` when it gave up;
/// the loader is then in an unspecified state and must be discarded.
pub(super) fn load(loader: &mut Loader<'_>) -> bool {
    let chunk = loader.chunk;
    if !in_subset(chunk) {
        return false;
    }
    let mut p = Block {
        s: chunk.as_bytes(),
        text: chunk,
        base: loader.base,
        loader,
    };
    p.document().is_ok()
}

/// Characters the fast path leaves to saphyr: controls (tab and CR
/// included), DEL, the byte-order mark, C1 controls, NEL and the Unicode
/// line and paragraph separators.
fn in_subset(chunk: &str) -> bool {
    let ascii_ok = chunk
        .bytes()
        .all(|b| b == b'\n' || (0x20..0x7f).contains(&b) || b >= 0x80);
    ascii_ok
        && (chunk.is_ascii()
            || !chunk.chars().any(|c| {
                matches!(
                    c,
                    '\u{80}'
                        ..='\u{9f}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{feff}'
                            | '\u{fffe}'
                            | '\u{ffff}'
                )
            }))
}

struct Block<'t, 'l, 'a> {
    s: &'t [u8],
    text: &'t str,
    base: usize,
    loader: &'l mut Loader<'a>,
}

/// A simple key: its scalar and where its `:` is.
struct Key {
    scalar: Scanned,
    colon: usize,
}

/// A scanned scalar: its value, style and span in the chunk.
struct Scanned {
    value: SmallStr,
    style: Style,
    start: usize,
    end: usize,
}

impl Block<'_, '_, '_> {
    fn at(&self, i: usize) -> u8 {
        self.s.get(i).copied().unwrap_or(b'\n')
    }

    /// Index of the line break ending the line that holds `i` (or the end).
    fn eol(&self, i: usize) -> usize {
        memchr::memchr(b'\n', &self.s[i.min(self.s.len())..]).map_or(self.s.len(), |p| i + p)
    }

    fn spaces(&self, mut i: usize) -> usize {
        while self.at(i) == b' ' && i < self.s.len() {
            i += 1;
        }
        i
    }

    /// The next line at or after line start `i` with content (not blank, not
    /// only a comment).
    fn content_line(&self, mut i: usize) -> Option<Line> {
        while i < self.s.len() {
            let first = self.spaces(i);
            match self.s.get(first) {
                None => return None,
                Some(b'\n') => i = first + 1,
                Some(b'#') => i = self.eol(first) + 1,
                Some(_) => {
                    return Some(Line {
                        start: i,
                        indent: first - i,
                    });
                }
            }
        }
        None
    }

    /// The content line after the line that holds `i`.
    fn next_line(&self, i: usize) -> Option<Line> {
        self.content_line(self.eol(i) + 1)
    }

    /// `-` followed by a space or the end of the line: a sequence entry.
    fn is_dash(&self, i: usize) -> bool {
        self.at(i) == b'-' && matches!(self.at(i + 1), b' ' | b'\n')
    }

    /// After a value ending at `i`: only spaces and a comment may follow.
    fn rest_is_blank(&self, i: usize) -> R<()> {
        let j = self.spaces(i);
        match self.at(j) {
            b'\n' => Ok(()),
            b'#' if j > i => Ok(()),
            _ => Err(GiveUp),
        }
    }

    fn document(&mut self) -> R<()> {
        let mut line = self.content_line(0).ok_or(GiveUp)?;
        if line.indent == 0 && self.s[line.start..].starts_with(b"---") {
            self.rest_is_blank(line.start + 3)?;
            line = self.next_line(line.start).ok_or(GiveUp)?;
        }
        match self.node(line)? {
            None => Ok(()),
            Some(_) => Err(GiveUp),
        }
    }

    /// A block collection starting on `line`; returns the content line after it.
    fn node(&mut self, line: Line) -> R<Option<Line>> {
        let i = line.first();
        if self.is_dash(i) {
            return self.seq(line, false);
        }
        let key = self.key(i)?.ok_or(GiveUp)?;
        self.map(line.indent, key)
    }

    fn open(&mut self, frame: Frame) -> R<()> {
        // The fast path recurses per level: leave deep documents to saphyr
        // (and to the loader's own depth limit).
        if self.loader.stack.len() >= MAX_DEPTH {
            return Err(GiveUp);
        }
        self.loader.open(frame).map_err(|_| GiveUp)
    }

    fn close(&mut self) -> R<()> {
        self.loader.close(0, 0).map_err(|_| GiveUp)
    }

    fn scalar(&mut self, s: Scanned) -> R<()> {
        let start = self.base + s.start;
        let end = self.loader.scalar_end(start, self.base + s.end, s.style);
        let node = Node {
            span: Span::new(start, end),
            tag: None,
            kind: NodeKind::Scalar(Scalar {
                value: s.value,
                style: s.style,
            }),
        };
        self.loader.finish(node, 0).map_err(|_| GiveUp)
    }

    /// A block mapping whose keys sit at column `n`; `key` is its first key.
    fn map(&mut self, n: usize, mut key: Key) -> R<Option<Line>> {
        self.open(Frame::Map {
            start: self.base + key.scalar.start,
            anchor: 0,
            tag: None,
            entries: Vec::new(),
            seen: None,
            key: None,
        })?;
        loop {
            let colon = key.colon;
            self.scalar(key.scalar)?;
            let v = self.spaces(colon + 1);
            let next = match self.at(v) {
                b'\n' | b'#' => match self.next_line(colon) {
                    Some(l) if l.indent > n => self.node(l)?,
                    Some(l) if l.indent == n && self.is_dash(l.first()) => self.seq(l, true)?,
                    next => {
                        self.scalar(Scanned {
                            value: SmallStr::default(),
                            style: Style::Plain,
                            start: colon,
                            end: colon,
                        })?;
                        next
                    }
                },
                _ => self.inline(v, n)?,
            };
            match next {
                Some(l) if l.indent == n => {
                    if self.is_dash(l.first()) {
                        return Err(GiveUp);
                    }
                    key = self.key(l.first())?.ok_or(GiveUp)?;
                }
                Some(l) if l.indent > n => return Err(GiveUp),
                next => {
                    self.close()?;
                    return Ok(next);
                }
            }
        }
    }

    /// A block sequence whose dashes sit at column `line.indent`.
    /// `indentless`: it is a mapping value at the mapping's own indentation.
    fn seq(&mut self, line: Line, indentless: bool) -> R<Option<Line>> {
        let n = line.indent;
        let mut dash = line.first();
        let first_item = self.spaces(dash + 1);
        let start = if indentless {
            // saphyr starts such a sequence at its first item's first token.
            if matches!(self.at(first_item), b'\n' | b'#') {
                return Err(GiveUp);
            }
            first_item
        } else {
            dash
        };
        self.open(Frame::Seq {
            start: self.base + start,
            anchor: 0,
            tag: None,
            items: Vec::new(),
        })?;
        loop {
            let v = self.spaces(dash + 1);
            let next = match self.at(v) {
                // An item on the following lines (an empty item is not in the subset).
                b'\n' | b'#' => match self.next_line(dash) {
                    Some(l) if l.indent > n => self.node(l)?,
                    _ => return Err(GiveUp),
                },
                _ if self.is_dash(v) => return Err(GiveUp),
                _ => match self.key(v)? {
                    Some(key) => {
                        let column = v - (dash - n);
                        self.map(column, key)?
                    }
                    None => self.inline(v, n)?,
                },
            };
            match next {
                Some(l) if l.indent == n && self.is_dash(l.first()) => dash = l.first(),
                Some(l) if l.indent > n || (l.indent == n && !indentless) => {
                    return Err(GiveUp);
                }
                next => {
                    self.close()?;
                    return Ok(next);
                }
            }
        }
    }

    /// A key at `i` followed by `:`. `None` when the line has no simple key
    /// there.
    fn key(&self, i: usize) -> R<Option<Key>> {
        match self.at(i) {
            q @ (b'"' | b'\'') => {
                let Some(k) = self.quoted(i, q)? else {
                    return Ok(None);
                };
                let c = self.spaces(k.end);
                if self.at(c) != b':' || !matches!(self.at(c + 1), b' ' | b'\n') {
                    return Ok(None);
                }
                if k.end - k.start > MAX_KEY {
                    return Err(GiveUp);
                }
                Ok(Some(Key {
                    scalar: k,
                    colon: c,
                }))
            }
            b if starts_plain(b, self.at(i + 1)) => {
                let mut j = i;
                loop {
                    match self.at(j) {
                        b'\n' => return Ok(None),
                        b':' if matches!(self.at(j + 1), b' ' | b'\n') => break,
                        b'#' if self.s[j - 1] == b' ' => return Ok(None),
                        _ => j += 1,
                    }
                }
                if j - i > MAX_KEY {
                    return Err(GiveUp);
                }
                let mut e = j;
                while self.s[e - 1] == b' ' {
                    e -= 1;
                }
                Ok(Some(Key {
                    scalar: Scanned {
                        value: SmallStr::new(&self.text[i..e]),
                        style: Style::Plain,
                        start: i,
                        end: e,
                    },
                    colon: j,
                }))
            }
            _ => Ok(None),
        }
    }

    /// A value that starts on its key's (or dash's) line at `i`, in a
    /// collection at column `n`; returns the content line after it.
    fn inline(&mut self, i: usize, n: usize) -> R<Option<Line>> {
        match self.at(i) {
            q @ (b'"' | b'\'') => {
                let s = self.quoted(i, q)?.ok_or(GiveUp)?;
                self.rest_is_blank(s.end)?;
                self.scalar(s)?;
            }
            b'[' | b'{' => {
                let end = self.flow(i)?;
                self.rest_is_blank(end)?;
            }
            b'|' | b'>' => return self.block_scalar(i, n),
            b if starts_plain(b, self.at(i + 1)) => {
                let mut j = i;
                loop {
                    match self.at(j) {
                        b'\n' => break,
                        b':' if matches!(self.at(j + 1), b' ' | b'\n') => return Err(GiveUp),
                        b'#' if self.s[j - 1] == b' ' => break,
                        _ => j += 1,
                    }
                }
                let mut e = j;
                while self.s[e - 1] == b' ' {
                    e -= 1;
                }
                self.scalar(Scanned {
                    value: SmallStr::new(&self.text[i..e]),
                    style: Style::Plain,
                    start: i,
                    end: e,
                })?;
            }
            _ => return Err(GiveUp),
        }
        Ok(self.next_line(i))
    }

    /// A quoted scalar opening at `i` and closing on the same line; `end`
    /// is just past the closing quote. `None` when it does not close there.
    fn quoted(&self, i: usize, q: u8) -> R<Option<Scanned>> {
        let mut value = String::new();
        let mut from = i + 1;
        let mut j = i + 1;
        loop {
            match self.at(j) {
                b'\n' => return Ok(None),
                b'\'' if q == b'\'' => {
                    if self.at(j + 1) == b'\'' {
                        value.push_str(&self.text[from..=j]);
                        j += 2;
                        from = j;
                        continue;
                    }
                    break;
                }
                b'"' if q == b'"' => break,
                b'\\' if q == b'"' => {
                    value.push_str(&self.text[from..j]);
                    let (c, len) = self.escape(j + 1)?;
                    value.push(c);
                    j += 1 + len;
                    from = j;
                }
                _ => j += 1,
            }
        }
        // Without an escape or a folded line, the value is the source slice
        // (and a short one is never allocated).
        let value = if value.is_empty() {
            SmallStr::new(&self.text[from..j])
        } else {
            value.push_str(&self.text[from..j]);
            value.into()
        };
        Ok(Some(Scanned {
            value,
            style: if q == b'"' {
                Style::DoubleQuoted
            } else {
                Style::SingleQuoted
            },
            start: i,
            end: j + 1,
        }))
    }

    /// The escape after a `\` at `i`: the char and how many bytes it took.
    fn escape(&self, i: usize) -> R<(char, usize)> {
        let c = match self.at(i) {
            b'\\' => '\\',
            b'"' => '"',
            b'/' => '/',
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'0' => '\0',
            b' ' => ' ',
            b'a' => '\x07',
            b'b' => '\x08',
            b'e' => '\x1b',
            b'f' => '\x0c',
            b'v' => '\x0b',
            b'x' => return self.hex(i + 1, 2).map(|c| (c, 3)),
            b'u' => return self.hex(i + 1, 4).map(|c| (c, 5)),
            _ => return Err(GiveUp),
        };
        Ok((c, 1))
    }

    fn hex(&self, i: usize, digits: usize) -> R<char> {
        let text = self.text.get(i..i + digits).ok_or(GiveUp)?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(GiveUp);
        }
        u32::from_str_radix(text, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or(GiveUp)
    }

    /// A flow node on one line at `i` (a scalar, or a sequence or mapping
    /// of flow nodes); returns the index just after it.
    fn flow(&mut self, i: usize) -> R<usize> {
        match self.at(i) {
            b'[' => self.flow_collection(i, false),
            b'{' => self.flow_collection(i, true),
            q @ (b'"' | b'\'') => {
                let s = self.quoted(i, q)?.ok_or(GiveUp)?;
                let end = s.end;
                self.scalar(s)?;
                Ok(end)
            }
            b if starts_plain(b, self.at(i + 1))
                && !(b == b'-' && is_flow_indicator(self.at(i + 1))) =>
            {
                let end = self.flow_plain_end(i, false)?;
                self.scalar(Scanned {
                    value: SmallStr::new(&self.text[i..end]),
                    style: Style::Plain,
                    start: i,
                    end,
                })?;
                Ok(end)
            }
            _ => Err(GiveUp),
        }
    }

    /// Where a plain scalar in a flow collection, starting at `i`, ends
    /// (trailing spaces excluded). A `key` ends at `: `; a `:` before a
    /// space or bracket (a flow pair), a nested bracket, a comment or a line
    /// break is left to saphyr.
    fn flow_plain_end(&self, i: usize, key: bool) -> R<usize> {
        let mut j = i;
        loop {
            match self.at(j) {
                b',' | b']' | b'}' if !key => break,
                b':' if key && self.at(j + 1) == b' ' => break,
                // `horizon:status`: a `:` inside a value is part of it.
                b':' if !key
                    && !matches!(self.at(j + 1), b' ' | b'\n')
                    && !is_flow_indicator(self.at(j + 1)) =>
                {
                    j += 1
                }
                b'\n' | b'[' | b'{' | b':' | b',' | b']' | b'}' => return Err(GiveUp),
                b'#' if self.s[j - 1] == b' ' => return Err(GiveUp),
                _ => j += 1,
            }
        }
        while self.s[j - 1] == b' ' {
            j -= 1;
        }
        Ok(j)
    }

    /// A flow sequence (`[`) or mapping (`{`) at `i`, closed on the same
    /// line; returns the index after its closing bracket.
    fn flow_collection(&mut self, i: usize, map: bool) -> R<usize> {
        let start = self.base + i;
        let (frame, close) = if map {
            let frame = Frame::Map {
                start,
                anchor: 0,
                tag: None,
                entries: Vec::new(),
                seen: None,
                key: None,
            };
            (frame, b'}')
        } else {
            let frame = Frame::Seq {
                start,
                anchor: 0,
                tag: None,
                items: Vec::new(),
            };
            (frame, b']')
        };
        self.open(frame)?;
        let mut j = self.spaces(i + 1);
        if self.at(j) != close {
            loop {
                if map {
                    j = self.flow_key(j)?;
                    j = self.spaces(j);
                    if matches!(self.at(j), b',' | b'}') {
                        // A key without a value.
                        return Err(GiveUp);
                    }
                }
                j = self.flow(j)?;
                j = self.spaces(j);
                match self.at(j) {
                    b',' => {
                        j = self.spaces(j + 1);
                        if matches!(self.at(j), b']' | b'}') {
                            return Err(GiveUp);
                        }
                    }
                    b if b == close => break,
                    _ => return Err(GiveUp),
                }
            }
        }
        // saphyr ends a flow collection's span at the next token on its
        // line, or at the line's end when only a comment follows.
        let mut end = self.spaces(j + 1);
        if self.at(end) == b'#' {
            end = self.eol(end);
        }
        self.loader
            .close(self.base + j, self.base + end)
            .map_err(|_| GiveUp)?;
        Ok(j + 1)
    }

    /// A key in a flow mapping at `i` and its `:`; returns the index after
    /// the `:`.
    fn flow_key(&mut self, i: usize) -> R<usize> {
        let (s, colon) = match self.at(i) {
            q @ (b'"' | b'\'') => {
                let s = self.quoted(i, q)?.ok_or(GiveUp)?;
                let colon = self.spaces(s.end);
                (s, colon)
            }
            b if starts_plain(b, self.at(i + 1)) && b != b'-' => {
                let end = self.flow_plain_end(i, true)?;
                let s = Scanned {
                    value: SmallStr::new(&self.text[i..end]),
                    style: Style::Plain,
                    start: i,
                    end,
                };
                (s, self.spaces(end))
            }
            _ => return Err(GiveUp),
        };
        if self.at(colon) != b':' || s.end - s.start > MAX_KEY {
            return Err(GiveUp);
        }
        self.scalar(s)?;
        Ok(colon + 1)
    }

    /// A literal or folded block scalar whose header is at `i`, the value
    /// of a collection at column `n`; returns the content line after it.
    fn block_scalar(&mut self, i: usize, n: usize) -> R<Option<Line>> {
        let folded = self.at(i) == b'>';
        let mut h = i + 1;
        let chomp = match self.at(h) {
            b'-' => {
                h += 1;
                Chomp::Strip
            }
            b'+' => {
                h += 1;
                Chomp::Keep
            }
            _ => Chomp::Clip,
        };
        self.rest_is_blank(h)?;
        // The lines of the block: (start, end) of each, up to the first
        // non-blank line indented less than the block.
        let body = self.eol(i) + 1;
        let mut lines: Vec<(usize, usize)> = Vec::new();
        let mut indent = None;
        let mut at = body;
        let mut end_line = None;
        while at < self.s.len() {
            let first = self.spaces(at);
            let eol = self.eol(at);
            if first == eol {
                if first - at > indent.unwrap_or(0) && indent.is_some() {
                    // Spaces beyond the indentation on a blank line.
                    return Err(GiveUp);
                }
                if eol == self.s.len() {
                    // A last line without a line break.
                    return Err(GiveUp);
                }
                lines.push((at, eol));
                at = eol + 1;
                continue;
            }
            let ind = first - at;
            match indent {
                None if ind <= n => {
                    // An empty block scalar.
                    return Err(GiveUp);
                }
                None => {
                    if lines.iter().any(|&(s, e)| e - s > ind) {
                        return Err(GiveUp);
                    }
                    indent = Some(ind);
                }
                Some(m) if ind < m => {
                    end_line = Some(at);
                    break;
                }
                Some(_) => {}
            }
            if eol == self.s.len() {
                return Err(GiveUp);
            }
            lines.push((at, eol));
            at = eol + 1;
        }
        let m = indent.ok_or(GiveUp)?;
        let mut value = String::new();
        let mut first_content = None;
        let mut last_content = 0;
        let mut pending_breaks = 0usize;
        let mut had_text = false;
        for &(s, e) in &lines {
            if e - s <= m && self.spaces(s) == e {
                pending_breaks += 1;
                continue;
            }
            let content = s + m;
            if folded && self.at(content) == b' ' {
                // More-indented lines of a folded scalar keep their breaks.
                return Err(GiveUp);
            }
            first_content.get_or_insert(content);
            last_content = e;
            if had_text {
                if folded && pending_breaks == 0 {
                    value.push(' ');
                } else {
                    let breaks = if folded {
                        pending_breaks
                    } else {
                        pending_breaks + 1
                    };
                    value.extend(std::iter::repeat_n('\n', breaks));
                }
            } else {
                value.extend(std::iter::repeat_n('\n', pending_breaks));
            }
            pending_breaks = 0;
            value.push_str(&self.text[content..e]);
            had_text = true;
        }
        let start = first_content.ok_or(GiveUp)?;
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => value.push('\n'),
            Chomp::Keep => value.extend(std::iter::repeat_n('\n', pending_breaks + 1)),
        }
        self.scalar(Scanned {
            value: value.into(),
            style: if folded {
                Style::Folded
            } else {
                Style::Literal
            },
            start,
            end: last_content,
        })?;
        Ok(end_line.and_then(|l| self.content_line(l)))
    }
}

#[derive(Clone, Copy)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// Whether a plain scalar may start with `b` (followed by `next`). Leaves
/// every indicator to saphyr but `-` before a non-space (`-F`).
fn starts_plain(b: u8, next: u8) -> bool {
    match b {
        b'-' => !matches!(next, b' ' | b'\n'),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
        _ => true,
    }
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}
