//! What kustomize adds to a manifest at build time.
//!
//! A kustomize base often leaves out what its `kustomization.yaml` adds when
//! it is built: `commonLabels` (and `labels` with `includeSelectors: true`)
//! are added to every resource's labels, selectors and pod templates, and
//! `namespace` replaces every resource's namespace. metrics-server's
//! `manifests/base/deployment.yaml` has no `spec.selector` and no pod labels
//! at all. Linting such a file as applied by `kubectl apply -f` reports what
//! `kubectl apply -k` never sees, so rules about selectors and namespaces read
//! the kustomization beside a manifest that lists it as a resource, and stay
//! quiet about what it adds.
//!
//! Only the `kustomization.yaml` (or `.yml`, `Kustomization`) in the
//! manifest's own directory is read, and only when its `resources` list names
//! the file; overlays elsewhere are not followed.
//!
//! Kustomization files are now files of the run (`FileKind::Kustomization`,
//! their facts a [`kustomize::Kustomization`], which the graph uses for
//! generated ConfigMaps and Secrets), but this helper still reads the file
//! beside a manifest from disk (cached): file rules (K8S schema rules) see only
//! their own file's facts, and a manifest linted alone outside any workspace
//! (no config file, no git root: no context files are loaded) must keep the
//! same findings. The file is parsed with the same model.

use crate::config::Settings;
use crate::diagnostic::FileId;
use crate::model::k8s_set::Selector;
use crate::model::kustomize;
use crate::parse::yaml;
use crate::project::{ObjectSet, Project};
use std::collections::HashMap;
use std::path::Path;

/// What the kustomization beside a manifest adds to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kustomized {
    /// `namespace:`: every resource is moved there.
    pub namespace: Option<String>,
    /// Labels added to selectors and pod templates (`commonLabels`, and
    /// `labels` entries with `includeSelectors: true`).
    pub selector_labels: Vec<(String, String)>,
}

impl Kustomized {
    pub fn adds_selectors(&self) -> bool {
        !self.selector_labels.is_empty()
    }

    pub fn selector_label(&self, key: &str) -> Option<&str> {
        self.selector_labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The kustomization in `path`'s directory that lists it as a resource.
/// `None` when there is none, it cannot be read, or it does not list the file.
pub fn of(path: &str, settings: &Settings) -> Option<Kustomized> {
    let joined;
    let path = match &settings.base_dir {
        Some(base) => {
            joined = base.join(path);
            joined.as_path()
        }
        None => Path::new(path),
    };
    let dir = path.parent()?;
    let name = path.file_name()?.to_str()?;
    let text = kustomization_in(dir)?;
    from_text(&text, name)
}

/// Forgets the kustomization files read so far (an editor saw files change).
pub fn forget_cache() {
    crate::discover::forget_kustomizations();
}

/// The kustomization file of a directory (the first of
/// [`crate::discover::KUSTOMIZATION_NAMES`] that reads), read once per
/// directory until [`forget_cache`] (rules ask for every manifest of a
/// directory, many times; discovery asks for every YAML file): one cache
/// with discovery's.
fn kustomization_in(dir: &Path) -> Option<std::sync::Arc<str>> {
    crate::discover::kustomizations_in(dir).first().cloned()
}

/// `text` is a kustomization; `name` the manifest's file name. Read with
/// the same model as the run's kustomization files ([`kustomize::of`]).
pub fn from_text(text: &str, name: &str) -> Option<Kustomized> {
    let k = kustomize::of(&yaml::parse(text))?;
    if !k.lists(name) {
        return None;
    }
    Some(Kustomized {
        namespace: k.namespace.map(|n| n.text),
        selector_labels: k.selector_labels,
    })
}

/// The kustomizations of a run's manifests, read once per rule run: per
/// file, and the templates whose files have one.
pub struct KustomizeIndex {
    by_file: HashMap<FileId, Kustomized>,
    templates: Vec<usize>,
}

pub fn index(project: &Project, settings: &Settings, set: &ObjectSet<'_>) -> KustomizeIndex {
    let mut by_file = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for obj in &set.objects {
        if seen.insert(obj.file) {
            if let Some(k) = of(project.path(obj.file), settings) {
                by_file.insert(obj.file, k);
            }
        }
    }
    let templates = set
        .templates
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            set.object(t.object)
                .is_some_and(|o| by_file.contains_key(&o.file))
        })
        .map(|(i, _)| i)
        .collect();
    KustomizeIndex { by_file, templates }
}

/// Whether a selector that matches nothing as written matches a pod
/// template once kustomize has added its labels and namespaces. Only
/// templates that kustomize changes can newly match, unless the selector's
/// own file is kustomized (then every template of the namespace is tried).
pub fn selects_after_build(
    ix: &KustomizeIndex,
    set: &ObjectSet<'_>,
    file: FileId,
    namespace: &str,
    selector: &Selector,
) -> bool {
    let own = ix.by_file.get(&file);
    let mut wanted = selector.clone();
    let ns = match own {
        Some(k) => {
            for (key, value) in &k.selector_labels {
                if !wanted.match_labels.iter().any(|(k2, _)| k2 == key) {
                    wanted.match_labels.push((key.clone(), value.clone()));
                }
            }
            k.namespace.as_deref().unwrap_or(namespace)
        }
        None => namespace,
    };
    let all: Vec<usize>;
    let candidates: &[usize] = if own.is_some() {
        all = (0..set.templates.len()).collect();
        &all
    } else {
        &ix.templates
    };
    for &t in candidates {
        let Some(template) = set.templates.get(t) else {
            continue;
        };
        let Some(obj) = set.object(template.object) else {
            continue;
        };
        let theirs = ix.by_file.get(&obj.file);
        let their_ns = theirs
            .and_then(|k| k.namespace.as_deref())
            .unwrap_or_else(|| obj.namespace());
        if their_ns != ns {
            continue;
        }
        let mut labels: Vec<(&str, &str)> = template
            .selectable()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if let Some(k) = theirs {
            for (key, value) in &k.selector_labels {
                labels.retain(|(k2, _)| k2 != key);
                labels.push((key, value));
            }
        }
        if wanted.matches(&labels) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::from_text;

    #[test]
    fn reads_what_kustomize_adds() {
        let k = "namespace: ingress-nginx\ncommonLabels:\n  app.kubernetes.io/name: grafana\nresources:\n- ./deployment.yaml\n- service.yaml\n";
        let got = from_text(k, "deployment.yaml").expect("listed");
        assert_eq!(got.namespace.as_deref(), Some("ingress-nginx"));
        assert_eq!(
            got.selector_label("app.kubernetes.io/name"),
            Some("grafana")
        );
        assert!(from_text(k, "other.yaml").is_none());
        let labels = "resources: [d.yaml]\nlabels:\n- pairs: {app: a}\n  includeSelectors: true\n- pairs: {team: t}\n";
        let got = from_text(labels, "d.yaml").expect("listed");
        assert_eq!(
            got.selector_labels,
            vec![("app".to_owned(), "a".to_owned())]
        );
        assert!(from_text("resources: [d.yaml]\n", "d.yaml").is_some_and(|k| !k.adds_selectors()));
        assert!(from_text("- not a map\n", "d.yaml").is_none());
        assert!(from_text("", "d.yaml").is_none());
    }
}
