//! Every `--output-format` on one small fixed input: snapshots, the SARIF
//! output validated against the official SARIF 2.1.0 schema (vendored in
//! `schemas/sarif/`), fingerprints that survive line shifts, and the CLI
//! flags that go with the formats (`--output-file`, `--exit-zero`,
//! `--statistics`, checked `--select`/`--ignore` words and aliases).

use std::path::Path;
use std::process::{Command, Output};

const DOCKERFILE: &str =
    "FROM php:8.3-fpm-alpine\nRUN apk add git\nADD composer.json /app/\nUSER www-data\n";

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: \"registry.example.com/shop:latest\"
          securityContext:
            privileged: true
";

const SELECT: &str = "DF012,DF014,K8S001,K8S011,K8S002";

const FORMATS: &[&str] = &[
    "human",
    "json",
    "concise",
    "sarif",
    "github",
    "gitlab",
    "checkstyle",
    "junit",
];

fn write_input(dir: &Path, dockerfile: &str) {
    std::fs::create_dir_all(dir.join("k8s")).expect("mkdir");
    std::fs::write(dir.join("Dockerfile"), dockerfile).expect("write Dockerfile");
    std::fs::write(dir.join("k8s/web.yaml"), DEPLOYMENT).expect("write manifest");
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deploylint"))
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run deploylint")
}

fn check(dir: &Path, format: &str) -> Output {
    run_in(
        dir,
        &[
            "check",
            "--no-context",
            "--select",
            SELECT,
            "--output-format",
            format,
            "Dockerfile",
            "k8s",
        ],
    )
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn version_free(s: &str) -> String {
    s.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn every_format_has_a_snapshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    for format in FORMATS {
        let o = check(dir.path(), format);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", text(&o.stderr));
        assert!(o.stderr.is_empty(), "{format}: {}", text(&o.stderr));
        let out = text(&o.stdout);
        match *format {
            "sarif" | "json" | "gitlab" => {
                let _: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
            }
            _ => {}
        }
        if *format == "sarif" {
            // The rule table is the whole catalog and ruleIndex its order:
            // checked in `sarif_validates_against_the_official_schema`, kept
            // out of the snapshot so that catalog edits do not churn it.
            let mut log: serde_json::Value = serde_json::from_str(&out).expect("JSON");
            let rules = &mut log["runs"][0]["tool"]["driver"]["rules"];
            assert!(rules.as_array().is_some_and(|r| r.len() > 100));
            *rules = "[the catalog]".into();
            for r in log["runs"][0]["results"].as_array_mut().expect("results") {
                assert!(r["ruleIndex"].is_u64());
                r["ruleIndex"] = "[index]".into();
            }
            let pretty = serde_json::to_string_pretty(&log).expect("JSON");
            insta::assert_snapshot!("format_sarif", version_free(&pretty));
        } else if *format != "json" {
            insta::assert_snapshot!(format!("format_{format}"), version_free(&out));
        }
    }
}

fn sarif_of(dir: &Path) -> serde_json::Value {
    let o = check(dir, "sarif");
    serde_json::from_slice(&o.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let log = sarif_of(dir.path());
    // The multitool's schema (2020-12) and SchemaStore's rtm.5 (draft-04).
    for (name, text) in [
        (
            "sarif-schema-2.1.0.json",
            include_str!("../schemas/sarif/sarif-schema-2.1.0.json"),
        ),
        (
            "sarif-schema-2.1.0-rtm.5.json",
            include_str!("../schemas/sarif/sarif-schema-2.1.0-rtm.5.json"),
        ),
    ] {
        let schema: serde_json::Value = serde_json::from_str(text).expect("schema is JSON");
        let validator = jsonschema::options()
            .build(&schema)
            .expect("schema compiles offline");
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "SARIF does not validate against {name}: {errors:#?}"
        );
        // The validator does reject a broken log.
        let mut broken = log.clone();
        broken["runs"][0]["results"][0]["level"] = "fatal".into();
        assert!(
            !validator.is_valid(&broken),
            "{name} rejects an unknown level"
        );
    }

    // The parts GitHub code scanning reads.
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(
            loc["region"]["startColumn"]
                .as_u64()
                .is_some_and(|c| c >= 1)
        );
        assert!(r["partialFingerprints"]["deploylint/v1"].is_string());
    }
    assert!(
        results.iter().any(|r| r["fixes"].is_array()),
        "a fix is carried: {results:#?}"
    );
    let rule = rules
        .iter()
        .find(|r| r["id"] == "K8S001")
        .expect("K8S001 described");
    assert_eq!(rule["name"], "image-tag-latest");
    assert_eq!(rule["helpUri"], "https://deploylint.dev/rules/k8s001");
    assert_eq!(rule["defaultConfiguration"]["level"], "warning");
    assert!(rule["help"]["markdown"].is_string());
}

#[test]
fn sarif_fingerprints_survive_lines_added_above() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let before = sarif_of(dir.path());
    write_input(
        dir.path(),
        &format!("# syntax=docker/dockerfile:1\n\n# the app image\n{DOCKERFILE}"),
    );
    let after = sarif_of(dir.path());
    let key = |log: &serde_json::Value| -> Vec<(String, String, u64)> {
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap_or_default().to_owned(),
                    r["partialFingerprints"]["deploylint/v1"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap_or_default(),
                )
            })
            .collect()
    };
    let (b, a) = (key(&before), key(&after));
    assert_eq!(b.len(), a.len());
    let mut shifted = 0;
    for ((code_b, print_b, line_b), (code_a, print_a, line_a)) in b.iter().zip(&a) {
        assert_eq!((code_b, print_b), (code_a, print_a));
        if code_b.starts_with("DF") {
            assert_eq!(line_a - line_b, 3);
            shifted += 1;
        }
    }
    assert!(shifted > 0);
}

#[test]
fn github_annotations_are_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let out = text(&check(dir.path(), "github").stdout);
    for line in out.lines() {
        assert!(line.starts_with("::"), "{line}");
        let (props, _) = line[2..].split_once("::").expect("command::message");
        let (_, props) = props.split_once(' ').expect("command and properties");
        // Every property value is escaped: no raw `:` or `,` inside values.
        for kv in props.split(',') {
            let (_, v) = kv.split_once('=').expect("key=value");
            assert!(!v.contains(':'), "{line}");
        }
    }
}

#[test]
fn output_file_gets_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let o = run_in(
        dir.path(),
        &[
            "check",
            "--select",
            SELECT,
            "--format",
            "sarif",
            "--output-file",
            "out/report.sarif",
            ".",
        ],
    );
    // The directory does not exist: an I/O error, exit 2.
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    std::fs::create_dir(dir.path().join("out")).expect("mkdir");
    let o = run_in(
        dir.path(),
        &[
            "check",
            "--select",
            SELECT,
            "--format",
            "sarif",
            "--output-file",
            "out/report.sarif",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty(), "{}", text(&o.stdout));
    let written = std::fs::read_to_string(dir.path().join("out/report.sarif")).expect("written");
    let log: serde_json::Value = serde_json::from_str(&written).expect("SARIF");
    assert_eq!(log["version"], "2.1.0");
}

#[test]
fn exit_zero_and_statistics() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let o = run_in(
        dir.path(),
        &["check", "--select", SELECT, "--exit-zero", "."],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("K8S001"));

    let o = run_in(
        dir.path(),
        &["check", "--select", SELECT, "--statistics", "."],
    );
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("statistics", text(&o.stdout));

    // An unreadable config is still an error with --exit-zero.
    let o = run_in(
        dir.path(),
        &["check", "--exit-zero", "--config", "missing.yaml", "."],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn unknown_selectors_are_errors_with_a_suggestion() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    for (args, expect) in [
        (&["--select", "K8S999"][..], "K8S999"),
        (&["--select", "FOO"], "FOO"),
        (
            &["--ignore", "image-tag-lates"],
            "did you mean `image-tag-latest`",
        ),
        (&["--select", "K8S001,K8S0011"], "K8S0011"),
    ] {
        let o = run_in(dir.path(), &[&["check"][..], args, &["."]].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = text(&o.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(!text(&o.stdout).contains("No problems found"), "{args:?}");
    }
    // Known words: codes, names, prefixes, ALL, E codes.
    for sel in [
        "K8S001",
        "image-tag-latest",
        "K8S",
        "DF0",
        "ALL",
        "E",
        "k8s001",
    ] {
        let o = run_in(dir.path(), &["check", "--select", sel, "-q", "."]);
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{sel}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn competitor_aliases_select_and_ignore_our_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let codes = |args: &[&str]| -> Vec<String> {
        let o = run_in(
            dir.path(),
            &[&["check", "--format", "json"][..], args, &["."]].concat(),
        );
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        let mut codes: Vec<String> = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter_map(|d| d["code"].as_str().map(str::to_owned))
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    // kube-linter's and Polaris's names for K8S001, bare or with the tool.
    for alias in [
        "latest-tag",
        "kube-linter:latest-tag",
        "polaris:tagNotSpecified",
    ] {
        assert_eq!(codes(&["--select", alias]), ["K8S001"], "{alias}");
    }
    // hadolint's code for `apk add` without `--no-cache` (DF014).
    assert_eq!(codes(&["--select", "DL3019"]), ["DF014"]);
    assert!(!codes(&["--ignore", "latest-tag"]).contains(&"K8S001".to_owned()));
}

#[test]
fn diff_shows_what_fix_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let o = run_in(dir.path(), &["check", "--select", SELECT, "--diff", "."]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let diff = text(&o.stdout);
    insta::assert_snapshot!("diff", diff);
    assert!(diff.starts_with("--- a/"), "{diff}");
    let unchanged = std::fs::read_to_string(dir.path().join("Dockerfile")).expect("read");
    assert_eq!(unchanged, DOCKERFILE);
    // Nothing to fix: exit 0, no output.
    let o = run_in(dir.path(), &["check", "--select", "K8S001", "--diff", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty());
    // --diff and --fix do not go together.
    let o = run_in(dir.path(), &["check", "--diff", "--fix", "."]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn show_fixes_lists_what_fix_would_apply_then_what_it_applied() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let o = run_in(
        dir.path(),
        &["check", "--select", SELECT, "--show-fixes", "."],
    );
    let would = text(&o.stderr);
    assert!(would.starts_with("Would fix "), "{would}");
    let unchanged = std::fs::read_to_string(dir.path().join("Dockerfile")).expect("read");
    assert_eq!(unchanged, DOCKERFILE, "--show-fixes alone writes nothing");
    let o = run_in(
        dir.path(),
        &["check", "--select", SELECT, "--fix", "--show-fixes", "."],
    );
    let fixed = text(&o.stderr);
    insta::assert_snapshot!("show_fixes", fixed);
    // The same fixes, listed before and after.
    assert_eq!(
        would
            .replacen("Would fix", "Fixed", 1)
            .replacen(" with --fix", "", 1),
        fixed
    );
    let o = run_in(
        dir.path(),
        &["check", "--select", SELECT, "--fix", "--show-fixes", "."],
    );
    assert_eq!(text(&o.stderr), "No fixes applied\n");
}

#[test]
fn completions_for_each_shell_name_the_subcommands_and_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run_in(dir.path(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", text(&o.stderr));
        let script = text(&o.stdout);
        for word in ["check", "explain", "graph", "output-format", "show-fixes"] {
            assert!(script.contains(word), "{shell} completions lack `{word}`");
        }
    }
    let o = run_in(dir.path(), &["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn explain_accepts_competitor_aliases() {
    let dir = tempfile::tempdir().expect("tempdir");
    for alias in ["DL3019", "hadolint:DL3019"] {
        let o = run_in(dir.path(), &["explain", alias]);
        assert_eq!(o.status.code(), Some(0), "{alias}: {}", text(&o.stderr));
        assert!(text(&o.stdout).starts_with("DF014 (apk-add-without-no-cache)"));
    }
    let o = run_in(dir.path(), &["explain", "polaris:tagNotSpecified"]);
    assert!(text(&o.stdout).starts_with("K8S001"));
    let o = run_in(dir.path(), &["explain", "DL9999"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn config_rules_accept_competitor_aliases() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    std::fs::write(
        dir.path().join(".deploylint.yaml"),
        "rules:\n  kube-linter:latest-tag: off\n  DL3019: error\n",
    )
    .expect("write config");
    let o = run_in(
        dir.path(),
        &[
            "check",
            "--select",
            "K8S,DF014",
            "--output-format",
            "concise",
            ".",
        ],
    );
    let out = text(&o.stdout);
    assert!(!out.contains("K8S001"), "{out}");
    assert!(out.contains("DF014 [error]"), "{out}");
    std::fs::write(
        dir.path().join(".deploylint.yaml"),
        "rules:\n  DL99999: off\n",
    )
    .expect("write config");
    let o = run_in(dir.path(), &["check", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
}

#[test]
fn several_reports_in_one_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let o = run_in(
        dir.path(),
        &[
            "check",
            "--select",
            SELECT,
            "--output-format",
            "sarif",
            "--output-file",
            "r.sarif",
            "--output-format",
            "junit",
            "--output-file",
            "r.xml",
            "--output-format",
            "concise",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let sarif = std::fs::read_to_string(dir.path().join("r.sarif")).expect("sarif written");
    assert!(sarif.contains("\"version\": \"2.1.0\""));
    let junit = std::fs::read_to_string(dir.path().join("r.xml")).expect("junit written");
    assert!(junit.contains("<testsuites"));
    assert!(text(&o.stdout).contains("Dockerfile:2:5: DF014 [info]"));
    // Two formats for standard output, or a file without a format: errors.
    for args in [
        &["--output-format", "sarif", "--output-format", "junit"][..],
        &["--output-file", "a", "--output-file", "b"],
    ] {
        let o = run_in(dir.path(), &[&["check"][..], args, &["."]].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn color_choice() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_input(dir.path(), DOCKERFILE);
    let esc = |args: &[&str]| {
        let o = run_in(
            dir.path(),
            &[&["check", "--select", SELECT][..], args, &["."]].concat(),
        );
        o.stdout.contains(&0x1b)
    };
    // Not a terminal (and NO_COLOR set by `run_in`): no colour unless forced.
    assert!(!esc(&[]));
    assert!(!esc(&["--color", "auto"]));
    assert!(esc(&["--color", "always"]));
    assert!(!esc(&["--color", "always", "--no-color"]));
    assert!(!esc(&["--color", "never"]));
}

/// Suppressed findings stay in SARIF as results with `suppressions`
/// (`inSource` for comments, `external` for a baseline), keeping their
/// fingerprints, so GitHub code scanning closes their alerts as dismissed;
/// the other formats still leave them out.
#[test]
fn sarif_lists_suppressed_findings_with_their_suppression() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write_input(d, DOCKERFILE);
    let results = |log: &serde_json::Value| -> Vec<serde_json::Value> {
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .clone()
    };
    let before = results(&sarif_of(d));
    let df = before
        .iter()
        .find(|r| r["ruleId"].as_str().is_some_and(|c| c.starts_with("DF")))
        .expect("a Dockerfile finding")
        .clone();
    let code = df["ruleId"].as_str().unwrap().to_owned();
    let line = df["locations"][0]["physicalLocation"]["region"]["startLine"]
        .as_u64()
        .unwrap() as usize;
    // An inline suppression above the offending line.
    let mut lines: Vec<String> = DOCKERFILE.lines().map(str::to_owned).collect();
    lines.insert(
        line - 1,
        format!("# deploylint ignore={code} -- the base image provides it"),
    );
    write_input(d, &(lines.join("\n") + "\n"));
    let log = sarif_of(d);
    let after = results(&log);
    assert_eq!(after.len(), before.len(), "{after:#?}");
    let suppressed: Vec<&serde_json::Value> = after
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(suppressed.len(), 1, "{after:#?}");
    let s = suppressed[0];
    assert_eq!(s["ruleId"], code.as_str());
    assert_eq!(
        s["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "the base image provides it"}])
    );
    assert_eq!(
        s["partialFingerprints"], df["partialFingerprints"],
        "same fingerprint suppressed or not"
    );
    assert_eq!(
        s["locations"][0]["physicalLocation"]["region"]["startLine"],
        line as u64 + 1
    );
    // Still valid SARIF.
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/sarif/sarif-schema-2.1.0.json"))
            .expect("schema");
    let validator = jsonschema::options().build(&schema).expect("compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The JSON report (and the exit code) do not count it.
    let json = check(d, "json");
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let listed = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(listed.len(), before.len() - 1);
    assert!(
        !listed
            .iter()
            .any(|x| x["code"] == code.as_str() && x["range"]["start"]["line"] == line as u64 + 1)
    );

    // A baseline: every finding it holds is an external suppression.
    let base = |extra: &[&str]| {
        let mut args = vec!["check", "--no-context", "--select", SELECT];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["Dockerfile", "k8s"]);
        run_in(d, &args)
    };
    let o = base(&["--write-baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let o = base(&["--baseline", "baseline.json", "--output-format", "sarif"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).expect("SARIF");
    let all = results(&log);
    assert_eq!(all.len(), before.len(), "{all:#?}");
    for r in &all {
        let kind = &r["suppressions"][0]["kind"];
        if r["ruleId"] == code.as_str()
            && r["suppressions"][0]["justification"] == "the base image provides it"
        {
            assert_eq!(kind, "inSource");
        } else {
            assert_eq!(kind, "external", "{r:#}");
            assert_eq!(
                r["suppressions"][0]["justification"],
                "in the baseline baseline.json"
            );
        }
    }
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
