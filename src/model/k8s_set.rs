//! The Kubernetes objects of all files of one run, as one set that rules can
//! relate: Service -> pod templates, PDB -> pod templates, HPA -> workload.
//!
//! Built once per project rule in O(objects): objects are indexed by
//! namespace/kind/name, and pod templates by namespace and by each label
//! pair, so a selector with `matchLabels` only visits the templates carrying
//! its rarest pair instead of every template of the namespace.

use crate::diagnostic::FileId;
use crate::model::k8s::{self, Object};
use crate::model::k8s_pod::PortRef;
use crate::parse::ParsedFile;
use crate::parse::yaml::{Node, YamlFile};
use crate::source::{FileKind, Span};
use std::collections::HashMap;

/// A manifest without `metadata.namespace` is applied to the current
/// namespace; we assume all such manifests share one, called `default`.
pub const DEFAULT_NAMESPACE: &str = "default";

/// An object and the file it came from.
#[derive(Clone, Copy, Debug)]
pub struct Located<'a> {
    pub file: FileId,
    pub obj: Object<'a>,
}

impl<'a> Located<'a> {
    pub fn namespace(&self) -> &'a str {
        self.obj.namespace().unwrap_or(DEFAULT_NAMESPACE)
    }

    pub fn name(&self) -> Option<&'a str> {
        self.obj.name()
    }

    /// Where to point at the object as a whole: its `metadata.name` value,
    /// else its `kind`.
    pub fn name_span(&self) -> Span {
        self.obj
            .root
            .path(&["metadata", "name"])
            .map_or_else(|| self.obj.anchor_span(), |n| n.span)
    }
}

/// The pod template of a workload (or a bare Pod), with its labels.
#[derive(Clone, Debug)]
pub struct Template<'a> {
    /// Index into [`ObjectSet::objects`].
    pub object: usize,
    pub spec: &'a Node,
    /// The `labels` map node, when present.
    pub labels_node: Option<&'a Node>,
    pub labels: Vec<(&'a str, &'a str)>,
}

impl<'a> Template<'a> {
    pub fn label(&self, key: &str) -> Option<&'a str> {
        self.labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// `app=web, tier=front`, for messages.
    pub fn labels_text(&self) -> String {
        self.labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Default)]
pub struct ObjectSet<'a> {
    pub objects: Vec<Located<'a>>,
    pub templates: Vec<Template<'a>>,
    by_name: HashMap<(&'a str, &'a str, &'a str), usize>,
    by_kind: HashMap<&'a str, Vec<usize>>,
    /// Template index by object index.
    template_of: HashMap<usize, usize>,
    templates_by_ns: HashMap<&'a str, Vec<usize>>,
    templates_by_label: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// (first, later) object indices sharing namespace, kind and name.
    duplicates: Vec<(usize, usize)>,
    /// HPA indices by the (namespace, kind, name) of their scale target.
    hpa_by_target: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
}

impl<'a> ObjectSet<'a> {
    /// Every object of the run's Kubernetes files.
    pub fn of_files(files: &'a [ParsedFile]) -> Self {
        Self::new(
            files
                .iter()
                .filter(|f| f.kind() == Some(FileKind::Kubernetes))
                .filter_map(|f| f.document.as_yaml().map(|y| (f.id, y))),
        )
    }

    pub fn new(files: impl IntoIterator<Item = (FileId, &'a YamlFile)>) -> Self {
        let mut set = ObjectSet::default();
        for (file, yaml) in files {
            for obj in k8s::objects(yaml) {
                set.push(Located { file, obj });
            }
        }
        set
    }

    fn push(&mut self, located: Located<'a>) {
        let index = self.objects.len();
        let ns = located.namespace();
        let kind = located.obj.kind;
        if let Some(name) = located.name() {
            // Relations use the first definition; K8S057 reports the others.
            match self.by_name.entry((ns, kind, name)) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    self.duplicates.push((*first.get(), index));
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(index);
                }
            }
        }
        self.by_kind.entry(kind).or_default().push(index);
        if kind == "HorizontalPodAutoscaler" {
            if let Some(t) = ScaleTarget::of(&located) {
                self.hpa_by_target
                    .entry((ns, t.kind, t.name))
                    .or_default()
                    .push(index);
            }
        }
        if let Some(spec) = located.obj.pod_spec() {
            let labels_node = template_metadata(&located.obj).and_then(|m| m.get("labels"));
            let labels = labels_node.map(string_pairs).unwrap_or_default();
            let t = self.templates.len();
            for (k, v) in &labels {
                self.templates_by_label
                    .entry((ns, k, v))
                    .or_default()
                    .push(t);
            }
            self.templates_by_ns.entry(ns).or_default().push(t);
            self.template_of.insert(index, t);
            self.templates.push(Template {
                object: index,
                spec,
                labels_node,
                labels,
            });
        }
        self.objects.push(located);
    }

    /// Every Service with a selector: its object index, the ports it sends
    /// traffic to (`targetPort`, else `port`), and the templates it selects.
    pub fn service_routes(&self) -> Vec<(usize, Vec<PortRef<'a>>, Vec<usize>)> {
        let mut out = Vec::new();
        for (i, svc) in self.of_kind("Service") {
            let Some(selector) = svc
                .obj
                .root
                .path(&["spec", "selector"])
                .and_then(Selector::from_map)
            else {
                continue;
            };
            let targets: Vec<PortRef<'a>> = svc
                .obj
                .root
                .path(&["spec", "ports"])
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.get("targetPort").or_else(|| p.get("port")))
                .filter_map(PortRef::of)
                .collect();
            out.push((i, targets, self.matching(svc.namespace(), &selector)));
        }
        out
    }

    /// Objects of one kind, in run order.
    pub fn of_kind(&self, kind: &str) -> impl Iterator<Item = (usize, &Located<'a>)> {
        self.by_kind
            .get(kind)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.objects.get(i).map(|o| (i, o)))
    }

    /// Objects defined more than once: (first, later) index pairs.
    pub fn duplicates(&self) -> &[(usize, usize)] {
        &self.duplicates
    }

    pub fn find(&self, namespace: &str, kind: &str, name: &str) -> Option<usize> {
        self.by_name.get(&(namespace, kind, name)).copied()
    }

    /// Index into [`ObjectSet::templates`] of the object's pod template.
    pub fn template_index(&self, object: usize) -> Option<usize> {
        self.template_of.get(&object).copied()
    }

    pub fn template_of(&self, object: usize) -> Option<&Template<'a>> {
        self.template_of
            .get(&object)
            .and_then(|&t| self.templates.get(t))
    }

    pub fn object(&self, index: usize) -> Option<&Located<'a>> {
        self.objects.get(index)
    }

    /// Whether the namespace holds any pod template (else a selector that
    /// matches nothing may just select pods defined outside this run).
    pub fn has_templates_in(&self, namespace: &str) -> bool {
        self.templates_by_ns
            .get(namespace)
            .is_some_and(|v| !v.is_empty())
    }

    /// The first template of another namespace the selector matches (a
    /// selector right but in the wrong namespace).
    pub fn matching_elsewhere(&self, namespace: &str, selector: &Selector<'_>) -> Option<usize> {
        let mut others: Vec<&str> = self
            .templates_by_ns
            .keys()
            .copied()
            .filter(|ns| *ns != namespace)
            .collect();
        others.sort_unstable();
        others
            .into_iter()
            .find_map(|ns| self.matching(ns, selector).first().copied())
    }

    /// Indices of the templates in `namespace` the selector matches.
    pub fn matching(&self, namespace: &str, selector: &Selector<'_>) -> Vec<usize> {
        if selector.matches_nothing() {
            return Vec::new();
        }
        let candidates: &[usize] = if selector.match_labels.is_empty() {
            self.templates_by_ns
                .get(namespace)
                .map_or(&[][..], Vec::as_slice)
        } else {
            // The rarest pair bounds the work; the others are checked below.
            selector
                .match_labels
                .iter()
                .map(|(k, v)| {
                    self.templates_by_label
                        .get(&(namespace, *k, *v))
                        .map_or(&[][..], Vec::as_slice)
                })
                .min_by_key(|c| c.len())
                .unwrap_or(&[])
        };
        candidates
            .iter()
            .copied()
            .filter(|&t| {
                self.templates
                    .get(t)
                    .is_some_and(|tpl| selector.matches(&tpl.labels))
            })
            .collect()
    }

    /// The template in `namespace` sharing the most `matchLabels` pairs with
    /// the selector (for "did you mean" labels on a selector matching nothing).
    pub fn closest(&self, namespace: &str, selector: &Selector<'_>) -> Option<usize> {
        let all = self.templates_by_ns.get(namespace)?;
        all.iter()
            .copied()
            .filter_map(|t| {
                let tpl = self.templates.get(t)?;
                let score = selector
                    .match_labels
                    .iter()
                    .filter(|(k, v)| tpl.label(k) == Some(v))
                    .count();
                let keys = selector
                    .match_labels
                    .iter()
                    .filter(|(k, _)| tpl.label(k).is_some())
                    .count();
                (keys > 0).then_some((score * 2 + keys, t))
            })
            .max_by_key(|(score, t)| (*score, std::cmp::Reverse(*t)))
            .map(|(_, t)| t)
    }

    /// HorizontalPodAutoscalers whose `scaleTargetRef` names this object.
    pub fn autoscalers_of(&self, object: usize) -> &[usize] {
        let Some(target) = self.objects.get(object) else {
            return &[];
        };
        let Some(name) = target.name() else {
            return &[];
        };
        self.hpa_by_target
            .get(&(target.namespace(), target.obj.kind, name))
            .map_or(&[], Vec::as_slice)
    }
}

/// The `metadata` of a workload's pod template (the object's own for a Pod).
pub fn template_metadata<'a>(obj: &Object<'a>) -> Option<&'a Node> {
    let path: &[&str] = match obj.kind {
        "Pod" => &["metadata"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "metadata"],
        _ => &["spec", "template", "metadata"],
    };
    obj.root.path(path)
}

/// A map of scalar keys and values (labels, Service selectors). Numbers and
/// booleans keep their source text, as they would after quoting.
fn string_pairs(node: &Node) -> Vec<(&str, &str)> {
    node.as_map()
        .iter()
        .filter_map(|e| {
            let k = e.key.as_scalar()?.value.as_str();
            let v = e.value.as_scalar()?.value.as_str();
            Some((k, if e.value.is_null() { "" } else { v }))
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement<'a> {
    pub key: &'a str,
    pub operator: Operator,
    pub values: Vec<&'a str>,
}

/// A label selector: `matchLabels` pairs and `matchExpressions`, all ANDed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector<'a> {
    pub match_labels: Vec<(&'a str, &'a str)>,
    pub expressions: Vec<Requirement<'a>>,
    /// A null selector, or one we cannot evaluate, selects nothing.
    nothing: bool,
}

impl<'a> Selector<'a> {
    /// A Service's `spec.selector`: plain equality on every pair. `None` for
    /// a missing or empty one (a Service without selector has its endpoints
    /// managed elsewhere).
    pub fn from_map(node: &'a Node) -> Option<Self> {
        let match_labels = string_pairs(node);
        (!match_labels.is_empty()).then(|| Selector {
            match_labels,
            ..Selector::default()
        })
    }

    /// A `metav1.LabelSelector`. `None` when an operator is unknown or the
    /// node is not a map (schema validation reports those).
    pub fn from_label_selector(node: &'a Node) -> Option<Self> {
        if !node.is_map() {
            return None;
        }
        let match_labels = node
            .get("matchLabels")
            .map(string_pairs)
            .unwrap_or_default();
        let mut expressions = Vec::new();
        for e in node
            .get("matchExpressions")
            .map(Node::as_seq)
            .unwrap_or_default()
        {
            let key = e.str_at(&["key"])?;
            let operator = match e.str_at(&["operator"])? {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                _ => return None,
            };
            let values = e
                .get("values")
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v.as_scalar().map(|s| s.value.as_str()))
                .collect();
            expressions.push(Requirement {
                key,
                operator,
                values,
            });
        }
        Some(Selector {
            match_labels,
            expressions,
            nothing: false,
        })
    }

    pub fn nothing() -> Self {
        Selector {
            nothing: true,
            ..Selector::default()
        }
    }

    pub fn matches_nothing(&self) -> bool {
        self.nothing
    }

    /// An empty selector selects every pod of the namespace.
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.match_labels.is_empty() && self.expressions.is_empty()
    }

    pub fn matches(&self, labels: &[(&str, &str)]) -> bool {
        if self.nothing {
            return false;
        }
        let get = |key: &str| labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        self.match_labels.iter().all(|(k, v)| get(k) == Some(v))
            && self.expressions.iter().all(|r| match r.operator {
                Operator::In => get(r.key).is_some_and(|v| r.values.contains(&v)),
                Operator::NotIn => get(r.key).is_none_or(|v| !r.values.contains(&v)),
                Operator::Exists => get(r.key).is_some(),
                Operator::DoesNotExist => get(r.key).is_none(),
            })
    }

    /// `app=web, tier in (a, b)`, for messages.
    pub fn text(&self) -> String {
        let mut parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for r in &self.expressions {
            parts.push(match r.operator {
                Operator::In => format!("{} in ({})", r.key, r.values.join(", ")),
                Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(", ")),
                Operator::Exists => r.key.to_owned(),
                Operator::DoesNotExist => format!("!{}", r.key),
            });
        }
        parts.join(", ")
    }
}

/// An HPA's `spec.scaleTargetRef`.
#[derive(Clone, Copy, Debug)]
pub struct ScaleTarget<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    /// The `scaleTargetRef` value node.
    pub node: &'a Node,
}

impl<'a> ScaleTarget<'a> {
    pub fn of(hpa: &Located<'a>) -> Option<Self> {
        let node = hpa.obj.root.path(&["spec", "scaleTargetRef"])?;
        Some(ScaleTarget {
            kind: node.str_at(&["kind"])?,
            name: node.str_at(&["name"])?,
            node,
        })
    }
}

/// An HPA's `spec.minReplicas` (its node, and the value used: 1 when unset)
/// and `spec.maxReplicas`.
pub fn hpa_bounds<'a>(hpa: &Object<'a>) -> (Option<&'a Node>, i64, Option<i64>) {
    let min = hpa
        .root
        .path(&["spec", "minReplicas"])
        .filter(|n| !n.is_null());
    let max = hpa
        .root
        .path(&["spec", "maxReplicas"])
        .and_then(Node::as_i64);
    (min, min.and_then(Node::as_i64).unwrap_or(1), max)
}

/// `spec.replicas` of a scalable workload: its node when set, and the value
/// Kubernetes uses (1 when unset). `None` for kinds without replicas.
pub fn replicas<'a>(obj: &Object<'a>) -> Option<(Option<&'a Node>, i64)> {
    if !matches!(
        obj.kind,
        "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" | "Rollout"
    ) {
        return None;
    }
    let node = obj
        .root
        .path(&["spec", "replicas"])
        .filter(|n| !n.is_null());
    Some((node, node.and_then(Node::as_i64).unwrap_or(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    fn sel(text: &str) -> (yaml::YamlFile, String) {
        (yaml::parse(text), text.to_owned())
    }

    #[test]
    fn label_selector_operators() {
        let (y, _) = sel(concat!(
            "matchLabels: {app: web}\n",
            "matchExpressions:\n",
            "  - {key: tier, operator: In, values: [front, edge]}\n",
            "  - {key: canary, operator: DoesNotExist}\n",
            "  - {key: track, operator: NotIn, values: [beta]}\n",
            "  - {key: team, operator: Exists}\n",
        ));
        let s = Selector::from_label_selector(&y.documents[0].root).unwrap();
        assert!(s.matches(&[("app", "web"), ("tier", "edge"), ("team", "a")]));
        assert!(s.matches(&[
            ("app", "web"),
            ("tier", "front"),
            ("team", "a"),
            ("track", "stable")
        ]));
        assert!(!s.matches(&[("app", "web"), ("tier", "back"), ("team", "a")]));
        assert!(!s.matches(&[("app", "web"), ("tier", "edge")]), "Exists");
        assert!(
            !s.matches(&[
                ("app", "web"),
                ("tier", "edge"),
                ("team", "a"),
                ("canary", "1")
            ]),
            "DoesNotExist"
        );
        assert!(
            !s.matches(&[
                ("app", "web"),
                ("tier", "edge"),
                ("team", "a"),
                ("track", "beta")
            ]),
            "NotIn"
        );
        assert!(!s.matches(&[("app", "api"), ("tier", "edge"), ("team", "a")]));
        assert_eq!(
            s.text(),
            "app=web, tier in (front, edge), !canary, track notin (beta), team"
        );
    }

    #[test]
    fn unknown_operator_and_empty_selectors() {
        let (y, _) = sel("matchExpressions: [{key: a, operator: Maybe}]\n");
        assert!(Selector::from_label_selector(&y.documents[0].root).is_none());
        let (y, _) = sel("{}\n");
        let s = Selector::from_label_selector(&y.documents[0].root).unwrap();
        assert!(s.is_empty() && s.matches(&[("any", "thing")]));
        assert!(Selector::from_map(&y.documents[0].root).is_none());
        assert!(!Selector::nothing().matches(&[]));
    }

    const FILES: [&str; 2] = [
        concat!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
            "spec:\n  replicas: 3\n  template:\n    metadata:\n      labels: {app: shop, tier: web, version: 2}\n",
            "    spec:\n      containers: [{name: php, image: a}]\n",
            "---\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker, namespace: jobs}\n",
            "spec:\n  template:\n    metadata:\n      labels: {app: shop, tier: worker}\n",
            "    spec:\n      containers: [{name: php, image: a}]\n",
        ),
        concat!(
            "apiVersion: v1\nkind: List\nitems:\n",
            "  - apiVersion: v1\n    kind: Service\n    metadata: {name: web, namespace: default}\n",
            "    spec: {selector: {app: shop, version: '2'}}\n",
            "  - apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata: {name: web}\n",
            "    spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}\n",
        ),
    ];

    #[test]
    fn relates_objects_across_files_by_namespace() {
        let parsed: Vec<_> = FILES.iter().map(|t| yaml::parse(t)).collect();
        let set = ObjectSet::new(parsed.iter().enumerate());
        assert_eq!(set.objects.len(), 4);
        assert_eq!(set.templates.len(), 2);

        let web = set.find("default", "Deployment", "web").unwrap();
        assert_eq!(set.objects[web].file, 0);
        assert!(set.find("default", "Deployment", "worker").is_none());
        assert!(set.find("jobs", "Deployment", "worker").is_some());

        let svc = set.find("default", "Service", "web").unwrap();
        assert_eq!(set.objects[svc].file, 1);
        let node = set.objects[svc]
            .obj
            .root
            .path(&["spec", "selector"])
            .unwrap();
        let s = Selector::from_map(node).unwrap();
        // `version: 2` (an int) and `version: '2'` (a string) are the same label.
        let hits = set.matching("default", &s);
        assert_eq!(hits.len(), 1);
        assert_eq!(set.templates[hits[0]].object, web);
        assert!(set.matching("jobs", &s).is_empty());

        assert_eq!(set.autoscalers_of(web).len(), 1);
        assert_eq!(
            replicas(&set.objects[web].obj).map(|(_, n)| n),
            Some(3),
            "replicas"
        );
        assert!(set.has_templates_in("jobs"));
        assert!(!set.has_templates_in("other"));
    }

    #[test]
    fn closest_template_for_a_mistyped_selector() {
        let parsed: Vec<_> = FILES.iter().map(|t| yaml::parse(t)).collect();
        let set = ObjectSet::new(parsed.iter().enumerate());
        let (y, _) = sel("{app: shop, tier: wbe}\n");
        let s = Selector::from_map(&y.documents[0].root).unwrap();
        assert!(set.matching("default", &s).is_empty());
        let t = set.closest("default", &s).unwrap();
        assert_eq!(
            set.templates[t].labels_text(),
            "app=shop, tier=web, version=2"
        );
    }

    #[test]
    fn many_templates_are_indexed_not_scanned() {
        let text: String = (0..3000)
            .map(|i| {
                format!(
                    "apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, labels: {{app: a{i}, tier: web}}}}\nspec: {{containers: []}}\n---\n"
                )
            })
            .collect();
        let y = yaml::parse(&text);
        let set = ObjectSet::new([(0, &y)]);
        let (s, _) = sel("{app: a2999, tier: web}\n");
        let s = Selector::from_map(&s.documents[0].root).unwrap();
        assert_eq!(set.matching("default", &s).len(), 1);
    }

    /// The seeds (fixtures/k8s/) linted as one run: relations resolve across
    /// files, and only the findings the seeds keep on purpose remain.
    #[test]
    fn seeds_relate_across_files_and_stay_mostly_clean() {
        use crate::config::Config;
        use crate::engine::{Input, LintOptions};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/k8s");
        let config = Config::with_defaults(root.clone());
        let dirs = ["eks-tracker", "fpm", "swoole"].map(|d| root.join(d));
        let (found, errors) = crate::discover::walk(&dirs, &config);
        assert!(errors.is_empty());
        assert_eq!(found.len(), 10);
        let opts = LintOptions {
            select: vec!["K8S04".into(), "K8S05".into()],
            ..LintOptions::default()
        };
        let r = crate::lint(found.into_iter().map(Input::from).collect(), &config, &opts);
        let got: Vec<String> = r
            .diagnostics
            .iter()
            .map(|d| {
                let path = &r.files[d.file].source.path;
                let short = path.rsplit("k8s/").next().unwrap_or(path);
                format!("{} {short}", d.code)
            })
            .collect();
        // One /health (SELECT 1) for liveness and readiness, as in the seeds;
        // no CPU limits (K8S045 is info, by choice).
        assert_eq!(
            got,
            [
                "K8S045 eks-tracker/web.yaml",
                "K8S042 eks-tracker/web.yaml",
                "K8S045 eks-tracker/worker.yaml",
                "K8S045 fpm/deployment.yaml",
                "K8S045 fpm/deployment.yaml",
                "K8S042 fpm/deployment.yaml",
                "K8S045 swoole/deployment.yaml",
                "K8S042 swoole/deployment.yaml",
            ]
        );
        // And the quiet is earned: every relation resolves to another file.
        let set = ObjectSet::new(
            r.files
                .iter()
                .filter_map(|f| f.document.as_yaml().map(|y| (f.id, y))),
        );
        let mut related = 0;
        for (_, o) in set
            .of_kind("Service")
            .chain(set.of_kind("PodDisruptionBudget"))
        {
            let sel = o.obj.root.path(&["spec", "selector"]).unwrap();
            let sel = Selector::from_map(sel)
                .filter(|_| o.obj.kind == "Service")
                .or_else(|| Selector::from_label_selector(sel))
                .unwrap();
            assert_eq!(
                set.matching(o.namespace(), &sel).len(),
                1,
                "{}",
                o.obj.display()
            );
            related += 1;
        }
        for (_, h) in set.of_kind("HorizontalPodAutoscaler") {
            let t = ScaleTarget::of(h).unwrap();
            let target = set.find(h.namespace(), t.kind, t.name).unwrap();
            assert_eq!(set.autoscalers_of(target).len(), 1);
            related += 1;
        }
        assert_eq!(related, 3 + 4 + 3);
    }

    /// Wrong shapes everywhere: no rule of this pack panics (the engine
    /// would turn a panic into E006) or reports outside the text.
    #[test]
    fn odd_shapes_do_not_crash_the_reliability_rules() {
        use crate::config::Config;
        use crate::engine::LintOptions;
        let text = concat!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: [x]\nspec: [1, 2]\n---\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n",
            "spec:\n  replicas: many\n  strategy: {rollingUpdate: {maxUnavailable: '%'}}\n",
            "  template:\n    metadata: {labels: [a, b]}\n",
            "    spec:\n      containers:\n        - x\n        - name: [n]\n          ports: 80\n",
            "          livenessProbe: {httpGet: {port: {a: 1}}}\n          readinessProbe: [1]\n",
            "          resources: {requests: cpu, limits: [1]}\n",
            "          lifecycle: {preStop: {exec: {command: sleep}}}\n",
            "        - name: c\n          livenessProbe: {exec: {command: [a]}}\n",
            "          readinessProbe: {exec: {command: [a]}}\n          ports: [{containerPort: x}]\n---\n",
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n",
            "spec: {selector: {'': ~}, ports: [{targetPort: [1]}, 7, {port: http}]}\n---\n",
            "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n",
            "spec: {selector: {matchExpressions: [{key: a, operator: In, values: 3}]}}\n---\n",
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n",
            "spec: {scaleTargetRef: {kind: Deployment, name: d}, minReplicas: x,",
            " metrics: [{type: Resource, resource: {name: [cpu], target: 1}}, 5]}\n---\n",
            "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: h2}\n",
            "spec: 3\n---\napiVersion: v1\nkind: List\nitems: {a: 1}\n",
        );
        let opts = LintOptions {
            select: vec!["K8S04".into(), "K8S05".into()],
            ..LintOptions::default()
        };
        let config = Config::with_defaults(".".into());
        let r = crate::lint_text("odd.yaml", text, &config, &opts);
        for d in &r.diagnostics {
            assert!(d.code.starts_with("K8S0"), "{d:?}");
            assert!(
                d.span.end <= text.len() && !d.message.ends_with('.'),
                "{d:?}"
            );
        }
        assert!(!r.diagnostics.is_empty());
    }
}
