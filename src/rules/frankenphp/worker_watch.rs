//! OCT032: a FrankenPHP worker with `watch` (file watcher) in a production
//! Caddyfile.

use super::common::{caddyfile, worker_blocks};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct FrankenphpWorkerWatch;

impl Rule for FrankenphpWorkerWatch {
    fn code(&self) -> &'static str {
        "OCT032"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Caddyfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(c) = caddyfile(file) else { return };
        let development = ctx.settings.profile == crate::config::Profile::Development
            || (!ctx.settings.strict && crate::config::is_development_path(&file.source.path));
        if development {
            return;
        }
        for w in worker_blocks(c) {
            for d in w.children() {
                let Some(name) = d.name().filter(|n| n.text == "watch") else {
                    continue;
                };
                ctx.report(
                    name.span,
                    "FrankenPHP worker with `watch`: every matching file change restarts all workers, a development feature",
                )
                .hint("Remove `watch` from the production Caddyfile; keep it in a development one (`Caddyfile.dev`) or inject it with `{$FRANKENPHP_WORKER_CONFIG}` in development only")
                .label_text("development only");
            }
        }
    }
}
