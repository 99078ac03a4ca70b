//! Shared helpers of the RoadRunner (`.rr.yaml`) rules.

use super::schema::{Issue, IssueKind, check};
use crate::parse::yaml::Node;
use crate::project::ParsedFile;
use crate::rules::Context;

/// The root map of the `.rr.yaml` (its first document).
pub fn root(file: &ParsedFile) -> Option<&Node> {
    let y = file.document.as_yaml()?;
    y.documents.first().map(|d| &d.root)
}

/// Reports the schema issues of one kind.
pub fn report(file: &ParsedFile, ctx: &mut Context, kind: IssueKind) {
    let Some(root) = root(file) else { return };
    for Issue {
        span,
        message,
        hint,
        kind: k,
    } in check(root)
    {
        if k == kind {
            ctx.report(span, message).hint(hint);
        }
    }
}

/// Whether the `.rr.yaml` serves Laravel Octane.
pub use crate::project::facts::rr_serves_octane as octane_app;

/// A file whose path says development or tests (`.rr.dev.yaml`,
/// `.rr.test.yml`, `tests/`), judged with the production profile: the
/// production-only checks stay quiet there, as the php.ini ones do.
pub fn development_file(ctx: &Context, file: &ParsedFile) -> bool {
    ctx.settings.profile == crate::config::Profile::Development
        || (!ctx.settings.strict && crate::config::is_development_path(&file.source.path))
}
