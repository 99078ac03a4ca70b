//! DF001: the final image runs as root.

use super::common::{dockerfile, final_image};
use crate::model::dockerfile::is_root_user;
use crate::parse::dockerfile::Keyword;
use crate::project::ParsedFile;
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
        if super::common::development_file(ctx, file)
            || super::common::intermediate_image(&file.source.path)
        {
            return;
        }
        let Some(df) = dockerfile(file) else { return };
        let Some((chain, last)) = final_image(df, ctx) else {
            return;
        };
        // A build environment (`heroku/heroku:24-build`, `paketobuildpacks/builder`)
        // compiles packages as root and is never deployed.
        let tag_or_name = last.image.text.rsplit([':', '/']).next().unwrap_or("");
        let external = last.image.text.contains([':', '/']);
        if external && (tag_or_name.ends_with("-build") || tag_or_name.ends_with("builder")) {
            return;
        }
        match df.last_in(&chain, Keyword::User) {
            Some(user) => {
                let Some(w) = user.words(df.escape).into_iter().next() else {
                    return;
                };
                if !w.text.contains('$') && is_root_user(&w.text) {
                    ctx.report(
                        w.span,
                        format!(
                            "The final image runs as root: the last `USER` is `{}`",
                            w.text
                        ),
                    )
                    .label_text("root");
                }
            }
            None => {
                // Images built to run unprivileged say so in their tag.
                let image = &last.image.text;
                // (nginxinc/nginx-unprivileged, bitnami/* and Chainguard images run as a non-root user)
                if [
                    "nonroot",
                    "rootless",
                    "unprivileged",
                    "bitnami/",
                    "cgr.dev/chainguard/",
                ]
                .iter()
                .any(|m| image.contains(m))
                {
                    return;
                }
                // Docker Official Images (`php`, `nginx`, `debian`...) set no USER: root.
                let name = image.split([':', '@']).next().unwrap_or(image);
                let official = !name.contains('/')
                    || name.starts_with("library/")
                    || name.starts_with("docker.io/library/");
                let whose = if official {
                    "which is root for this official image"
                } else {
                    "root unless that image sets a `USER`"
                };
                ctx.report(
                    last.image.span,
                    format!(
                        "The final stage sets no `USER`, so it runs as `{image}`'s user ({whose})"
                    ),
                )
                .label_text("no USER after this");
            }
        }
    }
}
