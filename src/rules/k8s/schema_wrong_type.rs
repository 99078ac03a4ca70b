//! K8S102: a value of the wrong JSON type (`replicas: "2"`).

use super::schema_check as k8s_schema;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SchemaWrongType;

impl Rule for SchemaWrongType {
    fn code(&self) -> &'static str {
        k8s_schema::WRONG_TYPE
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        k8s_schema::report(self.code(), file, ctx);
    }
}
