//! The YAML tree as a `jsonschema` instance, so the schema check can ask
//! `is_valid` without first building the object's `serde_json::Value`
//! (`Node::to_json`, and dropping it, cost more than the validation itself).
//!
//! Every answer mirrors what `Node::to_json` would build: YAML 1.1 scalar
//! resolution, non-finite floats as strings, a map key's raw scalar text (or
//! the JSON text of a non-scalar key), and the last of duplicated keys.
//! `schema_check` only trusts a `true`: an invalid object is validated again
//! on its JSON to locate the issues, and a test compares both verdicts.

use crate::parse::yaml::{Entry, Node as YamlNode, NodeKind, Resolved, resolve};
use jsonschema::json::{Array, Json, Node, NodeIdentity, Object};
use jsonschema::types::JsonType;
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::collections::HashSet;

/// The `jsonschema` representation of a YAML tree.
pub struct Yaml;

/// A node of the tree, or a property name `propertyNames` validates.
#[derive(Clone, Copy)]
pub enum Instance<'a> {
    Node(&'a YamlNode),
    Name(&'a str),
}

impl Json for Yaml {
    type Node<'a> = Instance<'a>;
    type PreparedKey = String;
    type StringBuffer = ();

    // A lookup scans the entries, as a members pass does.
    const KEYS_PER_LOOKUP: usize = 1;
    // Aliases are copied, so no node is its own descendant.
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(Instance<'_>) -> T) -> T {
        f(Instance::Name(string))
    }
}

/// What `Node::to_json` turns a scalar into, as a JSON type.
fn scalar_type(node: &YamlNode) -> JsonType {
    match resolve(node) {
        Resolved::Null => JsonType::Null,
        Resolved::Bool(_) => JsonType::Boolean,
        Resolved::Int(_) => JsonType::Number,
        Resolved::Float(f) if f.is_finite() => JsonType::Number,
        Resolved::Float(_) | Resolved::Str(_) => JsonType::String,
    }
}

impl<'a> Node<'a, Yaml> for Instance<'a> {
    type Object = Map<'a>;
    type Array = &'a [YamlNode];
    type Number = Number;

    fn as_object(&self) -> Option<Map<'a>> {
        match self {
            Instance::Node(n) => match &n.kind {
                NodeKind::Map(entries) => Some(Map(entries)),
                _ => None,
            },
            Instance::Name(_) => None,
        }
    }

    fn as_array(&self) -> Option<&'a [YamlNode]> {
        match self {
            Instance::Node(n) => match &n.kind {
                NodeKind::Seq(items) => Some(items),
                _ => None,
            },
            Instance::Name(_) => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match *self {
            Instance::Name(s) => Some(Cow::Borrowed(s)),
            Instance::Node(n) => match &n.kind {
                NodeKind::Scalar(_) => match resolve(n) {
                    Resolved::Str(s) => Some(Cow::Borrowed(s)),
                    Resolved::Float(f) if !f.is_finite() => Some(Cow::Owned(f.to_string())),
                    _ => None,
                },
                _ => None,
            },
        }
    }

    fn as_number(&self) -> Option<Number> {
        match *self {
            Instance::Node(n) if matches!(n.kind, NodeKind::Scalar(_)) => match resolve(n) {
                Resolved::Int(i) => Some(Number::from(i)),
                Resolved::Float(f) => Number::from_f64(f),
                _ => None,
            },
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match *self {
            Instance::Node(n) if matches!(n.kind, NodeKind::Scalar(_)) => match resolve(n) {
                Resolved::Bool(b) => Some(b),
                _ => None,
            },
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        self.json_type() == JsonType::Null
    }

    fn json_type(&self) -> JsonType {
        match self {
            Instance::Name(_) => JsonType::String,
            Instance::Node(n) => match &n.kind {
                NodeKind::Map(_) => JsonType::Object,
                NodeKind::Seq(_) => JsonType::Array,
                NodeKind::Scalar(_) => scalar_type(n),
            },
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(match self {
            Instance::Name(s) => Value::String((*s).to_owned()),
            Instance::Node(n) => n.to_json(),
        })
    }

    fn identity(&self) -> Option<NodeIdentity> {
        match self {
            Instance::Node(n) => Some(NodeIdentity::new(std::ptr::from_ref(*n) as usize)),
            Instance::Name(_) => None,
        }
    }
}

/// A YAML map seen as the JSON object `Node::to_json` makes of it.
#[derive(Clone, Copy)]
pub struct Map<'a>(&'a [Entry]);

/// The JSON member name of a key (`Node::to_json`'s rule).
fn name(key: &YamlNode) -> Cow<'_, str> {
    match &key.kind {
        NodeKind::Scalar(s) => Cow::Borrowed(s.value.as_str()),
        _ => Cow::Owned(key.to_json().to_string()),
    }
}

fn names_equal(a: &YamlNode, b: &YamlNode) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Scalar(x), NodeKind::Scalar(y)) => x.value == y.value,
        _ => name(a) == name(b),
    }
}

/// Maps up to this size find later duplicates by scanning.
const SCAN_UP_TO: usize = 32;

impl<'a> Map<'a> {
    /// The entries that survive into JSON: the last of each name, in order.
    fn kept(&self) -> Vec<&'a Entry> {
        let entries = self.0;
        if entries.len() <= SCAN_UP_TO {
            return entries
                .iter()
                .enumerate()
                .filter(|(i, e)| !entries[i + 1..].iter().any(|l| names_equal(&e.key, &l.key)))
                .map(|(_, e)| e)
                .collect();
        }
        let mut seen = HashSet::with_capacity(entries.len());
        let mut kept: Vec<&Entry> = entries
            .iter()
            .rev()
            .filter(|e| seen.insert(name(&e.key)))
            .collect();
        kept.reverse();
        kept
    }
}

impl<'a> Object<'a, Yaml> for Map<'a> {
    type Node = Instance<'a>;
    type MemberName = Cow<'a, str>;
    type MembersIter = std::iter::Map<
        std::vec::IntoIter<&'a Entry>,
        fn(&'a Entry) -> (Cow<'a, str>, Instance<'a>),
    >;

    fn len(&self) -> usize {
        let entries = self.0;
        if entries.len() <= SCAN_UP_TO {
            (0..entries.len())
                .filter(|&i| {
                    !entries[i + 1..]
                        .iter()
                        .any(|l| names_equal(&entries[i].key, &l.key))
                })
                .count()
        } else {
            entries
                .iter()
                .map(|e| name(&e.key))
                .collect::<HashSet<_>>()
                .len()
        }
    }

    fn get(&self, key: &String) -> Option<Instance<'a>> {
        self.0
            .iter()
            .rev()
            .find(|e| match &e.key.kind {
                NodeKind::Scalar(s) => s.value == *key,
                _ => name(&e.key) == key.as_str(),
            })
            .map(|e| Instance::Node(&e.value))
    }

    fn members(&self) -> Self::MembersIter {
        fn member(e: &Entry) -> (Cow<'_, str>, Instance<'_>) {
            (name(&e.key), Instance::Node(&e.value))
        }
        self.kept()
            .into_iter()
            .map(member as fn(&'a Entry) -> (Cow<'a, str>, Instance<'a>))
    }
}

impl<'a> Array<'a, Yaml> for &'a [YamlNode] {
    type Node = Instance<'a>;
    type ElementsIter =
        std::iter::Map<std::slice::Iter<'a, YamlNode>, fn(&'a YamlNode) -> Instance<'a>>;

    fn len(&self) -> usize {
        <[YamlNode]>::len(self)
    }

    fn elements(&self) -> Self::ElementsIter {
        self.iter().map(Instance::Node as fn(&'a YamlNode) -> Instance<'a>)
    }
}
