//! The pre-commit hooks as users get them: `.pre-commit-hooks.yaml` selects
//! exactly the files the CLI detects by name, and a real `pre-commit try-repo`
//! run on a throwaway repository finds the mistakes, passes once they are
//! fixed, and gives no cross-file false positive when a commit touches one
//! file of a deployment split over several.
//!
//! The try-repo test needs `pre-commit` on PATH (`.ci/run` installs it into a
//! venv and sets `DEPLOYLINT_REQUIRE_PRECOMMIT=1`, which turns a missing
//! `pre-commit` into a failure instead of a skip).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The hooks' `files` and `exclude` patterns, read from the manifest.
fn hook_patterns() -> Vec<(String, regex::Regex, regex::Regex)> {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks file");
    let quoted = |line: &str| -> Option<String> {
        let start = line.find('\'')?;
        let end = line.rfind('\'')?;
        (end > start).then(|| line[start + 1..end].replace("''", "'"))
    };
    let mut files = None;
    let mut exclude = None;
    let mut hooks = Vec::new();
    let mut id = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("- id: ") {
            id = rest.trim().to_owned();
        } else if let Some(rest) = t.strip_prefix("files: ") {
            if let Some(p) = quoted(rest) {
                files = Some(p);
            }
            let files = files.clone().expect("files pattern before its alias");
            hooks.push((id.clone(), files));
        } else if let Some(rest) = t.strip_prefix("exclude: ") {
            if let Some(p) = quoted(rest) {
                exclude = Some(p);
            }
        }
    }
    let exclude = exclude.expect("an exclude pattern");
    assert_eq!(hooks.len(), 3, "three hook ids, each with a files pattern");
    hooks
        .into_iter()
        .map(|(id, f)| {
            (
                id,
                regex::Regex::new(&f).expect("files regex"),
                regex::Regex::new(&exclude).expect("exclude regex"),
            )
        })
        .collect()
}

fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            if e.file_name() != ".git" && e.file_name() != "target" {
                walk(&p, base, out);
            }
        } else if let Ok(rel) = p.strip_prefix(base) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Names that must agree: hand-picked edge cases, every file of the
/// fixtures and examples, and the real-world corpus when it is present.
fn sample_paths() -> Vec<String> {
    let mut names: Vec<String> = [
        "Dockerfile",
        "dockerfile",
        "Dockerfile.prod",
        "Dockerfile-prod",
        "Dockerfile_fpm",
        "app.Dockerfile",
        "docker/php/Containerfile",
        "Dockerfile.dockerignore",
        "Dockerfile.md",
        "Dockerfile~",
        "php.ini",
        "php.ini-production",
        "php.ini.dist",
        "docker/php/conf.d/opcache.ini",
        "php-fpm.conf",
        "php-fpm.conf.default",
        "www.conf",
        "www.conf.default",
        "php-fpm.d/zz-docker.conf",
        "config/octane.php",
        "octane.php",
        "config/app.php",
        ".rr.yaml",
        ".rr.dev.yml",
        "docker-compose.yml",
        "compose.override.yaml",
        "deploy/k8s/web.yaml",
        "deploy/k8s/list.json",
        "deploy/k8s/web.yaml.snap",
        "README.md",
        "src/main.rs",
        "composer.json",
        "Makefile",
        ".env",
        ".env.production",
        ".env.example",
        ".env.php",
        "config/.env.local.js",
        "Caddyfile",
        "docker/frankenphp/Caddyfile.prod",
        "worker.Caddyfile",
        "etc/nginx/sites-available/default",
        "etc/nginx/sites-enabled/example.com",
        "etc/nginx/sites-enabled/.hidden",
        "docker/nginx/default.conf",
        "routes/web.php",
        "routes/admin/web.php",
        "bootstrap/app.php",
        "bootstrap/providers.php",
        "app/Providers/RouteServiceProvider.php",
        "routes/web.php.orig",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for dir in ["fixtures", "examples"] {
        walk(&root().join(dir), &root(), &mut names);
    }
    let realworld = root().join("../shared/realworld");
    walk(&realworld, &realworld, &mut names);
    names
}

#[test]
fn hook_patterns_match_the_names_the_cli_detects() {
    let hooks = hook_patterns();
    let mut wrong = Vec::new();
    for path in sample_paths() {
        let cli = deploylint::discover::guess_by_name(Path::new(&path)).is_some();
        for (id, files, exclude) in &hooks {
            let hook = files.is_match(&path) && !exclude.is_match(&path);
            if hook != cli {
                wrong.push(format!(
                    "{id}: {path}: hook selects it: {hook}, CLI detects it: {cli}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn docker_hook_image_tag_is_the_crate_version() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks file");
    let want = format!(
        "ghcr.io/deploylint/deploylint:{} check",
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        text.contains(&want),
        "the docker_image hook must run the image of this version: `{want}`"
    );
    for line in text.lines().filter(|l| l.trim_start().starts_with("- id:")) {
        let id = line.trim_start().trim_start_matches("- id:").trim();
        assert!(!id.is_empty());
    }
    let serial = text.matches("require_serial: true").count();
    assert_eq!(serial, 3, "every hook id runs serially");
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn pre_commit_available() -> bool {
    Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn try_repo(dir: &Path, extra: &[&str]) -> Output {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_deploylint"));
    let bin_dir = bin.parent().expect("bin dir").to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    Command::new("pre-commit")
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("PRE_COMMIT_HOME", dir.join(".pre-commit-home"))
        .args(["try-repo", &root().to_string_lossy(), "deploylint-system"])
        .args(extra)
        .output()
        .expect("run pre-commit")
}

const BAD_DEPLOY: &str = "apiVersion: apps/v1
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
          image: registry.example.com/shop/web:latest
";

const GOOD_DEPLOY: &str = "apiVersion: apps/v1
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
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: app
          image: registry.example.com/shop/web:1.4.2
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
          livenessProbe:
            httpGet: {path: /up, port: 8080}
          lifecycle:
            preStop:
              sleep: {seconds: 5}
          resources:
            requests: {cpu: 100m, memory: 256Mi}
            limits: {memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
";

const PDB: &str = "apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
";

#[test]
fn pre_commit_try_repo_finds_fixes_and_respects_split_deployments() {
    if !pre_commit_available() {
        assert!(
            std::env::var_os("DEPLOYLINT_REQUIRE_PRECOMMIT").is_none(),
            "DEPLOYLINT_REQUIRE_PRECOMMIT is set but `pre-commit` is not on PATH"
        );
        eprintln!("note: pre-commit not installed, try-repo test skipped");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    git(repo, &["init", "-q"]);
    std::fs::create_dir_all(repo.join("deploy")).expect("mkdir");
    std::fs::write(repo.join("deploy/web.yaml"), BAD_DEPLOY).expect("write");
    std::fs::write(repo.join("deploy/pdb.yaml"), PDB).expect("write");
    std::fs::write(repo.join("README.md"), "# shop\n").expect("write");
    git(repo, &["add", "-A"]);

    // 1. The mistakes are found.
    let o = try_repo(repo, &["--all-files"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "hook must fail:\n{out}");
    assert!(
        out.contains("K8S001") && out.contains("deploy/web.yaml"),
        "expected the `:latest` finding in deploy/web.yaml:\n{out}"
    );

    // 2. Fixed, the hook passes.
    std::fs::write(repo.join("deploy/web.yaml"), GOOD_DEPLOY).expect("write");
    git(repo, &["add", "-A"]);
    let o = try_repo(repo, &["--all-files"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        o.status.code(),
        Some(0),
        "hook must pass once fixed:\n{out}"
    );

    // 3. A commit touching only the Deployment: its PDB is in another file
    //    pre-commit does not pass, and must still be seen (no K8S053).
    git(repo, &["commit", "-q", "-m", "deploy"]);
    std::fs::write(
        repo.join("deploy/web.yaml"),
        GOOD_DEPLOY.replace("replicas: 2", "replicas: 3"),
    )
    .expect("write");
    git(repo, &["add", "deploy/web.yaml"]);
    let o = try_repo(repo, &[]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(!out.contains("K8S053"), "false cross-file finding:\n{out}");
    assert_eq!(
        o.status.code(),
        Some(0),
        "one-file commit must pass:\n{out}"
    );
    assert!(
        out.contains("Passed"),
        "the hook ran on the staged file:\n{out}"
    );
}
