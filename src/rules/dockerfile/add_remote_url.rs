//! DF013: `ADD https://...` without `--checksum`.

use super::add_local_file::add_sources;
use super::common::dockerfile;
use crate::parse::dockerfile::Keyword;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct AddRemoteUrl;

impl Rule for AddRemoteUrl {
    fn code(&self) -> &'static str {
        "DF013"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for inst in df.instructions.iter().filter(|i| i.is(Keyword::Add)) {
            if inst.flag("checksum").is_some() {
                continue;
            }
            for src in add_sources(inst, df.escape) {
                let lower = src.text.to_ascii_lowercase();
                if lower.starts_with("http://") || lower.starts_with("https://") {
                    ctx.report(
                        src.span,
                        format!("`ADD {}` downloads without `--checksum`: whatever the server returns at build time goes into the image", src.text),
                    )
                    .label_text("unverified download");
                }
            }
        }
    }
}
