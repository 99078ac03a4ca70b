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
use crate::source::FileKind;

pub struct ImageDefaults {
    pub official_fpm: bool,
}

impl ImageDefaults {
    pub fn of(project: &Project) -> Self {
        let official_fpm = project.files.iter().any(|f| {
            f.kind() == Some(FileKind::Dockerfile)
                && builds_on_official_fpm(&f.source.text)
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

/// A `FROM php:<tag>` whose tag names the fpm variant (`php:8.3-fpm-alpine`).
fn builds_on_official_fpm(dockerfile: &str) -> bool {
    dockerfile.lines().any(|line| {
        let mut words = line.split_whitespace();
        let is_from = words.next().is_some_and(|w| w.eq_ignore_ascii_case("FROM"));
        let image = words.find(|w| !w.starts_with("--")).unwrap_or("");
        let image = image.strip_prefix("docker.io/").unwrap_or(image);
        let image = image.strip_prefix("library/").unwrap_or(image);
        is_from
            && image
                .strip_prefix("php:")
                .is_some_and(|tag| tag.contains("fpm"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_official_fpm_image() {
        assert!(builds_on_official_fpm("FROM php:8.3-fpm-alpine AS base\n"));
        assert!(builds_on_official_fpm("from --platform=linux/amd64 docker.io/library/php:8.2-fpm\n"));
        assert!(!builds_on_official_fpm("FROM php:8.3-cli\n"));
        assert!(!builds_on_official_fpm("FROM serversideup/php:8.3-fpm\n"));
        assert!(!builds_on_official_fpm("RUN echo FROM php:8.3-fpm\n"));
    }
}
