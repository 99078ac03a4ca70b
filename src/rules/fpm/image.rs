//! What the container image adds to the linted php-fpm files.
//!
//! The official `php:*-fpm` image (docker-library/php) ships
//! `php-fpm.d/docker.conf`, read before `www.conf`, which sets for `[www]`
//! `access.log = /proc/self/fd/2`, `clear_env = no`, `catch_workers_output = yes`,
//! `decorate_workers_output = no`, and for `[global]` `error_log = /proc/self/fd/2`.
//! When a linted Dockerfile builds on that image (and does not delete
//! docker.conf), those values are the defaults for pool `www`, so an unset
//! directive there is not a finding. Without a Dockerfile we assume php-fpm's
//! own defaults and say so in the hint.

use crate::engine::Project;
use crate::model::dockerfile::official_php_image;
use crate::parse::dockerfile::Dockerfile;

pub struct ImageDefaults {
    pub official_fpm: bool,
}

impl ImageDefaults {
    pub fn of(project: &Project) -> Self {
        let official_fpm = project.files.iter().any(|f| {
            f.document.as_dockerfile().is_some_and(builds_on_official_fpm)
                && !f.source.text.contains("docker.conf")
        });
        ImageDefaults { official_fpm }
    }

    /// The value docker.conf gives `directive` in `pool`, when it applies.
    pub fn pool_value(&self, pool: &str, directive: &str) -> Option<&'static str> {
        if !self.official_fpm || !pool.eq_ignore_ascii_case("www") {
            return None;
        }
        match directive {
            "access.log" => Some("/proc/self/fd/2"),
            "clear_env" => Some("no"),
            "catch_workers_output" => Some("yes"),
            "decorate_workers_output" => Some("no"),
            _ => None,
        }
    }

    pub fn global_value(&self, directive: &str) -> Option<&'static str> {
        match (self.official_fpm, directive) {
            (true, "error_log") => Some("/proc/self/fd/2"),
            (true, "daemonize") => Some("no"),
            _ => None,
        }
    }
}

/// The final image builds on an official `php:<tag>` whose tag names the
/// fpm variant (`php:8.3-fpm-alpine`), through any intermediate stages.
fn builds_on_official_fpm(df: &Dockerfile) -> bool {
    let chain = df.final_chain(None);
    df.base_image(&chain)
        .and_then(|(image, _)| official_php_image(image))
        .is_some_and(|p| p.is_fpm())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dockerfile::parse;

    #[test]
    fn recognises_the_official_fpm_image() {
        let yes = |t: &str| builds_on_official_fpm(&parse(t));
        assert!(yes("FROM php:8.3-fpm-alpine AS base\n"));
        assert!(yes("from --platform=linux/amd64 docker.io/library/php:8.2-fpm\n"));
        assert!(yes("ARG V=8.3\nFROM php:${V}-fpm AS base\nFROM base\nUSER www-data\n"));
        assert!(!yes("FROM php:8.3-cli\n"));
        assert!(!yes("FROM serversideup/php:8.3-fpm\n"));
        assert!(!yes("FROM alpine:3\nRUN echo FROM php:8.3-fpm\n"));
        assert!(!yes("FROM php:8.3-fpm AS build\nFROM php:8.3-cli\n"));
    }
}
