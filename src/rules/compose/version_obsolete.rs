//! DC011: the obsolete top-level `version` key.

use super::common::facts;
use crate::diagnostic::Edit;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct ComposeVersionObsolete;

impl Rule for ComposeVersionObsolete {
    fn code(&self) -> &'static str {
        "DC011"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(span) = facts(ctx).and_then(|f| f.version) else {
            return;
        };
        let text = &file.source.text;
        // The whole line, with its newline, when the entry is alone on it.
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[span.end..]
            .find('\n')
            .map_or(text.len(), |i| span.end + i + 1);
        let alone = text[line_start..span.start].trim().is_empty()
            && text[span.end..line_end].trim_start().is_empty_or_comment();
        let d = ctx
            .report(span, "the top-level `version` is obsolete: compose ignores it and warns on every run")
            .label_text("obsolete")
            .hint("Remove the `version` line; the Compose Specification reads every file the same way");
        if alone {
            d.safe_fix(
                "Remove the `version` line",
                vec![Edit {
                    span: Span::new(line_start, line_end),
                    replacement: String::new(),
                }],
            );
        }
    }
}

trait EmptyOrComment {
    fn is_empty_or_comment(&self) -> bool;
}

impl EmptyOrComment for str {
    fn is_empty_or_comment(&self) -> bool {
        let t = self.trim();
        t.is_empty() || t.starts_with('#')
    }
}
