//! Which files to lint, and what kind each one is.
//!
//! Directories are walked with the `ignore` crate (.gitignore and .ignore
//! entries skipped, and version-control directories such as `.git`; other
//! hidden directories such as `.k8s/`, `.docker/` and `.helm/` are walked);
//! files named on the command line bypass ignore files.
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
    walk_with(paths, config, false)
}

/// [`walk`] for a tree that is usually small (the workspace of a
/// pre-commit run, read as context): it is walked by one worker first, and
/// by several only once it turns out bigger.
pub fn walk_small_first(paths: &[PathBuf], config: &Config) -> (Vec<Candidate>, Vec<WalkError>) {
    walk_with(paths, config, true)
}

fn walk_with(
    paths: &[PathBuf],
    config: &Config,
    small_first: bool,
) -> (Vec<Candidate>, Vec<WalkError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    // The named paths are looked at first, on all cores when there are many
    // (pre-commit and `xargs` name hundreds): a `stat` and the name checks
    // of each were a serial step.
    let roots: Vec<Root> = if paths.len() > MANY_ROOTS {
        use rayon::prelude::*;
        paths
            .par_iter()
            .with_max_len(16)
            .map(|p| Root::of(p, config))
            .collect()
    } else {
        paths.iter().map(|p| Root::of(p, config)).collect()
    };
    for (root, kind) in paths.iter().zip(roots) {
        match kind {
            Root::Refused(message) => {
                errors.push(WalkError {
                    path: root.display().to_string(),
                    message,
                });
                continue;
            }
            Root::File(c) => {
                out.extend(c);
                continue;
            }
            Root::Dir => {}
        }
        let mut builder = ignore::WalkBuilder::new(root);
        builder.hidden(false).require_git(false).filter_entry(|e| {
            // Skip version-control and tool-state directories, not every
            // hidden one: `.k8s/`, `.docker/`, `.deploy/` hold deployment configs.
            let skipped_dir = e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name().to_str().is_some_and(is_skipped_dir);
            !skipped_dir
        });
        let visit = |entry: Result<ignore::DirEntry, ignore::Error>| match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let path = e.path();
                if config.is_excluded(path) {
                    None
                } else {
                    guess(path, config).map(|g| Ok(candidate(path, g)))
                }
            }
            Ok(_) => None,
            Err(e) => Some(Err(WalkError {
                path: root.display().to_string(),
                message: e.to_string(),
            })),
        };
        let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
        let keep = |item: Result<Candidate, WalkError>| {
            let mut found = found.lock().unwrap_or_else(|p| p.into_inner());
            match item {
                Ok(c) => found.0.push(c),
                Err(e) => found.1.push(e),
            }
        };
        // Walked on several threads (the name checks and `stat`s of a big
        // tree are a serial cost otherwise); the order is restored below.
        // When the tree is likely small, by one worker first: with two, an
        // idle worker sleeps a millisecond at a time while the other walks,
        // longer than such a walk takes. A tree that turns out bigger is
        // walked again on several threads. (Not `WalkBuilder::build`: the
        // serial walker looks for ignore files with three `stat`s per
        // directory where this one reads the directory's entries.)
        let small = small_first && {
            use std::sync::atomic::{AtomicUsize, Ordering};
            let seen = AtomicUsize::new(0);
            builder.threads(1).build_parallel().run(|| {
                let (visit, keep, seen) = (&visit, &keep, &seen);
                Box::new(move |entry| {
                    if seen.fetch_add(1, Ordering::Relaxed) >= SMALL_TREE {
                        return ignore::WalkState::Quit;
                    }
                    if let Some(item) = visit(entry) {
                        keep(item);
                    }
                    ignore::WalkState::Continue
                })
            });
            builder.threads(0);
            seen.load(Ordering::Relaxed) <= SMALL_TREE
        };
        if !small {
            *found.lock().unwrap_or_else(|p| p.into_inner()) = (Vec::new(), Vec::new());
            builder.build_parallel().run(|| {
                let (visit, keep) = (&visit, &keep);
                Box::new(move |entry| {
                    if let Some(item) = visit(entry) {
                        keep(item);
                    }
                    ignore::WalkState::Continue
                })
            });
        }
        let (candidates, mut walk_errors) = found.into_inner().unwrap_or_else(|p| p.into_inner());
        out.extend(candidates);
        // Threads finish in any order: report a root's errors in a stable one.
        walk_errors.sort_by(|a: &WalkError, b: &WalkError| a.message.cmp(&b.message));
        errors.extend(walk_errors);
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.display == b.display);
    (out, errors)
}

/// What a path named on the command line is.
enum Root {
    /// Missing, unreadable, not a regular file or directory, or a refused
    /// symlink: why.
    Refused(String),
    /// A file: linted whatever its name, if its content says what it is
    /// (`None` when the config excludes it).
    File(Option<Candidate>),
    Dir,
}

impl Root {
    fn of(root: &Path, config: &Config) -> Root {
        // One `lstat` for the usual path that is no symlink (its metadata
        // is then the file's own); a symlink is followed and judged.
        let own = std::fs::symlink_metadata(root);
        let is_link = own.as_ref().is_ok_and(|m| m.file_type().is_symlink());
        let followed = if is_link {
            std::fs::metadata(root)
        } else {
            own
        };
        let meta = match followed {
            Ok(m) => m,
            Err(e) => return Root::Refused(format!("cannot read path: {e}")),
        };
        if !meta.is_file() && !meta.is_dir() {
            // FIFOs, devices, sockets: reading could block or never end.
            return Root::Refused(
                "not a regular file or directory (a FIFO, device or socket); not read".into(),
            );
        }
        if let Some(why) = is_link.then(|| refused_symlink(root, config)).flatten() {
            return Root::Refused(why);
        }
        if meta.is_dir() {
            return Root::Dir;
        }
        if config.is_excluded(root) {
            return Root::File(None);
        }
        let guess = guess(root, config).unwrap_or(NameGuess::Yaml);
        Root::File(Some(candidate(root, guess)))
    }
}

/// Entries (files and directories) a tree may have to be walked on one thread.
const SMALL_TREE: usize = 64;

/// Named paths past which they are looked at on all cores.
const MANY_ROOTS: usize = 64;

/// Directories that never hold a project's deployment configs.
fn is_skipped_dir(name: &str) -> bool {
    const SKIPPED: [&str; 16] = [
        ".git",
        ".hg",
        ".svn",
        ".jj",
        ".bzr",
        ".idea",
        ".vscode",
        ".cache",
        ".venv",
        ".terraform",
        ".next",
        ".nuxt",
        ".yarn",
        ".npm",
        ".pnpm-store",
        ".gradle",
    ];
    SKIPPED.iter().any(|s| name.eq_ignore_ascii_case(s))
}

/// A symlink named on the command line is read only when the file it points
/// to has a config file's name too (or the config sets its kind): a link
/// named `Dockerfile` to `/etc/passwd` must not get that file's lines quoted.
/// (`path` is a symlink.)
fn refused_symlink(path: &Path, config: &Config) -> Option<String> {
    if config.kind_override(path).is_some() {
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
    let path = path.strip_prefix("./").unwrap_or(path);
    // (A UTF-8 path displays as itself: copied, not formatted.)
    match path.to_str() {
        Some(s) => s.to_owned(),
        None => path.display().to_string(),
    }
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
    let by_name = guess_by_name(path);
    // A bare file name (`deploylint check octane.php` inside `config/`): the
    // directories that name it are those of the working directory.
    if path.parent().is_none_or(|p| p.as_os_str().is_empty()) {
        if let Some(NameGuess::Kind(kind)) = std::path::absolute(path)
            .ok()
            .and_then(|abs| guess_by_name(&abs))
        {
            return Some(NameGuess::Kind(kind));
        }
    }
    by_name
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
        lower
            .strip_prefix(base)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '-', '_']))
    };
    let kind = if (dockerfile_name("dockerfile")
        || lower.ends_with(".dockerfile")
        || dockerfile_name("containerfile"))
        && !lower.ends_with(".dockerignore")
    {
        Dockerfile
    } else if lower == "php-fpm.conf" || lower.starts_with("php-fpm.conf.") {
        PhpFpm
    } else if lower == "www.conf" || lower.starts_with("www.conf.") {
        // Also the usual name of an nginx server block: the content decides.
        return Some(NameGuess::Conf);
    } else if lower.ends_with(".conf") {
        if parent("php-fpm.d") || parent("pool.d") {
            PhpFpm
        } else {
            return Some(NameGuess::Conf);
        }
    } else if (parent("sites-available") || parent("sites-enabled")) && !lower.starts_with('.') {
        // Debian's nginx server blocks (`sites-available/default`): the content decides.
        return Some(NameGuess::Conf);
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
    } else if lower == "horizon.php" && parent("config") {
        Horizon
    } else if (lower.ends_with(".php") && parent("routes"))
        || (lower == "app.php" && parent("bootstrap"))
        || (lower == "routeserviceprovider.php" && parent("providers"))
    {
        LaravelRoutes
    } else if lower == ".rr.yaml"
        || lower == ".rr.yml"
        || lower.starts_with(".rr.") && is_yaml_name(&lower)
    {
        RoadRunner
    } else if lower == "caddyfile"
        || lower.ends_with(".caddyfile")
        || (lower.starts_with("caddyfile.") && !is_code_or_data_name(&lower))
    {
        // Caddy / FrankenPHP: `Caddyfile`, `Caddyfile.prod`, `worker.Caddyfile`,
        // `Caddyfile.d/*.caddyfile`.
        Caddyfile
    } else if is_dotenv_name(&lower) {
        DotEnv
    } else if (lower.starts_with("docker-compose") || lower.starts_with("compose"))
        && is_yaml_name(&lower)
    {
        Compose
    } else if is_yaml_name(&lower) || lower.ends_with(".json") {
        // JSON is YAML: a `*.json` manifest with `apiVersion` and `kind` is linted too.
        return Some(NameGuess::Yaml);
    } else {
        return None;
    };
    Some(NameGuess::Kind(kind))
}

/// `caddyfile.go`, `Caddyfile.json` (Caddy's JSON config): not Caddyfiles.
fn is_code_or_data_name(lower: &str) -> bool {
    const EXT: [&str; 12] = [
        ".go", ".rs", ".py", ".js", ".ts", ".php", ".json", ".yaml", ".yml", ".sh", ".txt", ".html",
    ];
    EXT.iter().any(|e| lower.ends_with(e))
}

/// `.env` and `.env.*` (`.env.production`, `.env.local`), not files of
/// another format that share the prefix (`.env.php`, `.env.json`, encrypted
/// `.env.gpg`).
fn is_dotenv_name(lower: &str) -> bool {
    const OTHER_FORMATS: [&str; 14] = [
        ".php", ".js", ".ts", ".json", ".yaml", ".yml", ".sh", ".py", ".gpg", ".enc", ".age",
        ".asc", ".vault", ".swp",
    ];
    lower == ".env"
        || lower.starts_with(".env.") && !OTHER_FORMATS.iter().any(|s| lower.ends_with(s))
}

/// A dotenv file meant to be committed as a template (`.env.example`,
/// `.env.dist`, `.env.testing`): linted only when it holds real-looking
/// credentials.
pub fn is_dotenv_template(path: &Path) -> bool {
    lower_name(path).split('.').skip(2).any(|w| {
        matches!(
            w,
            "example"
                | "dist"
                | "sample"
                | "template"
                | "tpl"
                | "testing"
                | "test"
                | "ci"
                | "default"
                | "defaults"
        )
    })
}

/// A template dotenv file holds a credential by its shape (an AWS key, a
/// token, a private key, a URL with a password); a Laravel `APP_KEY` alone
/// does not count, test environments carry generated ones.
fn dotenv_looks_real(text: &str) -> bool {
    crate::parse::dotenv::parse(text).entries.iter().any(|e| {
        crate::secrets::find_credential(&e.value).is_some_and(|c| c.kind != "Laravel APP_KEY")
    })
}

fn is_yaml_name(lower: &str) -> bool {
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Settles a guess once the text is known; `None` means "not ours, skip".
pub fn detect(guess: NameGuess, path: &Path, text: &str) -> Option<FileKind> {
    match guess {
        NameGuess::Kind(FileKind::Dockerfile) => {
            (!is_template(text)).then_some(FileKind::Dockerfile)
        }
        NameGuess::Kind(FileKind::PhpIni) => {
            (!looks_like_supervisord(text)).then_some(FileKind::PhpIni)
        }
        NameGuess::Kind(FileKind::DotEnv) => {
            (!is_dotenv_template(path) || dotenv_looks_real(text)).then_some(FileKind::DotEnv)
        }
        NameGuess::Kind(k) => Some(k),
        NameGuess::Yaml => {
            if is_kustomize_config(path, text) {
                return (!is_helm_template(path, text) && !has_template_placeholders(text))
                    .then_some(FileKind::Kustomization);
            }
            if is_helm_template(path, text)
                || has_template_placeholders(text)
                || is_kustomize_patch(path)
            {
                return None;
            }
            looks_like_kubernetes(text).then_some(FileKind::Kubernetes)
        }
        NameGuess::Conf => {
            if looks_like_fpm(text) {
                Some(FileKind::PhpFpm)
            } else {
                looks_like_nginx_config(path, text).then_some(FileKind::Nginx)
            }
        }
        NameGuess::Ini => {
            (looks_like_php_ini(text) && !looks_like_supervisord(text)).then_some(FileKind::PhpIni)
        }
    }
}

/// Why `detect` decided as it did, for `--verbose`; `None` when the name alone decided.
pub fn explain(guess: NameGuess, path: &Path, text: &str) -> Option<&'static str> {
    let kind = detect(guess, path, text);
    Some(match (guess, kind) {
        (NameGuess::Kind(FileKind::Dockerfile), None) => {
            "skipped: a template (a line starts with `{{` or `{%`), not a Dockerfile"
        }
        (NameGuess::Kind(FileKind::PhpIni), None) | (NameGuess::Ini, None)
            if looks_like_supervisord(text) =>
        {
            "skipped: a supervisord config (`[program:...]` sections), not php.ini"
        }
        (NameGuess::Kind(FileKind::DotEnv), None) => {
            "skipped: a dotenv template (`.env.example`, `.env.dist`, `.env.testing`) without real-looking credentials"
        }
        (NameGuess::Kind(_), _) => return None,
        (NameGuess::Yaml, Some(FileKind::Kustomization)) => {
            "kustomization (its name, or `apiVersion: kustomize.config.k8s.io/...`): read for the resources, generators, namespace and labels a build adds"
        }
        (NameGuess::Yaml, Some(_)) if !is_yaml_name(&lower_name(path)) => {
            "kubernetes by content (JSON with `apiVersion` and `kind`)"
        }
        (NameGuess::Yaml, Some(_)) => "kubernetes by content (`apiVersion` and `kind`)",
        (NameGuess::Yaml, None) if is_helm_template(path, text) => {
            "skipped: a Helm template (render it with `helm template`)"
        }
        (NameGuess::Yaml, None) if has_template_placeholders(text) => {
            "skipped: a template (values such as `{{ .x }}` or `{name}`), not a manifest"
        }
        (NameGuess::Yaml, None) if is_kustomize_patch(path) => {
            "skipped: a kustomize patch (listed under `patches` in kustomization.yaml), not a whole object"
        }
        (NameGuess::Yaml, None) => "skipped: no `apiVersion` and `kind`",
        (NameGuess::Conf, Some(FileKind::Nginx)) if names_nginx(path) => {
            "nginx by its path and content (nginx directives)"
        }
        (NameGuess::Conf, Some(FileKind::Nginx)) => {
            "nginx by content (`server`, `location`, `upstream` or `http` blocks, or `fastcgi_pass`)"
        }
        (NameGuess::Conf, Some(_)) => "php-fpm by content (fpm directives)",
        (NameGuess::Conf, None) if looks_like_supervisord(text) => {
            "skipped: a supervisord config (`[program:...]` sections), not php-fpm"
        }
        (NameGuess::Conf, None) if is_template(text) || text.contains("{{") => {
            "skipped: a template (`{{ }}` or a line starting with `{%`)"
        }
        (NameGuess::Conf, None) if looks_like_nginx(text) => {
            "skipped: `{ ... }` blocks that are not an nginx config (apache, or nginx with syntax errors outside an nginx directory), not php-fpm"
        }
        (NameGuess::Conf, None) => "skipped: no php-fpm directives",
        (NameGuess::Ini, Some(_)) => "php.ini by content (PHP directives)",
        (NameGuess::Ini, None) => "skipped: no PHP directives",
    })
}

fn lower_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Template sources (jq, Go, Jinja) that generate Dockerfiles: a line starting
/// with `{{` or `{%` is never a Dockerfile instruction.
fn is_template(text: &str) -> bool {
    // (Most files have no `{{` or `{%` at all: one substring search each.)
    if !text.contains("{{") && !text.contains("{%") {
        return false;
    }
    text.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("{{") || t.starts_with("{%")
    })
}

/// supervisord's INI files: `[supervisord]`, `[program:x]`, `[group:x]`...
fn looks_like_supervisord(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        // Every section header starts with `[`: only those are lower-cased.
        if !t.starts_with('[') {
            return false;
        }
        let t = t.to_ascii_lowercase();
        t == "[supervisord]"
            || t == "[supervisorctl]"
            || t == "[unix_http_server]"
            || ["[program:", "[group:", "[eventlistener:", "[fcgi-program:"]
                .iter()
                .any(|p| t.starts_with(p))
    })
}

/// nginx and apache configs: `server {`, `location / {`, `<VirtualHost>`.
fn looks_like_nginx(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        (t.ends_with('{') && !t.contains('='))
            || t.starts_with("<VirtualHost")
            || t.starts_with("<Directory")
    })
}

/// The path says nginx: a directory or file name starting with `nginx`
/// (`nginx/`, `nginx-conf-d/`, `nginx.conf`), a name ending in `nginx.conf`,
/// or Debian's `sites-available` / `sites-enabled`.
fn names_nginx(path: &Path) -> bool {
    let lower = path
        .to_string_lossy()
        .to_ascii_lowercase()
        .replace('\\', "/");
    lower.split('/').any(|c| {
        c.starts_with("nginx")
            || c.ends_with("nginx.conf")
            || c == "sites-available"
            || c == "sites-enabled"
    })
}

/// Directives only nginx has (a file holding one is nginx's, not another
/// program's `key value;` config).
const NGINX_DIRECTIVES: [&str; 26] = [
    "access_log",
    "error_log",
    "server",
    "location",
    "upstream",
    "http",
    "events",
    "worker_processes",
    "worker_connections",
    "fastcgi_pass",
    "fastcgi_param",
    "fastcgi_index",
    "fastcgi_split_path_info",
    "fastcgi_read_timeout",
    "fastcgi_buffers",
    "proxy_pass",
    "proxy_set_header",
    "try_files",
    "server_name",
    "client_max_body_size",
    "add_header",
    "gzip",
    "gzip_types",
    "sendfile",
    "keepalive_timeout",
    "root",
];

/// An nginx config: it parses as nginx and uses nginx's directives. Outside
/// an nginx path it must parse cleanly and hold a `server`, `location`,
/// `upstream` or `http` block or a `fastcgi_pass`; in an nginx path (a
/// snippet such as `fastcgi-php.conf`) one nginx directive is enough, and
/// syntax errors are then reported.
fn looks_like_nginx_config(path: &Path, text: &str) -> bool {
    if is_template(text)
        || text.contains("{{")
        || looks_like_supervisord(text)
        || text.lines().any(|l| {
            let t = l.trim_start();
            t.starts_with("<VirtualHost")
                || t.starts_with("<Directory")
                || t.starts_with("<IfModule")
        })
    {
        return false;
    }
    // Cheap refusal before parsing: nginx statements end with `;` or `{`.
    if !text.contains(';') && !text.contains('{') {
        return false;
    }
    let f = crate::parse::nginx::parse(text);
    let all = f.walk();
    if names_nginx(path) {
        return all
            .iter()
            .any(|d| NGINX_DIRECTIVES.contains(&d.name.text.as_str()));
    }
    f.errors.is_empty()
        && all.iter().any(|d| {
            (d.block.is_some()
                && ["server", "location", "upstream", "http"].contains(&d.name.text.as_str()))
                || d.is("fastcgi_pass")
        })
}

/// Helm chart templates are not YAML until rendered: lint `helm template` output instead.
fn is_helm_template(path: &Path, text: &str) -> bool {
    text.contains("{{") && path.components().any(|c| c.as_os_str() == "templates")
}

/// Text templates rendered before they are YAML: a value that starts with `{{`
/// (Go/Jinja) or is a lone `{name}` placeholder (which YAML would read as a map).
fn has_template_placeholders(text: &str) -> bool {
    // Only lines with a brace can hold one: visit those (found by memchr),
    // not every line.
    let mut from = 0;
    while let Some(i) = text[from..].find('{') {
        let at = from + i;
        let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        let line = &text[start..end];
        if line_has_placeholder(line.strip_suffix('\r').unwrap_or(line)) {
            return true;
        }
        from = end;
    }
    false
}

fn line_has_placeholder(l: &str) -> bool {
    // (`strip_prefix` in a loop and a byte search for `: `: a `&str` pattern
    // builds a substring searcher per call, and this runs per `{` line.)
    let mut t = l.trim_start();
    while let Some(rest) = t.strip_prefix("- ") {
        t = rest;
    }
    let value = match t.as_bytes().windows(2).position(|w| w == b": ") {
        Some(i) => &t[i + 2..],
        None => t,
    }
    .trim();
    value.starts_with("{{")
        || value.len() > 2
            && value.starts_with('{')
            && value.ends_with('}')
            && value[1..value.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `kustomization.yaml` itself (kustomize reads it; it is never applied).
fn is_kustomize_config(path: &Path, text: &str) -> bool {
    let name = lower_name(path);
    matches!(
        name.as_str(),
        "kustomization.yaml" | "kustomization.yml" | "kustomization"
    ) || text.contains("apiVersion: kustomize.config.k8s.io/")
}

/// The names kustomize reads a directory's kustomization from, in its order.
pub const KUSTOMIZATION_NAMES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

type KustomizationCache =
    std::sync::Mutex<crate::source::hash::FastMap<PathBuf, std::sync::Arc<[std::sync::Arc<str>]>>>;

fn kustomization_cache() -> &'static KustomizationCache {
    static CACHE: std::sync::OnceLock<KustomizationCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The kustomization files of `dir` that read, in [`KUSTOMIZATION_NAMES`]
/// order, read once per directory until [`forget_kustomizations`]: every
/// YAML file asks whether a sibling kustomization lists it as a patch (three
/// failed opens per manifest without the cache), and the kustomize rules ask
/// for every manifest.
pub fn kustomizations_in(dir: &Path) -> std::sync::Arc<[std::sync::Arc<str>]> {
    use std::sync::Arc;
    let cache = kustomization_cache();
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(dir).cloned()) {
        return hit;
    }
    let found: Arc<[Arc<str>]> = KUSTOMIZATION_NAMES
        .iter()
        .filter_map(|k| std::fs::read_to_string(dir.join(k)).ok())
        .map(Arc::from)
        .collect();
    if let Ok(mut c) = cache.lock() {
        c.insert(dir.to_path_buf(), Arc::clone(&found));
    }
    found
}

/// Forgets the kustomization files read so far (an editor saw files change).
pub fn forget_kustomizations() {
    if let Ok(mut c) = kustomization_cache().lock() {
        c.clear();
    }
}

/// A file a sibling `kustomization.yaml` lists under `patches` or
/// `patchesStrategicMerge`: a partial object merged into another.
fn is_kustomize_patch(path: &Path) -> bool {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return false;
    };
    kustomizations_in(dir).iter().any(|k| {
        let y = crate::parse::yaml::parse(k);
        y.documents.iter().any(|d| {
            ["patches", "patchesStrategicMerge"].iter().any(|key| {
                d.root.get(key).is_some_and(|list| {
                    list.as_seq().iter().any(|item| {
                        let p = item
                            .as_str()
                            .or_else(|| item.str_at(&["path"]))
                            .unwrap_or("");
                        p.trim_start_matches("./") == name
                    })
                })
            })
        })
    })
}

/// Top-level `apiVersion:` and `kind:` keys (or a list of such objects).
pub fn looks_like_kubernetes(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    if text.trim_start().starts_with('{') {
        // JSON: a top-level object (or a `List`) naming both.
        return text.contains("\"apiVersion\"") && text.contains("\"kind\"");
    }
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

/// A pool or global section with fpm directives, or (an included fragment with
/// no section line) only `key = value` lines of which one is fpm-specific.
fn looks_like_fpm(text: &str) -> bool {
    if looks_like_nginx(text) || looks_like_supervisord(text) {
        return false;
    }
    let mut section = false;
    let mut directive = false;
    let mut pool_only = false;
    let mut ini_shaped = true;
    for line in crate::source::lines_any(text) {
        let t = line.trim();
        if t.is_empty() || t.starts_with(';') || t.starts_with('#') {
            continue;
        }
        let is_section = t.starts_with('[') && t.contains(']');
        section |= is_section;
        ini_shaped &= is_section || t.contains('=');
        let key = t
            .split('=')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !t.contains('=') {
            continue;
        }
        directive |= key == "pm"
            || key.starts_with("pm.")
            || key == "listen"
            || key == "pid"
            || key == "error_log" && text.contains("[global]");
        pool_only |= key == "pm"
            || key.starts_with("pm.")
            || key.starts_with("listen")
            || key.starts_with("access.")
            || key.starts_with("slowlog")
            || key.starts_with("request_")
            || key.starts_with("php_admin_")
            || key.starts_with("php_value[")
            || key.starts_with("php_flag[")
            || key.starts_with("env[")
            || key == "catch_workers_output"
            || key == "decorate_workers_output"
            || key == "clear_env"
            || key == "security.limit_extensions"
            || key == "process_control_timeout";
    }
    (section && directive) || (!section && pool_only && ini_shaped)
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
    fn dotenv_files_and_templates() {
        use FileKind::DotEnv;
        assert_eq!(kind(".env"), Some(NameGuess::Kind(DotEnv)));
        assert_eq!(kind("app/.env.production"), Some(NameGuess::Kind(DotEnv)));
        assert_eq!(kind(".env.php"), None);
        assert_eq!(kind(".envrc"), None);
        let d = |name: &str, text: &str| detect(NameGuess::Kind(DotEnv), Path::new(name), text);
        assert_eq!(d(".env", "A=1\n"), Some(DotEnv));
        assert_eq!(d(".env.example", "DB_PASSWORD=secret\n"), None);
        assert_eq!(
            d(
                ".env.testing",
                "APP_KEY=base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=\n"
            ),
            None
        );
        assert_eq!(
            d(".env.example", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLQ\n"),
            Some(DotEnv)
        );
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
        assert_eq!(kind("www.conf"), Some(NameGuess::Conf));
        assert_eq!(kind("nginx/site.conf"), Some(NameGuess::Conf));
        assert_eq!(kind("php.ini-production"), Some(NameGuess::Kind(PhpIni)));
        assert_eq!(
            kind("docker/php/conf.d/opcache.ini"),
            Some(NameGuess::Kind(PhpIni))
        );
        assert_eq!(kind("config/octane.php"), Some(NameGuess::Kind(Octane)));
        assert_eq!(kind("app/octane.php"), None);
        assert_eq!(kind("config/horizon.php"), Some(NameGuess::Kind(Horizon)));
        assert_eq!(kind("horizon.php"), None);
        assert_eq!(kind("routes/web.php"), Some(NameGuess::Kind(LaravelRoutes)));
        assert_eq!(
            kind("app/bootstrap/app.php"),
            Some(NameGuess::Kind(LaravelRoutes))
        );
        assert_eq!(
            kind("app/Providers/RouteServiceProvider.php"),
            Some(NameGuess::Kind(LaravelRoutes))
        );
        assert_eq!(kind("config/app.php"), None);
        assert_eq!(kind("routes/web.js"), None);
        assert_eq!(kind(".rr.yaml"), Some(NameGuess::Kind(RoadRunner)));
        assert_eq!(kind("Caddyfile"), Some(NameGuess::Kind(Caddyfile)));
        assert_eq!(kind("worker.Caddyfile"), Some(NameGuess::Kind(Caddyfile)));
        assert_eq!(kind("Caddyfile.prod"), Some(NameGuess::Kind(Caddyfile)));
        assert_eq!(kind("Caddyfile.md"), None);
        assert_eq!(kind("caddy/caddyfile.go"), None);
        assert_eq!(
            kind("docker-compose.prod.yml"),
            Some(NameGuess::Kind(Compose))
        );
        assert_eq!(kind("k8s/deploy.yaml"), Some(NameGuess::Yaml));
        assert_eq!(kind("README.md"), None);
        assert_eq!(kind("php.ini-production.snap"), None);
        assert_eq!(kind("Dockerfile.fpm.snap"), None);
        assert_eq!(kind("www.conf.default"), Some(NameGuess::Conf));
        assert_eq!(kind("k8s/deploy.json"), Some(NameGuess::Yaml));
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
            Some(FileKind::Nginx)
        );
        // Outside an nginx path: a clean parse with a site block is needed.
        assert_eq!(detect(NameGuess::Conf, p, "gzip on;\n"), None);
        assert_eq!(
            detect(NameGuess::Conf, p, "server {\n listen 80\n}\n"),
            None
        );
        assert_eq!(
            detect(
                NameGuess::Conf,
                p,
                "<VirtualHost *:80>\n</VirtualHost>\nlocation / {}\n"
            ),
            None
        );
        assert_eq!(
            detect(NameGuess::Conf, p, "server {\n listen {{ .Port }};\n}\n"),
            None
        );
        assert_eq!(
            detect(NameGuess::Conf, p, "maxmemory 2mb\nbind 0.0.0.0\n"),
            None
        );
        // In an nginx path: a snippet, with its syntax errors reported.
        let snip = Path::new("docker/nginx/snippets/fastcgi-php.conf");
        assert_eq!(
            detect(
                NameGuess::Conf,
                snip,
                "fastcgi_split_path_info ^(.+\\.php)(/.+)$;\nfastcgi_index index.php\n"
            ),
            Some(FileKind::Nginx)
        );
        assert_eq!(
            detect(
                NameGuess::Conf,
                Path::new("nginx/redis.conf"),
                "maxmemory 2mb;\n"
            ),
            None
        );
        assert_eq!(
            kind("etc/nginx/sites-enabled/example.com"),
            Some(NameGuess::Conf)
        );
        assert_eq!(
            explain(NameGuess::Conf, p, "server {\n listen 80;\n}\n"),
            Some(
                "nginx by content (`server`, `location`, `upstream` or `http` blocks, or `fastcgi_pass`)"
            )
        );
        assert_eq!(
            detect(NameGuess::Ini, p, "opcache.enable=1\n"),
            Some(FileKind::PhpIni)
        );
    }

    #[test]
    fn content_overrules_names_that_are_not_conclusive() {
        use FileKind::*;
        let p = Path::new("x");
        // jq / Go templates that generate Dockerfiles.
        let jq = "{{\n\tdef is_alpine: env.variant | index(\"alpine\")\n-}}\nFROM php:{{ env.phpVersion }}\n";
        assert_eq!(detect(NameGuess::Kind(Dockerfile), p, jq), None);
        let go = "FROM php:8.3\n{{if eq .Orbit.variant \"fpm\" }}\nRUN true\n{{end}}\n";
        assert_eq!(detect(NameGuess::Kind(Dockerfile), p, go), None);
        let real = "FROM php:8.3\nRUN docker inspect -f '{{.Id}}' x\n";
        assert_eq!(
            detect(NameGuess::Kind(Dockerfile), p, real),
            Some(Dockerfile)
        );
        // An nginx server block named www.conf.
        let www = Path::new("docker/www.conf");
        let nginx = "server {\n  listen 80;\n  location ~ \\.php$ { fastcgi_pass app:9000; }\n}\n";
        assert_eq!(
            detect(kind("docker/www.conf").unwrap(), www, nginx),
            Some(Nginx)
        );
        let pool = "[www]\nlisten = 9000\npm = dynamic\n";
        assert_eq!(
            detect(kind("docker/www.conf").unwrap(), www, pool),
            Some(PhpFpm)
        );
        // A pool fragment without a section line (an included file).
        assert_eq!(
            detect(NameGuess::Conf, p, "; fragment\naccess.log = /dev/null\n"),
            Some(PhpFpm)
        );
        assert_eq!(detect(NameGuess::Conf, p, "user = nginx\n"), None);
        // supervisord under conf.d is not php.ini.
        let sup = "[program:horizon]\ncommand=php artisan horizon\nautorestart=true\n";
        let conf_d = Path::new("docker/conf.d/horizon.ini");
        assert_eq!(
            detect(kind("docker/conf.d/horizon.ini").unwrap(), conf_d, sup),
            None
        );
        assert_eq!(
            explain(NameGuess::Kind(PhpIni), conf_d, sup),
            Some("skipped: a supervisord config (`[program:...]` sections), not php.ini")
        );
        // JSON manifests.
        let json = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Service\"\n}\n";
        assert_eq!(detect(NameGuess::Yaml, p, json), Some(Kubernetes));
        assert_eq!(detect(NameGuess::Yaml, p, "{\"name\": \"app\"}"), None);
    }

    #[test]
    fn kustomizations_are_their_own_kind_and_patches_are_not_manifests() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path();
        let patch =
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n";
        std::fs::write(
            d.join("kustomization.yaml"),
            "resources: [../../base]\npatches:\n  - path: deployment.yaml\npatchesStrategicMerge:\n  - ./hpa.yaml\n",
        )
        .ok();
        for f in ["deployment.yaml", "hpa.yaml", "service.yaml"] {
            std::fs::write(d.join(f), patch).ok();
        }
        let k = |f: &str| detect(NameGuess::Yaml, &d.join(f), patch);
        assert_eq!(k("deployment.yaml"), None);
        assert_eq!(k("hpa.yaml"), None);
        assert_eq!(k("service.yaml"), Some(FileKind::Kubernetes));
        let kz = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";
        assert_eq!(
            detect(NameGuess::Yaml, &d.join("kustomization.yaml"), kz),
            Some(FileKind::Kustomization)
        );
        assert_eq!(
            detect(NameGuess::Yaml, &d.join("overlay.yaml"), kz),
            Some(FileKind::Kustomization)
        );
        assert_eq!(
            detect(
                NameGuess::Yaml,
                &d.join("kustomization.yaml"),
                "namespace: {{ .Values.ns }}\n"
            ),
            None
        );
    }

    #[test]
    fn walk_enters_hidden_directories_but_not_vcs_ones() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        for (p, text) in [
            (".k8s/deploy.yaml", "apiVersion: v1\nkind: Service\n"),
            (".docker/Dockerfile", "FROM php:8.3\n"),
            (".git/Dockerfile", "FROM php:8.3\n"),
            ("ignored/Dockerfile", "FROM php:8.3\n"),
        ] {
            let f = root.join(p);
            std::fs::create_dir_all(f.parent().unwrap_or(root)).ok();
            std::fs::write(&f, text).ok();
        }
        std::fs::write(root.join(".ignore"), "ignored/\n").ok();
        let (found, errors) = walk(&[root.to_path_buf()], &Config::with_defaults(root.into()));
        assert!(errors.is_empty());
        let mut names: Vec<String> = found
            .iter()
            .filter_map(|c| c.path.strip_prefix(root).ok())
            .map(|p| p.display().to_string())
            .collect();
        names.sort();
        assert_eq!(names, [".docker/Dockerfile", ".k8s/deploy.yaml"]);
    }
}
