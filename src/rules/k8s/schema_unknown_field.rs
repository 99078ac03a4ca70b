//! K8S100: a field the Kubernetes schema does not define (`livenesProbe`).

use super::schema_check as k8s_schema;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SchemaUnknownField;

impl Rule for SchemaUnknownField {
    fn code(&self) -> &'static str {
        k8s_schema::UNKNOWN_FIELD
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        k8s_schema::report(self.code(), file, ctx);
    }
}
