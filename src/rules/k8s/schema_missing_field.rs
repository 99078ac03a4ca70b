//! K8S103: a field the Kubernetes schema requires is missing.

use crate::project::ParsedFile;
use super::schema_check as k8s_schema;
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
        k8s_schema::report(self.code(), file, ctx);
    }
}
