//! DF005: `CMD` / `ENTRYPOINT` in shell form: `/bin/sh -c` becomes PID 1.

use super::common::dockerfile;
use crate::diagnostic::Edit;
use crate::parse::dockerfile::{Args, Dockerfile, Keyword};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ShellFormEntrypoint;

/// Characters whose meaning the shell would have supplied.
const SHELL_SYNTAX: &[char] = &[
    '$', '`', '|', '&', ';', '<', '>', '*', '?', '(', ')', '\'', '"', '\\', '~', '{', '}', '[',
    ']', '#',
];

impl Rule for ShellFormEntrypoint {
    fn code(&self) -> &'static str {
        "DF005"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for (index, inst) in df.instructions.iter().enumerate() {
            if !matches!(inst.keyword, Keyword::Cmd | Keyword::Entrypoint) {
                continue;
            }
            let Args::Shell(text) = &inst.args else {
                continue;
            };
            if text.text.trim().is_empty() {
                continue;
            }
            // s2i builder images: `CMD $STI_SCRIPTS_PATH/usage` prints how to
            // use the image and exits; nothing runs long enough to be signalled.
            let program = text.text.split_whitespace().next().unwrap_or("");
            if program.rsplit('/').next() == Some("usage") {
                continue;
            }
            // Offer exec form only where no shell feature is in use and the text is one line.
            let assigns = text
                .text
                .split_whitespace()
                .next()
                .is_some_and(|w| w.contains('='));
            let plain = !text.text.contains(SHELL_SYNTAX)
                && !assigns
                && file.source.slice(text.span) == text.text;
            // Where `/bin/sh` is bash (Red Hat family, s2i images), one plain
            // command is exec'ed by the shell: no shell stays PID 1.
            if plain && stage_sh_is_bash(df, index) {
                continue;
            }
            // `... && exec rr serve`: the shell replaces itself with the server,
            // which then is PID 1 and gets the signals.
            let foreground = crate::project::process::foreground_command(&text.text);
            if foreground
                .as_ref()
                .is_some_and(|w| w.first().is_some_and(|w| w == "exec"))
            {
                continue;
            }
            let kw = inst.keyword.name();
            let d = ctx
                .report(
                    text.span,
                    format!("`{kw}` in shell form runs `/bin/sh -c` as PID 1, which does not pass SIGTERM or SIGQUIT on to `{}`",
                        foreground
                            .as_ref()
                            .and_then(|w| w.first())
                            .map_or("the process", String::as_str)),
                )
                .label_text("shell form");
            if plain {
                let items: Vec<String> = text
                    .text
                    .split_whitespace()
                    .map(|w| serde_json::Value::String(w.to_owned()).to_string())
                    .collect();
                let replacement = format!("[{}]", items.join(", "));
                d.unsafe_fix(
                    format!("Use exec form `{kw} {replacement}`"),
                    vec![Edit {
                        span: text.span,
                        replacement,
                    }],
                );
            }
        }
    }
}

/// Whether the stage holding instruction `index` is built on an image whose
/// `/bin/sh` is bash (through its `FROM` stages).
fn stage_sh_is_bash(df: &Dockerfile, index: usize) -> bool {
    let Some(stage) = df.stages.iter().find(|s| s.instructions.contains(&index)) else {
        return false;
    };
    df.base_image(&df.chain(stage.index))
        .is_some_and(|(image, _)| crate::project::defaults::sh_is_bash(image))
}
