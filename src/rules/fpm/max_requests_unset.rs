//! FPM004: `pm.max_requests` unset or 0, so workers are never recycled.

use super::pools::{development_file, each_pool, int, missing_at};
use crate::diagnostic::Edit;
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use crate::source::Span;

pub struct MaxRequestsUnset;

const LINE: &str = "pm.max_requests = 500";

impl Rule for MaxRequestsUnset {
    fn code(&self) -> &'static str {
        "FPM004"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::PhpFpm,
            FileKind::Dockerfile,
            FileKind::Kubernetes,
            FileKind::Compose,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let settings = ctx.settings;
        each_pool(project, |set, pool| {
            // Development overlays and dev-stack pools are not production,
            // and a stock copy of the image's config is not the project's.
            if pool
                .scope
                .sections
                .iter()
                .all(|(f, _)| development_file(settings, f))
                || super::image::ImageDefaults::stock_copy(set)
            {
                return;
            }
            let name = &pool.name;
            match pool.scope.get("pm.max_requests") {
                Some(found) => {
                    if int(Some(found)) != Some(0) {
                        return;
                    }
                    let v = &found.directive.value;
                    ctx.report_in(found.file.id, v.span, format!("`pm.max_requests = 0` in pool `{name}`: workers are never recycled, so a leak grows until the OOM kill"))
                        .hint("Set `pm.max_requests = 500` (or a count measured for your app)")
                        .label_text("never recycled")
                        .unsafe_fix("Set `pm.max_requests = 500`", vec![Edit { span: v.span, replacement: "500".into() }]);
                }
                None => {
                    let Some((file, section, span)) = missing_at(&pool.scope) else {
                        return;
                    };
                    let at = section.insertion_point;
                    let text = project.file(file.id).map_or("", |f| f.source.text.as_str());
                    // Keep the file's line structure: add a newline first if the last line has none.
                    let lead = if at > 0 && !text.get(..at).is_some_and(|t| t.ends_with('\n')) {
                        "\n"
                    } else {
                        ""
                    };
                    ctx.report_in(file.id, span, format!("pool `{name}` does not set `pm.max_requests`: workers are never recycled, so a leak grows until the OOM kill"))
                        .hint(format!("Add `{LINE}` to pool `{name}`"))
                        .label_text("no `pm.max_requests`")
                        .safe_fix(format!("Add `{LINE}`"), vec![Edit { span: Span::at(at), replacement: format!("{lead}{LINE}\n") }]);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::engine::LintOptions;

    fn lint(text: &str) -> crate::LintResult {
        let opts = LintOptions {
            select: vec!["FPM004".into()],
            ..LintOptions::default()
        };
        crate::lint_text("www.conf", text, &Config::with_defaults(".".into()), &opts)
    }

    #[test]
    fn the_fix_inserts_the_directive_in_the_pool_and_quiets_the_rule() {
        let text = "[www]\nlisten = 9000\npm = static\npm.max_children = 4 ; sized for 1Gi\n; trailing comment\n\n[other]\nlisten = 9001\npm.max_requests = 100";
        let r = lint(text);
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        let d = &r.diagnostics[0];
        assert_eq!(&text[d.span.range()], "[www]");
        let (fixed, applied) = crate::fix::fixed_text(text, &[d], false);
        assert_eq!(applied, 1);
        assert_eq!(
            fixed,
            "[www]\nlisten = 9000\npm = static\npm.max_children = 4 ; sized for 1Gi\npm.max_requests = 500\n; trailing comment\n\n[other]\nlisten = 9001\npm.max_requests = 100"
        );
        assert!(lint(&fixed).diagnostics.is_empty());
    }

    #[test]
    fn the_fix_handles_a_missing_final_newline() {
        let text = "[www]\npm = static";
        let r = lint(text);
        let (fixed, _) = crate::fix::fixed_text(text, &[&r.diagnostics[0]], false);
        // The file had no final newline, and the fix does not add one.
        assert_eq!(fixed, "[www]\npm = static\npm.max_requests = 500");
        assert!(lint(&fixed).diagnostics.is_empty());
    }
}
