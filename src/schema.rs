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
}

/// Compiles a bundled schema. Bundled schemas are tested to compile, so an
/// error here is a build defect, reported rather than panicking.
pub fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .build(schema)
        .map_err(|e| format!("bundled schema does not compile: {e}"))
}

pub fn validate(
    validator: &jsonschema::Validator,
    schema: &Value,
    root: &Node,
    instance: &Value,
) -> Vec<SchemaIssue> {
    let mut issues = Vec::new();
    for error in validator.iter_errors(instance) {
        let pointer = error.instance_path().as_str().to_owned();
        let keyword = error.kind().keyword().to_owned();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = allowed_properties(schema, error.schema_path().as_str());
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
                });
            }
            _ => {
                let (_, value) = root.locate(&pointer);
                let path = dotted(&pointer);
                let detail = match error.kind() {
                    ValidationErrorKind::OneOfNotValid { .. }
                    | ValidationErrorKind::AnyOf { .. } => {
                        alternatives(schema, error.schema_path().as_str())
                            .map(|alts| format!("expected {alts}"))
                            .unwrap_or_else(|| error.masked().to_string())
                    }
                    _ => error.masked().to_string(),
                };
                let message = if path.is_empty() {
                    detail
                } else {
                    format!("`{path}`: {detail}")
                };
                issues.push(SchemaIssue {
                    span: value.span,
                    path,
                    message,
                    keyword,
                });
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

/// Property names declared next to the failing `additionalProperties`.
fn allowed_properties(schema: &Value, schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    schema
        .pointer(&format!("{parent}/properties"))
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn escape(segment: &str) -> String {
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

/// A collection's first line, for findings about the whole collection.
fn first_line(node: &Node) -> Span {
    Span::new(node.span.start, node.span.start + 1)
}
