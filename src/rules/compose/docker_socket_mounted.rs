//! DC008: the Docker socket mounted into a service.

use super::common::facts;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposeDockerSocketMounted;

/// Host paths of the Docker (or Podman) API socket.
fn is_docker_socket(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    matches!(
        p,
        "/var/run/docker.sock"
            | "/run/docker.sock"
            | "//var/run/docker.sock"
            | "/run/podman/podman.sock"
    ) || p.ends_with("/.docker/run/docker.sock")
        || p == "\\\\.\\pipe\\docker_engine"
}

impl Rule for ComposeDockerSocketMounted {
    fn code(&self) -> &'static str {
        "DC008"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, _file: &ParsedFile, ctx: &mut Context) {
        let Some(f) = facts(ctx) else { return };
        for s in &f.services {
            for v in &s.volumes {
                if !v.source.as_deref().is_some_and(is_docker_socket) {
                    continue;
                }
                ctx.report(v.span, format!("service `{}` mounts the Docker socket: anything that runs in it controls the Docker daemon, which is root on the host", s.name))
                    .label_text("Docker socket")
                    .hint("Remove the mount; a service that must watch containers (a proxy, a monitor) should go through a socket proxy that allows only the read calls it needs (`:ro` does not limit the API)");
            }
        }
    }
}
