//! Whole-file checks over `fixtures/php-ini/`: PHP's reference php.ini layout
//! must lint without errors, and the seed OPcache block must give exactly the
//! expected findings. (Tests only; no rule lives here.)

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostic::Severity;
    use crate::engine::{LintOptions, LintResult};
    use crate::report::{self, Format, HumanOptions};
    use std::path::{Path, PathBuf};

    fn dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/php-ini")
    }

    fn read(name: &str) -> String {
        std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn lint(name: &str, text: &str, select: &[&str]) -> LintResult {
        let config = Config::with_defaults(".".into());
        let opts = LintOptions {
            select: select.iter().map(|s| s.to_string()).collect(),
            ..LintOptions::default()
        };
        crate::lint_text(name, text, &config, &opts)
    }

    fn render(r: &LintResult) -> String {
        let mut out = Vec::new();
        report::write(Format::Human, r, &HumanOptions::default(), &mut out).unwrap_or_default();
        String::from_utf8_lossy(&out).into_owned()
    }

    fn snapshot(name: &str, text: String) {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(dir());
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!(name.to_owned(), text));
    }

    /// `;name = value` lines (PHP's commented-out defaults), uncommented.
    fn uncomment_defaults(text: &str) -> String {
        text.lines()
            .map(|l| {
                let rest = l.strip_prefix(';').unwrap_or(l);
                let looks_like_directive = l.starts_with(';')
                    && rest.contains('=')
                    && rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
                if looks_like_directive { rest } else { l }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn php_ini_production_lints_without_errors() {
        let text = read("php.ini-production");
        let r = lint("php.ini-production", &text, &["INI", "E"]);
        let errors: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{}", render(&r));
        snapshot("php.ini-production", render(&r));
    }

    #[test]
    fn php_ini_production_commented_defaults_validate() {
        let text = uncomment_defaults(&read("php.ini-production"));
        assert!(text.lines().count() > 300);
        let r = lint(
            "php.ini-production",
            &text,
            &["INI001", "INI002", "INI003", "E030", "E033"],
        );
        // Uncommenting alternatives (`;error_log = php_errors.log` and
        // `;error_log = syslog`) makes duplicates; those are expected here.
        let bad: Vec<_> = r.diagnostics.iter().filter(|d| d.code != "E031").collect();
        assert!(bad.is_empty(), "{}", render(&r));
    }

    #[test]
    fn seed_opcache_block() {
        let text = read("seed-opcache.ini");
        let r = lint("seed-opcache.ini", &text, &["INI", "E"]);
        let found: Vec<(&str, &str)> = r
            .diagnostics
            .iter()
            .map(|d| {
                let line = text[..d.span.start.min(text.len())]
                    .rsplit('\n')
                    .next()
                    .unwrap_or("");
                let line_text = text[d.span.start - line.len()..]
                    .split('\n')
                    .next()
                    .unwrap_or("");
                (&*d.code, line_text)
            })
            .collect();
        assert_eq!(
            found,
            // No INI014: `opcache.enable_cli=0` is reported only with
            // evidence of a CLI worker (an Octane config, a queue worker).
            [
                ("INI011", "opcache.validate_timestamps=1"),
                ("INI002", "opcache.fast_shutdown=1"),
            ],
            "{}",
            render(&r)
        );
        snapshot("seed-opcache.ini", render(&r));
    }
}
