//! FPM013: pool `user`/`group` set to root (refused by php-fpm, or workers
//! running as root with `-R`), or set although the container runs php-fpm as
//! non-root, where php-fpm ignores them with a NOTICE (fpm_unix.c).
//!
//! The non-root case needs evidence in the linted tree: a PHP Dockerfile whose
//! last `USER` is not root, or a Kubernetes manifest running a php/fpm image
//! with `runAsNonRoot: true` or a non-zero `runAsUser`. The official image runs
//! the master as root, where `user` is mandatory, so without evidence nothing
//! is said.

use super::pools::each_pool;
use crate::diagnostic::{FileId, Severity};
use crate::model::dockerfile::is_root_user;
use crate::project::Project;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct PoolUserMisconfigured;

struct Evidence {
    file: FileId,
    span: Span,
    what: String,
}

impl Rule for PoolUserMisconfigured {
    fn code(&self) -> &'static str {
        "FPM013"
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
        each_pool(project, |_, pool| {
            for key in ["user", "group"] {
                let Some(f) = pool.scope.get(key) else {
                    continue;
                };
                let v = &f.directive.value;
                // A development overlay running workers as root (with `-R`)
                // does so on purpose, and a refusal shows on first start.
                if matches!(v.text.trim(), "root" | "0")
                    && !super::pools::development_file(settings, &f.file)
                {
                    ctx.report_in(f.file.id, v.span, format!("`{key} = {}` in pool `{}`: php-fpm refuses root workers, or with `--allow-to-run-as-root` runs every request as root", v.text.trim(), pool.name))
                        .severity(Severity::Error)
                        .hint(format!("Set `{key} = www-data` (or another unprivileged account)"))
                        .label_text("root workers");
                }
            }
        });
        let Some(ev) = non_root_evidence(project) else {
            return;
        };
        each_pool(project, |_, pool| {
            for key in ["user", "group"] {
                let Some(f) = pool.scope.get(key) else {
                    continue;
                };
                if matches!(f.directive.value.text.trim(), "root" | "0") {
                    continue;
                }
                ctx.report_in(f.file.id, f.directive.name_span, format!("`{key}` in pool `{}` is ignored: the container runs php-fpm as non-root ({})", pool.name, ev.what))
                    .hint(format!("Remove `{key}` (workers run as the container user), or run the master as root if you need the switch"))
                    .label_text("ignored when not root")
                    .secondary(ev.file, ev.span, "runs as non-root here");
            }
        });
    }
}

/// Evidence that php-fpm's master runs as non-root, from the facts: a PHP
/// image's final `USER`, or a container running PHP with `runAsNonRoot:
/// true` or a non-zero `runAsUser` (container over pod securityContext).
fn non_root_evidence(project: &Project) -> Option<Evidence> {
    for (f, d) in project.dockerfiles() {
        // Only images that run PHP: a frontend image's `USER node` says nothing here.
        if !d.is_php_image() {
            continue;
        }
        if let Some(user) = &d.user {
            let u = user.text.as_str();
            if !is_root_user(u) && !u.is_empty() && !u.contains('$') {
                return Some(Evidence {
                    file: f.id,
                    span: user.span,
                    what: format!("`USER {u}` in {}", f.source.path),
                });
            }
        }
    }
    for dep in project.containers() {
        let (w, node, c) = (dep.workload, dep.node, dep.container);
        let image = c
            .image
            .as_ref()
            .map(|i| i.text.to_ascii_lowercase())
            .unwrap_or_default();
        let php = image.contains("php")
            || image.contains("fpm")
            || node.process.kind == ProcessKind::PhpFpm;
        if !php {
            continue;
        }
        let path = project.path(w.object.file);
        if let Some((true, span)) = c.run_as_non_root {
            return Some(Evidence {
                file: w.object.file,
                span,
                what: format!("`runAsNonRoot: true` in {path}"),
            });
        }
        if let Some((n, span)) = c.run_as_user.filter(|(n, _)| *n > 0) {
            return Some(Evidence {
                file: w.object.file,
                span,
                what: format!("`runAsUser: {n}` in {path}"),
            });
        }
    }
    None
}
