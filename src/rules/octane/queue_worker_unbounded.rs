//! OCT007 (opt-in): `queue:work` with neither `--max-jobs` nor `--max-time`.

use super::commands::sites;
use crate::project::Project;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct QueueWorkerUnbounded;

impl Rule for QueueWorkerUnbounded {
    fn code(&self) -> &'static str {
        "OCT007"
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
            let p = s.process;
            if p.kind != ProcessKind::QueueWorker
                || p.is_queue_listen()
                || p.queue_exits_by_itself()
                || s.development
            {
                continue;
            }
            if p.queue_option("--max-jobs").is_some() || p.queue_option("--max-time").is_some() {
                continue;
            }
            ctx.report_in(
                s.file,
                s.span,
                format!(
                    "`queue:work` in this {} never restarts on its own: without `--max-jobs` or `--max-time` only `--memory` (default 128 MB) ends it, so state and leaks accumulate for the pod's lifetime",
                    s.origin_name()
                ),
            )
            .label_text("worker never recycled")
            .hint("Add `--max-jobs=1000` and/or `--max-time=3600`: the worker exits cleanly and the container restarts it");
        }
    }
}
