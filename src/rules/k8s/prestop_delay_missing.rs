//! K8S056: a container behind a Service without a `preStop` delay.

use crate::project::Project;
use crate::project::facts::{ContainerFacts, PodFacts, PortRefFact, PreStopFact, Role};
use crate::rules::{Context, Rule};
use crate::source::FileKind;
use std::collections::HashSet;

pub struct PrestopDelayMissing;

/// Whether the `preStop` hook waits before the stop signal: the `sleep`
/// action, an exec that sleeps, or an HTTP hook (which may wait; we cannot see).
fn delays(pre_stop: &PreStopFact) -> bool {
    if pre_stop.sleep || pre_stop.http_get {
        return true;
    }
    pre_stop.exec.iter().any(|arg| {
        // `sleep 10`, ingress-nginx's `/wait-shutdown`, a `drain` script.
        arg.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| matches!(w, "sleep" | "wait" | "drain"))
    })
}

/// Database and cache servers: with a single replica, clients reconnect to
/// the same pod after the restart whatever the delay, and the server shuts
/// down cleanly on its own stop signal.
pub(crate) fn is_database(image: &str) -> bool {
    const DATABASES: [&str; 16] = [
        "mysql",
        "mariadb",
        "percona",
        "percona-server",
        "postgres",
        "postgresql",
        "postgis",
        "redis",
        "redis-stack-server",
        "valkey",
        "keydb",
        "mongo",
        "mongodb",
        "memcached",
        "mysql-server",
        "mongodb-community-server",
    ];
    let name = crate::model::image::short_name(image).to_ascii_lowercase();
    DATABASES.contains(&name.as_str())
        || ["mysql", "mariadb", "postgres", "redis", "mongo"]
            .iter()
            .any(|d| name.contains(d) && !name.contains("exporter"))
}

/// The containers a Service's ports reach (by index in the pod); the only
/// app container when no declared port matches (ports are informational).
fn web_containers(pod: &PodFacts, targets: &[&PortRefFact]) -> Vec<usize> {
    let main: Vec<(usize, &ContainerFacts)> = pod
        .containers
        .iter()
        .enumerate()
        .filter(|(_, c)| c.role == Role::Main)
        .collect();
    let hit: Vec<usize> = main
        .iter()
        .filter(|(_, c)| c.ports.iter().any(|p| targets.iter().any(|t| p.matches(t))))
        .map(|(i, _)| *i)
        .collect();
    if hit.is_empty() && main.len() == 1 {
        main.iter().map(|(i, _)| *i).collect()
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

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        for (svc_index, targets, templates) in set.service_routes() {
            let Some(svc) = set.object(svc_index) else {
                continue;
            };
            for t in templates {
                let Some(tpl) = set.templates.get(t) else {
                    continue;
                };
                let Some(obj) = set.object(tpl.object) else {
                    continue;
                };
                // `strategy: Recreate`: the old pod is gone before a new one
                // exists, so there is no other endpoint to drain to and a
                // delay only lengthens the gap.
                let no_overlap = obj
                    .obj
                    .strategy
                    .as_ref()
                    .is_some_and(|s| s.kind.as_deref() == Some("Recreate"));
                if !obj.is_long_running() || no_overlap {
                    continue;
                }
                for i in web_containers(tpl.pod, &targets) {
                    let Some(c) = tpl.pod.containers.get(i) else {
                        continue;
                    };
                    // `spec.replicas` is 1 when absent (an HPA may change it).
                    if is_database(c.image.as_ref().map_or("", |l| l.text.as_str()))
                        && obj.obj.replicas_text.unwrap_or(1) <= 1
                    {
                        continue;
                    }
                    // Report each container once, whichever Services select it.
                    if !seen.insert((tpl.object, i)) {
                        continue;
                    }
                    if c.pre_stop.as_ref().is_some_and(delays) {
                        continue;
                    }
                    let (span, what) = match &c.pre_stop {
                        Some(p) => (p.span, "its `preStop` hook does not wait"),
                        None => (c.span, "it has no `preStop` hook"),
                    };
                    ctx.report_in(
                        obj.file,
                        span,
                        format!(
                            "Container `{}` of {} serves Service `{}` but {what}: in-flight requests can fail on every rollout",
                            c.name,
                            obj.display(),
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
