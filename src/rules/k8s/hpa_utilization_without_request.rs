//! K8S051: an HPA utilization metric on containers without that request.

use crate::project::Project;
use crate::model::k8s::{self, ContainerKind};
use crate::model::k8s_pod;
use crate::model::k8s_set::ScaleTarget;
use crate::parse::yaml::Node;
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use crate::source::Span;

pub struct HpaUtilizationWithoutRequest;

/// One utilization target: the resource, an optional container, and the
/// node to point at.
struct Utilization<'a> {
    resource: &'a str,
    container: Option<&'a str>,
    span: Span,
    implicit: bool,
}

fn utilization_metrics(hpa: &Node) -> Vec<Utilization<'_>> {
    let mut out = Vec::new();
    let Some(spec) = hpa.get("spec") else { return out };
    // autoscaling/v1
    if let Some(e) = spec.entry("targetCPUUtilizationPercentage") {
        out.push(Utilization {
            resource: "cpu",
            container: None,
            span: e.key.span,
            implicit: false,
        });
    }
    let metrics = spec.get("metrics").map(Node::as_seq).unwrap_or_default();
    for m in metrics {
        let (field, per_container) = match m.str_at(&["type"]) {
            Some("Resource") => ("resource", false),
            Some("ContainerResource") => ("containerResource", true),
            _ => continue,
        };
        let Some(r) = m.get(field) else { continue };
        let is_util = r.str_at(&["target", "type"]) == Some("Utilization")
            || r.get("targetAverageUtilization").is_some(); // v2beta1
        let Some(name) = r.get("name") else { continue };
        let Some(resource) = name.as_str() else { continue };
        if !is_util {
            continue;
        }
        out.push(Utilization {
            resource,
            container: if per_container {
                r.str_at(&["container"])
            } else {
                None
            },
            span: name.span,
            implicit: false,
        });
    }
    // Without metrics (v1 without a target, or v2 with none) the HPA
    // defaults to 80% average CPU utilization.
    if out.is_empty() && metrics.is_empty() {
        if let Some(e) = hpa.entry("spec") {
            out.push(Utilization {
                resource: "cpu",
                container: None,
                span: e.key.span,
                implicit: true,
            });
        }
    }
    out
}

impl Rule for HpaUtilizationWithoutRequest {
    fn code(&self) -> &'static str {
        "K8S051"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        for (_, hpa) in set.of_kind("HorizontalPodAutoscaler") {
            let Some(target) = ScaleTarget::of(hpa) else { continue };
            let Some(t) = set.find(hpa.namespace(), target.kind, target.name) else {
                continue; // K8S050
            };
            let (Some(obj), Some(tpl)) = (set.object(t), set.template_of(t)) else {
                continue;
            };
            for u in utilization_metrics(hpa.obj.root) {
                let missing: Vec<_> = k8s::containers(tpl.spec)
                    .into_iter()
                    .filter(|c| c.kind == ContainerKind::Main)
                    .filter(|c| u.container.is_none_or(|n| c.name() == n))
                    .filter(|c| !k8s_pod::has_request(c, u.resource))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let names: Vec<String> = missing.iter().map(|c| format!("`{}`", c.name())).collect();
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
                        obj.obj.display(),
                        if names.len() == 1 { "s" } else { "" },
                        u.resource
                    ),
                );
                d.label_text("utilization cannot be computed");
                for c in &missing {
                    d.secondary(
                        obj.file,
                        c.anchor_span(),
                        format!("no `resources.requests.{}`", u.resource),
                    );
                }
            }
        }
    }
}
