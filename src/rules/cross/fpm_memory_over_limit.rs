//! X001: php-fpm's worst-case PHP memory (children x `memory_limit`) above
//! the container's memory limit.
//!
//! Reads the graph: containers that run php-fpm (process model), the pools
//! their image copies in (or the official image's default `[www]` pool:
//! `pm.max_children = 5`), each pool's `memory_limit` (`php_admin_value` /
//! `php_value` in the pool, else the image's ini files in PHP's read order,
//! else PHP's default 128M), against `resources.limits.memory`.

use crate::diagnostic::FileId;
use crate::model::units::{Quantity, human_k8s_bytes, parse_quantity};
use crate::project::Project;
use crate::project::defaults::{OfficialPhp, PHP_FPM, PhpVariant};
use crate::project::facts::Role;
use crate::project::links::ContainerNode;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct FpmMemoryOverLimit;

/// PHP's built-in `memory_limit` for the configured PHP version, from the
/// directive catalogue (128M; php.ini-development and -production keep it).
pub fn php_default_memory_limit(at: (u32, u32)) -> String {
    crate::rules::ini::directives::schema()
        .get("memory_limit")
        .and_then(|d| d.default_at(at))
        .unwrap_or("128M")
        .to_owned()
}

struct PoolBudget {
    name: String,
    children: i64,
    memory: i64,
    memory_text: String,
    /// Where the pool is defined (a file of the repository), for a label.
    at: Option<(FileId, Span)>,
}

/// A pool's name, its directives in read order, and where it is defined.
type MergedPool = (String, Vec<(String, String)>, Option<(FileId, Span)>);

fn bytes(text: &str) -> Option<i64> {
    match parse_quantity(text.trim().trim_matches('"')) {
        Quantity::Ok(n) => Some(n),
        _ => None,
    }
}

/// The pools the container's php-fpm runs, merged by name in read order,
/// over the official image's `[www]` defaults when the image keeps them.
/// Whether the container's php-fpm reads the official image's pool files
/// (`docker.conf`, `zz-docker.conf`, the default `[www]`): by the Dockerfile
/// that builds its image, else by an official `php:*-fpm*` image reference.
pub fn runs_official_fpm_config(
    project: &Project,
    node: &ContainerNode,
    c: &crate::project::facts::ContainerFacts,
) -> bool {
    match &node.dockerfile {
        Some(l) => project
            .facts_of(l.to)
            .dockerfile()
            .is_some_and(|d| d.keeps_official_fpm_config()),
        None => c
            .image
            .as_ref()
            .and_then(|i| OfficialPhp::parse(&i.text))
            .is_some_and(|o| o.variant == PhpVariant::Fpm),
    }
}

fn pools(
    project: &Project,
    node: &ContainerNode,
    official: bool,
    php: (u32, u32),
) -> Vec<PoolBudget> {
    let mut merged: Vec<MergedPool> = Vec::new();
    if official {
        merged.push((
            "www".into(),
            PHP_FPM
                .fpm_www
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            None,
        ));
    }
    for l in &node.pools {
        let Some(fpm) = project.facts_of(l.to).fpm() else {
            continue;
        };
        for p in fpm.pools() {
            let at = Some((l.to, p.header));
            let directives = p
                .directives
                .iter()
                .map(|d| (d.key.to_string(), d.value.text.to_string()));
            match merged
                .iter_mut()
                .find(|(n, _, _)| n.eq_ignore_ascii_case(&p.name))
            {
                Some(entry) => {
                    entry.1.extend(directives);
                    entry.2 = at;
                }
                None => merged.push((p.name.to_string(), directives.collect(), at)),
            }
        }
    }
    // The image's ini files, in the order PHP reads them.
    let ini_limit = node
        .dockerfile
        .as_ref()
        .and_then(|l| project.graph.image_of(l.to))
        .map(|n| n.inis_in_read_order())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|id| {
            project
                .facts_of(id)
                .ini()?
                .get("memory_limit")
                .map(str::to_owned)
        })
        .last();
    let get = |d: &[(String, String)], key: &str| {
        d.iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
    };
    merged
        .into_iter()
        .filter_map(|(name, d, at)| {
            let children = get(&d, "pm.max_children")?.trim().parse::<i64>().ok()?;
            let memory_text = get(&d, "php_admin_value[memory_limit]")
                .or_else(|| get(&d, "php_value[memory_limit]"))
                .or_else(|| ini_limit.clone())
                .unwrap_or_else(|| php_default_memory_limit(php));
            let memory = bytes(&memory_text)?;
            // -1 (unlimited) has no budget to add up; another rule's business.
            (memory > 0 && children > 0).then(|| PoolBudget {
                name,
                children,
                memory,
                memory_text: memory_text.trim().trim_matches('"').to_owned(),
                at,
            })
        })
        .collect()
}

impl Rule for FpmMemoryOverLimit {
    fn code(&self) -> &'static str {
        "X001"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &FileKind::ALL
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for dep in project.containers() {
            let (w, obj, node, c) = (dep.workload, dep.object, dep.node, dep.container);
            if node.process.kind != ProcessKind::PhpFpm {
                continue;
            }
            if c.role == Role::Ephemeral {
                continue;
            }
            let (Some(limit), Some(limit_span)) =
                (c.resources.limits_memory, c.resources.limits_memory_span)
            else {
                continue;
            };
            let limit = limit.bytes();
            let official = runs_official_fpm_config(project, node, c);
            let pools = pools(project, node, official, ctx.settings.php_version);
            let total: i128 = pools
                .iter()
                .map(|p| i128::from(p.children) * i128::from(p.memory))
                .sum();
            if pools.is_empty() || total <= limit {
                continue;
            }
            let parts: Vec<String> = pools
                .iter()
                .map(|p| {
                    format!(
                        "pool `{}`: {} children x {} `memory_limit`",
                        p.name, p.children, p.memory_text
                    )
                })
                .collect();
            let hint = match pools.as_slice() {
                [p] => {
                    let fits = (limit / i128::from(p.memory)).max(0);
                    format!(
                        "Set `pm.max_children = {fits}` in pool `{}` ({} / {}), lower `memory_limit`, or raise `resources.limits.memory` to at least {}",
                        p.name,
                        human_k8s_bytes(limit),
                        p.memory_text,
                        human_k8s_bytes(total)
                    )
                }
                _ => format!(
                    "Lower `pm.max_children` or `memory_limit` in the pools, or raise `resources.limits.memory` to at least {}",
                    human_k8s_bytes(total)
                ),
            };
            let d = ctx.report_in(
                w.object.file,
                limit_span,
                format!(
                    "php-fpm in container `{}` of {} may use {} of PHP memory ({}) but its memory limit is {}: under load the kernel OOM-kills the container",
                    c.name,
                    obj.display(),
                    human_k8s_bytes(total),
                    parts.join("; "),
                    human_k8s_bytes(limit)
                ),
            );
            d.label_text("below php-fpm's worst case").hint(hint);
            for p in &pools {
                if let Some((file, span)) = p.at {
                    d.secondary(file, span, format!("{} children", p.children));
                }
            }
        }
    }
}
