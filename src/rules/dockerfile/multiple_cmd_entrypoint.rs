//! DF020: several `CMD` or `ENTRYPOINT` in one stage: only the last counts.

use super::common::dockerfile;
use crate::parse::dockerfile::Keyword;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct MultipleCmdEntrypoint;

impl Rule for MultipleCmdEntrypoint {
    fn code(&self) -> &'static str {
        "DF020"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for stage in &df.stages {
            for kw in [Keyword::Cmd, Keyword::Entrypoint] {
                let all: Vec<_> = df
                    .stage_instructions(stage.index)
                    .iter()
                    .filter(|i| i.is(kw))
                    .collect();
                let Some(last) = all.last() else { continue };
                for earlier in &all[..all.len() - 1] {
                    ctx.report(
                        earlier.keyword_span.cover(earlier.args.span()),
                        format!(
                            "This `{}` has no effect: a later `{}` in the same stage replaces it",
                            kw.name(),
                            kw.name()
                        ),
                    )
                    .label_text("ignored")
                    .secondary(
                        file.id,
                        last.keyword_span,
                        "this one takes effect",
                    );
                }
            }
        }
    }
}
