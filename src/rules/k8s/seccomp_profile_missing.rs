//! K8S019: containers run without the runtime's default seccomp profile.

use super::security_common::{checked_containers, describe, inherited, pod_missing_span};
use crate::diagnostic::Severity;
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SeccompProfileMissing;

impl Rule for SeccompProfileMissing {
    fn code(&self) -> &'static str {
        "K8S019"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            let Some(pod) = obj.pod_spec() else { continue };
            let mut unset = Vec::new();
            // A pod-level `Unconfined` inherited by several containers is reported once.
            let mut reported = Vec::new();
            for c in checked_containers(&obj) {
                let profile = inherited(&c, pod, "seccompProfile");
                let ty = profile.and_then(|p| p.value.entry("type"));
                match ty.and_then(|t| t.value.as_str().map(|s| (t, s))) {
                    Some((_, "RuntimeDefault" | "Localhost")) => {}
                    Some((t, _)) if reported.contains(&t.value.span) => {}
                    Some((t, other)) => {
                        reported.push(t.value.span);
                        ctx.report(
                            t.value.span,
                            format!(
                                "{} runs with seccomp profile `{other}`: every system call is allowed",
                                describe(&c, &obj)
                            ),
                        )
                        .severity(Severity::Warning)
                        .label_text("no seccomp filtering");
                    }
                    None => unset.push(format!("`{}`", c.name())),
                }
            }
            if unset.is_empty() {
                continue;
            }
            ctx.report(
                pod_missing_span(&obj),
                format!(
                    "{} sets no seccomp profile for {}: `seccompProfile.type: RuntimeDefault` is missing",
                    obj.display(),
                    unset.join(", ")
                ),
            )
            .label_text("no seccomp profile");
        }
    }
}
