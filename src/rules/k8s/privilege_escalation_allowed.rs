//! K8S012: `allowPrivilegeEscalation` not set to `false`.

use super::security_common::{checked_containers, describe, missing_span, sc_field};
use crate::diagnostic::Edit;
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PrivilegeEscalationAllowed;

impl Rule for PrivilegeEscalationAllowed {
    fn code(&self) -> &'static str {
        "K8S012"
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
                let who = describe(&c, &obj);
                match sc_field(&c, "allowPrivilegeEscalation") {
                    Some(e) if e.value.as_bool() == Some(false) => {}
                    Some(e) if !e.value.is_null() => {
                        let d = ctx
                            .report(
                                e.value.span,
                                format!("{who} allows privilege escalation: `allowPrivilegeEscalation` is not `false`"),
                            )
                            .label_text("escalation allowed");
                        // Unsafe: a setuid binary the app relies on would stop working.
                        if e.value.as_bool() == Some(true) {
                            d.unsafe_fix(
                                "Set `allowPrivilegeEscalation: false`",
                                vec![Edit {
                                    span: e.value.span,
                                    replacement: "false".into(),
                                }],
                            );
                        }
                    }
                    _ => {
                        ctx.report(
                            missing_span(&c),
                            format!("{who} allows privilege escalation: `allowPrivilegeEscalation: false` is not set"),
                        )
                        .label_text("no `allowPrivilegeEscalation: false`");
                    }
                }
            }
        }
    }
}
