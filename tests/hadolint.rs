//! deploylint's DF rules against hadolint's verdicts on the same fixtures.
//!
//! `fixtures/dockerfile/hadolint-verdicts.tsv` is what hadolint said (recorded
//! by `tools/hadolint-verdicts.sh`; hadolint is not needed here). For every DL
//! code a catalog entry names in `aliases`, both tools must report the same
//! instruction lines. The disagreements we stand by are listed, with the
//! reason, in `hadolint-differences.tsv`; any other difference fails, and so
//! does a listed one that no longer happens.

use deploylint::catalog::catalog;
use deploylint::config::Config;
use deploylint::discover::NameGuess;
use deploylint::engine::{Input, LintOptions, Role, Session};
use deploylint::project::ParsedFile;
use deploylint::source::FileKind;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Finding = (String, usize, String); // path, instruction line, DL code

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rows(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root().join("fixtures/dockerfile").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1) // column header
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// The files hadolint was run on (see tools/hadolint-verdicts.sh).
fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    let mut push_dir = |dir: &Path, keep: &dyn Fn(&str) -> bool| {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            if p.is_file() && keep(&name) {
                let rel = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
                out.push(rel);
            }
        }
    };
    if let Ok(rd) = std::fs::read_dir(root().join("fixtures/rules")) {
        for e in rd.flatten() {
            let code = e.file_name().to_string_lossy().into_owned();
            if code.starts_with("DF") {
                push_dir(&e.path(), &|n| n.ends_with(".Dockerfile"));
            }
        }
    }
    push_dir(&root().join("fixtures/dockerfile"), &|n| {
        n.starts_with("Dockerfile.")
    });
    push_dir(&root().join("fixtures/dockerfile/infra"), &|n| {
        n == "Dockerfile"
    });
    out.sort();
    out
}

/// hadolint code -> our rule codes that claim it.
fn aliases() -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in catalog().rules {
        for a in m.aliases {
            if let Some(dl) = a.strip_prefix("hadolint:") {
                out.entry(dl.to_owned())
                    .or_default()
                    .push(m.code.to_owned());
            }
        }
    }
    out
}

/// Our DF findings as (path, line of the instruction, rule code), for rules
/// that claim a hadolint check.
fn ours(files: &[String], claimed: &BTreeSet<String>) -> BTreeSet<Finding> {
    let config = Config::with_defaults(PathBuf::from("."));
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| Input {
            display: f.clone(),
            path: None,
            guess: NameGuess::Kind(FileKind::Dockerfile),
            text: Some(Ok(
                std::fs::read_to_string(root().join(f)).expect("read fixture")
            )),
        })
        .collect();
    let opts = LintOptions {
        select: vec!["DF".into()],
        ..LintOptions::default()
    };
    // Keep the documents: instruction lines are read from them below.
    let mut session = Session::new(config, opts).keep_documents(true);
    for input in inputs {
        session.add(input, Role::Named);
    }
    let result = session.into_result();
    result
        .diagnostics
        .iter()
        .filter(|d| claimed.contains(&*d.code))
        .map(|d| {
            let file = &result.files[d.file];
            (
                file.source.path.clone(),
                instruction_line(file, d.span.start),
                d.code.to_string(),
            )
        })
        .collect()
}

/// hadolint reports the line an instruction starts on.
fn instruction_line(file: &ParsedFile, offset: usize) -> usize {
    let start = file
        .document
        .as_dockerfile()
        .and_then(|df| {
            df.instructions
                .iter()
                .find(|i| i.span.start <= offset && offset <= i.span.end)
        })
        .map_or(offset, |i| i.span.start);
    file.source.position(start).line
}

/// hadolint checks that are off unless configured: its default verdicts say
/// nothing about them, so they are not compared (the alias still maps suppressions).
const OFF_BY_DEFAULT: &[&str] = &["DL3057"];

#[test]
fn df_rules_agree_with_hadolint() {
    let mut aliases = aliases();
    aliases.retain(|dl, _| !OFF_BY_DEFAULT.contains(&dl.as_str()));
    assert!(
        aliases.len() >= 15,
        "catalog names too few hadolint checks: {aliases:?}"
    );
    let claimed: BTreeSet<String> = aliases.values().flatten().cloned().collect();
    let files = corpus();
    assert!(
        files.len() > 40,
        "hadolint corpus is too small: {}",
        files.len()
    );
    let theirs: BTreeSet<Finding> = rows("hadolint-verdicts.tsv")
        .into_iter()
        .filter(|r| aliases.contains_key(&r[2]))
        .map(|r| (r[0].clone(), r[1].parse().expect("line"), r[2].clone()))
        .collect();
    let ours = ours(&files, &claimed);
    // A hadolint finding is matched by any rule claiming its code on that line;
    // one of ours by hadolint raising any code the rule claims there.
    let matched_theirs = |(p, l, dl): &Finding| {
        aliases[dl]
            .iter()
            .any(|r| ours.contains(&(p.clone(), *l, r.clone())))
    };
    let matched_ours = |(p, l, r): &Finding| {
        aliases
            .iter()
            .any(|(dl, rs)| rs.contains(r) && theirs.contains(&(p.clone(), *l, dl.clone())))
    };
    let mut actual: BTreeSet<(Finding, String)> = BTreeSet::new();
    for f in theirs.iter().filter(|f| !matched_theirs(f)) {
        actual.insert((f.clone(), "hadolint-only".into()));
    }
    for f in ours.iter().filter(|f| !matched_ours(f)) {
        actual.insert((f.clone(), "deploylint-only".into()));
    }
    let expected: BTreeSet<(Finding, String)> = rows("hadolint-differences.tsv")
        .into_iter()
        .map(|r| {
            assert!(
                r.len() >= 5 && !r[4].trim().is_empty(),
                "difference without a reason: {r:?}"
            );
            (
                (r[0].clone(), r[1].parse().expect("line"), r[2].clone()),
                r[3].clone(),
            )
        })
        .collect();

    // Agreement per rule, printed for the record (`cargo test --test hadolint -- --nocapture`).
    let mut table = String::from("rule\thadolint checks\tagree\thadolint-only\tdeploylint-only\n");
    for rule in &claimed {
        let dls: Vec<&str> = aliases
            .iter()
            .filter(|(_, rs)| rs.contains(rule))
            .map(|(d, _)| d.as_str())
            .collect();
        let agree = ours
            .iter()
            .filter(|f| &f.2 == rule && matched_ours(f))
            .count();
        let h = actual
            .iter()
            .filter(|(f, s)| s == "hadolint-only" && dls.contains(&f.2.as_str()))
            .count();
        let d = actual
            .iter()
            .filter(|(f, s)| s == "deploylint-only" && &f.2 == rule)
            .count();
        table.push_str(&format!("{rule}\t{}\t{agree}\t{h}\t{d}\n", dls.join(",")));
    }
    println!("{table}");

    let show = |set: Vec<&(Finding, String)>| {
        set.iter()
            .map(|((p, l, c), s)| format!("{p}\t{l}\t{c}\t{s}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let unexplained: Vec<_> = actual.difference(&expected).collect();
    let stale: Vec<_> = expected.difference(&actual).collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "unexplained differences (add to hadolint-differences.tsv with a reason, or fix the rule):\n{}\nlisted differences that no longer occur:\n{}",
        show(unexplained),
        show(stale),
    );
}
