//! X017: Horizon's shutdown wait (the longest supervisor `timeout`, 60 s by
//! default) longer than the pod's `terminationGracePeriodSeconds` (default
//! 30 s).
//!
//! Horizon's master supervisor handles SIGTERM as `horizon:terminate` does
//! (`horizon:terminate` only sends SIGTERM to the master): its supervisors
//! stop taking jobs and it waits for the running ones for up to the longest
//! supervisor `timeout` (`MasterSupervisor::terminate`,
//! `longestActiveTimeout()`), 60 s when `config/horizon.php` sets none. So a
//! preStop `horizon:terminate` is not needed when Horizon is the container's
//! process; the grace period is. When it is the shorter, the kubelet
//! SIGKILLs Horizon and its workers mid-job on every deploy or drain.

use crate::project::Project;
use crate::project::facts::Role;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct HorizonGracePeriod;

/// Horizon's default supervisor `timeout` (`SupervisorOptions`, and the
/// published `config/horizon.php` stub).
const DEFAULT_TIMEOUT: i64 = 60;

impl Rule for HorizonGracePeriod {
    fn code(&self) -> &'static str {
        "X017"
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
            if c.role != Role::Main || node.process.kind != ProcessKind::Horizon || node.process_guess
            {
                continue;
            }
            let (grace, grace_span) = dep.pod.grace_period();
            // A preStop sleep spends the grace period before SIGTERM is sent.
            if DEFAULT_TIMEOUT < grace {
                continue;
            }
            let grace_said = if grace_span.is_some() {
                format!("`terminationGracePeriodSeconds: {grace}`")
            } else {
                format!("the default grace period of {grace}s")
            };
            let message = format!(
                "Horizon in container `{}` of {} waits up to {DEFAULT_TIMEOUT}s (the default supervisor `timeout`) for running jobs when stopped, but the pod has {grace_said}: a deploy or node drain SIGKILLs its workers mid-job",
                c.name,
                dep.object.display()
            );
            let d = ctx
                .report_in(dep.file(), grace_span.unwrap_or(c.span), message)
                .label_text(if grace_span.is_some() {
                    "grace period"
                } else {
                    "default grace period of 30s"
                })
                .hint(format!(
                    "Set `terminationGracePeriodSeconds` above the longest supervisor `timeout` in config/horizon.php (e.g. `{}` for the default 60), keeping job timeouts below it; Horizon handles SIGTERM like `horizon:terminate`, so no preStop hook is needed",
                    DEFAULT_TIMEOUT + 15
                ));
            let ev = &node.process_evidence;
            if ev.file != dep.file() {
                d.secondary(ev.file, ev.span, "runs `artisan horizon`");
            }
        }
    }
}
