//! FPM011: `process_control_timeout` unset or 0: on SIGQUIT (graceful stop or
//! reload) the master gives workers about a second before killing them.

use super::pools::{development_file, missing_at, seconds};
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ProcessControlTimeoutUnset;

impl Rule for ProcessControlTimeoutUnset {
    fn code(&self) -> &'static str {
        "FPM011"
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
        const HINT: &str = "Set `process_control_timeout = 20s` in `[global]`: longer than the slowest request, shorter than the pod's `terminationGracePeriodSeconds`";
        for set in project.fpm_sets() {
            // Development overlays and dev-stack configs are not production.
            // A stock copy of the image's config is not the project's.
            if set.files.iter().all(|f| development_file(ctx.settings, f))
                || super::image::ImageDefaults::stock_copy(set)
            {
                continue;
            }
            match set.global.get("process_control_timeout") {
                Some(f) => {
                    if seconds(Some(f)) == Some(0) {
                        ctx.report_in(f.file.id, f.directive.value.span, "`process_control_timeout` is 0: on a graceful stop php-fpm kills in-flight requests after about a second")
                            .hint(HINT)
                            .label_text("no grace period");
                    }
                }
                None => {
                    // Point at [global] when the set has one, else at the first pool.
                    let anchor = missing_at(&set.global)
                        .or_else(|| set.pools.first().and_then(|p| missing_at(&p.scope)));
                    let Some((file, _, span)) = anchor else {
                        continue;
                    };
                    ctx.report_in(file.id, span, "`process_control_timeout` is not set (default 0): on a graceful stop php-fpm kills in-flight requests after about a second")
                        .hint(HINT)
                        .label_text("no `process_control_timeout`");
                }
            }
        }
    }
}
