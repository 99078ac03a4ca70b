//! Label selectors over owned labels, as Kubernetes evaluates them, and the
//! label maps they select on. The run-wide object set that relates objects
//! (Service -> pod templates, PDB -> pod templates, HPA -> workload) is built
//! from the facts: `project::objects`.

use crate::model::k8s::Object;
use crate::parse::yaml::Node;

/// A manifest without `metadata.namespace` is applied to the current
/// namespace; we assume all such manifests share one, called `default`.
pub const DEFAULT_NAMESPACE: &str = "default";

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
/// booleans keep their source text, as they would after quoting; a null
/// value is empty.
pub fn selector_pairs(node: &Node) -> Vec<(String, String)> {
    node.as_map()
        .iter()
        .filter_map(|e| {
            let k = e.key.as_scalar()?.value.as_str();
            let v = e.value.as_scalar()?.value.as_str();
            Some((
                k.to_owned(),
                if e.value.is_null() { "" } else { v }.to_owned(),
            ))
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
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
}

/// A label selector: `matchLabels` pairs and `matchExpressions`, all ANDed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub match_labels: Vec<(String, String)>,
    pub expressions: Vec<Requirement>,
    /// A null selector, or one we cannot evaluate, selects nothing.
    nothing: bool,
}

impl Selector {
    /// A Service's `spec.selector`: plain equality on every pair. `None` for
    /// a missing or empty one (a Service without selector has its endpoints
    /// managed elsewhere).
    pub fn from_map(node: &Node) -> Option<Self> {
        let match_labels = selector_pairs(node);
        (!match_labels.is_empty()).then(|| Selector {
            match_labels,
            ..Selector::default()
        })
    }

    /// A `metav1.LabelSelector`. `None` when an operator is unknown or the
    /// node is not a map (schema validation reports those).
    pub fn from_label_selector(node: &Node) -> Option<Self> {
        if !node.is_map() {
            return None;
        }
        let match_labels = node
            .get("matchLabels")
            .map(selector_pairs)
            .unwrap_or_default();
        let mut expressions = Vec::new();
        for e in node
            .get("matchExpressions")
            .map(Node::as_seq)
            .unwrap_or_default()
        {
            let key = e.str_at(&["key"])?.to_owned();
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
                .filter_map(|v| v.as_scalar().map(|s| s.value.to_string()))
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

    pub fn matches<K: AsRef<str>, V: AsRef<str>>(&self, labels: &[(K, V)]) -> bool {
        if self.nothing {
            return false;
        }
        let get = |key: &str| {
            labels
                .iter()
                .find(|(k, _)| k.as_ref() == key)
                .map(|(_, v)| v.as_ref())
        };
        let has = |values: &[String], v: &str| values.iter().any(|x| x == v);
        self.match_labels
            .iter()
            .all(|(k, v)| get(k) == Some(v.as_str()))
            && self.expressions.iter().all(|r| match r.operator {
                Operator::In => get(&r.key).is_some_and(|v| has(&r.values, v)),
                Operator::NotIn => get(&r.key).is_none_or(|v| !has(&r.values, v)),
                Operator::Exists => get(&r.key).is_some(),
                Operator::DoesNotExist => get(&r.key).is_none(),
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
                Operator::Exists => r.key.clone(),
                Operator::DoesNotExist => format!("!{}", r.key),
            });
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    #[test]
    fn label_selector_operators() {
        let y = yaml::parse(concat!(
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
        let y = yaml::parse("matchExpressions: [{key: a, operator: Maybe}]\n");
        assert!(Selector::from_label_selector(&y.documents[0].root).is_none());
        let y = yaml::parse("{}\n");
        let s = Selector::from_label_selector(&y.documents[0].root).unwrap();
        assert!(s.is_empty() && s.matches(&[("any", "thing")]));
        assert!(Selector::from_map(&y.documents[0].root).is_none());
        assert!(!Selector::nothing().matches::<&str, &str>(&[]));
    }

    #[test]
    fn numbers_and_nulls_keep_their_text() {
        let y = yaml::parse("{version: 2, on: true, empty: ~}\n");
        assert_eq!(
            selector_pairs(&y.documents[0].root),
            [("version", "2"), ("on", "true"), ("empty", "")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }
}
