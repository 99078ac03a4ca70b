//! K8S050: an HPA whose `scaleTargetRef` is not among the run's objects.

use crate::project::Project;
use crate::model::k8s_set::ScaleTarget;
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

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        for (_, hpa) in set.of_kind("HorizontalPodAutoscaler") {
            let Some(target) = ScaleTarget::of(hpa) else { continue };
            let ns = hpa.namespace();
            if set.find(ns, target.kind, target.name).is_some() {
                continue;
            }
            let span = target.node.get("name").map_or(target.node.span, |n| n.span);
            let d = ctx.report_in(
                hpa.file,
                span,
                format!(
                    "HorizontalPodAutoscaler `{}` scales {} `{}`, which is not in the linted files (namespace `{ns}`)",
                    hpa.name().unwrap_or("<unnamed>"),
                    target.kind,
                    target.name
                ),
            );
            d.label_text("target not found");
            // A near miss is more likely a typo than a workload defined elsewhere.
            for kind in ["Deployment", "StatefulSet", "ReplicaSet", "Rollout"] {
                if kind == target.kind {
                    continue;
                }
                if let Some(o) = set.find(ns, kind, target.name).and_then(|i| set.object(i)) {
                    d.secondary(o.file, o.name_span(), format!("a {kind} has this name"));
                    break;
                }
            }
        }
    }
}
