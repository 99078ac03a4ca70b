//! K8S001: container image without a tag, or tagged `latest`.

use crate::model::image::{ImageRef, image_tag};
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ImageTagLatest;

impl Rule for ImageTagLatest {
    fn code(&self) -> &'static str {
        "K8S001"
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
                let Some(node) = c.node.get("image") else {
                    continue;
                };
                let Some(image) = node.as_str() else { continue };
                // `${IMAGE}` placeholders are filled in by the pipeline.
                if image.contains("${") || image.contains("{{") {
                    continue;
                }
                let what = match image_tag(image) {
                    ImageRef::Latest => "the `latest` tag",
                    ImageRef::Untagged => "no tag (so `latest`)",
                    _ => continue,
                };
                ctx.report(
                    node.span,
                    format!(
                        "Container `{}` of {} uses image `{image}` with {what}",
                        c.name(),
                        obj.display()
                    ),
                )
                .label_text("unpinned image");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_image_references() {
        assert_eq!(image_tag("nginx"), ImageRef::Untagged);
        assert_eq!(image_tag("nginx:latest"), ImageRef::Latest);
        assert_eq!(image_tag("registry:5000/app"), ImageRef::Untagged);
        assert_eq!(image_tag("registry:5000/app:1.2"), ImageRef::Tag("1.2"));
        assert_eq!(image_tag("app:latest@sha256:abc"), ImageRef::Digest);
    }
}
