//! DC010 (opt-in): a long-running service without a `restart` policy.

use super::common::{datastore_image, facts};
use crate::project::ParsedFile;
use crate::project::process::{Process, ProcessKind};
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposeRestartUnset;

/// What the service runs keeps running: a server, a worker, a datastore.
fn long_running(image: Option<&str>, command: Option<&[String]>) -> Option<&'static str> {
    if let Some(cmd) = command {
        let p = Process::from_argv(cmd);
        return match p.kind {
            ProcessKind::PhpFpm => Some("php-fpm"),
            ProcessKind::Octane => Some("Octane"),
            ProcessKind::Horizon => Some("Horizon"),
            ProcessKind::QueueWorker => Some("a queue worker"),
            ProcessKind::Scheduler if p.subcommand.as_deref() == Some("schedule:work") => {
                Some("the scheduler")
            }
            ProcessKind::FrankenPhp => Some("FrankenPHP"),
            ProcessKind::RoadRunner => Some("RoadRunner"),
            ProcessKind::Nginx => Some("nginx"),
            ProcessKind::Apache => Some("Apache"),
            ProcessKind::Supervisord => Some("supervisord"),
            _ => None,
        };
    }
    image.and_then(datastore_image)
}

impl Rule for ComposeRestartUnset {
    fn code(&self) -> &'static str {
        "DC010"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(f) = facts(ctx) else { return };
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for s in &f.services {
            if s.restart.is_some() || s.extends {
                continue;
            }
            let swarm_policy = yaml.documents.iter().any(|d| {
                d.root
                    .path(&["services", &s.name, "deploy", "restart_policy"])
                    .is_some()
            });
            if swarm_policy {
                continue;
            }
            let Some(what) = long_running(s.image.as_deref(), s.command.as_deref()) else {
                continue;
            };
            ctx.report(
                s.span,
                format!("service `{}` runs {what} with no `restart` policy: after a crash or a reboot of the Docker host it stays down", s.name),
            )
            .label_text("no restart policy")
            .hint("Add `restart: unless-stopped` (or `on-failure` for workers that should stop when told to)");
        }
    }
}
