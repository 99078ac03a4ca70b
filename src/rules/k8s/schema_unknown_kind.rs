//! K8S101: an object whose apiVersion and kind have no bundled schema (CRDs).

use super::schema_check as k8s_schema;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SchemaUnknownKind;

impl Rule for SchemaUnknownKind {
    fn code(&self) -> &'static str {
        k8s_schema::UNKNOWN_KIND
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        k8s_schema::report(self.code(), file, ctx);
    }
}
