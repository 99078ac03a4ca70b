//! K8S058: an HTTP probe against php-fpm's FastCGI port.
//!
//! Reads the graph: which containers run php-fpm (the process model: the
//! manifest's command, the linked Dockerfile's CMD, the official image's
//! default, or an image name with `fpm` as a last resort), and which ports
//! php-fpm listens on (the `listen` of the pools the image copies in or the
//! manifest mounts, else the official image's 9000).

use crate::diagnostic::FileId;
use crate::project::Project;
use crate::project::facts::{Handler, PortRefFact};
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct ProbeHttpOnFastcgi;

/// The TCP port of a php-fpm `listen` value (`9000`, `127.0.0.1:9000`,
/// `[::]:9000`); `None` for a Unix socket path.
fn listen_port(listen: &str) -> Option<i64> {
    let l = listen.trim().trim_matches('"');
    if l.starts_with('/') {
        return None;
    }
    l.rsplit(':').next()?.parse().ok()
}

impl Rule for ProbeHttpOnFastcgi {
    fn code(&self) -> &'static str {
        "K8S058"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile, FileKind::PhpFpm]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for dep in project.containers() {
            let (w, obj, node, c) = (dep.workload, dep.object, dep.node, dep.container);
            if node.process.kind != ProcessKind::PhpFpm {
                continue;
            }
            if c.role == crate::project::facts::Role::Ephemeral {
                continue;
            }
            // php-fpm's ports: the linked pools' `listen`, else 9000.
            let mut listens: Vec<(i64, Option<(FileId, Span)>)> = Vec::new();
            for l in &node.pools {
                let Some(fpm) = project.facts_of(l.to).fpm() else {
                    continue;
                };
                for pool in fpm.pools() {
                    if let Some(p) = pool.get("listen").and_then(listen_port) {
                        listens.push((p, Some((l.to, pool.header))));
                    }
                }
            }
            if listens.is_empty() {
                listens.push((9000, None));
            }
            for probe in &c.probes {
                let Handler::Http {
                    port: Some(port), ..
                } = &probe.handler
                else {
                    continue;
                };
                // The port number the probe reaches, through a name if need be.
                let number = match port {
                    PortRefFact::Number(n) => Some(*n),
                    PortRefFact::Name(n) => c
                        .ports
                        .iter()
                        .find(|p| p.name.as_deref() == Some(n.as_str()))
                        .and_then(|p| p.number),
                };
                let named_fastcgi = matches!(port, PortRefFact::Name(n) if n.contains("fastcgi") || n.contains("fpm"));
                let hit = listens.iter().find(|(p, _)| Some(*p) == number);
                if hit.is_none() && !named_fastcgi {
                    continue;
                }
                let shown = match port {
                    PortRefFact::Number(n) => n.to_string(),
                    PortRefFact::Name(n) => n.clone(),
                };
                let d = ctx
                    .report_in(
                        w.object.file,
                        probe.handler_span,
                        format!(
                            "The {} of container `{}` of {} sends HTTP to php-fpm's FastCGI port `{shown}`: it fails every time",
                            probe.field,
                            c.name,
                            obj.display()
                        ),
                    )
                    .label_text("HTTP probe on FastCGI");
                if let Some(span) = probe.port_span {
                    d.secondary(w.object.file, span, "FastCGI port");
                }
                if let Some((_, Some((file, span)))) = hit {
                    d.secondary(*file, *span, "php-fpm listens here");
                }
            }
        }
    }
}
