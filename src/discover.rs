//! Which files to lint, and what kind each one is.
//!
//! Directories are walked with the `ignore` crate (.gitignore, .ignore, hidden
//! directories skipped); files named on the command line bypass ignore files.
//! A kind is decided by name and path when they are conclusive, otherwise by a
//! cheap look at the content (`*.yaml` with `apiVersion` and `kind`, ...).

use crate::config::Config;
use crate::source::FileKind;
use std::path::{Path, PathBuf};

/// What the name alone says about a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameGuess {
    Kind(FileKind),
    /// `*.yaml`/`*.yml`: Kubernetes if its documents have `apiVersion` and `kind`.
    Yaml,
    /// `*.conf`: php-fpm if it has pool/global sections and fpm directives.
    Conf,
    /// `*.ini`: php.ini if it sets PHP directives.
    Ini,
}

#[derive(Clone, Debug)]
pub struct Candidate {
    pub path: PathBuf,
    /// The path as printed.
    pub display: String,
    pub guess: NameGuess,
}

/// Problems met while walking (unreadable directories, missing paths).
#[derive(Debug)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

pub fn walk(paths: &[PathBuf], config: &Config) -> (Vec<Candidate>, Vec<WalkError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                errors.push(WalkError {
                    path: root.display().to_string(),
                    message: format!("cannot read path: {e}"),
                });
                continue;
            }
        };
        if !meta.is_file() && !meta.is_dir() {
            // FIFOs, devices, sockets: reading could block or never end.
            errors.push(WalkError {
                path: root.display().to_string(),
                message: "not a regular file or directory (a FIFO, device or socket); not read"
                    .into(),
            });
            continue;
        }
        if let Some(why) = refused_symlink(root, config) {
            errors.push(WalkError {
                path: root.display().to_string(),
                message: why,
            });
            continue;
        }
        if meta.is_file() {
            if !config.is_excluded(root) {
                // Named explicitly: linted whatever its name, if its content says what it is.
                let guess = guess(root, config).unwrap_or(NameGuess::Yaml);
                out.push(candidate(root, guess));
            }
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .filter_entry(|e| {
                // Skip hidden directories (.git, .github...), keep hidden files (.rr.yaml).
                let hidden_dir = e.depth() > 0
                    && e.file_type().is_some_and(|t| t.is_dir())
                    && e.file_name().to_str().is_some_and(|n| n.starts_with('.'));
                !hidden_dir
            })
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    let path = e.path();
                    if config.is_excluded(path) {
                        continue;
                    }
                    if let Some(g) = guess(path, config) {
                        out.push(candidate(path, g));
                    }
                }
                Ok(_) => {}
                Err(e) => errors.push(WalkError {
                    path: root.display().to_string(),
                    message: e.to_string(),
                }),
            }
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.display == b.display);
    (out, errors)
}

/// A symlink named on the command line is read only when the file it points
/// to has a config file's name too (or the config sets its kind): a link
/// named `Dockerfile` to `/etc/passwd` must not get that file's lines quoted.
fn refused_symlink(path: &Path, config: &Config) -> Option<String> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link || config.kind_override(path).is_some() {
        return None;
    }
    let target = std::fs::canonicalize(path).ok()?;
    if !std::fs::metadata(&target).is_ok_and(|m| m.is_file()) {
        return None;
    }
    match guess_by_name(&target) {
        Some(_) => None,
        None => Some(format!(
            "is a symlink to `{}`, which is not a file deploylint recognises by name; not read \
             (name the file itself, or set its kind in .deploylint.yaml)",
            target.display()
        )),
    }
}

/// How a path is shown (and matched against the paths named on the command line).
pub fn display_name(path: &Path) -> String {
    path.strip_prefix("./")
        .unwrap_or(path)
        .display()
        .to_string()
}

fn candidate(path: &Path, guess: NameGuess) -> Candidate {
    let display = display_name(path);
    Candidate {
        path: path.to_path_buf(),
        display,
        guess,
    }
}

/// Decides a kind, or what to look for, from the path; `None` skips the file.
pub fn guess(path: &Path, config: &Config) -> Option<NameGuess> {
    if let Some(kind) = config.kind_override(path) {
        return Some(NameGuess::Kind(kind));
    }
    guess_by_name(path)
}

pub fn guess_by_name(path: &Path) -> Option<NameGuess> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    // `Dockerfile.*`, `php.ini-*` and friends match by prefix: leave out
    // snapshots, docs, backups and editor files that share the prefix.
    const NOT_CONFIG: [&str; 10] = [
        ".snap",
        ".snap.new",
        ".md",
        ".orig",
        ".bak",
        ".rej",
        ".swp",
        ".tmp",
        ".pending-snap",
        "~",
    ];
    if NOT_CONFIG.iter().any(|s| lower.ends_with(s)) {
        return None;
    }
    let parent = |n: &str| {
        path.parent()
            .and_then(|p| p.file_name())
            .and_then(|p| p.to_str())
            .is_some_and(|p| p.eq_ignore_ascii_case(n))
    };
    let in_dir = |n: &str| {
        path.parent().is_some_and(|p| {
            p.components().any(|c| {
                c.as_os_str()
                    .to_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(n))
            })
        })
    };
    use FileKind::*;
    // `Dockerfile.prod`, `Dockerfile-fpm`, `app.dockerfile`; BuildKit's per-Dockerfile
    // ignore file `Dockerfile.dockerignore` is not one.
    let dockerfile_name = |base: &str| {
        lower == base
            || [".", "-", "_"]
                .iter()
                .any(|sep| lower.starts_with(&format!("{base}{sep}")))
    };
    let kind = if (dockerfile_name("dockerfile")
        || lower.ends_with(".dockerfile")
        || dockerfile_name("containerfile"))
        && !lower.ends_with(".dockerignore")
    {
        Dockerfile
    } else if lower == "php-fpm.conf"
        || lower == "www.conf"
        || lower.starts_with("php-fpm.conf.")
        || lower.starts_with("www.conf.")
    {
        PhpFpm
    } else if lower.ends_with(".conf") {
        if parent("php-fpm.d") || parent("pool.d") {
            PhpFpm
        } else {
            return Some(NameGuess::Conf);
        }
    } else if lower == "php.ini" || lower.starts_with("php.ini-") || lower.starts_with("php.ini.") {
        PhpIni
    } else if lower.ends_with(".ini") {
        if in_dir("conf.d")
            || in_dir("php")
            || lower.starts_with("php")
            || lower.contains("opcache")
        {
            PhpIni
        } else {
            return Some(NameGuess::Ini);
        }
    } else if lower == "octane.php" && parent("config") {
        Octane
    } else if lower == ".rr.yaml"
        || lower == ".rr.yml"
        || lower.starts_with(".rr.") && is_yaml_name(&lower)
    {
        RoadRunner
    } else if (lower.starts_with("docker-compose") || lower.starts_with("compose"))
        && is_yaml_name(&lower)
    {
        Compose
    } else if is_yaml_name(&lower) {
        return Some(NameGuess::Yaml);
    } else {
        return None;
    };
    Some(NameGuess::Kind(kind))
}

fn is_yaml_name(lower: &str) -> bool {
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Settles a guess once the text is known; `None` means "not ours, skip".
pub fn detect(guess: NameGuess, path: &Path, text: &str) -> Option<FileKind> {
    match guess {
        NameGuess::Kind(k) => Some(k),
        NameGuess::Yaml => {
            if is_helm_template(path, text) {
                return None;
            }
            looks_like_kubernetes(text).then_some(FileKind::Kubernetes)
        }
        NameGuess::Conf => looks_like_fpm(text).then_some(FileKind::PhpFpm),
        NameGuess::Ini => looks_like_php_ini(text).then_some(FileKind::PhpIni),
    }
}

/// Helm chart templates are not YAML until rendered: lint `helm template` output instead.
fn is_helm_template(path: &Path, text: &str) -> bool {
    text.contains("{{") && path.components().any(|c| c.as_os_str() == "templates")
}

/// Top-level `apiVersion:` and `kind:` keys (or a list of such objects).
pub fn looks_like_kubernetes(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for line in crate::source::lines_any(text) {
        let l = line.strip_prefix("- ").unwrap_or(line);
        api |= l.starts_with("apiVersion:");
        kind |= l.starts_with("kind:");
        if api && kind {
            return true;
        }
    }
    false
}

fn looks_like_fpm(text: &str) -> bool {
    let mut section = false;
    let mut directive = false;
    for line in crate::source::lines_any(text) {
        let t = line.trim_start();
        section |= t.starts_with('[') && t.contains(']');
        let key = t.split('=').next().unwrap_or("").trim();
        directive |= t.contains('=')
            && (key == "pm"
                || key.starts_with("pm.")
                || key == "listen"
                || key == "pid"
                || key == "error_log" && text.contains("[global]"));
        if section && directive {
            return true;
        }
    }
    false
}

fn looks_like_php_ini(text: &str) -> bool {
    const KEYS: [&str; 10] = [
        "opcache.",
        "memory_limit",
        "display_errors",
        "error_reporting",
        "zend_extension",
        "extension",
        "upload_max_filesize",
        "post_max_size",
        "max_execution_time",
        "expose_php",
    ];
    crate::source::lines_any(text).any(|line| {
        let t = line.trim_start();
        t.contains('=') && KEYS.iter().any(|k| t.starts_with(k))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(p: &str) -> Option<NameGuess> {
        guess_by_name(Path::new(p))
    }

    #[test]
    fn names_decide_most_kinds() {
        use FileKind::*;
        assert_eq!(kind("Dockerfile"), Some(NameGuess::Kind(Dockerfile)));
        assert_eq!(
            kind("docker/Dockerfile.fpm"),
            Some(NameGuess::Kind(Dockerfile))
        );
        assert_eq!(kind("app.dockerfile"), Some(NameGuess::Kind(Dockerfile)));
        assert_eq!(kind("Containerfile"), Some(NameGuess::Kind(Dockerfile)));
        assert_eq!(
            kind("docker/Dockerfile-fpm"),
            Some(NameGuess::Kind(Dockerfile))
        );
        assert_eq!(kind("Dockerfile_prod"), Some(NameGuess::Kind(Dockerfile)));
        assert_eq!(kind("Dockerfile.dockerignore"), None);
        assert_eq!(kind("Dockerfiles.txt"), None);
        assert_eq!(
            kind("etc/php-fpm.d/app.conf"),
            Some(NameGuess::Kind(PhpFpm))
        );
        assert_eq!(kind("www.conf"), Some(NameGuess::Kind(PhpFpm)));
        assert_eq!(kind("nginx/site.conf"), Some(NameGuess::Conf));
        assert_eq!(kind("php.ini-production"), Some(NameGuess::Kind(PhpIni)));
        assert_eq!(
            kind("docker/php/conf.d/opcache.ini"),
            Some(NameGuess::Kind(PhpIni))
        );
        assert_eq!(kind("config/octane.php"), Some(NameGuess::Kind(Octane)));
        assert_eq!(kind("app/octane.php"), None);
        assert_eq!(kind(".rr.yaml"), Some(NameGuess::Kind(RoadRunner)));
        assert_eq!(
            kind("docker-compose.prod.yml"),
            Some(NameGuess::Kind(Compose))
        );
        assert_eq!(kind("k8s/deploy.yaml"), Some(NameGuess::Yaml));
        assert_eq!(kind("README.md"), None);
        assert_eq!(kind("php.ini-production.snap"), None);
        assert_eq!(kind("Dockerfile.fpm.snap"), None);
        assert_eq!(kind("www.conf.default"), Some(NameGuess::Kind(PhpFpm)));
    }

    #[test]
    fn content_settles_ambiguous_names() {
        let p = Path::new("x.yaml");
        assert_eq!(
            detect(NameGuess::Yaml, p, "apiVersion: v1\nkind: Service\n"),
            Some(FileKind::Kubernetes)
        );
        assert_eq!(detect(NameGuess::Yaml, p, "name: ci\non: push\n"), None);
        let helm = Path::new("chart/templates/d.yaml");
        assert_eq!(
            detect(NameGuess::Yaml, helm, "apiVersion: v1\nkind: {{ .K }}\n"),
            None
        );
        assert_eq!(
            detect(NameGuess::Conf, p, "[www]\npm = dynamic\n"),
            Some(FileKind::PhpFpm)
        );
        assert_eq!(
            detect(NameGuess::Conf, p, "server {\n listen 80;\n}\n"),
            None
        );
        assert_eq!(
            detect(NameGuess::Ini, p, "opcache.enable=1\n"),
            Some(FileKind::PhpIni)
        );
    }
}
