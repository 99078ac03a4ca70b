//! OCT003: Octane workers that are never recycled (`--max-requests=0`, or
//! `swoole.options.max_request => 0`): long-lived workers keep every leak.

use super::commands::sites;
use crate::project::process::ProcessKind;
use crate::project::{ParsedFile, Project};
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OctaneWorkersNeverRecycled;

impl Rule for OctaneWorkersNeverRecycled {
    fn code(&self) -> &'static str {
        "OCT003"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Octane]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(e) = file
            .document
            .as_php()
            .and_then(|p| p.root.as_ref())
            .and_then(|r| r.get("swoole"))
            .and_then(|s| s.get("options"))
            .and_then(|o| o.entry("max_request"))
        else {
            return;
        };
        if e.value.effective().and_then(|s| s.as_int()) == Some(0) {
            ctx.report(
                e.value.span,
                "`swoole.options.max_request` is 0: Swoole never restarts a worker, so every leak and piece of stale state lives until the container dies",
            )
            .label_text("workers never recycled")
            .hint("Remove it (Octane then recycles each worker after `--max-requests`, default 500) or set a bound such as `1000`");
        }
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::Dockerfile,
            FileKind::Kubernetes,
            FileKind::Compose,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for s in sites(project, self.project_inputs()) {
            if s.process.kind != ProcessKind::Octane {
                continue;
            }
            let Some(v) = s.process.octane_max_requests() else {
                continue;
            };
            if v.trim().parse::<i64>().ok() != Some(0) {
                continue;
            }
            let server = s
                .process
                .octane_server()
                .map_or(String::new(), |s| format!(" ({s})"));
            ctx.report_in(
                s.file,
                s.span,
                format!(
                    "`--max-requests=0` in this {}: Octane{server} never recycles its workers, so leaked memory and stale state grow until the container is OOM-killed",
                    s.origin_name()
                ),
            )
            .label_text("workers never recycled")
            .hint("Drop `--max-requests=0` (Octane's default recycles each worker after 500 requests) or give a bound, `--max-requests=1000`");
        }
    }
}
