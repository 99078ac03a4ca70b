//! OCT023: HTTP workers that RoadRunner never replaces: `http.pool.max_jobs`
//! 0 or unset, and no supervisor limit (`max_worker_memory`, `ttl`).

use super::common::{development_file, octane_app, root};
use crate::parse::yaml::Node;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RrWorkersNeverRecycled;

/// A positive integer, `Some(false)` for 0, `None` when not known
/// (unset or an environment placeholder).
fn positive(node: Option<&Node>) -> Option<bool> {
    node.and_then(Node::as_i64).map(|n| n > 0)
}

impl Rule for RrWorkersNeverRecycled {
    fn code(&self) -> &'static str {
        "OCT023"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::RoadRunner]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(root) = root(file) else { return };
        let Some(http) = root.entry("http").filter(|e| e.value.is_map()) else {
            return;
        };
        // Octane passes `-o http.pool.max_jobs=<--max-requests>` (default 500).
        if octane_app(root) || development_file(ctx, file) {
            return;
        }
        let pool = http.value.get("pool");
        // Debug pools start a fresh worker for every request.
        if pool.and_then(|p| p.get("debug")).and_then(Node::as_bool) == Some(true) {
            return;
        }
        let max_jobs = pool.and_then(|p| p.entry("max_jobs"));
        match positive(max_jobs.map(|e| &e.value)) {
            Some(true) => return,
            None if max_jobs.is_some_and(|e| !e.value.is_null()) => return,
            _ => {}
        }
        let supervisor = pool.and_then(|p| p.get("supervisor"));
        let limited = |key: &str| {
            supervisor.and_then(|s| s.get(key)).is_some_and(|v| {
                v.as_i64().is_none_or(|n| n > 0)
                    && v.as_str()
                        .is_some_and(|s| s.trim() != "0" && s.trim() != "0s")
            })
        };
        if limited("max_worker_memory") || limited("ttl") {
            return;
        }
        let (span, what) = match max_jobs {
            Some(e) if !e.value.is_null() => {
                (e.value.span, "`http.pool.max_jobs: 0` means no limit")
            }
            _ => match http.value.entry("pool") {
                Some(p) => (p.key.span, "`http.pool` sets no `max_jobs`"),
                None => (http.key.span, "`http` sets no `pool.max_jobs`"),
            },
        };
        ctx.report(
            span,
            format!("HTTP workers are never recycled: {what} and no supervisor limit is set, so a leak in one worker grows until the container is OOM-killed"),
        )
        .hint("Set `http.pool.max_jobs` (e.g. `500`, Octane's default) and/or `http.pool.supervisor.max_worker_memory` (MB). If Octane starts RoadRunner (`octane:start --server=roadrunner`), `--max-requests` (default 500) sets `max_jobs` and beats the file")
        .label_text("workers live forever");
    }
}
