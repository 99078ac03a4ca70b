//! OCT008: `queue:listen` deployed: it boots the whole framework for every job.

use super::commands::sites;
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct QueueListenDeployed;

impl Rule for QueueListenDeployed {
    fn code(&self) -> &'static str {
        "OCT008"
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
            if !s.process.is_queue_listen() || s.development {
                continue;
            }
            ctx.report_in(
                s.file,
                s.span,
                format!(
                    "`queue:listen` in this {} starts a new PHP process and boots the framework for every job: a development command that wastes CPU and latency in production",
                    s.origin_name()
                ),
            )
            .label_text("development command")
            .hint("Run `php artisan queue:work --max-jobs=1000 --max-time=3600` and restart workers on deploy (`queue:restart` or a new pod)");
        }
    }
}
