//! Lookups shared by the security rules (K8S010–K8S039): container and pod
//! `securityContext` fields, where to point when a field is missing, and the
//! containers those rules inspect.

use crate::model::k8s::{Container, ContainerKind, Object};
use crate::parse::yaml::{Entry, Node};
use crate::source::Span;

/// Main and init containers. Ephemeral (debug) containers are exempt: they
/// are attached by `kubectl debug`, never written in a manifest on purpose.
pub fn checked_containers<'a>(obj: &Object<'a>) -> Vec<Container<'a>> {
    obj.containers()
        .into_iter()
        .filter(|c| c.kind != ContainerKind::Ephemeral)
        .collect()
}

/// The container's `securityContext` entry.
pub fn container_sc<'a>(c: &Container<'a>) -> Option<&'a Entry> {
    c.node.entry("securityContext")
}

/// A field of the container's `securityContext`.
pub fn sc_field<'a>(c: &Container<'a>, field: &str) -> Option<&'a Entry> {
    container_sc(c)?.value.entry(field)
}

/// A field of the pod's `securityContext`.
pub fn pod_sc_field<'a>(pod_spec: &'a Node, field: &str) -> Option<&'a Entry> {
    pod_spec.get("securityContext")?.entry(field)
}

/// A field the pod-level `securityContext` provides as a default for every
/// container (`runAsUser`, `runAsNonRoot`, `seccompProfile`, ...): the
/// container's value wins when set, else the pod's.
pub fn inherited<'a>(c: &Container<'a>, pod_spec: &'a Node, field: &str) -> Option<&'a Entry> {
    sc_field(c, field)
        .filter(|e| !e.value.is_null())
        .or_else(|| pod_sc_field(pod_spec, field).filter(|e| !e.value.is_null()))
}

/// Where to point when a container's security setting is missing: its
/// `securityContext` key when it has one, else its `name`.
pub fn missing_span(c: &Container) -> Span {
    container_sc(c).map_or_else(|| c.anchor_span(), |e| e.key.span)
}

/// `Container `x` of Kind/name` (or `Init container ...`), for messages.
pub fn describe(c: &Container, obj: &Object) -> String {
    let what = match c.kind {
        ContainerKind::Init => "Init container",
        _ => "Container",
    };
    format!("{what} `{}` of {}", c.name(), obj.display())
}

/// The entry whose value is the object's pod spec (the `spec` key under
/// `template`, or the Pod's own `spec`), to point at pod-level omissions.
pub fn pod_spec_entry<'a>(obj: &Object<'a>) -> Option<&'a Entry> {
    obj.pod_spec()?;
    let parent: &[&str] = match obj.kind {
        "Pod" => &[],
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        _ => &["spec", "template"],
    };
    obj.root.path(parent)?.entry("spec")
}

/// Where to point for something missing at the pod level: the pod
/// `securityContext` key, else the pod spec's key, else the object's kind.
pub fn pod_missing_span(obj: &Object) -> Span {
    let pod = pod_spec_entry(obj);
    pod.and_then(|p| p.value.entry("securityContext"))
        .or(pod)
        .map_or_else(|| obj.anchor_span(), |e| e.key.span)
}

/// A capability name normalised for comparison: upper case, no `CAP_` prefix.
pub fn capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or(upper.clone(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::k8s;
    use crate::parse::yaml;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsUser: 1000\n  containers:\n    - name: a\n      securityContext:\n        runAsUser: 0\n    - name: b\n  ephemeralContainers:\n    - name: dbg\n";

    #[test]
    fn container_overrides_pod() {
        let f = yaml::parse(POD);
        let objs = k8s::objects(&f);
        let obj = objs[0];
        let pod = obj.pod_spec().unwrap();
        let cs = checked_containers(&obj);
        assert_eq!(cs.len(), 2, "ephemeral containers are exempt");
        let a = inherited(&cs[0], pod, "runAsUser").unwrap();
        assert_eq!(a.value.as_i64(), Some(0));
        let b = inherited(&cs[1], pod, "runAsUser").unwrap();
        assert_eq!(b.value.as_i64(), Some(1000));
        assert_eq!(&POD[missing_span(&cs[1]).range()], "name: b");
        assert_eq!(&POD[pod_missing_span(&obj).range()], "securityContext");
    }

    #[test]
    fn capability_names() {
        assert_eq!(capability("cap_net_raw"), "NET_RAW");
        assert_eq!(capability(" All "), "ALL");
    }

    /// Wrong shapes (scalars for lists, lists for maps, nulls) never crash a
    /// rule: the engine would turn a panic into E006.
    #[test]
    fn odd_shapes_do_not_crash_the_security_rules() {
        let docs = [
            "apiVersion: v1\nkind: Pod\nspec:\n  containers: oops\n",
            "apiVersion: v1\nkind: Pod\nspec:\n  securityContext: [1]\n  volumes: {a: 1}\n  containers:\n    - 3\n    - name: [x]\n      securityContext: [privileged]\n      env: {A: b}\n      ports: 80\n    - securityContext:\n        capabilities: {add: NET_RAW, drop: {ALL: 1}}\n        seccompProfile: Unconfined\n        procMount: [x]\n      env: [1, {name: DB_PASSWORD}, {name: X, value: [1]}]\n      ports: [1, {hostPort: x}]\n",
            "apiVersion: v1\nkind: ConfigMap\ndata: [1, 2]\n---\napiVersion: v1\nkind: Secret\ndata: x\nstringData: {a: [1]}\n---\napiVersion: v1\nkind: List\nitems: 3\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {annotations: {deploylint.io/ignore: [1]}}\nspec: {template: {spec: null}}\n",
        ];
        let config = crate::config::Config::with_defaults(std::path::PathBuf::from("."));
        let opts = crate::engine::LintOptions {
            select: vec!["K8S0".into()],
            ..Default::default()
        };
        for text in docs {
            let r = crate::lint_text("odd.yaml", text, &config, &opts);
            let crashed: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "E006").collect();
            assert!(crashed.is_empty(), "{text}: {crashed:?}");
        }
    }
}
