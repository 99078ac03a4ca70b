//! X014: a probe (or a Service's `targetPort`) sent to a port Octane does
//! not listen on.
//!
//! Octane listens on `--port` (else `config/octane.php`'s `port`, else
//! `OCTANE_PORT`, else 8000). Under RoadRunner the `.rr.yaml` adds its
//! `status.address` (the `/health?plugin=http` endpoint), `metrics.address`
//! and `rpc.listen`, and Octane's RPC port (`--rpc-port`, else port - 1999);
//! under FrankenPHP the admin port (`--admin-port`, else 2019). Named ports
//! resolve through the container's `ports`. Where a port cannot be known
//! (a variable, a custom Caddyfile, HTTPS, another container of the pod
//! declaring it) the rule stays quiet.

use super::env::{ConfigMaps, configmaps, env_value, image_env};
use super::php_runtime::rr_config;
use crate::diagnostic::FileId;
use crate::project::Deployed;
use crate::project::Project;
use crate::project::facts::{Handler, PortRefFact, Relation, Role, address_port};
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct ProbePortNotOctane;

/// A port the Octane container listens on: the port, what it is, and
/// where it is configured (a `.rr.yaml` address).
type Listener = (i64, String, Option<(FileId, Span)>);

/// Octane's HTTP port for the container and how it was decided; `None` when
/// it cannot be known.
pub(super) fn octane_port(
    project: &Project,
    cms: &ConfigMaps<'_>,
    dep: &Deployed,
    octane_sets_port: bool,
) -> Option<(i64, String)> {
    let p = &dep.node.process;
    if let Some(v) = p.flag("--port") {
        return v.trim().parse().ok().map(|n| (n, "`--port`".to_owned()));
    }
    if octane_sets_port {
        return None;
    }
    let env = image_env(project, dep.node);
    match env_value(
        cms,
        dep.workload,
        dep.object,
        dep.container,
        &env,
        "OCTANE_PORT",
    ) {
        Some((v, _)) => v
            .trim()
            .parse()
            .ok()
            .map(|n| (n, "`OCTANE_PORT`".to_owned())),
        // Set but not resolvable (a Secret, a missing ConfigMap).
        None if dep.container.env.iter().any(|e| e.name == "OCTANE_PORT") => None,
        None => Some((8000, "Octane's default".to_owned())),
    }
}

impl Rule for ProbePortNotOctane {
    fn code(&self) -> &'static str {
        "X014"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::Kubernetes,
            FileKind::Dockerfile,
            FileKind::Octane,
            FileKind::RoadRunner,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let octane: Vec<_> = project
            .of_kind(FileKind::Octane)
            .filter_map(|f| project.facts_of(f.id).octane())
            .collect();
        let octane_sets_port = octane
            .iter()
            .any(|o| o.keys.iter().any(|k| k.text == "port"));
        let configured_server = super::php_runtime::configured_octane_server(project);
        let has_rr_files = project.of_kind(FileKind::RoadRunner).next().is_some();
        let cms = configmaps(project);
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            let p = &node.process;
            if c.role != Role::Main || p.kind != ProcessKind::Octane || node.process_guess {
                continue;
            }
            let server = super::php_runtime::octane_server_of(p, &configured_server);
            let Some((port, port_from)) = octane_port(project, &cms, &dep, octane_sets_port) else {
                continue;
            };
            let mut allowed: Vec<Listener> =
                vec![(port, format!("Octane's HTTP port ({port_from})"), None)];
            match server.as_deref() {
                Some("swoole") => {}
                Some("roadrunner") => {
                    let rpc = match p.flag("--rpc-port") {
                        Some(v) => match v.trim().parse() {
                            Ok(n) => n,
                            Err(_) => continue,
                        },
                        None => port - 1999,
                    };
                    allowed.push((rpc, "RoadRunner's RPC port".to_owned(), None));
                    match rr_config(project, p, node.dockerfile.as_ref().map(|l| l.to)) {
                        Some((id, rr)) => {
                            for (what, l) in rr
                                .status_address
                                .iter()
                                .map(|l| ("`status.address`", l))
                                .chain(rr.other_addresses.iter().map(|l| ("a listener", l)))
                            {
                                match address_port(&l.text) {
                                    Some(n) => {
                                        allowed.push((n, what.to_owned(), Some((id, l.span))))
                                    }
                                    None => continue,
                                }
                            }
                        }
                        // A config that cannot be tied to the process may
                        // add a status port.
                        None if has_rr_files => continue,
                        None => {}
                    }
                }
                Some("frankenphp") => {
                    if p.flag("--caddyfile").is_some()
                        || p.has_flag(&["--https", "--http-redirect"])
                    {
                        continue;
                    }
                    let admin = match p.flag("--admin-port") {
                        Some(v) => match v.trim().parse() {
                            Ok(n) => n,
                            Err(_) => continue,
                        },
                        None => 2019,
                    };
                    allowed.push((admin, "FrankenPHP's admin port".to_owned(), None));
                }
                _ => continue,
            }
            // Ports another container of the pod declares are its own.
            let others: Vec<i64> = dep
                .pod
                .containers
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != node.index)
                .flat_map(|(_, o)| o.ports.iter().filter_map(|p| p.number))
                .collect();
            let resolve = |r: &PortRefFact| -> Option<(i64, Option<String>)> {
                match r {
                    PortRefFact::Number(n) => Some((*n, None)),
                    PortRefFact::Name(name) => c
                        .ports
                        .iter()
                        .find(|p| p.name.as_deref() == Some(name))
                        .and_then(|p| p.number)
                        .map(|n| (n, Some(name.clone()))),
                }
            };
            let server_name = server.as_deref().unwrap_or("");
            let listen_label = |d: &mut crate::diagnostic::Diagnostic| {
                if c.command_span.is_none() && p.flag("--port").is_some() {
                    if let Some(l) = &node.dockerfile {
                        if let Some(s) = project
                            .facts_of(l.to)
                            .dockerfile()
                            .and_then(|f| f.runtime_span)
                        {
                            d.secondary(l.to, s, format!("Octane listens on {port}"));
                        }
                    }
                }
                for (_, what, at) in &allowed {
                    if let Some((file, span)) = at {
                        d.secondary(*file, *span, format!("{what} of RoadRunner"));
                    }
                }
            };
            let ports_text = {
                let mut v: Vec<String> = allowed
                    .iter()
                    .filter(|(n, _, _)| *n != port)
                    .map(|(n, _, _)| n.to_string())
                    .collect();
                v.dedup();
                v.join(", ")
            };
            for probe in &c.probes {
                let r = match &probe.handler {
                    Handler::Http { port: Some(r), .. } | Handler::Tcp { port: Some(r) } => r,
                    _ => continue,
                };
                let Some((n, name)) = resolve(r) else {
                    continue;
                };
                if allowed.iter().any(|(a, _, _)| *a == n) || others.contains(&n) {
                    continue;
                }
                let shown = match &name {
                    Some(name) => format!("port `{name}` ({n})"),
                    None => format!("port {n}"),
                };
                let d = ctx.report_in(
                    dep.file(),
                    probe.port_span.unwrap_or(probe.handler_span),
                    format!(
                        "The {} of container `{}` of {} checks {shown}, but Octane ({server_name}) listens on {port} ({port_from}){}: the probe always fails",
                        probe.field,
                        c.name,
                        dep.object.display(),
                        if allowed.len() > 1 { format!(", and nothing else of it on {n}") } else { String::new() },
                    ),
                );
                d.label_text("no Octane listener here").hint(format!(
                    "Point the probe at port {port} (Octane's HTTP port{}), or start Octane with `--port={n}`",
                    if ports_text.is_empty() { String::new() } else { format!("; it also listens on {ports_text}") }
                ));
                listen_label(d);
            }
            // Services send traffic to the pod: only a one-container pod's
            // port is certainly Octane's.
            if dep
                .pod
                .containers
                .iter()
                .filter(|o| o.role == Role::Main)
                .count()
                != 1
            {
                continue;
            }
            for l in &dep.workload.services {
                let Some(svc) = project.object(l.to) else {
                    continue;
                };
                let Relation::Service(s) = &svc.relation else {
                    continue;
                };
                for sp in &s.ports {
                    if sp
                        .protocol
                        .as_deref()
                        .is_some_and(|p| !p.eq_ignore_ascii_case("TCP"))
                    {
                        continue;
                    }
                    let Some((n, name)) = resolve(&sp.target) else {
                        continue;
                    };
                    if allowed.iter().any(|(a, _, _)| *a == n) {
                        continue;
                    }
                    let shown = match &name {
                        Some(name) => format!("port `{name}` ({n})"),
                        None => format!("port {n}"),
                    };
                    let d = ctx.report_in(
                        l.to.file,
                        sp.span,
                        format!(
                            "{} sends traffic to {shown} of container `{}` of {}, but Octane ({server_name}) listens on {port} ({port_from}): every request is refused",
                            svc.display(),
                            c.name,
                            dep.object.display()
                        ),
                    );
                    d.label_text("no Octane listener here").hint(format!(
                        "Set `targetPort: {port}`, or start Octane with `--port={n}`"
                    ));
                    d.secondary(dep.file(), c.span, "the Octane container");
                    listen_label(d);
                }
            }
        }
    }
}
