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
use crate::engine::Project;
use crate::model::dockerfile::is_root_user;
use crate::parse::dockerfile::{Dockerfile, Keyword};
use crate::parse::yaml::{Node, NodeKind};
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

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        each_pool(project, |_, pool| {
            for key in ["user", "group"] {
                let Some(f) = pool.scope.get(key) else { continue };
                let v = &f.directive.value;
                if matches!(v.text.trim(), "root" | "0") {
                    ctx.report_in(f.file.id, v.span, format!("`{key} = {}` in pool `{}`: php-fpm refuses root workers, or with `--allow-to-run-as-root` runs every request as root", v.text.trim(), pool.name))
                        .severity(Severity::Error)
                        .hint(format!("Set `{key} = www-data` (or another unprivileged account)"))
                        .label_text("root workers");
                }
            }
        });
        let Some(ev) = non_root_evidence(project) else { return };
        each_pool(project, |_, pool| {
            for key in ["user", "group"] {
                let Some(f) = pool.scope.get(key) else { continue };
                if matches!(f.directive.value.text.trim(), "root" | "0") {
                    continue;
                }
                ctx.report_in(f.file.id, f.directive.name.span, format!("`{key}` in pool `{}` is ignored: the container runs php-fpm as non-root ({})", pool.name, ev.what))
                    .hint(format!("Remove `{key}` (workers run as the container user), or run the master as root if you need the switch"))
                    .label_text("ignored when not root")
                    .secondary(ev.file, ev.span, "runs as non-root here");
            }
        });
    }
}

fn non_root_evidence(project: &Project) -> Option<Evidence> {
    for f in project.files {
        match f.kind() {
            // Only images that run PHP: a frontend image's `USER node` says nothing here.
            Some(FileKind::Dockerfile) if f.source.text.to_ascii_lowercase().contains("php") => {
                let Some(df) = f.document.as_dockerfile() else { continue };
                if let Some((span, user)) = last_user(df) {
                    if !is_root_user(&user) && !user.is_empty() && !user.contains('$') {
                        return Some(Evidence {
                            file: f.id,
                            span,
                            what: format!("`USER {user}` in {}", f.source.path),
                        });
                    }
                }
            }
            Some(FileKind::Kubernetes) => {
                let Some(y) = f.document.as_yaml() else { continue };
                for doc in y.documents.iter().filter(|d| runs_php(&d.root, 0)) {
                    if let Some((span, what)) = find_non_root(&doc.root, 0) {
                        return Some(Evidence {
                            file: f.id,
                            span,
                            what: format!("`{what}` in {}", f.source.path),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The final image's `USER` (set in its stage or a stage it builds on).
fn last_user(df: &Dockerfile) -> Option<(Span, String)> {
    let chain = df.final_chain(None);
    let user = df.last_in(&chain, Keyword::User)?;
    let word = user.words(df.escape).into_iter().next()?;
    Some((user.keyword_span.cover(word.span), word.text))
}

/// Whether a manifest runs a PHP image (an `image:` naming php or fpm).
fn runs_php(node: &Node, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match &node.kind {
        NodeKind::Map(entries) => entries.iter().any(|e| {
            e.key.as_str() == Some("image")
                && e.value.as_str().is_some_and(|i| {
                    let i = i.to_ascii_lowercase();
                    i.contains("php") || i.contains("fpm")
                })
                || runs_php(&e.value, depth + 1)
        }),
        NodeKind::Seq(items) => items.iter().any(|n| runs_php(n, depth + 1)),
        NodeKind::Scalar(_) => false,
    }
}

fn find_non_root(node: &Node, depth: usize) -> Option<(Span, String)> {
    if depth > 64 {
        return None;
    }
    match &node.kind {
        NodeKind::Map(entries) => entries.iter().find_map(|e| {
            match e.key.as_str() {
                Some("runAsNonRoot") if e.value.as_bool() == Some(true) => {
                    return Some((e.key.span, "runAsNonRoot: true".to_owned()));
                }
                Some("runAsUser") => {
                    if let Some(n) = e.value.as_i64().filter(|n| *n > 0) {
                        return Some((e.key.span, format!("runAsUser: {n}")));
                    }
                }
                _ => {}
            }
            find_non_root(&e.value, depth + 1)
        }),
        NodeKind::Seq(items) => items.iter().find_map(|n| find_non_root(n, depth + 1)),
        NodeKind::Scalar(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dockerfile::parse;

    #[test]
    fn last_user_of_the_final_stage() {
        let t = "FROM php:8.3-fpm AS build\nUSER app\nFROM php:8.3-fpm\nRUN true\n";
        assert!(last_user(&parse(t)).is_none());
        let t = "FROM php:8.3-fpm\nUSER www-data:www-data\n";
        assert_eq!(last_user(&parse(t)).map(|(_, u)| u), Some("www-data:www-data".into()));
        let t = "FROM php:8.3-fpm AS base\nUSER 82\nFROM base\nRUN true\n";
        assert_eq!(last_user(&parse(t)).map(|(_, u)| u), Some("82".into()));
    }
}
