//! K8S044: container without a memory request.

use crate::project::ParsedFile;
use crate::rules::k8s::cpu_request_missing::check_resource;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct MemoryRequestMissing;

impl Rule for MemoryRequestMissing {
    fn code(&self) -> &'static str {
        "K8S044"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        check_resource(file, ctx, "requests", "memory", "memory request");
    }
}
