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

use crate::project::Project;
use crate::project::fpm::ConfigSet;

pub struct ImageDefaults {
    pub official_fpm: bool,
}

impl ImageDefaults {
    /// From the facts of the run's Dockerfiles (their target stage, so
    /// `--target` is honoured): one builds on the official fpm image and
    /// keeps its docker.conf (no `RUN` or `COPY` touches it).
    pub fn of(project: &Project) -> Self {
        let official_fpm = project
            .dockerfiles()
            .any(|(_, d)| d.keeps_official_fpm_config());
        ImageDefaults { official_fpm }
    }

    /// The value docker.conf gives `directive` in `pool`, when it applies.
    pub fn pool_value(&self, pool: &str, directive: &str) -> Option<&'static str> {
        if !self.official_fpm || !pool.eq_ignore_ascii_case("www") {
            return None;
        }
        match directive {
            "access.log" | "clear_env" | "catch_workers_output" | "decorate_workers_output" => {
                crate::project::defaults::PHP_FPM.fpm_www(directive)
            }
            _ => None,
        }
    }

    /// Whether the image's own `php-fpm.d/www.conf` completes pool `pool` of
    /// `set`: the pool is `www`, no linted file of the set is a `www.conf`, and
    /// either a linted Dockerfile builds on the official fpm image or the set
    /// mirrors that image's layout (its `php-fpm.d/docker.conf` or
    /// `zz-docker.conf`, which the image writes beside its www.conf). Then
    /// `pm = dynamic`, `pm.max_children = 5`... come from the image.
    pub fn www_conf_completes(&self, set: &ConfigSet, pool: &str) -> bool {
        if !pool.eq_ignore_ascii_case("www") {
            return false;
        }
        let names: Vec<(&str, &str)> = set
            .files
            .iter()
            .map(|f| {
                let mut parts = f.path.rsplit(['/', '\\']);
                let name = parts.next().unwrap_or("");
                (parts.next().unwrap_or(""), name)
            })
            .collect();
        if names
            .iter()
            .any(|(_, n)| n.eq_ignore_ascii_case("www.conf"))
        {
            return false;
        }
        self.official_fpm
            || names.iter().any(|(dir, n)| {
                *dir == "php-fpm.d" && matches!(*n, "docker.conf" | "zz-docker.conf")
            })
    }

    /// Whether `set` is a copy of the official image's stock php-fpm config
    /// (khs1994's `config/php/default/usr/local/etc/`, kept for reference):
    /// it has the image's `php-fpm.d/docker.conf` or `zz-docker.conf`, and
    /// every directive is `include=etc/php-fpm.d/*.conf` or a value the
    /// image's own files give (`daemonize = no`, `[www] listen = 9000`,
    /// `clear_env = no`...). Such a set is the image's configuration, not
    /// the project's: what the project changes lives in other files, which
    /// are judged themselves.
    pub fn stock_copy(set: &ConfigSet) -> bool {
        use crate::parse::fpm::SectionKind;
        let table = &crate::project::defaults::PHP_FPM;
        // The image's layout: its `php-fpm.d/docker.conf` or `zz-docker.conf`.
        let layout = set.files.iter().any(|f| {
            let p = f.path.replace('\\', "/");
            p.ends_with("php-fpm.d/docker.conf") || p.ends_with("php-fpm.d/zz-docker.conf")
        });
        if !layout {
            return false;
        }
        let mut any = false;
        for f in &set.files {
            for section in &f.facts.sections {
                for d in &section.directives {
                    any = true;
                    let name = d.name();
                    let value = d.value.text.trim();
                    let stock = match section.kind {
                        _ if d.is("include") && d.offset().is_none() => {
                            value == "etc/php-fpm.d/*.conf"
                        }
                        SectionKind::Pool => {
                            section.name.eq_ignore_ascii_case("www")
                                && d.offset().is_none()
                                && table
                                    .fpm_www
                                    .iter()
                                    .any(|(k, v)| k.eq_ignore_ascii_case(name) && *v == value)
                        }
                        SectionKind::Global | SectionKind::Preamble => table
                            .fpm_global
                            .iter()
                            .any(|(k, v)| k.eq_ignore_ascii_case(name) && *v == value),
                    };
                    if !stock {
                        return false;
                    }
                }
            }
        }
        any
    }

    pub fn global_value(&self, directive: &str) -> Option<&'static str> {
        match (self.official_fpm, directive) {
            (true, "error_log" | "daemonize") => {
                crate::project::defaults::PHP_FPM.fpm_global(directive)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse::dockerfile::parse;
    use crate::project::facts::of_dockerfile;

    #[test]
    fn recognises_the_official_fpm_image() {
        let yes = |t: &str| of_dockerfile(&parse(t), None).keeps_official_fpm_config();
        assert!(yes("FROM php:8.3-fpm-alpine AS base\n"));
        assert!(yes(
            "from --platform=linux/amd64 docker.io/library/php:8.2-fpm\n"
        ));
        assert!(yes(
            "ARG V=8.3\nFROM php:${V}-fpm AS base\nFROM base\nUSER www-data\n"
        ));
        assert!(!yes("FROM php:8.3-cli\n"));
        assert!(!yes("FROM serversideup/php:8.3-fpm\n"));
        assert!(!yes("FROM alpine:3\nRUN echo FROM php:8.3-fpm\n"));
        assert!(!yes("FROM php:8.3-fpm AS build\nFROM php:8.3-cli\n"));
        assert!(!yes(
            "FROM php:8.3-fpm\nRUN rm /usr/local/etc/php-fpm.d/docker.conf\n"
        ));
        assert!(!yes(
            "FROM php:8.3-fpm\nCOPY d.conf /usr/local/etc/php-fpm.d/docker.conf\n"
        ));
        // The target stage decides, not the stage order.
        let t = "FROM php:8.3-fpm-alpine AS app\nFROM php:8.3-cli-alpine AS worker\n";
        assert!(of_dockerfile(&parse(t), Some("app")).keeps_official_fpm_config());
        assert!(!of_dockerfile(&parse(t), Some("worker")).keeps_official_fpm_config());
    }
}
