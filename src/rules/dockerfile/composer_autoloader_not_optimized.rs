//! DF010: the shipped image's autoloader is not optimized.

use super::common::{commands_in, composer_args, dockerfile, target};
use crate::model::dockerfile::first_operand;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposerAutoloaderNotOptimized;

const OPTIMIZE: &[&str] = &[
    "-o",
    "--optimize",
    "--optimize-autoloader",
    "-a",
    "--classmap-authoritative",
    "--apcu",
    "--apcu-autoloader",
];

impl Rule for ComposerAutoloaderNotOptimized {
    fn code(&self) -> &'static str {
        "DF010"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        // Development and test images load classes from changing sources.
        if super::common::development_file(ctx, file) {
            return;
        }
        let Some(df) = dockerfile(file) else { return };
        let stages = df.reaching_final(target(ctx));
        let commands = commands_in(df, &stages);
        let composer: Vec<_> = commands
            .iter()
            .filter_map(|(_, c)| composer_args(c).map(|a| (c, a)))
            .collect();
        let optimized_later = |from: usize| {
            composer[from..].iter().any(|(_, args)| {
                first_operand(args)
                    .is_some_and(|s| matches!(s.text.as_str(), "dump-autoload" | "dumpautoload"))
                    && args.iter().any(|w| OPTIMIZE.contains(&w.text.as_str()))
            })
        };
        for (n, (cmd, args)) in composer.iter().enumerate() {
            let Some(sub) = first_operand(args) else {
                continue;
            };
            if sub.text != "install" && sub.text != "i" {
                continue;
            }
            if args.iter().any(|w| OPTIMIZE.contains(&w.text.as_str())) || optimized_later(n + 1) {
                continue;
            }
            ctx.report(
                cmd.span,
                "`composer install` without `--optimize-autoloader` leaves a PSR-4 autoloader that probes the filesystem for every class",
            )
            .label_text("autoloader not optimized");
        }
    }
}
