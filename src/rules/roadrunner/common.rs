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

/// The file is the config of a Laravel Octane app, which Octane starts:
/// the worker is Octane's (`vendor/bin/roadrunner-worker`,
/// `vendor/laravel/octane/bin/roadrunner-worker`), the command runs
/// `octane:start`, or the workers get `LARAVEL_OCTANE`. Octane then passes
/// `-o` overrides (`http.address`, `http.pool.num_workers`,
/// `http.pool.max_jobs`, `exec_ttl`, `logs.*`, `version`) that beat the file.
pub fn octane_app(root: &Node) -> bool {
    let command = root.str_at(&["server", "command"]).unwrap_or_default();
    if command.contains("roadrunner-worker") || command.contains("octane") {
        return true;
    }
    let env = root.path(&["server", "env"]);
    env.is_some_and(|env| {
        env.get("LARAVEL_OCTANE").is_some()
            || env
                .as_seq()
                .iter()
                .any(|item| item.get("LARAVEL_OCTANE").is_some())
    })
}

/// A file whose path says development or tests (`.rr.dev.yaml`,
/// `.rr.test.yml`, `tests/`), judged with the production profile: the
/// production-only checks stay quiet there, as the php.ini ones do.
pub fn development_file(ctx: &Context, file: &ParsedFile) -> bool {
    ctx.settings.profile == crate::config::Profile::Development
        || (!ctx.settings.strict && crate::config::is_development_path(&file.source.path))
}
