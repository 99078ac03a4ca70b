//! Generates the rule registry and the embedded catalog from the file tree,
//! so adding a rule never means editing a hand-kept list:
//! - every `rules/**/*.yaml` is embedded as a catalog entry;
//! - every `src/rules/<domain>/*.rs` becomes a module, and each file that
//!   contains `impl Rule for X` registers `X`.

#[path = "src/catalog/reflow.rs"]
mod reflow;

#[path = "src/rules/k8s/json_scan.rs"]
#[allow(dead_code)]
mod json_scan;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("out dir"));
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules");

    let mut catalog = Vec::new();
    collect(&root.join("rules"), "yaml", &mut catalog);
    catalog.sort();
    // Each entry becomes a `RuleMeta` literal, sorted by code, so a run
    // parses nothing at start-up. The YAML texts stay for the test that
    // compares both.
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut yaml = String::from("#[cfg(test)]\npub static CATALOG_YAML: &[(&str, &str)] = &[\n");
    for path in &catalog {
        let rel = path
            .strip_prefix(&root)
            .expect("under root")
            .display()
            .to_string();
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(path).expect("read catalog entry");
        entries.push(meta_literal(&rel, &yaml_value(&rel, &text)));
        writeln!(
            yaml,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .ok();
    }
    entries.sort();
    for pair in entries.windows(2) {
        assert!(
            pair[0].0 != pair[1].0,
            "two catalog entries for {}",
            pair[0].0
        );
    }
    let mut code = String::from("pub static RULES: &[RuleMeta] = &[\n");
    for (_, literal) in &entries {
        code.push_str(literal);
    }
    code.push_str("];\n");
    yaml.push_str("];\n");
    code.push_str(&yaml);
    fs::write(out.join("catalog_files.rs"), code).expect("write catalog_files.rs");

    k8s_schema_index(&root, &out);

    let mut registry = String::new();
    let mut rules = Vec::new();
    let mut domains: Vec<PathBuf> = fs::read_dir(root.join("src/rules"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    domains.sort();
    for domain in domains {
        let dname = domain
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 dir")
            .to_owned();
        writeln!(registry, "pub mod {dname} {{").ok();
        let mut files = Vec::new();
        collect(&domain, "rs", &mut files);
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let stem = file
                .file_stem()
                .and_then(|n| n.to_str())
                .expect("utf-8 name")
                .to_owned();
            writeln!(
                registry,
                "    #[path = {:?}]\n    pub mod {stem};",
                file.display().to_string()
            )
            .ok();
            let text = fs::read_to_string(&file).expect("read rule file");
            for rest in text.split("impl Rule for ").skip(1) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                rules.push(format!("{dname}::{stem}::{name}"));
            }
        }
        registry.push_str("}\n");
    }
    registry.push_str("/// Every built-in rule, found by build.rs.\npub fn builtin_rules() -> Vec<Box<dyn Rule>> {\n    vec![\n");
    for r in &rules {
        writeln!(registry, "        Box::new({r}),").ok();
    }
    registry.push_str("    ]\n}\n");
    fs::write(out.join("rule_registry.rs"), registry).expect("write rule_registry.rs");
}

fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for entry in rd.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, ext, out);
        } else if path.extension().and_then(|e| e.to_str()) == Some(ext) {
            out.push(path);
        }
    }
}

/// A catalog value: what the run-time YAML loader makes of the catalog's
/// plain YAML (no anchors, no collection keys).
enum Value {
    Null,
    Bool(bool),
    Int,
    Str(String),
    Seq(Vec<Value>),
    Map(Vec<(String, Value)>),
}

/// A catalog entry (one YAML document of mappings, sequences and scalars).
/// Plain scalars resolve as the run-time YAML loader resolves them for the
/// catalog's fields: null, booleans, decimal integers, else strings; quoted
/// and block scalars and keys are strings. A test compares every entry
/// with the run-time parse of its YAML.
fn yaml_value(path: &str, text: &str) -> Value {
    use saphyr_parser::{Event, Parser, ScalarStyle};
    // Open collections, each with the key waiting for its value.
    let mut stack: Vec<(Value, Option<String>)> = Vec::new();
    let mut root: Option<Value> = None;
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.unwrap_or_else(|e| panic!("{path}: {e}"));
        let is_key = matches!(stack.last(), Some((Value::Map(_), None)));
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => continue,
            Event::DocumentStart(_) => {
                documents += 1;
                assert!(documents == 1, "{path}: more than one document");
                continue;
            }
            Event::SequenceStart(..) if !is_key => {
                stack.push((Value::Seq(Vec::new()), None));
                continue;
            }
            Event::MappingStart(..) if !is_key => {
                stack.push((Value::Map(Vec::new()), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some((v, _)) => v,
                None => panic!("{path}: unbalanced"),
            },
            Event::Scalar(value, _, _, _) if is_key => {
                if let Some((_, key)) = stack.last_mut() {
                    *key = Some(value.into_owned());
                }
                continue;
            }
            Event::Scalar(value, style, _, tag) => {
                let plain = style == ScalarStyle::Plain && tag.is_none();
                match value.as_ref() {
                    "" | "~" | "null" | "Null" | "NULL" if plain => Value::Null,
                    "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y"
                    | "Y"
                        if plain =>
                    {
                        Value::Bool(true)
                    }
                    "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF"
                    | "n" | "N"
                        if plain =>
                    {
                        Value::Bool(false)
                    }
                    v if plain
                        && !v.is_empty()
                        && v.len() < 16
                        && v.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        Value::Int
                    }
                    _ => Value::Str(value.into_owned()),
                }
            }
            _ => panic!(
                "{path}:{}: the catalog uses no aliases and no collection keys",
                span.start.line()
            ),
        };
        match stack.last_mut() {
            Some((Value::Seq(items), _)) => items.push(node),
            Some((Value::Map(members), key)) => {
                let key = key
                    .take()
                    .unwrap_or_else(|| panic!("{path}: a value without a key"));
                members.push((key, node));
            }
            Some(_) => unreachable!("only collections are pushed"),
            None => root = Some(node),
        }
    }
    root.unwrap_or(Value::Null)
}

/// A catalog entry as a `RuleMeta` literal, with the defaults and checks
/// serde's `#[serde(default)]` and `deny_unknown_fields` would apply:
/// (code, literal).
fn meta_literal(path: &str, entry: &Value) -> (String, String) {
    let fail = |what: &str| -> ! { panic!("{path}: {what}") };
    let Value::Map(members) = entry else {
        fail("not a mapping")
    };
    const FIELDS: &[&str] = &[
        "code",
        "name",
        "title",
        "format",
        "category",
        "severity",
        "status",
        "enabled",
        "engine",
        "fix",
        "fix_safety",
        "rationale",
        "remediation",
        "references",
        "aliases",
        "examples",
        "since",
    ];
    for (i, (k, _)) in members.iter().enumerate() {
        if !FIELDS.contains(&k.as_str()) {
            fail(&format!("unknown field `{k}`"));
        }
        if members[..i].iter().any(|(other, _)| other == k) {
            fail(&format!("duplicate field `{k}`"));
        }
    }
    let get = |k: &str| members.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let text = |k: &str, v: &Value| -> String {
        match v {
            Value::Str(s) => s.clone(),
            _ => fail(&format!("`{k}` is not a string")),
        }
    };
    let required = |k: &str| match get(k) {
        Some(v) => text(k, v),
        None => fail(&format!("missing field `{k}`")),
    };
    let or = |k: &str, default: &str| get(k).map_or_else(|| default.to_owned(), |v| text(k, v));
    let optional = |k: &str| match get(k) {
        None | Some(Value::Null) => "None".to_owned(),
        Some(v) => format!("Some({:?})", text(k, v)),
    };
    let list = |k: &str| match get(k) {
        None => "&[]".to_owned(),
        Some(Value::Seq(items)) => {
            let items: Vec<String> = items.iter().map(|i| format!("{:?}", text(k, i))).collect();
            format!("&[{}]", items.join(", "))
        }
        Some(_) => fail(&format!("`{k}` is not a list")),
    };
    let severity = match required("severity").as_str() {
        "info" => "Info",
        "warning" => "Warning",
        "error" => "Error",
        other => fail(&format!("unknown severity `{other}`")),
    };
    let enabled = match get("enabled") {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => fail("`enabled` is not a boolean"),
    };
    let examples = match get("examples") {
        None => "Examples { filename: None, bad: None, good: None }".to_owned(),
        Some(Value::Map(ex)) => {
            let mut fields = Vec::new();
            for name in ["filename", "bad", "good"] {
                let v = match ex.iter().find(|(k, _)| k == name).map(|(_, v)| v) {
                    None | Some(Value::Null) => "None".to_owned(),
                    Some(v) => format!("Some({:?})", text(name, v)),
                };
                fields.push(format!("{name}: {v}"));
            }
            if let Some((k, _)) = ex
                .iter()
                .find(|(k, _)| !["filename", "bad", "good"].contains(&k.as_str()))
            {
                fail(&format!("unknown field `examples.{k}`"));
            }
            format!("Examples {{ {} }}", fields.join(", "))
        }
        Some(_) => fail("`examples` is not a mapping"),
    };
    let code = required("code");
    let remediation = required("remediation");
    let mut out = String::new();
    writeln!(out, "    RuleMeta {{").ok();
    writeln!(out, "        code: {code:?},").ok();
    for k in ["name", "title", "format", "category"] {
        writeln!(out, "        {k}: {:?},", required(k)).ok();
    }
    writeln!(out, "        severity: Severity::{severity},").ok();
    writeln!(out, "        status: {:?},", or("status", "stable")).ok();
    writeln!(out, "        enabled: {enabled},").ok();
    writeln!(out, "        engine: {:?},", or("engine", "builtin")).ok();
    writeln!(out, "        fix: {:?},", or("fix", "none")).ok();
    writeln!(out, "        fix_safety: {},", optional("fix_safety")).ok();
    writeln!(out, "        rationale: {:?},", required("rationale")).ok();
    writeln!(out, "        remediation: {remediation:?},").ok();
    writeln!(out, "        references: {},", list("references")).ok();
    writeln!(out, "        aliases: {},", list("aliases")).ok();
    writeln!(out, "        examples: {examples},").ok();
    writeln!(out, "        since: {},", optional("since")).ok();
    writeln!(out, "        file: {path:?},").ok();
    writeln!(
        out,
        "        help_text: {:?},",
        reflow::reflow(&remediation)
    )
    .ok();
    writeln!(out, "    }},").ok();
    (code, out)
}

/// For each bundled Kubernetes schema (`schemas/kubernetes/vX.Y.json`), the
/// byte range of each definition in its text and the (apiVersion, kind) a
/// definition serves, so a run indexes nothing and parses only the
/// definitions its manifests reach. `schema_check`'s tests compare this
/// index with a full parse.
fn k8s_schema_index(root: &Path, out: &Path) {
    let dir = root.join("schemas/kubernetes");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = Vec::new();
    collect(&dir, "json", &mut files);
    files.sort();
    let mut code = String::from(
        "/// (definition, start, end) in the bundle's text.\n\
         type DefRange = (&'static str, usize, usize);\n\
         /// (apiVersion, kind, definition).\n\
         type Served = (&'static str, &'static str, &'static str);\n\
         /// Per bundled version: its definitions and the kinds they serve.\n\
         pub(crate) static K8S_SCHEMA_INDEX: &[(&str, &[DefRange], &[Served])] = &[\n",
    );
    for path in files {
        let version = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.strip_prefix('v'))
            .expect("schemas/kubernetes/vX.Y.json")
            .to_owned();
        let text = fs::read_to_string(&path).expect("read bundled schema");
        let fail = |what: &str| -> ! { panic!("{}: {what}", path.display()) };
        let top = json_scan::members(&text, 0).unwrap_or_else(|| fail("not a JSON object"));
        let defs_at = top
            .iter()
            .find(|(k, _)| *k == "$defs")
            .map(|(_, r)| r.start)
            .unwrap_or_else(|| fail("no $defs"));
        let defs = json_scan::members(&text, defs_at).unwrap_or_else(|| fail("unreadable $defs"));
        let mut ranges = String::new();
        let mut served = String::new();
        for (name, r) in &defs {
            writeln!(ranges, "        ({name:?}, {}, {}),", r.start, r.end).ok();
            let members = json_scan::members(&text, r.start).unwrap_or_else(|| fail(name));
            let Some((_, g)) = members
                .iter()
                .find(|(k, _)| *k == "x-kubernetes-group-version-kind")
            else {
                continue;
            };
            // Definitions shared by many groups (DeleteOptions, WatchEvent) are not manifests:
            // only a one-element list (`[{...}]`) names the kind a definition serves.
            let one = text.as_bytes()[g.start] == b'['
                && json_scan::value_end(text.as_bytes(), g.start + 1) == Some(g.end - 1);
            if !one {
                continue;
            }
            let gvk = json_scan::members(&text, g.start + 1).unwrap_or_else(|| fail(name));
            let field = |k: &str| {
                gvk.iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, v)| text[v.clone()].trim_matches('"').to_owned())
                    .unwrap_or_default()
            };
            let (group, ver, kind) = (field("group"), field("version"), field("kind"));
            let api_version = if group.is_empty() {
                ver
            } else {
                format!("{group}/{ver}")
            };
            writeln!(served, "        ({api_version:?}, {kind:?}, {name:?}),").ok();
        }
        writeln!(
            code,
            "    ({version:?}, &[\n{ranges}    ], &[\n{served}    ]),"
        )
        .ok();
    }
    code.push_str("];\n");
    fs::write(out.join("k8s_schema_index.rs"), code).expect("write k8s_schema_index.rs");
}
