//! K8S052: an HPA that may scale its workload down to a single pod.

use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct HpaMinReplicasLow;

impl Rule for HpaMinReplicasLow {
    fn code(&self) -> &'static str {
        "K8S052"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        for (_, hpa) in set.of_kind("HorizontalPodAutoscaler") {
            let Some(h) = hpa.hpa() else { continue };
            let min = h.min_replicas;
            if min >= 2 {
                continue;
            }
            let (span, what) = match h.min_replicas_span {
                Some(span) => (span, format!("sets `minReplicas: {min}`")),
                None => (
                    hpa.obj
                        .spec_key
                        .map_or_else(|| hpa.name_span(), |(span, _)| span),
                    "sets no `minReplicas` (default 1)".to_owned(),
                ),
            };
            ctx.report_in(
                hpa.file,
                span,
                format!(
                    "HorizontalPodAutoscaler `{}` {what}: at low traffic one pod serves everything",
                    hpa.name().unwrap_or("<unnamed>")
                ),
            )
            .label_text("single replica possible");
        }
    }
}
