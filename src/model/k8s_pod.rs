//! Container details the reliability rules share: declared ports, probes,
//! resource requests and limits, each still pointing at its YAML node.

use crate::model::k8s::Container;
use crate::parse::yaml::{Entry, Node, Resolved, resolve};

/// A port reference as Kubernetes' IntOrString: a number or a port name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortRef<'a> {
    Number(i64),
    Name(&'a str),
}

impl<'a> PortRef<'a> {
    pub fn of(node: &'a Node) -> Option<Self> {
        match resolve(node) {
            Resolved::Int(n) => Some(PortRef::Number(n)),
            // A quoted "8080" is not a valid port name; read it as the number meant.
            Resolved::Str(s) => Some(match s.parse::<i64>() {
                Ok(n) => PortRef::Number(n),
                Err(_) => PortRef::Name(s),
            }),
            _ => None,
        }
    }
}

impl std::fmt::Display for PortRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(s) => f.write_str(s),
        }
    }
}

/// One entry of a container's `ports`.
#[derive(Clone, Copy, Debug)]
pub struct ContainerPort<'a> {
    pub number: Option<i64>,
    pub name: Option<&'a str>,
    /// `TCP` unless set.
    pub protocol: &'a str,
    pub node: &'a Node,
}

impl ContainerPort<'_> {
    pub fn matches(&self, port: PortRef<'_>) -> bool {
        match port {
            PortRef::Number(n) => self.number == Some(n),
            PortRef::Name(s) => self.name == Some(s),
        }
    }
}

pub fn ports<'a>(c: &Container<'a>) -> Vec<ContainerPort<'a>> {
    c.node
        .get("ports")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter(|p| p.is_map())
        .map(|node| ContainerPort {
            number: node.get("containerPort").and_then(Node::as_i64),
            name: node.str_at(&["name"]),
            protocol: node.str_at(&["protocol"]).unwrap_or("TCP"),
            node,
        })
        .collect()
}

/// The probe entry (`livenessProbe: ...`) when set and not null.
pub fn probe<'a>(c: &Container<'a>, field: &str) -> Option<&'a Entry> {
    c.node
        .entry(field)
        .filter(|e| !e.value.is_null() && e.value.is_map())
}

/// The handler of a probe or lifecycle hook: `httpGet`, `tcpSocket`, `grpc`,
/// `exec` or `sleep`, with its entry.
pub fn handler(probe: &Node) -> Option<&Entry> {
    ["httpGet", "tcpSocket", "grpc", "exec", "sleep"]
        .iter()
        .find_map(|k| probe.entry(k))
}

/// The port a probe handler connects to, with its node.
pub fn handler_port<'a>(handler: &'a Entry) -> Option<(PortRef<'a>, &'a Node)> {
    let key = handler.key.as_str()?;
    if !matches!(key, "httpGet" | "tcpSocket" | "grpc") {
        return None;
    }
    let node = handler.value.get("port")?;
    Some((PortRef::of(node)?, node))
}

/// `resources.<section>.<resource>` when set and not null.
pub fn resource<'a>(c: &Container<'a>, section: &str, name: &str) -> Option<&'a Node> {
    c.node
        .path(&["resources", section, name])
        .filter(|n| !n.is_null())
}

/// Whether the scheduler sees a request for `name`: an explicit request, or a
/// limit (the request then defaults to the limit).
pub fn has_request(c: &Container<'_>, name: &str) -> bool {
    resource(c, "requests", name).is_some() || resource(c, "limits", name).is_some()
}

/// The app containers (not init or ephemeral ones) of long-running
/// workloads: what probes and rollout rules look at.
pub fn serving_containers<'a>(
    objects: &[crate::model::k8s::Object<'a>],
) -> Vec<(crate::model::k8s::Object<'a>, Container<'a>)> {
    objects
        .iter()
        .filter(|o| o.is_long_running())
        .flat_map(|o| {
            o.containers()
                .into_iter()
                .filter(|c| c.kind == crate::model::k8s::ContainerKind::Main)
                .map(move |c| (*o, c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::k8s;
    use crate::parse::yaml;

    #[test]
    fn reads_ports_probes_and_resources() {
        let text = concat!(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n",
            "    - name: app\n",
            "      ports: [{containerPort: 8080, name: http}, {containerPort: 53, protocol: UDP}]\n",
            "      livenessProbe: {httpGet: {path: /, port: http}}\n",
            "      readinessProbe: {tcpSocket: {port: '8080'}}\n",
            "      startupProbe: ~\n",
            "      resources: {limits: {cpu: 1}, requests: {memory: ~}}\n",
        );
        let y = yaml::parse(text);
        let objs = k8s::objects(&y);
        let c = objs[0].containers()[0];
        let ps = ports(&c);
        assert_eq!(ps.len(), 2);
        assert!(ps[0].matches(PortRef::Number(8080)) && ps[0].matches(PortRef::Name("http")));
        assert_eq!(ps[1].protocol, "UDP");
        let live = probe(&c, "livenessProbe").unwrap();
        let (port, _) = handler_port(handler(&live.value).unwrap()).unwrap();
        assert_eq!(port, PortRef::Name("http"));
        let ready = probe(&c, "readinessProbe").unwrap();
        let (port, node) = handler_port(handler(&ready.value).unwrap()).unwrap();
        assert_eq!(port, PortRef::Number(8080));
        assert_eq!(&text[node.span.range()], "'8080'");
        assert!(probe(&c, "startupProbe").is_none());
        assert!(has_request(&c, "cpu"));
        assert!(!has_request(&c, "memory"));
    }
}
