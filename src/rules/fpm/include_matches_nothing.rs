//! FPM014: an `include` glob that matches no linted file.

use crate::project::Project;
use crate::project::fpm::unresolved_includes;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct IncludeMatchesNothing;

impl Rule for IncludeMatchesNothing {
    fn code(&self) -> &'static str {
        "FPM014"
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
        for u in unresolved_includes(project.files, project.facts) {
            let v = &u.directive.value;
            ctx.report_in(u.file.id, v.span, format!("`include = {}` matches no linted file: directives split across files are checked without it", v.text))
                .hint("Lint the included files too (pass their directory), or fix the pattern; php-fpm only warns when an include matches nothing")
                .label_text("nothing linted matches");
        }
    }
}
