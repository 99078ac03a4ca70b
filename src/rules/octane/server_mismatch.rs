//! OCT009: the server a command line starts (`--server=swoole`,
//! `octane:frankenphp`) differs from `config/octane.php`'s `server`.

use super::commands::{configured_servers, sites};
use crate::project::Project;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OctaneServerMismatch;

impl Rule for OctaneServerMismatch {
    fn code(&self) -> &'static str {
        "OCT009"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::Octane,
            FileKind::Dockerfile,
            FileKind::Kubernetes,
            FileKind::Compose,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let configs = configured_servers(project);
        // Only a literal `'server' => 'swoole'`: an `env()` default is
        // usually overridden by `.env`, which deploylint does not see.
        let Some((cfg_file, cfg)) = configs.iter().find(|(_, s)| s.env.is_none()) else {
            return;
        };
        let Some(configured) = cfg.value.as_deref() else {
            return;
        };
        for s in sites(
            project,
            &[
                FileKind::Dockerfile,
                FileKind::Kubernetes,
                FileKind::Compose,
            ],
        ) {
            if s.process.kind != ProcessKind::Octane {
                continue;
            }
            let Some(started) = s.process.octane_server() else {
                continue;
            };
            if started.eq_ignore_ascii_case(configured) {
                continue;
            }
            ctx.report_in(
                s.file,
                s.span,
                format!(
                    "This {} starts Octane with `{started}` but `config/octane.php` selects `{configured}`: `octane:reload`, `octane:stop` and `octane:status` without `--server` act on `{configured}`, so deploy-time reloads miss the running server",
                    s.origin_name()
                ),
            )
            .label_text(format!("starts {started}"))
            .secondary(*cfg_file, cfg.span, format!("selects {configured}"))
            .hint(format!("Set `'server' => '{started}'` in `config/octane.php` (or `env('OCTANE_SERVER', '{started}')`) so every Octane command agrees"));
        }
    }
}
