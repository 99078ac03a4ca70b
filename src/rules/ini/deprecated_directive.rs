//! INI004: a deprecated directive set to a non-default value.

use super::directives::{reached, schema, version_str};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct DeprecatedDirective;

impl Rule for DeprecatedDirective {
    fn code(&self) -> &'static str {
        "INI004"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(ini) = file.document.as_ini() else {
            return;
        };
        let at = ctx.settings.php_version;
        for e in &ini.entries {
            let Some(d) = schema().get(&e.key) else {
                continue;
            };
            let Some(since) = d.deprecated.as_deref().filter(|v| reached(at, Some(v))) else {
                continue;
            };
            if reached(at, d.removed.as_deref()) {
                continue; // INI002 reports it
            }
            // PHP only complains when the value differs from the default.
            let default = d.default_at(at).unwrap_or("");
            let same = match (e.value.text(), d.kind.as_str()) {
                (Some(t), "bool") => {
                    e.value.as_bool() == Some(crate::parse::ini::leading_int(default) != 0)
                        || t == default
                }
                (Some(t), _) => t.trim() == default,
                (None, _) => false,
            };
            if same {
                continue;
            }
            ctx.report(
                e.key_span,
                format!(
                    "`{}` is deprecated since PHP {since}: PHP {} warns at startup",
                    e.key,
                    version_str(at)
                ),
            )
            .label_text(format!("deprecated in PHP {since}"));
        }
    }
}
