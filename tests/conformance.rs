//! Conformance with the labeled fixtures of kube-linter and Polaris in
//! `../shared/conformance` (see its README): every label whose upstream check
//! maps to one of our rules is linted with only that rule selected, and must
//! agree at the label's level (whole file, or one object `doc#N Kind/name`).
//! Disagreements are either fixed or listed in `ALLOWED` with the reason,
//! which the rule's catalog entry explains too. Run with `--nocapture` to see
//! the per-rule agreement table. Skips (with a note) when the folder is absent.

use deploylint::catalog::catalog;
use deploylint::config::Config;
use deploylint::discover::NameGuess;
use deploylint::engine::{Input, LintOptions, lint};
use deploylint::parse::yaml;
use deploylint::source::FileKind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Upstream check -> our rule codes. A label agrees when, for `fail`, at
/// least one of them fires, and for `pass`, none does.
const MAP: &[(&str, &[&str])] = &[
    ("polaris/tagNotSpecified", &["K8S001"]),
    ("kube-linter/latest-tag", &["K8S001"]),
    ("polaris/memoryLimitsMissing", &["K8S002"]),
    ("kube-linter/unset-memory-requirements", &["K8S002"]),
    ("polaris/runAsRootAllowed", &["K8S010"]),
    ("kube-linter/run-as-non-root", &["K8S010"]),
    ("polaris/runAsPrivileged", &["K8S011"]),
    ("kube-linter/privileged-container", &["K8S011"]),
    ("kube-linter/scc-deny-privileged-container", &["K8S011"]),
    ("polaris/privilegeEscalationAllowed", &["K8S012"]),
    ("kube-linter/privilege-escalation-container", &["K8S012"]),
    ("polaris/notReadOnlyRootFilesystem", &["K8S013"]),
    ("kube-linter/no-read-only-root-fs", &["K8S013"]),
    ("polaris/dangerousCapabilities", &["K8S014"]),
    ("kube-linter/drop-net-raw-capability", &["K8S014"]),
    ("polaris/hostPathSet", &["K8S015"]),
    ("kube-linter/docker-sock", &["K8S015"]),
    ("kube-linter/sensitive-host-mounts", &["K8S015"]),
    ("kube-linter/writable-host-mount", &["K8S015"]),
    ("polaris/sensitiveContainerEnvVar", &["K8S016"]),
    ("kube-linter/env-var-secret", &["K8S016"]),
    ("polaris/insecureCapabilities", &["K8S017"]),
    ("polaris/hostNetworkSet", &["K8S018"]),
    ("polaris/hostPIDSet", &["K8S018"]),
    ("polaris/hostIPCSet", &["K8S018"]),
    ("kube-linter/host-network", &["K8S018"]),
    ("kube-linter/host-pid", &["K8S018"]),
    ("kube-linter/host-ipc", &["K8S018"]),
    ("polaris/automountServiceAccountToken", &["K8S020"]),
    ("polaris/sensitiveConfigmapContent", &["K8S021"]),
    ("polaris/hostPortSet", &["K8S024"]),
    ("polaris/procMount", &["K8S025"]),
    ("kube-linter/unsafe-proc-mount", &["K8S025"]),
    // Reliability rules.
    ("polaris/livenessProbeMissing", &["K8S040"]),
    ("kube-linter/no-liveness-probe", &["K8S040"]),
    ("polaris/readinessProbeMissing", &["K8S041"]),
    ("kube-linter/no-readiness-probe", &["K8S041"]),
    ("polaris/cpuRequestsMissing", &["K8S043"]),
    ("kube-linter/unset-cpu-requirements", &["K8S043"]),
    ("polaris/memoryRequestsMissing", &["K8S044"]),
    ("polaris/cpuLimitsMissing", &["K8S045"]),
    ("kube-linter/liveness-port", &["K8S046"]),
    ("kube-linter/readiness-port", &["K8S046"]),
    ("kube-linter/startup-port", &["K8S046"]),
];

/// Upstream checks with no rule of ours, and why.
const UNMAPPED: &[(&str, &str)] = &[
    (
        "polaris/pullPolicyNotAlways",
        "opposite policy: K8S023 notes `imagePullPolicy: Always` (pin tags instead)",
    ),
    (
        "kube-linter/read-secret-from-env-var",
        "flags secretKeyRef use, which K8S016 recommends",
    ),
    (
        "kube-linter/default-service-account",
        "no rule: the default ServiceAccount without RBAC grants is harmless; K8S020 covers its token",
    ),
    (
        "kube-linter/privileged-ports",
        "no rule: containerPort < 1024 needs NET_BIND_SERVICE, which K8S014/K8S017 already cover",
    ),
];

/// Known disagreements: (path, object label, code, reason). Each reason is
/// also in the rule's catalog rationale (`Conformance:`).
const ALLOWED: &[(&str, &str, &str, &str)] = &[
    (
        "k8s/kube-linter/docker-sock.yml",
        "doc#0 Deployment/dont-fire",
        "K8S015",
        "K8S015 reports every hostPath (here `/var/run/thing.sock`); docker-sock only the Docker socket",
    ),
    (
        "k8s/kube-linter/docker-sock.yml",
        "doc#1 DeploymentConfig/dont-fire",
        "K8S015",
        "K8S015 reports every hostPath (here `/var/run/thing.sock`); docker-sock only the Docker socket",
    ),
    (
        "k8s/polaris/sensitiveConfigmapContent/failure.key_aws_secret_access_key.yaml",
        "*",
        "K8S021",
        "the only value is `xxxxx`, a placeholder to the shared secret detector",
    ),
    (
        "k8s/polaris/sensitiveConfigmapContent/failure.key_azure_batch_key.yaml",
        "*",
        "K8S021",
        "`AZURE_BATCH_KEY: xxxxx`: name not secret-like to the shared detector, value a placeholder",
    ),
    (
        "k8s/polaris/sensitiveConfigmapContent/failure.key_oci_cli_key_content.yaml",
        "*",
        "K8S021",
        "`OCI_CLI_KEY_CONTENT: xxxxx`: name not secret-like to the shared detector, value a placeholder",
    ),
    (
        "k8s/polaris/readinessProbeMissing/failure.yaml",
        "*",
        "K8S041",
        "a Pod with no Service and no declared port receives no traffic: readiness would gate nothing",
    ),
    (
        "k8s/kube-linter/no-readiness-probe.yml",
        "* (whole file)",
        "K8S041",
        "no Service and no declared ports in the file: readiness would gate nothing (workers are not asked)",
    ),
];

#[derive(Debug)]
struct Label {
    path: String,
    check: String,
    expect_fail: bool,
    object: Option<(usize, String)>,
    object_text: String,
    /// Upstream's exact report count for the file, when it states one.
    exact_count: Option<usize>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance")
}

fn labels(dir: &Path) -> Vec<Label> {
    let text = std::fs::read_to_string(dir.join("LABELS.tsv")).expect("read LABELS.tsv");
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 {
            continue;
        }
        let object_text = cols[4].trim().to_owned();
        let object = object_text.strip_prefix("doc#").map(|rest| {
            let (n, what) = rest.split_once(' ').unwrap_or((rest, ""));
            (
                n.parse::<usize>().expect("doc index"),
                what.trim().to_owned(),
            )
        });
        out.push(Label {
            path: cols[0].to_owned(),
            check: cols[1].to_owned(),
            expect_fail: cols[2] == "fail",
            object,
            object_text,
            exact_count: cols.get(5).and_then(|c| c.trim().parse().ok()),
        });
    }
    out
}

/// How often `code` fires on the label's file or object.
fn fires(dir: &Path, label: &Label, code: &str) -> usize {
    let path = dir.join(&label.path);
    let text = std::fs::read_to_string(&path).expect("read fixture");
    let config = Config::with_defaults(PathBuf::from("."));
    let opts = LintOptions {
        select: vec![code.to_owned()],
        ..LintOptions::default()
    };
    let input = Input {
        display: label.path.clone(),
        path: None,
        guess: NameGuess::Kind(FileKind::Kubernetes),
        text: Some(Ok(text.clone())),
    };
    let result = lint(vec![input], &config, &opts);
    let hits: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect();
    let Some((index, what)) = &label.object else {
        return hits.len();
    };
    let parsed = yaml::parse(&text);
    let doc = parsed
        .documents
        .iter()
        .find(|d| d.index == *index)
        .unwrap_or_else(|| panic!("{}: no document #{index}", label.path));
    let kind = doc.root.str_at(&["kind"]).unwrap_or("");
    let name = doc.root.str_at(&["metadata", "name"]).unwrap_or("");
    assert_eq!(
        format!("{kind}/{name}"),
        *what,
        "{}: label names another object",
        label.path
    );
    let span = doc.root.span;
    hits.iter()
        .filter(|d| span.start <= d.span.start && d.span.start <= span.end)
        .count()
}

#[derive(Default)]
struct Tally {
    labels: usize,
    agree: usize,
    allowed: usize,
    checks: Vec<String>,
}

#[test]
fn conformance_labels() {
    let dir = root();
    if !dir.join("LABELS.tsv").is_file() {
        println!("conformance: {} is absent; skipped", dir.display());
        return;
    }
    let cat = catalog();
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut not_implemented: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut used_allowances = Vec::new();
    let mut counts: Vec<(String, String, usize, usize)> = Vec::new();

    for label in labels(&dir) {
        let Some((_, codes)) = MAP.iter().find(|(c, _)| *c == label.check) else {
            *unmapped.entry(label.check.clone()).or_default() += 1;
            assert!(
                UNMAPPED.iter().any(|(c, _)| *c == label.check),
                "{}: upstream check is neither mapped nor listed in UNMAPPED",
                label.check
            );
            continue;
        };
        let implemented: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| cat.get(c).is_some())
            .collect();
        for c in codes.iter().filter(|c| cat.get(c).is_none()) {
            let checks = not_implemented.entry((*c).to_owned()).or_default();
            if !checks.contains(&label.check) {
                checks.push(label.check.clone());
            }
        }
        if implemented.is_empty() {
            continue;
        }
        let key = implemented.join("+");
        let found: usize = implemented.iter().map(|c| fires(&dir, &label, c)).sum();
        let fired = found > 0;
        // Counts are informational: upstream counts reports per its own check.
        if let (Some(n), None) = (label.exact_count, &label.object) {
            counts.push((label.path.clone(), key.clone(), found, n));
        }
        let t = tally.entry(key.clone()).or_default();
        t.labels += 1;
        if !t.checks.contains(&label.check) {
            t.checks.push(label.check.clone());
        }
        let allowance = ALLOWED.iter().find(|(p, o, c, _)| {
            *p == label.path && *o == label.object_text && implemented.contains(c)
        });
        if fired == label.expect_fail {
            t.agree += 1;
            if let Some(a) = allowance {
                failures.push(format!(
                    "{} {} {}: agrees now; remove it from ALLOWED ({})",
                    a.0, a.1, a.2, a.3
                ));
            }
        } else if let Some(a) = allowance {
            t.allowed += 1;
            used_allowances.push(a);
        } else {
            failures.push(format!(
                "{} [{}] {}: expected {}, {key} {}",
                label.path,
                label.object_text,
                label.check,
                if label.expect_fail { "fail" } else { "pass" },
                if fired { "fired" } else { "stayed quiet" }
            ));
        }
    }

    println!("\nconformance agreement per rule (labels agreeing / labels)");
    println!(
        "{:<8} {:>6} {:>7} {:>8}  upstream checks",
        "rule", "agree", "labels", "allowed"
    );
    let (mut all_agree, mut all_labels) = (0, 0);
    for (code, t) in &tally {
        all_agree += t.agree;
        all_labels += t.labels;
        println!(
            "{code:<8} {:>6} {:>7} {:>8}  {}",
            t.agree,
            t.labels,
            t.allowed,
            t.checks.join(", ")
        );
    }
    println!("{:<8} {all_agree:>6} {all_labels:>7}", "total");
    for (code, checks) in &not_implemented {
        println!(
            "{code:<8} not implemented (labels skipped): {}",
            checks.join(", ")
        );
    }
    for (check, n) in &unmapped {
        let why = UNMAPPED
            .iter()
            .find(|(c, _)| c == check)
            .map_or("", |(_, w)| w);
        println!("unmapped {check} ({n} labels): {why}");
    }
    let same = counts.iter().filter(|c| c.2 == c.3).count();
    println!(
        "finding counts (informational): {same} of {} whole-file labels with an upstream count match",
        counts.len()
    );
    for (path, code, ours, theirs) in counts.iter().filter(|c| c.2 != c.3) {
        println!("  {path}: {code} {ours}, upstream {theirs}");
    }
    for a in &used_allowances {
        println!("allowed  {} {} {}: {}", a.0, a.1, a.2, a.3);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
