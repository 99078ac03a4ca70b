//! DF003 (opt-in): an image pinned by tag only, not by digest.

use super::common::{dockerfile, image_uses};
use crate::model::dockerfile::{ImageRef, image_tag};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct BaseImageWithoutDigest;

impl Rule for BaseImageWithoutDigest {
    fn code(&self) -> &'static str {
        "DF003"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for u in image_uses(df) {
            if let ImageRef::Tag(tag) = image_tag(&u.image) {
                ctx.report(
                    u.span,
                    format!(
                        "Image `{}` is pinned by its tag `{tag}` only, which the registry can move",
                        u.image
                    ),
                )
                .label_text("no @sha256 digest");
            }
        }
    }
}
