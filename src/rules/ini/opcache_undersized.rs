//! INI012: OPcache sized below what a Laravel application with vendor/ needs.

use super::directives::opcache_setting;
use crate::project::{ParsedFile, Project};
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OpcacheUndersized;

/// (directive, minimum, recommended, unit, why)
const LIMITS: [(&str, i64, i64, &str, &str); 3] = [
    (
        "opcache.max_accelerated_files",
        10_000,
        20_000,
        "",
        "a Laravel app with vendor/ has about 15-25k PHP files; once the table is full, further files are compiled on every request",
    ),
    (
        "opcache.memory_consumption",
        128,
        256,
        " MB",
        "when the shared memory fills up, OPcache stops caching new scripts or restarts and drops the whole cache",
    ),
    (
        "opcache.interned_strings_buffer",
        16,
        16,
        " MB",
        "class, method and property names of a framework app overflow small buffers, and strings then get duplicated per worker",
    ),
];

impl Rule for OpcacheUndersized {
    fn code(&self) -> &'static str {
        "INI012"
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

    // A project rule: an unset directive is fine when another php.ini/conf.d
    // file of the run sets it.
    fn check_project(&self, project: &Project, ctx: &mut Context) {
        // Only the files PHP reads together with this one count.
        let set_elsewhere = |this: &ParsedFile, name: &str| {
            project.ini_peers(this.id).iter().any(|&f| {
                f != this.id
                    && project
                        .facts_of(f)
                        .ini()
                        .is_some_and(|i| i.get(name).is_some())
            })
        };
        let at = ctx.settings.php_version;
        for file in project.of_kind(FileKind::PhpIni) {
            if crate::config::is_development_path(&file.source.path) {
                continue;
            }
            let Some(ini) = project.facts_of(file.id).ini() else {
                continue;
            };
            let Some(opcache) = ini.opcache.as_deref() else {
                continue;
            };
            for (name, min, recommended, unit, why) in LIMITS {
                let s = opcache_setting(opcache, name, at);
                let Some(n) = s.as_quantity() else { continue };
                if n >= min {
                    continue;
                }
                let (span, what) = match s.entry {
                    Some(e) => (e.value_span, format!("`{name}` is {n}{unit}")),
                    // Unset: only worth saying where OPcache is being configured.
                    None => match ini.opcache_anchor {
                        Some(a) if !set_elsewhere(file, name) => {
                            (a, format!("`{name}` is not set, so it is {n}{unit}"))
                        }
                        _ => continue,
                    },
                };
                ctx.report_in(file.id, span, format!("{what}, below {min}{unit}: {why}"))
                    .label_text(format!("below {min}{unit}"))
                    .hint(format!("Set `{name}={recommended}` or more"));
            }
        }
    }
}
