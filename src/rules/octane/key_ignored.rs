//! OCT001: a key in `config/octane.php` that Octane never reads (the seed's
//! `swoole.host`/`port`/`workers`/`max_request`, a misspelt top-level key).

use super::schema::{SWOOLE, TOP_LEVEL, misplaced};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OctaneKeyIgnored;

impl Rule for OctaneKeyIgnored {
    fn code(&self) -> &'static str {
        "OCT001"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Octane]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(root) = file.document.as_php().and_then(|p| p.root.as_ref()) else {
            return;
        };
        for e in root.as_array() {
            let Some(key) = e.key.as_ref() else { continue };
            let Some(k) = key.as_str() else { continue };
            if k == "swoole" {
                for s in e.value.as_array() {
                    let Some(sk) = s.key.as_ref() else { continue };
                    let Some(name) = sk.as_str() else { continue };
                    if SWOOLE.contains(&name) {
                        continue;
                    }
                    let help = misplaced(
                        Some("swoole"),
                        name,
                        super::schema::literal(&s.value).as_deref(),
                    )
                    .or_else(|| {
                        super::schema::suggest(name, SWOOLE)
                            .map(|s| format!("did you mean `swoole.{s}`?"))
                    });
                    if let Some(help) = help {
                        ctx.report(
                            sk.span,
                            format!("Octane never reads `swoole.{name}`: the setting is silently ignored"),
                        )
                        .label_text("ignored by Octane")
                        .hint(capitalise(&help));
                    }
                }
                continue;
            }
            if TOP_LEVEL.contains(&k) {
                continue;
            }
            let help =
                misplaced(None, k, super::schema::literal(&e.value).as_deref()).or_else(|| {
                    super::schema::suggest(k, TOP_LEVEL).map(|s| format!("did you mean `{s}`?"))
                });
            // Other unknown keys may be the app's own (`config('octane.x')`).
            if let Some(help) = help {
                ctx.report(
                    key.span,
                    format!("Octane never reads `{k}` from `config/octane.php`: the setting is silently ignored"),
                )
                .label_text("ignored by Octane")
                .hint(capitalise(&help));
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
