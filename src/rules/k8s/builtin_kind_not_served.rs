//! K8S105: a kind of a built-in API group that this Kubernetes version does not serve
//! (a removed apiVersion such as `extensions/v1beta1`, or a misspelt kind).

use super::schema_check as k8s_schema;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct BuiltinKindNotServed;

impl Rule for BuiltinKindNotServed {
    fn code(&self) -> &'static str {
        k8s_schema::NOT_SERVED
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        k8s_schema::report(self.code(), file, ctx);
    }
}
