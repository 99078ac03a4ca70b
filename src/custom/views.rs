//! What a custom rule's `target` names, as located trees: one view per
//! Kubernetes object, container, Dockerfile (file, stage, instruction),
//! php-fpm pool, php.ini file, or linked deployment (a container with its
//! image, Dockerfile facts, pools, ini directives and env).

use super::tree::{TValue, Tree};
use crate::diagnostic::FileId;
use crate::model::k8s;
use crate::parse::{ParsedFile, dockerfile, fpm, ini};
use crate::project::{FileFacts, Project};
use crate::source::{FileKind, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    KubernetesObject,
    Container,
    Dockerfile,
    DockerfileStage,
    DockerfileInstruction,
    PhpFpmPool,
    PhpIni,
    Deployment,
}

impl Target {
    pub const NAMES: [&'static str; 8] = [
        "kubernetes-object",
        "container",
        "dockerfile",
        "dockerfile-stage",
        "dockerfile-instruction",
        "php-fpm-pool",
        "php-ini",
        "deployment",
    ];

    /// The name a rule file uses for the target.
    pub fn name(self) -> &'static str {
        match self {
            Target::KubernetesObject => "kubernetes-object",
            Target::Container => "container",
            Target::Dockerfile => "dockerfile",
            Target::DockerfileStage => "dockerfile-stage",
            Target::DockerfileInstruction => "dockerfile-instruction",
            Target::PhpFpmPool => "php-fpm-pool",
            Target::PhpIni => "php-ini",
            Target::Deployment => "deployment",
        }
    }

    pub fn from_name(s: &str) -> Option<Target> {
        Some(match s {
            "kubernetes-object" | "kubernetes" => Target::KubernetesObject,
            "container" => Target::Container,
            "dockerfile" => Target::Dockerfile,
            "dockerfile-stage" => Target::DockerfileStage,
            "dockerfile-instruction" => Target::DockerfileInstruction,
            "php-fpm-pool" => Target::PhpFpmPool,
            "php-ini" => Target::PhpIni,
            "deployment" => Target::Deployment,
            _ => return None,
        })
    }

    /// The file kinds whose files the view is built from (`check_file`).
    pub fn kinds(self) -> &'static [FileKind] {
        match self {
            Target::KubernetesObject | Target::Container => &[FileKind::Kubernetes],
            Target::Dockerfile | Target::DockerfileStage | Target::DockerfileInstruction => {
                &[FileKind::Dockerfile]
            }
            Target::PhpFpmPool => &[FileKind::PhpFpm],
            Target::PhpIni => &[FileKind::PhpIni],
            Target::Deployment => &[],
        }
    }

    /// The file name an example of this target is linted as.
    pub fn example_filename(self) -> &'static str {
        match self {
            Target::KubernetesObject | Target::Container | Target::Deployment => "deploy.yaml",
            Target::Dockerfile | Target::DockerfileStage | Target::DockerfileInstruction => {
                "Dockerfile"
            }
            Target::PhpFpmPool => "www.conf",
            Target::PhpIni => "php.ini",
        }
    }
}

/// One thing a rule checks: the target tree, and other located values in
/// scope (the pod and object of a container).
pub struct View {
    pub tree: Tree,
    pub scope: Vec<(&'static str, Tree)>,
    /// Kubernetes kind of the object, for `kinds:` filters.
    pub kind: Option<String>,
}

fn view(tree: Tree) -> View {
    View {
        tree,
        scope: Vec::new(),
        kind: None,
    }
}

/// The views of one file for a file-level target.
pub fn file_views(target: Target, file: &ParsedFile, facts: &FileFacts) -> Vec<View> {
    let id = file.id;
    let path = &file.source.path;
    match target {
        Target::KubernetesObject | Target::Container => {
            let Some(y) = file.document.as_yaml() else {
                return Vec::new();
            };
            let mut out = Vec::new();
            for o in k8s::objects(y) {
                let object = object_tree(id, &o);
                if target == Target::KubernetesObject {
                    out.push(View {
                        scope: vec![("file", Tree::str(id, o.anchor_span(), path.clone()))],
                        kind: Some(o.kind.to_owned()),
                        tree: object,
                    });
                    continue;
                }
                let Some(spec) = o.pod_spec() else { continue };
                let pod = Tree::from_yaml(id, spec);
                for c in o.containers() {
                    let kind = match c.kind {
                        k8s::ContainerKind::Main => "main",
                        k8s::ContainerKind::Init => "init",
                        k8s::ContainerKind::Ephemeral => "ephemeral",
                    };
                    let tree = Tree::from_yaml(id, c.node).with_anchor(c.anchor_span());
                    out.push(View {
                        tree,
                        scope: vec![
                            ("pod", pod.clone()),
                            ("object", object.clone()),
                            ("container_type", Tree::str(id, c.anchor_span(), kind)),
                            ("file", Tree::str(id, c.anchor_span(), path.clone())),
                        ],
                        kind: Some(o.kind.to_owned()),
                    });
                }
            }
            out
        }
        Target::Dockerfile | Target::DockerfileStage | Target::DockerfileInstruction => {
            let Some(df) = file.document.as_dockerfile() else {
                return Vec::new();
            };
            let instructions: Vec<Tree> = df
                .instructions
                .iter()
                .map(|i| instruction_tree(id, i))
                .collect();
            let stages: Vec<Tree> = df
                .stages
                .iter()
                .map(|s| stage_tree(id, s, &instructions))
                .collect();
            match target {
                Target::DockerfileInstruction => instructions.into_iter().map(view).collect(),
                Target::DockerfileStage => stages.into_iter().map(view).collect(),
                _ => {
                    let anchor = df
                        .instructions
                        .first()
                        .map_or(Span::at(0), |i| i.keyword_span);
                    let mut entries = vec![
                        ("path".to_owned(), Tree::str(id, anchor, path.clone())),
                        (
                            "stages".to_owned(),
                            Tree::list(id, anchor, stages).with_anchor(anchor),
                        ),
                        (
                            "instructions".to_owned(),
                            Tree::list(id, anchor, instructions).with_anchor(anchor),
                        ),
                    ];
                    if let Some(d) = facts.dockerfile() {
                        entries.extend(dockerfile_fact_entries(id, d, anchor));
                    }
                    vec![view(Tree::map(id, anchor, entries).with_anchor(anchor))]
                }
            }
        }
        Target::PhpFpmPool => {
            let Some(f) = file.document.as_fpm() else {
                return Vec::new();
            };
            f.pools().map(|p| view(pool_tree(id, path, p))).collect()
        }
        Target::PhpIni => {
            let Some(f) = file.document.as_ini() else {
                return Vec::new();
            };
            vec![view(ini_tree(id, path, f, &file.source.text))]
        }
        Target::Deployment => Vec::new(),
    }
}

fn object_tree(id: FileId, o: &k8s::Object<'_>) -> Tree {
    Tree::from_yaml(id, o.root).with_anchor(o.anchor_span())
}

/// A number when the whole text is one, else the text.
fn typed(id: FileId, span: Span, text: &str) -> Tree {
    let t = text.trim();
    let value = match t.parse::<i64>() {
        Ok(n) if !(t.starts_with('+') || t.len() > 1 && t.starts_with('0')) => TValue::Int(n),
        _ => TValue::Str(text.to_owned()),
    };
    Tree::new(id, span, value)
}

fn instruction_tree(id: FileId, i: &dockerfile::Instruction) -> Tree {
    let mut entries = vec![(
        "keyword".to_owned(),
        Tree::str(id, i.keyword_span, i.keyword.name()),
    )];
    let args_text = match &i.args {
        dockerfile::Args::Exec { items, .. } => items
            .iter()
            .map(|x| x.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        dockerfile::Args::Shell(t) => t.text.trim().to_owned(),
    };
    entries.push(("args".to_owned(), Tree::str(id, i.args.span(), args_text)));
    entries.push((
        "exec".to_owned(),
        match &i.args {
            dockerfile::Args::Exec { items, span } => Tree::list(
                id,
                *span,
                items
                    .iter()
                    .map(|x| Tree::str(id, x.span, x.text.clone()))
                    .collect(),
            ),
            dockerfile::Args::Shell(t) => Tree::null(id, t.span),
        },
    ));
    let flags = i
        .flags
        .iter()
        .map(|f| {
            let v = match &f.value {
                Some(v) => Tree::str(id, v.span, v.text.clone()),
                None => Tree::new(id, f.span, TValue::Bool(true)),
            };
            (f.name.to_ascii_lowercase(), v)
        })
        .collect();
    entries.push((
        "flags".to_owned(),
        Tree::map(id, i.keyword_span, flags).with_anchor(i.keyword_span),
    ));
    entries.push((
        "stage".to_owned(),
        match i.stage {
            Some(s) => Tree::new(id, i.keyword_span, TValue::Int(s as i64)),
            None => Tree::null(id, i.keyword_span),
        },
    ));
    Tree::map(id, i.span, entries).with_anchor(i.keyword_span)
}

fn stage_tree(id: FileId, s: &dockerfile::Stage, instructions: &[Tree]) -> Tree {
    let anchor = instructions
        .get(s.from)
        .and_then(|t| t.get("keyword"))
        .map_or(s.image.span, |k| k.span);
    let list: Vec<Tree> = s
        .instructions
        .clone()
        .filter_map(|i| instructions.get(i).cloned())
        .collect();
    Tree::map(
        id,
        s.image.span,
        vec![
            (
                "index".to_owned(),
                Tree::new(id, anchor, TValue::Int(s.index as i64)),
            ),
            (
                "name".to_owned(),
                match &s.name {
                    Some(n) => Tree::str(id, n.span, n.text.clone()),
                    None => Tree::null(id, s.image.span),
                },
            ),
            (
                "image".to_owned(),
                Tree::str(id, s.image.span, s.image.text.clone()),
            ),
            (
                "instructions".to_owned(),
                Tree::list(id, anchor, list).with_anchor(anchor),
            ),
        ],
    )
    .with_anchor(anchor)
}

fn dockerfile_fact_entries(
    id: FileId,
    d: &crate::project::facts::DockerfileFacts,
    anchor: Span,
) -> Vec<(String, Tree)> {
    let loc = |l: &Option<crate::project::facts::Loc>| match l {
        Some(l) => Tree::str(id, l.span, l.text.clone()),
        None => Tree::null(id, anchor),
    };
    let runtime_span = d.runtime_span.unwrap_or(anchor);
    let words = |w: &[String]| {
        Tree::list(
            id,
            runtime_span,
            w.iter()
                .map(|s| Tree::str(id, runtime_span, s.clone()))
                .collect(),
        )
    };
    let env = d
        .env
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                match v {
                    Some(v) => Tree::str(id, anchor, v.clone()),
                    None => Tree::null(id, anchor),
                },
            )
        })
        .collect();
    vec![
        ("base_image".to_owned(), loc(&d.base_image)),
        ("user".to_owned(), loc(&d.user)),
        ("entrypoint".to_owned(), words(&d.entrypoint)),
        ("runtime".to_owned(), words(&d.runtime)),
        (
            "process".to_owned(),
            Tree::str(id, runtime_span, d.process.kind.name()),
        ),
        (
            "expose".to_owned(),
            Tree::list(
                id,
                anchor,
                d.expose
                    .iter()
                    .map(|l| typed(id, l.span, &l.text))
                    .collect(),
            ),
        ),
        ("env".to_owned(), Tree::map(id, anchor, env)),
    ]
}

fn pool_tree(id: FileId, path: &str, p: &fpm::Section) -> Tree {
    let anchor = p.name.as_ref().map_or(p.header, |n| n.span);
    let mut directives: Vec<(String, Tree)> = Vec::new();
    for d in &p.directives {
        let value = typed(id, d.value.span, &d.value.text).with_anchor(d.value.span);
        let name = d.name.text.to_ascii_lowercase();
        match &d.offset {
            Some(off) => {
                // `env[PATH]`, `php_admin_value[memory_limit]`: nested maps.
                let slot = match directives.iter().position(|(k, _)| *k == name) {
                    Some(i) => i,
                    None => {
                        directives.push((
                            name.clone(),
                            Tree::map(id, d.key_span, Vec::new()).with_anchor(d.name.span),
                        ));
                        directives.len() - 1
                    }
                };
                if let TValue::Map(m) = &mut directives[slot].1.value {
                    m.retain(|(k, _)| *k != off.text);
                    m.push((off.text.clone(), value));
                }
            }
            None => {
                // The last one wins, as php-fpm reads it.
                directives.retain(|(k, _)| *k != name);
                directives.push((name, value));
            }
        }
    }
    Tree::map(
        id,
        p.span,
        vec![
            (
                "name".to_owned(),
                match &p.name {
                    Some(n) => Tree::str(id, n.span, n.text.clone()),
                    None => Tree::null(id, p.header),
                },
            ),
            ("path".to_owned(), Tree::str(id, anchor, path)),
            (
                "directives".to_owned(),
                Tree::map(id, p.span, directives).with_anchor(p.header),
            ),
        ],
    )
    .with_anchor(p.header)
}

fn ini_directives(id: FileId, f: &ini::IniFile, text: &str) -> Vec<(String, Tree)> {
    let mut directives: Vec<(String, Tree)> = Vec::new();
    for e in &f.entries {
        let key = match &e.offset {
            Some((off, _)) => format!("{}[{off}]", e.key),
            None => e.key.clone(),
        };
        let value = match e.value.text() {
            Some(t) => typed(id, e.value.span, &t),
            None => Tree::str(
                id,
                e.value.span,
                text.get(e.value.span.range()).unwrap_or_default(),
            ),
        }
        .with_anchor(if e.value.span.is_empty() {
            e.key_span
        } else {
            e.value.span
        });
        if !e.is_extension_load() {
            directives.retain(|(k, _)| *k != key);
        }
        directives.push((key, value));
    }
    directives
}

fn ini_tree(id: FileId, path: &str, f: &ini::IniFile, text: &str) -> Tree {
    let anchor = f.entries.first().map_or(Span::at(0), |e| e.key_span);
    Tree::map(
        id,
        anchor,
        vec![
            ("path".to_owned(), Tree::str(id, anchor, path)),
            (
                "directives".to_owned(),
                Tree::map(id, anchor, ini_directives(id, f, text)).with_anchor(anchor),
            ),
        ],
    )
    .with_anchor(anchor)
}

/// One view per container of every workload, with what the graph links to it.
pub fn deployment_views(project: &Project<'_>) -> Vec<View> {
    let mut out = Vec::new();
    for d in project.containers() {
        let fid = d.file();
        let Some(y) = project.file(fid).and_then(|f| f.document.as_yaml()) else {
            continue;
        };
        let objects = k8s::objects(y);
        let Some(o) = objects.get(d.workload.object.index) else {
            continue;
        };
        let Some(c) = o.containers().into_iter().nth(d.node.index) else {
            continue;
        };
        let anchor = c.anchor_span();
        let container = Tree::from_yaml(fid, c.node).with_anchor(anchor);
        let pod = o
            .pod_spec()
            .map_or_else(|| Tree::null(fid, anchor), |s| Tree::from_yaml(fid, s));
        let kind_span = o.anchor_span();
        let name_span = o
            .root
            .path(&["metadata", "name"])
            .map_or(kind_span, |n| n.span);
        let replicas = match o.root.path(&["spec", "replicas"]) {
            Some(n) => Tree::from_yaml(fid, n),
            None => Tree::null(fid, kind_span),
        };
        let workload = Tree::map(
            fid,
            o.root.span,
            vec![
                ("kind".to_owned(), Tree::str(fid, kind_span, o.kind)),
                (
                    "name".to_owned(),
                    Tree::str(fid, name_span, o.name().unwrap_or_default()),
                ),
                (
                    "namespace".to_owned(),
                    Tree::str(fid, kind_span, d.object.namespace()),
                ),
                ("replicas".to_owned(), replicas),
            ],
        )
        .with_anchor(kind_span);
        let image = match &d.container.image {
            Some(l) => Tree::str(fid, l.span, l.text.clone()),
            None => Tree::null(fid, anchor),
        };
        let p = &d.node.process;
        let process_span = c
            .node
            .entry("command")
            .or_else(|| c.node.entry("args"))
            .map_or(anchor, |e| e.key.span);
        let mut process = vec![
            (
                "kind".to_owned(),
                Tree::str(fid, process_span, p.kind.name()),
            ),
            (
                "argv".to_owned(),
                Tree::list(
                    fid,
                    process_span,
                    p.argv
                        .iter()
                        .map(|a| Tree::str(fid, process_span, a.clone()))
                        .collect(),
                ),
            ),
        ];
        for (k, v) in [
            ("subcommand", p.subcommand.clone()),
            ("server", p.octane_server().map(str::to_owned)),
            ("workers", p.flag("--workers").map(str::to_owned)),
            ("max_requests", p.flag("--max-requests").map(str::to_owned)),
        ] {
            process.push((
                k.to_owned(),
                match v {
                    Some(v) => typed(fid, process_span, &v),
                    None => Tree::null(fid, process_span),
                },
            ));
        }
        let dockerfile = match &d.node.dockerfile {
            Some(link) => {
                let df = link.to;
                let anchor_df = project
                    .file(df)
                    .and_then(|f| f.document.as_dockerfile())
                    .and_then(|x| x.instructions.first())
                    .map_or(Span::at(0), |i| i.keyword_span);
                let mut entries = vec![(
                    "path".to_owned(),
                    Tree::str(df, anchor_df, project.path(df)),
                )];
                if let Some(facts) = project.facts_of(df).dockerfile() {
                    entries.extend(dockerfile_fact_entries(df, facts, anchor_df));
                }
                Tree::map(df, anchor_df, entries).with_anchor(anchor_df)
            }
            None => Tree::null(fid, anchor),
        };
        let mut pools = Vec::new();
        for link in &d.node.pools {
            if let Some(f) = project.file(link.to) {
                if let Some(doc) = f.document.as_fpm() {
                    pools.extend(doc.pools().map(|p| pool_tree(f.id, &f.source.path, p)));
                }
            }
        }
        let mut ini_entries: Vec<(String, Tree)> = Vec::new();
        for link in &d.node.inis {
            if let Some(f) = project.file(link.to) {
                if let Some(doc) = f.document.as_ini() {
                    for (k, v) in ini_directives(f.id, doc, &f.source.text) {
                        ini_entries.retain(|(x, _)| *x != k);
                        ini_entries.push((k, v));
                    }
                }
            }
        }
        let env = d
            .container
            .env
            .iter()
            .map(|e| {
                let v = match &e.value {
                    crate::project::facts::EnvValue::Literal(s) => typed(fid, e.span, s),
                    _ => Tree::null(fid, e.span),
                };
                (e.name.clone(), v)
            })
            .collect();
        let tree = Tree::map(
            fid,
            c.node.span,
            vec![
                ("workload".to_owned(), workload),
                ("container".to_owned(), container),
                ("pod".to_owned(), pod),
                ("image".to_owned(), image),
                (
                    "process".to_owned(),
                    Tree::map(fid, process_span, process).with_anchor(process_span),
                ),
                ("dockerfile".to_owned(), dockerfile),
                (
                    "pools".to_owned(),
                    Tree::list(fid, anchor, pools).with_anchor(anchor),
                ),
                (
                    "ini".to_owned(),
                    Tree::map(fid, anchor, ini_entries).with_anchor(anchor),
                ),
                (
                    "env".to_owned(),
                    Tree::map(fid, anchor, env).with_anchor(anchor),
                ),
            ],
        )
        .with_anchor(anchor);
        out.push(View {
            tree,
            scope: Vec::new(),
            kind: Some(o.kind.to_owned()),
        });
    }
    out
}
