//! OCT021: A value RoadRunner cannot decode, or a duration without its unit.

use super::common::report;
use super::schema::IssueKind;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RrInvalidValue;

impl Rule for RrInvalidValue {
    fn code(&self) -> &'static str {
        "OCT021"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::RoadRunner]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        report(file, ctx, IssueKind::InvalidValue);
    }
}
