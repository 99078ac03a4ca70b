//! K8S013: container root filesystem is writable.

use super::security_common::{checked_containers, describe, missing_span, sc_field};
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct WritableRootFilesystem;

impl Rule for WritableRootFilesystem {
    fn code(&self) -> &'static str {
        "K8S013"
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
                match sc_field(&c, "readOnlyRootFilesystem") {
                    Some(e) if e.value.as_bool() == Some(true) => {}
                    Some(e) if !e.value.is_null() => {
                        ctx.report(
                            e.value.span,
                            format!("{who} has a writable root filesystem"),
                        )
                        .label_text("writable root filesystem");
                    }
                    _ => {
                        ctx.report(
                            missing_span(&c),
                            format!("{who} has a writable root filesystem: `readOnlyRootFilesystem: true` is not set"),
                        )
                        .label_text("no `readOnlyRootFilesystem: true`");
                    }
                }
            }
        }
    }
}
