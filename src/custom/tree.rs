//! The located tree custom rules see: plain data (maps, lists, scalars) in
//! which every value remembers its file and span, so a schema error or a
//! script's `report(path, ...)` lands on the exact place, in whichever file
//! the value came from (a linked deployment spans several).

use crate::diagnostic::FileId;
use crate::parse::yaml::{Node, NodeKind, Resolved, resolve};
use crate::source::Span;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct Tree {
    pub file: FileId,
    /// The value itself.
    pub span: Span,
    /// Where to point at the value as a whole: the key of a map entry, the
    /// first entry of a list item, the value of a scalar.
    pub anchor: Span,
    pub value: TValue,
}

#[derive(Clone, Debug)]
pub enum TValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

impl Tree {
    pub fn new(file: FileId, span: Span, value: TValue) -> Tree {
        Tree {
            file,
            span,
            anchor: span,
            value,
        }
    }

    pub fn str(file: FileId, span: Span, s: impl Into<String>) -> Tree {
        Tree::new(file, span, TValue::Str(s.into()))
    }

    pub fn null(file: FileId, span: Span) -> Tree {
        Tree::new(file, span, TValue::Null)
    }

    pub fn map(file: FileId, span: Span, entries: Vec<(String, Tree)>) -> Tree {
        Tree::new(file, span, TValue::Map(entries))
    }

    pub fn list(file: FileId, span: Span, items: Vec<Tree>) -> Tree {
        Tree::new(file, span, TValue::List(items))
    }

    pub fn with_anchor(mut self, anchor: Span) -> Tree {
        self.anchor = anchor;
        self
    }

    /// A YAML node, scalars resolved as Kubernetes reads them (YAML 1.1).
    pub fn from_yaml(file: FileId, node: &Node) -> Tree {
        Self::from_yaml_depth(file, node, 0)
    }

    fn from_yaml_depth(file: FileId, node: &Node, depth: usize) -> Tree {
        let value = match &node.kind {
            _ if depth > 200 => TValue::Null,
            NodeKind::Scalar(_) => match resolve(node) {
                Resolved::Null => TValue::Null,
                Resolved::Bool(b) => TValue::Bool(b),
                Resolved::Int(i) => TValue::Int(i),
                Resolved::Float(f) => TValue::Float(f),
                Resolved::Str(s) => TValue::Str(s.to_owned()),
            },
            NodeKind::Seq(items) => TValue::List(
                items
                    .iter()
                    .map(|i| Self::from_yaml_depth(file, i, depth + 1))
                    .collect(),
            ),
            NodeKind::Map(entries) => {
                let mut out: Vec<(String, Tree)> = Vec::with_capacity(entries.len());
                for e in entries {
                    let key = match e.key.as_scalar() {
                        Some(s) => s.value.to_string(),
                        None => e.key.to_json().to_string(),
                    };
                    let mut child = Self::from_yaml_depth(file, &e.value, depth + 1);
                    if !matches!(
                        child.value,
                        TValue::Str(_) | TValue::Int(_) | TValue::Float(_) | TValue::Bool(_)
                    ) {
                        child.anchor = e.key.span;
                    }
                    // Duplicate keys: the last wins, as Kubernetes decoders do.
                    out.retain(|(k, _)| *k != key);
                    out.push((key, child));
                }
                TValue::Map(out)
            }
        };
        let anchor = match &node.kind {
            NodeKind::Map(entries) => entries
                .first()
                .map_or(node.span, |e| e.key.span.cover(e.value.span)),
            _ => node.span,
        };
        Tree {
            file,
            span: node.span,
            anchor,
            value,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Tree> {
        match &self.value {
            TValue::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn to_json(&self) -> Value {
        match &self.value {
            TValue::Null => Value::Null,
            TValue::Bool(b) => Value::Bool(*b),
            TValue::Int(i) => Value::from(*i),
            TValue::Float(f) => serde_json::Number::from_f64(*f)
                .map_or_else(|| Value::String(f.to_string()), Value::Number),
            TValue::Str(s) => Value::String(s.clone()),
            TValue::List(items) => Value::Array(items.iter().map(Tree::to_json).collect()),
            TValue::Map(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    pub fn to_dynamic(&self) -> rhai::Dynamic {
        use rhai::Dynamic;
        match &self.value {
            TValue::Null => Dynamic::UNIT,
            TValue::Bool(b) => Dynamic::from_bool(*b),
            TValue::Int(i) => Dynamic::from_int(*i),
            TValue::Float(f) => Dynamic::from_float(*f),
            TValue::Str(s) => Dynamic::from(s.clone()),
            TValue::List(items) => {
                Dynamic::from_array(items.iter().map(Tree::to_dynamic).collect())
            }
            TValue::Map(m) => {
                let mut map = rhai::Map::new();
                for (k, v) in m {
                    map.insert(k.as_str().into(), v.to_dynamic());
                }
                Dynamic::from_map(map)
            }
        }
    }

    /// The node at `path`, or the deepest existing node on the way (a
    /// missing field lands on its parent). `exact` says whether the whole
    /// path was found.
    pub fn locate(&self, path: &[Seg]) -> Located<'_> {
        let mut node = self;
        let mut missing: Option<String> = None;
        let mut i = 0;
        while i < path.len() {
            let next = match (&node.value, &path[i]) {
                (TValue::List(items), Seg::Index(n)) => items.get(*n).map(|t| (t, 1)),
                (TValue::Map(m), Seg::Key(_)) | (TValue::Map(m), Seg::Index(_)) => {
                    // `opcache.enable` or `pm.max_children` are single keys:
                    // try the longest run of dotted segments first.
                    let mut found = None;
                    for take in (1..=path.len() - i).rev() {
                        let joined = join_keys(&path[i..i + take]);
                        if let Some(key) = joined {
                            if let Some((_, v)) = m.iter().find(|(k, _)| *k == key) {
                                found = Some((v, take));
                                break;
                            }
                        }
                    }
                    found
                }
                _ => None,
            };
            match next {
                Some((t, take)) => {
                    node = t;
                    i += take;
                }
                None => {
                    missing = Some(path[i].to_string());
                    break;
                }
            }
        }
        Located { node, missing }
    }
}

/// A node found for a path; `missing` names the first segment not found.
pub struct Located<'a> {
    pub node: &'a Tree,
    pub missing: Option<String>,
}

fn join_keys(segs: &[Seg]) -> Option<String> {
    let mut out = String::new();
    for (i, s) in segs.iter().enumerate() {
        let Seg::Key(k) = s else {
            if segs.len() == 1 {
                if let Seg::Index(n) = s {
                    return Some(n.to_string());
                }
            }
            return None;
        };
        if i > 0 {
            out.push('.');
        }
        out.push_str(k);
    }
    Some(out)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl std::fmt::Display for Seg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seg::Key(k) => f.write_str(k),
            Seg::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// Parses a path: a JSON pointer (`/spec/containers/0/image`) or a dotted
/// path (`spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]`).
pub fn parse_path(path: &str) -> Vec<Seg> {
    let path = path.trim();
    if let Some(rest) = path.strip_prefix('/') {
        if rest.is_empty() {
            return Vec::new();
        }
        return rest
            .split('/')
            .map(|s| {
                let s = s.replace("~1", "/").replace("~0", "~");
                match s.parse::<usize>() {
                    Ok(n) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                        Seg::Index(n)
                    }
                    _ => Seg::Key(s),
                }
            })
            .collect();
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    out.push(Seg::Key(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(Seg::Key(std::mem::take(&mut cur)));
                }
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    inner.push(d);
                }
                let inner = inner.trim();
                let quoted = inner
                    .strip_prefix('"')
                    .and_then(|s| s.strip_suffix('"'))
                    .or_else(|| inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')));
                match (quoted, inner.parse::<usize>()) {
                    (Some(q), _) => out.push(Seg::Key(q.to_owned())),
                    (None, Ok(n)) => out.push(Seg::Index(n)),
                    (None, Err(_)) => out.push(Seg::Key(inner.to_owned())),
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(Seg::Key(cur));
    }
    out
}

/// A JSON pointer as segments (schema errors).
pub fn pointer_segments(pointer: &str) -> Vec<Seg> {
    if pointer.is_empty() {
        return Vec::new();
    }
    parse_path(pointer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_in_both_spellings() {
        let want = vec![
            Seg::Key("spec".into()),
            Seg::Key("containers".into()),
            Seg::Index(0),
            Seg::Key("image".into()),
        ];
        assert_eq!(parse_path("/spec/containers/0/image"), want);
        assert_eq!(parse_path("spec.containers[0].image"), want);
        assert_eq!(
            parse_path("metadata.labels[\"app.kubernetes.io/name\"]"),
            vec![
                Seg::Key("metadata".into()),
                Seg::Key("labels".into()),
                Seg::Key("app.kubernetes.io/name".into())
            ]
        );
    }

    #[test]
    fn dotted_keys_and_missing_fields_locate() {
        let text = "directives:\n  pm.max_children: 40\nname: www\n";
        let y = crate::parse::yaml::parse(text);
        let t = Tree::from_yaml(0, &y.documents[0].root);
        let l = t.locate(&parse_path("directives.pm.max_children"));
        assert!(l.missing.is_none());
        assert_eq!(&text[l.node.span.range()], "40");
        let l = t.locate(&parse_path("directives.pm.start_servers"));
        assert_eq!(l.missing.as_deref(), Some("pm"));
        assert_eq!(&text[l.node.anchor.range()], "directives");
    }
}
