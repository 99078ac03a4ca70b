//! DF014: `apk add` without `--no-cache` leaves the package index in the layer.

use super::common::{all_commands, dockerfile, has_cache_mount, per_instruction};
use crate::diagnostic::Edit;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct ApkAddWithoutNoCache;

impl Rule for ApkAddWithoutNoCache {
    fn code(&self) -> &'static str {
        "DF014"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let commands = all_commands(df);
        let mut hits = Vec::new();
        for (inst, cmd) in &commands {
            // `--no-network` installs from what is already there: no index is fetched.
            if !cmd.is(&["apk"], "add")
                || cmd.arg("--no-cache").is_some()
                || cmd.arg("--no-network").is_some()
            {
                continue;
            }
            if has_cache_mount(inst, &["/var/cache/apk", "/etc/apk/cache"]) {
                continue;
            }
            // `rm -rf /var/cache/apk/*` in the same RUN leaves no index in the layer either.
            let cleaned = commands.iter().any(|(i, c)| {
                std::ptr::eq(*i, *inst)
                    && c.program() == Some("rm")
                    && c.has_arg(|a| {
                        a.starts_with("/var/cache/apk") || a.starts_with("/etc/apk/cache")
                    })
            });
            if cleaned {
                continue;
            }
            let Some(add) = cmd.argv().iter().skip(1).find(|w| w.text == "add") else {
                continue;
            };
            let edit = Edit {
                span: Span::at(add.span.end),
                replacement: " --no-cache".into(),
            };
            hits.push((*inst, cmd.argv()[0].span.cover(add.span), edit));
        }
        // One finding per RUN (as hadolint's DL3019); its fix adds `--no-cache`
        // to every `apk add` of that RUN.
        for (span, edits) in per_instruction(hits) {
            ctx.report(
                span,
                "`apk add` without `--no-cache` keeps the package index in the image layer",
            )
            .label_text("add --no-cache")
            .safe_fix("Add `--no-cache`", edits);
        }
    }
}
