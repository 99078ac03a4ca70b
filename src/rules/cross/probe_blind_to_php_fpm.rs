//! X007: an exec probe on a php-fpm container that cannot see a hung pool.
//!
//! `php-fpm -t` parses the configuration and exits 0 whatever the running
//! master and its workers do; `php -v`/`-m`/`-i` start a fresh CLI; `pgrep`
//! or `pidof php-fpm` only find the process. Each succeeds while every worker
//! is stuck, so the kubelet never restarts (liveness) or unroutes
//! (readiness) a pod that serves nothing. What the container runs is the
//! graph's process model; the hint names the pool's `ping.path` when a
//! linked pool sets one.

use crate::project::Project;
use crate::project::facts::{Handler, Role};
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ProbeBlindToPhpFpm;

/// What a probe command really checks, when it is blind to the pool.
fn blind(command: &[String]) -> Option<&'static str> {
    // `sh -c "..."` probes: read the script's words.
    let words: Vec<&str> = match command {
        [sh, flag, script, ..] if is_shell(sh) && flag == "-c" => {
            script.split_whitespace().collect()
        }
        _ => command.iter().map(String::as_str).collect(),
    };
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).to_owned();
    let program = words.first().map(|w| base(w))?;
    let rest = &words[1..];
    let fpm = |w: &&str| base(w).starts_with("php-fpm");
    if program.starts_with("php-fpm") && rest.iter().any(|w| matches!(*w, "-t" | "-tt" | "--test"))
    {
        return Some("only tests the configuration file");
    }
    let php_cli = program == "php"
        || program.starts_with("php")
            && program[3..].chars().all(|c| c.is_ascii_digit() || c == '.');
    if php_cli
        && !program.starts_with("php-fpm")
        && rest.first().is_some_and(|w| {
            matches!(
                *w,
                "-v" | "--version" | "-m" | "-i" | "--info" | "--modules"
            )
        })
    {
        return Some("starts a new PHP CLI, which says nothing about the running pool");
    }
    if matches!(program.as_str(), "pgrep" | "pidof") && rest.iter().any(fpm) {
        return Some("only finds the php-fpm process, which stays up while its workers hang");
    }
    None
}

fn is_shell(w: &str) -> bool {
    matches!(w.rsplit('/').next(), Some("sh" | "bash" | "ash" | "dash"))
}

impl Rule for ProbeBlindToPhpFpm {
    fn code(&self) -> &'static str {
        "X007"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile, FileKind::PhpFpm]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            if c.role == Role::Ephemeral
                || node.process.kind != ProcessKind::PhpFpm
                || node.process_guess
            {
                continue;
            }
            let ping = node.pools.iter().find_map(|l| {
                let fpm = project.facts_of(l.to).fpm()?;
                fpm.pools().find_map(|p| {
                    p.get("ping.path")
                        .map(|v| (l.to, p.header, v.trim().to_owned()))
                })
            });
            for probe in &c.probes {
                if probe.field == "startupProbe" {
                    continue;
                }
                // A TCP probe is answered by the kernel's listen backlog while
                // every worker hangs; only worth a finding where the linked pool
                // offers a real health answer (`ping.path`) to probe instead.
                if let (Handler::Tcp { .. }, Some((file, span, path))) = (&probe.handler, &ping) {
                    ctx.report_in(
                        dep.file(),
                        probe.handler_span,
                        format!(
                            "The {} of php-fpm container `{}` of {} is a `tcpSocket` check, which the kernel answers while every worker hangs, though the pool answers `{path}`",
                            probe.field,
                            c.name,
                            dep.object.display(),
                        ),
                    )
                    .label_text("blind to the pool")
                    .hint(format!(
                        "Probe the pool's `ping.path`: an exec probe `SCRIPT_NAME={path} SCRIPT_FILENAME={path} REQUEST_METHOD=GET cgi-fcgi -bind -connect 127.0.0.1:9000` (use the pool's `listen` address)"
                    ))
                    .secondary(*file, *span, format!("this pool answers `{path}`"));
                    continue;
                }
                let Handler::Exec { command } = &probe.handler else {
                    continue;
                };
                let Some(what) = blind(command) else { continue };
                let d = ctx.report_in(
                    dep.file(),
                    probe.handler_span,
                    format!(
                        "The {} of php-fpm container `{}` of {} runs `{}`, which {what}: it passes while every worker hangs",
                        probe.field,
                        c.name,
                        dep.object.display(),
                        command.join(" ")
                    ),
                );
                d.label_text("blind to the pool");
                match &ping {
                    Some((file, span, path)) => {
                        d.hint(format!(
                            "Ask the pool itself: an exec probe `SCRIPT_NAME={path} SCRIPT_FILENAME={path} REQUEST_METHOD=GET cgi-fcgi -bind -connect 127.0.0.1:9000` (the pool's `ping.path`; use its `listen` address)"
                        ));
                        d.secondary(*file, *span, format!("this pool answers `{path}`"));
                    }
                    None => {
                        d.hint("Set `ping.path = /ping` in the pool and probe it: an exec probe `SCRIPT_NAME=/ping SCRIPT_FILENAME=/ping REQUEST_METHOD=GET cgi-fcgi -bind -connect 127.0.0.1:9000`, or at least a `tcpSocket` probe on the FastCGI port");
                    }
                }
            }
        }
    }
}
