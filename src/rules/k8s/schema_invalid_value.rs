//! K8S104: a value the Kubernetes schema rejects (invalid quantity, enum).

use super::schema_check as k8s_schema;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SchemaInvalidValue;

impl Rule for SchemaInvalidValue {
    fn code(&self) -> &'static str {
        k8s_schema::INVALID_VALUE
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        k8s_schema::report(self.code(), file, ctx);
    }
}
