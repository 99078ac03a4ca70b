//! K8S056: a container behind a Service without a `preStop` delay.

use crate::project::Project;
use crate::model::k8s::{self, Container, ContainerKind};
use crate::model::k8s_pod::{self, PortRef};
use crate::parse::yaml::Node;
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use std::collections::HashSet;

pub struct PrestopDelayMissing;

/// Whether the `preStop` hook waits before the stop signal: the `sleep`
/// action, an exec that sleeps, or an HTTP hook (which may wait; we cannot see).
fn delays(pre_stop: &Node) -> bool {
    if pre_stop.get("sleep").is_some() || pre_stop.get("httpGet").is_some() {
        return true;
    }
    pre_stop
        .path(&["exec", "command"])
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .any(|arg| {
            // `sleep 10`, ingress-nginx's `/wait-shutdown`, a `drain` script.
            arg.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|w| matches!(w, "sleep" | "wait" | "drain"))
        })
}

/// `strategy: Recreate`: the old pod is gone before a new one exists, so
/// there is no other endpoint to drain to and a delay only lengthens the gap.
fn no_overlap(root: &Node) -> bool {
    root.str_at(&["spec", "strategy", "type"]) == Some("Recreate")
}

/// `spec.replicas` (1 when absent, as the API defaults it; an HPA may change it).
fn replicas(root: &Node) -> i64 {
    root.path(&["spec", "replicas"])
        .and_then(Node::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// Database and cache servers: with a single replica, clients reconnect to
/// the same pod after the restart whatever the delay, and the server shuts
/// down cleanly on its own stop signal.
pub(crate) fn is_database(image: &str) -> bool {
    const DATABASES: [&str; 16] = [
        "mysql", "mariadb", "percona", "percona-server", "postgres", "postgresql", "postgis",
        "redis", "redis-stack-server", "valkey", "keydb", "mongo", "mongodb", "memcached",
        "mysql-server", "mongodb-community-server",
    ];
    let name = crate::model::image::short_name(image).to_ascii_lowercase();
    DATABASES.contains(&name.as_str())
        || ["mysql", "mariadb", "postgres", "redis", "mongo"]
            .iter()
            .any(|d| name.contains(d) && !name.contains("exporter"))
}

/// The containers a Service's ports reach; the only app container when no
/// declared port matches (ports are informational).
fn web_containers<'a>(spec: &'a Node, targets: &[PortRef<'_>]) -> Vec<Container<'a>> {
    let main: Vec<Container<'a>> = k8s::containers(spec)
        .into_iter()
        .filter(|c| c.kind == ContainerKind::Main)
        .collect();
    let hit: Vec<Container<'a>> = main
        .iter()
        .filter(|c| {
            k8s_pod::ports(c)
                .iter()
                .any(|p| targets.iter().any(|t| p.matches(*t)))
        })
        .copied()
        .collect();
    if hit.is_empty() && main.len() == 1 {
        main
    } else {
        hit
    }
}

impl Rule for PrestopDelayMissing {
    fn code(&self) -> &'static str {
        "K8S056"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        for (svc_index, targets, templates) in set.service_routes() {
            let Some(svc) = set.object(svc_index) else { continue };
            for t in templates {
                let Some(tpl) = set.templates.get(t) else { continue };
                let Some(obj) = set.object(tpl.object) else { continue };
                if !obj.obj.is_long_running() || no_overlap(obj.obj.root) {
                    continue;
                }
                for c in web_containers(tpl.spec, &targets) {
                    if is_database(c.node.str_at(&["image"]).unwrap_or(""))
                        && replicas(obj.obj.root) <= 1
                    {
                        continue;
                    }
                    // Report each container once, whichever Services select it.
                    if !seen.insert((tpl.object, c.node.span.start)) {
                        continue;
                    }
                    let pre_stop = c.node.path(&["lifecycle"]).and_then(|l| l.entry("preStop"));
                    if pre_stop.is_some_and(|e| delays(&e.value)) {
                        continue;
                    }
                    let (span, what) = match pre_stop {
                        Some(e) => (e.key.span, "its `preStop` hook does not wait"),
                        None => (c.anchor_span(), "it has no `preStop` hook"),
                    };
                    ctx.report_in(
                        obj.file,
                        span,
                        format!(
                            "Container `{}` of {} serves Service `{}` but {what}: in-flight requests can fail on every rollout",
                            c.name(),
                            obj.obj.display(),
                            svc.name().unwrap_or("<unnamed>")
                        ),
                    )
                    .label_text("no preStop delay")
                    .secondary(svc.file, svc.name_span(), "routes traffic to it");
                }
            }
        }
    }
}
