//! K8S055: a single-replica Deployment whose rollout may take its only pod down.

use crate::project::Project;
use crate::model::k8s_set;
use crate::parse::yaml::{Resolved, resolve};
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

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        for (i, obj) in set.of_kind("Deployment") {
            let Some((_, replicas)) = k8s_set::replicas(&obj.obj) else { continue };
            let hpa_min = set
                .autoscalers_of(i)
                .iter()
                .filter_map(|&h| set.object(h))
                .map(|h| k8s_set::hpa_bounds(&h.obj).1)
                .max();
            if replicas != 1 || hpa_min.is_some_and(|m| m >= 2) {
                continue;
            }
            // A single-replica database (usually on a ReadWriteOnce volume)
            // must stop before its replacement can mount the data: a brief
            // outage on rollout is the price, not a misconfiguration.
            let runs_database = obj
                .obj
                .root
                .path(&["spec", "template", "spec", "containers"])
                .map(|c| c.as_seq())
                .unwrap_or_default()
                .iter()
                .any(|c| super::prestop_delay_missing::is_database(c.str_at(&["image"]).unwrap_or("")));
            if runs_database {
                continue;
            }
            let Some(strategy) = obj.obj.root.path(&["spec", "strategy"]) else { continue };
            if strategy.str_at(&["type"]).unwrap_or("RollingUpdate") != "RollingUpdate" {
                continue;
            }
            let Some(node) = strategy.path(&["rollingUpdate", "maxUnavailable"]) else {
                continue; // the default 25% rounds down to 0 pods
            };
            // Kubernetes rounds a percentage of maxUnavailable down.
            let pods = match resolve(node) {
                Resolved::Int(n) => n,
                Resolved::Str(s) => match s.strip_suffix('%').map(str::parse::<i64>) {
                    Some(Ok(p)) => p / 100,
                    _ => s.parse().unwrap_or(0),
                },
                _ => 0,
            };
            if pods < 1 {
                continue;
            }
            let text = node.as_scalar().map_or("", |s| s.value.as_str());
            ctx.report_in(
                obj.file,
                node.span,
                format!(
                    "{} runs one replica with `maxUnavailable: {text}`: each rollout stops the only pod before its replacement is ready",
                    obj.obj.display()
                ),
            )
            .label_text("the only pod may go down");
        }
    }
}
