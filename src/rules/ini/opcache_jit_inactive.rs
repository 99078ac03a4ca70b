//! INI013: JIT configured but silently inactive (buffer size 0, or PHP 8.4's
//! `opcache.jit=disable` default).

use super::directives::{Quantity, opcache_setting, parse_quantity, reached};
use crate::diagnostic::FileId;
use crate::project::{FileFacts, Project};
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OpcacheJitInactive;

/// Whether an `opcache.jit` value turns the JIT on.
fn enables(mode: &str) -> bool {
    let m = mode.trim().to_ascii_lowercase();
    matches!(
        m.as_str(),
        "on" | "1" | "yes" | "true" | "tracing" | "function"
    ) || (m.len() == 4 && m.chars().all(|c| c.is_ascii_digit()) && m != "0000")
}

impl Rule for OpcacheJitInactive {
    fn code(&self) -> &'static str {
        "INI013"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni]
    }

    // It reads the OPcache facts of the files that configure OPcache (an
    // `opcache.*` directive, `[opcache]` or the line loading it): no
    // php.ini document is kept for it.
    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    // A project rule: `opcache.jit` and `opcache.jit_buffer_size` are often
    // split across conf.d files, so a value set in another file of the run counts.
    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for file in project.of_kind(FileKind::PhpIni) {
            // Only the files PHP reads together with this one count.
            let peers = project.ini_peers(file.id);
            let elsewhere = |name: &str| {
                peers
                    .iter()
                    .rev()
                    .filter(|&&f| f != file.id)
                    .find_map(|&f| project.facts_of(f).ini()?.get(name))
                    .map(str::to_owned)
            };
            check(file.id, project.facts_of(file.id), &elsewhere, ctx);
        }
    }
}

fn check(
    file: FileId,
    facts: &FileFacts,
    elsewhere: &dyn Fn(&str) -> Option<String>,
    ctx: &mut Context,
) {
    let Some(opcache) = facts.ini().and_then(|i| i.opcache.as_deref()) else {
        return;
    };
    let at = ctx.settings.php_version;
    let jit = opcache_setting(opcache, "opcache.jit", at);
    let buffer = opcache_setting(opcache, "opcache.jit_buffer_size", at);
    let buffer_text = match buffer.entry {
        Some(_) => buffer.text.clone(),
        None => elsewhere("opcache.jit_buffer_size").or(buffer.text.clone()),
    };
    let mode = match jit.entry {
        Some(_) => jit.text.clone(),
        None => elsewhere("opcache.jit").or(jit.text.clone()),
    };
    let Some(mode) = mode else { return };
    let Some(size) = buffer_text.as_deref().map(|t| match parse_quantity(t) {
        Quantity::Ok(n) | Quantity::BadMultiplier { value: n, .. } => n,
        Quantity::NoDigits => 0,
    }) else {
        return;
    };
    match (jit.entry, buffer.entry) {
        (Some(j), _) if enables(&mode) && size <= 0 => {
            let why = match buffer.entry {
                Some(_) => "`opcache.jit_buffer_size` is 0".to_owned(),
                None => "`opcache.jit_buffer_size` is not set and defaults to 0 before PHP 8.4"
                    .to_owned(),
            };
            let d = ctx
                .report_in(
                    file,
                    j.value_span,
                    format!("`opcache.jit={mode}` has no effect: {why}, which turns the JIT off"),
                )
                .label_text("JIT silently off")
                .hint("Set `opcache.jit_buffer_size=64M` (or more) next to `opcache.jit`");
            if let Some(b) = buffer.entry {
                d.secondary(file, b.value_span, "buffer size 0");
            }
        }
        (None, Some(b)) if reached(at, Some("8.4")) && size > 0 && !enables(&mode) => {
            ctx.report_in(
                file,
                b.key_span,
                "`opcache.jit_buffer_size` is set but `opcache.jit` is not: since PHP 8.4 `opcache.jit` defaults to `disable`, so the JIT stays off",
            )
            .label_text("JIT stays off on PHP 8.4+")
            .hint("Add `opcache.jit=tracing` to enable the JIT, or remove `opcache.jit_buffer_size`");
        }
        _ => {}
    }
}
