//! INI010: OPcache switched off.

use super::directives::{development_file, production};
use crate::diagnostic::Severity;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OpcacheDisabled;

impl Rule for OpcacheDisabled {
    fn code(&self) -> &'static str {
        "INI010"
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
        let Some(e) = ini.get("opcache.enable") else {
            return;
        };
        if e.value.as_bool() != Some(false) {
            return;
        }
        let prod = production(ctx.settings);
        let d = ctx
            .report(
                e.value.span,
                "`opcache.enable` is off: every request recompiles every PHP file",
            )
            .label_text("OPcache off");
        if !prod {
            d.severity(Severity::Info);
        }
    }
}
