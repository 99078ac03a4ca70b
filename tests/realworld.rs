//! deploylint over `../shared/realworld`: 554 real configuration files from
//! 30 permissively licensed projects (sources in its SOURCES.md). The corpus
//! is referenced, never copied into the project.
//!
//! Two checks:
//! - no parse or read finding (`E...`) on an upstream file that is valid,
//!   except the true errors allow-listed below, each with its reason;
//! - the per-rule finding counts are snapshotted, so every change in volume
//!   shows in review (`INSTA_UPDATE=always cargo test --test realworld`).
//!
//! When the corpus is missing (a checkout without `../shared`) the test prints
//! a note and passes.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// Parse findings that are right: `(path under the corpus, code, reason)`.
const TRUE_ERRORS: &[(&str, &str, &str)] = &[(
    "HDRUK-safepeopleregistry-api/init/php.development.ini",
    "E032",
    "`# comment` lines: PHP 7.0 removed `#` comments, these lines are read as keys",
)];

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld")
}

fn run(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_deploylint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run deploylint: {e}"));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "deploylint json output did not parse ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Each project of the corpus linted on its own, as its team would run it
/// (one run over all 30 would link files of unrelated projects): the
/// diagnostics of all runs and the number of files checked.
fn run_per_project(extra: &[&str]) -> (Vec<serde_json::Value>, u64) {
    let mut projects: Vec<PathBuf> = std::fs::read_dir(corpus())
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    projects.sort();
    let mut diags = Vec::new();
    let mut files = 0;
    for p in projects {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let target = format!("../shared/realworld/{name}");
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        args.push(&target);
        let data = run(&args);
        files += data["summary"]["files_checked"].as_u64().unwrap_or(0);
        diags.extend(data["diagnostics"].as_array().cloned().unwrap_or_default());
    }
    (diags, files)
}

fn rel(path: &str) -> String {
    path.split_once("realworld/")
        .map_or(path, |(_, r)| r)
        .to_owned()
}

#[test]
fn realworld_parses_and_counts() {
    let root = corpus();
    if !root.is_dir() {
        eprintln!("note: {} not found, realworld test skipped", root.display());
        return;
    }
    // Every rule, including the opt-in ones, so their volume shows too.
    let (diags, files_checked) = run_per_project(&["--select", "ALL"]);

    let mut unexpected = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for d in &diags {
        let code = d["code"].as_str().unwrap_or("?").to_owned();
        let path = rel(d["path"].as_str().unwrap_or(""));
        if code.starts_with('E') && !TRUE_ERRORS.iter().any(|(p, c, _)| *p == path && *c == code) {
            unexpected.push(format!(
                "{path}:{} {code} {}",
                d["range"]["start"]["line"],
                d["message"].as_str().unwrap_or("")
            ));
        }
        *counts.entry(code).or_default() += 1;
    }
    assert!(
        unexpected.is_empty(),
        "parse findings on valid upstream files:\n{}",
        unexpected.join("\n")
    );

    let mut families: BTreeMap<String, usize> = BTreeMap::new();
    for (code, n) in &counts {
        let fam = code
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .to_owned();
        *families.entry(fam).or_default() += n;
    }
    let mut out = format!(
        "files checked: {}\nfindings: {}\n\nby family:\n",
        files_checked,
        diags.len()
    );
    for (f, n) in &families {
        out.push_str(&format!("  {f:<6} {n}\n"));
    }
    out.push_str("\nby rule:\n");
    for (c, n) in &counts {
        out.push_str(&format!("  {c:<7} {n}\n"));
    }
    insta::assert_snapshot!("realworld_counts", out);
}

#[test]
fn realworld_default_profile_counts() {
    let root = corpus();
    if !root.is_dir() {
        eprintln!("note: {} not found, realworld test skipped", root.display());
        return;
    }
    // What a team sees with no configuration.
    let (diags, _) = run_per_project(&[]);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for d in &diags {
        let code = d["code"].as_str().unwrap_or("?");
        let fam = code
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .to_owned();
        *counts.entry(fam).or_default() += 1;
    }
    let mut out = format!("findings: {}\n", diags.len());
    for (f, n) in &counts {
        out.push_str(&format!("  {f:<6} {n}\n"));
    }
    insta::assert_snapshot!("realworld_default_counts", out);
}
