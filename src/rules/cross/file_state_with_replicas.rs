//! X003: Laravel keeps sessions or cache in local files (`SESSION_DRIVER=file`,
//! `CACHE_STORE`/`CACHE_DRIVER=file`) in a workload that runs several pods.
//!
//! Each pod has its own filesystem: a session written by one replica is
//! unknown to the next request's replica (users are logged out at random),
//! and cache entries, locks and rate limits are not shared. The value is
//! resolved across the graph, as Kubernetes builds the environment: the
//! container's `env` (inline or a ConfigMap key) over its `envFrom`
//! ConfigMaps over the image's `ENV`.

use super::env::{configmaps, env_value, image_env};
use crate::project::Project;
use crate::project::facts::Role;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct FileStateWithReplicas;

impl Rule for FileStateWithReplicas {
    fn code(&self) -> &'static str {
        "X003"
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
            let (w, obj, node, c) = (dep.workload, dep.object, dep.node, dep.container);
            if c.role != Role::Main {
                continue;
            }
            if !matches!(
                obj.kind.as_str(),
                "Deployment" | "StatefulSet" | "ReplicaSet"
            ) {
                continue;
            }
            let replicas = obj.replicas.unwrap_or(1);
            let hpa = w.hpas.first();
            if replicas <= 1 && hpa.is_none() {
                continue;
            }
            let why = match hpa {
                Some(_) if replicas <= 1 => "is scaled out by a HorizontalPodAutoscaler".to_owned(),
                _ => format!("runs {replicas} replicas"),
            };
            let image_env = image_env(project, node);
            let web = !matches!(
                node.process.kind,
                ProcessKind::QueueWorker
                    | ProcessKind::Horizon
                    | ProcessKind::Scheduler
                    | ProcessKind::Nginx
            );
            let mut checks = vec![("CACHE_STORE", "cache"), ("CACHE_DRIVER", "cache")];
            if web {
                checks.insert(0, ("SESSION_DRIVER", "sessions"));
            }
            for (name, what) in checks {
                let Some((value, src)) = env_value(&configmaps, w, obj, c, &image_env, name) else {
                    continue;
                };
                if !value.trim().eq_ignore_ascii_case("file") {
                    continue;
                }
                let d = ctx.report_in(
                    src.file,
                    src.span,
                    format!(
                        "`{name}=file` (from {}) in container `{}` of {}, which {why}: each pod keeps its own {what}, so requests served by another replica do not see them",
                        src.what,
                        c.name,
                        obj.display()
                    ),
                );
                d.label_text(format!("{what} in local files")).hint(match name {
                    "SESSION_DRIVER" => "Use a shared session store: `SESSION_DRIVER=redis` (or `database`)",
                    _ => "Use a shared cache store: `CACHE_STORE=redis` (Laravel 11+; `CACHE_DRIVER` before), or `database`",
                });
                if let Some(h) = hpa {
                    d.secondary(h.to.file, h.evidence.span, "scales this workload");
                }
            }
        }
    }
}
