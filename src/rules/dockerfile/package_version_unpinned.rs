//! DF026 (opt-in): packages installed without a version.

use super::common::{all_commands, dockerfile};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PackageVersionUnpinned;

/// apk options that take the next word as their value.
const APK_VALUE_OPTIONS: &[&str] = &[
    "--virtual",
    "-t",
    "--repository",
    "-X",
    "--root",
    "-p",
    "--arch",
];

impl Rule for PackageVersionUnpinned {
    fn code(&self) -> &'static str {
        "DF026"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for (_, cmd) in all_commands(df) {
            let (manager, pinned): (&str, fn(&str) -> bool) =
                if cmd.is(&["apt-get", "apt"], "install") {
                    ("apt", |p| p.contains('='))
                } else if cmd.is(&["apk"], "add") {
                    ("apk", |p| p.contains(['=', '~', '<', '>']))
                } else {
                    continue;
                };
            let argv = cmd.argv();
            let sub_at = argv
                .iter()
                .skip(1)
                .position(|w| !w.text.starts_with('-'))
                .map_or(1, |p| p + 2);
            let mut skip_next = false;
            for w in &argv[sub_at.min(argv.len())..] {
                if std::mem::take(&mut skip_next) {
                    continue;
                }
                let t = w.text.as_str();
                if t.starts_with('-') {
                    skip_next = manager == "apk" && APK_VALUE_OPTIONS.contains(&t);
                    continue;
                }
                if t.contains('$') || t.ends_with(".deb") || t.contains('/') || pinned(t) {
                    continue;
                }
                ctx.report(
                    w.span,
                    format!("`{manager}` package `{t}` is installed without a version"),
                )
                .label_text("unpinned");
            }
        }
    }
}
