//! K8S025: container sees the node's unmasked `/proc`.

use super::security_common::{checked_containers, describe, sc_field};
use crate::diagnostic::Edit;
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct UnsafeProcMount;

impl Rule for UnsafeProcMount {
    fn code(&self) -> &'static str {
        "K8S025"
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
                let Some(e) = sc_field(&c, "procMount") else {
                    continue;
                };
                let Some(v) = e.value.as_str() else { continue };
                if v == "Default" {
                    continue;
                }
                ctx.report(
                    e.value.span,
                    format!(
                        "{} sets `procMount: {v}`: `/proc` is not masked",
                        describe(&c, &obj)
                    ),
                )
                .label_text("unmasked /proc")
                // Unsafe: nested container runtimes need the unmasked /proc.
                .unsafe_fix(
                    "Set `procMount: Default`",
                    vec![Edit {
                        span: e.value.span,
                        replacement: "Default".into(),
                    }],
                );
            }
        }
    }
}
