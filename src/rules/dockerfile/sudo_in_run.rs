//! DF021: `sudo` in `RUN`.

use super::common::{all_commands, dockerfile};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SudoInRun;

impl Rule for SudoInRun {
    fn code(&self) -> &'static str {
        "DF021"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for (_, cmd) in all_commands(df) {
            if cmd.program() == Some("sudo") {
                ctx.report(cmd.argv()[0].span, "`sudo` in a `RUN`: the build switches users with `USER`, and sudo leaves a setuid escalation path in the image")
                    .label_text("sudo");
            }
        }
    }
}
