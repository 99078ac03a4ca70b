//! What a container or image actually runs, decided in one place from a
//! command line: php-fpm, Octane, Horizon, a queue worker, the scheduler,
//! `artisan serve`, a web server, or something else.
//!
//! The input is the argv Docker or Kubernetes would start (ENTRYPOINT + CMD,
//! or `command` + `args`). Wrappers that hand over to the real program
//! (`tini --`, `dumb-init`, `docker-php-entrypoint`, `gosu user`, `su-exec`,
//! `env A=b`, `exec`) are skipped, and `sh -c "..."` is read down to the
//! command that keeps the foreground (the last of a `&&`/`;` list).

use serde::Serialize;

/// The kind of process, as rules reason about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProcessKind {
    PhpFpm,
    /// `php artisan octane:start` (any server) or `octane:frankenphp`/`:roadrunner`/`:swoole`.
    Octane,
    Horizon,
    /// `queue:work` / `queue:listen`.
    QueueWorker,
    /// `schedule:work` (long-running) or `schedule:run` (one tick).
    Scheduler,
    ArtisanServe,
    /// Another `php artisan` command or PHP script.
    PhpCli,
    FrankenPhp,
    RoadRunner,
    Nginx,
    Apache,
    Supervisord,
    Cron,
    /// A program deploylint does not model (a custom entrypoint script, a database...).
    Other,
    /// Nothing to go on: no command and no known image.
    Unknown,
}

impl ProcessKind {
    pub fn name(self) -> &'static str {
        match self {
            ProcessKind::PhpFpm => "php-fpm",
            ProcessKind::Octane => "octane",
            ProcessKind::Horizon => "horizon",
            ProcessKind::QueueWorker => "queue-worker",
            ProcessKind::Scheduler => "scheduler",
            ProcessKind::ArtisanServe => "artisan-serve",
            ProcessKind::PhpCli => "php-cli",
            ProcessKind::FrankenPhp => "frankenphp",
            ProcessKind::RoadRunner => "roadrunner",
            ProcessKind::Nginx => "nginx",
            ProcessKind::Apache => "apache",
            ProcessKind::Supervisord => "supervisord",
            ProcessKind::Cron => "cron",
            ProcessKind::Other => "other",
            ProcessKind::Unknown => "unknown",
        }
    }
}

/// A process with the words that decided it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Process {
    pub kind: ProcessKind,
    /// The program and its arguments after wrappers were skipped.
    pub argv: Vec<String>,
    /// The artisan subcommand (`octane:start`, `queue:work`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subcommand: Option<String>,
    /// The commands a `sh -c` list runs before this one (`a && b && exec c`:
    /// `a` and `b`), each as words, wrappers not skipped. Housekeeping
    /// (`echo`, `mkdir`...) and control words are left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub preceding: Vec<Vec<String>>,
}

impl Default for Process {
    fn default() -> Self {
        Process {
            kind: ProcessKind::Unknown,
            argv: Vec::new(),
            subcommand: None,
            preceding: Vec::new(),
        }
    }
}

impl Process {
    /// Reads an argv as Docker/Kubernetes would start it.
    pub fn from_argv<S: AsRef<str>>(words: &[S]) -> Process {
        let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        classify(&words, 0)
    }

    /// `--name=value` or `--name value` among the arguments.
    pub fn flag(&self, name: &str) -> Option<&str> {
        let mut it = self.argv.iter();
        while let Some(w) = it.next() {
            if let Some(rest) = w.strip_prefix(name) {
                if let Some(v) = rest.strip_prefix('=') {
                    return Some(v);
                }
                if rest.is_empty() {
                    return it
                        .next()
                        .map(String::as_str)
                        .filter(|v| !v.starts_with('-'));
                }
            }
        }
        None
    }

    /// Whether a bare flag (`-F`, `--nodaemonize`) is present.
    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.argv
            .iter()
            .skip(1)
            .any(|w| names.contains(&w.as_str()))
    }

    /// php-fpm kept in the foreground by its command line (`-F`).
    pub fn fpm_foreground(&self) -> bool {
        self.kind == ProcessKind::PhpFpm && self.has_flag(&["-F", "--nodaemonize"])
    }

    /// The Octane server (`--server=swoole`), when given.
    pub fn octane_server(&self) -> Option<&str> {
        if self.kind != ProcessKind::Octane {
            return None;
        }
        match self.subcommand.as_deref() {
            Some("octane:frankenphp") => Some("frankenphp"),
            Some("octane:roadrunner") => Some("roadrunner"),
            Some("octane:swoole") => Some("swoole"),
            _ => self.flag("--server"),
        }
    }

    /// `--watch` or `--poll` on an Octane command line (the development
    /// file watcher), whichever comes first.
    pub fn octane_watch(&self) -> Option<&str> {
        if self.kind != ProcessKind::Octane {
            return None;
        }
        self.argv.iter().skip(1).map(String::as_str).find(|w| {
            let name = w.split('=').next().unwrap_or(w);
            matches!(name, "--watch" | "--poll" | "-w")
        })
    }

    /// Octane's `--max-requests` as given (Octane's default is 500).
    pub fn octane_max_requests(&self) -> Option<&str> {
        (self.kind == ProcessKind::Octane)
            .then(|| self.flag("--max-requests"))
            .flatten()
    }

    /// `queue:listen` (a fresh framework boot per job) rather than `queue:work`.
    pub fn is_queue_listen(&self) -> bool {
        self.kind == ProcessKind::QueueWorker && self.subcommand.as_deref() == Some("queue:listen")
    }

    /// A `queue:work` option (`--max-jobs`, `--max-time`, `--memory`,
    /// `--timeout`, `--tries`, `--sleep`), as given.
    pub fn queue_option(&self, name: &str) -> Option<&str> {
        (self.kind == ProcessKind::QueueWorker)
            .then(|| self.flag(name))
            .flatten()
    }

    /// `queue:work --once` or `--stop-when-empty`: a worker meant to exit.
    pub fn queue_exits_by_itself(&self) -> bool {
        self.kind == ProcessKind::QueueWorker && self.has_flag(&["--once", "--stop-when-empty"])
    }

    /// The commands run before this one (`preceding`), each read as a
    /// process: `php artisan migrate --force && exec php-fpm` gives the
    /// `migrate` command.
    pub fn preceding_processes(&self) -> impl Iterator<Item = Process> + '_ {
        self.preceding.iter().map(|w| Process::from_argv(w))
    }

    /// A short description for messages and `graph`: `php-fpm -F`, `octane (swoole)`.
    pub fn describe(&self) -> String {
        match (self.kind, self.octane_server()) {
            (ProcessKind::Octane, Some(s)) => format!("octane ({s})"),
            (ProcessKind::Other | ProcessKind::PhpCli, _) => {
                let shown: Vec<&str> = self.argv.iter().take(4).map(String::as_str).collect();
                format!("{} `{}`", self.kind.name(), shown.join(" "))
            }
            _ => self.kind.name().to_owned(),
        }
    }
}

const MAX_DEPTH: usize = 4;

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_php(program: &str) -> bool {
    let p = basename(program);
    p == "php"
        || p.strip_prefix("php")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_fpm(program: &str) -> bool {
    let p = basename(program);
    p == "php-fpm"
        || p.strip_prefix("php-fpm")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
        || p.strip_prefix("php")
            .and_then(|r| r.strip_suffix("-fpm"))
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn classify(words: &[&str], depth: usize) -> Process {
    let mut i = 0;
    // Skip wrappers that exec the rest of the line.
    while i < words.len() {
        let w = basename(words[i]);
        match w {
            "tini"
            | "tini-static"
            | "dumb-init"
            | "docker-php-entrypoint"
            | "exec"
            | "nohup"
            | "catatonit" => {
                i += 1;
                while i < words.len() && words[i].starts_with('-') {
                    let flag = words[i];
                    i += 1;
                    if flag == "--" {
                        break;
                    }
                }
            }
            "gosu" | "su-exec" | "s6-setuidgid" | "chpst" => i += 2,
            "env" => {
                i += 1;
                while i < words.len() && (words[i].contains('=') || words[i].starts_with('-')) {
                    i += 1;
                }
            }
            // An entrypoint script ends with `exec "$@"` by convention: what
            // follows it (the CMD) is the process.
            w if w.contains("entrypoint") && i + 1 < words.len() => i += 1,
            _ if words[i].contains('=') && !words[i].starts_with('-') && i + 1 < words.len() => {
                // `VAR=value program ...` in a shell line.
                i += 1;
            }
            _ => break,
        }
    }
    let rest = &words[i.min(words.len())..];
    let Some(&program) = rest.first() else {
        return Process::default();
    };
    let argv: Vec<String> = rest.iter().map(|s| (*s).to_owned()).collect();
    let p = basename(program);
    if matches!(p, "sh" | "bash" | "ash" | "dash" | "zsh") && depth < MAX_DEPTH {
        if let Some(pos) = rest
            .iter()
            .position(|w| *w == "-c" || *w == "-ec" || *w == "-ce")
        {
            if let Some(script) = rest.get(pos + 1) {
                return classify_script(script, depth + 1);
            }
        }
    }
    let kind = if is_fpm(program) {
        ProcessKind::PhpFpm
    } else if is_php(program) {
        return classify_php(argv);
    } else {
        match p {
            "frankenphp" => ProcessKind::FrankenPhp,
            "rr" | "roadrunner" => ProcessKind::RoadRunner,
            "nginx" | "openresty" => ProcessKind::Nginx,
            "apache2-foreground" | "httpd-foreground" | "apache2ctl" | "httpd" | "apachectl" => {
                ProcessKind::Apache
            }
            "supervisord" => ProcessKind::Supervisord,
            "cron" | "crond" | "supercronic" => ProcessKind::Cron,
            "busybox" if rest.get(1) == Some(&"crond") => ProcessKind::Cron,
            "artisan" => {
                return classify_php(std::iter::once("php".to_owned()).chain(argv).collect());
            }
            _ => ProcessKind::Other,
        }
    };
    Process {
        kind,
        argv,
        subcommand: None,
        preceding: Vec::new(),
    }
}

/// `php [options] artisan <command> ...` or `php script.php`.
fn classify_php(argv: Vec<String>) -> Process {
    let mut i = 1;
    // php's own options: `-d key=value`, `-c path`, `-dkey=value`, `-n`.
    while i < argv.len() && argv[i].starts_with('-') {
        if matches!(argv[i].as_str(), "-d" | "-c" | "-z") {
            i += 1;
        }
        i += 1;
    }
    let script = argv.get(i).map(String::as_str).unwrap_or("");
    let sub = if basename(script) == "artisan" {
        argv.get(i + 1).cloned()
    } else {
        None
    };
    let kind = match sub.as_deref() {
        Some("octane:start" | "octane:frankenphp" | "octane:roadrunner" | "octane:swoole") => {
            ProcessKind::Octane
        }
        Some("horizon") => ProcessKind::Horizon,
        Some("queue:work" | "queue:listen") => ProcessKind::QueueWorker,
        Some("schedule:work" | "schedule:run") => ProcessKind::Scheduler,
        Some("serve") => ProcessKind::ArtisanServe,
        _ => ProcessKind::PhpCli,
    };
    Process {
        kind,
        argv,
        subcommand: sub,
        preceding: Vec::new(),
    }
}

/// The command of a `sh -c` script that keeps the foreground: the last simple
/// command of the top-level list (`a && b; exec c` runs `c`).
fn classify_script(script: &str, depth: usize) -> Process {
    let (mut before, last) = script_commands(script);
    match last {
        Some(words) => {
            let refs: Vec<&str> = words.iter().map(String::as_str).collect();
            let mut p = classify(&refs, depth);
            // A nested `sh -c` keeps its own list before ours.
            before.append(&mut p.preceding);
            p.preceding = before;
            p
        }
        None => Process::default(),
    }
}

/// The words of the command that keeps the foreground of a script: the last
/// simple command of the top-level list that is not control flow or
/// housekeeping (`a && b; exec c` gives `exec c`).
pub fn foreground_command(script: &str) -> Option<Vec<String>> {
    script_commands(script).1
}

/// The simple commands of a script's top-level list that matter (control flow
/// and housekeeping skipped): those run before the foreground one, and it.
fn script_commands(script: &str) -> (Vec<Vec<String>>, Option<Vec<String>>) {
    let mut last: Option<Vec<String>> = None;
    let mut before: Vec<Vec<String>> = Vec::new();
    for part in split_list(script) {
        let mut words = shell_words(&part);
        // Loop and condition keywords wrap the command that runs.
        while words
            .first()
            .is_some_and(|w| matches!(w.as_str(), "do" | "then" | "else" | "{" | "("))
        {
            words.remove(0);
        }
        // Control words and housekeeping never hold the container.
        if words.first().is_none_or(|w| {
            matches!(
                w.as_str(),
                "done"
                    | "fi"
                    | "esac"
                    | "}"
                    | ")"
                    | "while"
                    | "until"
                    | "for"
                    | "if"
                    | "sleep"
                    | "echo"
                    | "printf"
                    | "true"
                    | ":"
                    | "set"
                    | "cd"
                    | "export"
                    | "trap"
                    | "wait"
                    | "mkdir"
                    | "chown"
                    | "chmod"
                    | "rm"
                    | "cp"
                    | "ln"
            )
        }) {
            continue;
        }
        before.extend(last.replace(words));
    }
    (before, last)
}

/// Splits a shell line at top-level `&&`, `&`, `||`, `;`, `|` and newlines.
fn split_list(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                cur.push(c);
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    if n != '\n' {
                        cur.push('\\');
                        cur.push(n);
                    }
                }
            }
            (None, ';' | '\n' | '|') => {
                if chars.peek() == Some(&'|') {
                    chars.next();
                }
                out.push(std::mem::take(&mut cur));
            }
            (None, '&') => {
                // `a && b` and `a & b` (backgrounded) both end a command.
                if chars.peek() == Some(&'&') {
                    chars.next();
                }
                out.push(std::mem::take(&mut cur));
            }
            (None, c) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// A command line split into words as a shell (or compose's string
/// `command:`) would, quotes removed, no expansion.
pub fn split_command_line(line: &str) -> Vec<String> {
    shell_words(line)
}

/// Words of a simple shell command, quotes removed (no expansion).
fn shell_words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in cmd.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, '&') => {}
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(words: &[&str]) -> ProcessKind {
        Process::from_argv(words).kind
    }

    #[test]
    fn programs() {
        assert_eq!(kind(&["php-fpm"]), ProcessKind::PhpFpm);
        assert_eq!(kind(&["/usr/sbin/php-fpm8.3", "-F"]), ProcessKind::PhpFpm);
        assert_eq!(kind(&["php-fpm83"]), ProcessKind::PhpFpm);
        assert_eq!(kind(&["php8.2-fpm", "-F"]), ProcessKind::PhpFpm);
        assert_eq!(
            kind(&["docker-php-entrypoint", "php-fpm"]),
            ProcessKind::PhpFpm
        );
        assert_eq!(kind(&["tini", "--", "php-fpm", "-F"]), ProcessKind::PhpFpm);
        assert_eq!(kind(&["nginx", "-g", "daemon off;"]), ProcessKind::Nginx);
        assert_eq!(kind(&["apache2-foreground"]), ProcessKind::Apache);
        assert_eq!(kind(&["/docker-entrypoint.sh"]), ProcessKind::Other);
        assert_eq!(
            kind(&["/usr/local/bin/docker-entrypoint.sh", "php-fpm"]),
            ProcessKind::PhpFpm
        );
        assert_eq!(kind(&[]), ProcessKind::Unknown);
        assert_eq!(kind(&["frankenphp", "run"]), ProcessKind::FrankenPhp);
    }

    #[test]
    fn artisan_commands() {
        let p = Process::from_argv(&[
            "php",
            "artisan",
            "octane:start",
            "--server=swoole",
            "--workers",
            "4",
        ]);
        assert_eq!(p.kind, ProcessKind::Octane);
        assert_eq!(p.octane_server(), Some("swoole"));
        assert_eq!(p.flag("--workers"), Some("4"));
        assert_eq!(
            kind(&["php", "-d", "memory_limit=-1", "artisan", "horizon"]),
            ProcessKind::Horizon
        );
        assert_eq!(
            kind(&["php", "/var/www/artisan", "queue:work", "--tries=3"]),
            ProcessKind::QueueWorker
        );
        assert_eq!(
            kind(&["php", "artisan", "schedule:work"]),
            ProcessKind::Scheduler
        );
        assert_eq!(
            kind(&["php", "artisan", "serve", "--host=0.0.0.0"]),
            ProcessKind::ArtisanServe
        );
        assert_eq!(
            kind(&["php", "artisan", "migrate", "--force"]),
            ProcessKind::PhpCli
        );
        assert_eq!(kind(&["php8.3", "-a"]), ProcessKind::PhpCli);
        assert_eq!(
            Process::from_argv(&["php", "artisan", "octane:frankenphp"]).octane_server(),
            Some("frankenphp")
        );
    }

    #[test]
    fn worker_flags() {
        let p = Process::from_argv(&[
            "php",
            "artisan",
            "octane:start",
            "--server=roadrunner",
            "--max-requests",
            "0",
            "--watch",
            "--rr-config=.rr.yaml",
        ]);
        assert_eq!(p.octane_max_requests(), Some("0"));
        assert_eq!(p.octane_watch(), Some("--watch"));
        assert_eq!(p.flag("--rr-config"), Some(".rr.yaml"));
        assert_eq!(p.octane_server(), Some("roadrunner"));
        let p = Process::from_argv(&["php", "artisan", "octane:swoole", "--poll"]);
        assert_eq!(p.octane_watch(), Some("--poll"));
        assert_eq!(p.octane_max_requests(), None);
        let p = Process::from_argv(&[
            "php",
            "artisan",
            "queue:work",
            "redis",
            "--max-jobs=1000",
            "--max-time",
            "3600",
            "--memory=256",
            "--tries=3",
        ]);
        assert_eq!(p.queue_option("--max-jobs"), Some("1000"));
        assert_eq!(p.queue_option("--max-time"), Some("3600"));
        assert_eq!(p.queue_option("--memory"), Some("256"));
        assert_eq!(p.queue_option("--timeout"), None);
        assert!(!p.is_queue_listen());
        assert!(Process::from_argv(&["php", "artisan", "queue:listen"]).is_queue_listen());
        assert!(
            Process::from_argv(&["php", "artisan", "queue:work", "--once"]).queue_exits_by_itself()
        );
        // A compose string command is split like a shell line.
        let words = split_command_line("sh -c \"php artisan queue:work --max-jobs=10\"");
        assert_eq!(words.len(), 3);
        let p = Process::from_argv(&words);
        assert_eq!(p.queue_option("--max-jobs"), Some("10"));
    }

    #[test]
    fn shell_scripts() {
        assert_eq!(
            kind(&["sh", "-c", "php artisan migrate --force && php-fpm -F"]),
            ProcessKind::PhpFpm
        );
        assert_eq!(
            kind(&[
                "/bin/bash",
                "-c",
                "php artisan config:cache; exec php artisan queue:work"
            ]),
            ProcessKind::QueueWorker
        );
        assert_eq!(
            kind(&["sh", "-c", "php-fpm -D & nginx -g 'daemon off;'"]),
            ProcessKind::Nginx
        );
        assert_eq!(
            kind(&[
                "sh",
                "-c",
                "while true; do php artisan schedule:run; sleep 60; done"
            ]),
            ProcessKind::Scheduler
        );
        assert!(Process::from_argv(&["sh", "-c", "exec php-fpm -F"]).fpm_foreground());
        // The commands before the foreground one are kept, housekeeping left out.
        let p = Process::from_argv(&[
            "sh",
            "-c",
            "mkdir -p storage && php artisan migrate --force; echo ok && bash -c 'php artisan config:cache && exec php-fpm'",
        ]);
        assert_eq!(p.kind, ProcessKind::PhpFpm);
        let before: Vec<Option<String>> = p.preceding_processes().map(|q| q.subcommand).collect();
        assert_eq!(
            before,
            [Some("migrate".to_owned()), Some("config:cache".to_owned())]
        );
        assert!(Process::from_argv(&["php-fpm"]).preceding.is_empty());
        assert!(!Process::from_argv(&["php-fpm"]).fpm_foreground());
    }
}
