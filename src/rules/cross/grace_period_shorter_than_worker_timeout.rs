//! X010: a queue worker's job timeout (`queue:work --timeout`, default 60 s)
//! longer than the pod's `terminationGracePeriodSeconds` (default 30 s).
//!
//! On SIGTERM `queue:work` finishes the job it is running, then exits; a
//! job may run up to `--timeout` seconds. When the grace period is shorter,
//! the kubelet SIGKILLs the worker in the middle of a job on every deploy,
//! scale-down or node drain: the job is retried after `retry_after` and its
//! side effects may happen twice. Laravel's deployment docs say the same of
//! Supervisor's `stopwaitsecs`.

use crate::project::Project;
use crate::project::facts::Role;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct GracePeriodShorterThanWorkerTimeout;

/// `queue:work`'s default `--timeout`.
const DEFAULT_TIMEOUT: i64 = 60;

impl Rule for GracePeriodShorterThanWorkerTimeout {
    fn code(&self) -> &'static str {
        "X010"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            let p = &node.process;
            if c.role != Role::Main
                || p.kind != ProcessKind::QueueWorker
                || node.process_guess
                || p.queue_exits_by_itself()
            {
                continue;
            }
            let (timeout, explicit) = match p.queue_option("--timeout") {
                Some(t) => match t.trim().parse::<i64>() {
                    Ok(n) => (n, true),
                    Err(_) => continue,
                },
                None => (DEFAULT_TIMEOUT, false),
            };
            // 0: no timeout at all; nothing a grace period can cover.
            if timeout <= 0 {
                continue;
            }
            let (grace, grace_span) = dep.pod.grace_period();
            if timeout <= grace {
                continue;
            }
            let timeout_said = if explicit {
                format!("`--timeout={timeout}`")
            } else {
                format!("{timeout}s (the default `--timeout`)")
            };
            let grace_said = if grace_span.is_some() {
                format!("`terminationGracePeriodSeconds: {grace}`")
            } else {
                format!("the default grace period of {grace}s")
            };
            let message = format!(
                "`{}` in container `{}` of {} lets a job run for {timeout_said} but the pod has {grace_said}: a deploy or node drain SIGKILLs the worker mid-job, and the job runs again",
                p.subcommand.as_deref().unwrap_or("queue:work"),
                c.name,
                dep.object.display()
            );
            let span = grace_span.unwrap_or(c.span);
            ctx.report_in(dep.file(), span, message)
                .label_text(if grace_span.is_some() {
                    "grace period"
                } else {
                    "default grace period of 30s"
                })
                .hint(format!(
                    "Set `terminationGracePeriodSeconds` above the worker's timeout (e.g. `{}`), or lower `--timeout` to what the longest job needs",
                    timeout + 15
                ));
        }
    }
}
