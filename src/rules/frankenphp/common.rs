//! Shared helpers of the FrankenPHP (`Caddyfile`) rules: the directives the
//! `frankenphp` global option and its `worker` blocks accept, written from
//! FrankenPHP's `docs/config.md` and `docs/worker.md`.

use crate::parse::caddyfile::{Caddyfile, Directive, Token};
use crate::project::ParsedFile;

/// Subdirectives of the global `frankenphp { }` option.
pub const GLOBAL: &[&str] = &[
    "num_threads",
    "max_threads",
    "max_wait_time",
    "max_idle_time",
    "max_requests",
    "php_ini",
    "worker",
];

/// Subdirectives of a `worker { }` block (global or in `php_server`/`php`).
pub const WORKER: &[&str] = &[
    "file",
    "num",
    "env",
    "watch",
    "name",
    "max_consecutive_failures",
    "boot_timeout",
    "background",
    "match",
];

pub fn caddyfile(file: &ParsedFile) -> Option<&Caddyfile> {
    file.document.as_caddyfile()
}

/// The global `frankenphp` option, when the file has one.
pub fn global_frankenphp(c: &Caddyfile) -> Option<&Directive> {
    c.global_options()?
        .children()
        .iter()
        .find(|d| d.name().is_some_and(|n| n.text == "frankenphp"))
}

/// A line whose first token is `{$ENV}`: Caddy replaces it before parsing,
/// with any number of directives.
pub fn is_injected(d: &Directive) -> bool {
    d.name().is_some_and(Token::is_env_placeholder)
}

/// Every `worker` directive with a block: under the global `frankenphp`
/// option and under `php_server` / `php` in site blocks.
pub fn worker_blocks(c: &Caddyfile) -> Vec<&Directive> {
    let mut out = Vec::new();
    if let Some(fp) = global_frankenphp(c) {
        out.extend(
            fp.children()
                .iter()
                .filter(|d| d.name().is_some_and(|n| n.text == "worker") && d.block.is_some()),
        );
    }
    for d in c.walk() {
        if d.name()
            .is_some_and(|n| n.text == "php_server" || n.text == "php")
        {
            out.extend(
                d.children()
                    .iter()
                    .filter(|w| w.name().is_some_and(|n| n.text == "worker") && w.block.is_some()),
            );
        }
    }
    out
}
