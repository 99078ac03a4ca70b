//! OCT024: the `reload` plugin (file watcher) in a production `.rr.yaml`.

use super::common::{development_file, root};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RrReloadInProduction;

impl Rule for RrReloadInProduction {
    fn code(&self) -> &'static str {
        "OCT024"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::RoadRunner]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(root) = root(file) else { return };
        if development_file(ctx, file) {
            return;
        }
        let Some(e) = root.entry("reload") else {
            return;
        };
        ctx.report(
            e.key.span,
            "the `reload` plugin watches files and restarts workers on every change: a development feature in a production config",
        )
        .hint("Remove the `reload` section here and keep it in a development config (`.rr.dev.yaml`, started with `rr serve -c .rr.dev.yaml`)")
        .label_text("development only");
    }
}
