//! Kubernetes objects, pod specs and containers over the located YAML tree.

use crate::parse::yaml::{Node, YamlFile};
use crate::source::Span;

/// One Kubernetes object (a document, or an item of a `kind: List`).
#[derive(Clone, Copy, Debug)]
pub struct Object<'a> {
    /// 0-based index of the YAML document it came from.
    pub doc: usize,
    pub root: &'a Node,
    pub api_version: &'a str,
    pub kind: &'a str,
}

impl<'a> Object<'a> {
    pub fn name(&self) -> Option<&'a str> {
        self.root.str_at(&["metadata", "name"])
    }

    pub fn namespace(&self) -> Option<&'a str> {
        self.root.str_at(&["metadata", "namespace"])
    }

    /// `Kind/name`, for messages.
    pub fn display(&self) -> String {
        format!("{}/{}", self.kind, self.name().unwrap_or("<unnamed>"))
    }

    /// A span to point at when a field is missing: the object's `kind` value.
    pub fn anchor_span(&self) -> Span {
        self.root.get("kind").map_or(self.root.span, |n| n.span)
    }

    /// The pod spec of workload kinds (Pod, Deployment, ..., CronJob).
    pub fn pod_spec(&self) -> Option<&'a Node> {
        let path: &[&str] = match self.kind {
            "Pod" => &["spec"],
            "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job"
            | "Rollout"
            | "DeploymentConfig" => &["spec", "template", "spec"],
            "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
            _ => return None,
        };
        self.root.path(path).filter(|n| n.is_map())
    }

    /// Jobs and CronJobs run to completion; the rest are long-running.
    pub fn is_long_running(&self) -> bool {
        !matches!(self.kind, "Job" | "CronJob")
    }

    pub fn containers(&self) -> Vec<Container<'a>> {
        self.pod_spec().map(containers).unwrap_or_default()
    }
}

/// The objects of a YAML file: documents with `apiVersion` and `kind`, with
/// `kind: List` expanded into its items.
pub fn objects(file: &YamlFile) -> Vec<Object<'_>> {
    let mut out = Vec::new();
    for doc in &file.documents {
        push_object(doc.index, &doc.root, &mut out);
    }
    out
}

fn push_object<'a>(doc: usize, root: &'a Node, out: &mut Vec<Object<'a>>) {
    let (Some(api_version), Some(kind)) = (root.str_at(&["apiVersion"]), root.str_at(&["kind"]))
    else {
        return;
    };
    if kind == "List" || kind.ends_with("List") && root.get("items").is_some() {
        for item in root.get("items").map(Node::as_seq).unwrap_or_default() {
            push_object(doc, item, out);
        }
        return;
    }
    out.push(Object {
        doc,
        root,
        api_version,
        kind,
    });
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Main,
    Init,
    Ephemeral,
}

#[derive(Clone, Copy, Debug)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub kind: ContainerKind,
}

impl<'a> Container<'a> {
    pub fn name(&self) -> &'a str {
        self.node.str_at(&["name"]).unwrap_or("<unnamed>")
    }

    /// Where to point when a field of this container is missing: its `name`.
    pub fn anchor_span(&self) -> Span {
        self.node
            .entry("name")
            .map_or(self.node.span, |e| e.key.span.cover(e.value.span))
    }
}

pub fn containers(pod_spec: &Node) -> Vec<Container<'_>> {
    let mut out = Vec::new();
    for (field, kind) in [
        ("initContainers", ContainerKind::Init),
        ("containers", ContainerKind::Main),
        ("ephemeralContainers", ContainerKind::Ephemeral),
    ] {
        for node in pod_spec.get(field).map(Node::as_seq).unwrap_or_default() {
            if node.is_map() {
                out.push(Container { node, kind });
            }
        }
    }
    out
}
