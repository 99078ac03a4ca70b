//! X021: php-fpm's `pm.max_children` (all pools of the container) far
//! above the container's CPU limit (info).
//!
//! Each php-fpm child serves one request at a time; when they all run PHP at
//! once, they share the CPU quota, so children beyond what the quota can run
//! only queue on it (CFS throttling, longer requests) while each holds its
//! memory. Children waiting on I/O (database, Redis, HTTP) do not use the
//! CPU, which is why a pool may rightly run several children per CPU: the
//! rule only speaks when there are more than `children-per-cpu` (default 8)
//! per CPU of the limit, rounded up, at least one CPU. Pools come from the
//! graph as in X001 (the pools the image copies in, over the official
//! image's `[www]` defaults when it keeps them).

use crate::diagnostic::FileId;
use crate::project::Project;
use crate::project::defaults::PHP_FPM;
use crate::project::facts::Role;
use crate::project::links::ContainerNode;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct FpmChildrenOverCpu;

/// Children per CPU above which the rule speaks, by default: for children
/// beyond 8 per CPU to add throughput, requests would have to spend more
/// than 7/8 of their time waiting on I/O.
const DEFAULT_PER_CPU: i64 = 8;

struct Pool {
    name: String,
    children: i64,
    /// The `pm.max_children` line, when a file of the workspace sets it.
    at: Option<(FileId, Span)>,
}

/// A pool's name, its `pm.max_children` text and where that is set.
type MergedPool = (String, Option<String>, Option<(FileId, Span)>);

/// The pools the container's php-fpm runs with their `pm.max_children`,
/// merged by name in read order over the official `[www]` defaults.
fn pools(project: &Project, node: &ContainerNode, official: bool) -> Option<Vec<Pool>> {
    let mut out: Vec<MergedPool> = Vec::new();
    if official {
        out.push((
            "www".into(),
            PHP_FPM.fpm_www("pm.max_children").map(str::to_owned),
            None,
        ));
    }
    for l in &node.pools {
        let fpm = project.facts_of(l.to).fpm()?;
        for p in fpm.pools() {
            let set = p.get_at("pm.max_children");
            match out
                .iter_mut()
                .find(|(n, _, _)| n.eq_ignore_ascii_case(&p.name))
            {
                Some(e) => {
                    if let Some((v, s)) = set {
                        e.1 = Some(v.to_owned());
                        e.2 = Some((l.to, s));
                    }
                }
                None => out.push((
                    p.name.to_string(),
                    set.map(|(v, _)| v.to_owned()),
                    set.map(|(_, s)| (l.to, s)),
                )),
            }
        }
    }
    // A pool without a readable `pm.max_children` (php-fpm refuses to start
    // without one; an env variable we cannot resolve): no total to speak of.
    out.into_iter()
        .map(|(name, v, at)| {
            let children = v?.trim().trim_matches('"').parse::<i64>().ok()?;
            Some(Pool { name, children, at })
        })
        .collect()
}

impl Rule for FpmChildrenOverCpu {
    fn code(&self) -> &'static str {
        "X021"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile, FileKind::PhpFpm]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let per_cpu = ctx
            .options()
            .get("children-per-cpu")
            .and_then(serde_json::Value::as_i64)
            .filter(|n| *n > 0)
            .unwrap_or(DEFAULT_PER_CPU);
        for dep in project.containers() {
            let (obj, node, c) = (dep.object, dep.node, dep.container);
            if node.process.kind != ProcessKind::PhpFpm
                || node.process_guess
                || c.role == Role::Ephemeral
            {
                continue;
            }
            let (Some(cpu), Some(cpu_span)) = (c.resources.limits_cpu, c.resources.limits_cpu_span)
            else {
                continue;
            };
            let official = super::fpm_memory_over_limit::runs_official_fpm_config(project, node, c);
            let Some(pools) = pools(project, node, official) else {
                continue;
            };
            let total: i64 = pools.iter().map(|p| p.children).sum();
            let cpus = i64::try_from(cpu.units_ceil().max(1)).unwrap_or(i64::MAX);
            if pools.is_empty() || total <= per_cpu.saturating_mul(cpus) {
                continue;
            }
            let parts: Vec<String> = pools
                .iter()
                .map(|p| format!("`{}`: {}", p.name, p.children))
                .collect();
            let shown = if cpu.value_milli % 1000 == 0 {
                format!("{}", cpu.value_milli / 1000)
            } else {
                format!("{}", cpu.value_milli as f64 / 1000.0)
            };
            let d = ctx.report_in(
                dep.file(),
                cpu_span,
                format!(
                    "php-fpm in container `{}` of {} may run {total} children ({} `pm.max_children`) under a {shown}-CPU limit, more than {per_cpu} per CPU: when requests are CPU-bound the extra children only queue on the CPU quota (throttled, slower requests) while each holds its memory",
                    c.name,
                    obj.display(),
                    if pools.len() == 1 { parts.join("") } else { parts.join(", ") },
                ),
            );
            d.label_text(format!("{total} children share this"))
                .hint(format!(
                    "Size `pm.max_children` from the CPU limit and the share of request time spent on CPU (about {} for {cpus} CPU at 2-4 children per CPU), or raise the CPU limit; keep it if requests mostly wait on I/O (set `children-per-cpu` for X021 in .deploylint.yaml)",
                    cpus * 4
                ));
            for p in &pools {
                if let Some((file, span)) = p.at {
                    d.secondary(file, span, format!("{} children", p.children));
                }
            }
        }
    }
}
