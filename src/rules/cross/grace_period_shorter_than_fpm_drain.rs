//! X005: the pod's `terminationGracePeriodSeconds` (default 30) does not
//! cover php-fpm's graceful drain, `process_control_timeout`.
//!
//! On SIGQUIT (the official image's STOPSIGNAL) the fpm master lets every
//! child finish its request for up to `process_control_timeout`, then sends
//! SIGTERM and, a second later, SIGKILL (PHP-FACTS 1.6, php-src
//! `fpm_pctl.c`). The kubelet SIGKILLs the whole container when the grace
//! period ends, preStop included, so a drain as long as the grace period is
//! cut short and the requests it was meant to protect are dropped.

use crate::project::Project;
use crate::project::facts::Role;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct GracePeriodShorterThanFpmDrain;

impl Rule for GracePeriodShorterThanFpmDrain {
    fn code(&self) -> &'static str {
        "X005"
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
                || node.pools.is_empty()
            {
                continue;
            }
            // The include sets the image's pool files belong to, and the
            // drain each one's global scope sets.
            let mut sets: Vec<usize> = node
                .pools
                .iter()
                .flat_map(|l| project.fpm_set_indexes_with(l.to))
                .copied()
                .collect();
            sets.sort_unstable();
            sets.dedup();
            let drain = sets
                .into_iter()
                .filter_map(|i| project.fpm_sets().get(i))
                .filter_map(|s| {
                    let found = s.global.get("process_control_timeout")?;
                    let secs = found.directive.value.as_duration().ok()?;
                    Some((secs, found.file.id, found.directive.value.span))
                })
                .max_by_key(|(secs, _, _)| *secs);
            let Some((drain, file, span)) = drain else {
                continue;
            };
            let (grace, grace_span) = dep.pod.grace_period();
            if drain < grace {
                continue;
            }
            let said = if grace_span.is_some() {
                format!("`terminationGracePeriodSeconds: {grace}`")
            } else {
                format!("the default `terminationGracePeriodSeconds` of {grace}")
            };
            let message = format!(
                "php-fpm in container `{}` of {} drains requests for up to {drain}s (`process_control_timeout`) but the pod has {said}: the kubelet SIGKILLs it before the drain ends and in-flight requests are dropped",
                c.name,
                dep.object.display()
            );
            let hint = format!(
                "Set `terminationGracePeriodSeconds` above {drain} plus any preStop sleep (e.g. `{}`), or lower `process_control_timeout` below the grace period",
                drain + 10
            );
            match grace_span {
                Some(gs) => {
                    ctx.report_in(dep.file(), gs, message)
                        .label_text("grace period")
                        .hint(hint)
                        .secondary(file, span, "php-fpm's drain");
                }
                None => {
                    ctx.report_in(dep.file(), c.span, message)
                        .label_text("default grace period of 30s")
                        .hint(hint)
                        .secondary(file, span, "php-fpm's drain");
                }
            }
        }
    }
}
