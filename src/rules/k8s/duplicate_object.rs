//! K8S057: the same object (namespace, kind, name) defined twice in the run.

use crate::engine::Project;
use crate::model::k8s_set::ObjectSet;
use crate::rules::{Context, Rule};

pub struct DuplicateObject;

impl Rule for DuplicateObject {
    fn code(&self) -> &'static str {
        "K8S057"
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = ObjectSet::of_project(project);
        for &(first, later) in set.duplicates() {
            let (Some(a), Some(b)) = (set.object(first), set.object(later)) else {
                continue;
            };
            ctx.report_in(
                b.file,
                b.name_span(),
                format!(
                    "{} in namespace `{}` is defined twice: applying both keeps only the last one",
                    b.obj.display(),
                    b.namespace()
                ),
            )
            .label_text("defined again")
            .secondary(a.file, a.name_span(), "first defined here");
        }
    }
}
