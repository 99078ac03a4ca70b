//! INI023: `memory_limit = -1`.

use super::directives::{
    Quantity, cli_file, development_file, parse_quantity, pool_php_settings, production,
};
use crate::diagnostic::Severity;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct MemoryLimitUnlimited;

impl Rule for MemoryLimitUnlimited {
    fn code(&self) -> &'static str {
        "INI023"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni, FileKind::PhpFpm]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        if development_file(ctx.settings) {
            return;
        }
        if let Some(fpm) = file.document.as_fpm() {
            let prod = production(ctx.settings);
            // `php_admin_value[memory_limit] = -1` lifts the limit for one pool's requests.
            for (d, name, value) in pool_php_settings(fpm) {
                let unlimited = value
                    .text()
                    .is_some_and(|t| matches!(parse_quantity(&t), Quantity::Ok(n) if n < 0));
                if name == "memory_limit" && unlimited {
                    let d = ctx
                        .report(
                            d.value.span,
                            format!("`{}[memory_limit]` is unlimited: one runaway request of this pool can take the whole container memory", d.name.text),
                        )
                        .label_text("no per-request limit");
                    if !prod {
                        d.severity(Severity::Info);
                    }
                }
            }
            return;
        }
        let Some(ini) = file.document.as_ini() else {
            return;
        };
        // The CLI's own file: scripts and Composer run without a limit by design.
        if cli_file(&file.source.path) {
            return;
        }
        let Some(e) = ini.get("memory_limit") else {
            return;
        };
        let Some(t) = e.value.text() else { return };
        let Quantity::Ok(n) = parse_quantity(&t) else {
            return;
        };
        if n >= 0 {
            return;
        }
        let prod = production(ctx.settings);
        let d = ctx
            .report(
                e.value.span,
                "`memory_limit` is unlimited: one runaway request can take the whole container memory and get every worker OOM-killed",
            )
            .label_text("no per-request limit");
        if !prod {
            d.severity(Severity::Info);
        }
    }
}
