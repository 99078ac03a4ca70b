//! DF027: php-fpm stopped with SIGTERM, which cuts in-flight requests.
//!
//! Reads the Dockerfile's facts: the process its target image runs (the
//! process model, through `sh -c` and entrypoint wrappers, with the official
//! image's `CMD ["php-fpm"]` when the file sets none) and the stop signal it
//! inherits (the official fpm image sets `STOPSIGNAL SIGQUIT`).

use crate::project::ParsedFile;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct FpmStopSignal;

fn is_quit(signal: &str) -> bool {
    matches!(signal.to_ascii_uppercase().as_str(), "SIGQUIT" | "QUIT" | "3")
}

impl Rule for FpmStopSignal {
    fn code(&self) -> &'static str {
        "DF027"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, _file: &ParsedFile, ctx: &mut Context) {
        let Some(d) = ctx.facts.dockerfile() else { return };
        if d.process.kind != ProcessKind::PhpFpm {
            return;
        }
        if let Some(sig) = &d.stopsignal {
            if !sig.text.contains('$') && !is_quit(&sig.text) {
                ctx.report(sig.span, format!("`STOPSIGNAL {}` stops php-fpm abruptly: only SIGQUIT lets workers finish their requests", sig.text))
                    .label_text("not SIGQUIT");
            }
            return;
        }
        if d.effective_stopsignal().is_some_and(is_quit) {
            return;
        }
        let Some(span) = d.runtime_span.or(d.base_image.as_ref().map(|b| b.span)) else { return };
        ctx.report(span, "php-fpm runs without `STOPSIGNAL SIGQUIT`: Docker and Kubernetes stop it with SIGTERM, which kills in-flight requests")
            .label_text("php-fpm gets SIGTERM");
    }
}
