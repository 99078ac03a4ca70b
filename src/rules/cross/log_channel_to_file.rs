//! X009: Laravel logs to a file inside a container (`LOG_CHANNEL=single` or
//! `daily`, or a `stack` of them), resolved as the container sees it.
//!
//! A container's files go with it: `kubectl logs` and the cluster's log
//! collector read stdout/stderr, so the application log is invisible,
//! grows the writable layer until eviction, and is lost on every restart.

use super::env::{configmaps, env_value, image_env};
use crate::project::Project;
use crate::project::facts::Role;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct LogChannelToFile;

fn file_channel(c: &str) -> bool {
    matches!(c.trim().to_ascii_lowercase().as_str(), "single" | "daily")
}

impl Rule for LogChannelToFile {
    fn code(&self) -> &'static str {
        "X009"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let configmaps = configmaps(project);
        for dep in project.containers() {
            let (w, obj, node, c) = (dep.workload, dep.object, dep.node, dep.container);
            if c.role == Role::Ephemeral {
                continue;
            }
            let image_env = image_env(project, node);
            let Some((channel, src)) = env_value(&configmaps, w, obj, c, &image_env, "LOG_CHANNEL")
            else {
                continue;
            };
            let channel = channel.trim().trim_matches(['"', '\'']).to_owned();
            let shown = if file_channel(&channel) {
                format!("`LOG_CHANNEL={channel}`")
            } else if channel.eq_ignore_ascii_case("stack") {
                // Only an explicit stack of file channels: its default
                // depends on the app's config/logging.php.
                match env_value(&configmaps, w, obj, c, &image_env, "LOG_STACK") {
                    Some((stack, _)) if stack.split(',').all(file_channel) => {
                        format!("`LOG_CHANNEL=stack` with `LOG_STACK={}`", stack.trim())
                    }
                    _ => continue,
                }
            } else {
                continue;
            };
            ctx.report_in(
                src.file,
                src.span,
                format!(
                    "{shown} (from {}) makes Laravel in container `{}` of {} log to a file under `storage/logs/`: `kubectl logs` and the cluster's log collector never see it, and it is lost with the pod",
                    src.what,
                    c.name,
                    obj.display()
                ),
            )
            .label_text("logs to a file")
            .hint("Log to the container's output: `LOG_CHANNEL=stderr` (Laravel's `stderr` channel), or a `stack` whose `LOG_STACK` is `stderr`");
        }
    }
}
