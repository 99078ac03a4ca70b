//! DC005: `depends_on: {x: {condition: service_healthy}}` on a service that
//! has no healthcheck: compose fails the dependent service at start.

use crate::diagnostic::Severity;
use crate::model::image::repository;
use crate::project::Project;
use crate::project::compose::ComposeService;
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use std::collections::HashMap;

pub struct ComposeHealthyDependencyWithoutHealthcheck;

fn dir_of(path: &str) -> &str {
    path.rfind(['/', '\\']).map_or("", |i| &path[..i])
}

impl Rule for ComposeHealthyDependencyWithoutHealthcheck {
    fn code(&self) -> &'static str {
        "DC005"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Compose, FileKind::Dockerfile]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        // Compose merges the files of one directory (`compose.yaml` and
        // `compose.override.yaml`): a service is known by (directory, name).
        type Defs<'p> = Vec<(usize, usize, &'p ComposeService)>;
        let mut defs: HashMap<(&str, &str), Defs> = HashMap::new();
        let files: Vec<_> = project.of_kind(FileKind::Compose).collect();
        for f in &files {
            let Some(c) = project.facts_of(f.id).compose() else {
                continue;
            };
            for (i, s) in c.services.iter().enumerate() {
                defs.entry((dir_of(&f.source.path), s.name.as_str()))
                    .or_default()
                    .push((f.id, i, s));
            }
        }
        let nodes: HashMap<(usize, usize), &crate::project::links::ComposeNode> = project
            .graph
            .compose
            .iter()
            .map(|n| ((n.file, n.service), n))
            .collect();
        // A `depends_on` merged from an anchor into several services is reported once.
        let mut reported = std::collections::HashSet::new();
        for f in &files {
            let Some(c) = project.facts_of(f.id).compose() else {
                continue;
            };
            let dir = dir_of(&f.source.path);
            for s in &c.services {
                for dep in &s.depends_on {
                    let Some(cond) = &dep.condition else { continue };
                    if cond.text != "service_healthy" {
                        continue;
                    }
                    let Some(targets) = defs.get(&(dir, dep.service.text.as_str())) else {
                        continue;
                    };
                    if targets
                        .iter()
                        .any(|(_, _, t)| t.healthcheck.is_some() || t.extends)
                    {
                        continue;
                    }
                    let disabled = targets.iter().any(|(_, _, t)| t.healthcheck_disabled);
                    let &(tfile, _, target) = targets.last().expect("non-empty");
                    let dockerfile = targets.iter().find_map(|(f, i, _)| {
                        nodes.get(&(*f, *i)).and_then(|n| n.dockerfile.as_ref())
                    });
                    let df_health = dockerfile.and_then(|l| {
                        project
                            .facts_of(l.to)
                            .dockerfile()
                            .map(|d| d.healthcheck.is_some())
                    });
                    if df_health == Some(true) && !disabled || !reported.insert((f.id, cond.span)) {
                        continue;
                    }
                    let name = &dep.service.text;
                    let (why, severity) = if disabled {
                        (
                            format!("`{name}` disables its healthcheck"),
                            Severity::Error,
                        )
                    } else if dockerfile.is_some() {
                        (
                            format!(
                                "`{name}` has no `healthcheck` and the Dockerfile it builds has no `HEALTHCHECK`"
                            ),
                            Severity::Error,
                        )
                    } else if let Some(image) = &target.image {
                        let official = !repository(image).contains('/');
                        if official {
                            (
                                format!(
                                    "`{name}` has no `healthcheck`, and the official image `{image}` defines none"
                                ),
                                Severity::Error,
                            )
                        } else if target.build_context.is_none() {
                            (
                                format!(
                                    "`{name}` has no `healthcheck` here; unless the image `{image}` defines a `HEALTHCHECK`, compose will refuse to start `{}`",
                                    s.name
                                ),
                                Severity::Warning,
                            )
                        } else {
                            (format!("`{name}` has no `healthcheck`"), Severity::Error)
                        }
                    } else {
                        (format!("`{name}` has no `healthcheck`"), Severity::Error)
                    };
                    let d = ctx.report_in(
                        f.id,
                        cond.span,
                        format!(
                            "service `{}` waits for `{name}` to be healthy, but {why}",
                            s.name
                        ),
                    );
                    d.label_text("never healthy")
                        .severity(severity)
                        .secondary(tfile, target.span, format!("`{name}` is defined here"))
                        .hint(format!("Give `{name}` a `healthcheck:` (`test: [\"CMD-SHELL\", \"pg_isready -U app\"]` for PostgreSQL, `[\"CMD\", \"redis-cli\", \"ping\"]` for Redis), or wait with `condition: service_started`"));
                    if let Some(l) = dockerfile {
                        let at = project
                            .facts_of(l.to)
                            .dockerfile()
                            .and_then(|d| d.base_image.as_ref().map(|b| b.span))
                            .unwrap_or_default();
                        d.secondary(
                            l.to,
                            at,
                            "built from this Dockerfile, which has no `HEALTHCHECK`",
                        );
                    }
                }
            }
        }
    }
}
