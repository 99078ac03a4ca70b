//! DF024: `cd` in `RUN` instead of `WORKDIR` (info).

use super::common::{all_commands, dockerfile};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct CdInRun;

impl Rule for CdInRun {
    fn code(&self) -> &'static str {
        "DF024"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for (_, cmd) in all_commands(df) {
            if cmd.program() == Some("cd") {
                let dir = cmd.argv().get(1).map_or("", |w| w.text.as_str());
                ctx.report(cmd.span, format!("`cd {dir}` lasts only for this `RUN`; `WORKDIR` sets the directory for every later instruction"))
                    .label_text("use WORKDIR");
            }
        }
    }
}
