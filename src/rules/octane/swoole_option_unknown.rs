//! OCT002: a `swoole.options` key that is no Swoole server setting (a typo
//! Swoole ignores without a word).

use super::schema::{SWOOLE_OPTIONS, misplaced};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SwooleOptionUnknown;

impl Rule for SwooleOptionUnknown {
    fn code(&self) -> &'static str {
        "OCT002"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Octane]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(opts) = file
            .document
            .as_php()
            .and_then(|p| p.root.as_ref())
            .and_then(|r| r.get("swoole"))
            .and_then(|s| s.get("options"))
        else {
            return;
        };
        for e in opts.as_array() {
            let Some(key) = e.key.as_ref() else { continue };
            let Some(name) = key.as_str() else { continue };
            if SWOOLE_OPTIONS.contains(&name) {
                continue;
            }
            let help = match super::schema::suggest(name, SWOOLE_OPTIONS) {
                Some(s) => format!("Write `{s}`"),
                None => match misplaced(
                    Some("options"),
                    name,
                    super::schema::literal(&e.value).as_deref(),
                ) {
                    Some(h) => {
                        let mut c = h.chars();
                        c.next()
                            .map(|f| f.to_uppercase().chain(c).collect())
                            .unwrap_or_default()
                    }
                    // Unknown and not near any setting: maybe a newer Swoole's.
                    None => continue,
                },
            };
            ctx.report(
                key.span,
                format!("`{name}` is not a Swoole server setting: Swoole ignores it"),
            )
            .label_text("unknown Swoole setting")
            .hint(help);
        }
    }
}
