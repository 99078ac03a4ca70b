//! DC004: a service image without a tag or with `:latest`.

use super::common::facts;
use crate::model::image::{ImageRef, image_tag};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposeImageUnpinned;

impl Rule for ComposeImageUnpinned {
    fn code(&self) -> &'static str {
        "DC004"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, _file: &ParsedFile, ctx: &mut Context) {
        let Some(f) = facts(ctx) else { return };
        for s in &f.services {
            // With `build:`, `image:` names what compose builds and tags.
            if s.build_context.is_some() {
                continue;
            }
            let (Some(image), Some(span)) = (&s.image, s.image_span) else {
                continue;
            };
            if image.contains('$') {
                continue;
            }
            let what = match image_tag(image) {
                ImageRef::Latest => "`:latest`",
                ImageRef::Untagged => "no tag, so `:latest`",
                _ => continue,
            };
            ctx.report(
                span,
                format!("service `{}` runs image `{image}` with {what}, which changes under you", s.name),
            )
            .label_text("moving tag")
            .hint("Pin a version (`postgres:16.4`, `redis:7.4-alpine`), the one you tested with; add `@sha256:...` to pin the exact build");
        }
    }
}
