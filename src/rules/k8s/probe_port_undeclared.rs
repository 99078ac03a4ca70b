//! K8S046: a probe's named port is not among the container's ports (or a port is declared for UDP/SCTP only).

use crate::diagnostic::Severity;
use crate::model::k8s::{self, ContainerKind};
use crate::model::k8s_pod::{self, PortRef};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ProbePortUndeclared;

impl Rule for ProbePortUndeclared {
    fn code(&self) -> &'static str {
        "K8S046"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            for c in obj.containers() {
                if c.kind == ContainerKind::Ephemeral {
                    continue;
                }
                let ports = k8s_pod::ports(&c);
                for field in ["livenessProbe", "readinessProbe", "startupProbe"] {
                    let Some(probe) = k8s_pod::probe(&c, field) else {
                        continue;
                    };
                    let Some(h) = k8s_pod::handler(&probe.value) else {
                        continue;
                    };
                    let Some((port, node)) = k8s_pod::handler_port(h) else {
                        continue;
                    };
                    let handler = h.key.as_str().unwrap_or("probe");
                    let declared: Vec<_> = ports.iter().filter(|p| p.matches(port)).collect();
                    // Probes connect over TCP (gRPC and HTTP included).
                    // Ports are informational: a probe on an undeclared number (a
                    // health or metrics port, ingress-nginx's 10254) reaches the
                    // process all the same. Only a name needs the declaration.
                    let why = if declared.is_empty() && matches!(port, PortRef::Number(_)) {
                        continue;
                    } else if declared.is_empty() {
                        "is not declared in its `ports`"
                    } else if declared
                        .iter()
                        .all(|p| !p.protocol.eq_ignore_ascii_case("TCP"))
                    {
                        "is declared for UDP/SCTP only, and probes use TCP"
                    } else {
                        continue;
                    };
                    let d = ctx.report(
                        node.span,
                        format!(
                            "The {handler} {field} of container `{}` of {} uses port `{port}`, which {why}",
                            c.name(),
                            obj.display()
                        ),
                    );
                    d.label_text("undeclared port");
                    // A name the kubelet cannot resolve fails every probe; an
                    // undeclared number still works if the process listens there.
                    if matches!(port, PortRef::Name(_)) {
                        d.severity(Severity::Error);
                    }
                    match (declared.first(), c.node.entry("ports")) {
                        (Some(p), _) => {
                            let span = p.node.get("protocol").map_or(p.node.span, |n| n.span);
                            d.secondary(file.id, span, "declared here, not for TCP");
                        }
                        (None, Some(e)) => {
                            d.secondary(file.id, e.key.span, "the declared ports");
                        }
                        (None, None) => {}
                    }
                }
            }
        }
    }
}
