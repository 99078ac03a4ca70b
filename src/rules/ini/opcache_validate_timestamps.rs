//! INI011: OPcache revalidates file timestamps in production.

use super::directives::{opcache_setting, production};
use crate::diagnostic::Edit;
use crate::diagnostic::FileId;
use crate::project::{FileFacts, ParsedFile, Project};
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct OpcacheValidateTimestamps;

const FIX_TITLE: &str = "Set `opcache.validate_timestamps=0`";

impl Rule for OpcacheValidateTimestamps {
    fn code(&self) -> &'static str {
        "INI011"
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

    // A project rule: a file that leaves the directive unset is fine when
    // another php.ini/conf.d file of the run sets it.
    fn check_project(&self, project: &Project, ctx: &mut Context) {
        if !production(ctx.settings) {
            return; // development wants edits picked up
        }
        // Only the files PHP reads together with this one count.
        let set_elsewhere = |this: &ParsedFile| {
            project.ini_peers(this.id).iter().any(|&f| {
                f != this.id
                    && project
                        .facts_of(f)
                        .ini()
                        .is_some_and(|i| i.get("opcache.validate_timestamps").is_some())
            })
        };
        for file in project.of_kind(FileKind::PhpIni) {
            if crate::config::is_development_path(&file.source.path) {
                continue; // `php.development.ini`, `.devcontainer/`: edits must show
            }
            check(file.id, project.facts_of(file.id), set_elsewhere(file), ctx);
        }
    }
}

fn check(file: FileId, facts: &FileFacts, set_elsewhere: bool, ctx: &mut Context) {
    let Some(ini) = facts.ini() else {
        return;
    };
    let Some(opcache) = ini.opcache.as_deref() else {
        return;
    };
    let at = ctx.settings.php_version;
    let vt = opcache_setting(opcache, "opcache.validate_timestamps", at);
    if vt.as_bool() != Some(true) {
        return;
    }
    let freq = opcache_setting(opcache, "opcache.revalidate_freq", at).as_quantity();
    let how_often = match freq {
        Some(0) => "on every request".to_owned(),
        Some(n) => format!("every {n} s"),
        None => "periodically".to_owned(),
    };
    match vt.entry {
        Some(e) => {
            let span = e.value_span;
            let edit = Edit {
                span,
                replacement: "0".into(),
            };
            ctx.report_in(
                file,
                span,
                format!(
                    "`opcache.validate_timestamps` is on in production: OPcache stat()s each script {how_often} although the image never changes"
                ),
            )
            .label_text("timestamps validated")
            .safe_fix(FIX_TITLE, vec![edit]);
        }
        None => {
            // Only files that configure OPcache are expected to set it.
            let Some(anchor) = ini.opcache_anchor else {
                return;
            };
            if set_elsewhere {
                return;
            }
            let (offset, newline) = opcache.insertion;
            let line = format!(
                "{}opcache.validate_timestamps=0\n",
                if newline { "\n" } else { "" }
            );
            ctx.report_in(
                file,
                anchor,
                format!(
                    "`opcache.validate_timestamps` is not set, so it defaults to on: in production OPcache stat()s each script {how_often} although the image never changes"
                ),
            )
            .label_text("no `opcache.validate_timestamps=0`")
            .safe_fix(FIX_TITLE, vec![Edit { span: Span::at(offset), replacement: line }]);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::engine::LintOptions;

    fn fix_and_relint(text: &str) -> (usize, String, usize) {
        let config = Config::with_defaults(".".into());
        let opts = LintOptions {
            select: vec!["INI011".into()],
            ..LintOptions::default()
        };
        let r = crate::lint_text("php.ini", text, &config, &opts);
        let hits: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.code == "INI011")
            .collect();
        let (fixed, _) = crate::fix::fixed_text(text, &hits, false);
        let again = crate::lint_text("php.ini", &fixed, &config, &opts);
        let left = again
            .diagnostics
            .iter()
            .filter(|d| d.code == "INI011")
            .count();
        (hits.len(), fixed, left)
    }

    #[test]
    fn fix_replaces_an_explicit_value() {
        let (n, fixed, left) =
            fix_and_relint("[opcache]\nopcache.enable=1\nopcache.validate_timestamps = On ; dev\n");
        assert_eq!(n, 1);
        assert_eq!(
            fixed,
            "[opcache]\nopcache.enable=1\nopcache.validate_timestamps = 0 ; dev\n"
        );
        assert_eq!(left, 0);
    }

    #[test]
    fn fix_inserts_after_the_last_opcache_line() {
        let (n, fixed, left) = fix_and_relint(
            "[opcache]\nopcache.enable=1\nopcache.memory_consumption=256\n\n[Date]\ndate.timezone=UTC",
        );
        assert_eq!(n, 1);
        assert_eq!(
            fixed,
            "[opcache]\nopcache.enable=1\nopcache.memory_consumption=256\nopcache.validate_timestamps=0\n\n[Date]\ndate.timezone=UTC"
        );
        assert_eq!(left, 0);
        let (_, fixed, left) = fix_and_relint("opcache.enable=1");
        // No final newline before the fix, none after it.
        assert_eq!(fixed, "opcache.enable=1\nopcache.validate_timestamps=0");
        assert_eq!(left, 0);
    }

    #[test]
    fn quiet_without_opcache_or_in_development() {
        assert_eq!(fix_and_relint("memory_limit=256M\n").0, 0);
        assert_eq!(fix_and_relint("opcache.validate_timestamps=${VT}\n").0, 0);
    }
}
