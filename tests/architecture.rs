//! The import graph points down the layers of the architecture: a module
//! may use only modules below it (test code excepted). A new upward import
//! (a cycle waiting to happen) fails here with the file that adds it.

use std::path::{Path, PathBuf};

/// Lowest first. `crate::X` in a module may only name modules before it.
const LAYERS: &[&str] = &[
    "source",
    "diagnostic",
    "suggest",
    "parse",
    "catalog",
    "schema",
    "secrets",
    "model",
    "config",
    "discover",
    "project",
    "rules",
    "custom",
    "engine",
    "fix",
    "report",
    "lsp",
    "cli",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn imports_point_down_the_layers() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut bad = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).expect("under src");
        let top = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("")
            .trim_end_matches(".rs")
            .to_owned();
        let Some(own) = rank(&top) else { continue };
        let text = std::fs::read_to_string(&f).expect("read");
        // Test modules may reach up (they drive the whole pipeline).
        if text.contains("\n#![cfg(test)]") {
            continue; // a test-only module
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if let Some(r) = rank(&name) {
                if r > own {
                    bad.push(format!(
                        "{}: uses crate::{name} ({top} is below {name})",
                        rel.display()
                    ));
                }
            }
        }
    }
    bad.sort();
    bad.dedup();
    assert!(bad.is_empty(), "upward imports:\n{}", bad.join("\n"));
}
