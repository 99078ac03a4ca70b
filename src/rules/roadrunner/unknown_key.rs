//! OCT020: A key RoadRunner never reads (`octane.workers`, `http.pool.max_worker_memory`).

use super::common::report;
use super::schema::IssueKind;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RrUnknownKey;

impl Rule for RrUnknownKey {
    fn code(&self) -> &'static str {
        "OCT020"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::RoadRunner]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        report(file, ctx, IssueKind::UnknownKey);
    }
}
