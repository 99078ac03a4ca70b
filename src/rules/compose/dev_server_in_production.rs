//! DC012: a production compose file runs `php artisan serve` or
//! `octane:start --watch`.

use super::common::{Purpose, purpose};
use crate::project::Project;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposeDevServerInProduction;

impl Rule for ComposeDevServerInProduction {
    fn code(&self) -> &'static str {
        "DC012"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Compose, FileKind::Dockerfile]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for node in &project.graph.compose {
            let Some(file) = project.file(node.file) else {
                continue;
            };
            if purpose(&file.source.path) != Purpose::Production {
                continue;
            }
            let Some(s) = project
                .facts_of(node.file)
                .compose()
                .and_then(|c| c.services.get(node.service))
            else {
                continue;
            };
            let p = &node.process;
            let what = match p.kind {
                ProcessKind::ArtisanServe => {
                    "`php artisan serve`, PHP's single-process development server"
                }
                ProcessKind::Octane if p.has_flag(&["--watch"]) => {
                    "`octane:start --watch`, which restarts workers on file changes and needs Node and chokidar in the image"
                }
                _ => continue,
            };
            let (span, from_dockerfile) = match s.command_span {
                Some(span) => (span, None),
                None => (s.span, node.dockerfile.as_ref()),
            };
            let d = ctx.report_in(
                node.file,
                span,
                format!(
                    "service `{}` of a production compose file runs {what}",
                    s.name
                ),
            );
            d.label_text("development server")
                .hint("Run a production server: php-fpm behind nginx or Caddy, or `php artisan octane:start` without `--watch` (`--workers`, `--max-requests` set)");
            if let Some(l) = from_dockerfile {
                let at = project
                    .facts_of(l.to)
                    .dockerfile()
                    .and_then(|f| f.runtime_span)
                    .unwrap_or_default();
                d.secondary(l.to, at, "the command comes from this Dockerfile");
            }
        }
    }
}
