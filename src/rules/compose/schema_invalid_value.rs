//! DC002: a value of the wrong shape or outside its allowed values
//! (`ports: "80:80"`, `condition: service_healty`).

use super::schema::IssueKind;
use super::schema_unknown_key::report;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposeInvalidValue;

impl Rule for ComposeInvalidValue {
    fn code(&self) -> &'static str {
        "DC002"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        report(IssueKind::Invalid, file, ctx);
    }
}
