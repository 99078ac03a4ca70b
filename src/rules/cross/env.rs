//! Laravel settings as a container sees them, resolved across the graph the
//! way Kubernetes builds the environment: the container's `env` (inline or a
//! ConfigMap key) over its `envFrom` ConfigMaps over the image's `ENV`.

use crate::diagnostic::FileId;
use crate::model::kustomize::GeneratorKind;
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

/// ConfigMaps by (namespace, name), built once per run, and the literals of
/// the kustomize ConfigMap generators (by generator).
pub struct ConfigMaps<'p> {
    by_name: HashMap<(String, String), &'p ObjectFacts>,
    project_facts: &'p [crate::project::FileFacts],
    paths: Vec<&'p str>,
}

pub fn configmaps<'p>(project: &Project<'p>) -> ConfigMaps<'p> {
    let mut out = HashMap::new();
    for f in project.files {
        let Some(k) = project.facts_of(f.id).kubernetes() else {
            continue;
        };
        for o in k.objects.iter().filter(|o| o.kind == "ConfigMap") {
            if let Some(name) = &o.name {
                out.entry((o.namespace().to_owned(), name.clone()))
                    .or_insert(o);
            }
        }
    }
    ConfigMaps {
        by_name: out,
        project_facts: project.facts,
        paths: project
            .files
            .iter()
            .map(|f| f.source.path.as_str())
            .collect(),
    }
}

impl<'p> ConfigMaps<'p> {
    pub fn get(&self, namespace: &str, name: &str) -> Option<&'p ObjectFacts> {
        self.by_name
            .get(&(namespace.to_owned(), name.to_owned()))
            .copied()
    }

    /// `key` of the ConfigMap `name` that kustomize generators of the
    /// workload's build make from `literals`, with where it is written.
    /// Overlays whose path says development (`overlays/dev/`) give way to the
    /// others. `None` when none sets it, or the remaining overlays set
    /// different values (which one a cluster runs is not known here).
    fn generated(&self, w: &Workload, name: &str, key: &str) -> Option<(String, Source)> {
        // (development overlay, value, source)
        let mut found: Vec<(bool, String, Source)> = Vec::new();
        for g in &w.generated {
            let Some(generator) = self
                .project_facts
                .get(g.file)
                .and_then(crate::project::FileFacts::kustomization)
                .and_then(|k| k.generators.get(g.index))
            else {
                continue;
            };
            if generator.kind != GeneratorKind::ConfigMap || generator.name.text != name {
                continue;
            }
            let Some(l) = generator.literals.iter().rev().find(|l| l.key.text == key) else {
                continue;
            };
            let Some(value) = &l.value else { continue };
            let path = self.paths.get(g.file).copied().unwrap_or("");
            found.push((
                crate::config::is_development_path(path),
                value.clone(),
                Source {
                    file: g.file,
                    span: l.key.span,
                    what: format!("configMapGenerator `{name}` literal in `{path}`"),
                },
            ));
        }
        if found.iter().any(|(dev, _, _)| !dev) {
            found.retain(|(dev, _, _)| !dev);
        }
        let first = found.first()?;
        if found.iter().any(|(_, v, _)| *v != first.1) {
            return None;
        }
        found.into_iter().next().map(|(_, v, s)| (v, s))
    }
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
    let configmap = |cm: &str| configmaps.get(ns, cm).map(|o| ((), o));
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
                let Some((_, o)) = configmap(cm) else {
                    return configmaps.generated(w, cm, key).map(|(v, mut src)| {
                        src.what = format!("{} (env `{}`)", src.what, e.name);
                        (v, src)
                    });
                };
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
        let key = match &from.prefix {
            Some(p) => match name.strip_prefix(p.as_str()) {
                Some(k) => k,
                None => continue,
            },
            None => name,
        };
        let Some((_, o)) = configmap(&from.name) else {
            if let Some(found) = configmaps.generated(w, &from.name, key) {
                return Some(found);
            }
            continue;
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
