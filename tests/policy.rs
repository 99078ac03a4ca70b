//! Layered configuration end to end: `extends:`, `overrides:` by glob, the
//! nearest `.deploylint.yaml` per file, `config --show`, `--no-inline-ignores`,
//! Checkov skips through aliases, and `platform:` guarantees.

use std::path::Path;
use std::process::{Command, Output};

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deploylint"))
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run deploylint")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// (path, code, severity) of every finding of a `--format json` run.
fn findings(o: &Output) -> Vec<(String, String, String)> {
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", String::from_utf8_lossy(&o.stdout), stderr(o)));
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn codes_in(f: &[(String, String, String)], path: &str) -> Vec<String> {
    let mut v: Vec<String> = f
        .iter()
        .filter(|(p, _, _)| p == path)
        .map(|(_, c, _)| c.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// A pod without probes, requests, limits, seccomp or dropped capabilities.
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27.0\n";

/// `config --show PATH --format json`: key -> (value, from).
fn show(dir: &Path, path: &str) -> std::collections::HashMap<String, (serde_json::Value, String)> {
    let o = run_in(dir, &["config", "--show", path, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["key"].as_str().unwrap().to_owned(),
                (x["value"].clone(), x["from"].as_str().unwrap().to_owned()),
            )
        })
        .collect()
}

#[test]
fn extends_merges_in_order_and_shows_where_values_come_from() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "shared/base.yaml",
        "kubernetes-version: \"1.29\"\nrules:\n  K8S040: off\n  K8S044: off\n",
    );
    write(
        d,
        "shared/team.yaml",
        "extends: base.yaml\nrules:\n  K8S044: error\n",
    );
    write(
        d,
        ".deploylint.yaml",
        "extends: [shared/team.yaml]\nphp-version: \"8.2\"\n",
    );
    write(d, "k8s/pod.yaml", POD);
    let o = run_in(d, &["check", "k8s", "--format", "json"]);
    let f = findings(&o);
    let codes = codes_in(&f, "k8s/pod.yaml");
    // base turns both probes off, team turns readiness back on as an error.
    assert!(!codes.contains(&"K8S040".to_owned()), "{codes:?}");
    assert!(
        f.iter().any(|(_, c, s)| c == "K8S044" && s == "error"),
        "{f:?}"
    );
    let s = show(d, "k8s/pod.yaml");
    assert_eq!(
        s["kubernetes-version"],
        ("1.29".into(), "shared/base.yaml:1".into())
    );
    assert_eq!(
        s["rules.K8S040"],
        ("off".into(), "shared/base.yaml:3".into())
    );
    assert_eq!(
        s["rules.K8S044"],
        ("error".into(), "shared/team.yaml:3".into())
    );
    assert_eq!(
        s["php-version"],
        ("8.2".into(), ".deploylint.yaml:2".into())
    );
    assert_eq!(s["profile"], ("production".into(), "default".into()));
    // Human form: one line per value with its origin.
    let o = run_in(d, &["config", "--show", "k8s/pod.yaml"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("kubernetes-version: \"1.29\""), "{text}");
    assert!(text.contains("# shared/base.yaml:1"), "{text}");
    assert!(
        text.contains("merged, in order: shared/base.yaml, shared/team.yaml, .deploylint.yaml"),
        "{text}"
    );
}

#[test]
fn extends_cycles_and_missing_files_are_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "k8s/pod.yaml", POD);
    write(
        d,
        ".deploylint.yaml",
        "php-version: \"8.3\"\nextends: a.yaml\n",
    );
    write(d, "a.yaml", "extends:\n  - b.yaml\n");
    write(d, "b.yaml", "rules: {K8S040: off}\nextends: [a.yaml]\n");
    let o = run_in(d, &["check", "k8s"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("extends cycle: a.yaml -> b.yaml -> a.yaml"),
        "{err}"
    );
    // Located where the cycle closes: b.yaml line 2, at `a.yaml`.
    assert!(err.contains("b.yaml:2:11"), "{err}");
    // A file may not extend itself either.
    write(d, ".deploylint.yaml", "extends: .deploylint.yaml\n");
    let err = stderr(&run_in(d, &["check", "k8s"]));
    assert!(err.contains("extends cycle"), "{err}");
    assert!(err.contains(".deploylint.yaml:1:10"), "{err}");
    // A missing file: located at its name.
    write(
        d,
        ".deploylint.yaml",
        "rules: {}\nextends: [nowhere.yaml]\n",
    );
    let o = run_in(d, &["check", "k8s"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("extends: cannot read `./nowhere.yaml`")
            || err.contains("extends: cannot read `nowhere.yaml`"),
        "{err}"
    );
    assert!(err.contains(".deploylint.yaml:2:11"), "{err}");
    // An error inside an extended file is located in that file.
    write(d, ".deploylint.yaml", "extends: a.yaml\n");
    write(d, "a.yaml", "rules:\n  K8S99: off\n");
    let err = stderr(&run_in(d, &["check", "k8s"]));
    assert!(err.contains("a.yaml:2:3"), "{err}");
}

#[test]
fn overrides_set_levels_profile_and_versions_by_glob() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".deploylint.yaml",
        "rules:\n  K8S044: off\noverrides:\n  - files: [\"k8s/dev/**\"]\n    profile: development\n    kubernetes-version: \"1.29\"\n    ignore: [K8S040]\n  - files: [\"k8s/prod/**\"]\n    select: [K8S019]\n    rules:\n      K8S044: error\n",
    );
    write(d, "k8s/dev/pod.yaml", POD);
    write(d, "k8s/prod/pod.yaml", POD);
    write(d, "k8s/pod.yaml", POD);
    let f = findings(&run_in(d, &["check", "--format", "json"]));
    let dev = codes_in(&f, "k8s/dev/pod.yaml");
    let prod = codes_in(&f, "k8s/prod/pod.yaml");
    let other = codes_in(&f, "k8s/pod.yaml");
    assert!(
        !dev.contains(&"K8S040".into()) && !dev.contains(&"K8S019".into()),
        "{dev:?}"
    );
    assert!(
        prod.contains(&"K8S040".into()) && prod.contains(&"K8S019".into()),
        "{prod:?}"
    );
    assert!(prod.contains(&"K8S044".into()), "{prod:?}");
    assert!(other.contains(&"K8S040".into()), "{other:?}");
    assert!(
        !other.contains(&"K8S019".into()) && !other.contains(&"K8S044".into()),
        "{other:?}"
    );
    let s = show(d, "k8s/dev/pod.yaml");
    assert_eq!(
        s["profile"],
        ("development".into(), ".deploylint.yaml:5".into())
    );
    assert_eq!(
        s["kubernetes-version"],
        ("1.29".into(), ".deploylint.yaml:6".into())
    );
    assert_eq!(
        s["rules.K8S040"],
        ("off".into(), ".deploylint.yaml:7".into())
    );
    let s = show(d, "k8s/pod.yaml");
    assert_eq!(s["profile"], ("production".into(), "default".into()));
    // From below the config's directory, globs still match from its root.
    let f = findings(&run_in(&d.join("k8s/dev"), &["check", "--format", "json"]));
    let dev = codes_in(&f, "pod.yaml");
    assert!(
        !dev.is_empty() && !dev.contains(&"K8S040".into()),
        "{dev:?}"
    );
    // The command line wins over an override.
    let o = run_in(
        d,
        &[
            "check",
            "k8s/dev",
            "--kubernetes-version",
            "1.31",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    // Bad overrides are located errors.
    write(
        d,
        ".deploylint.yaml",
        "overrides:\n  - files: [\"k8s/[dev\"]\n    profile: development\n",
    );
    let o = run_in(d, &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(".deploylint.yaml:2:13"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("invalid glob"), "{}", stderr(&o));
    write(
        d,
        ".deploylint.yaml",
        "overrides:\n  - files: [\"k8s/**\"]\n",
    );
    let err = stderr(&run_in(d, &["check"]));
    assert!(err.contains("this override sets nothing"), "{err}");
    assert!(err.contains(".deploylint.yaml:2:5"), "{err}");
    write(
        d,
        ".deploylint.yaml",
        "overrides:\n  - files: [\"k8s/**\"]\n    ignore: [K8S9]\n",
    );
    let err = stderr(&run_in(d, &["check"]));
    assert!(err.contains("`K8S9` is no rule code"), "{err}");
    assert!(err.contains(".deploylint.yaml:3:14"), "{err}");
    write(
        d,
        ".deploylint.yaml",
        "overrides:\n  - profile: development\n",
    );
    let err = stderr(&run_in(d, &["check"]));
    assert!(err.contains("files"), "{err}");
}

/// `top` has the root config's `K8S040: off`, `nested` only its own
/// config's `K8S044: off` (the nearest config wins whole).
fn judged_by_root_and_nested(top: &[String], nested: &[String]) {
    let has = |v: &[String], c: &str| v.iter().any(|x| x == c);
    assert!(!has(top, "K8S040") && has(top, "K8S044"), "{top:?}");
    assert!(
        has(nested, "K8S040") && !has(nested, "K8S044"),
        "{nested:?}"
    );
}

/// The config is looked for from the deepest directory holding every named
/// path: the order of the paths does not matter, and a file is not judged
/// by the config of a sibling directory it is not in.
#[test]
fn named_paths_in_any_order_get_the_same_configs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, ".deploylint.yaml", "rules:\n  K8S040: off\n");
    write(d, "k8s/pod.yaml", POD);
    write(d, "legacy/k8s/pod.yaml", POD);
    write(d, "legacy/.deploylint.yaml", "rules:\n  K8S044: off\n");
    let a = findings(&run_in(
        d,
        &[
            "check",
            "--format",
            "json",
            "legacy/k8s/pod.yaml",
            "k8s/pod.yaml",
        ],
    ));
    let b = findings(&run_in(
        d,
        &[
            "check",
            "--format",
            "json",
            "k8s/pod.yaml",
            "legacy/k8s/pod.yaml",
        ],
    ));
    assert_eq!(a, b);
    let top = codes_in(&a, "k8s/pod.yaml");
    let legacy = codes_in(&a, "legacy/k8s/pod.yaml");
    // k8s/pod.yaml is judged by the root config, not by legacy/'s.
    judged_by_root_and_nested(&top, &legacy);
    // Alone, each gets the same as in the pair.
    let alone = findings(&run_in(d, &["check", "--format", "json", "k8s/pod.yaml"]));
    assert_eq!(codes_in(&alone, "k8s/pod.yaml"), top);
    let alone = findings(&run_in(
        d,
        &["check", "--format", "json", "legacy/k8s/pod.yaml"],
    ));
    assert_eq!(codes_in(&alone, "legacy/k8s/pod.yaml"), legacy);
}

#[test]
fn each_file_uses_its_nearest_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, ".deploylint.yaml", "rules:\n  K8S040: off\n");
    write(d, "k8s/pod.yaml", POD);
    write(d, "k8s/legacy/pod.yaml", POD);
    // Like ruff: the nearest config wins whole (the root's K8S040: off
    // does not apply below it)...
    write(d, "k8s/legacy/.deploylint.yaml", "rules:\n  K8S044: off\n");
    let f = findings(&run_in(d, &["check", "--format", "json"]));
    let top = codes_in(&f, "k8s/pod.yaml");
    let legacy = codes_in(&f, "k8s/legacy/pod.yaml");
    judged_by_root_and_nested(&top, &legacy);
    // The same when only the nested directory is named.
    let f = findings(&run_in(d, &["check", "k8s", "--format", "json"]));
    assert_eq!(codes_in(&f, "k8s/legacy/pod.yaml"), legacy);
    let o = run_in(
        d,
        &[
            "config",
            "--show",
            "k8s/legacy/pod.yaml",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["config"], "k8s/legacy/.deploylint.yaml");
    // ...unless it extends the root one.
    write(
        d,
        "k8s/legacy/.deploylint.yaml",
        "extends: ../../.deploylint.yaml\nrules:\n  K8S044: off\n",
    );
    let f = findings(&run_in(d, &["check", "--format", "json"]));
    let legacy = codes_in(&f, "k8s/legacy/pod.yaml");
    assert!(
        !legacy.contains(&"K8S040".into()) && !legacy.contains(&"K8S044".into()),
        "{legacy:?}"
    );
    // Discovery keys of a nested config apply when its directory is linted
    // on its own (it is then the root config), not from above.
    write(
        d,
        "k8s/legacy/.deploylint.yaml",
        "exclude: [\"pod.yaml\"]\n",
    );
    let f = findings(&run_in(d, &["check", "--format", "json"]));
    assert!(!codes_in(&f, "k8s/legacy/pod.yaml").is_empty());
    let o = run_in(&d.join("k8s/legacy"), &["check", "."]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("0 files checked"), "{out}");
    // --config uses that file for everything.
    let o = run_in(
        d,
        &["check", "--config", ".deploylint.yaml", "--format", "json"],
    );
    let legacy = codes_in(&findings(&o), "k8s/legacy/pod.yaml");
    assert!(!legacy.contains(&"K8S040".into()), "{legacy:?}");
}

#[test]
fn checkov_skips_map_through_aliases_and_no_inline_ignores_audits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "k8s/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    checkov.io/skip1: CKV_K8S_8=probes come from the service mesh\n    checkov.io/skip2: CKV_K8S_12\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27.0\n      # deploylint ignore=K8S002 -- memory capped by the namespace quota\n      resources: {}\n",
    );
    write(
        d,
        "Dockerfile",
        "FROM php:8.3-fpm-alpine\n#checkov:skip=CKV_DOCKER_2: Kubernetes probes, not HEALTHCHECK\nUSER www-data\n",
    );
    let args = [
        "check",
        "--select",
        "K8S040,K8S044,K8S002,DF019,S",
        "--format",
        "json",
    ];
    let f = findings(&run_in(d, &args));
    assert!(f.is_empty(), "{f:?}");
    // Audit: every suppression is ignored, every finding reported.
    let mut audit = args.to_vec();
    audit.push("--no-inline-ignores");
    let f = findings(&run_in(d, &audit));
    assert_eq!(codes_in(&f, "k8s/pod.yaml"), ["K8S002", "K8S040", "K8S044"]);
    assert_eq!(codes_in(&f, "Dockerfile"), ["DF019"]);
    // A Checkov skip of a check no rule claims suppresses nothing.
    write(
        d,
        "k8s/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    checkov.io/skip1: CKV_K8S_15=pull policy\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27.0\n",
    );
    let f = findings(&run_in(
        d,
        &["check", "k8s", "--select", "K8S040", "--format", "json"],
    ));
    assert_eq!(codes_in(&f, "k8s/pod.yaml"), ["K8S040"]);
}

#[test]
fn platform_guarantees_absorb_what_the_cluster_enforces() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "k8s/gitops/pod.yaml", POD);
    write(d, "k8s/pod.yaml", POD);
    write(
        d,
        ".deploylint.yaml",
        "rules:\n  K8S019: true\n  K8S017: true\nplatform:\n  drop-all-capabilities: true\noverrides:\n  - files: [\"k8s/gitops/**\"]\n    platform:\n      seccomp: RuntimeDefault\n      default-requests: true\n",
    );
    let sel = "K8S017,K8S019,K8S043,K8S044,K8S040";
    let f = findings(&run_in(d, &["check", "--select", sel, "--format", "json"]));
    assert_eq!(codes_in(&f, "k8s/gitops/pod.yaml"), ["K8S040"]);
    assert_eq!(
        codes_in(&f, "k8s/pod.yaml"),
        ["K8S019", "K8S040", "K8S043", "K8S044"]
    );
    let o = run_in(d, &["check", "--select", sel, "--statistics"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("2 findings absorbed by platform.default-requests"),
        "{out}"
    );
    assert!(
        out.contains("1 finding absorbed by platform.seccomp"),
        "{out}"
    );
    assert!(
        out.contains("2 findings absorbed by platform.drop-all-capabilities"),
        "{out}"
    );
    // SARIF lists what a guarantee absorbed as externally suppressed.
    let o = run_in(d, &["check", "--select", sel, "--output-format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let absorbed: Vec<(String, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .map(|r| {
            assert_eq!(r["suppressions"][0]["kind"], "external", "{r}");
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                r["suppressions"][0]["justification"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(absorbed.len(), 5, "{absorbed:?}");
    assert!(
        absorbed.contains(&(
            "K8S019".into(),
            "the cluster guarantees it (`platform: seccomp` in the configuration)".into()
        )),
        "{absorbed:?}"
    );
    let s = show(d, "k8s/gitops/pod.yaml");
    assert_eq!(s["platform.seccomp"].1, ".deploylint.yaml:9");
    assert_eq!(s["platform.drop-all-capabilities"].1, ".deploylint.yaml:5");
    // An unknown guarantee is a located error.
    write(
        d,
        ".deploylint.yaml",
        "platform:\n  seccom: RuntimeDefault\n",
    );
    let o = run_in(d, &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(".deploylint.yaml:2:3"),
        "{}",
        stderr(&o)
    );
}

/// A Deployment that runs Laravel with `APP_DEBUG=true` in production (X006,
/// a project rule over the deployment graph).
const DEBUG_DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app:1.0.0\n          env:\n            - name: APP_ENV\n              value: production\n            - name: APP_DEBUG\n              value: \"true\"\n";

/// (code, severity) of the X006 findings per path.
fn x006(f: &[(String, String, String)], path: &str) -> Vec<String> {
    f.iter()
        .filter(|(p, c, _)| p == path && c == "X006")
        .map(|(_, _, s)| s.clone())
        .collect()
}

/// Project (cross-file) rules are judged with the settings of the file a
/// finding is in, as file rules are: its profile from an override, its
/// levels from an override or its nearest config.
#[test]
fn project_findings_take_the_settings_of_their_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".deploylint.yaml",
        "overrides:\n  - files: [\"clusters/staging/**\"]\n    profile: development\n  - files: [\"clusters/eu/**\"]\n    rules:\n      X006: warning\n  - files: [\"clusters/us/**\"]\n    rules:\n      X006: off\n",
    );
    for c in ["live", "staging", "eu", "us", "legacy"] {
        write(d, &format!("clusters/{c}/deploy.yaml"), DEBUG_DEPLOY);
    }
    write(
        d,
        "clusters/legacy/.deploylint.yaml",
        "rules:\n  X006: info\n",
    );
    let o = run_in(d, &["check", "--format", "json"]);
    let f = findings(&o);
    assert_eq!(x006(&f, "clusters/live/deploy.yaml"), ["error"], "{f:?}");
    // The development profile of the override: X006 stays quiet there.
    assert!(x006(&f, "clusters/staging/deploy.yaml").is_empty(), "{f:?}");
    assert_eq!(x006(&f, "clusters/eu/deploy.yaml"), ["warning"], "{f:?}");
    assert!(x006(&f, "clusters/us/deploy.yaml").is_empty(), "{f:?}");
    assert_eq!(x006(&f, "clusters/legacy/deploy.yaml"), ["info"], "{f:?}");
    // The same file by file (pre-commit) and from below the root.
    for c in ["live", "staging", "eu", "us", "legacy"] {
        let path = format!("clusters/{c}/deploy.yaml");
        let alone = findings(&run_in(d, &["check", &path, "--format", "json"]));
        assert_eq!(x006(&alone, &path), x006(&f, &path), "{c} alone");
    }
    let below = findings(&run_in(
        &d.join("clusters/staging"),
        &["check", "--format", "json"],
    ));
    assert!(x006(&below, "deploy.yaml").is_empty(), "{below:?}");

    // A root config in development: an override back to production turns
    // the project rule on for those files only.
    write(
        d,
        ".deploylint.yaml",
        "profile: development\noverrides:\n  - files: [\"clusters/live/**\"]\n    profile: production\n",
    );
    let f = findings(&run_in(d, &["check", "--format", "json"]));
    assert_eq!(x006(&f, "clusters/live/deploy.yaml"), ["error"], "{f:?}");
    assert!(x006(&f, "clusters/eu/deploy.yaml").is_empty(), "{f:?}");
}

/// `exclude:`/`include:` globs are relative to the config's directory, also
/// when deploylint runs in a directory below it.
#[test]
fn exclusions_match_from_the_config_root_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".deploylint.yaml",
        "exclude: [\"k8s/generated/**\", \"k8s/app/skip.yaml\"]\n",
    );
    write(d, "k8s/app/pod.yaml", POD);
    write(d, "k8s/app/skip.yaml", POD);
    write(d, "k8s/generated/pod.yaml", POD);
    let checked = |o: &Output| -> Vec<String> {
        let mut v: Vec<String> = findings(o).into_iter().map(|(p, _, _)| p).collect();
        v.sort();
        v.dedup();
        v
    };
    let top = checked(&run_in(d, &["check", "--format", "json"]));
    assert_eq!(top, ["k8s/app/pod.yaml"]);
    // From k8s/: the walk, a named directory and a named file.
    let k8s = d.join("k8s");
    assert_eq!(
        checked(&run_in(&k8s, &["check", "--format", "json"])),
        ["app/pod.yaml"]
    );
    assert_eq!(
        checked(&run_in(
            &k8s,
            &["check", "generated", "app", "--format", "json"]
        )),
        ["app/pod.yaml"]
    );
    let o = run_in(
        &k8s.join("app"),
        &["check", "skip.yaml", "pod.yaml", "--format", "json"],
    );
    assert_eq!(checked(&o), ["pod.yaml"]);
    let o = run_in(
        &k8s.join("app"),
        &["check", "../generated", "--format", "json"],
    );
    assert!(checked(&o).is_empty(), "{:?}", checked(&o));
}
