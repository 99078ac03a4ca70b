//! K8S048: a Service selector that matches no pod template of the run.

use crate::project::Project;
use crate::project::facts::Relation;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ServiceSelectorNoMatch;

impl Rule for ServiceSelectorNoMatch {
    fn code(&self) -> &'static str {
        "K8S048"
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
        for (_, svc) in set.of_kind("Service") {
            let Relation::Service(s) = &svc.obj.relation else {
                continue;
            };
            let Some((selector, selector_span)) = &s.selector else {
                continue;
            };
            let ns = svc.namespace();
            // Pods may come from files outside this run: only judge a
            // namespace whose workloads are here.
            if !set.has_templates_in(ns) || !set.matching(ns, selector).is_empty() {
                continue;
            }
            // A kustomize base: its namespace and labels are added at build.
            let ix = kix.get_or_insert_with(|| super::kustomize::index(project, ctx.settings, set));
            if super::kustomize::selects_after_build(ix, set, svc.file, ns, selector) {
                continue;
            }
            let d = ctx.report_in(
                svc.file,
                *selector_span,
                format!(
                    "Service `{}` selects `{}`, which matches no pod template in namespace `{ns}`",
                    svc.name().unwrap_or("<unnamed>"),
                    selector.text()
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
