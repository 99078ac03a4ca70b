//! INI001: a directive PHP does not know, in a namespace deploylint covers.

use super::directives::{reached, schema, version_str};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct UnknownDirective;

impl Rule for UnknownDirective {
    fn code(&self) -> &'static str {
        "INI001"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(ini) = file.document.as_ini() else {
            return;
        };
        let s = schema();
        let at = ctx.settings.php_version;
        for e in &ini.entries {
            if e.is_extension_load() {
                continue;
            }
            match s.get(&e.key) {
                Some(d) => {
                    if let Some(added) = d.added.as_deref().filter(|a| !reached(at, Some(a))) {
                        ctx.report(
                            e.key_span,
                            format!(
                                "`{}` does not exist in PHP {}: it was added in PHP {added}",
                                e.key,
                                version_str(at)
                            ),
                        )
                        .label_text("not in this PHP version")
                        .hint(format!(
                            "Remove it, or set `php-version` to the version the image really runs (`--php-version {added}`)"
                        ));
                    }
                }
                None if s.covers(&e.key) => {
                    let names = s.directives.keys().map(String::as_str);
                    let mut msg = format!("unknown directive `{}`", e.key);
                    let hint = match crate::suggest::did_you_mean(&e.key, names) {
                        Some(sugg) => {
                            msg.push_str(&format!(": did you mean `{sugg}`?"));
                            format!("Rename it to `{sugg}`: PHP silently ignores unknown directives")
                        }
                        None => "Remove it or fix its name: PHP silently ignores unknown directives, so this line changes nothing".to_owned(),
                    };
                    ctx.report(e.key_span, msg)
                        .label_text("unknown directive")
                        .hint(hint);
                }
                None => {}
            }
        }
    }
}
