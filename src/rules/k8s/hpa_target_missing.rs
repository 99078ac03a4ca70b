//! K8S050: an HPA whose `scaleTargetRef` is not among the run's objects.

use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct HpaTargetMissing;

impl Rule for HpaTargetMissing {
    fn code(&self) -> &'static str {
        "K8S050"
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
            let (Some((kind, name)), Some(h)) = (&hpa.obj.scale_target, hpa.hpa()) else {
                continue;
            };
            let ns = hpa.namespace();
            if set.find(ns, kind, name).is_some() {
                continue;
            }
            let span = h
                .target_name_span
                .or(h.target_span)
                .unwrap_or_else(|| hpa.name_span());
            let d = ctx.report_in(
                hpa.file,
                span,
                format!(
                    "HorizontalPodAutoscaler `{}` scales {kind} `{name}`, which is not in the linted files (namespace `{ns}`)",
                    hpa.name().unwrap_or("<unnamed>"),
                ),
            );
            d.label_text("target not found");
            // A near miss is more likely a typo than a workload defined elsewhere.
            for other in ["Deployment", "StatefulSet", "ReplicaSet", "Rollout"] {
                if other == kind {
                    continue;
                }
                if let Some(o) = set.find(ns, other, name).and_then(|i| set.object(i)) {
                    d.secondary(o.file, o.name_span(), format!("a {other} has this name"));
                    break;
                }
            }
        }
    }
}
