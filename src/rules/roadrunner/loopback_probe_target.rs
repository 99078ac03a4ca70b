//! OCT026: `status.address` or `http.address` bound to a loopback address
//! on the port a Kubernetes probe checks: the kubelet connects to the pod
//! IP, never to the container's loopback, so the probe always fails.

use super::common::development_file;
use crate::diagnostic::FileId;
use crate::parse::yaml;
use crate::project::Project;
use crate::project::facts::{Handler, Loc, PortRefFact, RrFacts, VolumeSource, roadrunner};
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct RrLoopbackProbeTarget;

/// `127.0.0.1:2114`, `localhost:2114`, `[::1]:2114` -> 2114.
fn loopback_port(address: &str) -> Option<i64> {
    let a = address.trim().trim_start_matches("tcp://");
    let (host, port) = a.rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host == "localhost" || host == "::1" || host.starts_with("127.");
    if !loopback {
        return None;
    }
    port.parse().ok()
}

impl Rule for RrLoopbackProbeTarget {
    fn code(&self) -> &'static str {
        "OCT026"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::RoadRunner, FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let mut listeners: Vec<Listener> = Vec::new();
        for file in project.of_kind(FileKind::RoadRunner) {
            let Some(rr) = project.facts_of(file.id).roadrunner() else {
                continue;
            };
            if development_file(ctx, file) {
                continue;
            }
            for (section, address, port) in loopback_listeners(rr) {
                listeners.push(Listener {
                    file: file.id,
                    span: address.span,
                    section,
                    port,
                    configmap: None,
                });
            }
        }
        // A RoadRunner config shipped in a ConfigMap (`data: {.rr.yaml: |...}`).
        for file in project.of_kind(FileKind::Kubernetes) {
            if development_file(ctx, file) {
                continue;
            }
            let Some(k) = project.facts_of(file.id).kubernetes() else {
                continue;
            };
            for obj in k.objects.iter().filter(|o| o.kind == "ConfigMap") {
                for (key, value) in &obj.config_data {
                    let lower = key.to_ascii_lowercase();
                    let rr_name = (lower.starts_with(".rr") || lower.starts_with("rr."))
                        && (lower.ends_with(".yaml") || lower.ends_with(".yml"));
                    if !rr_name {
                        continue;
                    }
                    let rr = roadrunner(&yaml::parse(value));
                    for (section, address, port) in loopback_listeners(&rr) {
                        let addr = address.text.as_str();
                        let text = &file.source.text;
                        let from = obj.span.start.min(text.len());
                        let Some(at) = text.get(from..).and_then(|t| t.find(addr)) else {
                            continue;
                        };
                        listeners.push(Listener {
                            file: file.id,
                            span: Span::new(from + at, from + at + addr.len()),
                            section,
                            port,
                            configmap: obj.name.clone(),
                        });
                    }
                }
            }
        }
        if listeners.is_empty() {
            return;
        }
        for c in project.containers() {
            if matches!(
                c.node.process.kind,
                ProcessKind::PhpFpm
                    | ProcessKind::Nginx
                    | ProcessKind::Apache
                    | ProcessKind::FrankenPhp
            ) {
                continue;
            }
            for probe in &c.container.probes {
                let port = match &probe.handler {
                    Handler::Http { port, .. } | Handler::Tcp { port } => port.as_ref(),
                    _ => None,
                };
                let number = match port {
                    Some(PortRefFact::Number(n)) => Some(*n),
                    Some(PortRefFact::Name(name)) => c
                        .container
                        .ports
                        .iter()
                        .find(|p| p.name.as_deref() == Some(name))
                        .and_then(|p| p.number),
                    None => None,
                };
                let Some(number) = number else { continue };
                for l in listeners.iter().filter(|l| l.port == number) {
                    // A config in a ConfigMap counts only where it is mounted.
                    if let Some(cm) = &l.configmap {
                        let mounted = c.pod.volumes.iter().any(|v| {
                            matches!(&v.source, VolumeSource::ConfigMap(n) if n == cm)
                                && c.container.mounts.iter().any(|m| m.volume == v.name)
                        });
                        if !mounted {
                            continue;
                        }
                    }
                    ctx.report_in(
                        l.file,
                        l.span,
                        format!(
                            "`{}.address` listens on loopback port {}, which the {} of container `{}` checks: the kubelet connects to the pod IP, so the probe can never succeed",
                            l.section, l.port, probe.field, c.container.name
                        ),
                    )
                    .hint(format!(
                        "Bind to all interfaces: `{}.address: 0.0.0.0:{}` (or `:{}`)",
                        l.section, l.port, l.port
                    ))
                    .secondary(c.file(), probe.port_span.unwrap_or(probe.span), "probe checks this port")
                    .label_text("loopback only");
                }
            }
        }
    }
}

struct Listener {
    file: FileId,
    span: Span,
    section: &'static str,
    port: i64,
    configmap: Option<String>,
}

/// `status.address` / `http.address` values bound to loopback, with their port.
fn loopback_listeners(rr: &RrFacts) -> Vec<(&'static str, &Loc, i64)> {
    // Octane overrides `http.address` with `--host`/`--port`.
    let http = if rr.serves_octane {
        None
    } else {
        rr.http_address.as_ref()
    };
    [("status", rr.status_address.as_ref()), ("http", http)]
        .into_iter()
        .filter_map(|(section, address)| {
            let address = address?;
            Some((section, address, loopback_port(&address.text)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::loopback_port;

    #[test]
    fn loopback_addresses() {
        assert_eq!(loopback_port("127.0.0.1:2114"), Some(2114));
        assert_eq!(loopback_port("localhost:8080"), Some(8080));
        assert_eq!(loopback_port("[::1]:80"), Some(80));
        assert_eq!(loopback_port("tcp://127.0.0.1:6001"), Some(6001));
        assert_eq!(loopback_port("0.0.0.0:2114"), None);
        assert_eq!(loopback_port(":2114"), None);
        assert_eq!(loopback_port("${ADDR}"), None);
    }
}
