//! DF015: `apt-get install` without `--no-install-recommends`.

use super::common::{all_commands, dockerfile, per_instruction};
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
        let commands = all_commands(df);
        let mut hits = Vec::new();
        for (inst, cmd) in &commands {
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
            let Some(install) = cmd.argv().iter().skip(1).find(|w| w.text == "install") else {
                continue;
            };
            let edit = Edit {
                span: Span::at(install.span.end),
                replacement: " --no-install-recommends".into(),
            };
            hits.push((*inst, cmd.argv()[0].span.cover(install.span), edit));
        }
        // One finding per RUN (as hadolint's DL3015), whose fix covers every
        // install of that RUN (`if ...; then apt-get install a; else apt-get install b; fi`).
        for (span, edits) in per_instruction(hits) {
            let program = file
                .source
                .slice(span)
                .split_whitespace()
                .next()
                .unwrap_or("apt-get");
            ctx.report(span, format!("`{program} install` without `--no-install-recommends` also installs every recommended package"))
                .label_text("recommended packages included")
                .unsafe_fix("Add `--no-install-recommends`", edits);
        }
    }
}
