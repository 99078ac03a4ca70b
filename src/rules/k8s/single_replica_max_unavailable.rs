//! K8S055: a single-replica Deployment whose rollout may take its only pod down.

use crate::project::Project;
use crate::project::facts::Role;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SingleReplicaMaxUnavailable;

impl Rule for SingleReplicaMaxUnavailable {
    fn code(&self) -> &'static str {
        "K8S055"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        for (i, obj) in set.of_kind("Deployment") {
            let Some((_, replicas)) = obj.replicas() else {
                continue;
            };
            let hpa_min = set
                .autoscalers_of(i)
                .iter()
                .filter_map(|&h| set.object(h)?.hpa())
                .map(|h| h.min_replicas)
                .max();
            if replicas != 1 || hpa_min.is_some_and(|m| m >= 2) {
                continue;
            }
            // A single-replica database (usually on a ReadWriteOnce volume)
            // must stop before its replacement can mount the data: a brief
            // outage on rollout is the price, not a misconfiguration.
            let runs_database = obj.obj.pod.as_ref().is_some_and(|p| {
                p.containers
                    .iter()
                    .filter(|c| c.role == Role::Main)
                    .any(|c| {
                        super::prestop_delay_missing::is_database(
                            c.image.as_ref().map_or("", |l| l.text.as_str()),
                        )
                    })
            });
            if runs_database {
                continue;
            }
            let Some(strategy) = &obj.obj.strategy else {
                continue;
            };
            if strategy.kind.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
                continue;
            }
            let Some(max) = &strategy.max_unavailable else {
                continue; // the default 25% rounds down to 0 pods
            };
            if max.pods < 1 {
                continue;
            }
            ctx.report_in(
                obj.file,
                max.span,
                format!(
                    "{} runs one replica with `maxUnavailable: {}`: each rollout stops the only pod before its replacement is ready",
                    obj.display(),
                    max.text
                ),
            )
            .label_text("the only pod may go down");
        }
    }
}
