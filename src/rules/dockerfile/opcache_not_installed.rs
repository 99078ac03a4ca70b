//! DF011: an official `php:*` image old enough to lack OPcache, never installed.

use super::common::{commands_in, dockerfile, target};
use crate::model::dockerfile::official_php_image;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OpcacheNotInstalled;

/// Commands that install or enable PHP extensions.
const INSTALLERS: &[&str] = &[
    "docker-php-ext-install",
    "docker-php-ext-enable",
    "docker-php-ext-configure",
    "install-php-extensions",
    "pickle",
    "pie",
    "pecl",
    "apk",
    "apt-get",
    "apt",
];

/// Whether the official image of this version ships without OPcache enabled.
///
/// docker-library/php enables OPcache in every image it built from
/// 2025-06-25 on (docker-library/php#1587), and PHP 8.5 compiles it in. Tags
/// that still move were rebuilt then; what lacks it is an EOL line (8.0 and
/// older, never rebuilt) or a patch tag frozen before that date: older than
/// the patch releases current on that day (8.1.32, 8.2.28, 8.3.22, 8.4.8).
/// Moving tags (`8.3-fpm`, `latest`) have had it since.
pub fn lacks_opcache(version: Option<(u32, u32)>, patch: Option<u32>) -> bool {
    let Some(version) = version else { return false };
    if version < (8, 1) {
        return true;
    }
    let first_enabled = match version {
        (8, 1) => 32,
        (8, 2) => 28,
        (8, 3) => 22,
        (8, 4) => 8,
        _ => return false,
    };
    patch.is_some_and(|p| p < first_enabled)
}

impl Rule for OpcacheNotInstalled {
    fn code(&self) -> &'static str {
        "DF011"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        // A development image, or a base the deployed image builds on and installs OPcache in.
        if super::common::development_file(ctx, file)
            || super::common::intermediate_image(&file.source.path)
        {
            return;
        }
        let Some(df) = dockerfile(file) else { return };
        let chain = df.final_chain(target(ctx));
        let Some((image, written)) = df.base_image(&chain) else {
            return;
        };
        let Some(php) = official_php_image(image) else {
            return;
        };
        if !lacks_opcache(php.version, php.patch) {
            return;
        }
        let installed = commands_in(df, &chain).iter().any(|(_, c)| {
            c.program().is_some_and(|p| INSTALLERS.contains(&p))
                && c.has_arg(|a| a == "opcache" || a.ends_with("-opcache"))
        });
        if !installed {
            ctx.report(
                written.span,
                format!("The final image builds on `{image}`, an official image built without OPcache enabled, and never installs it: every request compiles PHP from source"),
            )
            .label_text("no opcache");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::lacks_opcache;

    #[test]
    fn which_official_images_lack_opcache() {
        assert!(lacks_opcache(Some((7, 4)), None));
        assert!(lacks_opcache(Some((8, 0)), Some(30)));
        assert!(lacks_opcache(Some((8, 3)), Some(7)));
        assert!(!lacks_opcache(Some((8, 3)), Some(22)));
        assert!(!lacks_opcache(Some((8, 3)), None));
        assert!(!lacks_opcache(Some((8, 5)), Some(0)));
        assert!(!lacks_opcache(None, None));
    }
}
