//! OCT025: `logs.mode: development` or `logs.level: debug` in a production
//! `.rr.yaml`.

use super::common::{development_file, octane_app, root};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RrDebugLogging;

impl Rule for RrDebugLogging {
    fn code(&self) -> &'static str {
        "OCT025"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::RoadRunner]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(root) = root(file) else { return };
        // Octane passes `-o logs.mode=production` and its own level.
        if development_file(ctx, file) || octane_app(root) {
            return;
        }
        let Some(logs) = root.get("logs") else { return };
        if let Some(mode) = logs
            .get("mode")
            .filter(|m| m.as_str() == Some("development"))
        {
            ctx.report(
                mode.span,
                "`logs.mode: development` in a production config: colored console output, debug level and stack traces on every warning",
            )
            .hint("Write `mode: production` (JSON-friendly, sampled, info level) and `encoding: json` for log collectors")
            .label_text("development logger");
        }
        if let Some(level) = logs.get("level").filter(|l| l.as_str() == Some("debug")) {
            ctx.report(
                level.span,
                "`logs.level: debug` in a production config logs every request and worker event of every plugin",
            )
            .hint("Write `level: info` (or `warn`), and raise a single plugin with `logs.channels.<plugin>.level` when needed")
            .label_text("debug level");
        }
    }
}
