//! JSON Schema validation of located YAML, with each error mapped back to the
//! span of the offending key or value.

use crate::parse::yaml::Node;
use crate::source::Span;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

/// One schema violation, located.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaIssue {
    pub span: Span,
    /// Dotted path of the offending value (`spec.template.spec.containers[0]`).
    pub path: String,
    pub message: String,
    /// The JSON Schema keyword that failed (`additionalProperties`, `type`, ...).
    pub keyword: String,
    /// JSON pointer of the offending value (`/spec/containers/0`).
    pub pointer: String,
    /// For `type`: the accepted JSON types other than `null`; for `enum`: the
    /// accepted values (as JSON). Empty for other keywords.
    pub expected: Vec<String>,
    /// Where in the schema the failing keyword is: the JSON pointer within the
    /// schema document passed to [`validate`] (resolved through `$ref`s when the
    /// schema has a base URI, as registry-backed schemas do).
    pub schema_location: String,
}

impl SchemaIssue {
    /// An issue at the value `pointer` names (`span`): its dotted path, and the
    /// message "`path`: detail" (the detail alone at the root).
    pub(crate) fn at_value(
        span: Span,
        pointer: String,
        detail: String,
        keyword: String,
        expected: Vec<String>,
        schema_location: String,
    ) -> SchemaIssue {
        let path = dotted(&pointer);
        let message = if path.is_empty() {
            detail
        } else {
            format!("`{path}`: {detail}")
        };
        SchemaIssue {
            span,
            path,
            message,
            keyword,
            pointer,
            expected,
            schema_location,
        }
    }
}

/// Compiles a bundled schema. Bundled schemas are tested to compile, so an
/// error here is a build defect, reported rather than panicking. Compiled
/// under `draft`, whatever the schema's `$schema` says.
pub fn compile_as(
    schema: &Value,
    draft: jsonschema::Draft,
) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(draft)
        .build(schema)
        .map_err(|e| format!("bundled schema does not compile: {e}"))
}

/// For tests of schemas compiled as draft 7 but written as 2020-12: fails on
/// anything whose meaning differs between the two (a `$ref` with sibling
/// keywords, array-form `items`, keywords draft 7 does not know).
#[cfg(test)]
pub(crate) fn assert_same_under_draft7(schema: &Value, at: &str) {
    const NEWER: [&str; 9] = [
        "prefixItems",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentRequired",
        "dependentSchemas",
        "$dynamicRef",
        "$dynamicAnchor",
        "minContains",
        "maxContains",
    ];
    match schema {
        Value::Object(map) => {
            if map.contains_key("$ref") {
                let others: Vec<&String> = map
                    .keys()
                    .filter(|k| !matches!(k.as_str(), "$ref" | "description" | "title"))
                    .collect();
                assert!(others.is_empty(), "{at}: `$ref` beside {others:?}");
            }
            if let Some(items) = map.get("items") {
                assert!(!items.is_array(), "{at}: array-form `items`");
            }
            for (k, v) in map {
                assert!(
                    !NEWER.contains(&k.as_str()),
                    "{at}: `{k}` is newer than draft 7"
                );
                assert_same_under_draft7(v, &format!("{at}/{k}"));
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                assert_same_under_draft7(v, &format!("{at}/{i}"));
            }
        }
        _ => {}
    }
}

/// Validates `instance` and locates each error in `root`.
/// `schema` is the document the validator's keyword locations point into: the
/// compiled schema itself, or the registry document a `$ref` schema resolves to.
/// `instance` is `root` as the validator's representation: its JSON for a
/// `serde_json` validator, the tree itself for the Kubernetes one.
pub fn validate<'i, F: jsonschema::json::Json>(
    validator: &'i jsonschema::Validator<F>,
    schema: &Value,
    root: &Node,
    instance: F::Node<'i>,
) -> Vec<SchemaIssue> {
    let mut issues = Vec::new();
    for error in validator.iter_errors(instance) {
        let pointer = error.instance_path().as_str().to_owned();
        let keyword = error.kind().keyword().to_owned();
        let schema_location = schema_location(&error);
        let expected = expected(error.kind());
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = allowed_properties(schema, &schema_location);
                for name in unexpected {
                    let child = format!("{pointer}/{}", escape(name));
                    let (key, value) = root.locate(&child);
                    let span = key.map_or(value.span, |k| k.span);
                    let mut message = format!("unknown field `{name}`");
                    if let Some(s) =
                        crate::suggest::did_you_mean(name, known.iter().map(String::as_str))
                    {
                        message.push_str(&format!(": did you mean `{s}`?"));
                    }
                    issues.push(SchemaIssue {
                        span,
                        path: dotted(&child),
                        message,
                        keyword: keyword.clone(),
                        pointer: child,
                        expected: Vec::new(),
                        schema_location: schema_location.clone(),
                    });
                }
            }
            ValidationErrorKind::Required { property } => {
                let (key, value) = root.locate(&pointer);
                let name = property.as_str().unwrap_or_default();
                issues.push(SchemaIssue {
                    span: key.map_or_else(|| first_line(value), |k| k.span),
                    path: dotted(&pointer),
                    message: format!("missing required field `{name}`"),
                    keyword,
                    pointer,
                    expected,
                    schema_location,
                });
            }
            _ => {
                let (_, value) = root.locate(&pointer);
                let detail = match error.kind() {
                    ValidationErrorKind::OneOfNotValid { .. }
                    | ValidationErrorKind::AnyOf { .. } => alternatives(schema, &schema_location)
                        .map(|alts| format!("expected {alts}"))
                        .unwrap_or_else(|| error.masked().to_string()),
                    _ => error.masked().to_string(),
                };
                issues.push(SchemaIssue::at_value(
                    value.span,
                    pointer,
                    detail,
                    keyword,
                    expected,
                    schema_location,
                ));
            }
        }
    }
    issues.sort_by(|a, b| (a.span, &a.message).cmp(&(b.span, &b.message)));
    issues.dedup();
    issues
}

/// A readable list of what a `oneOf`/`anyOf` accepts, from the schema itself.
fn alternatives(schema: &Value, schema_path: &str) -> Option<String> {
    let alts = schema.pointer(schema_path)?.as_array()?;
    let mut parts = Vec::new();
    for alt in alts {
        if let Some(values) = alt.get("enum").and_then(Value::as_array) {
            let list: Vec<String> = values
                .iter()
                .map(|v| format!("`{v}`").replace('"', ""))
                .collect();
            parts.push(format!("one of {}", list.join(", ")));
        } else if let Some(t) = alt.get("type").and_then(Value::as_str) {
            parts.push(match t {
                "object" => {
                    let keys: Vec<String> = alt
                        .get("properties")
                        .and_then(Value::as_object)
                        .map(|o| o.keys().map(|k| format!("`{k}`")).collect())
                        .unwrap_or_default();
                    if keys.is_empty() {
                        "a mapping".to_owned()
                    } else {
                        format!("a mapping with {}", keys.join(", "))
                    }
                }
                "array" => "a list".to_owned(),
                other => format!("a {other}"),
            });
        } else {
            return None;
        }
    }
    (!parts.is_empty()).then(|| parts.join(", or "))
}

/// The failing keyword's JSON pointer in the schema document: from the
/// absolute keyword location when there is one (it sees through `$ref`),
/// else the schema path.
fn schema_location(error: &jsonschema::ValidationError) -> String {
    error
        .absolute_keyword_location()
        .and_then(|uri| uri.as_str().split_once('#').map(|(_, f)| percent_decode(f)))
        .unwrap_or_else(|| error.schema_path().as_str().to_owned())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn expected(kind: &ValidationErrorKind) -> Vec<String> {
    use jsonschema::error::TypeKind;
    match kind {
        ValidationErrorKind::Type { kind } => {
            let types: Vec<String> = match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
            };
            types.into_iter().filter(|t| t != "null").collect()
        }
        ValidationErrorKind::Enum { options } => options
            .as_array()
            .map(|a| a.iter().map(Value::to_string).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Property names declared next to the failing `additionalProperties`.
pub(crate) fn allowed_properties(schema: &Value, schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    schema
        .pointer(&format!("{parent}/properties"))
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `/spec/containers/0/image` -> `spec.containers[0].image`.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if seg.bytes().all(|b| b.is_ascii_digit()) && !seg.is_empty() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

/// Where to point for a finding about a whole collection that has no key (a
/// list item): its first entry (`name: web`, or the key when the value is a
/// collection), else its first character.
pub(crate) fn first_line(node: &Node) -> Span {
    match node.as_map().first() {
        Some(e) if e.value.as_scalar().is_some() => e.key.span.cover(e.value.span),
        Some(e) => e.key.span,
        None => Span::new(node.span.start, node.span.start + 1),
    }
}
