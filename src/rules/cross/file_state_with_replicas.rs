//! X003: Laravel keeps sessions or cache in local files (`SESSION_DRIVER=file`,
//! `CACHE_STORE`/`CACHE_DRIVER=file`) in a workload that runs several pods.
//!
//! Each pod has its own filesystem: a session written by one replica is
//! unknown to the next request's replica (users are logged out at random),
//! and cache entries, locks and rate limits are not shared. The value is
//! resolved across the graph, as Kubernetes builds the environment: the
//! container's `env` (inline or a ConfigMap key) over its `envFrom`
//! ConfigMaps over the image's `ENV`.

use crate::diagnostic::FileId;
use crate::project::Project;
use crate::project::facts::{ContainerFacts, EnvValue, ObjectFacts, Role};
use crate::project::links::Workload;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};
use std::collections::HashMap;

pub struct FileStateWithReplicas;

/// Where a value came from: the file and span to point at, and how to say it.
struct Source {
    file: FileId,
    span: Span,
    what: String,
}

/// ConfigMaps by (namespace, name), built once per run.
type ConfigMaps<'p> = HashMap<(String, String), &'p ObjectFacts>;

fn configmaps<'p>(project: &Project<'p>) -> ConfigMaps<'p> {
    let mut out = HashMap::new();
    for f in project.files {
        let Some(k) = project.facts_of(f.id).kubernetes() else { continue };
        for o in k.objects.iter().filter(|o| o.kind == "ConfigMap") {
            if let Some(name) = &o.name {
                out.entry((o.namespace().to_owned(), name.clone())).or_insert(o);
            }
        }
    }
    out
}

/// The effective value of `name` for a container, with its source.
fn env_value(
    configmaps: &ConfigMaps<'_>,
    w: &Workload,
    obj: &ObjectFacts,
    c: &ContainerFacts,
    image_env: &[(String, Option<String>)],
    name: &str,
) -> Option<(String, Source)> {
    let file = w.object.file;
    let ns = obj.namespace();
    let configmap = |cm: &str| configmaps.get(&(ns.to_owned(), cm.to_owned())).map(|o| ((), *o));
    // `env` wins over `envFrom` (the last definition of a name wins).
    if let Some(e) = c.env.iter().rev().find(|e| e.name == name) {
        return match &e.value {
            EnvValue::Literal(v) => Some((
                v.clone(),
                Source {
                    file,
                    span: e.span,
                    what: format!("`env` of container `{}`", c.name),
                },
            )),
            EnvValue::ConfigMapKey { name: cm, key } => {
                let (_, o) = configmap(cm)?;
                let v = o.config_data.iter().find(|(k, _)| k == key)?.1.clone();
                Some((
                    v,
                    Source {
                        file,
                        span: e.span,
                        what: format!("ConfigMap `{cm}` key `{key}`"),
                    },
                ))
            }
            _ => None,
        };
    }
    for from in c.env_from.iter().rev().filter(|f| !f.secret) {
        let Some((_, o)) = configmap(&from.name) else { continue };
        let key = match &from.prefix {
            Some(p) => match name.strip_prefix(p.as_str()) {
                Some(k) => k,
                None => continue,
            },
            None => name,
        };
        if let Some((_, v)) = o.config_data.iter().find(|(k, _)| k == key) {
            return Some((
                v.clone(),
                Source {
                    file,
                    span: from.span,
                    what: format!("ConfigMap `{}` (envFrom)", from.name),
                },
            ));
        }
    }
    image_env
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.clone())
        .map(|v| {
            (
                v,
                Source {
                    file,
                    span: c.span,
                    what: "the image's `ENV`".to_owned(),
                },
            )
        })
}

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
            if !matches!(obj.kind.as_str(), "Deployment" | "StatefulSet" | "ReplicaSet") {
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
            let image_env = node
                .dockerfile
                .as_ref()
                .and_then(|l| project.facts_of(l.to).dockerfile())
                .map(|d| d.env.clone())
                .unwrap_or_default();
            let web = !matches!(
                node.process.kind,
                ProcessKind::QueueWorker | ProcessKind::Horizon | ProcessKind::Scheduler | ProcessKind::Nginx
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
