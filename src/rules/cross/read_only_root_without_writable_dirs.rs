//! X004: `readOnlyRootFilesystem: true` on a PHP container without a
//! writable volume where PHP and Laravel must write: `storage/` for Laravel
//! (logs, compiled Blade views, file cache and sessions) and `/tmp` for a
//! server that receives uploads (PHP's `upload_tmp_dir` defaults to the
//! system temp dir).
//!
//! What the container runs comes from the graph's process model (manifest
//! command, linked Dockerfile, official image default), never from the
//! image name alone: a guessed process is not judged.

use crate::project::Project;
use crate::project::facts::{ContainerFacts, PodFacts, Role, VolumeSource};
use crate::project::process::ProcessKind;
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
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            let Some((true, span)) = c.read_only_root else { continue };
            if c.role == Role::Ephemeral || node.process_guess {
                continue;
            }
            use ProcessKind::*;
            let kind = node.process.kind;
            let laravel = matches!(kind, Octane | Horizon | QueueWorker | Scheduler | ArtisanServe)
                || kind == PhpCli && node.process.argv.iter().any(|w| w.ends_with("artisan"));
            let serves = matches!(kind, PhpFpm | Octane | FrankenPhp | RoadRunner | ArtisanServe);
            let mut missing = Vec::new();
            if laravel && !writable(c, dep.pod, |p| p.split('/').any(|part| part == "storage")) {
                missing.push((
                    "`storage/`",
                    "Laravel writes its log, compiled Blade views, file cache and sessions there and fails with HTTP 500 or a crashed worker",
                ));
            }
            if serves && !writable(c, dep.pod, |p| p == "/tmp" || p == "/") {
                missing.push((
                    "`/tmp`",
                    "PHP keeps each uploaded file there during the request, `upload_tmp_dir` being unset by default: every upload fails",
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
        let source = pod.volumes.iter().find(|v| v.name == m.volume).map(|v| &v.source);
        !m.read_only
            && !matches!(source, Some(VolumeSource::ConfigMap(_) | VolumeSource::Secret(_)))
            && want(path)
    })
}
