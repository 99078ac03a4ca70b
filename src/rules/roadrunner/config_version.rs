//! OCT022: `version` missing or not `"3"` (RoadRunner 2023.1+ refuses the file).

use super::common::{octane_app, root};
use super::schema::{IssueKind, check};
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
        let Some(root) = root(file) else { return };
        // Octane always passes `-o version=3`: a missing version is harmless
        // in the config of an Octane app (an older version is not: its
        // layout is still read as v3).
        let missing_ok = root.get("version").is_none() && octane_app(root);
        for issue in check(root) {
            if issue.kind == IssueKind::Version && !missing_ok {
                ctx.report(issue.span, issue.message).hint(issue.hint);
            }
        }
    }
}
