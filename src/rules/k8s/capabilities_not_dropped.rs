//! K8S017: container keeps the runtime's default capabilities.

use super::security_common::{capability, checked_containers, describe, missing_span, sc_field};
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct CapabilitiesNotDropped;

/// The capabilities containerd and CRI-O grant by default (the Docker set).
/// Dropping each of them is as good as dropping `ALL`.
pub const RUNTIME_DEFAULT: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

impl Rule for CapabilitiesNotDropped {
    fn code(&self) -> &'static str {
        "K8S017"
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
                let caps = sc_field(&c, "capabilities");
                let drop = caps.and_then(|e| e.value.entry("drop"));
                let dropped: Vec<String> = drop
                    .map(|d| d.value.as_seq())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|n| n.as_str())
                    .map(capability)
                    .collect();
                if dropped.iter().any(|d| d == "ALL")
                    || RUNTIME_DEFAULT
                        .iter()
                        .all(|cap| dropped.iter().any(|d| d == cap))
                {
                    continue;
                }
                let span = drop
                    .or(caps)
                    .map_or_else(|| missing_span(&c), |e| e.key.span);
                let what = if drop.is_some() {
                    "`capabilities.drop` does not include `ALL`"
                } else {
                    "it does not drop `ALL` capabilities"
                };
                ctx.report(
                    span,
                    format!("{} keeps default capabilities: {what}", describe(&c, &obj)),
                )
                .label_text("capabilities kept");
            }
        }
    }
}
