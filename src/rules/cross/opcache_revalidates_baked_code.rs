//! X016 (info): OPcache re-checks file timestamps in an image whose code
//! never changes.
//!
//! `opcache.validate_timestamps = 1` (PHP's default) makes OPcache `stat()`
//! every cached script each `revalidate_freq` seconds. When the Dockerfile
//! copies the app into the image (`COPY . .`), nothing in the pod mounts over
//! that directory and the workload runs several replicas (or an HPA), the
//! code is immutable: deploys replace pods, so the checks are pure overhead
//! and `validate_timestamps = 0` is the production setting.
//!
//! Ini files of the repository are INI011's (a file rule, production
//! profile); this rule reports the ones INI011 cannot see, ConfigMap keys
//! mounted into the container, so one setting is reported once.
//!
//! Only for php-fpm and Octane containers whose ini files are certain and
//! configure OPcache (and keep it on for the SAPI that runs); a missing
//! `validate_timestamps` counts only on an official `php` image.

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

pub struct OpcacheRevalidatesBakedCode;

impl Rule for OpcacheRevalidatesBakedCode {
    fn code(&self) -> &'static str {
        "X016"
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
            let (c, node, obj) = (dep.container, dep.node, dep.object);
            let p = &node.process;
            if c.role != Role::Main || node.process_guess {
                continue;
            }
            // Which switch turns OPcache on for the SAPI that runs.
            let (runs, switch) = match p.kind {
                ProcessKind::PhpFpm => ("php-fpm".to_owned(), "opcache.enable"),
                ProcessKind::Octane => match super::php_runtime::octane_server_of(p, &configured) {
                    Some(s) if s == "frankenphp" => (format!("Octane ({s})"), "opcache.enable"),
                    Some(s) if s == "swoole" || s == "roadrunner" => {
                        (format!("Octane ({s})"), "opcache.enable_cli")
                    }
                    _ => continue,
                },
                _ => continue,
            };
            // Production: several replicas or an HPA.
            let scale = match (obj.replicas_text, dep.workload.hpas.first()) {
                (_, Some(h)) => Some((
                    h.evidence.file,
                    h.evidence.span,
                    "scaled by an HPA".to_owned(),
                )),
                (Some(n), None) if n > 1 => obj
                    .replicas_span
                    .map(|s| (dep.file(), s, format!("{n} replicas"))),
                _ => None,
            };
            let Some(scale) = scale else { continue };
            // The image bakes the code, and nothing mounts over it.
            let Some(l) = node.dockerfile.as_ref().filter(|l| !l.evidence.guess) else {
                continue;
            };
            let Some((Some(code_dir), copy_span)) = project
                .facts_of(l.to)
                .dockerfile()
                .and_then(|d| d.code_copy.clone())
            else {
                continue;
            };
            let covered = c.mounts.iter().any(|m| {
                let mp = m.path.trim_end_matches('/');
                mp.is_empty() || code_dir == mp || code_dir.starts_with(&format!("{mp}/"))
            });
            if covered {
                continue;
            }
            let Some(ds) = effective_ini(project, &dep) else {
                continue;
            };
            let Some(setup) = ds.iter().rev().find(|d| d.key.starts_with("opcache.")) else {
                continue;
            };
            let bool_of = |d: &Directive| {
                resolve_env(project, &cms, &dep, &d.value).and_then(|v| ini_bool(&v))
            };
            let on = |key: &str, default: bool| match cli_define(p, key) {
                Some(v) => ini_bool(&v),
                None => match last(&ds, key) {
                    Some(d) => bool_of(d),
                    None => Some(default),
                },
            };
            if on("opcache.enable", true) != Some(true)
                || (switch == "opcache.enable_cli" && on(switch, false) != Some(true))
            {
                continue;
            }
            if cli_define(p, "opcache.validate_timestamps").is_some()
                || run_may_set(project, &dep, "opcache.validate_timestamps")
                || run_may_set(project, &dep, switch)
            {
                continue;
            }
            // A php.ini file of the repository is INI011's to report (in the
            // production profile); this rule adds what that file rule cannot
            // see: ini files a ConfigMap mounts into the container.
            let deciding = last(&ds, "opcache.validate_timestamps").unwrap_or(setup);
            if project
                .file(deciding.file)
                .is_some_and(|f| f.kind() == Some(FileKind::PhpIni))
            {
                continue;
            }
            let d = match last(&ds, "opcache.validate_timestamps") {
                Some(v) => {
                    if bool_of(v) != Some(true) {
                        continue;
                    }
                    ctx.report_in(
                        v.file,
                        v.span,
                        format!(
                            "`opcache.validate_timestamps` is on in {}, but container `{}` of {} runs {runs} from code baked into its image: OPcache keeps checking files that never change",
                            v.what,
                            c.name,
                            obj.display()
                        ),
                    )
                }
                None => {
                    if !official_php(project, &dep) {
                        continue; // another base image may turn it off
                    }
                    ctx.report_in(
                        setup.file,
                        setup.span,
                        format!(
                            "{} configures OPcache for container `{}` of {} but leaves `opcache.validate_timestamps` at its default 1, while {runs} runs code baked into the image: OPcache keeps checking files that never change",
                            setup.what,
                            c.name,
                            obj.display()
                        ),
                    )
                }
            };
            d.label_text("timestamps re-checked").hint(
                "Set `opcache.validate_timestamps = 0` in the production ini file (deploys replace the pods; keep it 1 in development, where code is mounted)",
            );
            d.secondary(
                l.to,
                copy_span,
                format!("copies the code into `{code_dir}`"),
            );
            d.secondary(scale.0, scale.1, scale.2);
        }
    }
}
