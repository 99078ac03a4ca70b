//! K8S103: a field the Kubernetes schema requires is missing.

use super::schema_check as k8s_schema;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SchemaMissingField;

impl Rule for SchemaMissingField {
    fn code(&self) -> &'static str {
        k8s_schema::MISSING_FIELD
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let findings = k8s_schema::findings(file, ctx.settings);
        // A workload's `spec.selector` left for kustomize to add
        // (`commonLabels`) is not missing once built.
        let mut kustomized = None;
        for f in findings.iter().filter(|f| f.code == self.code()) {
            if f.message
                .starts_with("missing required field `selector` in `spec` of ")
                && kustomized
                    .get_or_insert_with(|| super::kustomize::of(&file.source.path, ctx.settings))
                    .as_ref()
                    .is_some_and(|k| k.adds_selectors())
            {
                continue;
            }
            let d = ctx.report(f.span, f.message.clone());
            d.label_text(f.label);
            if let Some(h) = &f.hint {
                d.hint(h.clone());
            }
        }
    }
}
