//! K8S054: a workload scaled by an HPA that also fixes `spec.replicas`.

use crate::project::Project;
use crate::model::k8s_set;
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

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        for (i, obj) in set.objects.iter().enumerate() {
            let Some((Some(node), n)) = k8s_set::replicas(&obj.obj) else { continue };
            let Some(hpa) = set.autoscalers_of(i).first().and_then(|&h| set.object(h)) else {
                continue;
            };
            let span = obj
                .obj
                .root
                .get("spec")
                .and_then(|s| s.entry("replicas"))
                .map_or(node.span, |e| e.key.span.cover(e.value.span));
            ctx.report_in(
                obj.file,
                span,
                format!(
                    "{} sets `replicas: {n}` but HorizontalPodAutoscaler `{}` scales it: every apply resets the scale to {n}",
                    obj.obj.display(),
                    hpa.name().unwrap_or("<unnamed>")
                ),
            )
            .label_text("fixed replica count")
            .secondary(
                hpa.file,
                hpa.obj
                    .root
                    .path(&["spec", "scaleTargetRef"])
                    .map_or_else(|| hpa.name_span(), |n| n.span),
                "scaled by this autoscaler",
            );
        }
    }
}
