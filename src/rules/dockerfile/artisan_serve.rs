//! DF006: the image runs `php artisan serve`, PHP's development server.

use super::common::{dockerfile, final_command};
use crate::project::ParsedFile;
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
        let (_, tokens) = final_command(df, ctx);
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
