//! K8S016: secret written in plain text in a container's `env[].value`.

use super::plaintext_secret::plaintext_secret;
use super::security_common::{checked_containers, describe};
use crate::engine::ParsedFile;
use crate::model::k8s;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PlaintextSecretInEnv;

impl Rule for PlaintextSecretInEnv {
    fn code(&self) -> &'static str {
        "K8S016"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else { return };
        for obj in k8s::objects(yaml) {
            for c in checked_containers(&obj) {
                for var in c.node.get("env").map(|e| e.as_seq()).unwrap_or_default() {
                    let Some(name) = var.str_at(&["name"]) else { continue };
                    let Some(value_node) = var.get("value") else { continue };
                    let Some(value) = value_node.as_str() else { continue };
                    let Some(kind) = plaintext_secret(name, value) else { continue };
                    ctx.mask(value_node.span);
                    let secret = format!("{}-secrets", obj.name().unwrap_or("app"));
                    ctx.report(
                        value_node.span,
                        format!(
                            "{} sets `{name}` in plain text ({kind})",
                            describe(&c, &obj)
                        ),
                    )
                    .label_text("plaintext secret")
                    .hint(format!(
                        "Store the value in a Secret and reference it: `valueFrom: {{secretKeyRef: {{name: {secret}, key: {name}}}}}`; rotate this value, it is in the repository history"
                    ));
                }
            }
        }
    }
}
