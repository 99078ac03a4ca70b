//! K8S018: pod shares the node's network, process or IPC namespace.

use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct HostNamespaceShared;

impl Rule for HostNamespaceShared {
    fn code(&self) -> &'static str {
        "K8S018"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            let Some(pod) = obj.pod_spec() else { continue };
            for (field, what) in [
                ("hostNetwork", "network"),
                ("hostPID", "process"),
                ("hostIPC", "IPC"),
            ] {
                let Some(e) = pod.entry(field) else { continue };
                if e.value.as_bool() != Some(true) {
                    continue;
                }
                ctx.report(
                    e.value.span,
                    format!(
                        "{} shares the node's {what} namespace (`{field}: true`)",
                        obj.display()
                    ),
                )
                .label_text("host namespace")
                .hint(format!("Remove `{field}: true`; a PHP workload does not need the node's {what} namespace"));
            }
        }
    }
}
