//! DF018: pip / npm download caches left in the final image's layers.

use super::common::{commands_in, dockerfile, has_cache_mount, target};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct PackageCacheInLayer;

impl Rule for PackageCacheInLayer {
    fn code(&self) -> &'static str {
        "DF018"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let chain = df.final_chain(target(ctx));
        let pip_env = df
            .env_of(&chain)
            .iter()
            .any(|(k, _)| k == "PIP_NO_CACHE_DIR");
        let commands = commands_in(df, &chain);
        for (inst, cmd) in &commands {
            let pip = cmd.is(&["pip", "pip3"], "install")
                || (cmd.program().is_some_and(|p| p.starts_with("python"))
                    && cmd.arg("-m").is_some()
                    && cmd.has_arg(|a| a == "pip")
                    && cmd.has_arg(|a| a == "install"));
            if pip
                && !pip_env
                && cmd.arg("--no-cache-dir").is_none()
                && !has_cache_mount(inst, &["/root/.cache/pip", "/root/.cache"])
            {
                ctx.report(
                    cmd.span,
                    "`pip install` without `--no-cache-dir` keeps the download cache in the layer",
                )
                .label_text("pip cache kept");
            }
            let npm = ["install", "ci", "i"].iter().any(|s| cmd.is(&["npm"], s));
            if npm {
                let cleaned = commands.iter().any(|(i, c)| {
                    std::ptr::eq(*i, *inst)
                        && c.is(&["npm"], "cache")
                        && c.has_arg(|a| a == "clean")
                });
                if !cleaned && !has_cache_mount(inst, &["/root/.npm"]) {
                    ctx.report(cmd.span, format!("`npm {}` without `npm cache clean --force` keeps the npm cache in the layer", cmd.subcommand().unwrap_or("install")))
                        .label_text("npm cache kept");
                }
            }
        }
    }
}
