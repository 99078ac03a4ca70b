//! Custom rules (schema and Rhai), `test-rules`, baselines and suppression
//! audits, end to end.

use deploylint::config::Config;
use deploylint::custom::CustomRules;
use deploylint::engine::{Input, LintOptions, LintResult, Role, Session};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_deploylint"));
    c.env("NO_COLOR", "1");
    c
}

/// Lints in-memory files with the given custom rules (and the built-in ones
/// narrowed by `select`).
fn lint(custom: &CustomRules, files: &[(&str, &str)], select: &[&str]) -> LintResult {
    let opts = LintOptions {
        select: select.iter().map(|s| s.to_string()).collect(),
        ..LintOptions::default()
    };
    let config = Config::with_defaults(PathBuf::from("."));
    let mut s = Session::new(config.clone(), opts);
    s.add_rules(custom.rules());
    for (name, text) in files {
        let guess = deploylint::discover::guess(Path::new(name), &config)
            .unwrap_or(deploylint::discover::NameGuess::Yaml);
        s.add(
            Input {
                display: (*name).to_owned(),
                path: None,
                guess,
                text: Some(Ok((*text).to_owned())),
            },
            Role::Named,
        );
    }
    let mut r = s.into_result();
    let first = r.files.len();
    let (files, diags) = custom.take_failures(first);
    for (i, source) in files.into_iter().enumerate() {
        r.files.push(deploylint::project::ParsedFile {
            id: first + i,
            source,
            document: deploylint::parse::Document::Unparsed,
        });
    }
    r.diagnostics.extend(diags);
    r
}

/// `code path:line:col text-at-span` per finding.
fn shown(r: &LintResult) -> Vec<String> {
    r.diagnostics
        .iter()
        .map(|d| {
            let f = &r.files[d.file];
            let p = f.source.position(d.span.start);
            format!(
                "{} {}:{}:{} `{}`",
                d.code,
                f.source.path,
                p.line,
                p.column,
                f.source.text.get(d.span.range()).unwrap_or("?")
            )
        })
        .collect()
}

fn example_rules() -> CustomRules {
    CustomRules::load_dirs(&[root().join("examples/custom-rules/rules")])
        .expect("example rules load")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect("read example file")
}

#[test]
fn example_rules_give_located_findings() {
    let custom = example_rules();
    assert_eq!(custom.rules.len(), 5);
    let deploy = read("examples/custom-rules/app/deploy.yaml");
    let docker = read("examples/custom-rules/app/docker/Dockerfile");
    let pool = read("examples/custom-rules/app/docker/www.conf");
    let r = lint(
        &custom,
        &[
            ("app/deploy.yaml", &deploy),
            ("app/docker/Dockerfile", &docker),
            ("app/docker/www.conf", &pool),
        ],
        &["ACME"],
    );
    let got = shown(&r);
    // Missing `cost-center`: on the `labels` key of web, not on line 1.
    assert!(
        got.contains(&"ACME001 app/deploy.yaml:5:3 `labels`".to_owned()),
        "{got:#?}"
    );
    // The image value of web's container.
    assert!(
        got.contains(&"ACME002 app/deploy.yaml:17:18 `ghcr.io/acme/app:1.4.2`".to_owned()),
        "{got:#?}"
    );
    // The pool's value.
    assert!(
        got.contains(&"ACME003 app/docker/www.conf:3:19 `40`".to_owned()),
        "{got:#?}"
    );
    // Cross-file: the Octane command is in the Dockerfile the deployment runs.
    assert!(
        got.iter()
            .any(|g| g.starts_with("ACME004 app/docker/Dockerfile:4:")),
        "{got:#?}"
    );
    // Quantities compared as Kubernetes reads them: the octane container's
    // 3Gi memory limit is over 2Gi (at the value); web's 512Mi and both CPU
    // limits (`"1"`, `"2"`) are within the caps.
    assert!(
        got.contains(&"ACME005 app/deploy.yaml:39:30 `3Gi`".to_owned()),
        "{got:#?}"
    );
    assert_eq!(
        got.iter().filter(|g| g.starts_with("ACME005")).count(),
        1,
        "{got:#?}"
    );
    // The octane Deployment has both labels and an approved image.
    assert_eq!(
        got.iter().filter(|g| g.starts_with("ACME001")).count(),
        1,
        "{got:#?}"
    );
    assert_eq!(
        got.iter().filter(|g| g.starts_with("ACME002")).count(),
        1,
        "{got:#?}"
    );
}

fn rules_from(texts: &[(&str, &str)]) -> Result<CustomRules, deploylint::custom::LoadError> {
    CustomRules::from_texts(
        texts
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
            .collect(),
    )
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n";

fn script_rule(code: &str, script: &str) -> String {
    let body: String = script.lines().map(|l| format!("  {l}\n")).collect();
    format!(
        "code: {code}\nname: rule-{}\ntitle: t\nseverity: warning\ntarget: container\nrationale: r\nremediation: fix it\nscript: |\n{body}",
        code.to_ascii_lowercase()
    )
}

#[test]
fn hostile_scripts_are_stopped_and_the_run_goes_on() {
    let endless = script_rule("ZZ001", "let n = 0;\nloop { n += 1; }");
    let huge = script_rule("ZZ002", "let s = \"xxxxxxxx\";\nwhile true { s += s; }");
    let deep = script_rule("ZZ003", "fn down(n) { down(n + 1) }\ndown(0);");
    let fine = script_rule(
        "ZZ004",
        "if target.image.starts_with(\"nginx\") { report(\"image\", \"nginx here\"); }",
    );
    let custom = rules_from(&[
        ("rules/endless.yaml", &endless),
        ("rules/huge.yaml", &huge),
        ("rules/deep.yaml", &deep),
        ("rules/fine.yaml", &fine),
    ])
    .expect("rules load");
    let r = lint(&custom, &[("pod.yaml", POD)], &["ZZ"]);
    let got = shown(&r);
    // The good rule still reports, at the image value.
    assert!(
        got.contains(&"ZZ004 pod.yaml:8:14 `nginx:1.27`".to_owned()),
        "{got:#?}"
    );
    let failures: Vec<&String> = got.iter().filter(|g| g.starts_with("E009")).collect();
    assert_eq!(failures.len(), 3, "{got:#?}");
    // Each in its rule file, on the script's line.
    assert!(
        failures
            .iter()
            .any(|g| g.starts_with("E009 rules/endless.yaml:"))
    );
    assert!(
        failures
            .iter()
            .any(|g| g.starts_with("E009 rules/huge.yaml:"))
    );
    assert!(
        failures
            .iter()
            .any(|g| g.starts_with("E009 rules/deep.yaml:"))
    );
    let messages: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "E009")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("operations")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("limit")), "{messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("deeper")),
        "{messages:?}"
    );
}

#[test]
fn missing_fields_land_on_the_nearest_parent() {
    let rule = "code: ZZ010\nname: needs-probe\ntitle: Containers have a readiness probe\nseverity: warning\ntarget: container\nrationale: r\nremediation: add one\nscript: |\n  if target.readinessProbe == () { report(\"readinessProbe.httpGet.path\", \"no readiness probe\"); }\n  report(\"$object.metadata.labels.team\", \"no team\");\n";
    let custom = rules_from(&[("r.yaml", rule)]).expect("loads");
    let text = format!("---\n{POD}");
    let r = lint(&custom, &[("pod.yaml", &text)], &["ZZ"]);
    let got = shown(&r);
    // The container (its `name: app` entry), and the object's `metadata` key.
    assert!(
        got.contains(&"ZZ010 pod.yaml:8:7 `name: app`".to_owned()),
        "{got:#?}"
    );
    assert!(
        got.contains(&"ZZ010 pod.yaml:4:1 `metadata`".to_owned()),
        "{got:#?}"
    );
}

fn quantity_rule(code: &str, schema: &str) -> String {
    let body: String = schema.lines().map(|l| format!("  {l}\n")).collect();
    format!(
        "code: {code}\nname: rule-{}\ntitle: Limits capped\nseverity: warning\ntarget: container\nrationale: r\nremediation: fix it\nschema:\n{body}",
        code.to_ascii_lowercase()
    )
}

#[test]
fn quantity_keywords_compare_kubernetes_quantities() {
    let rule = quantity_rule(
        "QT001",
        "properties:\n  resources:\n    properties:\n      limits:\n        properties:\n          memory: {maximumQuantity: 1Gi}\n          cpu: {minimumQuantity: 100m, maximumQuantity: 1500m}\n",
    );
    let custom = rules_from(&[("QT001.yaml", &rule)]).expect("rule loads");
    let pod = |memory: &str, cpu: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      resources:\n        limits:\n          memory: {memory}\n          cpu: {cpu}\n"
        )
    };
    let run = |memory: &str, cpu: &str| {
        let text = pod(memory, cpu);
        let r = lint(&custom, &[("pod.yaml", &text)], &["QT"]);
        let spans = shown(&r);
        let messages: Vec<String> = r.diagnostics.iter().map(|d| d.message.clone()).collect();
        (spans, messages)
    };
    // Equal or below, in any unit: quiet (1024Mi == 1Gi, 1.5 == 1500m).
    for (m, c) in [
        ("1Gi", "1"),
        ("1024Mi", "1.5"),
        ("1073741824", "100m"),
        ("1G", "0.1"),
    ] {
        let (spans, _) = run(m, c);
        assert!(spans.is_empty(), "{m} {c}: {spans:?}");
    }
    // Above the maximum, below the minimum: at the value.
    let (spans, messages) = run("1025Mi", "50m");
    assert_eq!(
        spans,
        [
            "QT001 pod.yaml:11:19 `1025Mi`",
            "QT001 pod.yaml:12:16 `50m`"
        ]
    );
    assert_eq!(
        messages,
        [
            "Limits capped: `resources.limits.memory`: `1025Mi` is more than the maximum `1Gi`",
            "Limits capped: `resources.limits.cpu`: `50m` is less than the minimum `100m`"
        ]
    );
    let (_, messages) = run("1Gi", "2");
    assert_eq!(
        messages,
        ["Limits capped: `resources.limits.cpu`: `2` is more than the maximum `1500m`"]
    );
    // Not a quantity: the keyword fails with what to write instead.
    let (spans, messages) = run("512MB", "1");
    assert_eq!(spans, ["QT001 pod.yaml:11:19 `512MB`"]);
    assert!(
        messages[0].contains("`512MB` is not a Kubernetes quantity (write e.g. `512Mi`"),
        "{messages:?}"
    );

    // A limit that is not a quantity is a located error in the rule file.
    let bad = quantity_rule(
        "QT002",
        "properties:\n  resources:\n    maximumQuantity: lots\n",
    );
    let e = rules_from(&[("QT002.yaml", &bad)]).expect_err("bad limit");
    let d = &e.diagnostics[0];
    assert_eq!(d.code, "E008");
    assert!(
        d.message
            .contains("`maximumQuantity` takes a Kubernetes quantity such as `512Mi`"),
        "{}",
        d.message
    );
    let p = e.files[d.file].position(d.span.start);
    assert!(p.line >= 8, "located in the schema: line {}", p.line);
}

#[test]
fn rule_file_errors_are_located() {
    let cases: &[(&str, &str, (usize, &str))] = &[
        ("bad yaml", "code: ZZ1\nname: [unclosed\n", (0, "syntax")),
        (
            "builtin prefix",
            "code: K8S900\nname: mine\ntitle: t\nseverity: warning\ntarget: container\nrationale: r\nremediation: r\nscript: \"1\"\n",
            (1, "built-in prefix"),
        ),
        (
            "invalid schema",
            "code: ZZ2\nname: mine\ntitle: t\nseverity: warning\ntarget: container\nrationale: r\nremediation: r\nschema:\n  type: 12\n",
            (0, "invalid schema"),
        ),
        (
            "rhai syntax",
            "code: ZZ3\nname: mine\ntitle: t\nseverity: warning\ntarget: container\nrationale: r\nremediation: r\nscript: |\n  let x = 1;\n  let y = ;\n",
            (10, "does not compile"),
        ),
        (
            "unknown target",
            "code: ZZ4\nname: mine\ntitle: t\nseverity: warning\ntarget: helm-chart\nrationale: r\nremediation: r\nscript: \"1\"\n",
            (5, ""),
        ),
    ];
    for (what, text, (line, msg)) in cases {
        let e = rules_from(&[("r.yaml", text)]).expect_err(what);
        let d = &e.diagnostics[0];
        assert_eq!(d.code, "E008", "{what}");
        let p = e.files[d.file].position(d.span.start);
        if *line > 0 {
            assert_eq!(p.line, *line, "{what}: {}", d.message);
        }
        assert!(d.message.contains(msg), "{what}: {}", d.message);
    }
}

#[test]
fn test_rules_passes_on_the_examples_and_fails_on_a_broken_rule() {
    let out = bin()
        .args(["test-rules", "-v"])
        .arg(root().join("examples/custom-rules/rules"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("PASS ACME004 octane-workers-explicit:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("PASS ACME005 container-size-caps:"),
        "{stdout}"
    );
    assert!(stdout.contains("0 failed"), "{stdout}");

    // A copy whose cap was raised to 60: its bad example no longer fails.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = read("examples/custom-rules/rules/ACME003-fpm-max-children.yaml")
        .replace("n > 20", "n > 60");
    std::fs::write(dir.path().join("ACME003.yaml"), text).expect("write");
    let out = bin()
        .args(["test-rules"])
        .arg(dir.path())
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL ACME003 fpm-max-children-cap: examples.bad: expected a finding"),
        "{stdout}"
    );
}

#[test]
fn check_runs_custom_rules_from_the_config_and_exits_2_on_a_broken_rule_file() {
    let out = bin()
        .current_dir(root().join("examples/custom-rules"))
        .args([
            "check",
            "--select",
            "ACME",
            "--output-format",
            "concise",
            "app",
        ])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("ACME003"), "{stdout}");

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join(".deploylint/rules")).expect("mkdir");
    std::fs::write(
        dir.path().join(".deploylint/rules/broken.yaml"),
        "code: ACME9\nname: x\ntitle: t\nseverity: warning\ntarget: container\nrationale: r\nremediation: r\nscript: \"let = ;\"\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("pod.yaml"), POD).expect("write");
    let out = bin()
        .current_dir(dir.path())
        .args(["check", "pod.yaml"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("broken.yaml"), "{stderr}");
    assert!(stderr.contains("E008"), "{stderr}");
}

#[test]
fn baseline_survives_line_shifts_and_catches_changed_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = dir.path().join("pod.yaml");
    let baseline = dir.path().join("baseline.json");
    std::fs::write(&manifest, POD.replace("nginx:1.27", "nginx:latest")).expect("write");
    let check = |extra: &[&str]| {
        let out = bin()
            .current_dir(dir.path())
            .args([
                "check",
                "--no-context",
                "--select",
                "K8S",
                "--output-format",
                "concise",
            ])
            .args(extra)
            .arg("pod.yaml")
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, before, _) = check(&[]);
    assert_eq!(code, Some(1), "{before}");
    assert!(before.contains("K8S001"), "{before}");
    let (code, _, err) = check(&["--write-baseline", "baseline.json"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("to the baseline"), "{err}");
    assert!(baseline.is_file());

    // Lines inserted above: everything stays suppressed.
    let shifted = format!(
        "# a comment\n# another\n\n{}",
        POD.replace("nginx:1.27", "nginx:latest")
    );
    std::fs::write(&manifest, &shifted).expect("write");
    let (code, out, err) = check(&["--baseline", "baseline.json"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(!out.contains("K8S001"), "{out}");

    // The offending value changed: reported again, and the old entry is stale.
    std::fs::write(&manifest, shifted.replace("nginx:latest", "nginx")).expect("write");
    let (code, out, err) = check(&["--baseline", "baseline.json"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("K8S001"), "{out}");
    assert!(err.contains("no longer match"), "{err}");
}

#[test]
fn unused_and_expired_suppressions_are_reported() {
    let unused = POD.replace(
        "      image: nginx:1.27\n",
        "      # deploylint ignore=K8S001 -- pinned by digest in CI\n      image: nginx:1.27.3\n",
    );
    let used = POD.replace(
        "      image: nginx:1.27\n",
        "      # deploylint ignore=K8S001 -- pinned by digest in CI\n      image: nginx\n",
    );
    let expired = POD.replace(
        "      image: nginx:1.27\n",
        "      # deploylint ignore=K8S001 -- until 2020-01-01: waiting for the mirror\n      image: nginx\n",
    );
    let later = expired.replace("2020-01-01", "2999-01-01");
    let custom = CustomRules::empty();
    let codes = |text: &str| -> Vec<String> {
        let r = lint(&custom, &[("pod.yaml", text)], &["K8S001", "S002", "S003"]);
        r.diagnostics.iter().map(|d| d.code.to_string()).collect()
    };
    assert_eq!(codes(&unused), vec!["S002"]);
    assert!(codes(&used).is_empty(), "{:?}", codes(&used));
    let mut e = codes(&expired);
    e.sort();
    assert_eq!(e, vec!["K8S001", "S003"]);
    assert!(codes(&later).is_empty());
    // A suppression for a rule that did not run is not judged.
    let r = lint(&custom, &[("pod.yaml", &unused)], &["K8S002", "S002"]);
    assert!(r.diagnostics.iter().all(|d| d.code != "S002"));
}

#[test]
fn config_levels_apply_to_custom_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join(".deploylint/rules")).expect("mkdir");
    std::fs::write(
        dir.path().join(".deploylint/rules/nginx.yaml"),
        script_rule(
            "QQ001",
            "if target.image.starts_with(\"nginx\") { report(\"image\", \"nginx here\"); }",
        ),
    )
    .expect("write");
    std::fs::write(dir.path().join("pod.yaml"), POD).expect("write");
    let run = |config: &str| {
        std::fs::write(dir.path().join(".deploylint.yaml"), config).expect("write");
        let o = bin()
            .current_dir(dir.path())
            .args([
                "check",
                "--select",
                "QQ",
                "--output-format",
                "concise",
                "pod.yaml",
            ])
            .output()
            .expect("run");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned()
                + String::from_utf8_lossy(&o.stderr).as_ref(),
        )
    };
    let (code, out) = run("rules:\n  QQ001: error\n");
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("QQ001 [error]"), "{out}");
    let (code, out) = run("rules:\n  QQ001: off\n");
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = run("rules:\n  QQ002: off\n");
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("unknown rule `QQ002`"), "{out}");
}

/// `deploylint explain` knows the workspace's custom rules.
#[test]
fn explain_shows_a_custom_rule() {
    let out = bin()
        .args(["explain", "ACME002"])
        .current_dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/custom-rules"
        ))
        .output()
        .expect("run deploylint");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("ACME002 (approved-registry): Images come from registry.example.com"),
        "{text}"
    );
    assert!(
        text.contains("Custom rule from") && text.contains("Target: container"),
        "{text}"
    );
    assert!(
        text.contains("docker.io/library/nginx:1.27"),
        "the bad example: {text}"
    );
}

/// `deploylint rules` lists the workspace's custom rules (marked custom,
/// with their target and rule file), and `--select` picks them.
#[test]
fn rules_lists_custom_rules() {
    let dir = root().join("examples/custom-rules");
    let run = |args: &[&str]| {
        let out = bin().args(args).current_dir(&dir).output().expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, table) = run(&["rules"]);
    assert_eq!(code, Some(0), "{table}");
    assert!(table.contains("K8S001"), "built-in rules first: {table}");
    let row = table
        .lines()
        .find(|l| l.starts_with("ACME005 "))
        .unwrap_or_else(|| panic!("ACME005 listed: {table}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        &cols[..5],
        [
            "ACME005",
            "container-size-caps",
            "warning",
            "container",
            "custom"
        ],
        "{row}"
    );
    assert!(table.contains("(5 custom from rules/:"), "{table}");

    let (code, json) = run(&["rules", "--format", "json"]);
    assert_eq!(code, Some(0), "{json}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    let acme: Vec<&serde_json::Value> = list.iter().filter(|r| r["custom"] == true).collect();
    assert_eq!(acme.len(), 5, "{json}");
    let r = acme
        .iter()
        .find(|r| r["code"] == "ACME004")
        .expect("ACME004");
    assert_eq!(r["name"], "octane-workers-explicit");
    assert_eq!(r["target"], "deployment");
    assert_eq!(r["severity"], "warning");
    assert!(
        r["source"]
            .as_str()
            .is_some_and(|s| s == "rules/ACME004-octane-workers.yaml"),
        "{r}"
    );
    assert!(
        list.iter()
            .any(|r| r["code"] == "K8S001" && r["custom"] == false)
    );

    let (code, json) = run(&["rules", "--select", "ACME005", "--format", "json"]);
    assert_eq!(code, Some(0), "{json}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    assert_eq!(list.len(), 1, "{json}");
    assert_eq!(list[0]["code"], "ACME005");
    let (code, table) = run(&["rules", "--select", "container-size-caps,K8S001"]);
    assert_eq!(code, Some(0), "{table}");
    let codes: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| {
            c.chars().any(|c| c.is_ascii_digit()) && c.chars().any(|c| c.is_ascii_uppercase())
        })
        .collect();
    assert_eq!(codes, ["K8S001", "ACME005"], "{table}");
    let (code, _) = run(&["rules", "--select", "NOPE1"]);
    assert_eq!(code, Some(2));
}
