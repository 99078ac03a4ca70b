//! K8S045: container without a CPU limit (info).

use crate::project::ParsedFile;
use crate::rules::k8s::cpu_request_missing::check_resource;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct CpuLimitMissing;

impl Rule for CpuLimitMissing {
    fn code(&self) -> &'static str {
        "K8S045"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        check_resource(file, ctx, "limits", "cpu", "CPU limit");
    }
}
