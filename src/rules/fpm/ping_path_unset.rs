//! FPM005: `ping.path` unset, so probes have no cheap FastCGI target.

use super::pools::{each_pool, missing_at};
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PingPathUnset;

impl Rule for PingPathUnset {
    fn code(&self) -> &'static str {
        "FPM005"
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
            if pool.scope.get("ping.path").is_some() {
                return;
            }
            let Some((file, _, span)) = missing_at(&pool.scope) else {
                return;
            };
            ctx.report_in(file.id, span, format!("pool `{}` does not set `ping.path`: liveness probes have no cheap endpoint that exercises php-fpm itself", pool.name))
                .hint(format!("Add `ping.path = /ping` to pool `{}` and probe it with `cgi-fcgi` (or through the web server)", pool.name))
                .label_text("no `ping.path`");
        });
    }
}
