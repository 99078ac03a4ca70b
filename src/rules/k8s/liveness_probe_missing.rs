//! K8S040: app container of a long-running workload without a liveness probe.

use crate::model::{k8s, k8s_pod};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct LivenessProbeMissing;

impl Rule for LivenessProbeMissing {
    fn code(&self) -> &'static str {
        "K8S040"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for (obj, c) in k8s_pod::serving_containers(&k8s::objects(yaml)) {
            if k8s_pod::probe(&c, "livenessProbe").is_none() {
                ctx.report(
                    c.anchor_span(),
                    format!(
                        "Container `{}` of {} has no liveness probe",
                        c.name(),
                        obj.display()
                    ),
                )
                .label_text("no `livenessProbe`");
            }
        }
    }
}
