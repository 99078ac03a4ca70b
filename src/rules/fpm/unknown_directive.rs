//! FPM001: a directive php-fpm does not know in that scope (fatal at start-up),
//! including one the configured PHP version does not have yet or any more.

use super::directives::{Scope, catalogue, version};
use super::scope::{directives, where_};
use crate::diagnostic::Severity;
use crate::parse::fpm::{Directive, SectionKind};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use crate::suggest::did_you_mean;

pub struct UnknownDirective;

impl Rule for UnknownDirective {
    fn code(&self) -> &'static str {
        "FPM001"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpFpm]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(fpm) = file.document.as_fpm() else {
            return;
        };
        let cat = catalogue();
        // A file with no section line at all is a fragment another file includes
        // (`include = .../env.conf` inside `[www]`): when it sets pool directives,
        // it is included from a pool, and its lines belong to that pool.
        let fragment_of_pool = fpm.sections.iter().all(|s| s.kind == SectionKind::Preamble)
            && fpm.sections.iter().flat_map(|s| &s.directives).any(|d| {
                let lower = d.name.text.to_ascii_lowercase();
                cat.array(&lower).is_some()
                    || (cat.get(Scope::Pool, &d.name.text).is_some()
                        && cat.get(Scope::Global, &d.name.text).is_none())
            });
        for (section, scope, d) in directives(fpm) {
            let name = d.name.text.as_str();
            let lower = name.to_ascii_lowercase();
            let (scope, place) = if fragment_of_pool {
                (Scope::Pool, "this pool fragment".to_owned())
            } else {
                (scope, where_(section))
            };
            match &d.offset {
                Some(offset) => {
                    if let Some(spec) = cat.array(&lower) {
                        versions(ctx, d, spec.since.as_deref(), None, None);
                    }
                    let Some(spec) = cat.array(&lower) else {
                        let mut msg = format!("unknown array directive `{name}[...]` in {place}");
                        if let Some(s) = did_you_mean(name, cat.arrays.keys().map(String::as_str)) {
                            msg.push_str(&format!(": did you mean `{s}`?"));
                        }
                        ctx.report(d.name.span, msg).hint(
                            "Use `env[NAME]`, `php_value[...]`, `php_admin_value[...]`, `php_flag[...]`, `php_admin_flag[...]` or `access.suppress_path[]`",
                        );
                        continue;
                    };
                    if scope == Scope::Global {
                        ctx.report(
                            d.key_span,
                            format!(
                                "`{name}[{}]` in {place}: php-fpm refuses arrays outside a pool",
                                offset.text
                            ),
                        )
                        .hint("Move the line into a pool section such as `[www]`")
                        .label_text("arrays belong in pools");
                    } else if spec.key == "forbidden" && !offset.text.is_empty() {
                        ctx.report(
                            offset.span,
                            format!(
                                "`{name}[]` takes no key: php-fpm refuses `{name}[{}]`",
                                offset.text
                            ),
                        )
                        .hint(format!("Write `{name}[] = /path`"));
                    } else if spec.key == "required" && offset.text.is_empty() {
                        ctx.report(
                            d.key_span,
                            format!("`{name}[]` needs a key: php-fpm refuses it without one"),
                        )
                        .hint(format!("Write `{name}[NAME] = value`"));
                    }
                }
                None => {
                    if let Some(spec) = cat.get(scope, name) {
                        versions(
                            ctx,
                            d,
                            spec.since.as_deref(),
                            spec.removed.as_deref(),
                            spec.deprecated.as_deref(),
                        );
                        continue;
                    }
                    let other = match scope {
                        Scope::Global => Scope::Pool,
                        Scope::Pool => Scope::Global,
                    };
                    if cat.get(other, name).is_some() {
                        let (kind, fix) = match scope {
                            Scope::Global => (
                                "a pool directive",
                                "Move it into a pool section such as `[www]`",
                            ),
                            Scope::Pool => {
                                ("a global directive", "Move it into the `[global]` section")
                            }
                        };
                        ctx.report(
                            d.name.span,
                            format!("`{name}` is {kind}: php-fpm refuses it in {place}"),
                        )
                        .hint(fix)
                        .label_text("wrong section");
                        continue;
                    }
                    if cat.array(&lower).is_some() {
                        ctx.report(
                            d.name.span,
                            format!("`{name}` is an array directive and needs a key"),
                        )
                        .hint(format!("Write `{name}[NAME] = value`"));
                        continue;
                    }
                    match did_you_mean(name, cat.names(scope)) {
                        Some(s) => {
                            ctx.report(
                                d.name.span,
                                format!(
                                    "unknown directive `{name}` in {place}: did you mean `{s}`?"
                                ),
                            )
                            .hint(format!("Write `{s}`"))
                            .label_text("unknown directive");
                        }
                        None => {
                            ctx.report(
                                d.name.span,
                                format!("unknown directive `{name}` in {place}: php-fpm refuses to start"),
                            )
                            .label_text("unknown directive");
                        }
                    }
                }
            }
        }
    }
}

/// A known directive is still unknown to a php-fpm older than its `since`, or
/// at or after its `removed` version (`php-version` setting, default 8.3).
fn versions(
    ctx: &mut Context,
    d: &Directive,
    since: Option<&str>,
    removed: Option<&str>,
    deprecated: Option<&str>,
) {
    let php = ctx.settings.php_version;
    let shown = format!("{}.{}", php.0, php.1);
    let name = &d.name.text;
    if let Some(v) = removed.filter(|v| version(v) <= php) {
        ctx.report(
            d.name.span,
            format!("`{name}` was removed in PHP {v}: php-fpm {shown} refuses it as unknown"),
        )
        .hint(format!("Remove `{name}`"));
    } else if let Some(v) = since.filter(|v| version(v) > php) {
        ctx.report(
            d.name.span,
            format!("`{name}` needs PHP {v} or later: php-fpm {shown} (`php-version`) refuses it as unknown"),
        )
        .hint(format!(
            "Remove `{name}`, or set `php-version` in .deploylint.yaml to the version the image really runs"
        ))
        .label_text(format!("PHP {v}+"));
    } else if let Some(v) = deprecated.filter(|v| version(v) <= php) {
        ctx.report(d.name.span, format!("`{name}` is deprecated since PHP {v}"))
            .severity(Severity::Warning)
            .hint(format!("Remove `{name}` before upgrading"));
    }
}
