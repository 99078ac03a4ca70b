//! K8S041: app container of a long-running workload that receives traffic,
//! without a readiness probe.
//!
//! Readiness decides whether a Service routes to the pod. A queue worker or a
//! scheduler that no Service selects and that declares no port receives no
//! traffic, so it is not asked for one (it may still want a liveness probe).

use crate::model::k8s::{self, ContainerKind};
use crate::model::k8s_pod;
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use crate::model::k8s_pod::PortRef;
use std::collections::HashMap;

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
        // Template index -> the ports Services send its pods traffic on.
        let mut served: HashMap<usize, Vec<PortRef>> = HashMap::new();
        for (_, targets, templates) in set.service_routes() {
            for t in templates {
                served.entry(t).or_default().extend(targets.iter().copied());
            }
        }
        for (t, tpl) in set.templates.iter().enumerate() {
            let Some(obj) = set.object(tpl.object) else { continue };
            if !obj.obj.is_long_running() {
                continue;
            }
            let main: Vec<_> = k8s::containers(tpl.spec)
                .into_iter()
                .filter(|c| c.kind == ContainerKind::Main)
                .collect();
            // The containers a Service reaches: those declaring one of its target
            // ports, or the only app container (ports are informational). A
            // sidecar (config reloader, proxy) the Service does not target is not.
            let targeted: Vec<bool> = match served.get(&t) {
                Some(targets) => {
                    let hits: Vec<bool> = main
                        .iter()
                        .map(|c| {
                            k8s_pod::ports(c)
                                .iter()
                                .any(|p| targets.iter().any(|t| p.matches(*t)))
                        })
                        .collect();
                    if hits.iter().any(|h| *h) {
                        hits
                    } else {
                        main.iter().map(|_| main.len() == 1).collect()
                    }
                }
                None => main.iter().map(|_| false).collect(),
            };
            for (c, selected) in main.into_iter().zip(targeted) {
                if k8s_pod::probe(&c, "readinessProbe").is_some() {
                    continue;
                }
                // Traffic: a Service reaches the container, or no Service selects
                // the pods and the container declares a port (a Service in a file
                // not linted with it may).
                if !selected && (served.contains_key(&t) || k8s_pod::ports(&c).is_empty()) {
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
