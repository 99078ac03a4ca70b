//! K8S041: app container of a long-running workload that receives traffic,
//! without a readiness probe.
//!
//! Readiness decides whether a Service routes to the pod. A queue worker or a
//! scheduler that no Service selects and that declares no port receives no
//! traffic, so it is not asked for one (it may still want a liveness probe).

use crate::project::Project;
use crate::project::facts::{PortRefFact, Role};
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use std::collections::HashMap;

pub struct ReadinessProbeMissing;

impl Rule for ReadinessProbeMissing {
    fn code(&self) -> &'static str {
        "K8S041"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        // Template index -> the ports Services send its pods traffic on.
        let mut served: HashMap<usize, Vec<&PortRefFact>> = HashMap::new();
        for (_, targets, templates) in set.service_routes() {
            for t in templates {
                served.entry(t).or_default().extend(targets.iter().copied());
            }
        }
        for (t, tpl) in set.templates.iter().enumerate() {
            let Some(obj) = set.object(tpl.object) else {
                continue;
            };
            if !obj.is_long_running() {
                continue;
            }
            let main: Vec<_> = tpl
                .pod
                .containers
                .iter()
                .filter(|c| c.role == Role::Main)
                .collect();
            // The containers a Service reaches: those declaring one of its target
            // ports, or the only app container (ports are informational). A
            // sidecar (config reloader, proxy) the Service does not target is not.
            let targeted: Vec<bool> = match served.get(&t) {
                Some(targets) => {
                    let hits: Vec<bool> = main
                        .iter()
                        .map(|c| c.ports.iter().any(|p| targets.iter().any(|t| p.matches(t))))
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
                if c.probes.iter().any(|p| p.field == "readinessProbe") {
                    continue;
                }
                // Traffic: a Service reaches the container, or no Service selects
                // the pods and the container declares a port (a Service in a file
                // not linted with it may).
                if !selected && (served.contains_key(&t) || c.ports.is_empty()) {
                    continue;
                }
                ctx.report_in(
                    obj.file,
                    c.span,
                    format!(
                        "Container `{}` of {} {} but has no readiness probe",
                        c.name,
                        obj.display(),
                        if selected {
                            "receives Service traffic"
                        } else {
                            "declares ports"
                        }
                    ),
                )
                .label_text("no `readinessProbe`");
            }
        }
    }
}
