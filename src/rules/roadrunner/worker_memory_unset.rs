//! OCT027 (opt-in): `http.pool.supervisor.max_worker_memory` unset.

use super::common::{development_file, root};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RrWorkerMemoryUnset;

impl Rule for RrWorkerMemoryUnset {
    fn code(&self) -> &'static str {
        "OCT027"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::RoadRunner]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(root) = root(file) else { return };
        if development_file(ctx, file) {
            return;
        }
        let Some(http) = root.entry("http").filter(|e| e.value.is_map()) else {
            return;
        };
        let set = http
            .value
            .path(&["pool", "supervisor", "max_worker_memory"])
            .is_some_and(|v| !v.is_null() && v.as_i64() != Some(0));
        if set {
            return;
        }
        let span = match http.value.entry("pool") {
            Some(p) => p.key.span,
            None => http.key.span,
        };
        ctx.report(
            span,
            "no `http.pool.supervisor.max_worker_memory`: a worker may grow until the container's memory limit kills the whole pod",
        )
        .hint("Set `http.pool.supervisor.max_worker_memory` (MB, e.g. `128`) below the container limit divided by `num_workers`; RoadRunner then replaces a worker after the request that crossed it");
    }
}
