//! INI021: the `X-Powered-By: PHP/x.y.z` header in production.

use super::directives::{development_file, production};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ExposePhpEnabled;

impl Rule for ExposePhpEnabled {
    fn code(&self) -> &'static str {
        "INI021"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        if development_file(ctx.settings) {
            return;
        }
        if !production(ctx.settings) {
            return;
        }
        let Some(ini) = file.document.as_ini() else {
            return;
        };
        let Some(e) = ini.get("expose_php") else {
            return;
        };
        if e.value.as_bool() != Some(true) {
            return;
        }
        ctx.report(
            e.value.span,
            "`expose_php` is on: every response advertises the exact PHP version in `X-Powered-By`",
        )
        .label_text("version disclosed");
    }
}
