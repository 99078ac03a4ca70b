//! OCT031: a FrankenPHP thread or worker count that is not a number
//! (`num_threads`, `max_threads`, `max_requests`, worker `num`,
//! `max_consecutive_failures`, the short form `worker <file> <num>`).

use super::common::{caddyfile, global_frankenphp, worker_blocks};
use crate::parse::caddyfile::{Directive, Token};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct FrankenphpInvalidNumber;

/// Checks one numeric argument; `auto` is accepted where `allow_auto`.
fn number(
    d: &Directive,
    arg: Option<&Token>,
    allow_auto: bool,
    allow_negative: bool,
    ctx: &mut Context,
) {
    let name = d.name().map_or("", |n| n.text.as_str());
    let Some(arg) = arg else {
        ctx.report(d.span, format!("`{name}` needs a number"))
            .hint(format!("Write `{name} <number>`"));
        return;
    };
    if arg.has_placeholder() || (allow_auto && arg.text == "auto") {
        return;
    }
    let ok = match arg.text.parse::<i64>() {
        Ok(n) => n >= 0 || (allow_negative && n == -1),
        Err(_) => false,
    };
    if !ok {
        let expected = if allow_auto {
            "a whole number or `auto`"
        } else if allow_negative {
            "a whole number (or -1)"
        } else {
            "a whole number"
        };
        let shown: Vec<&str> = d.tokens.iter().map(|t| t.text.as_str()).collect();
        ctx.report(
            arg.span,
            format!(
                "`{}`: FrankenPHP expects {expected} here, not `{}`; Caddy refuses the config",
                shown.join(" "),
                arg.text
            ),
        )
        .hint(format!("Write `{name}` with {expected}, e.g. `{name} 8`"));
    }
}

impl Rule for FrankenphpInvalidNumber {
    fn code(&self) -> &'static str {
        "OCT031"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Caddyfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(c) = caddyfile(file) else { return };
        if let Some(fp) = global_frankenphp(c) {
            for d in fp.children() {
                let Some(name) = d.name() else { continue };
                match name.text.as_str() {
                    "num_threads" | "max_requests" => {
                        number(d, d.args().first(), false, false, ctx)
                    }
                    "max_threads" => number(d, d.args().first(), true, false, ctx),
                    // Short form `worker <file> [<num>]`.
                    "worker" if d.block.is_none() && d.args().len() > 1 => {
                        number(d, d.args().get(1), false, false, ctx)
                    }
                    _ => {}
                }
            }
        }
        for w in worker_blocks(c) {
            for d in w.children() {
                match d.name().map(|n| n.text.as_str()) {
                    Some("num") => number(d, d.args().first(), false, false, ctx),
                    Some("max_consecutive_failures") => {
                        number(d, d.args().first(), false, true, ctx)
                    }
                    _ => {}
                }
            }
        }
    }
}
