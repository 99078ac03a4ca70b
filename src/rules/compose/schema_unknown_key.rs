//! DC001: a key the Compose Specification does not define (`contianer_name`).

use super::schema::{IssueKind, validate};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposeUnknownKey;

/// Reports the schema issues of one kind (shared with DC002).
pub fn report(kind: IssueKind, file: &ParsedFile, ctx: &mut Context) {
    let Some(yaml) = file.document.as_yaml() else {
        return;
    };
    for issue in validate(yaml).into_iter().filter(|i| i.kind == kind) {
        let d = ctx.report(issue.span, issue.message);
        d.label_text(match kind {
            IssueKind::UnknownKey => "unknown key",
            IssueKind::Invalid => "invalid value",
        });
        if let Some(h) = issue.hint {
            d.hint(h);
        }
    }
}

impl Rule for ComposeUnknownKey {
    fn code(&self) -> &'static str {
        "DC001"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        report(IssueKind::UnknownKey, file, ctx);
    }
}
