//! K8S023: `imagePullPolicy: Always` on a pinned image.

use crate::model::image::{ImageRef, image_tag};
use super::security_common::{checked_containers, describe};
use crate::diagnostic::Edit;
use crate::project::ParsedFile;
use crate::model::k8s;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ImagePullPolicyAlways;

impl Rule for ImagePullPolicyAlways {
    fn code(&self) -> &'static str {
        "K8S023"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else { return };
        for obj in k8s::objects(yaml) {
            for c in checked_containers(&obj) {
                let Some(policy) = c.node.get("imagePullPolicy") else { continue };
                if policy.as_str() != Some("Always") {
                    continue;
                }
                // With a moving tag, `Always` is what picks up new builds; K8S001 reports the tag.
                let image = c.node.str_at(&["image"]).unwrap_or("");
                if matches!(image_tag(image), ImageRef::Latest | ImageRef::Untagged) {
                    continue;
                }
                ctx.report(
                    policy.span,
                    format!(
                        "{} pulls its pinned image on every start (`imagePullPolicy: Always`)",
                        describe(&c, &obj)
                    ),
                )
                .label_text("pull on every start")
                .safe_fix(
                    "Use `imagePullPolicy: IfNotPresent`",
                    vec![Edit {
                        span: policy.span,
                        replacement: "IfNotPresent".into(),
                    }],
                );
            }
        }
    }
}
