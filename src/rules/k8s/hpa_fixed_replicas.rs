//! K8S054: a workload scaled by an HPA that also fixes `spec.replicas`.

use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct HpaFixedReplicas;

impl Rule for HpaFixedReplicas {
    fn code(&self) -> &'static str {
        "K8S054"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        for (i, obj) in set.objects.iter().enumerate() {
            let Some((Some(span), n)) = obj.replicas() else {
                continue;
            };
            let Some(hpa) = set.autoscalers_of(i).first().and_then(|&h| set.object(h)) else {
                continue;
            };
            ctx.report_in(
                obj.file,
                span,
                format!(
                    "{} sets `replicas: {n}` but HorizontalPodAutoscaler `{}` scales it: every apply resets the scale to {n}",
                    obj.display(),
                    hpa.name().unwrap_or("<unnamed>")
                ),
            )
            .label_text("fixed replica count")
            .secondary(
                hpa.file,
                hpa.hpa()
                    .and_then(|h| h.target_span)
                    .unwrap_or_else(|| hpa.name_span()),
                "scaled by this autoscaler",
            );
        }
    }
}
