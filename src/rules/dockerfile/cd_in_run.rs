//! DF024: a `RUN` that starts by `cd`-ing into the application directory, where
//! `WORKDIR` belongs (info).
//!
//! Narrowed to what hadolint's DL3003 is about: the directory the RUN works in
//! should be the stage's WORKDIR. A `cd` into a source or temporary tree in the
//! middle of a build (`cd /tmp/redis && phpize && make`, `cd /` to clean up),
//! several `cd`s in one RUN, and a one-off directory are the right idiom there.

use super::common::dockerfile;
use crate::parse::dockerfile::Keyword;
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
        let workdirs: Vec<String> = df
            .instructions
            .iter()
            .filter(|i| i.is(Keyword::Workdir))
            .filter_map(|i| i.words(df.escape).into_iter().next())
            .map(|w| w.text.trim_end_matches('/').to_owned())
            .collect();
        for inst in df.instructions.iter().filter(|i| i.is(Keyword::Run)) {
            let commands = df.commands(inst);
            if commands
                .iter()
                .filter(|c| c.program() == Some("cd"))
                .count()
                != 1
            {
                continue;
            }
            // The first command, after `set -eux` and the like.
            let Some(first) = commands.iter().find(|c| c.program() != Some("set")) else {
                continue;
            };
            if first.program() != Some("cd") {
                continue;
            }
            let Some(dir) = first.argv().get(1).map(|w| w.text.trim_end_matches('/')) else {
                continue;
            };
            if !is_app_dir(dir, &workdirs) {
                continue;
            }
            ctx.report(first.span, format!("`RUN cd {dir} && ...` works in the application directory; `WORKDIR {dir}` sets it for this and every later instruction"))
                .label_text("use WORKDIR");
        }
    }
}

/// A directory a later instruction also works in: one a `WORKDIR` names, or
/// the usual application roots.
fn is_app_dir(dir: &str, workdirs: &[String]) -> bool {
    if !dir.starts_with('/') || dir.contains('$') || dir.contains('*') {
        return false;
    }
    const APP_ROOTS: [&str; 7] = [
        "/app",
        "/var/www",
        "/srv",
        "/code",
        "/usr/src/app",
        "/opt/app",
        "/home/app",
    ];
    workdirs.iter().any(|w| w == dir)
        || APP_ROOTS.iter().any(|r| {
            dir == *r
                || dir
                    .strip_prefix(r)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
}
