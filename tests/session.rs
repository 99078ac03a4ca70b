//! The Session engine: editing one file of a workspace re-parses that file
//! only, re-runs the project rules whose inputs changed, and updates the
//! findings of the other files the edit affects.

use deploylint::config::Config;
use deploylint::engine::{LintOptions, Session};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// A session over in-memory files, with the default config and options.
fn session_of(texts: &[(&str, &str)]) -> Session {
    Session::from_texts(
        Config::with_defaults(PathBuf::from(".")),
        LintOptions::default(),
        texts,
    )
}

fn deployment(i: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  namespace: ns{i}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {{app: app{i}}}\n  template:\n    metadata:\n      labels: {{app: app{i}}}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/acme/app{i}:1.0.{i}\n"
    )
}

fn pdb(i: usize) -> String {
    format!(
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: app{i}\n  namespace: ns{i}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {{app: app{i}}}\n"
    )
}

/// 200 files: 50 apps with a Deployment, a PDB, a Dockerfile and a pool.
fn workspace() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for i in 0..50 {
        files.push((format!("app{i}/k8s/deploy.yaml"), deployment(i)));
        files.push((format!("app{i}/k8s/pdb.yaml"), pdb(i)));
        files.push((
            format!("app{i}/Dockerfile"),
            "FROM php:8.3-fpm-alpine\nCOPY www.conf /usr/local/etc/php-fpm.d/www.conf\nUSER www-data\n".to_owned(),
        ));
        files.push((
            format!("app{i}/www.conf"),
            "[www]\npm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\n".to_owned(),
        ));
    }
    files
}

fn codes_in(session: &mut Session, path: &str) -> BTreeSet<String> {
    let id = session.file_id(path).expect("file in session");
    let (diagnostics, _) = session.check();
    diagnostics
        .iter()
        .filter(|d| d.file == id)
        .map(|d| d.code.to_string())
        .collect()
}

#[test]
fn editing_one_file_reparses_only_that_file() {
    let files = workspace();
    assert_eq!(files.len(), 200);
    let texts: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut session = session_of(&texts).keep_documents(true);
    let (first, _) = session.check();
    assert_eq!(session.stats().parses, 200);
    assert!(
        !first.iter().any(|d| d.code == "K8S053"),
        "every app has its PDB"
    );
    let runs_after_first = session.stats().project_rule_runs;
    assert!(runs_after_first > 0);

    // Checking again with no change does nothing.
    let (again, _) = session.check();
    assert_eq!(session.stats().parses, 200);
    assert_eq!(session.stats().project_rule_runs, runs_after_first);
    assert_eq!(again.len(), first.len());

    // Break one PDB's selector: only that file is parsed again, and the
    // Deployment in another file now lacks a PDB.
    assert!(session.update(
        "app7/k8s/pdb.yaml",
        pdb(7).replace("matchLabels: {app: app7}", "matchLabels: {app: other}")
    ));
    let codes = codes_in(&mut session, "app7/k8s/deploy.yaml");
    assert_eq!(session.stats().parses, 201);
    assert!(codes.contains("K8S053"), "{codes:?}");
    assert!(
        codes_in(&mut session, "app8/k8s/deploy.yaml")
            .iter()
            .all(|c| c != "K8S053")
    );

    // A php-fpm edit re-runs the php-fpm project rules, not the Kubernetes-only ones.
    let before = session.stats().project_rule_runs;
    assert!(session.update(
        "app3/www.conf",
        "[www]\npm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\npm.max_requests = 500\n".to_owned()
    ));
    let codes = codes_in(&mut session, "app3/www.conf");
    assert_eq!(session.stats().parses, 202);
    assert!(!codes.contains("FPM004"), "{codes:?}");
    assert!(codes_in(&mut session, "app4/www.conf").contains("FPM004"));
    let reran = session.stats().project_rule_runs - before;
    assert!(
        reran > 0 && reran < runs_after_first,
        "{reran} of {runs_after_first}"
    );

    // Fixing the PDB again restores the first verdicts.
    assert!(session.update("app7/k8s/pdb.yaml", pdb(7)));
    assert!(!codes_in(&mut session, "app7/k8s/deploy.yaml").contains("K8S053"));
    assert_eq!(session.stats().parses, 203);
}

#[test]
fn removed_files_stop_counting() {
    let files = workspace();
    let texts: Vec<(&str, &str)> = files
        .iter()
        .take(8)
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut session = session_of(&texts);
    assert!(!codes_in(&mut session, "app0/k8s/deploy.yaml").contains("K8S053"));
    assert!(session.remove("app0/k8s/pdb.yaml"));
    assert!(codes_in(&mut session, "app0/k8s/deploy.yaml").contains("K8S053"));
}

/// The pool rules read the pools' facts: after a run no php-fpm document is
/// kept (only the facts), and the findings that need the whole include set
/// (a pool split over two files) are still made.
#[test]
fn php_fpm_documents_are_dropped_and_pool_rules_still_report() {
    let texts = [
        (
            "docker/php-fpm.d/www.conf",
            "[www]\npm = dynamic\npm.max_children = 5\npm.start_servers = 2\npm.min_spare_servers = 1\npm.max_spare_servers = 3\n",
        ),
        (
            "docker/php-fpm.d/zz-app.conf",
            "[www]\npm.max_requests = 0\nrequest_terminate_timeout = 60s\n",
        ),
        ("docker/php.ini", "memory_limit = 256M\n"),
    ];
    let mut session = session_of(&texts);
    let www = codes_in(&mut session, "docker/php-fpm.d/www.conf");
    let app = codes_in(&mut session, "docker/php-fpm.d/zz-app.conf");
    // `pm.max_requests = 0` is read across the set and reported where it is.
    assert!(app.contains("FPM004"), "{app:?}");
    assert!(!www.contains("FPM004"), "{www:?}");
    // `request_terminate_timeout` set in the other file counts for the pool.
    assert!(!www.contains("FPM007"), "{www:?}");
    for (path, _) in &texts[..2] {
        let id = session.file_id(path).expect("in session");
        assert!(
            session.files()[id].document.as_fpm().is_none(),
            "{path}: document kept"
        );
        assert!(session.facts()[id].fpm().is_some(), "{path}: no facts");
    }
}

/// Every file of `dir` (recursively) as (path under `prefix`, text).
fn texts_under(dir: &std::path::Path, prefix: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read fixture dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        if p.is_dir() {
            texts_under(&p, &format!("{prefix}{name}/"), out);
        } else if let Ok(text) = std::fs::read_to_string(&p) {
            out.push((format!("{prefix}{name}"), text));
        }
    }
}

/// The built-in project rules read facts only: after a one-shot run no parsed
/// document is kept, and the findings are the ones a session that keeps every
/// document (the editor server) makes, over a project with every kind of file
/// a project rule reads (pools split over files, OPcache ini files, a
/// `.rr.yaml`, a kustomization generating a Secret from a dotenv file).
#[test]
fn no_document_is_kept_and_the_findings_do_not_depend_on_it() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    texts_under(&root.join("examples/laravel-k8s"), "", &mut files);
    texts_under(&root.join("fixtures/rules/K8S059/fail"), "kz/", &mut files);
    texts_under(&root.join("fixtures/rules/OCT026/fail"), "rr/", &mut files);
    texts_under(&root.join("fixtures/rules/INI011"), "ini011/", &mut files);
    texts_under(&root.join("fixtures/rules/INI013"), "ini013/", &mut files);
    files.push((
        "fpm/php-fpm.d/zz-app.conf".into(),
        "[www]\npm.max_requests = 0\nslowlog = /proc/self/fd/2\n".into(),
    ));
    files.push((
        "fpm/php-fpm.d/www.conf".into(),
        "[www]\npm = dynamic\npm.max_children = 5\n".into(),
    ));
    let texts: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let findings = |keep: bool| {
        let mut session = session_of(&texts).keep_documents(keep);
        let (diagnostics, _) = session.check();
        let found: Vec<String> = diagnostics
            .iter()
            .map(|d| {
                let path = &session.files()[d.file].source.path;
                format!(
                    "{path}:{}:{} {} {}",
                    d.span.start, d.span.end, d.code, d.message
                )
            })
            .collect();
        (session, found)
    };
    let (kept, with_documents) = findings(true);
    let (dropped, with_facts) = findings(false);
    assert_eq!(with_documents, with_facts);
    for code in ["FPM004", "INI011", "OCT026", "K8S059"] {
        assert!(
            with_facts.iter().any(|f| f.contains(&format!(" {code} "))),
            "no {code} in {with_facts:#?}"
        );
    }
    let mut facts = 0;
    for (f, k) in dropped.files().iter().zip(kept.files()) {
        assert!(
            matches!(f.document, deploylint::parse::Document::Unparsed),
            "{}: document kept",
            f.source.path
        );
        if !matches!(dropped.facts()[f.id], deploylint::project::FileFacts::None) {
            facts += 1;
        }
        assert_eq!(f.source.path, k.source.path);
    }
    assert!(facts > 20, "{facts} files with facts");
}
