//! FPM010: `clear_env = yes` (the default) and no `env[...]`: the container's
//! environment never reaches PHP.

use super::image::ImageDefaults;
use super::pools::{boolean, each_pool, missing_at, symbolic};
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ClearEnvWithoutEnv;

impl Rule for ClearEnvWithoutEnv {
    fn code(&self) -> &'static str {
        "FPM010"
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
        each_pool(project, |_, pool| {
            let name = &pool.name;
            if !pool.scope.array("env").is_empty() {
                return;
            }
            let clear = pool.scope.get("clear_env");
            if symbolic(clear) {
                return;
            }
            let hint = format!(
                "Set `clear_env = no` in pool `{name}`, or pass what the app reads: `env[DB_HOST] = $DB_HOST`"
            );
            match (clear, boolean(clear)) {
                (Some(f), Some(true)) => {
                    ctx.report_in(f.file.id, f.directive.value.span, format!("`clear_env = yes` and no `env[...]` in pool `{name}`: Kubernetes/Docker environment variables never reach PHP"))
                        .hint(hint)
                        .label_text("environment cleared");
                }
                (None, _) if image.pool_value(name, "clear_env").is_none() => {
                    let Some((file, _, span)) = missing_at(&pool.scope) else {
                        return;
                    };
                    ctx.report_in(file.id, span, format!("pool `{name}` keeps `clear_env = yes` (the default) with no `env[...]`: Kubernetes/Docker environment variables never reach PHP"))
                        .hint(format!("{hint} (the official php image's docker.conf sets `clear_env = no` for `[www]` only)"))
                        .label_text("environment cleared");
                }
                _ => {}
            }
        });
    }
}
