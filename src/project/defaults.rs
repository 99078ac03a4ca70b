//! What known images bring with them, as data: the official `php` images of
//! docker-library/php, so rules reason about the configuration a container
//! really runs with, not only the files in the repository.
//!
//! Source: docker-library/php, `8.3/bookworm/fpm/Dockerfile` and its
//! siblings (`cli`, `apache`, `zts`, alpine variants): the fpm variant writes
//! `php-fpm.d/docker.conf` and `php-fpm.d/zz-docker.conf`, sets
//! `STOPSIGNAL SIGQUIT`, `EXPOSE 9000`, `CMD ["php-fpm"]`; every variant has
//! `ENTRYPOINT ["docker-php-entrypoint"]` and runs as root (php-fpm's master
//! as root, its `[www]` workers as `www-data`). See also shared/PHP-FACTS.md 1.7.

use serde::Serialize;

/// The variant of an official `php` image, from its tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhpVariant {
    Cli,
    Fpm,
    Apache,
    Zts,
}

/// An official `php:<tag>` image reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OfficialPhp {
    pub tag: String,
    /// `None` for `latest`, untagged or named tags (`php:fpm-alpine`).
    pub version: Option<(u32, u32)>,
    pub patch: Option<u32>,
    pub variant: PhpVariant,
}

impl OfficialPhp {
    /// Reads `php:8.3-fpm-alpine`, `docker.io/library/php:8.2.7-cli`; `None`
    /// for any other image (`serversideup/php:8.3-fpm` is not official).
    pub fn parse(image: &str) -> Option<OfficialPhp> {
        let parsed = crate::model::dockerfile::official_php_image(image)?;
        let parts: Vec<&str> = parsed.tag.split('-').collect();
        let variant = if parts.contains(&"fpm") {
            PhpVariant::Fpm
        } else if parts.contains(&"apache") {
            PhpVariant::Apache
        } else if parts.contains(&"zts") {
            PhpVariant::Zts
        } else {
            PhpVariant::Cli
        };
        Some(OfficialPhp {
            tag: parsed.tag.to_owned(),
            version: parsed.version,
            patch: parsed.patch,
            variant,
        })
    }

    pub fn defaults(&self) -> &'static ImageDefaults {
        match self.variant {
            PhpVariant::Fpm => &PHP_FPM,
            PhpVariant::Apache => &PHP_APACHE,
            PhpVariant::Cli | PhpVariant::Zts => &PHP_CLI,
        }
    }
}

/// What an image sets that a derived image or a container inherits.
#[derive(Debug)]
pub struct ImageDefaults {
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    /// `None`: root (no USER instruction).
    pub user: Option<&'static str>,
    pub stopsignal: Option<&'static str>,
    pub expose: &'static [&'static str],
    /// `[global]` values the image's php-fpm config sets (zz-docker.conf, docker.conf).
    pub fpm_global: &'static [(&'static str, &'static str)],
    /// Values for pool `[www]` (docker.conf, www.conf, zz-docker.conf, in read order).
    pub fpm_www: &'static [(&'static str, &'static str)],
    /// conf.d ini files the image ships (`docker-fpm.ini`).
    pub ini: &'static [(&'static str, &'static str)],
}

impl ImageDefaults {
    pub fn fpm_global(&self, directive: &str) -> Option<&'static str> {
        lookup(self.fpm_global, directive)
    }

    pub fn fpm_www(&self, directive: &str) -> Option<&'static str> {
        lookup(self.fpm_www, directive)
    }

    /// The argv the image starts with when nothing overrides it.
    pub fn argv(&self) -> Vec<String> {
        self.entrypoint
            .iter()
            .chain(self.cmd)
            .map(|s| (*s).to_owned())
            .collect()
    }
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| *v)
}

pub static PHP_FPM: ImageDefaults = ImageDefaults {
    entrypoint: &["docker-php-entrypoint"],
    cmd: &["php-fpm"],
    user: None,
    stopsignal: Some("SIGQUIT"),
    expose: &["9000"],
    fpm_global: &[
        ("error_log", "/proc/self/fd/2"),
        ("log_limit", "8192"),
        ("daemonize", "no"),
    ],
    fpm_www: &[
        // docker.conf
        ("access.log", "/proc/self/fd/2"),
        ("clear_env", "no"),
        ("catch_workers_output", "yes"),
        ("decorate_workers_output", "no"),
        // www.conf (www.conf.default as shipped)
        ("user", "www-data"),
        ("group", "www-data"),
        ("listen", "127.0.0.1:9000"),
        ("pm", "dynamic"),
        ("pm.max_children", "5"),
        ("pm.start_servers", "2"),
        ("pm.min_spare_servers", "1"),
        ("pm.max_spare_servers", "3"),
        // zz-docker.conf, read last
        ("listen", "9000"),
    ],
    ini: &[("fastcgi.logging", "Off")],
};

pub static PHP_CLI: ImageDefaults = ImageDefaults {
    entrypoint: &["docker-php-entrypoint"],
    cmd: &["php", "-a"],
    user: None,
    stopsignal: None,
    expose: &[],
    fpm_global: &[],
    fpm_www: &[],
    ini: &[],
};

pub static PHP_APACHE: ImageDefaults = ImageDefaults {
    entrypoint: &["docker-php-entrypoint"],
    cmd: &["apache2-foreground"],
    user: None,
    stopsignal: Some("SIGWINCH"),
    expose: &["80"],
    fpm_global: &[],
    fpm_www: &[],
    ini: &[],
};

/// php-fpm's own built-in values where no file sets one (php-src
/// sapi/fpm/fpm/fpm_conf.c), for the directives rules compare across files.
pub fn fpm_builtin(directive: &str) -> Option<&'static str> {
    lookup(
        &[
            ("daemonize", "yes"),
            ("clear_env", "yes"),
            ("catch_workers_output", "no"),
            ("decorate_workers_output", "yes"),
            ("process_control_timeout", "0"),
            ("request_terminate_timeout", "0"),
            ("pm.max_requests", "0"),
            ("error_log", "log/php-fpm.log"),
        ],
        directive,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_and_their_defaults() {
        let fpm = OfficialPhp::parse("php:8.3-fpm-alpine").expect("official");
        assert_eq!(fpm.variant, PhpVariant::Fpm);
        assert_eq!(fpm.defaults().fpm_www("listen"), Some("9000"));
        assert_eq!(fpm.defaults().fpm_www("CLEAR_ENV"), Some("no"));
        assert_eq!(fpm.defaults().fpm_global("daemonize"), Some("no"));
        assert_eq!(
            fpm.defaults().argv(),
            vec!["docker-php-entrypoint", "php-fpm"]
        );
        let cli = OfficialPhp::parse("php:8.2-cli").expect("official");
        assert_eq!(cli.variant, PhpVariant::Cli);
        assert_eq!(cli.defaults().stopsignal, None);
        assert_eq!(
            OfficialPhp::parse("php:8.3-apache").map(|p| p.variant),
            Some(PhpVariant::Apache)
        );
        assert_eq!(
            OfficialPhp::parse("php:8.3-zts").map(|p| p.variant),
            Some(PhpVariant::Zts)
        );
        assert!(OfficialPhp::parse("serversideup/php:8.3-fpm").is_none());
        assert_eq!(fpm_builtin("daemonize"), Some("yes"));
    }
}
