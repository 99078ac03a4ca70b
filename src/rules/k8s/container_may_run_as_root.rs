//! K8S010: container that may run as root.

use super::security_common::{checked_containers, describe, inherited, missing_span};
use crate::diagnostic::Severity;
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ContainerMayRunAsRoot;

impl Rule for ContainerMayRunAsRoot {
    fn code(&self) -> &'static str {
        "K8S010"
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
            for c in checked_containers(&obj) {
                let who = describe(&c, &obj);
                let user = inherited(&c, pod, "runAsUser");
                match user.and_then(|u| u.value.as_i64()) {
                    Some(0) => {
                        let span = user.map_or(c.anchor_span(), |u| u.value.span);
                        ctx.report(span, format!("{who} runs as root: `runAsUser: 0`"))
                            .severity(Severity::Error)
                            .label_text("root user")
                            .hint("Run as an unprivileged user: `runAsUser: 1000` (any non-zero UID the image can run as) with `runAsNonRoot: true`");
                        continue;
                    }
                    Some(n) if n > 0 => continue,
                    _ => {}
                }
                let non_root = inherited(&c, pod, "runAsNonRoot");
                match non_root.map(|e| (e, e.value.as_bool())) {
                    Some((_, Some(true))) => {}
                    Some((e, Some(false))) => {
                        ctx.report(
                            e.value.span,
                            format!("{who} may run as root: `runAsNonRoot` is `false` and no non-zero `runAsUser` is set"),
                        )
                        .label_text("root allowed");
                    }
                    _ => {
                        ctx.report(
                            missing_span(&c),
                            format!("{who} may run as root: no `runAsNonRoot: true` or non-zero `runAsUser`"),
                        )
                        .label_text("no non-root setting");
                    }
                }
            }
        }
    }
}
