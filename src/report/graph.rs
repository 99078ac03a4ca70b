//! `deploylint graph`: the linked deployment, as a tree for people and as
//! JSON for tools. A pure function of the session's files, facts and graph.
//! Env values are never printed (they may be credentials): only names and
//! where they come from.

use crate::diagnostic::FileId;
use crate::project::facts::{FileFacts, ObjectFacts};
use crate::project::links::{ConfigMount, EnvSource, Evidence, Graph, Link, ObjRef};
use crate::project::{ParsedFile, process::Process};
use crate::source::FileKind;
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::{self, Write};

#[derive(Serialize)]
pub struct GraphView {
    pub workloads: Vec<WorkloadView>,
    pub images: Vec<ImageView>,
    pub compose: Vec<ComposeView>,
    /// Config files nothing links to (paths).
    pub unlinked: Vec<String>,
}

#[derive(Serialize)]
pub struct EvidenceView {
    pub why: String,
    /// `path:line` of the evidence.
    pub at: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub guess: bool,
}

#[derive(Serialize)]
pub struct LinkView {
    pub target: String,
    pub evidence: EvidenceView,
}

#[derive(Serialize)]
pub struct WorkloadView {
    pub object: String,
    pub namespace: String,
    pub file: String,
    pub containers: Vec<ContainerView>,
    pub services: Vec<LinkView>,
    pub hpas: Vec<LinkView>,
    pub pdbs: Vec<LinkView>,
}

#[derive(Serialize)]
pub struct ContainerView {
    pub name: String,
    pub role: crate::project::facts::Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    pub process: Process,
    pub process_evidence: EvidenceView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<LinkView>,
    pub pools: Vec<LinkView>,
    pub ini: Vec<LinkView>,
    /// nginx configs mounted from kustomize-generated ConfigMaps.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nginx: Vec<LinkView>,
    pub config_mounts: Vec<LinkView>,
    pub env: Vec<LinkView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon: Option<LinkView>,
}

#[derive(Serialize)]
pub struct ImageView {
    pub dockerfile: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    pub process: Process,
    pub pools: Vec<LinkView>,
    pub ini: Vec<LinkView>,
}

#[derive(Serialize)]
pub struct ComposeView {
    pub service: String,
    pub file: String,
    pub process: Process,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerfile: Option<LinkView>,
}

struct Ctx<'a> {
    files: &'a [ParsedFile],
    facts: &'a [FileFacts],
}

impl Ctx<'_> {
    fn path(&self, id: FileId) -> String {
        self.files
            .get(id)
            .map_or_else(String::new, |f| f.source.path.clone())
    }

    fn at(&self, e: &Evidence) -> EvidenceView {
        let line = self
            .files
            .get(e.file)
            .map_or(0, |f| f.source.position(e.span.start).line);
        EvidenceView {
            why: e.why.clone(),
            at: format!("{}:{line}", self.path(e.file)),
            guess: e.guess,
        }
    }

    fn object(&self, r: ObjRef) -> Option<&ObjectFacts> {
        self.facts
            .get(r.file)
            .and_then(FileFacts::kubernetes)
            .and_then(|k| k.objects.get(r.index))
    }

    fn file_link(&self, l: &Link<FileId>) -> LinkView {
        LinkView {
            target: self.path(l.to),
            evidence: self.at(&l.evidence),
        }
    }

    fn obj_link(&self, l: &Link<ObjRef>) -> LinkView {
        let target = match self.object(l.to) {
            Some(o) => format!("{} ({})", o.display(), self.path(l.to.file)),
            None => self.path(l.to.file),
        };
        LinkView {
            target,
            evidence: self.at(&l.evidence),
        }
    }
}

/// Builds the serialisable view of a graph.
pub fn view(files: &[ParsedFile], facts: &[FileFacts], graph: &Graph) -> GraphView {
    let cx = Ctx { files, facts };
    let mut linked: BTreeSet<FileId> = BTreeSet::new();
    let mut workloads = Vec::new();
    for w in &graph.workloads {
        let Some(o) = cx.object(w.object) else {
            continue;
        };
        linked.insert(w.object.file);
        let pod = o.pod.as_ref();
        let containers = w
            .containers
            .iter()
            .filter_map(|c| {
                let cf = pod?.containers.get(c.index)?;
                if let Some(d) = &c.dockerfile {
                    linked.insert(d.to);
                }
                linked.extend(c.pools.iter().map(|l| l.to));
                linked.extend(c.horizon.iter().map(|l| l.to));
                linked.extend(c.inis.iter().map(|l| l.to));
                linked.extend(c.nginx.iter().map(|l| l.to));
                let env = c
                    .env_sources
                    .iter()
                    .map(|l| {
                        let target = match &l.to {
                            EnvSource::Inline => format!("{} (inline)", env_name(&l.evidence.why)),
                            EnvSource::Field => {
                                format!("{} (downward API)", env_name(&l.evidence.why))
                            }
                            EnvSource::ConfigMap { name, object } => {
                                describe_ref(&cx, "ConfigMap", name, *object, &mut linked)
                            }
                            EnvSource::Secret { name, object } => {
                                describe_ref(&cx, "Secret", name, *object, &mut linked)
                            }
                            EnvSource::Generated {
                                name,
                                secret,
                                generators,
                            } => describe_generated(&cx, *secret, name, generators, &mut linked),
                        };
                        LinkView {
                            target,
                            evidence: cx.at(&l.evidence),
                        }
                    })
                    .collect();
                let config_mounts = c
                    .config_mounts
                    .iter()
                    .map(|l| {
                        let ConfigMount {
                            configmap,
                            object,
                            generated,
                            key,
                            path,
                        } = &l.to;
                        let what = if object.is_none() && !generated.is_empty() {
                            describe_generated(&cx, false, configmap, generated, &mut linked)
                        } else {
                            describe_ref(&cx, "ConfigMap", configmap, *object, &mut linked)
                        };
                        LinkView {
                            target: match key {
                                Some(k) => format!("{what} key `{k}` at {path}"),
                                None => format!("{what} at {path}"),
                            },
                            evidence: cx.at(&l.evidence),
                        }
                    })
                    .collect();
                Some(ContainerView {
                    name: cf.name.clone(),
                    role: cf.role,
                    image: cf.image.as_ref().map(|i| i.text.clone()),
                    process: c.process.clone(),
                    process_evidence: cx.at(&c.process_evidence),
                    dockerfile: c.dockerfile.as_ref().map(|l| cx.file_link(l)),
                    pools: c.pools.iter().map(|l| cx.file_link(l)).collect(),
                    ini: c.inis.iter().map(|l| cx.file_link(l)).collect(),
                    nginx: c.nginx.iter().map(|l| cx.file_link(l)).collect(),
                    config_mounts,
                    env,
                    horizon: c.horizon.as_ref().map(|l| cx.file_link(l)),
                })
            })
            .collect();
        for l in w.services.iter().chain(&w.hpas).chain(&w.pdbs) {
            linked.insert(l.to.file);
        }
        workloads.push(WorkloadView {
            object: o.display(),
            namespace: o.namespace().to_owned(),
            file: cx.path(w.object.file),
            containers,
            services: w.services.iter().map(|l| cx.obj_link(l)).collect(),
            hpas: w.hpas.iter().map(|l| cx.obj_link(l)).collect(),
            pdbs: w.pdbs.iter().map(|l| cx.obj_link(l)).collect(),
        });
    }
    let images = graph
        .images
        .iter()
        .map(|n| {
            linked.extend(n.pools.iter().map(|l| l.to));
            linked.extend(n.inis.iter().map(|l| l.to));
            let d = facts.get(n.file).and_then(FileFacts::dockerfile);
            ImageView {
                dockerfile: cx.path(n.file),
                base: d
                    .and_then(|d| d.base_image.as_ref())
                    .map(|b| b.text.clone()),
                user: d.and_then(|d| d.user.as_ref()).map(|u| u.text.clone()),
                process: d.map(|d| d.process.clone()).unwrap_or_default(),
                pools: n.pools.iter().map(|l| cx.file_link(l)).collect(),
                ini: n.inis.iter().map(|l| cx.file_link(l)).collect(),
            }
        })
        .collect();
    let compose = graph
        .compose
        .iter()
        .map(|c| {
            linked.insert(c.file);
            if let Some(d) = &c.dockerfile {
                linked.insert(d.to);
            }
            let name = facts
                .get(c.file)
                .and_then(FileFacts::compose)
                .and_then(|f| f.services.get(c.service))
                .map_or_else(String::new, |s| s.name.clone());
            ComposeView {
                service: name,
                file: cx.path(c.file),
                process: c.process.clone(),
                dockerfile: c.dockerfile.as_ref().map(|l| cx.file_link(l)),
            }
        })
        .collect();
    let unlinked = files
        .iter()
        .filter(|f| {
            matches!(
                f.kind(),
                Some(
                    FileKind::PhpFpm
                        | FileKind::PhpIni
                        | FileKind::Dockerfile
                        | FileKind::Kubernetes
                        | FileKind::Octane
                        | FileKind::Horizon
                        | FileKind::RoadRunner
                )
            ) && !linked.contains(&f.id)
                && !(f.kind() == Some(FileKind::Dockerfile)
                    && graph
                        .images
                        .iter()
                        .any(|n| n.file == f.id && (!n.pools.is_empty() || !n.inis.is_empty())))
        })
        .map(|f| f.source.path.clone())
        .collect();
    GraphView {
        workloads,
        images,
        compose,
        unlinked,
    }
}

/// `env `NAME`` evidence text to `NAME`.
fn env_name(why: &str) -> &str {
    why.strip_prefix("env `")
        .and_then(|s| s.strip_suffix('`'))
        .unwrap_or(why)
}

fn describe_ref(
    cx: &Ctx<'_>,
    kind: &str,
    name: &str,
    object: Option<ObjRef>,
    linked: &mut BTreeSet<FileId>,
) -> String {
    match object {
        Some(r) => {
            linked.insert(r.file);
            format!("{kind}/{name} ({})", cx.path(r.file))
        }
        None => format!("{kind}/{name} (not in the workspace)"),
    }
}

/// A ConfigMap or Secret kustomize generates: the kustomizations that do.
fn describe_generated(
    cx: &Ctx<'_>,
    secret: bool,
    name: &str,
    generators: &[crate::project::links::GenRef],
    linked: &mut BTreeSet<FileId>,
) -> String {
    let kind = if secret { "Secret" } else { "ConfigMap" };
    let mut files: Vec<String> = Vec::new();
    for g in generators {
        linked.insert(g.file);
        let p = cx.path(g.file);
        if !files.contains(&p) {
            files.push(p);
        }
    }
    let field = if secret {
        "secretGenerator"
    } else {
        "configMapGenerator"
    };
    format!("{kind}/{name} ({field} in {})", files.join(", "))
}

/// Control characters from file names or content never reach the terminal.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

pub fn write_json(view: &GraphView, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, view).map_err(io::Error::other)?;
    writeln!(out)
}

fn link_line(out: &mut dyn Write, label: &str, l: &LinkView) -> io::Result<()> {
    let guess = if l.evidence.guess { ", a guess" } else { "" };
    writeln!(
        out,
        "      {label:<11} {}  <- {} ({}{guess})",
        clean(&l.target),
        clean(&l.evidence.why),
        clean(&l.evidence.at)
    )
}

pub fn write_human(view: &GraphView, out: &mut dyn Write) -> io::Result<()> {
    if view.workloads.is_empty() && view.images.is_empty() && view.compose.is_empty() {
        writeln!(out, "No workloads, Dockerfiles or compose services found")?;
    }
    for w in &view.workloads {
        writeln!(
            out,
            "{} (namespace {}) in {}",
            clean(&w.object),
            clean(&w.namespace),
            clean(&w.file)
        )?;
        for c in &w.containers {
            let image = c
                .image
                .as_deref()
                .map(|i| format!(" image {}", clean(i)))
                .unwrap_or_default();
            writeln!(out, "  container {} ({:?}){image}", clean(&c.name), c.role)?;
            let guess = if c.process_evidence.guess {
                ", a guess"
            } else {
                ""
            };
            writeln!(
                out,
                "      {:<11} {}  <- {} ({}{guess})",
                "process",
                clean(&c.process.describe()),
                clean(&c.process_evidence.why),
                clean(&c.process_evidence.at)
            )?;
            if let Some(d) = &c.dockerfile {
                link_line(out, "dockerfile", d)?;
            }
            for l in &c.pools {
                link_line(out, "pool", l)?;
            }
            for l in &c.ini {
                link_line(out, "ini", l)?;
            }
            for l in &c.nginx {
                link_line(out, "nginx", l)?;
            }
            for l in &c.config_mounts {
                link_line(out, "config", l)?;
            }
            for l in &c.env {
                link_line(out, "env", l)?;
            }
            if let Some(l) = &c.horizon {
                link_line(out, "horizon", l)?;
            }
        }
        for l in &w.services {
            link_line(out, "service", l)?;
        }
        for l in &w.hpas {
            link_line(out, "hpa", l)?;
        }
        for l in &w.pdbs {
            link_line(out, "pdb", l)?;
        }
        writeln!(out)?;
    }
    if !view.images.is_empty() {
        writeln!(out, "Dockerfiles")?;
        for i in &view.images {
            let base = i
                .base
                .as_deref()
                .map(|b| format!(" from {}", clean(b)))
                .unwrap_or_default();
            let user = i
                .user
                .as_deref()
                .map(|u| format!(", user {}", clean(u)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {}{base}{user}: runs {}",
                clean(&i.dockerfile),
                clean(&i.process.describe())
            )?;
            for l in &i.pools {
                link_line(out, "pool", l)?;
            }
            for l in &i.ini {
                link_line(out, "ini", l)?;
            }
        }
        writeln!(out)?;
    }
    if !view.compose.is_empty() {
        writeln!(out, "Compose services")?;
        for c in &view.compose {
            writeln!(
                out,
                "  {} in {}: runs {}",
                clean(&c.service),
                clean(&c.file),
                clean(&c.process.describe())
            )?;
            if let Some(d) = &c.dockerfile {
                link_line(out, "dockerfile", d)?;
            }
        }
        writeln!(out)?;
    }
    if !view.unlinked.is_empty() {
        writeln!(out, "Not linked to anything")?;
        for p in &view.unlinked {
            writeln!(out, "  {}", clean(p))?;
        }
    }
    Ok(())
}
