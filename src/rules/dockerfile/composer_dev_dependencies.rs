//! DF009: `composer install` with dev dependencies in the shipped image.

use super::common::{commands_in, composer_args, dockerfile, target};
use crate::model::dockerfile::first_operand;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposerDevDependencies;

fn truthy(v: Option<&str>) -> bool {
    v.is_some_and(|v| {
        !matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no"
        )
    })
}

impl Rule for ComposerDevDependencies {
    fn code(&self) -> &'static str {
        "DF009"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        // Development and test images want the dev packages.
        if super::common::development_file(ctx, file) {
            return;
        }
        let Some(df) = dockerfile(file) else { return };
        let stages = df.reaching_final(target(ctx));
        for (inst, cmd) in commands_in(df, &stages) {
            let Some(args) = composer_args(cmd) else {
                continue;
            };
            let Some(sub) = first_operand(args) else {
                continue;
            };
            if !matches!(sub.text.as_str(), "install" | "i" | "update" | "u") {
                continue;
            }
            if args.iter().any(|w| w.text == "--no-dev") {
                continue;
            }
            let stage = inst.stage.unwrap_or(0);
            let env = df.env_of(&df.chain(stage));
            let no_dev_env = env
                .iter()
                .rev()
                .find(|(k, _)| k == "COMPOSER_NO_DEV")
                .is_some_and(|(_, v)| truthy(v.as_deref()));
            let no_dev_prefix = cmd
                .words
                .iter()
                .take_while(|w| w.text.contains('='))
                .any(|w| {
                    w.text
                        .strip_prefix("COMPOSER_NO_DEV=")
                        .is_some_and(|v| truthy(Some(v)))
                });
            if no_dev_env || no_dev_prefix {
                continue;
            }
            ctx.report(
                cmd.span,
                format!("`composer {}` without `--no-dev` installs development packages into the image that ships", sub.text),
            )
            .label_text("dev dependencies included");
        }
    }
}
