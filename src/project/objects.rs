//! The Kubernetes objects of all files of one run, as one set that rules can
//! relate: Service -> pod templates, PDB -> pod templates, HPA -> workload.
//!
//! Built once per run from the owned facts (no parsed document is needed),
//! in O(objects): objects are indexed by namespace/kind/name, and pod
//! templates by namespace and by each label pair, so a selector with
//! `matchLabels` only visits the templates carrying its rarest pair instead
//! of every template of the namespace.

use super::facts::{FileFacts, HpaFacts, ObjectFacts, PodFacts, PortRefFact, Relation};
use crate::diagnostic::FileId;
use crate::model::k8s_set::{DEFAULT_NAMESPACE, Selector};
use crate::source::Span;
use crate::source::hash::FastMap;
use std::sync::{Arc, Mutex};

/// An object and the file it came from.
#[derive(Clone, Copy, Debug)]
pub struct Located<'a> {
    pub file: FileId,
    pub obj: &'a ObjectFacts,
}

impl<'a> Located<'a> {
    pub fn namespace(&self) -> &'a str {
        self.obj.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE)
    }

    pub fn name(&self) -> Option<&'a str> {
        self.obj.name.as_deref()
    }

    pub fn kind(&self) -> &'a str {
        &self.obj.kind
    }

    /// Where to point at the object as a whole: its `metadata.name` value,
    /// else its `kind`.
    pub fn name_span(&self) -> Span {
        self.obj.name_span
    }

    /// `Kind/name`, for messages.
    pub fn display(&self) -> String {
        self.obj.display()
    }

    /// Jobs and CronJobs run to completion; the rest are long-running.
    pub fn is_long_running(&self) -> bool {
        !matches!(self.kind(), "Job" | "CronJob")
    }

    /// `spec.replicas` of a scalable workload: its span when set, and the
    /// value Kubernetes uses (1 when unset). `None` for kinds without replicas.
    pub fn replicas(&self) -> Option<(Option<Span>, i64)> {
        if !matches!(
            self.kind(),
            "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" | "Rollout"
        ) {
            return None;
        }
        Some((self.obj.replicas_span, self.obj.replicas.unwrap_or(1)))
    }

    pub fn hpa(&self) -> Option<&'a HpaFacts> {
        match &self.obj.relation {
            Relation::Hpa(h) => Some(h),
            _ => None,
        }
    }
}

/// The pod template of a workload (or a bare Pod).
#[derive(Clone, Copy, Debug)]
pub struct Template<'a> {
    /// Index into [`ObjectSet::objects`].
    pub object: usize,
    pub pod: &'a PodFacts,
}

impl<'a> Template<'a> {
    /// The labels as selectors see them.
    pub fn selectable(&self) -> &'a [(String, String)] {
        &self.pod.selectable
    }

    pub fn label(&self, key: &str) -> Option<&'a str> {
        self.selectable()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `app=web, tier=front`, for messages.
    pub fn labels_text(&self) -> String {
        self.selectable()
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
    by_name: FastMap<(&'a str, &'a str, &'a str), usize>,
    by_kind: FastMap<&'a str, Vec<usize>>,
    /// Template index by object index.
    template_of: FastMap<usize, usize>,
    templates_by_ns: FastMap<&'a str, Vec<usize>>,
    templates_by_label: FastMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// (first, later) object indices sharing namespace, kind and name.
    duplicates: Vec<(usize, usize)>,
    /// HPA indices by the (namespace, kind, name) of their scale target.
    hpa_by_target: FastMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// [`ObjectSet::closest`]'s rankings, by namespace and selector keys.
    #[allow(clippy::type_complexity)]
    by_keys: Mutex<FastMap<(&'a str, Vec<String>), Arc<Vec<(usize, usize)>>>>,
}

impl<'a> ObjectSet<'a> {
    /// Every object of the run's Kubernetes files (facts indexed by file).
    pub fn of_facts(facts: &'a [FileFacts]) -> Self {
        let mut set = ObjectSet::default();
        for (file, f) in facts.iter().enumerate() {
            for obj in f.kubernetes().map_or(&[][..], |k| k.objects.as_slice()) {
                set.push(Located { file, obj });
            }
        }
        set
    }

    fn push(&mut self, located: Located<'a>) {
        let index = self.objects.len();
        let ns = located.namespace();
        let kind = located.kind();
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
        if let (Relation::Hpa(_), Some((tk, tn))) =
            (&located.obj.relation, &located.obj.scale_target)
        {
            self.hpa_by_target
                .entry((ns, tk.as_str(), tn.as_str()))
                .or_default()
                .push(index);
        }
        if let Some(pod) = &located.obj.pod {
            let t = self.templates.len();
            for (k, v) in &pod.selectable {
                self.templates_by_label
                    .entry((ns, k.as_str(), v.as_str()))
                    .or_default()
                    .push(t);
            }
            self.templates_by_ns.entry(ns).or_default().push(t);
            self.template_of.insert(index, t);
            self.templates.push(Template { object: index, pod });
        }
        self.objects.push(located);
    }

    /// Every Service with a selector: its object index, the ports it sends
    /// traffic to (`targetPort`, else `port`), and the templates it selects.
    pub fn service_routes(&self) -> Vec<(usize, Vec<&'a PortRefFact>, Vec<usize>)> {
        let mut out = Vec::new();
        for (i, svc) in self.of_kind("Service") {
            let Relation::Service(s) = &svc.obj.relation else {
                continue;
            };
            let Some((selector, _)) = &s.selector else {
                continue;
            };
            let targets = s.ports.iter().map(|p| &p.target).collect();
            out.push((i, targets, self.matching(svc.namespace(), selector)));
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
    pub fn matching_elsewhere(&self, namespace: &str, selector: &Selector) -> Option<usize> {
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
    pub fn matching(&self, namespace: &str, selector: &Selector) -> Vec<usize> {
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
                        .get(&(namespace, k.as_str(), v.as_str()))
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
                    .is_some_and(|tpl| selector.matches(tpl.selectable()))
            })
            .collect()
    }

    /// The template in `namespace` sharing the most `matchLabels` pairs with
    /// the selector (for "did you mean" labels on a selector matching nothing):
    /// two points per pair it has, one per selector key it carries; the first
    /// template on a tie. Templates sharing a pair come from the label index;
    /// the best of the others is the first of a ranking by keys carried,
    /// built once per namespace and key list (a scan of the namespace per
    /// reported selector was quadratic in the number of apps).
    pub fn closest(&self, namespace: &str, selector: &Selector) -> Option<usize> {
        let (&ns, all) = self.templates_by_ns.get_key_value(namespace)?;
        let carried = |t: usize| {
            self.templates.get(t).map_or(0, |tpl| {
                selector
                    .match_labels
                    .iter()
                    .filter(|(k, _)| tpl.label(k).is_some())
                    .count()
            })
        };
        let shared = |t: usize| {
            self.templates.get(t).map_or(0, |tpl| {
                selector
                    .match_labels
                    .iter()
                    .filter(|(k, v)| tpl.label(k) == Some(v.as_str()))
                    .count()
            })
        };
        let mut sharing: Vec<usize> = selector
            .match_labels
            .iter()
            .filter_map(|(k, v)| self.templates_by_label.get(&(ns, k.as_str(), v.as_str())))
            .flatten()
            .copied()
            .collect();
        sharing.sort_unstable();
        sharing.dedup();
        let mut best: Option<(usize, usize)> = None;
        let mut consider = |score: usize, t: usize| {
            if best.is_none_or(|(s, b)| score > s || score == s && t < b) {
                best = Some((score, t));
            }
        };
        for &t in &sharing {
            consider(shared(t) * 2 + carried(t), t);
        }
        let keys: Vec<String> = selector
            .match_labels
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        let ranking = {
            let mut cache = self
                .by_keys
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(cache.entry((ns, keys)).or_insert_with(|| {
                let mut r: Vec<(usize, usize)> = all
                    .iter()
                    .map(|&t| (carried(t), t))
                    .filter(|(q, _)| *q > 0)
                    .collect();
                r.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                Arc::new(r)
            }))
        };
        if let Some(&(q, t)) = ranking
            .iter()
            .find(|(_, t)| sharing.binary_search(t).is_err())
        {
            consider(q, t);
        }
        best.map(|(_, t)| t)
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
            .get(&(target.namespace(), target.kind(), name))
            .map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    fn facts_of(texts: &[&str]) -> Vec<FileFacts> {
        texts
            .iter()
            .map(|t| FileFacts::Kubernetes(super::super::facts::kubernetes(&yaml::parse(t))))
            .collect()
    }

    fn sel(text: &str) -> Selector {
        Selector::from_map(&yaml::parse(text).documents[0].root).unwrap()
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
        let facts = facts_of(&FILES);
        let set = ObjectSet::of_facts(&facts);
        assert_eq!(set.objects.len(), 4);
        assert_eq!(set.templates.len(), 2);

        let web = set.find("default", "Deployment", "web").unwrap();
        assert_eq!(set.objects[web].file, 0);
        assert!(set.find("default", "Deployment", "worker").is_none());
        assert!(set.find("jobs", "Deployment", "worker").is_some());

        let svc = set.find("default", "Service", "web").unwrap();
        assert_eq!(set.objects[svc].file, 1);
        let routes = set.service_routes();
        assert_eq!(routes.len(), 1);
        // `version: 2` (an int) and `version: '2'` (a string) are the same label.
        let hits = set.matching("default", &sel("{app: shop, version: '2'}\n"));
        assert_eq!(hits, routes[0].2);
        assert_eq!(hits.len(), 1);
        assert_eq!(set.templates[hits[0]].object, web);
        assert!(
            set.matching("jobs", &sel("{app: shop, version: '2'}\n"))
                .is_empty()
        );

        assert_eq!(set.autoscalers_of(web).len(), 1);
        assert_eq!(set.objects[web].replicas().map(|(_, n)| n), Some(3));
        assert!(set.has_templates_in("jobs"));
        assert!(!set.has_templates_in("other"));
    }

    #[test]
    fn closest_template_for_a_mistyped_selector() {
        let facts = facts_of(&FILES);
        let set = ObjectSet::of_facts(&facts);
        let s = sel("{app: shop, tier: wbe}\n");
        assert!(set.matching("default", &s).is_empty());
        let t = set.closest("default", &s).unwrap();
        assert_eq!(
            set.templates[t].labels_text(),
            "app=shop, tier=web, version=2"
        );
    }

    /// The ranking gives what scoring every template of the namespace gives.
    #[test]
    fn closest_agrees_with_a_scan_of_the_namespace() {
        let scan = |set: &ObjectSet, ns: &str, s: &Selector| {
            set.templates_by_ns
                .get(ns)?
                .iter()
                .copied()
                .filter_map(|t| {
                    let tpl = set.templates.get(t)?;
                    let score = s
                        .match_labels
                        .iter()
                        .filter(|(k, v)| tpl.label(k) == Some(v.as_str()))
                        .count();
                    let keys = s
                        .match_labels
                        .iter()
                        .filter(|(k, _)| tpl.label(k).is_some())
                        .count();
                    (keys > 0).then_some((score * 2 + keys, t))
                })
                .max_by_key(|(score, t)| (*score, std::cmp::Reverse(*t)))
                .map(|(_, t)| t)
        };
        // Templates with labels from a small alphabet, so that scores tie,
        // pairs are shared and keys are carried without their value.
        let mut text = String::new();
        let mut seed = 7u32;
        let mut next = |n: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) % n
        };
        for i in 0..60 {
            let mut labels: Vec<String> = Vec::new();
            for k in ["app", "tier", "track", "zone"] {
                if next(3) > 0 {
                    labels.push(format!("{k}: v{}", next(3)));
                }
            }
            text += &format!(
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{i}, namespace: n{}}}\nspec:\n  template:\n    metadata:\n      labels: {{{}}}\n    spec:\n      containers: [{{name: php, image: a}}]\n",
                next(2),
                labels.join(", ")
            );
        }
        let facts = facts_of(&[text.as_str()]);
        let set = ObjectSet::of_facts(&facts);
        assert!(set.templates.len() > 50, "{}", set.templates.len());
        let mut compared = 0;
        for _ in 0..400 {
            let mut pairs: Vec<String> = Vec::new();
            for k in ["app", "tier", "track", "zone", "other"] {
                if next(2) > 0 {
                    pairs.push(format!("{k}: v{}", next(4)));
                }
            }
            if pairs.is_empty() {
                continue;
            }
            let s = sel(&format!("{{{}}}\n", pairs.join(", ")));
            for ns in ["n0", "n1", "n2"] {
                assert_eq!(set.closest(ns, &s), scan(&set, ns, &s), "{pairs:?} in {ns}");
                compared += 1;
            }
        }
        assert!(compared > 500);
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
        let facts = facts_of(&[&text]);
        let set = ObjectSet::of_facts(&facts);
        assert_eq!(
            set.matching("default", &sel("{app: a2999, tier: web}\n"))
                .len(),
            1
        );
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
        // (The run dropped its documents after the file rules: parse again.)
        let facts: Vec<FileFacts> = r
            .files
            .iter()
            .map(|f| {
                let (doc, _) =
                    crate::parse::parse(&f.source, crate::source::FileKind::Kubernetes, f.id);
                let y = doc.as_yaml().expect("a manifest");
                FileFacts::Kubernetes(super::super::facts::kubernetes(y))
            })
            .collect();
        let set = ObjectSet::of_facts(&facts);
        let mut related = 0;
        for (_, o) in set.of_kind("Service") {
            let Relation::Service(s) = &o.obj.relation else {
                panic!()
            };
            let (sel, _) = s.selector.as_ref().unwrap();
            assert_eq!(set.matching(o.namespace(), sel).len(), 1, "{}", o.display());
            related += 1;
        }
        for (_, o) in set.of_kind("PodDisruptionBudget") {
            let Relation::Pdb(Some((_, Some(sel)))) = &o.obj.relation else {
                panic!()
            };
            assert_eq!(set.matching(o.namespace(), sel).len(), 1, "{}", o.display());
            related += 1;
        }
        for (_, h) in set.of_kind("HorizontalPodAutoscaler") {
            let (kind, name) = h.obj.scale_target.as_ref().unwrap();
            let target = set.find(h.namespace(), kind, name).unwrap();
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
