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

/// Whether the image's `/bin/sh` is bash: the Red Hat family (RHEL, UBI,
/// CentOS and CentOS Stream, Fedora, Rocky, Alma, Oracle and Amazon Linux, and
/// the sclorg/s2i images built on them) and Arch, openSUSE. bash runs a
/// `-c` string that is one simple command by exec'ing it (its "one-shot"
/// optimisation), so a plain shell-form `CMD` there leaves no shell as PID 1.
/// Debian's dash and Alpine's busybox ash are not assumed to do so.
pub fn sh_is_bash(image: &str) -> bool {
    let lower = image.to_ascii_lowercase();
    let without_digest = lower.split('@').next().unwrap_or(&lower);
    // Registry and repository path, then the tag.
    let path = match without_digest.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => p,
        _ => without_digest,
    };
    if path.starts_with("registry.access.redhat.com/")
        || path.starts_with("registry.redhat.io/")
        || path.starts_with("quay.io/sclorg/")
        || path.starts_with("quay.io/centos/")
        || path.starts_with("quay.io/fedora/")
        || path.starts_with("centos/")
    {
        return true;
    }
    const FAMILIES: [&str; 8] = [
        "centos",
        "fedora",
        "rockylinux",
        "almalinux",
        "oraclelinux",
        "amazonlinux",
        "archlinux",
        "rhel",
    ];
    let family = |c: &str| {
        FAMILIES
            .iter()
            .any(|f| c == *f || c.starts_with(&format!("{f}-")))
            || c.starts_with("ubi") && c[3..].starts_with(|ch: char| ch.is_ascii_digit())
            || c.starts_with("opensuse")
    };
    // Any repository path component (`ubi8/php-73`, `redhat/ubi9`).
    path.split('/').any(family)
}

#[cfg(test)]
mod shell_tests {
    use super::sh_is_bash;

    #[test]
    fn red_hat_family_images_have_bash_as_sh() {
        for image in [
            "quay.io/sclorg/php-82-c9s",
            "ubi8/php-73",
            "registry.access.redhat.com/ubi9/php-82:1-50",
            "centos:7",
            "fedora:40",
            "rockylinux:9",
            "almalinux:9-minimal",
            "amazonlinux:2023",
            "ubi9/ubi-minimal",
            "redhat/ubi9",
            "opensuse/leap:15.6",
        ] {
            assert!(sh_is_bash(image), "{image}");
        }
        for image in [
            "php:8.3-fpm-alpine",
            "debian:bookworm",
            "ubuntu:24.04",
            "alpine:3.20",
            "serversideup/php:8.3-fpm",
            "centosish/app",
        ] {
            assert!(!sh_is_bash(image), "{image}");
        }
    }
}

/// The PHP `major.minor` an image runs, when its reference says so exactly:
/// the official image's tag (`php:8.3-fpm`, `php:7.4.33-cli`), a `php8.4` in
/// the tag (`dunglas/frankenphp:1-php8.4-alpine`), or a `N.M` tag of an image
/// named for PHP (`serversideup/php:8.3-fpm-nginx`, `bitnami/php-fpm:8.2`).
/// `None` for a major alone (`php:8-fpm` follows the newest 8.x) or no version.
pub fn php_version_of_image(image: &str) -> Option<(u32, u32)> {
    let image = image.split('@').next().unwrap_or(image);
    let (repo, tag) = match image.rfind(':') {
        Some(i) if !image[i..].contains('/') => (&image[..i], &image[i + 1..]),
        _ => (image, ""),
    };
    let major_minor = |s: &str| {
        let mut nums = s.split('.');
        let major = nums.next()?.parse::<u32>().ok()?;
        let minor: String = nums
            .next()?
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some((major, minor.parse::<u32>().ok()?))
    };
    // `php8.4` inside the tag, on a word boundary.
    for part in tag.split(['-', '_']) {
        if let Some(v) = part.strip_prefix("php").and_then(major_minor) {
            return Some(v);
        }
    }
    let name = repo.rsplit('/').next().unwrap_or(repo);
    if name == "php" || name.starts_with("php-") || name.ends_with("-php") {
        return tag.split('-').next().and_then(major_minor);
    }
    None
}

#[cfg(test)]
mod image_version_tests {
    use super::php_version_of_image as v;

    #[test]
    fn versions_from_image_references() {
        assert_eq!(v("php:8.3-fpm-alpine"), Some((8, 3)));
        assert_eq!(v("docker.io/library/php:7.4.33-cli"), Some((7, 4)));
        assert_eq!(v("php:8-fpm"), None);
        assert_eq!(v("php:fpm-alpine"), None);
        assert_eq!(v("php"), None);
        assert_eq!(v("dunglas/frankenphp:php8.4"), Some((8, 4)));
        assert_eq!(v("dunglas/frankenphp:1-php8.5-alpine"), Some((8, 5)));
        assert_eq!(v("dunglas/frankenphp:1.12.7-php8-trixie"), None);
        assert_eq!(v("serversideup/php:8.3-fpm-nginx"), Some((8, 3)));
        assert_eq!(v("bitnami/php-fpm:8.2"), Some((8, 2)));
        assert_eq!(v("registry:5000/php:8.1-fpm"), Some((8, 1)));
        assert_eq!(v("nginx:1.27"), None);
        assert_eq!(v("ghcr.io/acme/shop:8.3"), None);
    }
}
