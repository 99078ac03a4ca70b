//! DF027: php-fpm stopped with SIGTERM, which cuts in-flight requests.

use super::common::{dockerfile, final_image, runtime_tokens};
use crate::project::ParsedFile;
use crate::model::dockerfile::official_php_image;
use crate::parse::dockerfile::Keyword;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct FpmStopSignal;

/// `php-fpm`, `php-fpm83`, `php-fpm8.3`, `/usr/sbin/php-fpm8.2`.
fn is_fpm(word: &str) -> bool {
    let base = word.rsplit('/').next().unwrap_or(word);
    base.strip_prefix("php-fpm")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_quit(signal: &str) -> bool {
    matches!(signal.to_ascii_uppercase().as_str(), "SIGQUIT" | "QUIT" | "3")
}

impl Rule for FpmStopSignal {
    fn code(&self) -> &'static str {
        "DF027"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let Some((chain, last)) = final_image(df, ctx) else { return };
        let official_fpm = df
            .base_image(&chain)
            .and_then(|(image, _)| official_php_image(image))
            .is_some_and(|p| p.is_fpm());
        let tokens = runtime_tokens(df, &chain);
        let command = df.last_in(&chain, Keyword::Cmd).or(df.last_in(&chain, Keyword::Entrypoint));
        let runs_fpm = tokens.iter().any(|w| is_fpm(&w.text)) || (command.is_none() && official_fpm);
        if !runs_fpm {
            return;
        }
        match df.last_in(&chain, Keyword::Stopsignal) {
            Some(stop) => {
                let Some(sig) = stop.words(df.escape).into_iter().next() else { return };
                if !sig.text.contains('$') && !is_quit(&sig.text) {
                    ctx.report(sig.span, format!("`STOPSIGNAL {}` stops php-fpm abruptly: only SIGQUIT lets workers finish their requests", sig.text))
                        .label_text("not SIGQUIT");
                }
            }
            None if !official_fpm => {
                let span = command.map_or(last.image.span, |c| c.keyword_span.cover(c.args.span()));
                ctx.report(span, "php-fpm runs without `STOPSIGNAL SIGQUIT`: Docker and Kubernetes stop it with SIGTERM, which kills in-flight requests")
                    .label_text("php-fpm gets SIGTERM");
            }
            None => {}
        }
    }
}
