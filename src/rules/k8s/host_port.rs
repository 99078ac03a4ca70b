//! K8S024: container binds a port on the node (`hostPort`).

use super::security_common::{checked_containers, describe};
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct HostPort;

impl Rule for HostPort {
    fn code(&self) -> &'static str {
        "K8S024"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        // Manifests for a kind (Kubernetes in Docker) cluster: hostPort with
        // the cluster's `extraPortMappings` is how kind exposes a port
        // (ingress-nginx's `provider/kind/deploy.yaml`).
        if file
            .source
            .path
            .split(['/', '\\'])
            .any(|c| c.eq_ignore_ascii_case("kind"))
        {
            return;
        }
        for obj in k8s::objects(yaml) {
            for c in checked_containers(&obj) {
                for port in c.node.get("ports").map(|p| p.as_seq()).unwrap_or_default() {
                    let Some(host) = port.get("hostPort") else {
                        continue;
                    };
                    let Some(n) = host.as_i64().filter(|n| *n != 0) else {
                        continue;
                    };
                    ctx.report(
                        host.span,
                        format!(
                            "{} binds port `{n}` on the node (`hostPort`)",
                            describe(&c, &obj)
                        ),
                    )
                    .label_text("node port");
                }
            }
        }
    }
}
