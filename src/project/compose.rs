//! Facts of a compose file: each service's image, build, command, ports,
//! volumes, environment names, healthcheck, dependencies and profiles, read
//! once per file with spans (Compose Specification, `services` top-level
//! element). Values are kept as written: `${VAR}` interpolation stays
//! symbolic, and a value that uses it is marked so rules can stay quiet.
//!
//! Environment values never enter the facts (only names and spans): the
//! rule that judges them reads the document.

use super::facts::Loc;
use crate::parse::yaml::{Node, NodeKind, YamlFile};
use crate::source::Span;

#[derive(Debug, Default)]
pub struct ComposeFacts {
    pub services: Vec<ComposeService>,
    /// The obsolete top-level `version` entry (key to value).
    pub version: Option<Span>,
}

#[derive(Debug, Default)]
pub struct ComposeService {
    pub name: String,
    /// The service's key.
    pub span: Span,
    pub image: Option<String>,
    pub image_span: Option<Span>,
    /// `build:` context (a string, or `build.context`), default `.`.
    pub build_context: Option<String>,
    pub dockerfile: Option<String>,
    /// `command` words: exec form as written, a string split like compose does (no shell).
    pub command: Option<Vec<String>>,
    pub command_span: Option<Span>,
    pub entrypoint: Option<Vec<String>>,
    /// `environment` variable names (map or `KEY=value` list form), with the entry's span.
    pub environment: Vec<Loc>,
    pub env_files: Vec<Loc>,
    pub ports: Vec<PortFact>,
    pub volumes: Vec<VolumeFact>,
    /// `privileged: true` (the value's span).
    pub privileged: Option<Span>,
    pub network_mode: Option<Loc>,
    pub restart: Option<Loc>,
    /// A `healthcheck` that is not disabled (the key's span).
    pub healthcheck: Option<Span>,
    /// `healthcheck: {disable: true}` or `test: ["NONE"]`.
    pub healthcheck_disabled: bool,
    pub depends_on: Vec<Dependency>,
    pub profiles: Vec<String>,
    pub secrets: Vec<String>,
    /// The service extends another one, which may set what this one does not.
    pub extends: bool,
    /// Other names the service's network resolves (lower-cased):
    /// `container_name`, `hostname`, `links` and `external_links` aliases,
    /// network `aliases`, `extra_hosts` names.
    pub host_names: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Dependency {
    pub service: Loc,
    /// `service_started` (the default), `service_healthy`, `service_completed_successfully`.
    pub condition: Option<Loc>,
}

/// One `ports` entry, short (`"127.0.0.1:5432:5432/tcp"`) or long syntax.
#[derive(Debug, Clone, Default)]
pub struct PortFact {
    pub span: Span,
    pub host_ip: Option<String>,
    pub published: Option<String>,
    pub target: String,
    /// The entry uses `${...}` interpolation: its parts are not known.
    pub interpolated: bool,
}

/// One `volumes` entry of a service, short (`./src:/app:ro`) or long syntax.
#[derive(Debug, Clone, Default)]
pub struct VolumeFact {
    pub span: Span,
    pub source: Option<String>,
    pub target: Option<String>,
}

pub fn extract(y: &YamlFile) -> ComposeFacts {
    let mut out = ComposeFacts::default();
    for doc in &y.documents {
        if let Some(v) = doc.root.entry("version") {
            out.version = Some(v.key.span.cover(v.value.span));
        }
        for e in doc
            .root
            .get("services")
            .map(Node::as_map)
            .unwrap_or_default()
        {
            let Some(name) = e.key.as_str() else { continue };
            out.services.push(service(name, e.key.span, &e.value));
        }
    }
    out
}

fn loc(node: &Node) -> Option<Loc> {
    node.as_str().map(|t| Loc {
        text: t.to_owned(),
        span: node.span,
    })
}

fn service(name: &str, span: Span, s: &Node) -> ComposeService {
    let build = s.get("build");
    let image = s.get("image").filter(|i| i.as_str().is_some());
    ComposeService {
        name: name.to_owned(),
        span,
        image: image.and_then(Node::as_str).map(str::to_owned),
        image_span: image.map(|i| i.span),
        build_context: build.and_then(|b| {
            b.as_str()
                .or_else(|| b.str_at(&["context"]))
                .or(Some("."))
                .map(str::to_owned)
        }),
        dockerfile: build
            .and_then(|b| b.str_at(&["dockerfile"]))
            .map(str::to_owned),
        command: s.get("command").and_then(words),
        command_span: s.get("command").map(|c| c.span),
        entrypoint: s.get("entrypoint").and_then(words),
        environment: environment_names(s.get("environment")),
        env_files: match s.get("env_file") {
            Some(n) if n.as_str().is_some() => loc(n).into_iter().collect(),
            Some(n) => n
                .as_seq()
                .iter()
                .filter_map(|i| loc(i).or_else(|| i.get("path").and_then(loc)))
                .collect(),
            None => Vec::new(),
        },
        ports: s
            .get("ports")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(port)
            .collect(),
        volumes: s
            .get("volumes")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .map(volume)
            .collect(),
        privileged: s.get("privileged").filter(|p| truthy(p)).map(|p| p.span),
        network_mode: s.get("network_mode").and_then(loc),
        restart: s.get("restart").and_then(loc),
        healthcheck: s
            .entry("healthcheck")
            .filter(|h| h.value.is_map() && !healthcheck_disabled(&h.value))
            .map(|h| h.key.span),
        healthcheck_disabled: s.get("healthcheck").is_some_and(healthcheck_disabled),
        depends_on: dependencies(s.get("depends_on")),
        profiles: strings(s.get("profiles")),
        secrets: s
            .get("secrets")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|i| i.as_str().or_else(|| i.str_at(&["source"])))
            .map(str::to_owned)
            .collect(),
        extends: s.get("extends").is_some(),
        host_names: host_names(s),
    }
}

/// See [`ComposeService::host_names`].
fn host_names(s: &Node) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        let name = name.trim().to_ascii_lowercase();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    };
    for key in ["container_name", "hostname"] {
        if let Some(v) = s.get(key).and_then(Node::as_str) {
            add(v);
        }
    }
    // `links: [db, "fpm:php"]`: the service, and the alias after `:`.
    for key in ["links", "external_links"] {
        for l in strings(s.get(key)) {
            l.split(':').for_each(&mut add);
        }
    }
    if let Some(nets) = s.get("networks") {
        if let NodeKind::Map(entries) = &nets.kind {
            for e in entries {
                strings(e.value.get("aliases")).iter().for_each(|a| add(a));
            }
        }
    }
    match s.get("extra_hosts").map(|h| &h.kind) {
        Some(NodeKind::Map(entries)) => {
            for e in entries {
                if let Some(k) = e.key.as_str() {
                    add(k);
                }
            }
        }
        Some(NodeKind::Seq(_)) => {
            for h in strings(s.get("extra_hosts")) {
                if let Some((name, _)) = h.split_once([':', '=']) {
                    add(name);
                }
            }
        }
        _ => {}
    }
    out
}

/// `true` as compose reads it (YAML booleans, or the strings `true`/`1`).
fn truthy(node: &Node) -> bool {
    node.as_bool() == Some(true)
        || node
            .as_str()
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

fn healthcheck_disabled(h: &Node) -> bool {
    h.get("disable").is_some_and(truthy)
        || h.get("test").is_some_and(|t| {
            t.as_str() == Some("NONE") || t.as_seq().first().and_then(Node::as_str) == Some("NONE")
        })
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .map(str::to_owned)
        .collect()
}

/// A command as compose runs it: a list as written; a string split into
/// words with shell quoting rules (compose does not start a shell).
fn words(node: &Node) -> Option<Vec<String>> {
    match &node.kind {
        NodeKind::Scalar(_) => node.as_str().map(split_words),
        NodeKind::Seq(items) => Some(
            items
                .iter()
                .map(|i| i.as_str().unwrap_or_default().to_owned())
                .collect(),
        ),
        NodeKind::Map(_) => None,
    }
}

/// Splits like a POSIX shell would, without expansion: quotes group words,
/// a backslash escapes the next character outside single quotes.
pub fn split_words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
                in_word = true;
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

fn environment_names(node: Option<&Node>) -> Vec<Loc> {
    let Some(node) = node else { return Vec::new() };
    match &node.kind {
        NodeKind::Map(entries) => entries
            .iter()
            .filter_map(|e| {
                e.key.as_str().map(|k| Loc {
                    text: k.to_owned(),
                    span: e.key.span,
                })
            })
            .collect(),
        NodeKind::Seq(items) => items
            .iter()
            .filter_map(|i| {
                let t = i.as_str()?;
                let name = t.split('=').next().unwrap_or(t).trim();
                Some(Loc {
                    text: name.to_owned(),
                    span: i.span,
                })
            })
            .collect(),
        NodeKind::Scalar(_) => Vec::new(),
    }
}

fn dependencies(node: Option<&Node>) -> Vec<Dependency> {
    let Some(node) = node else { return Vec::new() };
    match &node.kind {
        NodeKind::Seq(items) => items
            .iter()
            .filter_map(loc)
            .map(|service| Dependency {
                service,
                condition: None,
            })
            .collect(),
        NodeKind::Map(entries) => entries
            .iter()
            .filter_map(|e| {
                Some(Dependency {
                    service: loc(&e.key)?,
                    condition: e.value.get("condition").and_then(loc),
                })
            })
            .collect(),
        NodeKind::Scalar(_) => Vec::new(),
    }
}

/// `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, a bare number, or the long syntax.
fn port(node: &Node) -> Option<PortFact> {
    if node.is_map() {
        let s = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_owned);
        let target = s("target")?;
        let published = s("published");
        let host_ip = s("host_ip");
        let interpolated = [&Some(target.clone()), &published, &host_ip]
            .iter()
            .any(|v| v.as_deref().is_some_and(|v| v.contains('$')));
        return Some(PortFact {
            span: node.span,
            host_ip,
            published,
            target,
            interpolated,
        });
    }
    let text = node.as_str()?;
    let mut fact = PortFact {
        span: node.span,
        interpolated: text.contains('$'),
        ..PortFact::default()
    };
    let no_proto = text.split('/').next().unwrap_or(text);
    let (ip, rest) = match no_proto.strip_prefix('[') {
        // `[::1]:5432:5432`
        Some(v6) => match v6.split_once("]:") {
            Some((ip, rest)) => (Some(ip.to_owned()), rest),
            None => (None, no_proto),
        },
        None => (None, no_proto),
    };
    let parts: Vec<&str> = rest.split(':').collect();
    match (ip, parts.as_slice()) {
        (Some(ip), [published, target]) => {
            fact.host_ip = Some(ip);
            fact.published = Some((*published).to_owned());
            fact.target = (*target).to_owned();
        }
        (Some(ip), [target]) => {
            fact.host_ip = Some(ip);
            fact.target = (*target).to_owned();
        }
        (None, [target]) => fact.target = (*target).to_owned(),
        (None, [published, target]) => {
            fact.published = Some((*published).to_owned());
            fact.target = (*target).to_owned();
        }
        (None, [ip, published, target]) => {
            fact.host_ip = Some((*ip).to_owned());
            fact.published = Some((*published).to_owned());
            fact.target = (*target).to_owned();
        }
        _ => {
            // An IPv6 address written without brackets: the last two parts are the ports.
            let n = parts.len();
            if n < 3 {
                return None;
            }
            fact.host_ip = Some(parts[..n - 2].join(":"));
            fact.published = Some(parts[n - 2].to_owned());
            fact.target = parts[n - 1].to_owned();
        }
    }
    fact.published = fact.published.filter(|p| !p.is_empty());
    fact.host_ip = fact.host_ip.filter(|p| !p.is_empty());
    Some(fact)
}

fn volume(node: &Node) -> VolumeFact {
    if node.is_map() {
        return VolumeFact {
            span: node.span,
            source: node.str_at(&["source"]).map(str::to_owned),
            target: node.str_at(&["target"]).map(str::to_owned),
        };
    }
    let text = node.as_str().unwrap_or_default();
    let mut parts = text.splitn(3, ':');
    let first = parts.next().map(str::to_owned);
    let second = parts.next().map(str::to_owned);
    let (source, target) = match second {
        Some(t) => (first, Some(t)),
        None => (None, first),
    };
    VolumeFact {
        span: node.span,
        source,
        target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> ComposeFacts {
        extract(&crate::parse::yaml::parse(text))
    }

    #[test]
    fn reads_services() {
        let text = r#"
version: "3.8"
x-env: &env
  APP_ENV: local
services:
  app:
    build: {context: ., dockerfile: docker/Dockerfile}
    command: php artisan "queue:work" --tries=3
    environment:
      <<: *env
      DB_PASSWORD: secret
    ports: ["8080:80", "127.0.0.1:5432:5432/tcp", 9000, "[::1]:6379:6379"]
    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro, data:/data, /tmp/x]
    depends_on:
      db: {condition: service_healthy}
    privileged: true
  db:
    image: postgres:16
    healthcheck: {test: ["CMD", "pg_isready"]}
    depends_on: [cache]
"#;
        let f = facts(text);
        assert!(f.version.is_some());
        let app = &f.services[0];
        assert_eq!(app.dockerfile.as_deref(), Some("docker/Dockerfile"));
        assert_eq!(
            app.command.as_deref().unwrap(),
            ["php", "artisan", "queue:work", "--tries=3"]
        );
        let env: Vec<_> = app.environment.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(env, ["DB_PASSWORD", "APP_ENV"]);
        let p = &app.ports;
        assert_eq!(
            (
                p[0].host_ip.as_deref(),
                p[0].published.as_deref(),
                p[0].target.as_str()
            ),
            (None, Some("8080"), "80")
        );
        assert_eq!(p[1].host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(
            (p[2].published.as_deref(), p[2].target.as_str()),
            (None, "9000")
        );
        assert_eq!(p[3].host_ip.as_deref(), Some("::1"));
        assert_eq!(
            app.volumes[0].source.as_deref(),
            Some("/var/run/docker.sock")
        );
        assert_eq!(app.volumes[2].source, None);
        assert_eq!(
            app.depends_on[0].condition.as_ref().unwrap().text,
            "service_healthy"
        );
        assert!(app.privileged.is_some());
        let db = &f.services[1];
        assert!(db.healthcheck.is_some());
        assert_eq!(db.depends_on[0].service.text, "cache");
        assert!(db.depends_on[0].condition.is_none());
    }

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words(r#"sh -c 'a && b' "x y" z\ w"#),
            ["sh", "-c", "a && b", "x y", "z w"]
        );
        assert!(split_words("   ").is_empty());
    }
}
