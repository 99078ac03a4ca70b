//! X019: a PodDisruptionBudget that allows no voluntary disruption of the
//! workloads it selects: `maxUnavailable: 0` (or `0%`), or a `minAvailable`
//! at least the number of pods they run (`replicas`, or the HPA's
//! `minReplicas`; a percentage is rounded up, as the disruption controller
//! does).
//!
//! The eviction API then refuses every eviction: `kubectl drain`, cluster
//! upgrades and the cluster autoscaler wait forever on those pods (or, with
//! a timeout, give up and leave the node), which operators answer by
//! deleting the PDB by hand. The PDB links to its workloads in the graph
//! (`selector.matchLabels` against the pod templates, same namespace).

use crate::diagnostic::FileId;
use crate::project::Project;
use crate::project::facts::{ObjectFacts, Relation};
use crate::project::links::{ObjRef, Workload};
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};
use std::collections::BTreeMap;

pub struct PdbAllowsNoDisruption;

/// The pods one workload runs at its smallest: the HPA's `minReplicas`, else
/// `replicas` (1 when unset). `None` when unknown (a DaemonSet, a Job, a
/// `replicas` that is not a number) or several HPAs disagree.
struct Count {
    pods: i64,
    said: String,
    file: FileId,
    span: Span,
}

fn count(project: &Project, ctx: &Context, w: &Workload, obj: &ObjectFacts) -> Option<Count> {
    if !matches!(
        obj.kind.as_str(),
        "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController"
    ) {
        return None;
    }
    if let Some(h) = w.hpas.first() {
        let hpa = match &project.object(h.to)?.relation {
            Relation::Hpa(hpa) => hpa,
            _ => return None,
        };
        let span = hpa.min_replicas_span.unwrap_or(h.evidence.span);
        let said = match hpa.min_replicas_span {
            Some(_) => format!("the HPA's `minReplicas: {}`", hpa.min_replicas),
            None => "the HPA's default `minReplicas` of 1".to_owned(),
        };
        return Some(Count {
            pods: hpa.min_replicas,
            said,
            file: h.to.file,
            span,
        });
    }
    match (obj.replicas, obj.replicas_span) {
        (Some(n), Some(span)) => Some(Count {
            pods: n,
            said: format!("`replicas: {n}`"),
            file: w.object.file,
            span,
        }),
        // A kustomize base leaves `replicas` to its overlays.
        (None, None)
            if crate::rules::k8s::kustomize::of(project.path(w.object.file), ctx.settings)
                .is_some() =>
        {
            None
        }
        (None, None) => Some(Count {
            pods: 1,
            said: "`replicas` unset: 1".to_owned(),
            file: w.object.file,
            span: obj.name_span,
        }),
        _ => None,
    }
}

impl Rule for PdbAllowsNoDisruption {
    fn code(&self) -> &'static str {
        "X019"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        // The workloads each PDB selects, by the graph (built once).
        let mut selected: BTreeMap<ObjRef, Vec<&Workload>> = BTreeMap::new();
        for w in &project.graph.workloads {
            for l in &w.pdbs {
                selected.entry(l.to).or_default().push(w);
            }
        }
        'pdbs: for (pdb_ref, workloads) in selected {
            let Some(pdb) = project.object(pdb_ref) else {
                continue;
            };
            let Some(budget) = &pdb.pdb_budget else {
                continue;
            };
            let mut counts = Vec::new();
            for w in &workloads {
                let Some(obj) = project.object(w.object) else {
                    continue 'pdbs;
                };
                let Some(c) = count(project, ctx, w, obj) else {
                    continue 'pdbs;
                };
                counts.push((obj, c));
            }
            let total: i64 = counts.iter().map(|(_, c)| c.pods).sum();
            if total <= 0 {
                continue;
            }
            let (field, why) = match (&budget.max_unavailable, &budget.min_available) {
                (Some(m), _) if m.pods(total) == 0 => (
                    m,
                    format!("`maxUnavailable: {}` allows no eviction", m.text),
                ),
                (None, Some(m)) if m.pods(total) >= total => (
                    m,
                    if m.percent {
                        format!(
                            "`minAvailable: {}` rounds up to {} of {total}",
                            m.text,
                            m.pods(total)
                        )
                    } else {
                        match total {
                            1 => format!(
                                "`minAvailable: {}` requires its only pod to stay up",
                                m.text
                            ),
                            n => format!(
                                "`minAvailable: {}` requires all {n} pods to stay up",
                                m.text
                            ),
                        }
                    },
                ),
                _ => continue,
            };
            let what: Vec<String> = counts
                .iter()
                .map(|(o, c)| format!("{} ({})", o.display(), c.said))
                .collect();
            let message = format!(
                "PodDisruptionBudget `{}` allows no disruption of the pods of {}: {why}, so `kubectl drain`, node upgrades and the cluster autoscaler wait on them forever",
                pdb.name.as_deref().unwrap_or("<unnamed>"),
                what.join(", ")
            );
            let d = ctx
                .report_in(
                    pdb_ref.file,
                    field.span,
                    message,
                )
                .label_text("no eviction allowed")
                .hint(if total > 1 {
                    "Use `maxUnavailable: 1` (the budget then follows the replica count), or keep `minAvailable` below the number of pods"
                } else {
                    "Run at least 2 replicas (or `minReplicas: 2`) and use `maxUnavailable: 1`; a single-replica workload cannot be protected by a PodDisruptionBudget without blocking drains"
                });
            for (_, c) in &counts {
                let label = match c.pods {
                    1 => "1 pod".to_owned(),
                    n => format!("{n} pods"),
                };
                d.secondary(c.file, c.span, label);
            }
        }
    }
}
