//! INI020: errors displayed to clients in production.

use super::directives::{development_content, development_file, pool_php_settings, production};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct DisplayErrorsEnabled;

impl Rule for DisplayErrorsEnabled {
    fn code(&self) -> &'static str {
        "INI020"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni, FileKind::PhpFpm]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        if development_file(ctx.settings) {
            return;
        }
        if !production(ctx.settings) {
            return;
        }
        if let Some(fpm) = file.document.as_fpm() {
            // `php_flag[display_errors] = on` in a pool overrides php.ini for its requests.
            for (d, name, value) in pool_php_settings(fpm) {
                let shown = value.text().is_some_and(|t| {
                    let t = t.trim();
                    !t.eq_ignore_ascii_case("stderr") && value.as_bool() == Some(true)
                });
                if name == "display_errors" && shown {
                    ctx.report(
                        d.value.span,
                        format!("`{}[display_errors]` is on in production: this pool sends error messages, paths and stack traces to clients", d.name.text),
                    )
                    .label_text("errors shown to clients");
                }
            }
            return;
        }
        let Some(ini) = file.document.as_ini() else {
            return;
        };
        if development_content(ini) {
            return;
        }
        let Some(e) = ini.get("display_errors") else {
            return;
        };
        let Some(t) = e.value.text() else { return };
        // `stderr` goes to the process's stderr (the container log), not to clients.
        if t.trim().eq_ignore_ascii_case("stderr") || e.value.as_bool() != Some(true) {
            return;
        }
        ctx.report(
            e.value.span,
            "`display_errors` is on in production: error messages, paths and stack traces are sent to clients",
        )
        .label_text("errors shown to clients");
    }
}
