//! Validates a Kubernetes object's YAML tree against a bundled definition,
//! walking the schema as it walks the tree. Only the definitions an object
//! reaches are ever read, each into a [`Schema`] whose keywords are fields
//! (a keyword lookup per node was most of the walk's cost).
//!
//! The bundled schemas (`schemas/kubernetes/`, see its README) use a small
//! part of JSON Schema: `$ref` to `#/$defs/NAME`, `type`, `properties`,
//! `additionalProperties` (`false` or a schema), `required`, `items`,
//! `enum` and one `pattern` (Quantity). This is that part, on the value
//! `Node::to_json` would make of the tree (YAML 1.1 scalars, non-finite
//! floats as strings, a key's scalar text or the JSON text of a collection
//! key, the last of duplicated keys), with the issues `schema::validate`
//! reports for the same errors from `jsonschema`. A test compares the
//! findings of both on every object of the fixtures, the real-world
//! projects and the bug reproducers, for every bundled version.

use crate::parse::yaml::{Entry, Node, NodeKind, Resolved, resolve};
use crate::schema::{SchemaIssue, dotted, escape, first_line};
use crate::source::hash::FastMap;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashSet;

/// JSON types in `jsonschema`'s order, which is the order of `expected`.
const TYPES: [&str; 7] = [
    "null", "boolean", "integer", "number", "string", "array", "object",
];

/// What a walk needs from the bundle: the schema of a definition (for
/// `$ref`) and compiled patterns.
pub trait Definitions {
    fn schema_of(&self, name: &str) -> Option<&Schema>;
    fn pattern_matches(&self, pattern: &str, text: &str) -> bool;
}

/// A JSON schema as the walk reads it: the keywords of the subset above,
/// each read as the walk read it from the JSON value (`$ref`, `enum`,
/// `pattern`, `properties` and `required` only when of the right JSON
/// type), every other member skipped. Deserialized straight from a
/// definition's text.
#[derive(Debug, Default)]
pub struct Schema {
    /// A schema that is not an object: only `false` rejects.
    pub boolean: Option<bool>,
    pub reference: Option<String>,
    pub types: Option<Value>,
    pub enumeration: Option<Vec<Value>>,
    pub pattern: Option<String>,
    pub properties: Option<FastMap<String, Schema>>,
    pub additional: Option<Box<Schema>>,
    pub items: Option<Box<Schema>>,
    pub required: Vec<String>,
}

impl<'de> serde::Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SchemaVisitor)
    }
}

struct SchemaVisitor;

impl SchemaVisitor {
    fn other<E>(self) -> Result<Schema, E> {
        Ok(Schema {
            boolean: Some(true),
            ..Schema::default()
        })
    }
}

impl<'de> Visitor<'de> for SchemaVisitor {
    type Value = Schema;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON schema")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Schema, E> {
        Ok(Schema {
            boolean: Some(b),
            ..Schema::default()
        })
    }
    fn visit_i64<E>(self, _: i64) -> Result<Schema, E> {
        self.other()
    }
    fn visit_u64<E>(self, _: u64) -> Result<Schema, E> {
        self.other()
    }
    fn visit_f64<E>(self, _: f64) -> Result<Schema, E> {
        self.other()
    }
    fn visit_str<E>(self, _: &str) -> Result<Schema, E> {
        self.other()
    }
    fn visit_unit<E>(self) -> Result<Schema, E> {
        self.other()
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Schema, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.other()
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Schema, A::Error> {
        let mut s = Schema::default();
        // The last of repeated members counts, as in a parsed JSON value.
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "$ref" => s.reference = map.next_value::<Value>()?.as_str().map(str::to_owned),
                "type" => s.types = Some(map.next_value()?),
                "enum" => {
                    s.enumeration = match map.next_value::<Value>()? {
                        Value::Array(a) => Some(a),
                        _ => None,
                    }
                }
                "pattern" => s.pattern = map.next_value::<Value>()?.as_str().map(str::to_owned),
                "properties" => s.properties = map.next_value::<Members>()?.0,
                "additionalProperties" => s.additional = Some(Box::new(map.next_value()?)),
                "items" => s.items = Some(Box::new(map.next_value()?)),
                "required" => {
                    s.required = match map.next_value::<Value>()? {
                        Value::Array(a) => a
                            .into_iter()
                            .filter_map(|v| match v {
                                Value::String(s) => Some(s),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(s)
    }
}

/// `properties`: its members when it is an object.
struct Members(Option<FastMap<String, Schema>>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
        let mut members = FastMap::default();
        while let Some((k, v)) = map.next_entry::<String, Schema>()? {
            members.insert(k, v);
        }
        Ok(Members(Some(members)))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Members, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Members(None))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Members, E> {
        Ok(Members(None))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Members, E> {
        Ok(Members(None))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Members, E> {
        Ok(Members(None))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Members, E> {
        Ok(Members(None))
    }
    fn visit_str<E>(self, _: &str) -> Result<Members, E> {
        Ok(Members(None))
    }
    fn visit_unit<E>(self) -> Result<Members, E> {
        Ok(Members(None))
    }
}

/// Whether `root` is valid against the definition `def`.
pub fn is_valid(defs: &impl Definitions, def: &str, root: &Node) -> bool {
    let mut walk = Walk {
        defs,
        root,
        issues: None,
    };
    walk.reference(def, root, &mut Trail::new(false, ""))
}

/// The located issues of `root` against the definition `def`, sorted by span
/// and message, without duplicates (as `schema::validate` gives them).
pub fn validate(defs: &impl Definitions, def: &str, root: &Node) -> Vec<SchemaIssue> {
    let mut walk = Walk {
        defs,
        root,
        issues: Some(Vec::new()),
    };
    walk.reference(def, root, &mut Trail::new(true, ""));
    let mut issues = walk.issues.unwrap_or_default();
    issues.sort_by(|a, b| (a.span, &a.message).cmp(&(b.span, &b.message)));
    issues.dedup();
    issues
}

/// A JSON pointer being built as the walk descends; only kept when issues
/// are wanted (a verdict needs no paths).
struct Trail {
    on: bool,
    text: String,
}

impl Trail {
    fn new(on: bool, start: &str) -> Trail {
        Trail {
            on,
            text: if on { start.to_owned() } else { String::new() },
        }
    }

    fn len(&self) -> usize {
        self.text.len()
    }

    fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
    }

    /// Appends `/segment`, escaped as RFC 6901 says.
    fn push(&mut self, segment: &str) {
        if self.on {
            self.text.push('/');
            if segment.contains(['~', '/']) {
                self.text.push_str(&escape(segment));
            } else {
                self.text.push_str(segment);
            }
        }
    }

    fn push_index(&mut self, i: usize) {
        if self.on {
            use std::fmt::Write as _;
            let _ = write!(self.text, "/{i}");
        }
    }

    fn as_str(&self) -> &str {
        &self.text
    }
}

struct Walk<'d, 'n, D> {
    defs: &'d D,
    root: &'n Node,
    /// `None` when only the verdict is wanted: the walk stops at the first error.
    issues: Option<Vec<SchemaIssue>>,
}

impl<D: Definitions> Walk<'_, '_, D> {
    /// Validates `node` (at `pointer`) against the definition `name`.
    fn reference(&mut self, name: &str, node: &Node, pointer: &mut Trail) -> bool {
        match self.defs.schema_of(name) {
            Some(schema) => {
                let mut location = Trail::new(self.issues.is_some(), "/$defs");
                location.push(name);
                self.schema(schema, &mut location, node, pointer)
            }
            // The bundle is tested to resolve every reference.
            None => true,
        }
    }

    /// Validates `node` against `schema` at `location` in the bundle. False
    /// when it is invalid; with `issues`, every error is recorded first.
    fn schema(
        &mut self,
        schema: &Schema,
        location: &mut Trail,
        node: &Node,
        pointer: &mut Trail,
    ) -> bool {
        if let Some(b) = schema.boolean {
            return b;
        }
        let mut valid = true;
        if let Some(reference) = schema.reference.as_deref() {
            let name = reference.strip_prefix("#/$defs/").unwrap_or(reference);
            valid &= self.reference(name, node, pointer);
            if !valid && self.issues.is_none() {
                return false;
            }
        }
        // A scalar is resolved once for every keyword.
        let scalar = match node.kind {
            NodeKind::Scalar(_) => Some(resolve(node)),
            _ => None,
        };
        if let Some(types) = &schema.types
            && !type_matches(types, node, scalar)
        {
            valid = false;
            if self.issues.is_none() {
                return false;
            }
            let expected = type_names(types);
            let detail = match expected.as_slice() {
                [one] => format!("value is not of type \"{one}\""),
                many => format!(
                    "value is not of types {}",
                    many.iter()
                        .map(|t| format!("\"{t}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let expected = expected
                .into_iter()
                .filter(|t| *t != "null")
                .map(str::to_owned)
                .collect();
            self.issue(location, "type", pointer, detail, expected);
        }
        if let Some(options) = &schema.enumeration
            && !options.iter().any(|o| equals(node, scalar, o))
        {
            valid = false;
            if self.issues.is_none() {
                return false;
            }
            let detail = enum_message(options);
            let expected = options.iter().map(Value::to_string).collect();
            self.issue(location, "enum", pointer, detail, expected);
        }
        if let Some(pattern) = schema.pattern.as_deref()
            && let Some(text) = scalar.and_then(string_value)
            && !self.defs.pattern_matches(pattern, &text)
        {
            valid = false;
            if self.issues.is_none() {
                return false;
            }
            let detail = format!("value does not match \"{pattern}\"");
            self.issue(location, "pattern", pointer, detail, Vec::new());
        }
        match &node.kind {
            NodeKind::Map(entries) => {
                if !self.object(schema, location, entries, pointer) {
                    valid = false;
                    if self.issues.is_none() {
                        return false;
                    }
                }
            }
            NodeKind::Seq(items) => {
                if let Some(item_schema) = &schema.items {
                    let (loc_len, ptr_len) = (location.len(), pointer.len());
                    location.push("items");
                    for (i, item) in items.iter().enumerate() {
                        pointer.push_index(i);
                        let ok = self.schema(item_schema, location, item, pointer);
                        pointer.truncate(ptr_len);
                        if !ok {
                            valid = false;
                            if self.issues.is_none() {
                                break;
                            }
                        }
                    }
                    location.truncate(loc_len);
                }
            }
            NodeKind::Scalar(_) => {}
        }
        valid
    }

    /// `properties`, `additionalProperties` and `required` on a mapping.
    fn object(
        &mut self,
        schema: &Schema,
        location: &mut Trail,
        entries: &[Entry],
        pointer: &mut Trail,
    ) -> bool {
        let mut valid = true;
        let properties = schema.properties.as_ref();
        let additional = schema.additional.as_deref();
        let mut unexpected: Vec<Cow<'_, str>> = Vec::new();
        let (loc_len, ptr_len) = (location.len(), pointer.len());
        // Small maps skip overwritten keys by scanning; big ones build the list.
        let big = (entries.len() > SCAN_UP_TO).then(|| kept(entries));
        let mut small = entries
            .iter()
            .enumerate()
            .filter(|(i, e)| !entries[i + 1..].iter().any(|l| names_equal(&e.key, &l.key)))
            .map(|(_, e)| e);
        let mut listed = big.iter().flatten().copied();
        let members: &mut dyn Iterator<Item = &Entry> = if big.is_some() {
            &mut listed
        } else {
            &mut small
        };
        for entry in members {
            let name = member_name(&entry.key);
            let (sub, keyword) = match properties.and_then(|p| p.get(name.as_ref())) {
                Some(sub) => (sub, "properties"),
                None => match additional {
                    Some(Schema {
                        boolean: Some(false),
                        ..
                    }) => {
                        valid = false;
                        if self.issues.is_none() {
                            return false;
                        }
                        unexpected.push(name);
                        continue;
                    }
                    Some(sub) => (sub, "additionalProperties"),
                    None => continue,
                },
            };
            location.push(keyword);
            if keyword == "properties" {
                location.push(&name);
            }
            pointer.push(&name);
            let ok = self.schema(sub, location, &entry.value, pointer);
            location.truncate(loc_len);
            pointer.truncate(ptr_len);
            if !ok {
                valid = false;
                if self.issues.is_none() {
                    return false;
                }
            }
        }
        if !unexpected.is_empty() {
            location.push("additionalProperties");
            // (`schema::allowed_properties` at this location, without a lookup.)
            // (In name order, as the JSON object listed them.)
            let mut known: Vec<&str> = properties
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            known.sort_unstable();
            for name in unexpected {
                let child = format!("{}/{}", pointer.as_str(), escape(&name));
                let (key, value) = self.root.locate(&child);
                let span = key.map_or(value.span, |k| k.span);
                let mut message = format!("unknown field `{name}`");
                if let Some(s) = crate::suggest::did_you_mean(&name, known.iter().copied()) {
                    message.push_str(&format!(": did you mean `{s}`?"));
                }
                self.push(SchemaIssue {
                    span,
                    path: dotted(&child),
                    message,
                    keyword: "additionalProperties".to_owned(),
                    pointer: child,
                    expected: Vec::new(),
                    schema_location: location.as_str().to_owned(),
                });
            }
            location.truncate(loc_len);
        }
        for name in &schema.required {
            if entries.iter().any(|e| member_name(&e.key) == name.as_str()) {
                continue;
            }
            valid = false;
            if self.issues.is_none() {
                return false;
            }
            let (key, value) = self.root.locate(pointer.as_str());
            self.push(SchemaIssue {
                span: key.map_or_else(|| first_line(value), |k| k.span),
                path: dotted(pointer.as_str()),
                message: format!("missing required field `{name}`"),
                keyword: "required".to_owned(),
                pointer: pointer.as_str().to_owned(),
                expected: Vec::new(),
                schema_location: format!("{}/required", location.as_str()),
            });
        }
        valid
    }

    /// Records an issue of `keyword` at `pointer`.
    fn issue(
        &mut self,
        location: &Trail,
        keyword: &str,
        pointer: &Trail,
        detail: String,
        expected: Vec<String>,
    ) {
        let (location, pointer) = (location.as_str(), pointer.as_str());
        let (_, value) = self.root.locate(pointer);
        self.push(SchemaIssue::at_value(
            value.span,
            pointer.to_owned(),
            detail,
            keyword.to_owned(),
            expected,
            format!("{location}/{keyword}"),
        ));
    }

    fn push(&mut self, issue: SchemaIssue) {
        if let Some(issues) = &mut self.issues {
            issues.push(issue);
        }
    }
}

/// Whether `types` (a name or a list) admits the JSON `Node::to_json` makes
/// of `node` (`scalar` is its resolution).
fn type_matches(types: &Value, node: &Node, scalar: Option<Resolved<'_>>) -> bool {
    let one = |t: &str| match (t, &node.kind, scalar) {
        ("object", NodeKind::Map(_), _) | ("array", NodeKind::Seq(_), _) => true,
        (_, _, None) => false,
        ("null", _, Some(Resolved::Null)) | ("boolean", _, Some(Resolved::Bool(_))) => true,
        ("number", _, Some(Resolved::Int(_))) | ("integer", _, Some(Resolved::Int(_))) => true,
        ("number", _, Some(Resolved::Float(f))) => f.is_finite(),
        ("integer", _, Some(Resolved::Float(f))) => f.is_finite() && f.fract() == 0.0,
        ("string", _, Some(Resolved::Str(_))) => true,
        ("string", _, Some(Resolved::Float(f))) => !f.is_finite(),
        _ => false,
    };
    match types {
        Value::String(t) => one(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(one),
        _ => true,
    }
}

/// The schema's types in `jsonschema`'s order.
fn type_names(types: &Value) -> Vec<&'static str> {
    let listed = |t: &str| match types {
        Value::String(s) => s == t,
        Value::Array(ts) => ts.iter().any(|v| v.as_str() == Some(t)),
        _ => false,
    };
    TYPES.into_iter().filter(|t| listed(t)).collect()
}

/// The string `Node::to_json` makes of a resolved scalar, if it makes one.
fn string_value(scalar: Resolved<'_>) -> Option<Cow<'_, str>> {
    match scalar {
        Resolved::Str(s) => Some(Cow::Borrowed(s)),
        // `Node::to_json` writes a non-finite float as Rust displays it.
        Resolved::Float(f) if !f.is_finite() => Some(Cow::Owned(f.to_string())),
        _ => None,
    }
}

/// `enum` equality: numbers compare by value, the rest as JSON.
fn equals(node: &Node, scalar: Option<Resolved<'_>>, option: &Value) -> bool {
    match (scalar, option) {
        (None, _) => node.to_json() == *option,
        (Some(r), Value::String(s)) => string_value(r).is_some_and(|v| v == s.as_str()),
        (Some(Resolved::Null), Value::Null) => true,
        (Some(Resolved::Bool(x)), Value::Bool(b)) => x == *b,
        (Some(Resolved::Int(i)), Value::Number(n)) => n.as_f64() == Some(i as f64),
        (Some(Resolved::Float(f)), Value::Number(n)) => f.is_finite() && n.as_f64() == Some(f),
        _ => false,
    }
}

/// `jsonschema`'s wording of an `enum` error, with the value masked.
fn enum_message(options: &[Value]) -> String {
    let shown: Vec<String> = options.iter().map(Value::to_string).collect();
    match shown.as_slice() {
        [] => "value is not one of ".to_owned(),
        [one] => format!("value is not one of {one}"),
        [init @ .., last] => format!("value is not one of {} or {last}", init.join(", ")),
    }
}

/// The JSON member name of a key (`Node::to_json`'s rule).
fn member_name(key: &Node) -> Cow<'_, str> {
    match &key.kind {
        NodeKind::Scalar(s) => Cow::Borrowed(s.value.as_str()),
        _ => Cow::Owned(key.to_json().to_string()),
    }
}

fn names_equal(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Scalar(x), NodeKind::Scalar(y)) => x.value == y.value,
        _ => member_name(a) == member_name(b),
    }
}

/// Maps up to this size find later duplicates by scanning.
const SCAN_UP_TO: usize = 32;

/// The entries that survive into JSON: the last of each name, in order.
fn kept(entries: &[Entry]) -> Vec<&Entry> {
    let mut seen = HashSet::with_capacity(entries.len());
    let mut kept: Vec<&Entry> = entries
        .iter()
        .rev()
        .filter(|e| seen.insert(member_name(&e.key)))
        .collect();
    kept.reverse();
    kept
}
