//! DF016: apt package lists left in the final image's layers.

use super::common::{commands_in, dockerfile, has_cache_mount, target};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct AptListsNotCleaned;

impl Rule for AptListsNotCleaned {
    fn code(&self) -> &'static str {
        "DF016"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let chain = df.final_chain(target(ctx));
        let commands = commands_in(df, &chain);
        for (inst, cmd) in &commands {
            if !cmd.is(&["apt-get", "apt"], "install") {
                continue;
            }
            let same_run = commands.iter().filter(|(i, _)| std::ptr::eq(*i, *inst));
            let cleaned = same_run.clone().any(|(_, c)| {
                c.program() == Some("rm") && c.has_arg(|a| a.starts_with("/var/lib/apt/lists"))
            });
            if cleaned || has_cache_mount(inst, &["/var/lib/apt/lists", "/var/lib/apt"]) {
                continue;
            }
            ctx.report(
                cmd.span,
                "This `RUN` installs apt packages but keeps `/var/lib/apt/lists` (tens of MB) in the layer",
            )
            .label_text("lists not removed in the same RUN");
        }
    }
}
