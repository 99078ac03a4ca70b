//! FPM007: `request_terminate_timeout` unset or 0: a stuck request holds its worker forever.

use super::pools::{development_file, each_pool, missing_at, seconds};
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RequestTerminateTimeoutUnset;

impl Rule for RequestTerminateTimeoutUnset {
    fn code(&self) -> &'static str {
        "FPM007"
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
        let settings = ctx.settings;
        each_pool(project, |set, pool| {
            // Development overlays and dev-stack pools are not production,
            // and a stock copy of the image's config is not the project's.
            if pool
                .scope
                .sections
                .iter()
                .all(|(f, _)| development_file(settings, f))
                || super::image::ImageDefaults::stock_copy(set)
            {
                return;
            }
            let name = &pool.name;
            let hint = format!(
                "Set `request_terminate_timeout = 30s` (a little above the slowest legitimate request) in pool `{name}`"
            );
            match pool.scope.get("request_terminate_timeout") {
                Some(found) => {
                    if seconds(Some(found)) == Some(0) {
                        ctx.report_in(found.file.id, found.directive.value.span, format!("`request_terminate_timeout` is 0 in pool `{name}`: a hung request holds its worker forever"))
                            .hint(hint)
                            .label_text("no time limit");
                    }
                }
                None => {
                    let Some((file, _, span)) = missing_at(&pool.scope) else {
                        return;
                    };
                    ctx.report_in(file.id, span, format!("pool `{name}` does not set `request_terminate_timeout`: a hung request holds its worker forever"))
                        .hint(hint)
                        .label_text("no `request_terminate_timeout`");
                }
            }
        });
    }
}
