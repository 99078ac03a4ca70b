//! DF011: an official `php:*` image whose final stage never installs OPcache.

use super::common::{commands_in, dockerfile, target};
use crate::engine::ParsedFile;
use crate::model::dockerfile::official_php_image;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OpcacheNotInstalled;

/// Commands that install or enable PHP extensions.
const INSTALLERS: &[&str] = &[
    "docker-php-ext-install",
    "docker-php-ext-enable",
    "docker-php-ext-configure",
    "install-php-extensions",
    "apk",
    "apt-get",
    "apt",
];

impl Rule for OpcacheNotInstalled {
    fn code(&self) -> &'static str {
        "DF011"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let chain = df.final_chain(target(ctx));
        let Some((image, written)) = df.base_image(&chain) else { return };
        let Some(php) = official_php_image(image) else { return };
        // Untagged / `latest` / named tags follow the newest PHP, which compiles OPcache in (8.5+).
        let Some(version) = php.version else { return };
        if version >= (8, 5) {
            return;
        }
        let installed = commands_in(df, &chain).iter().any(|(_, c)| {
            c.program().is_some_and(|p| INSTALLERS.contains(&p))
                && c.has_arg(|a| a == "opcache" || a.ends_with("-opcache"))
        });
        if !installed {
            ctx.report(
                written.span,
                format!("The final image builds on `{image}` but never installs the OPcache extension, so every request compiles PHP from source"),
            )
            .label_text("no opcache");
        }
    }
}
