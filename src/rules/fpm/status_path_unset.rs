//! FPM006: `pm.status_path` unset, so exporters and autoscalers see no pool metrics.

use super::pools::{each_pool, missing_at};
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct StatusPathUnset;

impl Rule for StatusPathUnset {
    fn code(&self) -> &'static str {
        "FPM006"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::PhpFpm,
            FileKind::Dockerfile,
            FileKind::Kubernetes,
            FileKind::Compose,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        each_pool(project, |_, pool| {
            if pool.scope.get("pm.status_path").is_some() {
                return;
            }
            let Some((file, _, span)) = missing_at(&pool.scope) else {
                return;
            };
            ctx.report_in(file.id, span, format!("pool `{}` does not set `pm.status_path`: no active/idle/queue metrics for exporters or the HPA", pool.name))
                .hint(format!("Add `pm.status_path = /status` to pool `{}` (keep it off the public web server)", pool.name))
                .label_text("no `pm.status_path`");
        });
    }
}
