//! X012: Octane's workers default to the node's CPU count, not the
//! container's CPU limit or request.
//!
//! `octane:start` without `--workers` (or `--workers=auto`) starts one worker
//! per CPU the process sees: Swoole's `swoole_cpu_num()` reads
//! `sysconf(_SC_NPROCESSORS_ONLN)`, and RoadRunner and FrankenPHP get `0`,
//! their own default from the CPU count. In a container those are the
//! node's CPUs (a CPU limit is a CFS quota, not fewer CPUs), so a container
//! sized for 2 CPUs on a 64-core node starts 64 workers: 64 x the app's
//! memory, and CPU throttling under load.

use crate::diagnostic::Severity;
use crate::project::Project;
use crate::project::facts::Role;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OctaneWorkersFollowNodeCpus;

/// Workers per CPU of the limit above which the count is reported (info).
const FAR_ABOVE: i128 = 4;

impl Rule for OctaneWorkersFollowNodeCpus {
    fn code(&self) -> &'static str {
        "X012"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile, FileKind::Octane]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        // `swoole.options.worker_num` in any config/octane.php of the run
        // overrides `--workers` for Swoole.
        let swoole_workers_configured = project.of_kind(FileKind::Octane).any(|f| {
            project
                .facts_of(f.id)
                .octane()
                .is_some_and(|o| o.swoole_options.iter().any(|(k, _)| k.text == "worker_num"))
        });
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            let p = &node.process;
            if c.role != Role::Main || p.kind != ProcessKind::Octane || node.process_guess {
                continue;
            }
            if let Some(w) = p
                .flag("--workers")
                .filter(|w| !w.eq_ignore_ascii_case("auto"))
            {
                // Far more workers than CPUs: they only queue on the CPU quota.
                let (Ok(n), Some(cpu)) = (w.trim().parse::<i128>(), c.resources.limits_cpu) else {
                    continue;
                };
                let cpus = cpu.units_ceil().max(1);
                if n > FAR_ABOVE * cpus {
                    let d = ctx.report_in(
                        dep.file(),
                        c.span,
                        format!(
                            "Octane in container `{}` of {} runs {n} workers (`--workers`) under a {cpus}-CPU limit, more than {FAR_ABOVE} per CPU: CPU-bound requests queue on the quota and are throttled, while each worker holds the app's memory",
                            c.name,
                            dep.object.display()
                        ),
                    );
                    d.severity(Severity::Info)
                        .label_text("workers far above the CPU limit")
                        .hint(format!(
                            "Run about 1-2 workers per CPU (`--workers={}`) unless requests mostly wait on I/O, or raise the CPU limit",
                            cpus * 2
                        ));
                    if c.command_span.is_none() {
                        if let Some(l) = &node.dockerfile {
                            if let Some(s) = project
                                .facts_of(l.to)
                                .dockerfile()
                                .and_then(|d| d.runtime_span)
                            {
                                d.secondary(l.to, s, format!("starts {n} workers"));
                            }
                        }
                    }
                }
                continue;
            }
            let server = p.octane_server().unwrap_or("the configured server");
            if swoole_workers_configured && server.eq_ignore_ascii_case("swoole") {
                continue;
            }
            let r = &c.resources;
            let (which, q) = match (r.limits_cpu, r.requests_cpu) {
                (Some(q), _) => ("limit", q),
                (None, Some(q)) => ("request", q),
                (None, None) => continue,
            };
            let cpus = q.value_milli as f64 / 1000.0;
            let shown = if q.value_milli % 1000 == 0 {
                format!("{}", q.value_milli / 1000)
            } else {
                format!("{cpus}")
            };
            let d = ctx.report_in(
                dep.file(),
                c.span,
                format!(
                    "Octane ({server}) in container `{}` of {} starts one worker per CPU of the node (`--workers` unset, so `auto`), not per CPU of its {shown}-CPU {which}: on a 32-core node that is 32 workers, each holding the app's memory",
                    c.name,
                    dep.object.display()
                ),
            );
            d.label_text("workers follow the node").hint(format!(
                "Pass `--workers={}` (about the container's CPUs) to `octane:start`, and size memory for that many workers",
                (cpus.ceil() as i64).max(1)
            ));
            if let Some(l) = &node.dockerfile {
                if let Some(s) = project
                    .facts_of(l.to)
                    .dockerfile()
                    .and_then(|d| d.runtime_span)
                {
                    d.secondary(l.to, s, "starts Octane without `--workers`");
                }
            }
        }
    }
}
