//! OCT006: Octane's development file watcher (`--watch`, `--poll`) in a
//! Kubernetes or compose command line. DF007 covers Dockerfiles.

use super::commands::{Origin, sites};
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OctaneWatchInDeployment;

impl Rule for OctaneWatchInDeployment {
    fn code(&self) -> &'static str {
        "OCT006"
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
        for s in sites(project, &[FileKind::Kubernetes, FileKind::Compose]) {
            let Some(flag) = s.process.octane_watch() else {
                continue;
            };
            if s.development {
                continue;
            }
            // A compose file is usually the local stack: only one whose
            // path says production is judged.
            if s.origin == Origin::Compose && !is_production_path(project.path(s.file)) {
                continue;
            }
            ctx.report_in(
                s.file,
                s.span,
                format!(
                    "`{flag}` starts Octane's development file watcher in this {}: it needs Node and chokidar, costs memory in every replica, and Octane exits when the watcher dies",
                    s.origin_name()
                ),
            )
            .label_text("development only")
            .hint("Drop `--watch`/`--poll` from the deployed command and ship code changes as a new image");
        }
    }
}

fn is_production_path(path: &str) -> bool {
    path.to_ascii_lowercase()
        .split(['/', '\\', '.', '-', '_'])
        .any(|w| matches!(w, "prod" | "production" | "live"))
}
