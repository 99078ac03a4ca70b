//! K8S011: privileged container (and OpenShift SCCs that allow them).

use super::security_common::{checked_containers, describe, sc_field};
use crate::diagnostic::Edit;
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PrivilegedContainer;

impl Rule for PrivilegedContainer {
    fn code(&self) -> &'static str {
        "K8S011"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            // An SCC that admits privileged pods grants the same to every user it lists.
            if obj.kind == "SecurityContextConstraints" {
                if let Some(e) = obj.root.entry("allowPrivilegedContainer") {
                    if e.value.as_bool() == Some(true) {
                        ctx.report(
                            e.value.span,
                            format!("{} allows privileged containers", obj.display()),
                        )
                        .label_text("privileged allowed")
                        .hint("Set `allowPrivilegedContainer: false` and grant privileges to the one workload that needs them through a dedicated SCC");
                    }
                }
                continue;
            }
            for c in checked_containers(&obj) {
                let Some(e) = sc_field(&c, "privileged") else {
                    continue;
                };
                if e.value.as_bool() == Some(true) {
                    ctx.report(
                        e.value.span,
                        format!("{} is privileged", describe(&c, &obj)),
                    )
                    .label_text("full host access")
                    // Unsafe: a container that really drives host devices stops working.
                    .unsafe_fix(
                        "Set `privileged: false`",
                        vec![Edit {
                            span: e.value.span,
                            replacement: "false".into(),
                        }],
                    );
                }
            }
        }
    }
}
