//! K8S049: a PodDisruptionBudget selector that matches no pod template.

use crate::model::k8s_set::Selector;
use crate::project::Project;
use crate::project::facts::Relation;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PdbSelectorNoMatch;

impl Rule for PdbSelectorNoMatch {
    fn code(&self) -> &'static str {
        "K8S049"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        // Read only when a selector matches nothing as written.
        let mut kix = None;
        let nothing = Selector::nothing();
        for (_, pdb) in set.of_kind("PodDisruptionBudget") {
            let ns = pdb.namespace();
            if !set.has_templates_in(ns) {
                continue; // its pods may be defined outside this run
            }
            let Relation::Pdb(entry) = &pdb.obj.relation else {
                continue;
            };
            let (span, selector) = match entry {
                // policy/v1: a null selector selects nothing.
                None => (
                    pdb.obj
                        .spec_key
                        .filter(|(_, map)| *map)
                        .map_or_else(|| pdb.name_span(), |(s, _)| s),
                    &nothing,
                ),
                Some((span, Some(s))) => (*span, s),
                Some((_, None)) => continue,
            };
            if !set.matching(ns, selector).is_empty() {
                continue;
            }
            // A kustomize base: its namespace and labels are added at build.
            if !selector.matches_nothing() {
                let ix =
                    kix.get_or_insert_with(|| super::kustomize::index(project, ctx.settings, set));
                if super::kustomize::selects_after_build(ix, set, pdb.file, ns, selector) {
                    continue;
                }
            }
            let what = if selector.matches_nothing() {
                "has no `selector`, so it protects no pods".to_owned()
            } else {
                format!(
                    "selects `{}`, which matches no pod template in namespace `{ns}`",
                    selector.text()
                )
            };
            let d = ctx.report_in(
                pdb.file,
                span,
                format!(
                    "PodDisruptionBudget `{}` {what}",
                    pdb.name().unwrap_or("<unnamed>")
                ),
            );
            d.label_text("matches no pods");
            if let Some(o) = set
                .matching_elsewhere(ns, selector)
                .and_then(|t| set.templates.get(t))
                .and_then(|t| set.object(t.object))
            {
                d.hint(format!(
                    "The pods of {} match, but they are in namespace `{}`: set the same `metadata.namespace` on both",
                    o.display(),
                    o.namespace()
                ))
                .secondary(o.file, o.name_span(), "matching pods, other namespace");
            } else if let Some(t) = set.closest(ns, selector).and_then(|t| set.templates.get(t)) {
                if let Some(o) = set.object(t.object) {
                    let span = t.pod.labels_span.unwrap_or_else(|| o.name_span());
                    d.secondary(
                        o.file,
                        span,
                        format!("closest: {} has labels `{}`", o.display(), t.labels_text()),
                    );
                }
            }
        }
    }
}
