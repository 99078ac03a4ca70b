//! K8S053: a replicated Deployment or StatefulSet without a PodDisruptionBudget.

use crate::project::Project;
use crate::project::facts::Relation;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PdbMissing;

impl Rule for PdbMissing {
    fn code(&self) -> &'static str {
        "K8S053"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        // Which templates some PDB covers: one pass over the PDBs.
        let mut covered = vec![false; set.templates.len()];
        for (_, pdb) in set.of_kind("PodDisruptionBudget") {
            let Relation::Pdb(Some((_, Some(selector)))) = &pdb.obj.relation else {
                continue;
            };
            for t in set.matching(pdb.namespace(), selector) {
                if let Some(c) = covered.get_mut(t) {
                    *c = true;
                }
            }
        }
        for kind in ["Deployment", "StatefulSet"] {
            for (i, obj) in set.of_kind(kind) {
                let Some((_, replicas)) = obj.replicas() else {
                    continue;
                };
                let hpa = set
                    .autoscalers_of(i)
                    .iter()
                    .filter_map(|&h| set.object(h))
                    .find(|h| {
                        h.hpa()
                            .and_then(|h| h.max_replicas)
                            .is_some_and(|max| max > 1)
                    });
                if replicas <= 1 && hpa.is_none() {
                    continue;
                }
                let is_covered = set
                    .template_index(i)
                    .and_then(|t| covered.get(t))
                    .copied()
                    .unwrap_or(true);
                if is_covered {
                    continue;
                }
                let why = match hpa {
                    Some(h) => format!(
                        "is scaled up to {} replicas by HorizontalPodAutoscaler `{}`",
                        h.hpa().and_then(|h| h.max_replicas).unwrap_or(0),
                        h.name().unwrap_or("<unnamed>")
                    ),
                    None => format!("runs {replicas} replicas"),
                };
                let d = ctx.report_in(
                    obj.file,
                    obj.name_span(),
                    format!(
                        "{} {why} but no PodDisruptionBudget selects its pods",
                        obj.display()
                    ),
                );
                d.label_text("no PodDisruptionBudget");
                if let Some(h) = hpa {
                    d.secondary(h.file, h.name_span(), "autoscaler");
                }
            }
        }
    }
}
