//! X015: OPcache configured but off for the CLI SAPI that serves the app.
//!
//! Octane with Swoole or RoadRunner (and `rr serve`) runs PHP under the CLI
//! SAPI, where OPcache only works with `opcache.enable_cli = 1` (default 0:
//! OPcache's startup reports "Opcode Caching is disabled for CLI"). FrankenPHP
//! has its own SAPI (`frankenphp`, on OPcache's allow list) and reads
//! `opcache.enable`, so it is not concerned. Horizon and `queue:work` are
//! long-running CLI processes too, but compile each file once per process
//! lifetime and are not request-serving: they are left out.
//!
//! Ini files of the repository that an image copies in are INI014's (a
//! file rule that judges each php.ini by the images that read it); this
//! rule reports the ones INI014 cannot see, ConfigMap keys mounted into the
//! container, so one mistake is reported once.
//!
//! Only when the ini files the container reads are certain (copied into the
//! image by its linked Dockerfile, or ConfigMap keys mounted as files) and
//! one of them configures OPcache; a missing `enable_cli` counts only on an
//! official `php` image, whose default is PHP's 0.

use super::env::configmaps;
use super::php_runtime::{
    Directive, cli_define, configured_octane_server, effective_ini, ini_bool, last, official_php,
    resolve_env, run_may_set,
};
use crate::project::Project;
use crate::project::facts::Role;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OpcacheOffForCliServer;

impl Rule for OpcacheOffForCliServer {
    fn code(&self) -> &'static str {
        "X015"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::Kubernetes,
            FileKind::Dockerfile,
            FileKind::PhpIni,
            FileKind::Octane,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let configured = configured_octane_server(project);
        let cms = configmaps(project);
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            let p = &node.process;
            if c.role != Role::Main || node.process_guess {
                continue;
            }
            let server = match p.kind {
                ProcessKind::Octane => match super::php_runtime::octane_server_of(p, &configured) {
                    Some(s) if s == "swoole" || s == "roadrunner" => format!("Octane ({s})"),
                    _ => continue,
                },
                ProcessKind::RoadRunner => "RoadRunner".to_owned(),
                _ => continue,
            };
            if cli_define(p, "opcache.enable_cli").is_some()
                || run_may_set(project, &dep, "opcache.enable_cli")
            {
                continue;
            }
            let Some(ds) = effective_ini(project, &dep) else {
                continue;
            };
            // The ini files set OPcache up (and do not switch it off).
            let Some(setup) = ds.iter().rev().find(|d| d.key.starts_with("opcache.")) else {
                continue;
            };
            let bool_of = |d: &Directive| {
                resolve_env(project, &cms, &dep, &d.value).and_then(|v| ini_bool(&v))
            };
            if last(&ds, "opcache.enable").is_some_and(|d| bool_of(d) != Some(true)) {
                continue;
            }
            // A php.ini file of the repository is INI014's to report (it
            // judges each file by the images that copy it in); this rule
            // adds what that file rule cannot see: ini files a ConfigMap
            // mounts into the container.
            let deciding = last(&ds, "opcache.enable_cli").unwrap_or(setup);
            if project
                .file(deciding.file)
                .is_some_and(|f| f.kind() == Some(FileKind::PhpIni))
            {
                continue;
            }
            let d = match last(&ds, "opcache.enable_cli") {
                Some(d) => match bool_of(d) {
                    Some(false) => {
                        let r = ctx.report_in(
                            d.file,
                            d.span,
                            format!(
                                "`opcache.enable_cli` is off in {}, which container `{}` of {} reads, but {server} serves the app under PHP's CLI SAPI: OPcache never runs there, every worker compiles the app again after each `--max-requests` recycle and the JIT stays off",
                                d.what,
                                c.name,
                                dep.object.display()
                            ),
                        );
                        r.label_text("OPcache off for the CLI SAPI");
                        r
                    }
                    _ => continue,
                },
                None => {
                    if !official_php(project, &dep) {
                        continue; // another base image may enable it
                    }
                    let r = ctx.report_in(
                        setup.file,
                        setup.span,
                        format!(
                            "{} configures OPcache for container `{}` of {}, but leaves `opcache.enable_cli` at its default 0 while {server} serves the app under PHP's CLI SAPI: none of these settings apply there, and OPcache never runs",
                            setup.what,
                            c.name,
                            dep.object.display()
                        ),
                    );
                    r.label_text("no `opcache.enable_cli = 1`");
                    r
                }
            };
            d.hint("Set `opcache.enable_cli = 1` in the ini file the Octane image reads (a php-fpm image can keep it off)");
            d.secondary(
                node.process_evidence.file,
                node.process_evidence.span,
                format!("runs {server} under the CLI SAPI"),
            );
        }
    }
}
