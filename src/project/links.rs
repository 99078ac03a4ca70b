//! Links between files, each with the evidence that made it: a Kubernetes
//! container to the Dockerfile that builds its image, an image to the php-fpm
//! pools and php.ini files it copies in, a container to its env sources and
//! ConfigMap-mounted config, and Services, HPAs and PDBs to the workloads
//! they select. Built once per run from the facts, in time linear in the
//! number of files (indexes by name, never all pairs).

use super::defaults::OfficialPhp;
use super::facts::{
    ComposeFacts, ContainerFacts, DockerfileFacts, EnvValue, FileFacts, ObjectFacts, VolumeSource,
};
use super::process::{Process, ProcessKind};
use crate::config::Settings;
use crate::diagnostic::FileId;
use crate::model::image::{repository, short_name};
use crate::model::kustomize::{Generator, GeneratorKind};
use crate::parse::ParsedFile;
use crate::source::hash::{FastMap, FastSet, map_with_capacity};
use crate::source::{FileKind, Span};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Component, Path};

/// Why a link exists: shown by `graph` and in cross-file messages.
#[derive(Clone, Debug)]
pub struct Evidence {
    pub why: String,
    pub file: FileId,
    pub span: Span,
    /// A heuristic link (a single Dockerfile, a name that merely resembles).
    pub guess: bool,
}

#[derive(Clone, Debug)]
pub struct Link<T> {
    pub to: T,
    pub evidence: Evidence,
}

/// A Kubernetes object: its file and index in that file's facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjRef {
    pub file: FileId,
    pub index: usize,
}

/// A ConfigMap or Secret generator of a kustomization: its file and index
/// in that file's generators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GenRef {
    pub file: FileId,
    pub index: usize,
}

#[derive(Debug, Default)]
pub struct Graph {
    /// One per Dockerfile, in file order.
    pub images: Vec<ImageNode>,
    /// One per workload (an object with a pod template), in file order.
    pub workloads: Vec<Workload>,
    /// One per compose service.
    pub compose: Vec<ComposeNode>,
    /// Each Dockerfile's place in `images`.
    image_index: FastMap<FileId, usize>,
}

impl Graph {
    /// The image the Dockerfile `file` builds (by index: linking and the
    /// cross-file rules ask per container, and a scan of every image per
    /// question was quadratic in the number of apps).
    pub fn image_of(&self, file: FileId) -> Option<&ImageNode> {
        self.image_index
            .get(&file)
            .and_then(|&i| self.images.get(i))
    }
}

#[derive(Debug)]
pub struct ImageNode {
    pub file: FileId,
    pub pools: Vec<Link<FileId>>,
    pub inis: Vec<Link<FileId>>,
    /// nginx configs copied to an nginx path (`/etc/nginx/conf.d/`).
    pub nginx: Vec<Link<FileId>>,
    /// Where each linked file lands in the image (`/usr/local/etc/php/conf.d/opcache.ini`).
    pub dests: HashMap<FileId, String>,
}

impl ImageNode {
    /// The linked ini files in the order PHP reads them: `php.ini` first,
    /// then the scan directory alphabetically by destination name.
    pub fn inis_in_read_order(&self) -> Vec<FileId> {
        let mut v: Vec<(bool, String, FileId)> = self
            .inis
            .iter()
            .map(|l| {
                let dest = self.dests.get(&l.to).map_or("", String::as_str);
                let name = file_name(dest).to_owned();
                (name != "php.ini", name, l.to)
            })
            .collect();
        v.sort();
        v.into_iter().map(|(_, _, id)| id).collect()
    }
}

#[derive(Debug)]
pub struct Workload {
    pub object: ObjRef,
    pub containers: Vec<ContainerNode>,
    pub services: Vec<Link<ObjRef>>,
    pub hpas: Vec<Link<ObjRef>>,
    pub pdbs: Vec<Link<ObjRef>>,
    /// The kustomize generators whose build includes the workload's file
    /// (kustomize rewrites references to their names in that build).
    pub generated: Vec<GenRef>,
}

#[derive(Debug)]
pub struct ContainerNode {
    /// Index into the pod's containers.
    pub index: usize,
    pub process: Process,
    pub process_evidence: Evidence,
    /// The process was inferred from an image name only.
    pub process_guess: bool,
    pub dockerfile: Option<Link<FileId>>,
    pub pools: Vec<Link<FileId>>,
    pub inis: Vec<Link<FileId>>,
    /// ConfigMap keys mounted at PHP config paths.
    pub config_mounts: Vec<Link<ConfigMount>>,
    pub env_sources: Vec<Link<EnvSource>>,
    /// The `config/horizon.php` a Horizon container reads (a guess: the one
    /// of the app its Dockerfile sits in, else the workspace's only one).
    pub horizon: Option<Link<FileId>>,
    /// nginx configs mounted from a kustomize-generated ConfigMap (the
    /// generator's `files:` entry is the evidence).
    pub nginx: Vec<Link<FileId>>,
    /// Where each file mounted from a generated ConfigMap lands (pools,
    /// ini files, nginx configs above), in mount order.
    pub generated_dests: Vec<(FileId, String)>,
}

#[derive(Clone, Debug)]
pub struct ConfigMount {
    pub configmap: String,
    pub object: Option<ObjRef>,
    /// The kustomize generators of that name in the workload's build.
    pub generated: Vec<GenRef>,
    pub key: Option<String>,
    pub path: String,
}

#[derive(Clone, Debug)]
pub enum EnvSource {
    Inline,
    ConfigMap {
        name: String,
        object: Option<ObjRef>,
    },
    Secret {
        name: String,
        object: Option<ObjRef>,
    },
    /// A ConfigMap or Secret no manifest defines that kustomize generators
    /// of the workload's build do.
    Generated {
        name: String,
        secret: bool,
        generators: Vec<GenRef>,
    },
    Field,
}

#[derive(Debug)]
pub struct ComposeNode {
    pub file: FileId,
    pub service: usize,
    pub dockerfile: Option<Link<FileId>>,
    pub process: Process,
}

/// Whether `path` (after one leading `/`) is non-empty and every segment is
/// a name: no empty segment, `.` or `..`. One pass over the bytes.
fn is_normal(path: &str) -> bool {
    let rest = path.strip_prefix('/').unwrap_or(path).as_bytes();
    if rest.is_empty() {
        return false;
    }
    rest.split(|&b| b == b'/')
        .all(|seg| !matches!(seg, b"" | b"." | b".."))
}

/// Path with `.` and `..` resolved and `./` removed, `/`-separated.
pub fn normalize(path: &str) -> String {
    // Most paths are normal already (linking tries a `COPY` source in every
    // directory above the Dockerfile): one scan instead of a component walk.
    if is_normal(path) {
        return path.to_owned();
    }
    let mut out: Vec<&str> = Vec::new();
    let absolute = path.starts_with('/');
    for c in Path::new(path).components() {
        match c {
            Component::Normal(s) => out.push(s.to_str().unwrap_or("")),
            Component::ParentDir => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !absolute {
                    out.push("..");
                }
            }
            _ => {}
        }
    }
    let joined = out.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// A path made absolute against the working directory, then normalized:
/// files named from different directories compare equal.
fn absolute(path: &str, cwd: Option<&Path>) -> String {
    match cwd {
        Some(cwd) if Path::new(path).is_relative() => {
            // The walk names files `./dir/file`: without the `./` the joined
            // path is usually normal already, which `normalize` sees in one scan.
            let mut rel = path;
            while let Some(r) = rel.strip_prefix("./") {
                rel = r.trim_start_matches('/');
            }
            match cwd.to_str() {
                // (`Path::join` and `to_string_lossy` cost more than the rest.)
                Some(dir) if dir.starts_with('/') && !rel.is_empty() => {
                    let dir = dir.trim_end_matches('/');
                    let mut joined = String::with_capacity(dir.len() + 1 + rel.len());
                    joined.push_str(dir);
                    joined.push('/');
                    joined.push_str(rel);
                    if is_normal(&joined) {
                        joined
                    } else {
                        normalize(&joined)
                    }
                }
                _ => normalize(&cwd.join(rel).to_string_lossy()),
            }
        }
        _ => normalize(path),
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// [`join_normal_into`] as a new string (what the tests compare with [`join`]).
#[cfg(test)]
fn join_normal(dir: &str, rel: &str) -> String {
    let mut out = String::new();
    join_normal_into(&mut out, dir, rel);
    out
}

/// [`join`] of a normal `dir` and a normal `rel` that does not climb
/// (`..`): the same path, without normalizing it again, into a reused
/// buffer (the COPY-source walk tries one join per ancestor directory).
fn join_normal_into(out: &mut String, dir: &str, rel: &str) {
    out.clear();
    if !(dir.is_empty() || rel.starts_with('/')) {
        out.reserve(dir.len() + 1 + rel.len());
        if dir != "/" {
            out.push_str(dir);
        }
        out.push('/');
    }
    out.push_str(rel);
}

fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() || rel.starts_with('/') {
        normalize(rel)
    } else {
        normalize(&format!("{dir}/{rel}"))
    }
}

/// Destinations in an image where php-fpm reads pool configuration.
fn is_fpm_dest(dest: &str) -> bool {
    let d = dest.to_ascii_lowercase();
    d.contains("php-fpm") || d.contains("/fpm/") || d.contains("pool.d")
}

/// Destinations in an image where PHP reads ini files.
fn is_ini_dest(dest: &str) -> bool {
    let d = dest.to_ascii_lowercase();
    d.contains("php")
        && (d.contains("conf.d")
            || d.ends_with(".ini")
            || d.ends_with("/php/")
            || d.ends_with("/php"))
}

struct Index<'a> {
    files: &'a [ParsedFile],
    facts: &'a [FileFacts],
    /// Every file's normalized absolute path; the maps below borrow their
    /// keys from it (a directory key is a prefix of a path).
    paths: &'a [String],
    /// Config files (php-fpm, php.ini, nginx) by their normalized absolute
    /// path (a `COPY` source naming a file finds it in one lookup).
    config_at: FastMap<&'a str, Vec<FileId>>,
    /// Config files by path, sorted: the files under a directory are a
    /// range (indexing every file under each directory above it was tens of
    /// thousands of small lists to build and free at 10,000 files).
    config_paths: Vec<(&'a str, FileId)>,
    /// Config files by their own directory.
    config_in: FastMap<&'a str, Vec<FileId>>,
    dockerfiles: Vec<FileId>,
    dockerfile_by_path: FastMap<&'a str, FileId>,
    /// (namespace, kind, name) to object.
    objects: FastMap<(&'a str, &'a str, &'a str), ObjRef>,
    /// Every file by its normalized absolute path.
    by_path: FastMap<&'a str, FileId>,
    /// Kustomization files by their directory.
    kustomization_in: FastMap<&'a str, FileId>,
    /// Per manifest file: the generators whose kustomize build includes it.
    generated_for: FastMap<FileId, Vec<GenRef>>,
}

impl<'a> Index<'a> {
    fn new(files: &'a [ParsedFile], facts: &'a [FileFacts], paths: &'a [String]) -> Self {
        let mut ix = Index {
            files,
            facts,
            paths,
            config_at: FastMap::default(),
            config_paths: Vec::new(),
            config_in: FastMap::default(),
            dockerfiles: Vec::new(),
            dockerfile_by_path: FastMap::default(),
            objects: FastMap::default(),
            by_path: map_with_capacity(files.len()),
            kustomization_in: FastMap::default(),
            generated_for: FastMap::default(),
        };
        for f in files {
            let path = paths[f.id].as_str();
            ix.by_path.entry(path).or_insert(f.id);
            if facts.get(f.id).and_then(FileFacts::kustomization).is_some() {
                ix.kustomization_in.entry(parent(path)).or_insert(f.id);
            }
            match f.kind() {
                Some(FileKind::PhpFpm | FileKind::PhpIni | FileKind::Nginx) => {
                    ix.config_in.entry(parent(path)).or_default().push(f.id);
                    ix.config_paths.push((path, f.id));
                    ix.config_at.entry(path).or_default().push(f.id);
                }
                Some(FileKind::Dockerfile) => {
                    ix.dockerfiles.push(f.id);
                    ix.dockerfile_by_path.insert(path, f.id);
                }
                _ => {}
            }
            if let Some(k) = facts.get(f.id).and_then(FileFacts::kubernetes) {
                for (i, o) in k.objects.iter().enumerate() {
                    if let Some(name) = &o.name {
                        ix.objects
                            .entry((o.namespace(), o.kind.as_str(), name.as_str()))
                            .or_insert(ObjRef {
                                file: f.id,
                                index: i,
                            });
                    }
                }
            }
        }
        ix.config_paths.sort_unstable();
        ix.generated_for = generated_for(&ix);
        ix
    }

    /// The config files below directory `dir` (at any depth), in file order.
    fn config_under(&self, dir: &str) -> Vec<FileId> {
        if dir.is_empty() || dir == "/" {
            return Vec::new();
        }
        let from = self.config_paths.partition_point(|(p, _)| *p < dir);
        let mut ids: Vec<FileId> = self.config_paths[from..]
            .iter()
            .take_while(|(p, _)| p.starts_with(dir))
            .filter(|(p, _)| p.as_bytes().get(dir.len()) == Some(&b'/'))
            .map(|&(_, id)| id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The generators of kind `kind` named `name` in the build of `file`.
    fn generators(&self, file: FileId, kind: GeneratorKind, name: &str) -> Vec<GenRef> {
        self.generated_for
            .get(&file)
            .into_iter()
            .flatten()
            .copied()
            .filter(|g| {
                self.generator(*g)
                    .is_some_and(|generator| generator.kind == kind && generator.name.text == name)
            })
            .collect()
    }

    fn generator(&self, g: GenRef) -> Option<&'a Generator> {
        self.facts
            .get(g.file)
            .and_then(FileFacts::kustomization)
            .and_then(|k| k.generators.get(g.index))
    }

    /// A path of a kustomization (`files:`, `envs:`, `resources:` entries are
    /// relative to its directory) as a file of the run.
    fn relative_file(&self, kustomization: FileId, rel: &str) -> Option<FileId> {
        if rel.contains("://") {
            return None;
        }
        let dir = parent(self.path(kustomization));
        self.by_path.get(join(dir, rel).as_str()).copied()
    }

    /// The normalized absolute path, for matching.
    fn path(&self, id: FileId) -> &str {
        &self.paths[id]
    }

    /// The path as shown to the user, for messages.
    fn display(&self, id: FileId) -> &str {
        &self.files[id].source.path
    }

    fn dockerfile_facts(&self, id: FileId) -> Option<&'a DockerfileFacts> {
        self.facts.get(id).and_then(FileFacts::dockerfile)
    }

    /// Config files a `COPY` source can name. The build context is not in
    /// the Dockerfile, so the source is tried against the Dockerfile's
    /// directory and each directory above it (the context is one of them
    /// for nearly every repository); the nearest that has matches wins.
    /// Sources can be files, directories or `*` patterns.
    fn copy_sources(&self, src: &str, df_dir: &str) -> Vec<FileId> {
        // (No pool, ini or nginx file in the run: nothing to find.)
        if self.config_in.is_empty() {
            return Vec::new();
        }
        let src = normalize(src.trim_end_matches('/'));
        if src.is_empty() || src == "." || src.starts_with("..") {
            return Vec::new();
        }
        let name = file_name(&src);
        let glob = if name.contains(['*', '?', '[']) {
            match globset::Glob::new(name) {
                Ok(g) => Some(g.compile_matcher()),
                Err(_) => return Vec::new(),
            }
        } else {
            None
        };
        let mut dir = df_dir;
        let mut full = String::new();
        loop {
            // (`src` is normal and does not climb; `dir` is a normal path's parent.)
            join_normal_into(&mut full, dir, &src);
            let hits: Vec<FileId> = match &glob {
                None => {
                    // The file itself, else the files under the directory.
                    let exact: Vec<FileId> = self
                        .config_at
                        .get(full.as_str())
                        .cloned()
                        .unwrap_or_default();
                    if exact.is_empty() {
                        self.config_under(&full)
                    } else {
                        exact
                    }
                }
                Some(m) => self
                    .config_in
                    .get(parent(&full))
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&id| m.is_match(file_name(self.path(id))))
                    .collect(),
            };
            if !hits.is_empty() {
                return hits;
            }
            if dir.is_empty() || dir == "/" {
                return Vec::new();
            }
            dir = match dir.rsplit_once('/') {
                Some(("", _)) => "/",
                Some((d, _)) => d,
                None => "",
            };
        }
    }
}

/// Builds the graph from the facts of every file of the run.
pub fn build(files: &[ParsedFile], facts: &[FileFacts], settings: &Settings, root: &Path) -> Graph {
    let cwd = std::env::current_dir().ok();
    let paths: Vec<String> = files
        .par_iter()
        .with_min_len(256)
        .map(|f| absolute(&f.source.path, cwd.as_deref()))
        .collect();
    let ix = Index::new(files, facts, &paths);
    // Images and workloads are linked independently of each other: on all
    // cores (the graph is built once per run, between the parallel phases).
    let mut graph = Graph {
        images: ix
            .dockerfiles
            .par_iter()
            .map(|&id| image_node(&ix, id))
            .collect(),
        ..Graph::default()
    };
    graph.image_index = graph
        .images
        .iter()
        .enumerate()
        .map(|(i, n)| (n.file, i))
        .collect();

    // Compose: `build` + `image` says which Dockerfile builds an image.
    let mut compose_images: Vec<(String, Link<FileId>)> = Vec::new();
    for f in files {
        let Some(c) = facts.get(f.id).and_then(FileFacts::compose) else {
            continue;
        };
        compose_nodes(&ix, f.id, c, &mut graph, &mut compose_images);
    }

    let config_root = absolute(&root.to_string_lossy(), cwd.as_deref());
    let mapped: Vec<(String, FileId, String)> = settings
        .images
        .iter()
        .filter_map(|(image, path)| {
            let p = join(&config_root, path);
            ix.dockerfile_by_path
                .get(p.as_str())
                .map(|&id| (image.clone(), id, path.clone()))
        })
        .collect();
    let names = dockerfile_names(&ix, &config_root);

    let linking = Linking {
        ix: &ix,
        graph: &graph,
        mapped: &mapped,
        compose_images: &compose_images,
        names: &names,
    };
    let per_file: Vec<Vec<Workload>> = files
        .par_iter()
        .map(|f| match facts.get(f.id).and_then(FileFacts::kubernetes) {
            Some(k) => linking.workloads(f.id, k),
            None => Vec::new(),
        })
        .collect();
    graph.workloads = per_file.into_iter().flatten().collect();
    let horizons: Vec<FileId> = files
        .iter()
        .filter(|f| facts.get(f.id).and_then(FileFacts::horizon).is_some())
        .map(|f| f.id)
        .collect();
    if !horizons.is_empty() {
        for w in &mut graph.workloads {
            for c in &mut w.containers {
                if c.process.kind == ProcessKind::Horizon {
                    c.horizon = link_horizon(&ix, &horizons, c.dockerfile.as_ref());
                }
            }
        }
    }
    link_selectors(&ix, &mut graph);
    graph
}

/// What linking a manifest's containers reads (built once per run).
struct Linking<'a, 'b> {
    ix: &'a Index<'b>,
    /// The images, linked already.
    graph: &'a Graph,
    mapped: &'a [(String, FileId, String)],
    compose_images: &'a [(String, Link<FileId>)],
    names: &'a DockerfileNames,
}

impl Linking<'_, '_> {
    /// The workloads of one manifest, each container linked to its image's
    /// Dockerfile and what the image and the pod give it.
    fn workloads(&self, file: FileId, k: &super::facts::K8sFacts) -> Vec<Workload> {
        let ix = self.ix;
        let mut out = Vec::new();
        for (i, o) in k.objects.iter().enumerate() {
            let Some(pod) = &o.pod else { continue };
            let containers = pod
                .containers
                .iter()
                .enumerate()
                .map(|(ci, c)| {
                    let dockerfile = c.image.as_ref().and_then(|img| {
                        link_dockerfile(
                            ix,
                            file,
                            &img.text,
                            img.span,
                            self.mapped,
                            self.compose_images,
                            self.names,
                        )
                    });
                    container_node(ix, file, o, ci, c, dockerfile, self.graph)
                })
                .collect();
            out.push(Workload {
                object: ObjRef { file, index: i },
                containers,
                services: Vec::new(),
                hpas: Vec::new(),
                pdbs: Vec::new(),
                generated: ix.generated_for.get(&file).cloned().unwrap_or_default(),
            });
        }
        out
    }
}

fn image_node(ix: &Index<'_>, id: FileId) -> ImageNode {
    let mut node = ImageNode {
        file: id,
        pools: Vec::new(),
        inis: Vec::new(),
        nginx: Vec::new(),
        dests: HashMap::new(),
    };
    let Some(df) = ix.dockerfile_facts(id) else {
        return node;
    };
    let df_dir = parent(ix.path(id)).to_owned();
    for copy in df.copies.iter().filter(|c| c.from.is_none()) {
        for src in &copy.sources {
            for target in ix.copy_sources(src, &df_dir) {
                let kind = ix.files[target].kind();
                // A destination ending in `/` (or naming a directory) keeps the file name.
                let dest = if copy.dest.ends_with('/')
                    || copy.sources.len() > 1
                    || !copy.dest.contains('.')
                {
                    format!(
                        "{}/{}",
                        copy.dest.trim_end_matches('/'),
                        file_name(ix.path(target))
                    )
                } else {
                    copy.dest.clone()
                };
                node.dests.entry(target).or_insert(dest);
                let evidence = Evidence {
                    why: format!("`COPY {src} {}`", copy.dest),
                    file: id,
                    span: copy.span,
                    guess: false,
                };
                match kind {
                    Some(FileKind::PhpFpm)
                        if is_fpm_dest(&copy.dest)
                            && !node.pools.iter().any(|l| l.to == target) =>
                    {
                        node.pools.push(Link {
                            to: target,
                            evidence,
                        });
                    }
                    Some(FileKind::PhpIni)
                        if is_ini_dest(&copy.dest) && !node.inis.iter().any(|l| l.to == target) =>
                    {
                        node.inis.push(Link {
                            to: target,
                            evidence,
                        });
                    }
                    Some(FileKind::Nginx)
                        if copy.dest.to_ascii_lowercase().contains("nginx")
                            && !node.nginx.iter().any(|l| l.to == target) =>
                    {
                        node.nginx.push(Link {
                            to: target,
                            evidence,
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    node
}

fn compose_nodes(
    ix: &Index<'_>,
    file: FileId,
    c: &ComposeFacts,
    graph: &mut Graph,
    compose_images: &mut Vec<(String, Link<FileId>)>,
) {
    let dir = parent(ix.path(file)).to_owned();
    for (si, s) in c.services.iter().enumerate() {
        let dockerfile = s.build_context.as_ref().and_then(|ctx| {
            let context = join(&dir, ctx);
            let df = s.dockerfile.as_deref().unwrap_or("Dockerfile");
            let path = join(&context, df);
            ix.dockerfile_by_path.get(path.as_str()).map(|&id| Link {
                to: id,
                evidence: Evidence {
                    why: format!("compose service `{}` builds `{}`", s.name, ix.display(id)),
                    file,
                    span: s.span,
                    guess: false,
                },
            })
        });
        if let (Some(image), Some(link)) = (&s.image, &dockerfile) {
            compose_images.push((repository(image).to_owned(), link.clone()));
        }
        let process = match (&s.command, &dockerfile) {
            // `entrypoint:` replaces the image's ENTRYPOINT and drops its CMD.
            _ if s.entrypoint.is_some() => Process::from_argv(
                &s.entrypoint
                    .iter()
                    .chain(&s.command)
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>(),
            ),
            (Some(cmd), Some(l)) => {
                let entry = ix
                    .dockerfile_facts(l.to)
                    .map(|d| d.entrypoint.clone())
                    .unwrap_or_default();
                Process::from_argv(&entry.iter().chain(cmd).cloned().collect::<Vec<_>>())
            }
            (Some(cmd), None) => Process::from_argv(cmd),
            (None, Some(l)) => ix
                .dockerfile_facts(l.to)
                .map(|d| d.process.clone())
                .unwrap_or_default(),
            (None, None) => s
                .image
                .as_deref()
                .and_then(OfficialPhp::parse)
                .map(|o| Process::from_argv(&o.defaults().argv()))
                .unwrap_or_default(),
        };
        graph.compose.push(ComposeNode {
            file,
            service: si,
            dockerfile,
            process,
        });
    }
}

/// Dockerfile names, then each directory above the Dockerfile: the
/// Dockerfiles with that name at or below it (looked up by `&str`, no key
/// built per question).
type DockerfileNames = FastMap<String, FastMap<String, Vec<FileId>>>;

/// The names each Dockerfile answers to (its directory: `docker/worker/Dockerfile`
/// is `worker`; its suffix: `Dockerfile.worker`, `worker.Dockerfile`; the
/// workspace's name for a Dockerfile at the root), keyed by name, then by
/// each directory above the Dockerfile, so the nearest Dockerfile of a name
/// is found by walking up from a manifest.
fn dockerfile_names(ix: &Index<'_>, root: &str) -> DockerfileNames {
    let mut out: Vec<(String, FileId)> = Vec::new();
    let root_name = Path::new(root).canonicalize().ok().and_then(|p| {
        p.file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
    });
    for &id in &ix.dockerfiles {
        let path = ix.path(id);
        let name = file_name(path).to_ascii_lowercase();
        for prefix in ["dockerfile.", "dockerfile-", "dockerfile_"] {
            if let Some(s) = name.strip_prefix(prefix) {
                out.push((s.to_owned(), id));
            }
        }
        if let Some(s) = name.strip_suffix(".dockerfile") {
            out.push((s.to_owned(), id));
        }
        let dir = parent(path);
        let dir_name = file_name(dir).to_ascii_lowercase();
        if !dir_name.is_empty() && !matches!(dir_name.as_str(), "docker" | "." | "..") {
            out.push((dir_name, id));
        } else if let Some(r) = &root_name {
            if dir.is_empty() || dir == root {
                out.push((r.clone(), id));
            }
        }
    }
    let mut map: DockerfileNames = FastMap::default();
    for (name, id) in out {
        let mut dir = parent(ix.path(id));
        let by_dir = map.entry(name).or_default();
        loop {
            // (All of a file's names are pushed together: a repeat of `id`
            // is the last one. The key is copied only when it is new.)
            match by_dir.get_mut(dir) {
                Some(ids) => {
                    if ids.last() != Some(&id) {
                        ids.push(id);
                    }
                }
                None => {
                    by_dir.insert(dir.to_owned(), vec![id]);
                }
            }
            if dir.is_empty() {
                break;
            }
            dir = parent(dir);
        }
    }
    map
}

/// Images from Docker Hub's library (`nginx`, `redis`, `php:8.3-fpm`) are
/// never built by the repository unless config or compose says so.
fn is_library_image(image: &str) -> bool {
    !repository(image).contains('/')
}

#[allow(clippy::too_many_arguments)]
fn link_dockerfile(
    ix: &Index<'_>,
    file: FileId,
    image: &str,
    span: Span,
    mapped: &[(String, FileId, String)],
    compose_images: &[(String, Link<FileId>)],
    names: &DockerfileNames,
) -> Option<Link<FileId>> {
    let repo = repository(image);
    let no_tag = image
        .split('@')
        .next()
        .map(|s| match s.rfind(':') {
            Some(i) if !s[i..].contains('/') => &s[..i],
            _ => s,
        })
        .unwrap_or(image);
    let ev = |why: String, guess: bool| Evidence {
        why,
        file,
        span,
        guess,
    };
    for (key, id, path) in mapped {
        if key == no_tag || repository(key) == repo {
            return Some(Link {
                to: *id,
                evidence: ev(
                    format!("`images:` in .deploylint.yaml maps `{key}` to `{path}`"),
                    false,
                ),
            });
        }
    }
    if let Some((_, l)) = compose_images.iter().find(|(r, _)| r == repo) {
        return Some(Link {
            to: l.to,
            evidence: ev(format!("{} (same image `{repo}`)", l.evidence.why), false),
        });
    }
    if is_library_image(image) {
        return None;
    }
    let short = short_name(image).to_ascii_lowercase();
    // The names the image answers to: `app-7-fpm` is also `7-fpm` and `fpm`;
    // the longest that names a Dockerfile wins.
    let mut suffixes = vec![short.as_str()];
    suffixes.extend(
        short
            .char_indices()
            .filter(|(_, c)| matches!(c, '-' | '_'))
            .map(|(i, _)| &short[i + 1..]),
    );
    // Several Dockerfiles may answer to a name (every app of a monorepo has
    // `docker/fpm/`): the one nearest the manifest wins, looking in its
    // directory, then each directory above it.
    let here = parent(ix.path(file));
    for name in suffixes {
        let Some(by_dir) = names.get(name) else {
            continue;
        };
        let mut dir = here;
        loop {
            if let Some(ids) = by_dir.get(dir) {
                if ids.len() > 1 {
                    return None; // as near as each other: ambiguous
                }
                let id = ids[0];
                return Some(Link {
                    to: id,
                    evidence: ev(
                        format!("image name `{short}` matches `{}`", ix.display(id)),
                        false,
                    ),
                });
            }
            if dir.is_empty() {
                break;
            }
            dir = parent(dir);
        }
    }
    if ix.dockerfiles.len() == 1 {
        let id = ix.dockerfiles[0];
        return Some(Link {
            to: id,
            evidence: ev(
                format!("the only Dockerfile of the workspace, `{}`", ix.display(id)),
                true,
            ),
        });
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn container_node(
    ix: &Index<'_>,
    file: FileId,
    object: &ObjectFacts,
    index: usize,
    c: &ContainerFacts,
    dockerfile: Option<Link<FileId>>,
    graph: &Graph,
) -> ContainerNode {
    let df = dockerfile.as_ref().and_then(|l| ix.dockerfile_facts(l.to));
    let official = c.image.as_ref().and_then(|i| OfficialPhp::parse(&i.text));
    let image_entrypoint: Vec<String> = match (df, &official) {
        (Some(d), _) => d.entrypoint.clone(),
        (None, Some(o)) => o
            .defaults()
            .entrypoint
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        _ => Vec::new(),
    };
    let here = |why: &str| Evidence {
        why: why.to_owned(),
        file,
        span: c.span,
        guess: false,
    };
    let mut guess = false;
    let (process, evidence) = match (&c.command, &c.args) {
        (Some(cmd), args) => (
            Process::from_argv(
                &cmd.iter()
                    .chain(args.iter().flatten())
                    .cloned()
                    .collect::<Vec<_>>(),
            ),
            here("`command` in the manifest"),
        ),
        (None, Some(args)) if df.is_some() || official.is_some() || image_entrypoint.is_empty() => {
            (
                Process::from_argv(
                    &image_entrypoint
                        .iter()
                        .chain(args)
                        .cloned()
                        .collect::<Vec<_>>(),
                ),
                here("`args` in the manifest, after the image's ENTRYPOINT"),
            )
        }
        _ => match (df, &official, &dockerfile) {
            (Some(d), _, Some(l)) => (
                d.process.clone(),
                match (d.runtime_span, &d.base_image) {
                    (None, Some(base)) => Evidence {
                        why: format!(
                            "`{}` sets no CMD: the base image `{}` runs `{}`",
                            ix.display(l.to),
                            base.text,
                            d.runtime.join(" ")
                        ),
                        file: l.to,
                        span: base.span,
                        guess: l.evidence.guess,
                    },
                    _ => Evidence {
                        why: format!("CMD/ENTRYPOINT of `{}`", ix.display(l.to)),
                        file: l.to,
                        span: d.runtime_span.unwrap_or_default(),
                        guess: l.evidence.guess,
                    },
                },
            ),
            (_, Some(o), _) => (
                Process::from_argv(&o.defaults().argv()),
                here(&format!(
                    "the official image `php:{}` starts `{}`",
                    o.tag,
                    o.defaults().argv().join(" ")
                )),
            ),
            _ => {
                let short = c
                    .image
                    .as_ref()
                    .map(|i| short_name(&i.text).to_ascii_lowercase());
                let kind = match short.as_deref() {
                    Some(s) if s.contains("fpm") => ProcessKind::PhpFpm,
                    Some("nginx" | "nginx-unprivileged") => ProcessKind::Nginx,
                    _ => ProcessKind::Unknown,
                };
                guess = kind != ProcessKind::Unknown;
                (
                    Process {
                        kind,
                        argv: Vec::new(),
                        subcommand: None,
                        preceding: Vec::new(),
                    },
                    Evidence {
                        why: "the image name (no command, no linked Dockerfile)".to_owned(),
                        file,
                        span: c.image.as_ref().map_or(c.span, |i| i.span),
                        guess: true,
                    },
                )
            }
        },
    };
    let (mut pools, mut inis) = (Vec::new(), Vec::new());
    if let Some(l) = &dockerfile {
        if let Some(node) = graph.image_of(l.to) {
            pools = node.pools.clone();
            inis = node.inis.clone();
        }
    }
    let pod = object.pod.as_ref();
    let ns = object.namespace();
    let find = |kind: &str, name: &str| ix.objects.get(&(ns, kind, name)).copied();
    let mut config_mounts = Vec::new();
    let mut nginx = Vec::new();
    let mut generated_dests = Vec::new();
    for m in &c.mounts {
        let Some(v) = pod.and_then(|p| p.volumes.iter().find(|v| v.name == m.volume)) else {
            continue;
        };
        let VolumeSource::ConfigMap(cm) = &v.source else {
            continue;
        };
        let generated = ix.generators(file, GeneratorKind::ConfigMap, cm);
        // The files of generators of that name land in the container: the
        // key a `subPath` names at the mount path, else every key under it.
        for &g in &generated {
            let Some(generator) = ix.generator(g) else {
                continue;
            };
            for gf in &generator.files {
                let dest = match &m.sub_path {
                    Some(sp) if *sp != gf.key => continue,
                    Some(_) => m.path.clone(),
                    None => format!("{}/{}", m.path.trim_end_matches('/'), gf.key),
                };
                let Some(id) = ix.relative_file(g.file, &gf.path.text) else {
                    continue;
                };
                let link = || Link {
                    to: id,
                    evidence: generated_file_link(
                        ix,
                        g,
                        generator,
                        &gf.key,
                        gf.path.span,
                        &m.volume,
                        &dest,
                    ),
                };
                match ix.files.get(id).and_then(ParsedFile::kind) {
                    Some(FileKind::PhpFpm) if is_fpm_dest(&dest) => pools.push(link()),
                    Some(FileKind::PhpIni) if is_ini_dest(&dest) => inis.push(link()),
                    Some(FileKind::Nginx)
                        if process.kind == ProcessKind::Nginx
                            || dest.to_ascii_lowercase().contains("nginx") =>
                    {
                        nginx.push(link());
                    }
                    _ => continue,
                }
                generated_dests.push((id, dest));
            }
        }
        if is_fpm_dest(&m.path) || is_ini_dest(&m.path) {
            config_mounts.push(Link {
                to: ConfigMount {
                    configmap: cm.clone(),
                    object: find("ConfigMap", cm),
                    generated,
                    key: m.sub_path.clone(),
                    path: m.path.clone(),
                },
                evidence: Evidence {
                    why: format!("volume `{}` mounted at `{}`", m.volume, m.path),
                    file,
                    span: m.span,
                    guess: false,
                },
            });
        }
    }
    // A name no manifest defines may be a kustomize generator's.
    let reference = |name: &str, secret: bool| {
        let kind = if secret { "Secret" } else { "ConfigMap" };
        let object = find(kind, name);
        let gen_kind = if secret {
            GeneratorKind::Secret
        } else {
            GeneratorKind::ConfigMap
        };
        let generators = ix.generators(file, gen_kind, name);
        match (object, secret) {
            (None, _) if !generators.is_empty() => EnvSource::Generated {
                name: name.to_owned(),
                secret,
                generators,
            },
            (object, true) => EnvSource::Secret {
                name: name.to_owned(),
                object,
            },
            (object, false) => EnvSource::ConfigMap {
                name: name.to_owned(),
                object,
            },
        }
    };
    let mut env_sources = Vec::new();
    for e in &c.env {
        let to = match &e.value {
            EnvValue::Literal(_) => EnvSource::Inline,
            EnvValue::ConfigMapKey { name, .. } => reference(name, false),
            EnvValue::SecretKey { name, .. } => reference(name, true),
            _ => EnvSource::Field,
        };
        env_sources.push(Link {
            to,
            evidence: Evidence {
                why: format!("env `{}`", e.name),
                file,
                span: e.span,
                guess: false,
            },
        });
    }
    for e in &c.env_from {
        let kind = if e.secret { "Secret" } else { "ConfigMap" };
        let to = reference(&e.name, e.secret);
        env_sources.push(Link {
            to,
            evidence: Evidence {
                why: format!("envFrom {kind} `{}`", e.name),
                file,
                span: e.span,
                guess: false,
            },
        });
    }
    ContainerNode {
        index,
        process,
        process_evidence: evidence,
        process_guess: guess,
        dockerfile,
        pools,
        inis,
        config_mounts,
        env_sources,
        horizon: None,
        nginx,
        generated_dests,
    }
}

/// The `config/horizon.php` a Horizon container reads. The image copies the
/// app (`COPY . .` names no file), so the link is a guess: the config of the
/// app whose tree holds the container's Dockerfile (the nearest such app),
/// else the only one of the workspace.
fn link_horizon(
    ix: &Index<'_>,
    horizons: &[FileId],
    dockerfile: Option<&Link<FileId>>,
) -> Option<Link<FileId>> {
    let root = |id: FileId| {
        let p = ix.path(id);
        parent(parent(p)).to_owned()
    };
    let evidence = |id: FileId, why: String| Link {
        to: id,
        evidence: Evidence {
            why,
            file: id,
            span: ix
                .facts
                .get(id)
                .and_then(FileFacts::horizon)
                .map_or(Span::default(), |h| Span::new(h.span.start, h.span.start)),
            guess: true,
        },
    };
    if let Some(df) = dockerfile {
        let dir = parent(ix.path(df.to));
        let inside = |r: &str| dir == r || r.is_empty() || dir.starts_with(&format!("{r}/"));
        let mut best: Vec<(usize, FileId)> = horizons
            .iter()
            .map(|&id| (root(id), id))
            .filter(|(r, _)| inside(r))
            .map(|(r, id)| (r.len(), id))
            .collect();
        best.sort_by_key(|b| std::cmp::Reverse(b.0));
        match best.as_slice() {
            [(n, id), rest @ ..] if rest.first().is_none_or(|(m, _)| m < n) => {
                return Some(evidence(
                    *id,
                    format!(
                        "`{}` is in the app `{}` builds",
                        ix.display(*id),
                        ix.display(df.to)
                    ),
                ));
            }
            [] => {}
            _ => return None,
        }
    }
    match horizons {
        [id] => Some(evidence(
            *id,
            format!(
                "`{}` is the workspace's only Horizon config",
                ix.display(*id)
            ),
        )),
        _ => None,
    }
}

/// Of the workloads an object selects or names, the ones whose manifests sit
/// nearest to its own (the longest common directory): a repository of
/// several samples or apps reuses names and labels (`wordpress`, `app=web`),
/// and an HPA or Service of one sample must not adopt another's workload.
/// Candidates at the same distance are all kept.
fn nearest(ix: &Index<'_>, graph: &Graph, from: FileId, candidates: Vec<usize>) -> Vec<usize> {
    if candidates.len() < 2 {
        return candidates;
    }
    let dir = |id: FileId| -> Vec<&str> {
        let path = ix.files.get(id).map_or("", |f| f.source.path.as_str());
        let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
        parts.pop();
        parts
    };
    let here = dir(from);
    let shared = |wi: usize| {
        dir(graph.workloads[wi].object.file)
            .iter()
            .zip(&here)
            .take_while(|(a, b)| a == b)
            .count()
    };
    let best = candidates.iter().map(|&wi| shared(wi)).max().unwrap_or(0);
    candidates
        .into_iter()
        .filter(|&wi| shared(wi) == best)
        .collect()
}

fn link_selectors(ix: &Index<'_>, graph: &mut Graph) {
    let object = |r: ObjRef| -> Option<&ObjectFacts> {
        ix.facts
            .get(r.file)
            .and_then(FileFacts::kubernetes)
            .and_then(|k| k.objects.get(r.index))
    };
    // (Keys borrowed from the facts: owned ones were three strings per
    // workload and per label, built and freed on one core.)
    let mut by_label: FastMap<(&str, &str, &str), Vec<usize>> = FastMap::default();
    let mut by_name: FastMap<(&str, &str, &str), Vec<usize>> = FastMap::default();
    for (wi, w) in graph.workloads.iter().enumerate() {
        let Some(o) = object(w.object) else { continue };
        let ns = o.namespace();
        if let Some(name) = &o.name {
            by_name
                .entry((ns, o.kind.as_str(), name.as_str()))
                .or_default()
                .push(wi);
        }
        for (k, v) in o.pod.iter().flat_map(|p| &p.labels) {
            by_label
                .entry((ns, k.as_str(), v.as_str()))
                .or_default()
                .push(wi);
        }
    }
    let mut adds: Vec<(usize, &'static str, Link<ObjRef>)> = Vec::new();
    for f in ix.files {
        let Some(k) = ix.facts.get(f.id).and_then(FileFacts::kubernetes) else {
            continue;
        };
        for (i, o) in k.objects.iter().enumerate() {
            let me = ObjRef {
                file: f.id,
                index: i,
            };
            let ns = o.namespace();
            let which = match o.kind.as_str() {
                "Service" => "service",
                "PodDisruptionBudget" => "pdb",
                "HorizontalPodAutoscaler" => {
                    if let Some((kind, name)) = &o.scale_target {
                        let found = by_name
                            .get(&(ns, kind.as_str(), name.as_str()))
                            .cloned()
                            .unwrap_or_default();
                        for wi in nearest(ix, graph, f.id, found) {
                            adds.push((
                                wi,
                                "hpa",
                                Link {
                                    to: me,
                                    evidence: Evidence {
                                        why: format!("scaleTargetRef {kind}/{name}"),
                                        file: f.id,
                                        span: o.span,
                                        guess: false,
                                    },
                                },
                            ));
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            let Some(sel) = o.selector.as_ref().filter(|s| !s.is_empty()) else {
                continue;
            };
            if o.selector_expressions {
                continue;
            }
            let (k0, v0) = &sel[0];
            let candidates = by_label
                .get(&(ns, k0.as_str(), v0.as_str()))
                .cloned()
                .unwrap_or_default();
            let candidates: Vec<usize> = candidates
                .into_iter()
                .filter(|&wi| {
                    object(graph.workloads[wi].object).is_some_and(|w| {
                        let labels = w.pod.as_ref().map(|p| &p.labels);
                        sel.iter().all(|(k, v)| {
                            labels.is_some_and(|l| l.iter().any(|(lk, lv)| lk == k && lv == v))
                        })
                    })
                })
                .collect();
            let shown: Vec<String> = sel.iter().map(|(k, v)| format!("{k}={v}")).collect();
            for wi in nearest(ix, graph, f.id, candidates) {
                adds.push((
                    wi,
                    which,
                    Link {
                        to: me,
                        evidence: Evidence {
                            why: format!("selector {}", shown.join(",")),
                            file: f.id,
                            span: o.span,
                            guess: false,
                        },
                    },
                ));
            }
        }
    }
    for (wi, which, link) in adds {
        let w = &mut graph.workloads[wi];
        match which {
            "service" => w.services.push(link),
            "pdb" => w.pdbs.push(link),
            _ => w.hpas.push(link),
        }
    }
}

/// The PHP version each php.ini and pool file runs under, where the graph
/// says: the version of the image whose Dockerfile copies it, or that a
/// compose service built from a Dockerfile bind-mounts it into PHP's
/// configuration directories. `None` where images of different versions
/// (or of no known version) use one file.
pub fn php_versions(
    files: &[ParsedFile],
    facts: &[FileFacts],
    graph: &Graph,
) -> FastMap<FileId, Option<(u32, u32)>> {
    let version_of = |dockerfile: FileId| {
        facts
            .get(dockerfile)
            .and_then(FileFacts::dockerfile)
            .and_then(|d| d.base_image.as_ref())
            .and_then(|b| super::defaults::php_version_of_image(&b.text))
    };
    let mut found: FastMap<FileId, Option<(u32, u32)>> = FastMap::default();
    let mut record = |id: FileId, version: Option<(u32, u32)>| {
        let slot = found.entry(id).or_insert(version);
        if *slot != version {
            *slot = None; // images of different versions use it: no single answer
        }
    };
    for image in &graph.images {
        let version = version_of(image.file);
        for link in image.inis.iter().chain(&image.pools) {
            record(link.to, version);
        }
    }
    let by_path: FastMap<String, FileId> = files
        .iter()
        .filter(|f| matches!(f.kind(), Some(FileKind::PhpIni | FileKind::PhpFpm)))
        .map(|f| (normalize(&f.source.path), f.id))
        .collect();
    for node in &graph.compose {
        let Some(df) = &node.dockerfile else { continue };
        let Some(service) = facts
            .get(node.file)
            .and_then(FileFacts::compose)
            .and_then(|c| c.services.get(node.service))
        else {
            continue;
        };
        let version = version_of(df.to);
        let dir = files
            .get(node.file)
            .and_then(|f| Path::new(&f.source.path).parent())
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        for v in &service.volumes {
            let (Some(src), Some(target)) = (&v.source, &v.target) else {
                continue;
            };
            let php_config =
                target.starts_with("/usr/local/etc/php") || target.starts_with("/etc/php");
            if !php_config || !(src.starts_with('.') || src.starts_with('/')) {
                continue;
            }
            let path = if src.starts_with('/') || dir.is_empty() {
                normalize(src)
            } else {
                normalize(&format!("{dir}/{src}"))
            };
            if let Some(&id) = by_path.get(&path) {
                record(id, version);
            }
        }
    }
    found
}

/// Per manifest file, the kustomize generators whose build includes it: a
/// kustomization's `resources` (files, and directories with a kustomization
/// of their own, followed down) are built together with its generators, and
/// kustomize rewrites the references of that build to the generated names
/// (hash suffix included), so a pod in any of them that names a generator
/// gets that generated object. Overlays of one base (development,
/// production) each contribute theirs.
fn generated_for(ix: &Index<'_>) -> FastMap<FileId, Vec<GenRef>> {
    let mut out: FastMap<FileId, Vec<GenRef>> = FastMap::default();
    for f in ix.files {
        let Some(k) = ix.facts.get(f.id).and_then(FileFacts::kustomization) else {
            continue;
        };
        if k.generators.is_empty() {
            continue;
        }
        let gens: Vec<GenRef> = (0..k.generators.len())
            .map(|index| GenRef { file: f.id, index })
            .collect();
        let mut seen = FastSet::from_iter([f.id]);
        let mut stack = vec![f.id];
        // A build tree is small; the bound only guards against odd repositories.
        while let Some(kid) = stack.pop() {
            if seen.len() > 256 {
                break;
            }
            let Some(kz) = ix.facts.get(kid).and_then(FileFacts::kustomization) else {
                continue;
            };
            for r in &kz.resources {
                let Some(dir_or_file) =
                    (!r.text.contains("://")).then(|| join(parent(ix.path(kid)), &r.text))
                else {
                    continue;
                };
                if let Some(&id) = ix.by_path.get(dir_or_file.as_str()) {
                    if ix.files.get(id).and_then(ParsedFile::kind) == Some(FileKind::Kubernetes) {
                        let v = out.entry(id).or_default();
                        for g in &gens {
                            if !v.contains(g) {
                                v.push(*g);
                            }
                        }
                    }
                } else if let Some(&sub) = ix.kustomization_in.get(dir_or_file.as_str()) {
                    if seen.insert(sub) {
                        stack.push(sub);
                    }
                }
            }
        }
    }
    out
}

/// How a kustomize-generated file reaches a container: through a volume of
/// the generated ConfigMap mounted at `dest`.
fn generated_file_link(
    ix: &Index<'_>,
    g: GenRef,
    generator: &Generator,
    key: &str,
    entry: Span,
    volume: &str,
    dest: &str,
) -> Evidence {
    Evidence {
        why: format!(
            "{} `{}` key `{key}` in `{}`, mounted (volume `{volume}`) at `{dest}`",
            generator.kind.field(),
            generator.name.text,
            ix.display(g.file)
        ),
        file: g.file,
        span: entry,
        guess: false,
    }
}

#[cfg(test)]
mod normalize_tests {
    use super::normalize;

    #[test]
    fn normal_paths_come_back_and_dots_resolve() {
        for (path, want) in [
            ("/a/b/c.conf", "/a/b/c.conf"),
            ("a/b", "a/b"),
            ("/", "/"),
            ("", ""),
            (".", ""),
            ("./a", "a"),
            ("a/./b", "a/b"),
            ("a//b/", "a/b"),
            ("/a/../b", "/b"),
            ("/../a", "/a"),
            ("../a", "../a"),
            ("a/../../b", "../b"),
            ("a/..", ""),
            ("/a/b/..", "/a"),
            ("a.b/.c/..d", "a.b/.c/..d"),
            ("/a/ b/c", "/a/ b/c"),
        ] {
            assert_eq!(normalize(path), want, "{path:?}");
        }
    }

    #[test]
    fn joining_normal_paths_needs_no_normalizing() {
        use super::{join, join_normal};
        for dir in ["", "/", "/a", "/a/b.c", "a", "a/b"] {
            for rel in ["x", "x/y.conf", "/etc/php", "/", ".hidden/x"] {
                assert_eq!(join_normal(dir, rel), join(dir, rel), "{dir:?} + {rel:?}");
            }
        }
    }

    #[test]
    fn absolute_paths_match_the_component_walk() {
        use super::absolute;
        use std::path::Path;
        for cwd in ["/", "/w", "/w/", "/w/x y", "/w/./v", "/w/../v"] {
            for path in [
                "a", "./a", ".//a", "././a/b", "a/./b", "a/../b", "../a", "./", ".", "/abs/x",
                "a//b", "a/b/",
            ] {
                let slow = if Path::new(path).is_relative() {
                    normalize(&Path::new(cwd).join(path).to_string_lossy())
                } else {
                    normalize(path)
                };
                assert_eq!(
                    absolute(path, Some(Path::new(cwd))),
                    slow,
                    "{cwd:?} {path:?}"
                );
            }
        }
    }
}
