//! INI003: a value of the wrong type or out of range for its directive.

use super::directives::{check_value, pool_php_settings, reached, schema};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct InvalidDirectiveValue;

impl Rule for InvalidDirectiveValue {
    fn code(&self) -> &'static str {
        "INI003"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni, FileKind::PhpFpm]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        if let Some(fpm) = file.document.as_fpm() {
            check_pool_settings(fpm, ctx);
            return;
        }
        let Some(ini) = file.document.as_ini() else {
            return;
        };
        for e in &ini.entries {
            let Some(d) = schema().get(&e.key) else {
                continue;
            };
            if e.offset.is_some() || reached(ctx.settings.php_version, d.removed.as_deref()) {
                continue;
            }
            let Some(problem) = check_value(&e.key, d, &e.value) else {
                continue;
            };
            let span = if e.value.span.is_empty() {
                e.key_span
            } else {
                e.value.span
            };
            let mut hint = match d.kind.as_str() {
                "bool" => "Write `On` or `Off`".to_owned(),
                "size" => {
                    "Write a size such as `128M` or `1G` (suffixes `K`, `M`, `G` only)".to_owned()
                }
                "enum" => format!(
                    "Write one of {}",
                    d.values
                        .iter()
                        .filter(|v| !v.is_empty())
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "error_level" => {
                    "Write an `E_*` expression such as `E_ALL & ~E_DEPRECATED`".to_owned()
                }
                "jit" => "Write `tracing`, `function`, `disable` or `off`".to_owned(),
                _ => {
                    let mut h = "Write a plain integer".to_owned();
                    match (d.min, d.max) {
                        (Some(a), Some(b)) => h.push_str(&format!(" from {a} to {b}")),
                        (Some(a), None) => h.push_str(&format!(" of at least {a}")),
                        _ => {}
                    }
                    h
                }
            };
            if let Some(def) = d.default.as_deref().filter(|v| !v.is_empty()) {
                hint.push_str(&format!(" (PHP's default is `{def}`)"));
            }
            ctx.report(span, format!("invalid `{}`: {problem}", e.key))
                .label_text("invalid value")
                .hint(hint);
        }
    }
}

/// `php_value[memory_limit] = 512MB` in a pool: the same value checks as php.ini
/// (`php_flag`/`php_admin_flag` values are fpm booleans, checked by fpm itself).
fn check_pool_settings(fpm: &crate::parse::fpm::FpmFile, ctx: &mut Context) {
    for (d, name, value) in pool_php_settings(fpm) {
        let Some(meta) = schema().get(&name) else {
            continue;
        };
        if d.name.text.ends_with("_flag")
            || reached(ctx.settings.php_version, meta.removed.as_deref())
        {
            continue;
        }
        let Some(problem) = check_value(&name, meta, &value) else {
            continue;
        };
        ctx.report(
            d.value.span,
            format!("invalid `{}[{name}]`: {problem}", d.name.text),
        )
        .label_text("invalid value");
    }
}
