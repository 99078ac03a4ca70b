//! Generates the rule registry and the embedded catalog from the file tree,
//! so adding a rule never means editing a hand-kept list:
//! - every `rules/**/*.yaml` is embedded as a catalog entry;
//! - every `src/rules/<domain>/*.rs` becomes a module, and each file that
//!   contains `impl Rule for X` registers `X`.

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
    // Each entry as (path, its YAML turned into JSON): the YAML is turned
    // into JSON here, once, so a run deserializes JSON instead of parsing
    // 300 KB of YAML at every start. The YAML texts stay for the test that
    // compares both.
    let mut code = String::from("pub static CATALOG_FILES: &[(&str, &str)] = &[\n");
    let mut yaml = String::from("#[cfg(test)]\npub static CATALOG_YAML: &[&str] = &[\n");
    for path in &catalog {
        let rel = path
            .strip_prefix(&root)
            .expect("under root")
            .display()
            .to_string();
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(path).expect("read catalog entry");
        let json = yaml_to_json(&rel, &text);
        writeln!(code, "    ({rel:?}, {json:?}),").ok();
        writeln!(yaml, "    include_str!({:?}),", path.display().to_string()).ok();
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

/// A catalog entry (one YAML document of mappings, sequences and scalars) as
/// JSON text. Plain scalars resolve as the run-time YAML loader resolves
/// them for the catalog's fields: null, booleans, decimal integers, else
/// strings; quoted and block scalars and keys are strings. A test compares
/// every entry with the run-time parse of its YAML.
fn yaml_to_json(path: &str, text: &str) -> String {
    use saphyr_parser::{Event, Parser, ScalarStyle};
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Per open collection: is it a mapping, how many nodes it holds so far.
    let mut stack: Vec<(bool, usize)> = Vec::new();
    let mut documents = 0;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.unwrap_or_else(|e| panic!("{path}: {e}"));
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => continue,
            Event::DocumentStart(_) => {
                documents += 1;
                assert!(documents == 1, "{path}: more than one document");
                continue;
            }
            Event::SequenceEnd => {
                stack.pop();
                out.push(']');
                continue;
            }
            Event::MappingEnd => {
                stack.pop();
                out.push('}');
                continue;
            }
            _ => {}
        }
        let mut is_key = false;
        if let Some((is_map, n)) = stack.last_mut() {
            if *is_map && *n % 2 == 1 {
                out.push(':');
            } else if *n > 0 {
                out.push(',');
            }
            is_key = *is_map && *n % 2 == 0;
            *n += 1;
        }
        match event {
            Event::Scalar(value, style, _, tag) => {
                let plain = style == ScalarStyle::Plain && tag.is_none() && !is_key;
                match value.as_ref() {
                    "" | "~" | "null" | "Null" | "NULL" if plain => out.push_str("null"),
                    "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y"
                    | "Y"
                        if plain =>
                    {
                        out.push_str("true")
                    }
                    "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF"
                    | "n" | "N"
                        if plain =>
                    {
                        out.push_str("false")
                    }
                    v if plain
                        && !v.is_empty()
                        && v.len() < 16
                        && v.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        out.push_str(v.trim_start_matches('0'));
                        if v.bytes().all(|b| b == b'0') {
                            out.push('0');
                        }
                    }
                    v => json_string(&mut out, v),
                }
            }
            Event::SequenceStart(..) if !is_key => {
                out.push('[');
                stack.push((false, 0));
            }
            Event::MappingStart(..) if !is_key => {
                out.push('{');
                stack.push((true, 0));
            }
            _ => panic!(
                "{path}:{}: the catalog uses no aliases and no collection keys",
                span.start.line()
            ),
        }
    }
    if out.is_empty() {
        out.push_str("null");
    }
    out
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                write!(out, "\\u{:04x}", c as u32).ok();
            }
            c => out.push(c),
        }
    }
    out.push('"');
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
