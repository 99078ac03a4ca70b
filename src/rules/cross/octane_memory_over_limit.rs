//! X013: Octane's (or RoadRunner's) PHP workers x per-worker memory above
//! the container's memory limit.
//!
//! Workers: `--workers=N`, Swoole's `swoole.options.worker_num`, RoadRunner's
//! `http.pool.num_workers` for `rr serve`; where they default to the CPU
//! count, the container's CPU limit rounded up (a lower bound: the default is
//! the node's CPU count). Swoole adds as many task workers (`--task-workers`,
//! `task_worker_num`, default the CPU count), each a booted copy of the app.
//! Per worker: the `worker-memory` option (a typical RSS), else PHP's
//! `memory_limit` (`-d` on the command line, the image's ini files, PHP's
//! default 128M). Plus the server's own process (`master-memory`, 32Mi).

use super::env::configmaps;
use super::fpm_memory_over_limit::php_default_memory_limit;
use super::php_runtime::{effective_ini, ini_setting, resolve_env, rr_config, run_may_set};
use crate::model::units::{Quantity, human_k8s_bytes, parse_quantity};
use crate::project::Project;
use crate::project::facts::Role;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OctaneMemoryOverLimit;

const DEFAULT_MASTER: i128 = 32 << 20;

fn bytes(text: &str) -> Option<i128> {
    match parse_quantity(text.trim().trim_matches('"')) {
        Quantity::Ok(n) => Some(i128::from(n)),
        _ => None,
    }
}

/// A worker count as given (`4`), `None` for `auto` or anything else.
fn count(text: &str) -> Option<i128> {
    text.trim()
        .trim_matches('"')
        .parse::<i128>()
        .ok()
        .filter(|n| *n > 0)
}

impl Rule for OctaneMemoryOverLimit {
    fn code(&self) -> &'static str {
        "X013"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &FileKind::ALL
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let opts = ctx.options();
        let typical = opts
            .get("worker-memory")
            .and_then(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .or_else(|| v.as_i64().map(|n| n.to_string()))
            })
            .and_then(|t| bytes(&t).map(|b| (t, b)));
        let master = opts
            .get("master-memory")
            .and_then(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .or_else(|| v.as_i64().map(|n| n.to_string()))
            })
            .and_then(|t| bytes(&t))
            .unwrap_or(DEFAULT_MASTER)
            .max(0);
        let configured = super::php_runtime::configured_octane_server(project);
        // `swoole.options` of the run's config/octane.php (one file, else unknown).
        let octane: Vec<_> = project
            .of_kind(FileKind::Octane)
            .filter_map(|f| project.facts_of(f.id).octane())
            .collect();
        let swoole_option = |key: &str| -> Result<Option<i128>, ()> {
            let mut found = None;
            for o in &octane {
                if let Some((_, s)) = o.swoole_options.iter().find(|(k, _)| k.text == key) {
                    match s.as_i64() {
                        Some(n) if n > 0 => found = Some(i128::from(n)),
                        _ => return Err(()),
                    }
                }
            }
            Ok(found)
        };
        let cms = configmaps(project);
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            let p = &node.process;
            if c.role != Role::Main || node.process_guess {
                continue;
            }
            let (Some(limit), Some(limit_span)) =
                (c.resources.limits_memory, c.resources.limits_memory_span)
            else {
                continue;
            };
            let limit = limit.bytes();
            // The `.rr.yaml` of `rr serve`, and its `num_workers` when set.
            let mut rr_at = None;
            let cpus = c.resources.limits_cpu.map(|q| q.units_ceil().max(1));
            let (server, workers, tasks, from) = match p.kind {
                ProcessKind::Octane => {
                    let server = super::php_runtime::octane_server_of(p, &configured);
                    let swoole = server.as_deref() == Some("swoole");
                    let flag = p.flag("--workers").and_then(count);
                    let (workers, from) = match (swoole, flag) {
                        (true, _) => match (swoole_option("worker_num"), flag) {
                            (Err(()), _) => continue,
                            (Ok(Some(n)), _) => (Some(n), "`swoole.options.worker_num`"),
                            (Ok(None), Some(n)) => (Some(n), "`--workers`"),
                            (Ok(None), None) => (cpus, "auto"),
                        },
                        (false, Some(n)) => (Some(n), "`--workers`"),
                        (false, None) => (cpus, "auto"),
                    };
                    let tasks = if swoole {
                        match swoole_option("task_worker_num") {
                            Err(()) => continue,
                            Ok(Some(n)) => n,
                            Ok(None) => p
                                .flag("--task-workers")
                                .and_then(count)
                                .or(cpus)
                                .unwrap_or(0),
                        }
                    } else {
                        0
                    };
                    let shown = server.unwrap_or_else(|| "the configured server".to_owned());
                    (format!("Octane ({shown})"), workers, tasks, from)
                }
                ProcessKind::RoadRunner => {
                    let Some((id, rr)) =
                        rr_config(project, p, node.dockerfile.as_ref().map(|l| l.to))
                    else {
                        continue;
                    };
                    let n = rr.num_workers.as_ref().and_then(|l| count(&l.text));
                    rr_at = Some((id, rr.num_workers.as_ref().map(|l| l.span)));
                    let from = if n.is_some() {
                        "`http.pool.num_workers`"
                    } else {
                        "auto"
                    };
                    ("RoadRunner".to_owned(), n.or(cpus), 0, from)
                }
                _ => continue,
            };
            let Some(workers) = workers else { continue };
            // Per-worker memory.
            let (mem_text, mem, mem_source) = match &typical {
                Some((t, b)) => (t.clone(), *b, None),
                None => {
                    if effective_ini(project, &dep).is_none()
                        || run_may_set(project, &dep, "memory_limit")
                    {
                        continue; // the ini files PHP reads are not known
                    }
                    match ini_setting(project, &dep, "memory_limit") {
                        Some(s) => {
                            let Some(v) = resolve_env(project, &cms, &dep, &s.value) else {
                                continue;
                            };
                            let Some(b) = bytes(&v) else { continue };
                            (v, b, Some(s))
                        }
                        None => {
                            let v = php_default_memory_limit(ctx.settings.php_version);
                            let Some(b) = bytes(&v) else { continue };
                            (v, b, None)
                        }
                    }
                }
            };
            if mem <= 0 {
                continue; // -1: unlimited, nothing to add up
            }
            let processes = workers + tasks;
            let total = processes * mem + master;
            if total <= limit {
                continue;
            }
            let fits = ((limit - master) / mem - tasks).max(0);
            let workers_part = if from == "auto" {
                format!(
                    "{workers} workers (one per CPU, at least the {workers}-CPU limit: Octane's default follows the node)"
                )
            } else {
                format!("{workers} workers ({from})")
            };
            let tasks_part = if tasks > 0 {
                format!(" + {tasks} task workers")
            } else {
                String::new()
            };
            let mem_what = if typical.is_some() {
                "typical memory (option `worker-memory`)".to_owned()
            } else {
                match &mem_source {
                    Some(s) => format!("`memory_limit` from {}", s.what),
                    None => "`memory_limit` (PHP's default)".to_owned(),
                }
            };
            let d = ctx.report_in(
                dep.file(),
                limit_span,
                format!(
                    "{server} in container `{}` of {} may use {}: {workers_part}{tasks_part} x {mem_text} {mem_what} + {} for the server process, but its memory limit is {}: under load the kernel OOM-kills the container",
                    c.name,
                    dep.object.display(),
                    human_k8s_bytes(total),
                    human_k8s_bytes(master),
                    human_k8s_bytes(limit)
                ),
            );
            let how = if rr_at.is_some() {
                format!("`http.pool.num_workers: {fits}`")
            } else {
                format!("`--workers={fits}`")
            };
            d.label_text("below the workers' worst case").hint(format!(
                "Run at most {fits} workers{} ({how}), lower `memory_limit`, or raise `resources.limits.memory` to at least {}",
                if tasks > 0 { format!(" next to {tasks} task workers") } else { String::new() },
                human_k8s_bytes(total)
            ));
            if let Some((id, Some(span))) = rr_at {
                d.secondary(id, span, format!("{workers} workers"));
            } else if let Some(l) = &node.dockerfile {
                if let Some(s) = project
                    .facts_of(l.to)
                    .dockerfile()
                    .and_then(|d| d.runtime_span)
                {
                    if c.command_span.is_none() {
                        d.secondary(l.to, s, format!("starts {workers} workers"));
                    }
                }
            }
            if let Some((file, span)) = mem_source.and_then(|s| s.at) {
                d.secondary(file, span, format!("{mem_text} per worker"));
            }
        }
    }
}
