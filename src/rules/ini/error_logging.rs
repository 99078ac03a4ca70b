//! INI022: errors not logged, or logged to a file inside the container.

use super::directives::{development_file, production};
use crate::diagnostic::Severity;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ErrorLogging;

/// Destinations that end up in the container log (or a log daemon).
const STREAMS: [&str; 6] = [
    "stderr",
    "/dev/stderr",
    "/proc/self/fd/2",
    "/dev/stdout",
    "/proc/self/fd/1",
    "syslog",
];

impl Rule for ErrorLogging {
    fn code(&self) -> &'static str {
        "INI022"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        if development_file(ctx.settings) {
            return;
        }
        let Some(ini) = file.document.as_ini() else {
            return;
        };
        let sev = if production(ctx.settings) {
            Severity::Warning
        } else {
            Severity::Info
        };
        if let Some(e) = ini.get("log_errors") {
            if e.value.as_bool() == Some(false) {
                ctx.report(
                    e.value.span,
                    "`log_errors` is off: PHP errors reach no log, so production failures leave no trace",
                )
                .label_text("errors not logged")
                .hint("Set `log_errors=On` and leave `error_log` unset (the SAPI's stderr) or point it at `/proc/self/fd/2`")
                .severity(sev);
            }
        }
        if let Some(e) = ini.get("error_log") {
            let Some(t) = e.value.text() else { return };
            let t = t.trim();
            if t.is_empty() || STREAMS.iter().any(|s| t.eq_ignore_ascii_case(s)) {
                return;
            }
            ctx.report(
                e.value.span,
                format!("`error_log` writes to the file `{t}` inside the container: `kubectl logs` never shows it and it is lost with the pod"),
            )
            .label_text("log file in the container")
            .severity(sev);
        }
    }
}
