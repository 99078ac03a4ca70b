//! X004: `readOnlyRootFilesystem: true` on a PHP container without a
//! writable volume where PHP and Laravel must write: `storage/` for Laravel
//! (logs, compiled Blade views, file cache and sessions) and `/tmp` for a
//! server that receives uploads (PHP's `upload_tmp_dir` defaults to the
//! system temp dir).
//!
//! What the container runs comes from the graph's process model (manifest
//! command, linked Dockerfile, official image default), never from the
//! image name alone: a guessed process is not judged.

use super::env::{ConfigMaps, configmaps, env_value, image_env};
use crate::project::facts::{ContainerFacts, PodFacts, Role, VolumeSource};
use crate::project::process::ProcessKind;
use crate::project::{Deployed, Project};
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ReadOnlyRootWithoutWritableDirs;

impl Rule for ReadOnlyRootWithoutWritableDirs {
    fn code(&self) -> &'static str {
        "X004"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let configmaps = configmaps(project);
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            let Some((true, span)) = c.read_only_root else {
                continue;
            };
            if c.role == Role::Ephemeral || node.process_guess {
                continue;
            }
            use ProcessKind::*;
            let kind = node.process.kind;
            let laravel = matches!(
                kind,
                Octane | Horizon | QueueWorker | Scheduler | ArtisanServe
            ) || kind == PhpCli
                && node.process.argv.iter().any(|w| w.ends_with("artisan"));
            let serves = matches!(
                kind,
                PhpFpm | Octane | FrankenPhp | RoadRunner | ArtisanServe
            );
            let mut missing: Vec<(&str, String)> = Vec::new();
            if laravel && !writable(c, dep.pod, |p| p.split('/').any(|part| part == "storage")) {
                let writes = storage_writes(project, &configmaps, &dep, serves);
                if !writes.is_empty() {
                    missing.push((
                        "`storage/`",
                        format!(
                            "Laravel writes {} there and fails with an HTTP 500 or a crashed worker",
                            writes.join(", ")
                        ),
                    ));
                }
            }
            if serves && !writable(c, dep.pod, |p| p == "/tmp" || p == "/") {
                missing.push((
                    "`/tmp`",
                    "PHP keeps each uploaded file there during the request, `upload_tmp_dir` being unset by default: every upload fails".to_owned(),
                ));
            }
            if missing.is_empty() {
                continue;
            }
            let what: Vec<String> = missing.iter().map(|(d, w)| format!("{d} ({w})")).collect();
            let dirs: Vec<&str> = missing.iter().map(|(d, _)| *d).collect();
            let process = node.process.subcommand.as_deref().unwrap_or(kind.name());
            let d = ctx.report_in(
                dep.file(),
                span,
                format!(
                    "Container `{}` of {} runs {process} with `readOnlyRootFilesystem: true` but mounts no writable volume at {}",
                    c.name,
                    dep.object.display(),
                    what.join(", nor at ")
                ),
            );
            let storage_hint = if dirs.contains(&"`storage/`") {
                " (`storage/` is the app's, e.g. `/var/www/html/storage`; or send logs to stderr with `LOG_CHANNEL=stderr` and keep cache and sessions in Redis)"
            } else {
                ""
            };
            d.label_text("root filesystem read-only").hint(format!(
                "Mount an `emptyDir` volume at {}{storage_hint}",
                dirs.join(" and ")
            ));
            if let Some(l) = &node.dockerfile {
                if let Some(df) = project.facts_of(l.to).dockerfile() {
                    if let Some(s) = df.runtime_span.or(df.base_image.as_ref().map(|b| b.span)) {
                        d.secondary(l.to, s, format!("the image runs {process}"));
                    }
                }
            }
        }
    }
}

/// A mount the container can write to whose path satisfies `want`:
/// not `readOnly`, and not a ConfigMap or Secret volume (always read-only).
fn writable(c: &ContainerFacts, pod: &PodFacts, want: impl Fn(&str) -> bool) -> bool {
    c.mounts.iter().any(|m| {
        let path = m.path.trim_end_matches('/');
        let path = if path.is_empty() { "/" } else { path };
        let source = pod
            .volumes
            .iter()
            .find(|v| v.name == m.volume)
            .map(|v| &v.source);
        !m.read_only
            && !matches!(
                source,
                Some(VolumeSource::ConfigMap(_) | VolumeSource::Secret(_))
            )
            && want(path)
    })
}

/// What the container's Laravel writes under `storage/`, from its settings
/// as the container sees them: the log (`LOG_CHANNEL` unset is Laravel's
/// `stack` of `single`, a file), and file sessions or cache when set so.
/// Nothing when logs go elsewhere and no file driver is named (sessions and
/// cache defaults changed across Laravel versions, so unset ones say nothing).
fn storage_writes(
    project: &Project<'_>,
    configmaps: &ConfigMaps<'_>,
    dep: &Deployed<'_>,
    serves: bool,
) -> Vec<String> {
    let image_env = image_env(project, dep.node);
    let get = |name: &str| {
        env_value(
            configmaps,
            dep.workload,
            dep.object,
            dep.container,
            &image_env,
            name,
        )
        .map(|(v, _)| v.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
    };
    let file_channel = |c: &str| matches!(c, "single" | "daily");
    let mut out = Vec::new();
    match get("LOG_CHANNEL").as_deref() {
        None => out.push("its log (`LOG_CHANNEL` unset: Laravel's default `stack` writes `storage/logs/laravel.log`)".to_owned()),
        Some("stack") => {
            let stack = get("LOG_STACK");
            if stack.as_deref().is_none_or(|s| s.split(',').any(|c| file_channel(c.trim()))) {
                out.push("its log (`LOG_CHANNEL=stack` of a file channel)".to_owned());
            }
        }
        Some(c) if file_channel(c) => out.push(format!("its log (`LOG_CHANNEL={c}`)")),
        Some(_) => {}
    }
    if serves && get("SESSION_DRIVER").as_deref() == Some("file") {
        out.push("sessions (`SESSION_DRIVER=file`)".to_owned());
    }
    for name in ["CACHE_STORE", "CACHE_DRIVER"] {
        if get(name).as_deref() == Some("file") {
            out.push(format!("its cache (`{name}=file`)"));
            break;
        }
    }
    out
}
