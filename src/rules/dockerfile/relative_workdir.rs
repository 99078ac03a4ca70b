//! DF023: `WORKDIR` with a relative path.

use super::common::dockerfile;
use crate::parse::dockerfile::Keyword;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RelativeWorkdir;

fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/') || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

impl Rule for RelativeWorkdir {
    fn code(&self) -> &'static str {
        "DF023"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for inst in df.instructions.iter().filter(|i| i.is(Keyword::Workdir)) {
            let Some(w) = inst.words(df.escape).into_iter().next() else {
                continue;
            };
            if w.text.contains('$') || is_absolute(&w.text) {
                continue;
            }
            ctx.report(w.span, format!("`WORKDIR {}` is relative to the previous `WORKDIR`, so its meaning depends on the base image", w.text))
                .label_text("relative path");
        }
    }
}
