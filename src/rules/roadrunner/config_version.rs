//! OCT022: `version` missing or not `"3"` (RoadRunner 2023.1+ refuses the file).

use super::common::report;
use super::schema::IssueKind;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RrConfigVersion;

impl Rule for RrConfigVersion {
    fn code(&self) -> &'static str {
        "OCT022"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::RoadRunner]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        report(file, ctx, IssueKind::Version);
    }
}
