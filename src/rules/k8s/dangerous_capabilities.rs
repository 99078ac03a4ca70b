//! K8S014: container adds a dangerous Linux capability.

use super::security_common::{capability, checked_containers, describe, sc_field};
use crate::diagnostic::Severity;
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct DangerousCapabilities;

/// Capabilities that let a container escape to, or take over, the node (or
/// its network). `ALL` and `SYS_ADMIN` are close to `privileged: true`.
const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "NET_RAW",
    "SYS_PTRACE",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "DAC_READ_SEARCH",
    "BPF",
    "PERFMON",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
];

impl Rule for DangerousCapabilities {
    fn code(&self) -> &'static str {
        "K8S014"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            for c in checked_containers(&obj) {
                let Some(caps) = sc_field(&c, "capabilities") else {
                    continue;
                };
                let Some(add) = caps.value.get("add") else {
                    continue;
                };
                for item in add.as_seq() {
                    let Some(name) = item.as_str() else { continue };
                    let cap = capability(name);
                    if !DANGEROUS.contains(&cap.as_str()) {
                        continue;
                    }
                    let d = ctx
                        .report(
                            item.span,
                            format!("{} adds the `{cap}` capability", describe(&c, &obj)),
                        )
                        .label_text("dangerous capability");
                    if matches!(cap.as_str(), "ALL" | "SYS_ADMIN") {
                        d.severity(Severity::Error);
                    }
                }
            }
        }
    }
}
