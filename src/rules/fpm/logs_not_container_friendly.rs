//! FPM009: php-fpm logs that never reach `kubectl logs`: the global
//! `error_log` not on stderr, a pool `access.log` written to a file, worker
//! output discarded (`catch_workers_output = no`, the default).

use super::image::ImageDefaults;
use super::pools::{boolean, each_pool, is_std_stream, missing_at, section_anchor, symbolic};
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct LogsNotContainerFriendly;

impl Rule for LogsNotContainerFriendly {
    fn code(&self) -> &'static str {
        "FPM009"
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
        let image = ImageDefaults::of(project);
        for set in project.fpm_sets() {
            match set.global.get("error_log") {
                Some(f)
                    if !f.directive.value.is_symbolic()
                        && !is_std_stream(&f.directive.value.text) =>
                {
                    ctx.report_in(f.file.id, f.directive.value.span, format!("global `error_log` writes to `{}`: php-fpm's own log never reaches the container log", f.directive.value.text))
                        .hint("Set `error_log = /proc/self/fd/2` in `[global]`")
                        .label_text("not stderr");
                }
                None if set.has_main_config() && image.global_value("error_log").is_none() => {
                    if let Some((file, section)) = set.global.anchor() {
                        ctx.report_in(file.id, section_anchor(section), "global `error_log` is unset: php-fpm writes its log to `log/php-fpm.log` inside the container")
                            .hint("Set `error_log = /proc/self/fd/2` in `[global]`")
                            .label_text("no `error_log`");
                    }
                }
                _ => {}
            }
        }
        each_pool(project, |_, pool| {
            let name = &pool.name;
            if let Some(f) = pool.scope.get("access.log") {
                let v = &f.directive.value;
                // `/dev/null` switches the access log off (requests are logged at the web server).
                if !v.is_symbolic() && !is_std_stream(&v.text) && v.text.trim() != "/dev/null" {
                    ctx.report_in(f.file.id, v.span, format!("`access.log` of pool `{name}` writes to the file `{}`: it grows inside the container and never reaches the log pipeline", v.text))
                        .hint("Set `access.log = /proc/self/fd/2`, or remove it and log requests at the web server")
                        .label_text("a file");
                }
            }
            let catch = pool.scope.get("catch_workers_output");
            if symbolic(catch) {
                return;
            }
            match (catch, boolean(catch)) {
                (Some(f), Some(false)) => {
                    ctx.report_in(f.file.id, f.directive.value.span, format!("`catch_workers_output = no` in pool `{name}`: worker stdout/stderr (PHP's `php://stderr` logs) go to /dev/null"))
                        .hint("Set `catch_workers_output = yes` (and `decorate_workers_output = no` for clean JSON lines)")
                        .label_text("output discarded");
                }
                (None, _) if image.pool_value(name, "catch_workers_output").is_none() => {
                    let Some((file, _, span)) = missing_at(&pool.scope) else {
                        return;
                    };
                    ctx.report_in(file.id, span, format!("pool `{name}` does not set `catch_workers_output` (default `no`): worker stdout/stderr go to /dev/null"))
                        .hint("Add `catch_workers_output = yes` and `decorate_workers_output = no` (the official php image's docker.conf sets them for `[www]` only)")
                        .label_text("output discarded");
                }
                _ => {}
            }
        });
    }
}
