//! K8S042: liveness and readiness probes run the same check.

use crate::model::{k8s, k8s_pod};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct LivenessEqualsReadiness;

impl Rule for LivenessEqualsReadiness {
    fn code(&self) -> &'static str {
        "K8S042"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for (obj, c) in k8s_pod::serving_containers(&k8s::objects(yaml)) {
            let (Some(live), Some(ready)) = (
                k8s_pod::probe(&c, "livenessProbe"),
                k8s_pod::probe(&c, "readinessProbe"),
            ) else {
                continue;
            };
            let (Some(lh), Some(rh)) = (
                k8s_pod::handler(&live.value),
                k8s_pod::handler(&ready.value),
            ) else {
                continue;
            };
            // A TCP connect cannot reach a dependency; only the checks that can
            // (an HTTP route, a command, a gRPC health service) are a risk.
            let kind = lh.key.as_str().unwrap_or("");
            if kind == "tcpSocket"
                || lh.key.as_str() != rh.key.as_str()
                || lh.value.to_json() != rh.value.to_json()
            {
                continue;
            }
            let what = match kind {
                "httpGet" => lh
                    .value
                    .str_at(&["path"])
                    .map_or_else(|| "`httpGet /`".to_owned(), |p| format!("`httpGet {p}`")),
                other => format!("`{other}`"),
            };
            ctx.report(
                lh.key.span,
                format!(
                    "Container `{}` of {} uses the same {what} check for liveness and readiness",
                    c.name(),
                    obj.display()
                ),
            )
            .label_text("liveness check")
            .secondary(file.id, rh.key.span, "same readiness check");
        }
    }
}
