//! DF012: `ADD` of local files that are not archives (use `COPY`).

use super::common::dockerfile;
use crate::diagnostic::Edit;
use crate::parse::dockerfile::{Instruction, Keyword, Located};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct AddLocalFile;

/// Archives `ADD` unpacks (zip is not among them).
const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2",
    ".xz", ".zst",
];

pub fn is_remote(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("git@")
        || s.starts_with("git://")
}

/// `ADD`'s sources: every word but the destination (heredoc markers excluded).
pub fn add_sources(inst: &Instruction, escape: char) -> Vec<Located> {
    let mut words = inst.words(escape);
    words.pop();
    words.retain(|w| !w.text.starts_with("<<"));
    words
}

impl Rule for AddLocalFile {
    fn code(&self) -> &'static str {
        "DF012"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for inst in df.instructions.iter().filter(|i| i.is(Keyword::Add)) {
            let sources = add_sources(inst, df.escape);
            if sources.is_empty() || !inst.heredocs.is_empty() {
                continue;
            }
            let special = sources.iter().any(|s| {
                let lower = s.text.to_ascii_lowercase();
                is_remote(&s.text)
                    || s.text.contains('$')
                    || ARCHIVES.iter().any(|a| lower.ends_with(a))
            });
            if special || inst.flag("checksum").is_some() || inst.flag("keep-git-dir").is_some() {
                continue;
            }
            let written = file.source.slice(inst.keyword_span);
            let copy = if written.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            ctx.report(
                inst.keyword_span,
                format!("`ADD {}` copies local files: `COPY` does the same without `ADD`'s archive and URL magic", sources[0].text),
            )
            .label_text("use COPY")
            .safe_fix(
                "Replace `ADD` with `COPY`",
                vec![Edit {
                    span: inst.keyword_span,
                    replacement: copy.into(),
                }],
            );
        }
    }
}
