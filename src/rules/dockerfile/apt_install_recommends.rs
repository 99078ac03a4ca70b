//! DF015: `apt-get install` without `--no-install-recommends`.

use super::common::{all_commands, dockerfile};
use crate::diagnostic::Edit;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct AptInstallRecommends;

impl Rule for AptInstallRecommends {
    fn code(&self) -> &'static str {
        "DF015"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for (_, cmd) in all_commands(df) {
            if !cmd.is(&["apt-get", "apt"], "install") {
                continue;
            }
            let off = cmd.has_arg(|a| {
                a == "--no-install-recommends"
                    || a.contains("Install-Recommends=false")
                    || a.contains("Install-Recommends=0")
                    || a.contains("Install-Recommends=no")
            });
            if off {
                continue;
            }
            let Some(install) = cmd.argv().iter().skip(1).find(|w| w.text == "install") else { continue };
            let span = cmd.argv()[0].span.cover(install.span);
            ctx.report(span, format!("`{} install` without `--no-install-recommends` also installs every recommended package", cmd.argv()[0].text))
                .label_text("recommended packages included")
                .unsafe_fix(
                    "Add `--no-install-recommends`",
                    vec![Edit {
                        span: Span::at(install.span.end),
                        replacement: " --no-install-recommends".into(),
                    }],
                );
        }
    }
}
