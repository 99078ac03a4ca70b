//! FPM016: `daemonize = yes` set explicitly: as a container's main process,
//! php-fpm forks into the background and the foreground process exits.

use super::image::ImageDefaults;
use super::pools::boolean;
use crate::engine::Project;
use crate::model::fpm::config_sets;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct DaemonizeInContainer;

/// A linted Dockerfile, manifest or compose file starts php-fpm with `-F` /
/// `--nodaemonize`, which overrides the directive.
fn started_in_foreground(project: &Project) -> bool {
    project.files.iter().any(|f| {
        matches!(
            f.kind(),
            Some(FileKind::Dockerfile | FileKind::Kubernetes | FileKind::Compose)
        ) && f.source.text.lines().any(|l| {
            l.contains("fpm")
                && (l.contains("nodaemonize")
                    || l.split(|c: char| c.is_whitespace() || "\"',[]".contains(c))
                        .any(|w| w == "-F"))
        })
    })
}

impl Rule for DaemonizeInContainer {
    fn code(&self) -> &'static str {
        "FPM016"
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        // The official image's zz-docker.conf, read last, sets `daemonize = no`.
        if ImageDefaults::of(project).global_value("daemonize").is_some()
            || started_in_foreground(project)
        {
            return;
        }
        for set in config_sets(project) {
            let found = set.global.get("daemonize");
            if let (Some(f), Some(true)) = (found, boolean(found)) {
                ctx.report_in(f.file.id, f.directive.value.span, "`daemonize = yes`: as the container's main process php-fpm forks into the background and the container exits at once")
                    .hint("Set `daemonize = no` in `[global]`, or start php-fpm with `-F` (`--nodaemonize`)")
                    .label_text("exits at start-up");
            }
        }
    }
}
