//! DF001: the final image runs as root.

use super::common::{dockerfile, final_image};
use crate::project::ParsedFile;
use crate::model::dockerfile::is_root_user;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct FinalStageRunsAsRoot;

impl Rule for FinalStageRunsAsRoot {
    fn code(&self) -> &'static str {
        "DF001"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        // A development or test image, or one other images build on (they set `USER`).
        if super::common::development_file(ctx, file) || super::common::intermediate_image(&file.source.path) {
            return;
        }
        let Some(df) = dockerfile(file) else { return };
        let Some((chain, last)) = final_image(df, ctx) else { return };
        match df.last_in(&chain, Keyword::User) {
            Some(user) => {
                let Some(w) = user.words(df.escape).into_iter().next() else {
                    return;
                };
                if !w.text.contains('$') && is_root_user(&w.text) {
                    ctx.report(
                        w.span,
                        format!("The final image runs as root: the last `USER` is `{}`", w.text),
                    )
                    .label_text("root");
                }
            }
            None => {
                // Images built to run unprivileged say so in their tag.
                let image = &last.image.text;
                if image.contains("nonroot") || image.contains("rootless") {
                    return;
                }
                ctx.report(
                    last.image.span,
                    format!(
                        "The final stage sets no `USER`, so it runs as `{image}`'s user (root for `php:*` images)"
                    ),
                )
                .label_text("no USER after this");
            }
        }
    }
}
