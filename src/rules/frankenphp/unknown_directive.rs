//! OCT030: a subdirective the `frankenphp` global option or a FrankenPHP
//! `worker` block does not know (Caddy refuses the whole config).

use super::common::{GLOBAL, WORKER, caddyfile, global_frankenphp, is_injected, worker_blocks};
use crate::parse::caddyfile::Directive;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use crate::suggest::did_you_mean;

pub struct FrankenphpUnknownDirective;

fn check(block: &Directive, known: &[&str], place: &str, ctx: &mut Context) {
    for d in block.children() {
        let Some(name) = d.name() else { continue };
        if is_injected(d) || name.has_placeholder() || known.contains(&name.text.as_str()) {
            continue;
        }
        let mut msg = format!("unknown {place} subdirective `{}`", name.text);
        if let Some(s) = did_you_mean(&name.text, known.iter().copied()) {
            msg.push_str(&format!(": did you mean `{s}`?"));
        }
        let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        ctx.report(name.span, msg)
            .hint(format!(
                "Caddy refuses to load a config with an unknown subdirective; {place} accepts {}",
                list.join(", ")
            ))
            .label_text("not a FrankenPHP option");
    }
}

impl Rule for FrankenphpUnknownDirective {
    fn code(&self) -> &'static str {
        "OCT030"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Caddyfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(c) = caddyfile(file) else { return };
        if let Some(fp) = global_frankenphp(c) {
            check(fp, GLOBAL, "`frankenphp`", ctx);
        }
        for w in worker_blocks(c) {
            check(w, WORKER, "`worker`", ctx);
        }
    }
}
