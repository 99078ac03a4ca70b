//! X018: php-fpm started as a non-root `runAsUser` whose uid is not the
//! owner the image gave its files to.
//!
//! php-fpm only switches its workers to the pool's `user`/`group` when the
//! master runs as root; started as any other uid it ignores them with a
//! NOTICE (`'user' directive is ignored when FPM is not running as root`,
//! php-src `fpm_unix.c`, PHP-FACTS 1.5) and the workers keep the master's
//! uid. The image, meanwhile, prepared its writable files for the pool user
//! (`chown -R www-data:www-data storage bootstrap/cache`, `COPY
//! --chown=www-data`). With `runAsUser` set to another uid, Laravel cannot
//! write its logs, cache and sessions. The owner's uid must be known: a
//! number, or `www-data` on an official `php` image (82 on Alpine, 33 on
//! Debian); with a group set for the pod (`runAsGroup`, `fsGroup`,
//! `supplementalGroups`) access may come through the group, and the rule
//! says nothing.

use crate::project::Project;
use crate::project::defaults::OfficialPhp;
use crate::project::facts::Role;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct FpmUserVsRunAsUser;

/// The uid of a `chown` owner (`www-data:www-data`, `82`, `1000:1000`).
fn uid(owner: &str, official: Option<&OfficialPhp>) -> Option<i64> {
    let user = owner.split([':', '.']).next()?.trim();
    if let Ok(n) = user.parse::<i64>() {
        return Some(n);
    }
    match (user, official) {
        ("root", _) => Some(0),
        ("www-data", Some(o)) if o.tag.contains("alpine") => Some(82),
        ("www-data", Some(_)) => Some(33),
        _ => None,
    }
}

impl Rule for FpmUserVsRunAsUser {
    fn code(&self) -> &'static str {
        "X018"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile, FileKind::PhpFpm]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            if c.role != Role::Main
                || node.process.kind != ProcessKind::PhpFpm
                || node.process_guess
                || c.sets_groups
            {
                continue;
            }
            let Some((run_as, run_as_span)) = c.run_as_user.filter(|(n, _)| *n > 0) else {
                continue;
            };
            let Some(link) = &node.dockerfile else {
                continue;
            };
            if link.evidence.guess {
                continue;
            }
            let Some(d) = project.facts_of(link.to).dockerfile() else {
                continue;
            };
            // Every owner must be known; root-owned files are meant read-only.
            let owners: Option<Vec<(i64, &crate::project::facts::Loc)>> = d
                .chowns
                .iter()
                .map(|l| uid(&l.text, d.official.as_ref()).map(|u| (u, l)))
                .collect();
            let Some(owners) = owners else { continue };
            let owners: Vec<_> = owners.into_iter().filter(|(u, _)| *u != 0).collect();
            let Some(&(owner_uid, owner)) = owners.first() else {
                continue;
            };
            if owners.iter().any(|(u, _)| *u == run_as) {
                continue;
            }
            // The pool's `user` (a linked pool, else the official www.conf).
            let pool_user = node
                .pools
                .iter()
                .filter_map(|l| project.facts_of(l.to).fpm())
                .flat_map(|f| f.pools())
                .find_map(|p| p.get("user").map(str::to_owned))
                .or_else(|| {
                    d.keeps_official_fpm_config()
                        .then(|| {
                            d.official
                                .as_ref()?
                                .defaults()
                                .fpm_www("user")
                                .map(str::to_owned)
                        })
                        .flatten()
                });
            let ignored = match &pool_user {
                Some(u) => format!(
                    "php-fpm's master is not root, so the pool's `user = {u}` is ignored (a NOTICE) and the workers run as uid {run_as}"
                ),
                None => format!("php-fpm's master and workers run as uid {run_as}"),
            };
            let owner_name = owner.text.split([':', '.']).next().unwrap_or(&owner.text);
            ctx.report_in(
                dep.file(),
                run_as_span,
                format!(
                    "Container `{}` of {} runs php-fpm as `runAsUser: {run_as}`: {ignored}, but the image gives its files to `{owner_name}` (uid {owner_uid}), so writes to what it `chown`ed (Laravel's `storage/`, `bootstrap/cache`) fail with \"Permission denied\"",
                    c.name,
                    dep.object.display()
                ),
            )
            .label_text(format!("uid {run_as}"))
            .hint(format!(
                "Set `runAsUser: {owner_uid}` (the owner the image prepared), or `chown` to uid {run_as} in the Dockerfile, or give the files to a group and set `fsGroup`/`runAsGroup`"
            ))
            .secondary(link.to, owner.span, format!("owned by uid {owner_uid}"));
        }
    }
}
