//! DF002: `FROM` or `COPY --from` an image without a tag, or tagged `latest`.

use super::common::{dockerfile, image_uses};
use crate::model::dockerfile::{ImageRef, image_tag};
use crate::parse::dockerfile::Keyword;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct BaseImageUnpinned;

impl Rule for BaseImageUnpinned {
    fn code(&self) -> &'static str {
        "DF002"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for u in image_uses(df) {
            if build_context_name(&u.image) {
                continue;
            }
            let what = match image_tag(&u.image) {
                ImageRef::Latest => "the moving `latest` tag",
                ImageRef::Untagged => "no tag (so `latest`)",
                _ => continue,
            };
            let how = match u.instruction.keyword {
                Keyword::From => "FROM".to_owned(),
                k => format!("{} --from", k.name()),
            };
            ctx.report(
                u.span,
                format!("`{how}` uses image `{}` with {what}", u.image),
            )
            .label_text("unpinned image");
        }
    }
}

/// A bare `base`, `php-base`, `golang_base`: the name of a build context
/// (`docker buildx bake` `contexts`, `docker build --build-context`), which
/// the build maps to a pinned image or another target, not an image on
/// Docker Hub (no official image is named `base` or `*-base`).
fn build_context_name(image: &str) -> bool {
    !image.contains(['/', ':', '@', '.'])
        && (image == "base" || image.ends_with("-base") || image.ends_with("_base"))
}

#[cfg(test)]
mod tests {
    use super::build_context_name as ctx;

    #[test]
    fn build_context_names() {
        assert!(ctx("base"));
        assert!(ctx("php-base"));
        assert!(ctx("golang-base"));
        assert!(!ctx("php"));
        assert!(!ctx("composer"));
        assert!(!ctx("ubi10/s2i-base"));
        assert!(!ctx("devilbox/php-fpm-8.2"));
    }
}
