//! The deployment graph end to end: what `deploylint graph` links in
//! projects shaped like real Laravel repositories, and that a file gets the
//! same findings whether it is linted alone (as pre-commit does), in a
//! subset, or with its whole workspace.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture projects: each has a `.deploylint.yaml` marking its root.
fn projects() -> Vec<PathBuf> {
    let mut out = vec![root().join("examples/laravel-k8s")];
    let dir = root().join("fixtures/projects");
    let mut more: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/projects")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    more.sort();
    out.extend(more);
    out
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deploylint"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run deploylint")
}

/// Findings of a `check --format json` run, by path (as the project root sees it).
fn findings(o: &Output, prefix: &str) -> BTreeMap<String, BTreeSet<String>> {
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("json output: {e}\n{}", String::from_utf8_lossy(&o.stderr)));
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().expect("diagnostics") {
        let path = format!("{prefix}{}", d["path"].as_str().unwrap_or(""));
        let line = d["range"]["start"]["line"].as_u64().unwrap_or(0);
        let key = format!(
            "{}:{line} {}",
            d["code"].as_str().unwrap_or(""),
            d["message"].as_str().unwrap_or("")
        );
        out.entry(path).or_default().insert(key);
    }
    out
}

/// The config files of a project, relative to its root (from `--verbose`).
fn files_of(project: &Path) -> Vec<String> {
    let o = run_in(project, &["check", ".", "--verbose", "--quiet"]);
    const KINDS: [&str; 8] = [
        "dockerfile",
        "php-fpm",
        "php-ini",
        "octane",
        "roadrunner",
        "kubernetes",
        "compose",
        "kustomization",
    ];
    // `path: kind` or `path: kind (why)`; skipped files say only why.
    let mut files: Vec<String> = String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter_map(|l| l.split_once(": "))
        .filter(|(_, rest)| {
            let kind = rest.split(' ').next().unwrap_or("");
            KINDS.contains(&kind) && !rest.ends_with("(context)")
        })
        .map(|(p, _)| p.to_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn graph_snapshots() {
    for project in projects() {
        let name = project.file_name().unwrap().to_string_lossy().into_owned();
        let o = run_in(&project, &["graph", "--format", "json"]);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let json = String::from_utf8(o.stdout).expect("utf-8");
        insta::assert_snapshot!(format!("graph-{name}"), json);
        let o = run_in(&project, &["graph"]);
        assert!(o.status.success());
        insta::assert_snapshot!(
            format!("graph-{name}-human"),
            String::from_utf8_lossy(&o.stdout)
        );
    }
}

#[test]
fn laravel_shop_links() {
    let o = run_in(
        &root().join("examples/laravel-k8s"),
        &["graph", "--format", "json"],
    );
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let workload = |name: &str| {
        g["workloads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["object"] == name)
            .unwrap_or_else(|| panic!("{name} in the graph"))
            .clone()
    };
    let web = workload("Deployment/shop-web");
    let fpm = &web["containers"][0];
    assert_eq!(fpm["process"]["kind"], "php-fpm");
    assert_eq!(fpm["dockerfile"]["target"], "docker/fpm/Dockerfile");
    assert_eq!(fpm["pools"][0]["target"], "docker/php-fpm/www.conf");
    assert_eq!(web["services"].as_array().unwrap().len(), 1);
    assert_eq!(web["hpas"].as_array().unwrap().len(), 1);
    assert_eq!(
        web["pdbs"][0]["target"],
        "PodDisruptionBudget/shop-web (deploy/k8s/pdb.yaml)"
    );
    let horizon = workload("Deployment/shop-horizon");
    assert_eq!(horizon["containers"][0]["process"]["kind"], "horizon");
    let api = workload("Deployment/shop-api");
    assert_eq!(api["containers"][0]["process"]["kind"], "octane");
    assert_eq!(
        api["containers"][0]["dockerfile"]["target"],
        "docker/octane/Dockerfile"
    );
    let scheduler = workload("CronJob/shop-scheduler");
    assert_eq!(scheduler["containers"][0]["process"]["kind"], "scheduler");
}

/// A file's findings are the same alone, in a subset, and in the whole
/// workspace: the other files are loaded as context either way.
#[test]
fn same_findings_alone_in_a_subset_and_in_the_workspace() {
    for project in projects() {
        let whole = findings(&run_in(&project, &["check", ".", "--format", "json"]), "");
        let files = files_of(&project);
        assert!(!files.is_empty(), "{}: no files", project.display());
        for f in &files {
            let alone = findings(&run_in(&project, &["check", f, "--format", "json"]), "");
            assert_eq!(
                alone.get(f),
                whole.get(f),
                "{}: `{f}` alone differs from the whole workspace",
                project.display()
            );
        }
        // Every other file, as a pre-commit batch would pass them.
        let subset: Vec<&str> = files.iter().step_by(2).map(String::as_str).collect();
        let mut args = vec!["check", "--format", "json"];
        args.extend(&subset);
        let some = findings(&run_in(&project, &args), "");
        for f in &subset {
            assert_eq!(
                some.get(*f),
                whole.get(*f),
                "{}: `{f}` in a subset",
                project.display()
            );
        }
        // From a subdirectory, with paths relative to it.
        if let Some(f) = files.iter().find(|f| f.contains('/')) {
            let (dir, name) = f.rsplit_once('/').expect("a directory");
            let prefix = format!("{dir}/");
            let from_sub = findings(
                &run_in(&project.join(dir), &["check", name, "--format", "json"]),
                &prefix,
            );
            assert_eq!(
                from_sub.get(f),
                whole.get(f),
                "{}: `{f}` from `{dir}`",
                project.display()
            );
        }
    }
}

/// pre-commit passes only the changed files: a commit touching only
/// `deploy.yaml` must not fail with "no PodDisruptionBudget" when the PDB
/// sits in `pdb.yaml` next to it.
#[test]
fn precommit_single_file_sees_the_pdb_next_to_it() {
    let project = root().join("fixtures/projects/precommit-pdb");
    let codes = |args: &[&str]| -> BTreeSet<String> {
        findings(&run_in(&project, args), "")
            .into_values()
            .flatten()
            .map(|k| k.split(':').next().unwrap_or("").to_owned())
            .collect()
    };
    assert!(!codes(&["check", "deploy.yaml", "--format", "json"]).contains("K8S053"));
    assert!(
        codes(&["check", "deploy.yaml", "--no-context", "--format", "json"]).contains("K8S053")
    );
    // The context is never reported on.
    let o = run_in(
        &project,
        &[
            "check",
            "deploy.yaml",
            "--format",
            "json",
            "--select",
            "K8S",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["path"] == "deploy.yaml")
    );
}

/// A php-fpm pool split over two files of one `php-fpm.d/` (the official
/// image's layout): linting `www.conf` alone sees `zz-health.conf`.
#[test]
fn split_pool_is_one_pool_when_linted_alone() {
    let project = root().join("fixtures/projects/fpm-split-pool");
    for (dir, file) in [
        (project.clone(), "php-fpm.d/www.conf"),
        (project.join("php-fpm.d"), "www.conf"),
    ] {
        let codes: BTreeSet<String> =
            findings(&run_in(&dir, &["check", file, "--format", "json"]), "")
                .into_values()
                .flatten()
                .map(|k| k.split(':').next().unwrap_or("").to_owned())
                .collect();
        for code in ["FPM004", "FPM005", "FPM006", "FPM007"] {
            assert!(!codes.contains(code), "{code} from {}", dir.display());
        }
    }
}

/// The seeds' proof of concept (`fixtures/projects/poc`: php-fpm and Swoole
/// images, pool, php.ini, Octane config, manifests for fpm, Swoole, a queue
/// worker and the scheduler) carries one deliberate fault per cross-file
/// rule; its twin `poc-clean` corrects each and every X rule is quiet. Both
/// are snapshots in the human and JSON formats.
#[test]
fn poc_has_every_cross_file_fault_and_its_twin_none() {
    let args = ["check", ".", "--select", "X,K8S058", "--no-color"];
    for (name, expect_all) in [("poc", true), ("poc-clean", false)] {
        let dir = root().join("fixtures/projects").join(name);
        let human = run_in(&dir, &args);
        insta::assert_snapshot!(
            format!("poc-x-rules-{name}-human"),
            String::from_utf8_lossy(&human.stdout)
        );
        let mut json_args = args.to_vec();
        json_args.extend(["--format", "json"]);
        let json = run_in(&dir, &json_args);
        let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
        let codes: BTreeSet<String> = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("").to_owned())
            .collect();
        insta::assert_snapshot!(
            format!("poc-x-rules-{name}-json"),
            serde_json::to_string_pretty(&report["diagnostics"]).expect("json")
        );
        if expect_all {
            for n in 1..=19 {
                let code = format!("X{n:03}");
                assert!(codes.contains(&code), "{name}: {code} does not fire");
            }
            assert_eq!(human.status.code(), Some(1));
        } else {
            assert!(codes.is_empty(), "{name}: {codes:?}");
            assert_eq!(human.status.code(), Some(0));
        }
    }
}
