//! Generates the rule registry and the embedded catalog from the file tree,
//! so adding a rule never means editing a hand-kept list:
//! - every `rules/**/*.yaml` is embedded as a catalog entry;
//! - every `src/rules/<domain>/*.rs` becomes a module, and each file that
//!   contains `impl Rule for X` registers `X`.

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
    let mut code = String::from("pub static CATALOG_FILES: &[(&str, &str)] = &[\n");
    for path in &catalog {
        let rel = path
            .strip_prefix(&root)
            .expect("under root")
            .display()
            .to_string();
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .ok();
    }
    code.push_str("];\n");
    fs::write(out.join("catalog_files.rs"), code).expect("write catalog_files.rs");

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
