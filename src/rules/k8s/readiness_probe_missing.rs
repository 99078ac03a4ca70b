//! K8S041: app container of a long-running workload that receives traffic,
//! without a readiness probe.
//!
//! Readiness decides whether a Service routes to the pod. A queue worker or a
//! scheduler that no Service selects and that declares no port receives no
//! traffic, so it is not asked for one (it may still want a liveness probe).

use crate::model::k8s::{self, ContainerKind};
use crate::model::k8s_pod;
use crate::model::k8s_set::Selector;
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use std::collections::HashSet;

pub struct ReadinessProbeMissing;

impl Rule for ReadinessProbeMissing {
    fn code(&self) -> &'static str {
        "K8S041"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        let mut served: HashSet<usize> = HashSet::new();
        for (_, svc) in set.of_kind("Service") {
            if let Some(selector) = svc
                .obj
                .root
                .path(&["spec", "selector"])
                .and_then(Selector::from_map)
            {
                served.extend(set.matching(svc.namespace(), &selector));
            }
        }
        for (t, tpl) in set.templates.iter().enumerate() {
            let Some(obj) = set.object(tpl.object) else { continue };
            if !obj.obj.is_long_running() {
                continue;
            }
            for c in k8s::containers(tpl.spec) {
                if c.kind != ContainerKind::Main || k8s_pod::probe(&c, "readinessProbe").is_some() {
                    continue;
                }
                // Traffic: a Service selects the pods, or the container declares a
                // port (a Service in a file not linted with it may select them).
                let selected = served.contains(&t);
                if !selected && k8s_pod::ports(&c).is_empty() {
                    continue;
                }
                ctx.report_in(
                    obj.file,
                    c.anchor_span(),
                    format!(
                        "Container `{}` of {} {} but has no readiness probe",
                        c.name(),
                        obj.obj.display(),
                        if selected { "receives Service traffic" } else { "declares ports" }
                    ),
                )
                .label_text("no `readinessProbe`");
            }
        }
    }
}
