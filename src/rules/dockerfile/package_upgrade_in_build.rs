//! DF017: `apt-get upgrade` / `apk upgrade` during the build.

use super::common::{all_commands, dockerfile};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PackageUpgradeInBuild;

impl Rule for PackageUpgradeInBuild {
    fn code(&self) -> &'static str {
        "DF017"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for (_, cmd) in all_commands(df) {
            let upgrade = ["upgrade", "dist-upgrade", "full-upgrade"]
                .iter()
                .any(|s| cmd.is(&["apt-get", "apt"], s))
                || cmd.is(&["apk"], "upgrade");
            if upgrade {
                ctx.report(
                    cmd.span,
                    format!(
                        "`{} {}` makes the image depend on the day it was built",
                        cmd.argv()[0].text,
                        cmd.subcommand().unwrap_or("upgrade")
                    ),
                )
                .label_text("unreproducible upgrade");
            }
        }
    }
}
