//! Laravel settings as a container sees them, resolved across the graph the
//! way Kubernetes builds the environment: the container's `env` (inline or a
//! ConfigMap key) over its `envFrom` ConfigMaps over the image's `ENV`.

use crate::diagnostic::FileId;
use crate::project::Project;
use crate::project::facts::{ContainerFacts, EnvValue, ObjectFacts};
use crate::project::links::Workload;
use crate::source::Span;
use std::collections::HashMap;

/// Where a value came from: the file and span to point at, and how to say it.
pub struct Source {
    pub file: FileId,
    pub span: Span,
    pub what: String,
}

/// ConfigMaps by (namespace, name), built once per run.
pub type ConfigMaps<'p> = HashMap<(String, String), &'p ObjectFacts>;

pub fn configmaps<'p>(project: &Project<'p>) -> ConfigMaps<'p> {
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
pub fn env_value(
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


/// The `ENV` of the image a container runs, when its Dockerfile is linked.
pub fn image_env(
    project: &Project<'_>,
    node: &crate::project::links::ContainerNode,
) -> Vec<(String, Option<String>)> {
    node.dockerfile
        .as_ref()
        .and_then(|l| project.facts_of(l.to).dockerfile())
        .map(|d| d.env.clone())
        .unwrap_or_default()
}
