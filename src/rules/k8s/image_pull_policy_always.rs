//! K8S023: `imagePullPolicy: Always` on a pinned image.

use super::security_common::{checked_containers, describe};
use crate::diagnostic::Edit;
use crate::model::image::{ImageRef, image_tag};
use crate::model::k8s;
use crate::project::ParsedFile;
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
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            for c in checked_containers(&obj) {
                let Some(policy) = c.node.get("imagePullPolicy") else {
                    continue;
                };
                if policy.as_str() != Some("Always") {
                    continue;
                }
                // With a moving tag, `Always` is what picks up new builds; K8S001 reports the tag.
                let image = c.node.str_at(&["image"]).unwrap_or("");
                match image_tag(image) {
                    ImageRef::Latest | ImageRef::Untagged => continue,
                    ImageRef::Tag(tag) if is_moving_tag(tag) => continue,
                    _ => {}
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

/// Branch and channel tags that registries overwrite on every push (`:develop`,
/// `:main`, `:stable`, `:8.3-nightly`): `Always` is how nodes see the new build.
fn is_moving_tag(tag: &str) -> bool {
    const MOVING: [&str; 19] = [
        "develop",
        "development",
        "dev",
        "main",
        "master",
        "trunk",
        "head",
        "stable",
        "edge",
        "nightly",
        "snapshot",
        "canary",
        "next",
        "beta",
        "alpha",
        "unstable",
        "testing",
        "staging",
        "current",
    ];
    let tag = tag.to_ascii_lowercase();
    MOVING.contains(&tag.as_str())
        || tag.contains('$')
        || tag.contains("{{")
        || [
            "latest", "nightly", "snapshot", "develop", "master", "main", "edge", "dev",
        ]
        .iter()
        .any(|w| tag.ends_with(&format!("-{w}")) || tag.ends_with(&format!("_{w}")))
}

#[cfg(test)]
mod tests {
    use super::is_moving_tag;

    #[test]
    fn branch_and_channel_tags_move() {
        for t in [
            "develop",
            "main",
            "master",
            "dev",
            "stable",
            "edge",
            "8.3-nightly",
            "1.0-SNAPSHOT",
        ] {
            assert!(is_moving_tag(t), "{t}");
        }
        for t in [
            "1.2.3",
            "v2024.10.01",
            "8.3-fpm-alpine",
            "sha-4f2a9c1",
            "devel0p",
        ] {
            assert!(!is_moving_tag(t), "{t}");
        }
    }
}
