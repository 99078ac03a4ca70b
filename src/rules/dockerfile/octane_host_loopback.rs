//! DF008: Octane listening on 127.0.0.1 inside a container.

use super::common::{dockerfile, final_command, octane_command};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OctaneHostLoopback;

fn is_loopback(host: &str) -> bool {
    let h = host.trim_matches(|c| c == '"' || c == '\'' || c == '[' || c == ']');
    h == "localhost" || h == "::1" || h.starts_with("127.")
}

impl Rule for OctaneHostLoopback {
    fn code(&self) -> &'static str {
        "DF008"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let (chain, tokens) = final_command(df, ctx);
        let Some(at) = octane_command(&tokens) else {
            return;
        };
        let args = &tokens[at + 1..];
        let host = args.iter().enumerate().find_map(|(i, w)| {
            if let Some(v) = w.text.strip_prefix("--host=") {
                Some((v.to_owned(), w.span))
            } else if w.text == "--host" {
                args.get(i + 1)
                    .map(|v| (v.text.clone(), w.span.cover(v.span)))
            } else {
                None
            }
        });
        match host {
            Some((h, span)) if is_loopback(&h) => {
                ctx.report(
                    span,
                    format!(
                        "Octane listens on `{h}`, which nothing outside the container can reach"
                    ),
                )
                .label_text("loopback address");
            }
            Some(_) => {}
            None => {
                let env = df.env_of(&chain);
                let from_env = env
                    .iter()
                    .rev()
                    .find(|(k, _)| k == "OCTANE_HOST")
                    .and_then(|(_, v)| v.as_deref());
                // Octane reads `OCTANE_HOST` from `$_ENV`, which php.ini-production's
                // `variables_order = "GPCS"` leaves empty; the built-in default fills it.
                let production_ini = df
                    .instructions_of(&chain)
                    .any(|i| file.source.slice(i.span).contains("php.ini-production"));
                let env_host = from_env.is_some_and(|h| !h.is_empty() && !is_loopback(h));
                if env_host && !production_ini {
                    return;
                }
                let why = if env_host {
                    "`ENV OCTANE_HOST` is never read here: php.ini-production's `variables_order` leaves `$_ENV` empty, so Octane listens on 127.0.0.1"
                } else {
                    "listens on 127.0.0.1, so the port is unreachable from outside the container"
                };
                ctx.report(
                    tokens[at].span,
                    format!("`{}` without `--host`: {why}", tokens[at].text),
                )
                .label_text("no --host");
            }
        }
    }
}
