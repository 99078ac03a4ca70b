//! FPM016: `daemonize = yes` set explicitly: as a container's main process,
//! php-fpm forks into the background and the foreground process exits.

use super::image::ImageDefaults;
use super::pools::boolean;
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct DaemonizeInContainer;

/// A Dockerfile, container or compose service of the run starts php-fpm
/// with `-F` / `--nodaemonize`, which overrides the directive (read from the
/// process model, not from text).
fn started_in_foreground(project: &Project) -> bool {
    let g = project.graph;
    project
        .dockerfiles()
        .any(|(_, d)| d.process.fpm_foreground())
        || g.workloads
            .iter()
            .flat_map(|w| &w.containers)
            .any(|c| c.process.fpm_foreground())
        || g.compose.iter().any(|c| c.process.fpm_foreground())
}

impl Rule for DaemonizeInContainer {
    fn code(&self) -> &'static str {
        "FPM016"
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
        // The official image's zz-docker.conf, read last, sets `daemonize = no`.
        if ImageDefaults::of(project)
            .global_value("daemonize")
            .is_some()
            || started_in_foreground(project)
        {
            return;
        }
        for set in project.fpm_sets() {
            let found = set.global.get("daemonize");
            if let (Some(f), Some(true)) = (found, boolean(found)) {
                ctx.report_in(f.file.id, f.directive.value.span, "`daemonize = yes`: as the container's main process php-fpm forks into the background and the container exits at once")
                    .hint("Set `daemonize = no` in `[global]`, or start php-fpm with `-F` (`--nodaemonize`)")
                    .label_text("exits at start-up");
            }
        }
    }
}
