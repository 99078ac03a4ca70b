//! The command lines a deployment starts, wherever they are written: a
//! Dockerfile's CMD/ENTRYPOINT, a Kubernetes container's `command`/`args`,
//! a compose service's `command`. Read from the process model, so every OCT
//! rule sees `php artisan queue:work ...` the same way in all three.

use crate::diagnostic::FileId;
use crate::project::Project;
use crate::project::process::Process;
use crate::source::{FileKind, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Dockerfile,
    Kubernetes,
    Compose,
}

/// One command line and where it is written.
pub struct Site<'p> {
    pub file: FileId,
    pub span: Span,
    pub process: &'p Process,
    pub origin: Origin,
    /// The file's path says development or tests (`docker-compose.dev.yml`).
    pub development: bool,
}

impl Site<'_> {
    pub fn origin_name(&self) -> &'static str {
        match self.origin {
            Origin::Dockerfile => "CMD",
            Origin::Kubernetes => "container command",
            Origin::Compose => "compose command",
        }
    }
}

/// Every command line the project's files set themselves (a container that
/// inherits its image's CMD is reported at the Dockerfile, once).
pub fn sites<'p>(project: &'p Project<'_>, kinds: &[FileKind]) -> Vec<Site<'p>> {
    let mut out = Vec::new();
    let dev = |id: FileId| crate::config::is_development_path(project.path(id));
    if kinds.contains(&FileKind::Dockerfile) {
        for (f, d) in project.dockerfiles() {
            if let Some(span) = d.runtime_span {
                out.push(Site {
                    file: f.id,
                    span,
                    process: &d.process,
                    origin: Origin::Dockerfile,
                    development: dev(f.id),
                });
            }
        }
    }
    if kinds.contains(&FileKind::Kubernetes) {
        for d in project.containers() {
            let (c, node) = (d.container, d.node);
            let ev = &node.process_evidence;
            // Only a process the manifest's own command/args decided (one
            // inherited from the image is reported at its Dockerfile).
            let Some(span) = c.command_span else { continue };
            if ev.file != d.file() || node.process_guess || node.process.argv.is_empty() {
                continue;
            }
            out.push(Site {
                file: ev.file,
                span,
                process: &node.process,
                origin: Origin::Kubernetes,
                development: dev(ev.file),
            });
        }
    }
    if kinds.contains(&FileKind::Compose) {
        for n in &project.graph.compose {
            let Some(s) = project
                .facts_of(n.file)
                .compose()
                .and_then(|c| c.services.get(n.service))
            else {
                continue;
            };
            let Some(span) = s.command_span else { continue };
            out.push(Site {
                file: n.file,
                span,
                process: &n.process,
                origin: Origin::Compose,
                development: dev(n.file),
            });
        }
    }
    out
}

/// The Octane server a project's `config/octane.php` selects (literal or
/// `env('OCTANE_SERVER', default)`'s default), with its file and span.
pub fn configured_servers<'p>(
    project: &'p Project<'_>,
) -> Vec<(FileId, &'p crate::project::facts::OctaneSetting)> {
    project
        .of_kind(FileKind::Octane)
        .filter_map(|f| {
            let s = project.facts_of(f.id).octane()?.server.as_ref()?;
            Some((f.id, s))
        })
        .collect()
}
