//! DF019: no `HEALTHCHECK` in the final image (info).

use super::common::{dockerfile, final_image, has};
use crate::parse::dockerfile::{Base, Keyword};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct HealthcheckMissing;

impl Rule for HealthcheckMissing {
    fn code(&self) -> &'static str {
        "DF019"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let Some((chain, last)) = final_image(df, ctx) else {
            return;
        };
        if has(df, &chain, Keyword::Healthcheck) {
            return;
        }
        // A `scratch` image with no command only carries files (an artifact image).
        let runs_something = has(df, &chain, Keyword::Cmd) || has(df, &chain, Keyword::Entrypoint);
        let root_scratch = chain
            .first()
            .and_then(|s| df.stages.get(*s))
            .is_some_and(|s| s.base == Base::Scratch);
        if root_scratch && !runs_something {
            return;
        }
        ctx.report(last.image.span, "The final image has no `HEALTHCHECK`, so Docker and compose cannot tell a hung container from a healthy one")
            .label_text("no HEALTHCHECK in this stage");
    }
}
