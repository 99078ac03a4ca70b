//! DF007: `octane:start --watch` (a development file watcher) in the image.

use super::common::{dockerfile, final_command, octane_command};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OctaneWatch;

impl Rule for OctaneWatch {
    fn code(&self) -> &'static str {
        "DF007"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let (_, tokens) = final_command(df, ctx);
        let Some(at) = octane_command(&tokens) else {
            return;
        };
        for w in &tokens[at + 1..] {
            if w.text == "--watch" || w.text == "--poll" {
                ctx.report(
                    w.span,
                    format!(
                        "`{} {}` restarts the workers on every file change: a development option",
                        tokens[at].text, w.text
                    ),
                )
                .label_text("development only");
            }
        }
    }
}
