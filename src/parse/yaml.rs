//! A span-aware YAML loader for multi-document files.
//!
//! Built over `saphyr_parser` events rather than `saphyr`'s tree because we
//! need exact spans (saphyr's scalar ends run past trailing comments), keep
//! duplicate keys, apply `<<` merge keys, bound alias expansion and nesting, and
//! recover per document: each `---`-separated chunk is parsed on its own, so one
//! bad document does not hide the others.

use crate::source::Span;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

mod block;

/// Bounds that keep hostile input from exhausting memory or stack.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Maximum nesting of collections.
    pub max_depth: usize,
    /// Maximum nodes created by expanding aliases, per file (alias bombs).
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 200,
            max_alias_nodes: 100_000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The scalar's content after YAML unescaping/folding.
    pub value: crate::source::small::SmallStr,
    pub style: Style,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub tag: Option<String>,
    pub kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// 0-based index among the file's non-empty documents.
    pub index: usize,
    pub root: Node,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    DuplicateKey,
    TooComplex,
}

#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
    /// For duplicate keys: where the key was first defined.
    pub related: Option<Span>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct YamlFile {
    pub documents: Vec<Document>,
    pub errors: Vec<YamlError>,
}

pub fn parse(text: &str) -> YamlFile {
    parse_with(text, Limits::default())
}

pub fn parse_with(text: &str, limits: Limits) -> YamlFile {
    load(text, limits, true).0
}

/// Parses with saphyr alone, never the block-style fast path (for the
/// differential test).
#[doc(hidden)]
pub fn parse_without_fast_path(text: &str) -> YamlFile {
    load(text, Limits::default(), false).0
}

/// How many of the file's documents the fast path loaded, of how many
/// (for the differential test: it must stay in use).
#[doc(hidden)]
pub fn fast_path_coverage(text: &str) -> (usize, usize) {
    load(text, Limits::default(), true).1
}

fn load(text: &str, limits: Limits, fast: bool) -> (YamlFile, (usize, usize)) {
    let mut out = YamlFile::default();
    let mut alias_budget = limits.max_alias_nodes;
    let mut coverage = (0, 0);
    for (base, chunk) in split_documents(text) {
        coverage.1 += 1;
        let loaded = if fast {
            let mut loader = Loader::new(text, base, chunk, limits, &mut alias_budget);
            block::load(&mut loader).then_some((loader.docs, loader.errors))
        } else {
            None
        };
        let (docs, errors) = match loaded {
            Some(loaded) => {
                coverage.0 += 1;
                loaded
            }
            None => load_with_saphyr(text, base, chunk, limits, &mut alias_budget),
        };
        for root in docs {
            let index = out.documents.len();
            out.documents.push(Document { index, root });
        }
        out.errors.extend(errors);
    }
    (out, coverage)
}

/// One document chunk through saphyr's events, repairing what saphyr alone
/// rejects (see [`repair_quoted_indentation`]).
fn load_with_saphyr(
    text: &str,
    base: usize,
    chunk: &str,
    limits: Limits,
    alias_budget: &mut usize,
) -> (Vec<Node>, Vec<YamlError>) {
    let mut loader = Loader::new(text, base, chunk, limits, alias_budget);
    loader.run();
    if !loader.quoted_indent_error {
        return (loader.docs, loader.errors);
    }
    let Some((patched, offsets)) = repair_quoted_indentation(chunk) else {
        return (loader.docs, loader.errors);
    };
    drop(loader);
    let mut again = Loader::new(text, base, &patched, limits, alias_budget);
    again.char_offsets = Some(offsets);
    again.run();
    (again.docs, again.errors)
}

/// saphyr rejects a quoted scalar whose continuation lines are indented less
/// than the enclosing block ("invalid indentation in quoted scalar"); libyaml,
/// go-yaml (kubectl) and PyYAML accept it, and the folded value is the same
/// whatever the indentation. Indents those lines to the opening quote's column
/// and returns the patched chunk with, per char, the byte offset in `chunk` it
/// stands for (inserted spaces stand for the char after them), so every span
/// still points into the original text. `None` when there is nothing to repair.
fn repair_quoted_indentation(chunk: &str) -> Option<(String, Vec<usize>)> {
    // Each round re-parses the chunk: keep that to documents of ordinary size.
    if chunk.len() > 1 << 20 {
        return None;
    }
    let mut chars: Vec<(char, usize)> = chunk.char_indices().map(|(i, c)| (c, i)).collect();
    let mut changed = false;
    for _ in 0..256 {
        let text: String = chars.iter().map(|(c, _)| c).collect();
        let Some(err) = Parser::new_from_str(&text).find_map(Result::err) else {
            break;
        };
        if err.info() != "invalid indentation in quoted scalar" {
            break;
        }
        let open = err.marker().index();
        let quote = match chars.get(open) {
            Some((q @ ('"' | '\''), _)) => *q,
            _ => break,
        };
        let column = chars[..open]
            .iter()
            .rev()
            .take_while(|(c, _)| *c != '\n')
            .count();
        let mut inserts = Vec::new();
        let mut i = open + 1;
        while i < chars.len() {
            match chars[i].0 {
                '\\' if quote == '"' => i += 1,
                '\'' if quote == '\'' && chars.get(i + 1).is_some_and(|c| c.0 == '\'') => i += 1,
                c if c == quote => break,
                '\n' => {
                    let indent = chars[i + 1..].iter().take_while(|(c, _)| *c == ' ').count();
                    let blank = chars
                        .get(i + 1 + indent)
                        .is_none_or(|(c, _)| matches!(c, '\n' | '\r'));
                    if !blank && indent < column {
                        inserts.push((i + 1, column - indent));
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if inserts.is_empty() {
            break;
        }
        for (at, n) in inserts.into_iter().rev() {
            let orig = chars.get(at).map_or(chunk.len(), |(_, o)| *o);
            chars.splice(at..at, std::iter::repeat_n((' ', orig), n));
        }
        changed = true;
    }
    if !changed {
        return None;
    }
    let text: String = chars.iter().map(|(c, _)| c).collect();
    let mut offsets: Vec<usize> = chars.iter().map(|(_, o)| *o).collect();
    offsets.push(chunk.len());
    Some((text, offsets))
}

/// Splits at `---` / `...` marker lines. Block scalar content is always
/// indented, so a marker at column 0 is a real document boundary.
fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in crate::source::split_lines_inclusive(text) {
        let is_start = is_marker(line, "---");
        let is_end = is_marker(line, "...");
        if is_start && offset > start {
            chunks.push((start, &text[start..offset]));
            start = offset;
        }
        offset += line.len();
        if is_end {
            chunks.push((start, &text[start..offset]));
            start = offset;
        }
    }
    if start < text.len() || chunks.is_empty() {
        chunks.push((start, &text[start..]));
    }
    chunks
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        tag: Option<String>,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        tag: Option<String>,
        entries: Vec<Entry>,
        /// Index in `entries` of each string key seen, for O(1) duplicate
        /// checks in large maps; built once the map has `INDEX_FROM` entries
        /// (smaller maps are scanned, which allocates nothing).
        seen: Option<HashMap<String, usize>>,
        key: Option<Node>,
    },
}

struct Loader<'a> {
    full: &'a str,
    base: usize,
    chunk: &'a str,
    /// Byte offset of each char of the chunk, when the chunk is not ASCII
    /// (set by `run`, for saphyr's char indices).
    char_offsets: Option<Vec<usize>>,
    limits: Limits,
    alias_budget: &'a mut usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    docs: Vec<Node>,
    errors: Vec<YamlError>,
    /// The chunk failed on saphyr's over-strict quoted-scalar indentation check.
    quoted_indent_error: bool,
}

impl<'a> Loader<'a> {
    fn new(
        full: &'a str,
        base: usize,
        chunk: &'a str,
        limits: Limits,
        alias_budget: &'a mut usize,
    ) -> Self {
        Loader {
            full,
            base,
            chunk,
            char_offsets: None,
            limits,
            alias_budget,
            stack: Vec::new(),
            anchors: HashMap::new(),
            docs: Vec::new(),
            errors: Vec::new(),
            quoted_indent_error: false,
        }
    }

    /// Absolute byte offset of a char index within the chunk.
    fn byte(&self, char_index: usize) -> usize {
        let local = match &self.char_offsets {
            None => char_index.min(self.chunk.len()),
            Some(v) => v[char_index.min(v.len() - 1)],
        };
        self.base + local
    }

    fn run(&mut self) {
        // saphyr counts chars; the repaired chunk brings its own offsets.
        if self.char_offsets.is_none() && !self.chunk.is_ascii() {
            let mut v: Vec<usize> = self.chunk.char_indices().map(|(i, _)| i).collect();
            v.push(self.chunk.len());
            self.char_offsets = Some(v);
        }
        for item in Parser::new_from_str(self.chunk) {
            let (event, span) = match item {
                Ok(ev) => ev,
                Err(e) => {
                    self.quoted_indent_error = e.info() == "invalid indentation in quoted scalar";
                    let at = self.byte(e.marker().index());
                    let end = crate::source::clamp_to_char_boundary(self.full, at + 1);
                    // saphyr bounds flow nesting itself; report it as what it is.
                    let too_deep = e.info().contains("recursion limit");
                    self.errors.push(YamlError {
                        kind: if too_deep {
                            ErrorKind::TooComplex
                        } else {
                            ErrorKind::Syntax
                        },
                        span: Span::new(at, end.max(at)),
                        message: if too_deep {
                            "YAML nesting is too deep; the rest of this document was not read"
                                .into()
                        } else {
                            format!("YAML syntax error: {}", e.info())
                        },
                        related: None,
                    });
                    return;
                }
            };
            let start = self.byte(span.start.index());
            let end = self.byte(span.end.index());
            let result = match event {
                Event::Scalar(value, style, anchor, tag) => {
                    let style = convert_style(style);
                    let end = self.scalar_end(start, end, style);
                    let node = Node {
                        span: Span::new(start, end),
                        tag: tag.map(|t| format!("{}{}", t.handle, t.suffix)),
                        kind: NodeKind::Scalar(Scalar {
                            value: value.into(),
                            style,
                        }),
                    };
                    self.finish(node, anchor)
                }
                Event::Alias(id) => self.alias(id, Span::new(start, end)),
                Event::SequenceStart(anchor, tag) => self.open(Frame::Seq {
                    start,
                    anchor,
                    tag: tag.map(|t| format!("{}{}", t.handle, t.suffix)),
                    items: Vec::new(),
                }),
                Event::MappingStart(anchor, tag) => self.open(Frame::Map {
                    start,
                    anchor,
                    tag: tag.map(|t| format!("{}{}", t.handle, t.suffix)),
                    entries: Vec::new(),
                    seen: None,
                    key: None,
                }),
                Event::SequenceEnd | Event::MappingEnd => self.close(start, end),
                Event::DocumentStart(_) => {
                    self.anchors.clear();
                    Ok(())
                }
                _ => Ok(()),
            };
            if let Err(e) = result {
                self.errors.push(e);
                return;
            }
        }
    }

    /// saphyr's scalar ends are unreliable; recompute from the text.
    fn scalar_end(&self, start: usize, end: usize, style: Style) -> usize {
        let text = self.full.as_bytes();
        match style {
            Style::SingleQuoted => {
                let mut i = start + 1;
                while i < text.len() {
                    if text[i] == b'\'' {
                        if text.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        return i + 1;
                    }
                    i += 1;
                }
                end
            }
            Style::DoubleQuoted => {
                let mut i = start + 1;
                while i < text.len() {
                    match text[i] {
                        b'\\' => i += 2,
                        b'"' => return i + 1,
                        _ => i += 1,
                    }
                }
                end
            }
            // Plain ends are right; block scalars include trailing newlines.
            _ => {
                let mut e = end.max(start);
                while e > start && text[e - 1].is_ascii_whitespace() {
                    e -= 1;
                }
                e
            }
        }
    }

    fn open(&mut self, frame: Frame) -> Result<(), YamlError> {
        if self.stack.len() >= self.limits.max_depth {
            let start = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            return Err(YamlError {
                kind: ErrorKind::TooComplex,
                span: Span::new(start, start + 1),
                message: format!(
                    "YAML nesting is deeper than {} levels; the rest of this document was not read",
                    self.limits.max_depth
                ),
                related: None,
            });
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, start: usize, end: usize) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        // Flow collections end at their bracket; block ones at their last child.
        let flow_end = (end > start).then_some(end);
        let node = match frame {
            Frame::Seq {
                start: s,
                anchor,
                tag,
                items,
            } => {
                let last = items.last().map_or(s + 1, |n| n.span.end);
                (
                    Node {
                        span: Span::new(s, flow_end.unwrap_or(last)),
                        tag,
                        kind: NodeKind::Seq(items),
                    },
                    anchor,
                )
            }
            Frame::Map {
                start: s,
                anchor,
                tag,
                entries,
                ..
            } => {
                let last = entries.last().map_or(s + 1, |e| e.value.span.end);
                let entries = apply_merge_keys(entries);
                (
                    Node {
                        span: Span::new(s, flow_end.unwrap_or(last)),
                        tag,
                        kind: NodeKind::Map(entries),
                    },
                    anchor,
                )
            }
        };
        self.finish(node.0, node.1)
    }

    fn alias(&mut self, id: usize, span: Span) -> Result<(), YamlError> {
        let Some(target) = self.anchors.get(&id) else {
            return Err(YamlError {
                kind: ErrorKind::Syntax,
                span,
                message: "YAML alias refers to an unknown anchor".into(),
                related: None,
            });
        };
        let cost = count_nodes(target);
        if cost > *self.alias_budget {
            return Err(YamlError {
                kind: ErrorKind::TooComplex,
                span,
                message: format!(
                    "YAML aliases expand to more than {} nodes (an alias bomb?); the rest of this document was not read",
                    self.limits.max_alias_nodes
                ),
                related: None,
            });
        }
        *self.alias_budget -= cost;
        let mut node = target.clone();
        node.span = span;
        self.finish(node, 0)
    }

    /// Attach a completed node to its parent (or make it a document root).
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, key, seen, ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let Some(name) = k.as_str().filter(|n| *n != "<<") {
                        // The first entry with this key (later ones were reported).
                        let first = match seen {
                            Some(seen) => seen.get(name).and_then(|&i| entries.get(i)),
                            None => entries.iter().find(|e| e.key.is_key(name)),
                        };
                        match first {
                            Some(prev) => self.errors.push(YamlError {
                                kind: ErrorKind::DuplicateKey,
                                span: k.span,
                                message: format!(
                                    "duplicate key `{name}`: this value replaces the earlier one"
                                ),
                                related: Some(prev.key.span),
                            }),
                            None => {
                                if let Some(seen) = seen {
                                    seen.insert(name.to_owned(), entries.len());
                                }
                            }
                        }
                    }
                    entries.push(Entry {
                        key: k,
                        value: node,
                    });
                    if seen.is_none() && entries.len() >= INDEX_FROM {
                        *seen = Some(index_keys(entries));
                    }
                }
            },
        }
        Ok(())
    }
}

/// Maps with this many entries index their keys for duplicate checks.
const INDEX_FROM: usize = 16;

/// Each string key (but `<<`) of a map, at its first entry.
fn index_keys(entries: &[Entry]) -> HashMap<String, usize> {
    let mut seen = HashMap::with_capacity(entries.len() * 2);
    for (i, e) in entries.iter().enumerate() {
        if let Some(name) = e.key.as_str().filter(|n| *n != "<<") {
            seen.entry(name.to_owned()).or_insert(i);
        }
    }
    seen
}

fn convert_style(style: ScalarStyle) -> Style {
    match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        ScalarStyle::Folded => Style::Folded,
    }
}

fn count_nodes(node: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        count += 1;
        match &n.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Seq(items) => stack.extend(items),
            NodeKind::Map(entries) => {
                for e in entries {
                    stack.push(&e.key);
                    stack.push(&e.value);
                }
            }
        }
    }
    count
}

/// `<<: *base` (or a list of them): copy in the keys the map does not set itself.
fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    if !entries
        .iter()
        .any(|e| e.key.is_plain("<<") && e.key.tag.is_none())
    {
        return entries;
    }
    let (merges, mut own): (Vec<Entry>, Vec<Entry>) = entries
        .into_iter()
        .partition(|e| e.key.is_plain("<<") && e.key.tag.is_none());
    for merge in merges {
        let sources: Vec<&Node> = match &merge.value.kind {
            NodeKind::Map(_) => vec![&merge.value],
            NodeKind::Seq(items) => items.iter().collect(),
            NodeKind::Scalar(_) => vec![],
        };
        for source in sources {
            for e in source.as_map() {
                let name = e.key.as_str();
                if !own.iter().any(|o| o.key.as_str() == name) {
                    own.push(e.clone());
                }
            }
        }
    }
    own
}

impl Node {
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text, for any scalar that is not null.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar()
            .filter(|_| !self.is_null())
            .map(|s| s.value.as_str())
    }

    pub fn is_plain(&self, text: &str) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if s.style == Style::Plain && s.value == text)
    }

    pub fn is_null(&self) -> bool {
        match &self.kind {
            NodeKind::Scalar(s) => {
                self.tag.is_none()
                    && s.style == Style::Plain
                    && matches!(s.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.kind, NodeKind::Map(_))
    }

    pub fn as_map(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(e) => e,
            _ => &[],
        }
    }

    pub fn as_seq(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entry for `key` (the last one when the key is duplicated, as
    /// Kubernetes decoders keep the last).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map().iter().rev().find(|e| e.key.is_key(key))
    }

    /// `self.as_str() == Some(key)`, comparing the text before the null check.
    fn is_key(&self, key: &str) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if s.value == key) && !self.is_null()
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follows a path of map keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The string at a path of map keys.
    pub fn str_at(&self, keys: &[&str]) -> Option<&str> {
        self.path(keys).and_then(Node::as_str)
    }

    /// A boolean under YAML 1.1 rules (what Kubernetes reads).
    pub fn as_bool(&self) -> Option<bool> {
        match resolve(self) {
            Resolved::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match resolve(self) {
            Resolved::Int(i) => Some(i),
            Resolved::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    /// Resolves a JSON pointer (`/spec/containers/0/image`) to the key (if the
    /// last step was a map key) and the value node. Stops at the deepest node
    /// that exists, so a pointer into a missing field lands on its parent.
    pub fn locate(&self, pointer: &str) -> (Option<&Node>, &Node) {
        let mut key = None;
        let mut node = self;
        for raw in pointer.split('/').skip(1) {
            let seg = raw.replace("~1", "/").replace("~0", "~");
            match &node.kind {
                NodeKind::Map(_) => match node.entry(&seg) {
                    Some(e) => {
                        key = Some(&e.key);
                        node = &e.value;
                    }
                    None => break,
                },
                NodeKind::Seq(items) => {
                    match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                        Some(item) => {
                            key = None;
                            node = item;
                        }
                        None => break,
                    }
                }
                NodeKind::Scalar(_) => break,
            }
        }
        (key, node)
    }

    /// Converts to JSON with YAML 1.1 scalar resolution (as Kubernetes does).
    /// Merge keys are already applied; duplicate keys keep the last value.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Scalar(_) => match resolve(self) {
                Resolved::Null => Value::Null,
                Resolved::Bool(b) => Value::Bool(b),
                Resolved::Int(i) => Value::from(i),
                Resolved::Float(f) => serde_json::Number::from_f64(f)
                    .map_or_else(|| Value::String(f.to_string()), Value::Number),
                Resolved::Str(s) => Value::String(s.to_owned()),
            },
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                let mut map = serde_json::Map::with_capacity(entries.len());
                for e in entries {
                    let key = match &e.key.kind {
                        NodeKind::Scalar(s) => s.value.to_string(),
                        _ => e.key.to_json().to_string(),
                    };
                    map.insert(key, e.value.to_json());
                }
                Value::Object(map)
            }
        }
    }
}

/// A plain scalar's type under YAML 1.1 (the core of what go-yaml v2 accepts).
#[derive(Clone, Copy)]
pub enum Resolved<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

pub fn resolve(node: &Node) -> Resolved<'_> {
    let NodeKind::Scalar(s) = &node.kind else {
        return Resolved::Null;
    };
    let v = s.value.as_str();
    match node.tag.as_deref() {
        Some("tag:yaml.org,2002:str") | Some("!!str") => return Resolved::Str(v),
        Some(_) => {}
        None if s.style != Style::Plain => return Resolved::Str(v),
        None => {}
    }
    if node.is_null() {
        return Resolved::Null;
    }
    match v {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
            return Resolved::Bool(true);
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            return Resolved::Bool(false);
        }
        _ => {}
    }
    if let Some(i) = parse_int(v) {
        return Resolved::Int(i);
    }
    if let Some(f) = parse_float(v) {
        return Resolved::Float(f);
    }
    Resolved::Str(v)
}

fn parse_int(v: &str) -> Option<i64> {
    let (neg, digits) = match v.as_bytes().first()? {
        b'-' => (true, &v[1..]),
        b'+' => (false, &v[1..]),
        _ => (false, v),
    };
    if digits.is_empty() || !digits.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let clean: std::borrow::Cow<str> = if digits.contains('_') {
        digits.replace('_', "").into()
    } else {
        digits.into()
    };
    let n = if let Some(hex) = clean.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = clean.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else if let Some(bin) = clean.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()?
    } else if clean.len() > 1 && clean.starts_with('0') {
        // YAML 1.1: a leading zero means octal (`0644` is 420).
        i64::from_str_radix(&clean[1..], 8).ok()?
    } else {
        clean.parse().ok()?
    };
    Some(if neg { -n } else { n })
}

fn parse_float(v: &str) -> Option<f64> {
    match v {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let b = v.as_bytes();
    let first_digit = b.iter().position(|c| !matches!(c, b'+' | b'-'))?;
    if first_digit > 1 || !(b[first_digit].is_ascii_digit() || b[first_digit] == b'.') {
        return None;
    }
    if !b.iter().any(u8::is_ascii_digit) {
        return None;
    }
    if v.contains('_') {
        v.replace('_', "").parse().ok()
    } else {
        v.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn quoted_scalars_may_continue_less_indented() {
        // kubectl (go-yaml) and PyYAML accept these; saphyr alone does not.
        let text =
            "metadata:\n  annotations:\n    a: \"first é\n  second\"\n    b: 'x\n y'\nc: 1\n";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let NodeKind::Map(top) = &f.documents[0].root.kind else {
            panic!("not a map")
        };
        let NodeKind::Map(meta) = &top[0].value.kind else {
            panic!("not a map")
        };
        let NodeKind::Map(ann) = &meta[0].value.kind else {
            panic!("not a map")
        };
        let a = &ann[0].value;
        assert_eq!(
            a.kind,
            NodeKind::Scalar(Scalar {
                value: "first é second".into(),
                style: Style::DoubleQuoted
            })
        );
        assert_eq!(slice(text, a.span), "\"first é\n  second\"");
        assert_eq!(slice(text, ann[1].value.span), "'x\n y'");
        assert_eq!(slice(text, top[1].key.span), "c");
    }

    #[test]
    fn spans_cover_keys_values_and_quoted_scalars() {
        let text = "a: \"x\" # c\nb: plain value  # cmt\nd: {x: 1, y: [1, 2]}\nlist:\n  - é: ü\n";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let root = &f.documents[0].root;
        assert_eq!(slice(text, root.get("a").unwrap().span), "\"x\"");
        assert_eq!(slice(text, root.get("b").unwrap().span), "plain value");
        assert_eq!(
            slice(text, root.get("d").unwrap().span),
            "{x: 1, y: [1, 2]}"
        );
        let item = &root.get("list").unwrap().as_seq()[0];
        assert_eq!(slice(text, item.get("é").unwrap().span), "ü");
        assert_eq!(slice(text, item.entry("é").unwrap().key.span), "é");
    }

    #[test]
    fn documents_recover_independently() {
        let text = "a: 1\n---\nb: [unclosed\n---\nc: 3\n";
        let f = parse(text);
        assert_eq!(f.documents.len(), 2);
        assert_eq!(f.documents[1].root.get("c").unwrap().as_i64(), Some(3));
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].kind, ErrorKind::Syntax);
        assert!(f.errors[0].span.start > text.find("b:").unwrap());
    }

    #[test]
    fn duplicate_keys_are_reported_and_last_wins() {
        let text = "a: 1\nb: 2\na: 3\n";
        let f = parse(text);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].kind, ErrorKind::DuplicateKey);
        assert_eq!(f.errors[0].span.start, 10);
        assert_eq!(f.errors[0].related, Some(Span::new(0, 1)));
        assert_eq!(f.documents[0].root.get("a").unwrap().as_i64(), Some(3));
    }

    #[test]
    fn merge_keys_and_aliases() {
        let text = "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 9\n";
        let f = parse(text);
        let m = f.documents[0].root.get("m").unwrap();
        assert_eq!(m.get("x").unwrap().as_i64(), Some(1));
        assert_eq!(m.get("y").unwrap().as_i64(), Some(9));
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let f = parse(&text);
        assert!(f.errors.iter().any(|e| e.kind == ErrorKind::TooComplex));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let f = parse(&text);
        assert!(f.errors.iter().any(|e| e.kind == ErrorKind::TooComplex));
        let block: String = (0..2_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let f = parse(&block);
        assert!(f.errors.iter().any(|e| e.kind == ErrorKind::TooComplex));
    }

    #[test]
    fn yaml_1_1_resolution() {
        let text = "a: yes\nb: 0644\nc: '0644'\nd: 1.5\ne: ~\nf: !!str 12\n";
        let v = parse(text).documents[0].root.to_json();
        assert_eq!(v["a"], true);
        assert_eq!(v["b"], 420);
        assert_eq!(v["c"], "0644");
        assert_eq!(v["d"], 1.5);
        assert!(v["e"].is_null());
        assert_eq!(v["f"], "12");
    }

    #[test]
    fn locate_follows_pointers() {
        let text = "spec:\n  containers:\n    - name: a\n      image: nginx\n";
        let root = &parse(text).documents[0].root;
        let (key, value) = root.locate("/spec/containers/0/image");
        assert_eq!(slice(text, key.unwrap().span), "image");
        assert_eq!(slice(text, value.span), "nginx");
        let (_, parent) = root.locate("/spec/containers/0/missing");
        assert!(parent.is_map());
    }
}
