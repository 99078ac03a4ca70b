//! X020: nginx's `fastcgi_pass` sends PHP requests where php-fpm does not
//! listen.
//!
//! An nginx config reaches a pod through a ConfigMap mounted into an nginx
//! container, or by being copied into the image a container runs (the
//! graph). Within that pod: `127.0.0.1:PORT` / `localhost:PORT` must be a port
//! a php-fpm container of the pod listens on (its pools' `listen`, else the
//! official image's 9000); `unix:/path` must be a socket php-fpm listens on;
//! `host:PORT` must name a Service of the namespace that exposes `PORT` and
//! sends it to php-fpm's port. An image that holds both an nginx config and
//! php-fpm pools (nginx and php-fpm in one container) is checked the same
//! way. Whenever a fact is missing (a pool whose `listen` is not in the run,
//! a `RUN` that edits `listen`, a namespace without any Service in view, a
//! variable in the address), the rule stays quiet.

use crate::diagnostic::FileId;
use crate::project::Project;
use crate::project::facts::{ContainerFacts, FileFacts, ObjectFacts, PortRefFact, Relation, Role};
use crate::project::links::{ContainerNode, ImageNode, Workload};
use crate::project::nginx::{Address, Endpoint, NginxFacts};
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};
use std::collections::HashSet;

pub struct FastcgiPassUnreachable;

/// Where php-fpm listens.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Listen {
    Tcp(u16),
    Unix(String),
}

impl std::fmt::Display for Listen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Listen::Tcp(p) => write!(f, "{p}"),
            Listen::Unix(s) => f.write_str(s),
        }
    }
}

fn listen_of(value: &str) -> Option<Listen> {
    let v = value.trim().trim_matches('"').trim_matches('\'');
    if v.is_empty() || v.contains('$') {
        return None;
    }
    if v.starts_with('/') {
        return Some(Listen::Unix(v.to_owned()));
    }
    v.rsplit(':').next()?.parse().ok().map(Listen::Tcp)
}

/// A `listen` and where it comes from (a pool header, else `None`: the
/// official image's default).
struct ListenAt {
    listen: Listen,
    at: Option<(FileId, Span)>,
}

/// Every address php-fpm of an image may listen on, or `None` when the run
/// does not tell: the linked pools' `listen` (all of them: include order is
/// not resolved, so the union is taken), plus the official image's `9000`
/// when it keeps its config. `None` when the Dockerfile may set a `listen`
/// the linked files do not show (an instruction names `listen`: a `RUN`
/// editing a pool, an `ENV` a templated pool reads), a pool has no `listen`
/// the run can see, or nothing is known.
fn image_listens(
    project: &Project,
    image: Option<&ImageNode>,
    official_image: bool,
) -> Option<Vec<ListenAt>> {
    let df = image.and_then(|n| project.facts_of(n.file).dockerfile());
    if df.is_some_and(|d| d.names_listen) {
        return None;
    }
    let official = match df {
        Some(d) => d.keeps_official_fpm_config(),
        None => official_image,
    };
    let mut out = Vec::new();
    if official {
        out.push(ListenAt {
            listen: Listen::Tcp(9000),
            at: None,
        });
    }
    let mut has_www = official;
    for l in image.map_or(&[][..], |n| n.pools.as_slice()) {
        let fpm = project.facts_of(l.to).fpm()?;
        for pool in fpm.pools() {
            has_www |= pool.name.eq_ignore_ascii_case("www");
            match pool.get("listen") {
                Some(v) => out.push(ListenAt {
                    listen: listen_of(v)?,
                    at: Some((l.to, pool.header)),
                }),
                // Merged with the image's `[www]`, which has one.
                None if official && pool.name.eq_ignore_ascii_case("www") => {}
                None => return None,
            }
        }
    }
    // A base image other than the official one may ship pools of its own
    // (`www.conf`): only trusted when the repository's pools define `[www]`.
    (!out.is_empty() && has_www).then_some(out)
}

/// The listens of a container that runs php-fpm (by the graph), or `None`.
fn container_listens(
    project: &Project,
    node: &ContainerNode,
    c: &ContainerFacts,
) -> Option<Vec<ListenAt>> {
    if node.process.kind != ProcessKind::PhpFpm || node.process_guess {
        return None;
    }
    // Another config file on the command line, or pools mounted from ConfigMaps.
    if node
        .process
        .argv
        .iter()
        .any(|w| w == "-y" || w.starts_with("--fpm-config") || w == "-c")
        || node.config_mounts.iter().any(|m| {
            let p = m.to.path.to_ascii_lowercase();
            p.contains("fpm") || p.contains("pool.d")
        })
    {
        return None;
    }
    let image = node
        .dockerfile
        .as_ref()
        .and_then(|l| project.graph.image_of(l.to));
    if node.dockerfile.is_some() && image.is_none() {
        return None;
    }
    let official = c
        .image
        .as_ref()
        .and_then(|i| crate::project::defaults::OfficialPhp::parse(&i.text))
        .is_some_and(|o| o.variant == crate::project::defaults::PhpVariant::Fpm);
    image_listens(project, image, official)
}

/// An nginx config as one pod sees it.
struct Site<'a> {
    /// The file holding the config (an nginx file, or the ConfigMap's manifest).
    file: FileId,
    facts: &'a NginxFacts,
    /// How the config gets into the pod: (file, span, what).
    via: (FileId, Span, String),
}

/// The nginx configs of a pod: ConfigMaps with nginx configs mounted into a
/// container that runs nginx or at an nginx path, and nginx files copied into
/// a container's image.
fn sites<'a>(project: &Project<'a>, w: &Workload, obj: &'a ObjectFacts) -> Vec<Site<'a>> {
    let mut out = Vec::new();
    let Some(pod) = &obj.pod else { return out };
    for node in &w.containers {
        let Some(c) = pod.containers.get(node.index) else {
            continue;
        };
        if matches!(c.role, Role::Ephemeral | Role::Init) {
            continue;
        }
        let runs_nginx = node.process.kind == ProcessKind::Nginx;
        for m in &c.mounts {
            if !runs_nginx && !m.path.to_ascii_lowercase().contains("nginx") {
                continue;
            }
            let Some(v) = pod.volumes.iter().find(|v| v.name == m.volume) else {
                continue;
            };
            let crate::project::facts::VolumeSource::ConfigMap(cm) = &v.source else {
                continue;
            };
            let Some((cm_file, cm_obj)) = configmap(project, w.object.file, obj.namespace(), cm)
            else {
                continue;
            };
            for (key, facts) in &cm_obj.nginx {
                if m.sub_path.as_ref().is_some_and(|s| *s != key.text) {
                    continue;
                }
                out.push(Site {
                    file: cm_file,
                    facts,
                    via: (
                        w.object.file,
                        m.span,
                        format!(
                            "ConfigMap `{cm}` (key `{}`) mounted into container `{}` here",
                            key.text, c.name
                        ),
                    ),
                });
            }
        }
        // nginx files a kustomize configMapGenerator puts into the pod.
        out.extend(node.nginx.iter().filter_map(|l| {
            linked_site(
                project,
                l,
                format!(
                    "generated into a ConfigMap mounted into container `{}` here",
                    c.name
                ),
            )
        }));
        if let Some(image) = node
            .dockerfile
            .as_ref()
            .and_then(|l| project.graph.image_of(l.to))
        {
            out.extend(image.nginx.iter().filter_map(|l| {
                linked_site(
                    project,
                    l,
                    format!("copied into the image of container `{}` here", c.name),
                )
            }));
        }
    }
    out
}

/// An nginx file the graph links into a pod, reached as `via` says.
fn linked_site<'a>(
    project: &Project<'a>,
    l: &crate::project::links::Link<FileId>,
    via: String,
) -> Option<Site<'a>> {
    Some(Site {
        file: l.to,
        facts: project.facts_of(l.to).nginx()?,
        via: (l.evidence.file, l.evidence.span, via),
    })
}

/// The ConfigMap a pod mounts: the one in the pod's own file, else the
/// only one of that namespace and name in the run (several apps of a
/// repository may each define `nginx`: then none is assumed).
fn configmap<'a>(
    project: &Project<'a>,
    file: FileId,
    namespace: &str,
    name: &str,
) -> Option<(FileId, &'a ObjectFacts)> {
    let here = project.facts_of(file).kubernetes().and_then(|k| {
        k.objects.iter().find(|o| {
            o.kind == "ConfigMap" && o.namespace() == namespace && o.name.as_deref() == Some(name)
        })
    });
    if let Some(o) = here {
        return Some((file, o));
    }
    let objects = project.objects();
    let i = objects.find(namespace, "ConfigMap", name)?;
    if objects.duplicates().iter().any(|(first, _)| *first == i) {
        return None;
    }
    objects.object(i).map(|l| (l.file, l.obj))
}

/// What to write (the first known listen address as a `fastcgi_pass`) and the
/// pools to label.
fn suggestion<'a>(
    known: &[(&str, &'a [ListenAt])],
) -> (String, Vec<(&'static str, &'a [ListenAt])>) {
    let to = known
        .iter()
        .flat_map(|(_, l)| l.iter())
        .map(|l| match &l.listen {
            Listen::Tcp(p) => format!("`fastcgi_pass 127.0.0.1:{p};`"),
            Listen::Unix(s) => format!("`fastcgi_pass unix:{s};`"),
        })
        .next()
        .unwrap_or_default();
    let who = known.iter().map(|(_, l)| ("the pool", *l)).collect();
    (to, who)
}

fn shown(listens: &[ListenAt]) -> String {
    let mut v: Vec<String> = Vec::new();
    for l in listens {
        let s = format!("`{}`", l.listen);
        if !v.contains(&s) {
            v.push(s);
        }
    }
    v.join(", ")
}

struct Checker<'r, 'p, 'c> {
    project: &'r Project<'p>,
    ctx: &'r mut Context<'c>,
    done: HashSet<(FileId, usize, usize)>,
}

impl Checker<'_, '_, '_> {
    fn first(&mut self, file: FileId, span: Span) -> bool {
        self.done.insert((file, span.start, span.end))
    }

    #[allow(clippy::too_many_arguments)]
    fn labels(
        &mut self,
        d_file: FileId,
        span: Span,
        message: String,
        hint: String,
        label: &str,
        site: &Site,
        listens: &[(&str, &[ListenAt])],
    ) {
        let d = self.ctx.report_in(d_file, span, message);
        d.label_text(label).hint(hint);
        d.secondary(site.via.0, site.via.1, site.via.2.clone());
        for (who, ls) in listens {
            for l in ls.iter() {
                if let Some((f, s)) = l.at {
                    d.secondary(f, s, format!("{who} listens on `{}`", l.listen));
                }
            }
        }
    }

    /// Checks one site in the pod of workload `w`.
    fn pod(&mut self, w: &Workload, obj: &ObjectFacts, site: &Site) {
        let Some(pod) = &obj.pod else { return };
        let members: Vec<(&ContainerNode, &ContainerFacts)> = w
            .containers
            .iter()
            .filter_map(|n| Some((n, pod.containers.get(n.index)?)))
            .filter(|(_, c)| !matches!(c.role, Role::Ephemeral | Role::Init))
            .collect();
        let fpm: Vec<(&ContainerFacts, Option<Vec<ListenAt>>)> = members
            .iter()
            .filter(|(n, _)| n.process.kind == ProcessKind::PhpFpm)
            .map(|(n, c)| (*c, container_listens(self.project, n, c)))
            .collect();
        for pass in &site.facts.passes {
            for ep in &pass.endpoints {
                match &ep.address {
                    Address::Tcp {
                        port: Some(port), ..
                    } if ep.address.is_loopback() => {
                        self.loopback(w, obj, site, ep, *port, &members, &fpm);
                    }
                    Address::Unix(path) => self.unix(obj, site, ep, path, &fpm),
                    Address::Tcp {
                        host,
                        port: Some(port),
                    } => self.service(obj, site, ep, host, *port),
                    _ => {}
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn loopback(
        &mut self,
        w: &Workload,
        obj: &ObjectFacts,
        site: &Site,
        ep: &Endpoint,
        port: u16,
        members: &[(&ContainerNode, &ContainerFacts)],
        fpm: &[(&ContainerFacts, Option<Vec<ListenAt>>)],
    ) {
        let _ = w;
        // Something in the pod declares the port: it may well be php-fpm.
        if members
            .iter()
            .any(|(_, c)| c.ports.iter().any(|p| p.number == Some(i64::from(port))))
        {
            return;
        }
        if fpm.is_empty() {
            if members.is_empty()
                || !members
                    .iter()
                    .all(|(n, _)| n.process.kind == ProcessKind::Nginx)
            {
                return;
            }
            if !self.first(site.file, ep.at.span) {
                return;
            }
            let names: Vec<String> = members
                .iter()
                .map(|(_, c)| format!("`{}`", c.name))
                .collect();
            self.labels(
                site.file,
                ep.at.span,
                format!(
                    "`fastcgi_pass {}` sends PHP requests to this pod's own port {port}, but no container of {} runs php-fpm (containers: {}): every PHP request fails with 502",
                    ep.at.text,
                    obj.display(),
                    names.join(", ")
                ),
                "Add the php-fpm container to this pod (the containers of a pod share `127.0.0.1`), or pass to php-fpm's Service: `fastcgi_pass <service>:9000;`".into(),
                "no php-fpm in this pod",
                site,
                &[],
            );
            return;
        }
        let mut known: Vec<(&str, &[ListenAt])> = Vec::new();
        for (c, l) in fpm {
            let Some(l) = l else { return };
            if l.iter().any(|x| x.listen == Listen::Tcp(port)) {
                return;
            }
            known.push((c.name.as_str(), l.as_slice()));
        }
        if !self.first(site.file, ep.at.span) {
            return;
        }
        let facts: Vec<String> = known
            .iter()
            .map(|(name, l)| format!("php-fpm in container `{name}` listens on {}", shown(l)))
            .collect();
        let (to, who) = suggestion(&known);
        self.labels(
            site.file,
            ep.at.span,
            format!(
                "`fastcgi_pass {}` sends PHP requests to port {port} in {}, but {}: every PHP request fails with 502",
                ep.at.text,
                obj.display(),
                facts.join("; ")
            ),
            format!("Pass to the address php-fpm listens on, {to}, or set the pool's `listen = {port}`"),
            "php-fpm does not listen here",
            site,
            &who,
        );
    }

    fn unix(
        &mut self,
        obj: &ObjectFacts,
        site: &Site,
        ep: &Endpoint,
        path: &str,
        fpm: &[(&ContainerFacts, Option<Vec<ListenAt>>)],
    ) {
        if fpm.is_empty() {
            return;
        }
        let mut known: Vec<(&str, &[ListenAt])> = Vec::new();
        for (c, l) in fpm {
            let Some(l) = l else { return };
            if l.iter().any(|x| x.listen == Listen::Unix(path.to_owned())) {
                return;
            }
            known.push((c.name.as_str(), l.as_slice()));
        }
        if !self.first(site.file, ep.at.span) {
            return;
        }
        self.report_unix(site, ep, path, &format!("in {}", obj.display()), &known);
    }

    fn report_unix(
        &mut self,
        site: &Site,
        ep: &Endpoint,
        path: &str,
        place: &str,
        known: &[(&str, &[ListenAt])],
    ) {
        let facts: Vec<String> = known
            .iter()
            .map(|(name, l)| {
                let tcp = l.iter().all(|x| matches!(x.listen, Listen::Tcp(_)));
                format!(
                    "php-fpm{} listens on {}{}",
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!(" in container `{name}`")
                    },
                    if tcp { "TCP " } else { "" },
                    shown(l)
                )
            })
            .collect();
        let (to, who) = suggestion(known);
        self.labels(
            site.file,
            ep.at.span,
            format!(
                "`fastcgi_pass {}` sends PHP requests to the socket `{path}` {place}, but {}: no php-fpm answers on that socket and every PHP request fails with 502",
                ep.at.text,
                facts.join("; ")
            ),
            format!("Pass to the address php-fpm listens on, {to}, or set the pool's `listen = {path}` (and share its directory between the containers)"),
            "php-fpm does not listen on this socket",
            site,
            &who,
        );
    }

    /// `host:port` from a pod: a Service of the namespace exposing the port.
    fn service(&mut self, obj: &ObjectFacts, site: &Site, ep: &Endpoint, host: &str, port: u16) {
        if host.parse::<std::net::IpAddr>().is_ok()
            || host.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            return;
        }
        let parts: Vec<&str> = host.split('.').collect();
        let name = parts[0];
        let namespace = match parts.as_slice() {
            [_] => obj.namespace().to_owned(),
            [_, ns] => (*ns).to_owned(),
            [_, ns, "svc", ..] => (*ns).to_owned(),
            _ => return,
        };
        let objects = self.project.objects();
        let services: Vec<&str> = objects
            .of_kind("Service")
            .filter(|(_, o)| o.namespace() == namespace)
            .filter_map(|(_, o)| o.name())
            .collect();
        // No Service of that namespace in view: the run does not show the cluster.
        if services.is_empty() {
            return;
        }
        let index = objects.find(&namespace, "Service", name);
        if index.is_some_and(|i| objects.duplicates().iter().any(|(first, _)| *first == i)) {
            return;
        }
        let Some(found) = index.and_then(|i| objects.object(i)) else {
            // `name.ns` with a namespace that is not one: an outside host name.
            if parts.len() == 2 && !objects.has_templates_in(&namespace) {
                return;
            }
            if !self.first(site.file, ep.at.span) {
                return;
            }
            let mut listed: Vec<String> = services.iter().map(|s| format!("`{s}`")).collect();
            listed.sort();
            listed.dedup();
            if listed.len() > 8 {
                let more = listed.len() - 8;
                listed.truncate(8);
                listed.push(format!("and {more} more"));
            }
            self.labels(
                site.file,
                ep.at.span,
                format!(
                    "`fastcgi_pass {}` names host `{name}`, but no Service `{name}` exists in namespace `{namespace}` (Services there: {}): nginx cannot resolve it and PHP requests fail",
                    ep.at.text,
                    listed.join(", ")
                ),
                "Pass to the Service that selects the php-fpm pods (`fastcgi_pass <service>:9000;`), or add a Service named after this host".into(),
                "no such Service",
                site,
                &[],
            );
            return;
        };
        let Relation::Service(s) = &found.obj.relation else {
            return;
        };
        let Some(sp) = s.ports.iter().find(|p| p.port == Some(i64::from(port))) else {
            let exposed: Vec<String> = s
                .ports
                .iter()
                .filter_map(|p| p.port)
                .map(|p| format!("`{p}`"))
                .collect();
            if exposed.is_empty()
                || exposed.len() != s.ports.len()
                || !self.first(site.file, ep.at.span)
            {
                return;
            }
            let d = self.ctx.report_in(
                site.file,
                ep.at.span,
                format!(
                    "`fastcgi_pass {}` connects to port {port} of Service `{name}`, but the Service exposes {}: the connection is refused and PHP requests fail with 502",
                    ep.at.text,
                    exposed.join(", ")
                ),
            );
            d.label_text("the Service has no such port")
                .hint(format!("Pass to a port the Service exposes (`fastcgi_pass {name}:{};`), or add port {port} to the Service", exposed[0].trim_matches('`')));
            d.secondary(found.file, found.name_span(), format!("Service `{name}`"));
            d.secondary(site.via.0, site.via.1, site.via.2.clone());
            return;
        };
        // The port exists: does its targetPort reach php-fpm in the pods it selects?
        self.target_port(site, ep, name, found.file, found.obj, sp.span, &sp.target);
    }

    #[allow(clippy::too_many_arguments)]
    fn target_port(
        &mut self,
        site: &Site,
        ep: &Endpoint,
        name: &str,
        svc_file: FileId,
        svc: &ObjectFacts,
        target_span: Span,
        target: &PortRefFact,
    ) {
        let graph = self.project.graph;
        let selected: Vec<&Workload> = graph
            .workloads
            .iter()
            .filter(|w| {
                w.services.iter().any(|l| {
                    self.project
                        .object(l.to)
                        .is_some_and(|o| std::ptr::eq(o, svc))
                })
            })
            .collect();
        if selected.is_empty() {
            return;
        }
        let mut known: Vec<(String, Vec<ListenAt>, i64)> = Vec::new();
        for w in &selected {
            let Some(obj) = self.project.object(w.object) else {
                return;
            };
            let Some(pod) = &obj.pod else { return };
            let mut fpm_here = false;
            for n in &w.containers {
                let Some(c) = pod.containers.get(n.index) else {
                    continue;
                };
                let number = match target {
                    PortRefFact::Number(t) => Some(*t),
                    PortRefFact::Name(p) => c
                        .ports
                        .iter()
                        .find(|x| x.name.as_deref() == Some(p.as_str()))
                        .and_then(|x| x.number),
                };
                if n.process.kind != ProcessKind::PhpFpm {
                    // Another container that declares the port may be what the Service means.
                    if number.is_some_and(|t| c.ports.iter().any(|p| p.number == Some(t))) {
                        return;
                    }
                    continue;
                }
                fpm_here = true;
                let Some(t) = number else { return };
                let Some(l) = container_listens(self.project, n, c) else {
                    return;
                };
                if l.iter()
                    .any(|x| x.listen == Listen::Tcp(u16::try_from(t).unwrap_or(0)))
                {
                    return;
                }
                known.push((format!("container `{}` of {}", c.name, obj.display()), l, t));
            }
            if !fpm_here {
                return;
            }
        }
        let Some((_, _, t)) = known.first() else {
            return;
        };
        let t = *t;
        if !self.first(site.file, ep.at.span) {
            return;
        }
        let facts: Vec<String> = known
            .iter()
            .map(|(who, l, _)| format!("php-fpm in {who} listens on {}", shown(l)))
            .collect();
        let d = self.ctx.report_in(
            site.file,
            ep.at.span,
            format!(
                "`fastcgi_pass {}` goes through Service `{name}`, which sends port {} to targetPort {}, but {}: PHP requests fail with 502",
                ep.at.text,
                ep.at.text.rsplit(':').next().unwrap_or(""),
                match target {
                    PortRefFact::Number(_) => format!("`{t}`"),
                    PortRefFact::Name(n) => format!("`{n}` ({t})"),
                },
                facts.join("; ")
            ),
        );
        d.label_text("php-fpm does not listen behind this Service port")
            .hint("Set the Service's `targetPort` to the port php-fpm listens on, or the pool's `listen` to the targetPort");
        d.secondary(svc_file, target_span, format!("targetPort `{target}`"));
        for (_, l, _) in &known {
            for x in l {
                if let Some((f, s)) = x.at {
                    d.secondary(f, s, format!("the pool listens on `{}`", x.listen));
                }
            }
        }
        d.secondary(site.via.0, site.via.1, site.via.2.clone());
    }

    /// nginx and php-fpm in one image (one container): the image's nginx
    /// configs against the image's own pools.
    fn image(&mut self, image: &ImageNode) {
        if image.nginx.is_empty() || image.pools.is_empty() {
            return;
        }
        let Some(listens) = image_listens(self.project, Some(image), false) else {
            return;
        };
        for l in &image.nginx {
            let Some(facts) = self.project.facts_of(l.to).nginx() else {
                continue;
            };
            let site = Site {
                file: l.to,
                facts,
                via: (
                    l.evidence.file,
                    l.evidence.span,
                    "copied into the same image as the pools here".to_owned(),
                ),
            };
            for pass in &facts.passes {
                for ep in &pass.endpoints {
                    let bad = match &ep.address {
                        Address::Unix(path) => !listens
                            .iter()
                            .any(|x| x.listen == Listen::Unix(path.clone())),
                        Address::Tcp { port: Some(p), .. } if ep.address.is_loopback() => {
                            !listens.iter().any(|x| x.listen == Listen::Tcp(*p))
                        }
                        _ => false,
                    };
                    if !bad || !self.first(site.file, ep.at.span) {
                        continue;
                    }
                    let place = format!("of the image `{}`", self.project.path(image.file));
                    match &ep.address {
                        Address::Unix(path) => {
                            self.report_unix(&site, ep, path, &place, &[("", listens.as_slice())]);
                        }
                        Address::Tcp { port: Some(p), .. } => {
                            self.labels(
                                site.file,
                                ep.at.span,
                                format!(
                                    "`fastcgi_pass {}` sends PHP requests to port {p} {place}, but php-fpm there listens on {}: every PHP request fails with 502",
                                    ep.at.text,
                                    shown(&listens)
                                ),
                                format!("Pass to the address php-fpm listens on, or set the pool's `listen = 127.0.0.1:{p}`"),
                                "php-fpm does not listen here",
                                &site,
                                &[("the pool", listens.as_slice())],
                            );
                        }
                        Address::Tcp { .. } => {}
                    }
                }
            }
        }
    }
}

/// A path made absolute against the working directory, normalized.
fn absolute(path: &str, cwd: Option<&std::path::Path>) -> String {
    let p = std::path::Path::new(path);
    match cwd {
        Some(c) if p.is_relative() => {
            crate::project::links::normalize(&c.join(p).to_string_lossy())
        }
        _ => crate::project::links::normalize(path),
    }
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

impl Checker<'_, '_, '_> {
    /// Compose: an nginx config bind-mounted into a service, whose
    /// `fastcgi_pass host:port` names no service of the stack (the compose
    /// files of the directory). Quiet when the host appears anywhere in
    /// those files (network aliases, `container_name`, `hostname`, `links`).
    fn compose(&mut self) {
        let project = self.project;
        let cwd = std::env::current_dir().ok();
        let nginx: Vec<(String, FileId)> = project
            .files
            .iter()
            .filter(|f| project.facts_of(f.id).nginx().is_some())
            .map(|f| (absolute(&f.source.path, cwd.as_deref()), f.id))
            .collect();
        if nginx.is_empty() {
            return;
        }
        let compose: Vec<(FileId, String)> = project
            .files
            .iter()
            .filter(|f| project.facts_of(f.id).compose().is_some())
            .map(|f| (f.id, absolute(&f.source.path, cwd.as_deref())))
            .collect();
        // The stacks: compose files by directory (built once).
        let mut stacks: std::collections::HashMap<&str, Vec<FileId>> =
            std::collections::HashMap::new();
        for (id, path) in &compose {
            stacks.entry(dir_of(path)).or_default().push(*id);
        }
        for (file, path) in &compose {
            let Some(c) = project.facts_of(*file).compose() else {
                continue;
            };
            let dir = dir_of(path);
            let stack: &[FileId] = stacks.get(dir).map_or(&[], Vec::as_slice);
            // What the stack's network resolves: service names, and the
            // container names, hostnames, link and network aliases and
            // extra hosts its services declare.
            let names: Vec<&str> = stack
                .iter()
                .filter_map(|id| project.facts_of(*id).compose())
                .flat_map(|c| &c.services)
                .flat_map(|s| {
                    std::iter::once(s.name.as_str()).chain(s.host_names.iter().map(String::as_str))
                })
                .collect();
            for s in &c.services {
                for v in &s.volumes {
                    // A bind mount into an nginx path (`/etc/nginx/conf.d/default.conf`).
                    if !v.target.as_deref().is_some_and(|t| t.contains("nginx")) {
                        continue;
                    }
                    let Some(src) = v
                        .source
                        .as_deref()
                        .filter(|x| x.starts_with('.') || x.starts_with('/'))
                    else {
                        continue;
                    };
                    let full = if src.starts_with('/') {
                        crate::project::links::normalize(src)
                    } else {
                        crate::project::links::normalize(&format!("{dir}/{src}"))
                    };
                    let under = format!("{full}/");
                    for (npath, nid) in &nginx {
                        if *npath != full && !npath.starts_with(&under) {
                            continue;
                        }
                        let Some(facts) = project.facts_of(*nid).nginx() else {
                            continue;
                        };
                        for pass in &facts.passes {
                            for ep in &pass.endpoints {
                                let Address::Tcp {
                                    host,
                                    port: Some(_),
                                } = &ep.address
                                else {
                                    continue;
                                };
                                if ep.address.is_loopback()
                                    || host.contains('.')
                                    || host.parse::<std::net::IpAddr>().is_ok()
                                    || names.iter().any(|n| n.eq_ignore_ascii_case(host))
                                {
                                    continue;
                                }
                                if !self.first(*nid, ep.at.span) {
                                    continue;
                                }
                                let mut listed: Vec<String> =
                                    names.iter().map(|n| format!("`{n}`")).collect();
                                listed.sort();
                                listed.dedup();
                                let d = self.ctx.report_in(
                                    *nid,
                                    ep.at.span,
                                    format!(
                                        "`fastcgi_pass {}` names host `{host}`, but the compose stack has no service `{host}` (services: {}): nginx cannot resolve it and PHP requests fail",
                                        ep.at.text,
                                        listed.join(", ")
                                    ),
                                );
                                d.label_text("no such compose service")
                                    .hint("Pass to the php-fpm service by its name (`fastcgi_pass <service>:9000;`), or give that service a network alias")
                                    .secondary(*file, v.span, format!("mounted into service `{}` here", s.name));
                            }
                        }
                    }
                }
            }
        }
    }
}

impl Rule for FastcgiPassUnreachable {
    fn code(&self) -> &'static str {
        "X020"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::Kubernetes,
            FileKind::Dockerfile,
            FileKind::PhpFpm,
            FileKind::Nginx,
            FileKind::Compose,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let has_nginx = project.facts.iter().any(|f| match f {
            FileFacts::Nginx(_) => true,
            FileFacts::Kubernetes(k) => k.objects.iter().any(|o| !o.nginx.is_empty()),
            _ => false,
        });
        if !has_nginx {
            return;
        }
        let mut ck = Checker {
            project,
            ctx,
            done: HashSet::new(),
        };
        for w in &project.graph.workloads {
            let Some(obj) = project.object(w.object) else {
                continue;
            };
            for site in sites(project, w, obj) {
                ck.pod(w, obj, &site);
            }
        }
        for image in &project.graph.images {
            ck.image(image);
        }
        ck.compose();
    }
}
