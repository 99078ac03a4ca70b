//! INI002: a directive removed from PHP at or before the target version.

use super::directives::{reached, schema, version_str};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct RemovedDirective;

impl Rule for RemovedDirective {
    fn code(&self) -> &'static str {
        "INI002"
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
            let Some(removed) = d.removed.as_deref().filter(|r| reached(at, Some(r))) else {
                continue;
            };
            let mut hint = String::from("Delete the line: PHP ignores it without a warning");
            if let Some(r) = &d.replaced_by {
                hint.push_str(&format!("; use `{r}` instead"));
            } else if let Some(n) = &d.note {
                hint.push_str(&format!(" ({n})"));
            }
            ctx.report(
                e.key_span,
                format!(
                    "`{}` was removed in PHP {removed}: it has no effect on PHP {}",
                    e.key,
                    version_str(at)
                ),
            )
            .label_text(format!("removed in PHP {removed}"))
            .hint(hint);
        }
    }
}
