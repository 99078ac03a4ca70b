//! K8S002: container without a memory limit.

use crate::model::k8s::{self, ContainerKind};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct MissingMemoryLimit;

impl Rule for MissingMemoryLimit {
    fn code(&self) -> &'static str {
        "K8S002"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            for c in obj.containers() {
                if c.kind == ContainerKind::Ephemeral {
                    continue; // debug containers cannot set resources
                }
                let resources = c.node.entry("resources");
                let limits = resources.and_then(|r| r.value.entry("limits"));
                if limits
                    .and_then(|l| l.value.get("memory"))
                    .is_some_and(|m| !m.is_null())
                {
                    continue;
                }
                // Point at the key that should hold the limit.
                let (span, what) = match (limits, resources) {
                    (Some(l), _) => (l.key.span, "`resources.limits` sets no `memory`"),
                    (None, Some(r)) => (r.key.span, "`resources` has no `limits`"),
                    (None, None) => (c.anchor_span(), "it sets no `resources`"),
                };
                ctx.report(
                    span,
                    format!(
                        "Container `{}` of {} has no memory limit: {what}",
                        c.name(),
                        obj.display()
                    ),
                )
                .label_text("no memory limit");
            }
        }
    }
}
