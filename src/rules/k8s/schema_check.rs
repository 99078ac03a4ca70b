//! Offline validation of Kubernetes objects against the bundled schemas
//! (`schemas/kubernetes/`, versions in `model::k8s_versions`), shared by the
//! K8S100-K8S105 rules.
//!
//! Each bundled version is parsed once per process, on first use, and shared
//! across threads; objects are validated by walking their definition
//! (`schema_tree`), so nothing is compiled. The rules of one file run on one
//! thread one after another, so the file's findings are computed by the
//! first of them and reused by the rest.

use super::schema_tree::{self, Definitions, Schema};
use crate::config::Settings;
use crate::model::k8s::{self, Object};
use crate::model::k8s_versions::{BUNDLED, bundled_versions, normalize_version};
use crate::parse::yaml::{Node, NodeKind, Resolved, Style, resolve};
use crate::project::ParsedFile;
use crate::schema::SchemaIssue;
use crate::source::Span;
use crate::source::hash::{FastMap, FastSet, map_with_capacity};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{OnceLock, RwLock};

/// The URI the definitions are registered under (their own `$id`).
#[cfg(test)]
const BASE_URI: &str = "https://kubernetes.io/api/_definitions.json";
include!(concat!(env!("OUT_DIR"), "/k8s_schema_index.rs"));

const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";

pub const UNKNOWN_FIELD: &str = "K8S100";
pub const UNKNOWN_KIND: &str = "K8S101";
pub const WRONG_TYPE: &str = "K8S102";
pub const MISSING_FIELD: &str = "K8S103";
pub const INVALID_VALUE: &str = "K8S104";
pub const NOT_SERVED: &str = "K8S105";

/// One schema finding, located; the rule named by `code` reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
    pub label: &'static str,
}

/// The schema findings of a Kubernetes file, for the settings' version.
/// Computed once per file; empty when the version is not bundled (the CLI
/// rejects such a version before linting).
pub fn findings(file: &ParsedFile, settings: &Settings) -> Rc<Vec<Finding>> {
    thread_local! {
        static LAST: RefCell<Option<(CacheKey, Rc<Vec<Finding>>)>> = const { RefCell::new(None) };
    }
    let version = settings.kubernetes_version.as_str();
    if let Some(hit) = LAST.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(k, _)| k.matches(file, version))
            .map(|(_, f)| Rc::clone(f))
    }) {
        return hit;
    }
    let result = Rc::new(compute(file, version));
    let key = CacheKey::of(file, version);
    LAST.with(|c| *c.borrow_mut() = Some((key, Rc::clone(&result))));
    result
}

/// Reports the findings of one rule (`code`) for a file.
pub fn report(code: &'static str, file: &ParsedFile, ctx: &mut crate::rules::Context) {
    for f in findings(file, ctx.settings)
        .iter()
        .filter(|f| f.code == code)
    {
        let d = ctx.report(f.span, f.message.clone());
        d.label_text(f.label);
        if let Some(h) = &f.hint {
            d.hint(h.clone());
        }
    }
}

/// Identifies a file within a run and across runs on one thread (an editor
/// re-linting a changed buffer): its id, name, version and whole text, which
/// is cheaper to copy once and compare (memcmp) than to hash on every lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CacheKey {
    file: usize,
    version: String,
    path: String,
    text: String,
}

impl CacheKey {
    fn matches(&self, file: &ParsedFile, version: &str) -> bool {
        self.file == file.id
            && self.version == version
            && self.path == file.source.path
            && self.text == file.source.text
    }

    fn of(file: &ParsedFile, version: &str) -> Self {
        CacheKey {
            file: file.id,
            version: version.to_owned(),
            path: file.source.path.clone(),
            text: file.source.text.clone(),
        }
    }
}

fn compute(file: &ParsedFile, version: &str) -> Vec<Finding> {
    let Some(yaml) = file.document.as_yaml() else {
        return Vec::new();
    };
    let Some(bundle) = normalize_version(version).and_then(bundle) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut unknown_seen: FastSet<(&str, &str)> = FastSet::default();
    for obj in k8s::objects(yaml) {
        match bundle.definition(obj.api_version, obj.kind) {
            Some(def) => {
                // Most objects are valid: the verdict alone stops at the
                // first error and builds nothing.
                if !schema_tree::is_valid(bundle, def, obj.root) {
                    for issue in schema_tree::validate(bundle, def, obj.root) {
                        out.push(classify(bundle, issue, &obj));
                    }
                }
            }
            None => {
                if let Some(f) = not_served(bundle, &obj) {
                    out.push(f);
                } else if unknown_seen.insert((obj.api_version, obj.kind)) {
                    out.push(unknown_kind(bundle, &obj));
                }
            }
        }
    }
    out
}

/// Turns a located schema issue into the finding of the matching rule.
fn classify(bundle: &Bundle, issue: SchemaIssue, obj: &Object) -> Finding {
    let at = if issue.path.is_empty() {
        obj.display()
    } else {
        format!("`{}` of {}", issue.path, obj.display())
    };
    match issue.keyword.as_str() {
        "additionalProperties" => unknown_field(bundle, &issue, obj),
        "required" => Finding {
            code: MISSING_FIELD,
            span: issue.span,
            message: format!("{} in {at}", issue.message),
            hint: issue
                .message
                .split('`')
                .nth(1)
                .map(|f| format!("Add `{f}`: the API server rejects the object without it")),
            label: "required field missing",
        },
        "type" => {
            let (_, node) = obj.root.locate(&issue.pointer);
            Finding {
                code: WRONG_TYPE,
                span: issue.span,
                message: format!(
                    "{at} must be {}, not {}",
                    expected_phrase(&issue.expected),
                    found_phrase(node)
                ),
                hint: Some(type_hint(&issue.expected, node)),
                label: "wrong type",
            }
        }
        _ => {
            let (_, node) = obj.root.locate(&issue.pointer);
            let quantity = issue.schema_location.contains(QUANTITY);
            let text = node.as_str().unwrap_or_default();
            if issue.keyword == "enum" {
                let allowed: Vec<&str> = issue
                    .expected
                    .iter()
                    .map(|v| v.trim_matches('"'))
                    .filter(|v| !v.is_empty() && *v != "null")
                    .collect();
                let list = allowed
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let suggestion = crate::suggest::did_you_mean(text, allowed.iter().copied());
                Finding {
                    code: INVALID_VALUE,
                    span: issue.span,
                    message: match suggestion {
                        Some(s) => {
                            format!("{at}: `{text}` is not one of {list}: did you mean `{s}`?")
                        }
                        None => format!("{at}: `{text}` is not one of {list}"),
                    },
                    hint: Some(match suggestion {
                        Some(s) => format!("Write `{s}` (values are case-sensitive)"),
                        None => format!("Write one of {list}"),
                    }),
                    label: "invalid value",
                }
            } else if quantity {
                Finding {
                    code: INVALID_VALUE,
                    span: issue.span,
                    message: format!("{at}: `{text}` is not a valid quantity"),
                    hint: Some(
                        "Write a number with an optional suffix: `512Mi`, `1Gi` (binary), `500M` (decimal), `250m` CPU; not `MB` or `GB`"
                            .to_owned(),
                    ),
                    label: "invalid quantity",
                }
            } else {
                Finding {
                    code: INVALID_VALUE,
                    span: issue.span,
                    message: {
                        // Keep jsonschema's wording, naming the object as the others do.
                        let prefix = format!("`{}`: ", issue.path);
                        let detail = issue
                            .message
                            .strip_prefix(&prefix)
                            .unwrap_or(&issue.message);
                        format!("{at}: {detail}")
                    },
                    hint: (!issue.expected.is_empty())
                        .then(|| format!("Use one of: {}", issue.expected.join(", "))),
                    label: "invalid value",
                }
            }
        }
    }
}

fn unknown_field(bundle: &Bundle, issue: &SchemaIssue, obj: &Object) -> Finding {
    let (name, suggestion) = match issue.message.split_once(": did you mean ") {
        Some((m, s)) => (m, Some(s.trim_end_matches('?'))),
        None => (issue.message.as_str(), None),
    };
    let place = match issue
        .pointer
        .rsplit_once('/')
        .map(|(p, _)| crate::schema::dotted(p))
        .filter(|p| !p.is_empty())
    {
        Some(p) => format!("`{p}` of {}", obj.display()),
        None => obj.display(),
    };
    let newer = suggestion
        .is_none()
        .then(|| newer_version_with(bundle, issue))
        .flatten();
    let home = (suggestion.is_none() && newer.is_none())
        .then(|| nested_home(bundle, issue))
        .flatten();
    let (message, hint) = match (suggestion, newer, home) {
        (Some(s), _, _) => (
            format!("{name} in {place}: did you mean {s}?"),
            format!(
                "Rename it to {s}; Kubernetes rejects unknown fields (or silently drops them with `--validate=false`)"
            ),
        ),
        (None, Some(v), _) => (
            format!(
                "{name} in {place}: not in Kubernetes {}, defined from {v} on",
                bundle.version
            ),
            format!(
                "If your clusters run {v} or later, set `kubernetes-version: \"{v}\"` in .deploylint.yaml (or pass `--kubernetes-version {v}`); otherwise remove the field"
            ),
        ),
        (None, None, Some(home)) => (
            format!("{name} in {place}: it belongs in `{home}`"),
            format!("Move it under `{home}`"),
        ),
        (None, None, None) => (
            format!("{name} in {place}"),
            "Remove the field, or move it to where the API defines it; check the spelling against `kubectl explain`".to_owned(),
        ),
    };
    Finding {
        code: UNKNOWN_FIELD,
        span: issue.span,
        message,
        hint: Some(hint),
        label: "unknown field",
    }
}

/// A field misplaced one level too high (`imagePullPolicy` in a pod spec,
/// `runAsUser` in a container): the child field whose schema defines it,
/// `containers[]` for list items.
fn nested_home(doc: &Bundle, issue: &SchemaIssue) -> Option<String> {
    let parent = issue
        .schema_location
        .strip_suffix("/additionalProperties")?;
    let field = issue.pointer.rsplit('/').next()?;
    let field = field.replace("~1", "/").replace("~0", "~");
    // Container-only security settings written in the pod's securityContext.
    if parent.ends_with(".PodSecurityContext")
        && doc
            .pointer("/$defs/io.k8s.api.core.v1.SecurityContext/properties")
            .and_then(|p| p.get(&field))
            .is_some()
    {
        return Some("containers[].securityContext".to_owned());
    }
    let props = doc.pointer(parent)?.get("properties")?.as_object()?;
    let mut names: Vec<&String> = props.keys().collect();
    names.sort();
    names.into_iter().find_map(|name| {
        let schema = props.get(name)?;
        let (schema, list) = match schema.get("items") {
            Some(items) => (items, true),
            None => (schema, false),
        };
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => doc.pointer(r.strip_prefix('#')?)?,
            None => schema,
        };
        schema
            .get("properties")
            .and_then(|p| p.get(&field))
            .map(|_| {
                if list {
                    format!("{name}[]")
                } else {
                    name.clone()
                }
            })
    })
}

/// The first bundled version after `bundle`'s that defines an unknown field,
/// so a manifest written for a newer cluster gets pointed at the setting.
fn newer_version_with(bundle: &Bundle, issue: &SchemaIssue) -> Option<&'static str> {
    let parent = issue
        .schema_location
        .strip_suffix("/additionalProperties")?;
    let field = issue.pointer.rsplit('/').next()?;
    let field = field.replace("~1", "/").replace("~0", "~");
    bundled_versions()
        .skip_while(|v| *v != bundle.version)
        .skip(1)
        .find(|v| {
            bundle_of(v).is_some_and(|b| {
                b.pointer(parent)
                    .and_then(|s| s.get("properties"))
                    .is_some_and(|p| p.get(&field).is_some())
            })
        })
}

fn expected_phrase(types: &[String]) -> String {
    let words: Vec<&str> = types
        .iter()
        .map(|t| match t.as_str() {
            "integer" => "an integer",
            "number" => "a number",
            "string" => "a string",
            "boolean" => "a boolean",
            "array" => "a list",
            "object" => "a map",
            other => other,
        })
        .collect();
    match words.as_slice() {
        [] => "of another type".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn found_phrase(node: &Node) -> String {
    match &node.kind {
        NodeKind::Map(_) => "a map".to_owned(),
        NodeKind::Seq(_) => "a list".to_owned(),
        NodeKind::Scalar(s) => {
            let what = match resolve(node) {
                Resolved::Null => "null",
                Resolved::Bool(_) => "a boolean",
                Resolved::Int(_) => "an integer",
                Resolved::Float(_) => "a number",
                Resolved::Str(_) => "a string",
            };
            if s.value.chars().count() <= 40 && !s.value.contains('\n') {
                format!("{what} (`{}`)", s.value)
            } else {
                what.to_owned()
            }
        }
    }
}

/// What to write instead, from how the YAML spelled the value.
fn type_hint(expected: &[String], node: &Node) -> String {
    let wants = |t: &str| expected.iter().any(|e| e == t);
    if let NodeKind::Scalar(s) = &node.kind {
        let tagged = node.tag.is_some();
        let quoted = tagged || matches!(s.style, Style::SingleQuoted | Style::DoubleQuoted);
        match resolve(node) {
            Resolved::Str(v) if quoted => {
                let unquoted = Node {
                    span: node.span,
                    tag: None,
                    kind: NodeKind::Scalar(crate::parse::yaml::Scalar {
                        value: v.into(),
                        style: Style::Plain,
                    }),
                };
                let fits = match resolve(&unquoted) {
                    Resolved::Int(_) => wants("integer") || wants("number"),
                    Resolved::Float(_) => wants("number"),
                    Resolved::Bool(_) => wants("boolean"),
                    _ => false,
                };
                if fits {
                    let what = if tagged {
                        "the `!!str` tag"
                    } else {
                        "the quotes"
                    };
                    return format!("Remove {what}: `{v}`");
                }
            }
            Resolved::Bool(_) | Resolved::Int(_) | Resolved::Float(_) if wants("string") => {
                return format!(
                    "Quote the value: `\"{}\"` (YAML reads `{}` unquoted as {})",
                    s.value,
                    s.value,
                    found_phrase(node)
                        .split(" (")
                        .next()
                        .unwrap_or("another type")
                );
            }
            _ => {}
        }
    }
    format!(
        "Write {} here; check the field with `kubectl explain`",
        expected_phrase(expected)
    )
}

/// An object of a built-in API group that this version does not serve: a
/// removed apiVersion (`extensions/v1beta1` Ingress) or a misspelt kind.
fn not_served(bundle: &Bundle, obj: &Object) -> Option<Finding> {
    let group = obj.api_version.split_once('/').map_or("", |(g, _)| g);
    if !(bundle.groups.contains(group) || REMOVED_GROUPS.contains(&group)) {
        return None;
    }
    let version = bundle.version;
    if let Some(served) = bundle.kinds.get(obj.kind) {
        let list = served
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        return Some(Finding {
            code: NOT_SERVED,
            span: obj
                .root
                .get("apiVersion")
                .map_or_else(|| obj.anchor_span(), |n| n.span),
            message: format!(
                "`{}` {} is not served by Kubernetes {version}",
                obj.api_version, obj.kind
            ),
            hint: Some(format!(
                "Use apiVersion {list} (check the fields that changed between versions with `kubectl explain`)"
            )),
            label: "API version not served",
        });
    }
    // Kinds of the same group, at any version: the likely intended ones.
    let same_group = bundle
        .index
        .keys()
        .filter(|(av, _)| av.split_once('/').map_or("", |(g, _)| g) == group)
        .map(|(_, k)| *k);
    let suggestion = crate::suggest::did_you_mean(obj.kind, same_group);
    Some(Finding {
        code: NOT_SERVED,
        span: obj.anchor_span(),
        message: match suggestion {
            Some(s) => format!(
                "`{}` has no kind `{}` in Kubernetes {version}: did you mean `{s}`?",
                obj.api_version, obj.kind
            ),
            None => format!(
                "`{}` has no kind `{}` in Kubernetes {version}",
                obj.api_version, obj.kind
            ),
        },
        hint: Some(match suggestion {
            Some(s) => format!("Write `kind: {s}`"),
            None => format!(
                "The kind was removed or never existed in this group; see `kubectl api-resources` and the deprecation guide for Kubernetes {version}"
            ),
        }),
        label: "kind not served",
    })
}

/// Built-in groups that no longer exist at all.
const REMOVED_GROUPS: [&str; 1] = ["extensions"];

fn unknown_kind(bundle: &Bundle, obj: &Object) -> Finding {
    let custom = obj
        .api_version
        .split_once('/')
        .is_some_and(|(g, _)| g.contains('.') && !bundle.groups.contains(g));
    Finding {
        code: UNKNOWN_KIND,
        span: obj.anchor_span(),
        message: format!(
            "no bundled schema for `{}` {}{}: not validated",
            obj.api_version,
            obj.kind,
            if custom { " (a custom resource?)" } else { "" }
        ),
        hint: Some(format!(
            "Custom resources are not validated (like kubeconform's `-ignore-missing-schemas`); check the spelling of `apiVersion` and `kind` against `kubectl api-resources` for Kubernetes {}",
            bundle.version
        )),
        label: "no schema",
    }
}

/// One bundled version: its definitions and what they define.
pub struct Bundle {
    pub version: &'static str,
    /// Definition name -> its JSON text, parsed on first use (most runs
    /// reach a few dozen of the ~700 definitions).
    defs: FastMap<&'static str, Def>,
    /// (apiVersion, kind) -> definition name.
    index: FastMap<(&'static str, &'static str), &'static str>,
    /// kind -> the apiVersions that serve it.
    kinds: FastMap<&'static str, Vec<&'static str>>,
    groups: FastSet<&'static str>,
    /// The `pattern`s met so far, compiled (`None`: it does not compile).
    patterns: RwLock<Vec<(String, Option<regex::Regex>)>>,
    /// The whole document, for the tests that compare with `jsonschema`.
    #[cfg(test)]
    text: &'static str,
}

/// One definition of a bundle: its text, the schema the walk reads once
/// read, and its JSON value once a message needs it (rare: an unknown
/// field's suggestions).
struct Def {
    text: &'static str,
    schema: OnceLock<Option<Schema>>,
    value: OnceLock<Option<Value>>,
}

fn bundle_of(version: &str) -> Option<&'static Bundle> {
    normalize_version(version).and_then(bundle)
}

/// The bundle of a bundled version (indexed on first use).
fn bundle(version: &'static str) -> Option<&'static Bundle> {
    static BUNDLES: [OnceLock<Option<Bundle>>; 5] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let i = BUNDLED.iter().position(|(v, _)| *v == version)?;
    let (version, text) = BUNDLED.get(i)?;
    BUNDLES
        .get(i)?
        .get_or_init(|| Bundle::load(version, text))
        .as_ref()
}

impl Bundle {
    /// A bundle from its text and build.rs's index of it (each
    /// definition's byte range, the kinds served): nothing is parsed here.
    fn load(version: &'static str, text: &'static str) -> Option<Bundle> {
        let (_, ranges, served) = K8S_SCHEMA_INDEX.iter().find(|(v, _, _)| *v == version)?;
        let mut defs = map_with_capacity(ranges.len());
        for &(name, start, end) in *ranges {
            let def = Def {
                text: text.get(start..end)?,
                schema: OnceLock::new(),
                value: OnceLock::new(),
            };
            defs.insert(name, def);
        }
        let mut index = map_with_capacity(served.len());
        let mut kinds: FastMap<&'static str, Vec<&'static str>> = FastMap::default();
        let mut groups = FastSet::default();
        for &(api_version, kind, name) in *served {
            let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
            groups.insert(group);
            kinds.entry(kind).or_default().push(api_version);
            index.insert((api_version, kind), name);
        }
        for served in kinds.values_mut() {
            served.sort();
        }
        Some(Bundle {
            version,
            defs,
            index,
            kinds,
            groups,
            patterns: RwLock::new(Vec::new()),
            #[cfg(test)]
            text,
        })
    }

    /// The value at a JSON pointer into the bundle (`/$defs/NAME/...`).
    fn pointer(&self, pointer: &str) -> Option<&Value> {
        let rest = pointer.strip_prefix("/$defs/")?;
        let (name, rest) = match rest.split_once('/') {
            Some((name, rest)) => (name, rest),
            None => (rest, ""),
        };
        let def = self.value_of(name)?;
        if rest.is_empty() {
            Some(def)
        } else {
            def.pointer(&format!("/{rest}"))
        }
    }

    /// A definition's JSON value, parsed on first use.
    fn value_of(&self, name: &str) -> Option<&Value> {
        let def = self.defs.get(name)?;
        def.value
            .get_or_init(|| serde_json::from_str(def.text).ok())
            .as_ref()
    }

    /// The whole document, parsed (tests only).
    #[cfg(test)]
    fn doc(&self) -> Value {
        serde_json::from_str(self.text).unwrap()
    }

    /// The definition name for an object, if this version has it.
    pub fn definition(&self, api_version: &str, kind: &str) -> Option<&str> {
        let index: &FastMap<(&str, &str), &'static str> = &self.index;
        index.get(&(api_version, kind)).copied()
    }

    /// A `jsonschema` validator of a definition, the oracle `schema_tree` is
    /// tested against.
    #[cfg(test)]
    fn validator(&self, def: &str) -> Result<jsonschema::Validator, String> {
        let registry = jsonschema::Registry::new()
            .add(BASE_URI, self.doc())
            .and_then(|r| r.prepare())
            .map_err(|e| e.to_string())?;
        let schema = serde_json::json!({ "$ref": format!("{BASE_URI}#/$defs/{def}") });
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .with_registry(&registry)
            .build(&schema)
            .map_err(|e| format!("bundled schema `{def}` does not compile: {e}"))
    }
}

impl Definitions for Bundle {
    fn schema_of(&self, name: &str) -> Option<&Schema> {
        let def = self.defs.get(name)?;
        def.schema
            .get_or_init(|| serde_json::from_str(def.text).ok())
            .as_ref()
    }

    fn pattern_matches(&self, pattern: &str, text: &str) -> bool {
        let find = |list: &[(String, Option<regex::Regex>)]| {
            list.iter()
                .find(|(p, _)| p == pattern)
                .map(|(_, re)| re.as_ref().is_none_or(|re| re.is_match(text)))
        };
        // A poisoned lock only means another thread panicked mid-push.
        let read = self.patterns.read().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = find(&read) {
            return hit;
        }
        drop(read);
        let mut write = self.patterns.write().unwrap_or_else(|e| e.into_inner());
        if find(&write).is_none() {
            write.push((pattern.to_owned(), regex::Regex::new(pattern).ok()));
        }
        // A pattern that does not compile checks nothing (a test compiles them all).
        find(&write).unwrap_or(true)
    }
}

/// Every `pattern` keyword's value in a schema document.
#[cfg(test)]
fn collect_patterns(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(o) => {
            for (k, v) in o {
                match (k.as_str(), v) {
                    ("pattern", Value::String(p)) => out.push(p.clone()),
                    _ => collect_patterns(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_patterns(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (code, the text under the span) of each schema finding.
    fn lint(text: &str) -> Vec<(String, String)> {
        let config = crate::config::Config::with_defaults(".".into());
        let opts = crate::LintOptions {
            select: vec!["K8S1".into()],
            ..Default::default()
        };
        let result = crate::lint_text("x.yaml", text, &config, &opts);
        result
            .diagnostics
            .iter()
            .map(|d| {
                assert!(
                    d.span.end <= text.len() && d.span.start <= d.span.end,
                    "{d:?}"
                );
                (d.code.to_string(), text[d.span.range()].to_owned())
            })
            .collect()
    }

    #[test]
    fn odd_input_gives_located_findings() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: 5\nspec:\n  containers:\n    - name: x\n      image: nginx:1\n      \"a/b~c\": 1\n      ? [1, 2]\n      : 3\n      tty: !!str true\n";
        let found = lint(text);
        assert!(found.contains(&("K8S102".into(), "5".into())), "{found:?}");
        assert!(
            found.contains(&("K8S100".into(), "\"a/b~c\"".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&("K8S102".into(), "!!str true".into()))
                || found
                    .iter()
                    .any(|(c, t)| c == "K8S102" && t.contains("true")),
            "{found:?}"
        );
        // The complex key cannot be named by a JSON pointer: the container is reported.
        assert!(
            found
                .iter()
                .any(|(c, t)| c == "K8S100" && t.starts_with("name: x")),
            "{found:?}"
        );
    }

    #[test]
    fn deep_values_and_many_objects_stay_bounded() {
        let mut text = String::from("apiVersion: v1\nkind: ConfigMap\ndata:\n  a:\n");
        for depth in 2..150 {
            text.push_str(&format!("{}k:\n", "  ".repeat(depth)));
        }
        for i in 0..200 {
            text.push_str(&format!(
                "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w{i}\n"
            ));
        }
        let found = lint(&text);
        assert_eq!(
            found.iter().filter(|(c, _)| c == "K8S101").count(),
            1,
            "{found:?}"
        );
        assert!(found.iter().any(|(c, _)| c == "K8S102"), "{found:?}");
    }

    #[test]
    fn findings_are_not_reused_for_an_edited_buffer() {
        let base = "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: x\nspec:\n  replicas: ";
        let valid = format!("{base}222\n");
        let invalid = format!("{base}\"2\"\n");
        assert_eq!(valid.len(), invalid.len());
        // Direct calls on this thread: the per-thread cache must see the change.
        let settings = Settings::default();
        let codes = |text: &str| {
            let source = crate::source::SourceFile::new(
                "x.yaml",
                Some(crate::source::FileKind::Kubernetes),
                text.to_owned(),
            );
            let (document, _) =
                crate::parse::parse(&source, crate::source::FileKind::Kubernetes, 0);
            let file = ParsedFile {
                id: 0,
                source,
                document,
            };
            findings(&file, &settings)
                .iter()
                .map(|f| f.code)
                .collect::<Vec<_>>()
        };
        for _ in 0..2 {
            assert!(codes(&valid).is_empty());
            assert_eq!(codes(&invalid), vec![WRONG_TYPE]);
        }
        assert_eq!(lint(&invalid), vec![("K8S102".into(), "\"2\"".into())]);
    }

    #[test]
    fn every_bundled_version_loads_and_indexes_workloads() {
        for v in bundled_versions() {
            let b = bundle(v).unwrap_or_else(|| panic!("{v} does not load"));
            assert_eq!(
                b.definition("apps/v1", "Deployment"),
                Some("io.k8s.api.apps.v1.Deployment")
            );
            assert_eq!(b.definition("v1", "Pod"), Some("io.k8s.api.core.v1.Pod"));
            assert!(b.definition("extensions/v1beta1", "Ingress").is_none());
        }
    }

    #[test]
    fn every_reference_resolves_and_every_pattern_compiles() {
        fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
            match v {
                Value::Object(o) => o.iter().for_each(|(k, v)| match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => refs(v, out),
                }),
                Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        for v in bundled_versions() {
            let b = bundle(v).unwrap();
            let doc = b.doc();
            let mut found = Vec::new();
            refs(&doc, &mut found);
            assert!(found.len() > 500, "{v}: {} references", found.len());
            for r in found {
                let name = r.strip_prefix("#/$defs/").expect(r);
                assert!(b.schema_of(name).is_some(), "{v}: {r}");
            }
            let mut patterns = Vec::new();
            collect_patterns(&doc, &mut patterns);
            assert!(!patterns.is_empty());
            for p in patterns {
                assert!(regex::Regex::new(&p).is_ok(), "{v}: {p}");
            }
            assert!(b.pattern_matches(&quantity_pattern(b), "512Mi"));
            assert!(!b.pattern_matches(&quantity_pattern(b), "512MB"));
        }
    }

    /// The index built by scanning the text holds every definition, each
    /// parsing to what the whole document's parse holds, and every served
    /// kind.
    #[test]
    fn scanned_definitions_equal_the_full_parse() {
        for v in bundled_versions() {
            let b = bundle(v).unwrap();
            let doc = b.doc();
            let all = doc["$defs"].as_object().unwrap();
            assert_eq!(b.defs.len(), all.len(), "{v}");
            for (name, value) in all {
                assert_eq!(b.value_of(name), Some(value), "{v}: {name}");
                assert!(b.schema_of(name).is_some(), "{v}: {name}");
                assert_eq!(b.pointer(&format!("/$defs/{name}")), Some(value));
            }
            assert_eq!(
                b.definition("apps/v1", "Deployment"),
                Some("io.k8s.api.apps.v1.Deployment")
            );
            let mut served = FastMap::default();
            for (name, def) in all {
                if let Some([g]) = def["x-kubernetes-group-version-kind"]
                    .as_array()
                    .map(Vec::as_slice)
                {
                    let (group, ver) =
                        (g["group"].as_str().unwrap(), g["version"].as_str().unwrap());
                    let api = if group.is_empty() {
                        ver.to_owned()
                    } else {
                        format!("{group}/{ver}")
                    };
                    served.insert((api, g["kind"].as_str().unwrap().to_owned()), name.clone());
                }
            }
            assert!(served.len() > 50, "{v}: {} kinds", served.len());
            let index: FastMap<(String, String), String> = b
                .index
                .iter()
                .map(|(&(a, k), &n)| ((a.to_owned(), k.to_owned()), n.to_owned()))
                .collect();
            assert_eq!(index, served, "{v}");
            assert!(
                b.pointer("/$defs/io.k8s.api.core.v1.Container/properties/image")
                    .is_some()
            );
            assert!(b.pointer("/$defs/io.k8s.api.core.v1.Nope").is_none());
        }
    }

    fn quantity_pattern(b: &Bundle) -> String {
        b.schema_of(QUANTITY).unwrap().pattern.clone().unwrap()
    }

    /// The schema walk (`schema_tree`) must give the findings `jsonschema`
    /// gives on the object's JSON, on every object of the fixtures, the bug
    /// reproducers, the real-world projects and odd hand-written ones, for
    /// every version.
    #[test]
    fn schema_walk_and_jsonschema_agree() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["fixtures", "../shared/realworld", "../shared/bugs"] {
            walk(&root.join(dir), &mut files);
        }
        let mut texts: Vec<String> = files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect();
        texts.push(concat!(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {x: 1, y: .inf, ~: n, [1]: 2}}\n",
            "spec:\n  containers:\n    - {name: a, image: b, tty: yes, stdin: !!str true}\n",
            "    - {name: a, image: b, name: 5, ports: [{containerPort: '80'}]}\n",
            "  hostNetwork: .nan\n  priority: 0x10\n  nodeSelector: {a: 0o17, b: 1_000}\n",
        ).to_owned());
        texts.push(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: 1, a: x}\n".to_owned(),
        );
        texts.push(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: x, a: 1}\n".to_owned(),
        );
        assert!(texts.len() > 100, "{} YAML files", texts.len());
        texts.push(
            concat!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n",
                "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: 1}}\n",
                "    spec:\n      restartPolicy: Sometimes\n      imagePullPolicy: Always\n",
                "      containers:\n        - name: a\n          imagePullPolicy: always\n",
                "          resources: {limits: {memory: 512MB, cpu: 1.5}, requests: {cpu: [1]}}\n",
                "          ports: [{containerPort: 1.0}, {containerPort: 1.5}, {protocol: 5}]\n",
            )
            .to_owned(),
        );
        let (mut valid, mut invalid) = (0, 0);
        for (version, _) in BUNDLED {
            let b = bundle(version).unwrap();
            let doc = b.doc();
            let mut validators = FastMap::default();
            for text in &texts {
                let yaml = crate::parse::yaml::parse(text);
                for obj in k8s::objects(&yaml) {
                    let Some(def) = b.definition(obj.api_version, obj.kind) else {
                        continue;
                    };
                    let oracle = validators
                        .entry(def.to_owned())
                        .or_insert_with(|| b.validator(def).unwrap());
                    let value = obj.root.to_json();
                    let json = oracle.is_valid(&value);
                    let tree = schema_tree::is_valid(b, def, obj.root);
                    assert_eq!(tree, json, "{version} {def}:\n{text}");
                    if json {
                        valid += 1;
                        continue;
                    }
                    invalid += 1;
                    let expected: Vec<Finding> =
                        crate::schema::validate(oracle, &doc, obj.root, &value)
                            .into_iter()
                            .map(|i| classify(b, i, &obj))
                            .collect();
                    let found: Vec<Finding> = schema_tree::validate(b, def, obj.root)
                        .into_iter()
                        .map(|i| classify(b, i, &obj))
                        .collect();
                    assert!(!found.is_empty(), "{version} {def}:\n{text}");
                    assert_eq!(found, expected, "{version} {def}:\n{text}");
                }
            }
        }
        assert!(
            valid > 100 && invalid > 10,
            "{valid} valid, {invalid} invalid"
        );
    }
}
