//! INI003: a value of the wrong type or out of range for its directive.

use super::directives::{check_value, reached, schema};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct InvalidDirectiveValue;

impl Rule for InvalidDirectiveValue {
    fn code(&self) -> &'static str {
        "INI003"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(ini) = file.document.as_ini() else { return };
        for e in &ini.entries {
            let Some(d) = schema().get(&e.key) else { continue };
            if e.offset.is_some() || reached(ctx.settings.php_version, d.removed.as_deref()) {
                continue;
            }
            let Some(problem) = check_value(&e.key, d, &e.value) else {
                continue;
            };
            let span = if e.value.span.is_empty() { e.key_span } else { e.value.span };
            let mut hint = match d.kind.as_str() {
                "bool" => "Write `On` or `Off`".to_owned(),
                "size" => "Write a size such as `128M` or `1G` (suffixes `K`, `M`, `G` only)".to_owned(),
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
