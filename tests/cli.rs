//! End-to-end tests of the real binary: outputs, exit codes, config, bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_deploylint"));
    c.env_remove("NO_COLOR").env("NO_COLOR", "1");
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run deploylint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// (path, code, start line) of every diagnostic of a `--format json` run.
fn findings(o: &Output) -> Vec<(String, String, u64)> {
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn e2e_human_output() {
    let o = run_in(
        &root(),
        &[
            "check",
            "fixtures/e2e",
            "--no-color",
            "--select",
            "K8S001,K8S002,S",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!("e2e_human", stdout(&o));
}

#[test]
fn e2e_json_output_matches_schema() {
    let o = run_in(
        &root(),
        &[
            "check",
            "fixtures/e2e",
            "--format",
            "json",
            "--select",
            "K8S001,K8S002,S",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/report.schema.json")).unwrap();
    let validator = jsonschema::options()
        .build(&schema)
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match its schema: {errors:#?}"
    );
    assert!(
        report["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty())
    );
    let mut redacted = report.clone();
    redacted["tool"]["version"] = "[version]".into();
    insta::assert_json_snapshot!("e2e_json", redacted);
}

#[test]
fn output_is_deterministic_across_job_counts() {
    let one = run_in(
        &root(),
        &["check", "fixtures", "--format", "json", "--jobs", "1"],
    );
    let many = run_in(
        &root(),
        &["check", "fixtures", "--format", "json", "--jobs", "4"],
    );
    assert_eq!(stdout(&one), stdout(&many));
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let clean = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: a:1\n      resources: {limits: {memory: 64Mi}}\n";
    std::fs::write(d.join("clean.yaml"), clean).unwrap();
    // Only the image and memory-limit rules, so each exit code is about one finding.
    let code = |args: &[&str]| {
        let mut all = vec!["check", "--select=K8S001,K8S002"];
        all.extend_from_slice(args);
        run_in(d, &all).status.code()
    };
    assert_eq!(code(&[]), Some(0));
    std::fs::write(d.join("warn.yaml"), clean.replace("a:1", "a")).unwrap();
    assert_eq!(code(&[]), Some(1));
    assert_eq!(code(&["--fail-on", "error"]), Some(0));
    assert_eq!(code(&["--fail-on", "info"]), Some(1));
    assert_eq!(code(&["--ignore", "K8S001"]), Some(0));
    assert_eq!(
        run_in(d, &["check", "--select", "K8S002"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run_in(d, &["check", "--select", "K8S00"]).status.code(),
        Some(1)
    );
    assert_eq!(
        run_in(d, &["check", "--no-such-flag"]).status.code(),
        Some(2)
    );
    let missing = run_in(d, &["check", "--select=K8S001", "does-not-exist", "."]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("does-not-exist"),
        "{}",
        stderr(&missing)
    );
    assert!(
        stdout(&missing).contains("K8S001"),
        "other paths are still linted"
    );
}

#[test]
fn bad_input_is_located_and_the_rest_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("utf8.yaml"),
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xff\xfe\n",
    )
    .unwrap();
    std::fs::write(
        d.join("binary.yaml"),
        b"apiVersion: v1\nkind: Pod\n\0\0\x01\x02",
    )
    .unwrap();
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    std::fs::write(d.join("bomb.yaml"), bomb).unwrap();
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\ndata: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    std::fs::write(d.join("deep.yaml"), deep).unwrap();
    let deep_block: String = (0..10_000)
        .map(|i| format!("{}k:\n", " ".repeat(i % 2000 + 1)))
        .collect();
    std::fs::write(
        d.join("deep-block.yaml"),
        format!("apiVersion: v1\nkind: ConfigMap\ndata:\n{deep_block}"),
    )
    .unwrap();
    std::fs::write(
        d.join("syntax.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: [oops\n",
    )
    .unwrap();
    std::fs::write(d.join("good.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: nginx\n").unwrap();
    let o = run_in(d, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let found = findings(&o);
    let has = |path: &str, code: &str| found.iter().any(|(p, c, _)| p == path && c == code);
    assert!(has("utf8.yaml", "E001"), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(p, c, l)| p == "utf8.yaml" && c == "E001" && *l == 4),
        "invalid UTF-8 is located on its line: {found:?}"
    );
    assert!(has("binary.yaml", "E001"), "{found:?}");
    assert!(has("bomb.yaml", "E004"), "{found:?}");
    assert!(has("deep.yaml", "E004"), "{found:?}");
    assert!(has("deep-block.yaml", "E004"), "{found:?}");
    assert!(has("syntax.yaml", "E002"), "{found:?}");
    assert!(has("good.yaml", "K8S001"), "{found:?}");
    // Human output renders the same errors without panicking.
    let human = run_in(d, &["check", "--no-color"]);
    assert_eq!(human.status.code(), Some(1));
    assert!(
        stdout(&human).contains("could not be read"),
        "{}",
        stdout(&human)
    );
}

#[test]
fn huge_file_is_reported_not_parsed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".deploylint.yaml"), "max-file-size: 1000\n").unwrap();
    let big = format!(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n{}",
        "  k: v\n".repeat(500)
    );
    std::fs::write(dir.path().join("big.yaml"), big).unwrap();
    let o = run_in(dir.path(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "E001");
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("limit")
    );
}

#[test]
fn stdin_with_filename() {
    use std::io::Write;
    let mut child = bin()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "rendered.yaml",
            "--format",
            "json",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: 'nginx:latest'}]\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &report["diagnostics"].as_array().unwrap();
    assert!(
        d.iter()
            .any(|d| d["code"] == "K8S001" && d["path"] == "rendered.yaml")
    );
}

#[test]
fn config_levels_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/p.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: nginx}]\n").unwrap();
    // Found in a parent directory, like ruff; by name and by code.
    std::fs::write(
        d.join(".deploylint.yaml"),
        "rules:\n  image-tag-latest: off\n  K8S002: error\n",
    )
    .unwrap();
    // A prefix selection keeps what the config turned off, off.
    let o = run_in(
        &d.join("sub"),
        &["check", "--format", "json", "--select", "K8S00"],
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["K8S002"]);
    assert_eq!(report["diagnostics"][0]["severity"], "error");
    // Naming the rule exactly turns it on for this run.
    let o = run_in(
        &d.join("sub"),
        &["check", "--format", "json", "--select", "K8S001"],
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "K8S001");
    // Exclude globs are relative to the config file.
    std::fs::write(d.join(".deploylint.yaml"), "exclude: ['sub/**']\n").unwrap();
    assert_eq!(run_in(d, &["check"]).status.code(), Some(0));
    assert!(stdout(&run_in(d, &["check"])).contains("0 files checked"));
    // Unknown key, bad value, unknown rule: located errors, exit 2.
    std::fs::write(
        d.join(".deploylint.yaml"),
        "rules:\n  image-tag-lates: off\nprofil: production\n",
    )
    .unwrap();
    let o = run_in(d, &["check", "--no-color"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("unknown field `profil`: did you mean `profile`?"),
        "{err}"
    );
    std::fs::write(
        d.join(".deploylint.yaml"),
        "rules:\n  image-tag-lates: off\n",
    )
    .unwrap();
    let err = stderr(&run_in(d, &["check", "--no-color"]));
    assert!(err.contains("did you mean `image-tag-latest`?"), "{err}");
    assert!(err.contains(".deploylint.yaml:2:3"), "{err}");
    std::fs::write(d.join(".deploylint.yaml"), "kubernetes-version: \"1.12\"\n").unwrap();
    let o = run_in(d, &["check", "--no-color"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bundled: 1.29"), "{}", stderr(&o));
    std::fs::write(d.join(".deploylint.yaml"), "profile: staging\n").unwrap();
    assert_eq!(run_in(d, &["check"]).status.code(), Some(2));
    // --config points at a file explicitly.
    std::fs::write(d.join("strict.yaml"), "rules:\n  K8S001: info\n").unwrap();
    std::fs::remove_file(d.join(".deploylint.yaml")).unwrap();
    let o = run_in(
        d,
        &[
            "check",
            "--config",
            "strict.yaml",
            "--select",
            "K8S001",
            "--format",
            "json",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["severity"], "info");
    assert_eq!(
        o.status.code(),
        Some(0),
        "info does not fail the run by default"
    );
}

#[test]
fn suppression_requires_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      # deploylint ignore=K8S001\n      image: nginx\n      resources: {limits: {memory: 1Gi}}\n";
    std::fs::write(dir.path().join("p.yaml"), text).unwrap();
    let o = run_in(
        dir.path(),
        &["check", "--format", "json", "--select", "K8S001,S001"],
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec!["S001"],
        "the finding is suppressed, the missing reason reported"
    );
}

#[test]
fn gitignore_and_vcs_dirs_are_skipped_but_named_files_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: nginx, resources: {limits: {memory: 1Gi}}}]\n";
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::create_dir_all(d.join("build")).unwrap();
    std::fs::write(d.join(".git/p.yaml"), pod).unwrap();
    std::fs::write(d.join("build/p.yaml"), pod).unwrap();
    std::fs::write(d.join(".gitignore"), "build/\n").unwrap();
    assert_eq!(
        run_in(d, &["check", "--select=K8S001"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run_in(d, &["check", "--select=K8S001", "build/p.yaml"])
            .status
            .code(),
        Some(1)
    );
    // Other hidden directories hold deployment configs (`.k8s/`, `.docker/`).
    std::fs::create_dir_all(d.join(".k8s")).unwrap();
    std::fs::write(d.join(".k8s/p.yaml"), pod).unwrap();
    assert_eq!(
        run_in(d, &["check", "--select=K8S001"]).status.code(),
        Some(1)
    );
    let o = run_in(d, &["check", "--verbose", "build/p.yaml"]);
    assert!(
        stderr(&o).contains("build/p.yaml: kubernetes"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn rules_and_explain() {
    let o = bin().args(["rules"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("K8S001") && stdout(&o).contains("image-tag-latest"));
    let o = bin()
        .args(["explain", "image-tag-latest"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains("K8S001")
            && text.contains("Why")
            && text.contains("How to fix")
            && text.contains("Bad"),
        "{text}"
    );
    let o = bin().args(["explain", "K8S0001"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean"), "{}", stderr(&o));
}

#[test]
fn masked_secrets_never_reach_any_output() {
    use deploylint::diagnostic::{Diagnostic, Severity};
    use deploylint::engine::LintResult;
    use deploylint::parse::Document;
    use deploylint::project::ParsedFile;
    use deploylint::report::{self, Format, HumanOptions};
    use deploylint::source::{FileKind, SourceFile, Span};
    let text = "env:\n  - name: DB_PASSWORD\n    value: hunter2-very-secret\n";
    let start = text.find("hunter2").unwrap();
    let span = Span::new(start, start + "hunter2-very-secret".len());
    let result = LintResult {
        files: vec![ParsedFile {
            id: 0,
            source: SourceFile::new("x.yaml", Some(FileKind::Kubernetes), text.into()),
            document: Document::Unparsed,
        }],
        diagnostics: vec![Diagnostic::new(
            "K8S001",
            Severity::Error,
            0,
            span,
            "plaintext secret in `DB_PASSWORD`",
        )],
        masks: [(0, vec![span])].into_iter().collect(),
        context: Vec::new(),
        absorbed: Vec::new(),
        suppressed: Vec::new(),
    };
    for format in [Format::Human, Format::Json] {
        let mut out = Vec::new();
        report::write(format, &result, &HumanOptions::default(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            !out.contains("hunter2"),
            "{format:?} leaks the secret:\n{out}"
        );
        if format == Format::Human {
            assert!(out.contains("*******************"), "{out}");
        }
    }
}

#[test]
fn dockerfile_secrets_are_masked_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("Dockerfile"),
        "FROM php:8.3-fpm-alpine\nENV DB_PASSWORD=Tr0ub4dor-and-3\nARG REDIS_URL=redis://app:s3cretPass@redis:6379\nUSER www-data\nCMD [\"php-fpm\"]\n",
    )
    .unwrap();
    for format in ["human", "json"] {
        let o = run_in(
            d,
            &[
                "check",
                "--no-color",
                "--select",
                "DF004",
                "--format",
                format,
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("DF004"), "{out}");
        for secret in ["Tr0ub4dor", "s3cretPass", "redis://app"] {
            assert!(!out.contains(secret), "{format} leaks `{secret}`:\n{out}");
        }
    }
}

#[test]
fn bad_dockerfiles_are_located_and_the_rest_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("Dockerfile.binary"),
        b"FROM alpine:3\n\0\0\x01RUN x\n",
    )
    .unwrap();
    std::fs::write(
        d.join("Dockerfile.utf8"),
        b"FROM alpine:3\nLABEL a=\xff\xfe\n",
    )
    .unwrap();
    std::fs::write(
        d.join("Dockerfile.broken"),
        "FROM php:8.3-fpm AS app\nRUNN true\nCMD ['php-fpm']\nCOPY --from=9 /a /b\nRUN <<EOF\nnever closed\n",
    )
    .unwrap();
    let continued = format!(
        "FROM alpine:3.20\nRUN {}true\n",
        "--flag \\\n".repeat(50_000)
    );
    std::fs::write(d.join("Dockerfile.long"), continued).unwrap();
    std::fs::write(
        d.join("Dockerfile"),
        "FROM php:latest\nUSER 82\nCMD [\"php-fpm\"]\n",
    )
    .unwrap();
    let o = run_in(d, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let found = findings(&o);
    let at = |path: &str, code: &str, line: u64| {
        found
            .iter()
            .any(|(p, c, l)| p == path && c == code && *l == line)
    };
    assert!(at("Dockerfile.binary", "E001", 2), "{found:?}");
    assert!(at("Dockerfile.utf8", "E001", 2), "{found:?}");
    assert!(
        at("Dockerfile.broken", "E040", 2),
        "unknown instruction: {found:?}"
    );
    assert!(
        at("Dockerfile.broken", "E041", 3),
        "invalid exec form: {found:?}"
    );
    assert!(
        at("Dockerfile.broken", "E042", 4),
        "bad stage index: {found:?}"
    );
    assert!(
        at("Dockerfile.broken", "E040", 5),
        "unterminated heredoc: {found:?}"
    );
    assert!(
        at("Dockerfile", "DF002", 1),
        "the good file is still linted: {found:?}"
    );
}

#[test]
fn opt_in_rules_run_with_select_or_profile_strict() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("Dockerfile"),
        "FROM php:8.3.14-fpm-alpine\nUSER www-data\nCMD [\"php-fpm\"]\n",
    )
    .unwrap();
    let codes = |o: &std::process::Output| stdout(o);
    let default = run_in(d, &["check", "--format", "json"]);
    assert!(!codes(&default).contains("DF019"), "{}", codes(&default));
    let selected = run_in(d, &["check", "--format", "json", "--select", "DF019"]);
    assert!(codes(&selected).contains("DF019"), "{}", codes(&selected));
    std::fs::write(d.join(".deploylint.yaml"), "profile: strict\n").unwrap();
    let strict = run_in(d, &["check", "--format", "json"]);
    assert!(codes(&strict).contains("DF019"), "{}", codes(&strict));
}

#[test]
fn readme_rule_tables_are_generated_from_the_catalog() {
    let o = run_in(&root(), &["rules", "--format", "markdown"]);
    assert_eq!(o.status.code(), Some(0));
    let tables = stdout(&o);
    readme_block("rules", &tables);
    // Every rule of the catalog has its row.
    for line in stdout(&run_in(&root(), &["rules"])).lines().skip(1) {
        if let Some(code) = line.split_whitespace().next().filter(|c| c.len() > 3) {
            if code.chars().any(|c| c.is_ascii_digit()) {
                assert!(tables.contains(&format!("| {code} |")), "{code} missing");
            }
        }
    }
}

/// The README's demo is the real output on `examples/laravel-k8s`, and the
/// full human output is a snapshot (`DEPLOYLINT_UPDATE_README=1` rewrites
/// the README block).
#[test]
fn readme_demo_is_the_real_output() {
    let o = run_in(&root(), &["check", "examples/laravel-k8s"]);
    assert_eq!(o.status.code(), Some(1), "the demo has findings");
    insta::assert_snapshot!("demo_laravel_k8s_human", stdout(&o));
    let o = run_in(
        &root(),
        &[
            "check",
            "examples/laravel-k8s",
            "--output-format",
            "concise",
        ],
    );
    let concise = format!(
        "```console\n$ deploylint check examples/laravel-k8s --output-format concise\n{}```\n",
        stdout(&o)
    );
    readme_block("demo", &concise);
}

/// Fails when README.md's text between `<!-- NAME:begin -->` and
/// `<!-- NAME:end -->` is not `want`; `DEPLOYLINT_UPDATE_README=1` rewrites it.
fn readme_block(name: &str, want: &str) {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (begin, end) = (
        format!("<!-- {name}:begin -->\n"),
        format!("<!-- {name}:end -->"),
    );
    let start = readme
        .find(&begin)
        .unwrap_or_else(|| panic!("{name}:begin marker"))
        + begin.len();
    let stop = readme
        .find(&end)
        .unwrap_or_else(|| panic!("{name}:end marker"));
    if readme[start..stop] == *want {
        return;
    }
    if std::env::var_os("DEPLOYLINT_UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..start], want, &readme[stop..]);
        std::fs::write(&path, updated).expect("write README.md");
    } else {
        panic!(
            "README.md's `{name}` block is stale: run `DEPLOYLINT_UPDATE_README=1 cargo test --test cli readme`"
        );
    }
}
