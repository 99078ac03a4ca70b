//! K8S043: container without a CPU request.

use crate::model::k8s::{self, ContainerKind};
use crate::model::k8s_pod;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct CpuRequestMissing;

/// Reports a missing `resources.<section>.<name>`, pointing at the deepest
/// key that exists (`limits`/`requests`, `resources`, else the container).
pub(crate) fn check_resource(
    file: &ParsedFile,
    ctx: &mut Context,
    section: &str,
    name: &str,
    what: &str,
) {
    let Some(yaml) = file.document.as_yaml() else {
        return;
    };
    for obj in k8s::objects(yaml) {
        for c in obj.containers() {
            if c.kind == ContainerKind::Ephemeral {
                continue; // debug containers cannot set resources
            }
            if k8s_pod::resource(&c, section, name).is_some()
                || section == "requests" && k8s_pod::has_request(&c, name)
            {
                continue;
            }
            let resources = c.node.entry("resources").filter(|e| e.value.is_map());
            let sec = resources.and_then(|r| r.value.entry(section));
            let (span, why) = match (sec, resources) {
                (Some(s), _) => (
                    s.key.span,
                    format!("`resources.{section}` sets no `{name}`"),
                ),
                (None, Some(r)) => (r.key.span, format!("`resources` has no `{section}`")),
                (None, None) => (c.anchor_span(), "it sets no `resources`".to_owned()),
            };
            ctx.report(
                span,
                format!(
                    "Container `{}` of {} has no {what}: {why}",
                    c.name(),
                    obj.display()
                ),
            )
            .label_text(format!("no {what}"));
        }
    }
}

impl Rule for CpuRequestMissing {
    fn code(&self) -> &'static str {
        "K8S043"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        check_resource(file, ctx, "requests", "cpu", "CPU request");
    }
}
