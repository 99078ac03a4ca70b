//! DF006: the image runs `php artisan serve`, PHP's development server.

use super::common::{dockerfile, runtime_tokens, target};
use crate::engine::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ArtisanServe;

impl Rule for ArtisanServe {
    fn code(&self) -> &'static str {
        "DF006"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let chain = df.final_chain(target(ctx));
        let tokens = runtime_tokens(df, &chain);
        let Some(i) = tokens
            .windows(2)
            .position(|w| w[0].text.ends_with("artisan") && w[1].text == "serve")
        else {
            return;
        };
        ctx.report(
            tokens[i].span.cover(tokens[i + 1].span),
            "The image runs `php artisan serve`, PHP's single-process development server",
        )
        .label_text("development server");
    }
}
