//! DF022: `chmod 777` makes files writable by every user in the container.

use super::common::{all_commands, dockerfile};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct Chmod777;

/// World-writable modes (the sticky `1777` of a tmp directory is fine).
fn world_writable(mode: &str) -> bool {
    let m = mode.trim_start_matches('0');
    if m.len() == 3 && m.chars().all(|c| ('0'..='7').contains(&c)) {
        return m.ends_with('7') || m.ends_with('6') || m.ends_with('2') || m.ends_with('3');
    }
    matches!(
        mode,
        "a+rwx" | "ugo+rwx" | "a=rwx" | "ugo=rwx" | "o+w" | "a+w" | "o+rwx" | "+rwx"
    )
}

impl Rule for Chmod777 {
    fn code(&self) -> &'static str {
        "DF022"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for (_, cmd) in all_commands(df) {
            if cmd.program() != Some("chmod") {
                continue;
            }
            let Some(mode) = cmd.argv().iter().skip(1).find(|w| !w.text.starts_with('-')) else {
                continue;
            };
            if world_writable(&mode.text) {
                ctx.report(mode.span, format!("`chmod {}` makes these files writable by any user or process in the container", mode.text))
                    .label_text("world-writable");
            }
        }
    }
}
