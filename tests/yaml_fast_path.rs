//! Differential test of the block-style YAML fast path (`parse/yaml/block.rs`)
//! against saphyr-parser: over every YAML file of the repository (fixtures,
//! examples, the rule catalog, bundled files) and of `../shared` (realworld,
//! conformance, bugs), and over deterministic mutations of each, loading with
//! the fast path must give exactly the documents, spans, values, styles and
//! errors that loading with saphyr alone gives. The fast path gives up on
//! what it does not know; this test is what makes "what it knows" true.
//!
//! `DEPLOYLINT_YAML_MUTANTS=<n>` sets the mutants per file (default 24);
//! `DEPLOYLINT_YAML_EXTRA=dir:dir` adds trees (the benchmark corpora, say).

use deploylint::parse::yaml::{fast_path_coverage, parse, parse_without_fast_path};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && name != ".git" {
                walk(&path, out);
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".rr.yaml") {
            out.push(path);
        }
    }
}

fn yaml_files() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    for dir in ["fixtures", "examples", "rules", "tests", "bench", "schemas"] {
        walk(&root().join(dir), &mut paths);
    }
    for dir in ["realworld", "conformance", "bugs"] {
        walk(&root().join("../shared").join(dir), &mut paths);
    }
    // More trees by hand, e.g. the benchmark corpora.
    if let Ok(extra) = std::env::var("DEPLOYLINT_YAML_EXTRA") {
        for dir in extra.split(':').filter(|d| !d.is_empty()) {
            walk(Path::new(dir), &mut paths);
        }
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            // The loader takes text; invalid UTF-8 never reaches it.
            let text = String::from_utf8(bytes).ok()?;
            (text.len() <= 1 << 20).then_some((p, text))
        })
        .collect()
}

/// Manifests and compose files in the shapes the fast path is for.
const SHAPES: &[&str] = &[
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: php\n        image: \"php:8.3-fpm\"\n        command: [\"php-fpm\", '-F']\n        args:\n          - --nodaemonize\n        env:\n        - name: APP_DEBUG\n          value: 'false'\n        resources: {}\n",
    "services:\n  app:\n    build: .\n    ports:\n      - \"8000:8000\"\n    environment:\n      APP_ENV: local   # comment\n      EMPTY:\n    command: >-\n      php artisan\n      serve\n\n      --port=8000\n",
    "data:\n  script.sh: |\n    #!/bin/sh\n    set -e\n\n      indented\n    done\n  keep: |+\n    a\n\n  strip: |-\n    b\nother: x\n",
    "# only a comment\n---\nkey: value\n---\n- a\n- \"b\\u00e9\\x41\\t\"\n- 'it''s'\n- [a, b c, 'd']\n- []\n-\n  nested: map\n...\n",
    "a:\n- x\n- y: 1\n  z: 2\n- - nested\nb: é ü\n\"quoted key\": 1\n'single': 2\ndup: 1\ndup: 2\n",
];

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const PIECES: &[&str] = &[
    " ", "  ", ":", ": ", "-", "- ", "#", " #", "\"", "'", "\n", "\n  ", "|", ">", "|-", "[", "]",
    "{", "}", ",", "&a ", "*a", "!t ", "?", "\t", "\r\n", "\\", "\\n", "x", "é", "---\n", "''",
    "<<: ", "...\n", "%", "@",
];

/// A mutant of `text`: a few byte-level edits at char boundaries.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut s = text.to_owned();
    for _ in 0..1 + rng.below(3) {
        let mut at = rng.below(s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(5) {
            0 | 1 => {
                let piece: &&str = rng.pick(PIECES);
                s.insert_str(at, piece)
            }
            2 => {
                let mut end = (at + 1 + rng.below(4)).min(s.len());
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                s.replace_range(at..end, "");
            }
            3 => {
                // Re-indent the line holding `at`.
                let line = s[..at].rfind('\n').map_or(0, |i| i + 1);
                if rng.below(2) == 0 {
                    s.insert(line, ' ');
                } else if s[line..].starts_with(' ') {
                    s.remove(line);
                }
            }
            _ => {
                // Duplicate the line holding `at`.
                let line = s[..at].rfind('\n').map_or(0, |i| i + 1);
                let end = s[at..].find('\n').map_or(s.len(), |i| at + i + 1);
                let copy = s[line..end].to_owned();
                s.insert_str(line, &copy);
            }
        }
    }
    s
}

fn check(label: &str, text: &str) {
    let fast = parse(text);
    let slow = parse_without_fast_path(text);
    if fast == slow {
        return;
    }
    // Show where the two trees first differ, not both trees.
    let (f, s) = (format!("{fast:#?}"), format!("{slow:#?}"));
    let (f, s): (Vec<&str>, Vec<&str>) = (f.lines().collect(), s.lines().collect());
    let at = f
        .iter()
        .zip(&s)
        .position(|(a, b)| a != b)
        .unwrap_or(f.len().min(s.len()));
    let from = at.saturating_sub(12);
    panic!(
        "the fast path and saphyr disagree on {label}:\n--- input ---\n{text:?}\n--- fast (from line {from}) ---\n{}\n--- saphyr ---\n{}",
        f[from..(at + 4).min(f.len())].join("\n"),
        s[from..(at + 4).min(s.len())].join("\n"),
    );
}

#[test]
fn fast_path_and_saphyr_build_the_same_documents() {
    let files = yaml_files();
    assert!(
        files.len() > 100,
        "too few YAML files found ({})",
        files.len()
    );
    let mutants: usize = std::env::var("DEPLOYLINT_YAML_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let mut rng = Rng::new(0x5DEE_CE66_D1CE_4E5B);
    let mut inputs: Vec<(String, String)> = SHAPES
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("shape {i}"), (*s).to_owned()))
        .collect();
    for (path, text) in &files {
        inputs.push((path.display().to_string(), text.clone()));
    }
    let originals = inputs.len();
    for i in 0..originals {
        for m in 0..mutants {
            let (label, text) = &inputs[i];
            let mutant = mutate(text, &mut rng);
            inputs.push((format!("{label} (mutant {m})"), mutant));
        }
    }
    for (label, text) in &inputs {
        check(label, text);
    }
}

#[test]
fn fast_path_loads_the_shapes_it_is_for() {
    // If the fast path silently gave up everywhere, the differential test
    // would pass and prove nothing; manifests in these shapes must use it.
    for (i, shape) in SHAPES.iter().enumerate().take(3) {
        let (fast, all) = fast_path_coverage(shape);
        assert_eq!(fast, all, "shape {i} left the fast path");
    }
    let mut fast = 0;
    let mut all = 0;
    for (_, text) in yaml_files() {
        let (f, a) = fast_path_coverage(&text);
        fast += f;
        all += a;
    }
    eprintln!("fast path: {fast} of {all} documents");
    assert!(
        fast * 2 > all,
        "the fast path loaded only {fast} of {all} documents"
    );
}
