//! K8S051: an HPA utilization metric on containers without that request.

use crate::project::Project;
use crate::project::facts::Role;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct HpaUtilizationWithoutRequest;

impl Rule for HpaUtilizationWithoutRequest {
    fn code(&self) -> &'static str {
        "K8S051"
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
            let Some(t) = set.find(hpa.namespace(), kind, name) else {
                continue; // K8S050
            };
            let (Some(obj), Some(tpl)) = (set.object(t), set.template_of(t)) else {
                continue;
            };
            for u in &h.utilization {
                let missing: Vec<_> = tpl
                    .pod
                    .containers
                    .iter()
                    .filter(|c| c.role == Role::Main)
                    .filter(|c| u.container.as_ref().is_none_or(|n| c.name == *n))
                    .filter(|c| !c.requested.contains(&u.resource))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let names: Vec<String> = missing.iter().map(|c| format!("`{}`", c.name)).collect();
                let how = if u.implicit {
                    "has no metrics, so it scales on the default 80% utilization".to_owned()
                } else {
                    "scales on utilization".to_owned()
                };
                let d = ctx.report_in(
                    hpa.file,
                    u.span,
                    format!(
                        "HorizontalPodAutoscaler `{}` {how} of `{}`, but container{} {} of {} request{} no `{}`",
                        hpa.name().unwrap_or("<unnamed>"),
                        u.resource,
                        if names.len() == 1 { "" } else { "s" },
                        names.join(", "),
                        obj.display(),
                        if names.len() == 1 { "s" } else { "" },
                        u.resource
                    ),
                );
                d.label_text("utilization cannot be computed");
                for c in &missing {
                    d.secondary(
                        obj.file,
                        c.span,
                        format!("no `resources.requests.{}`", u.resource),
                    );
                }
            }
        }
    }
}
