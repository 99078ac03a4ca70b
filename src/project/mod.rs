//! The run-wide model of the deployment: facts per file (extracted once,
//! owned), the process model (what a container runs), known image defaults
//! as data, and the links between files with their evidence.
//!
//! Sits below `rules/` (rules read it and decide) and above `parse/` and
//! `model/` (it is built from them). The engine builds it once per run, or
//! once per change in a long-lived session.

pub mod compose;
pub mod defaults;
pub mod facts;
pub mod fpm;
pub mod links;
pub mod nginx;
pub mod objects;
pub mod process;
pub mod routes;

pub use crate::parse::ParsedFile;
pub use facts::FileFacts;
pub use links::Graph;
pub use objects::ObjectSet;

use crate::diagnostic::FileId;
use crate::source::FileKind;
use crate::source::hash::{FastMap, FastSet};
use fpm::{ConfigSet, config_sets};
use std::sync::OnceLock;

/// The php.ini files read together: each group once, and each file's group
/// (a group is shared by its members, not copied for each).
#[derive(Default)]
struct IniSets {
    groups: Vec<Vec<FileId>>,
    of: FastMap<FileId, usize>,
}

fn ini_sets(files: &[ParsedFile], graph: &Graph) -> IniSets {
    let ini: Vec<FileId> = files
        .iter()
        .filter(|f| f.kind() == Some(FileKind::PhpIni))
        .map(|f| f.id)
        .collect();
    let mut parent: FastMap<FileId, FileId> = ini.iter().map(|&id| (id, id)).collect();
    fn find(p: &mut FastMap<FileId, FileId>, mut i: FileId) -> FileId {
        while let Some(&up) = p.get(&i) {
            if up == i {
                break;
            }
            let grand = p.get(&up).copied().unwrap_or(up);
            p.insert(i, grand);
            i = up;
        }
        i
    }
    fn union(p: &mut FastMap<FileId, FileId>, a: FileId, b: FileId) {
        let (ra, rb) = (find(p, a), find(p, b));
        if ra != rb {
            p.insert(ra.max(rb), ra.min(rb));
        }
    }
    let cwd = std::env::current_dir().ok();
    let dir_of = |id: FileId| {
        let p = std::path::Path::new(&files[id].source.path);
        let abs = match &cwd {
            Some(c) if p.is_relative() => links::normalize(&c.join(p).to_string_lossy()),
            _ => links::normalize(&p.to_string_lossy()),
        };
        abs.rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_owned())
    };
    let mut first_in_dir: FastMap<String, FileId> = FastMap::default();
    for &id in &ini {
        let mut dir = dir_of(id);
        // conf.d/*.ini join the php.ini of the directory above.
        if dir.ends_with("/conf.d") || dir == "conf.d" {
            dir = dir
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| d.to_owned());
        }
        match first_in_dir.get(&dir) {
            Some(&first) => union(&mut parent, first, id),
            None => {
                first_in_dir.insert(dir, id);
            }
        }
    }
    for n in &graph.images {
        for pair in n.inis.windows(2) {
            union(&mut parent, pair[0].to, pair[1].to);
        }
    }
    let mut groups: FastMap<FileId, Vec<FileId>> = FastMap::default();
    for &id in &ini {
        let root = find(&mut parent, id);
        groups.entry(root).or_default().push(id);
    }
    let linked: FastSet<FileId> = graph
        .images
        .iter()
        .flat_map(|n| n.inis.iter().map(|l| l.to))
        .collect();
    let mut out = IniSets::default();
    for members in groups.into_values() {
        for &m in &members {
            out.of.insert(m, out.groups.len());
        }
        out.groups.push(members);
    }
    // Where no image copies a file in, the deployment that reads it is not
    // known (a compose or Kubernetes mount, a base image): every ini file of
    // the run may be read with it.
    let every = out.groups.len();
    let mut unlinked = false;
    for &id in &ini {
        if !linked.contains(&id) {
            out.of.insert(id, every);
            unlinked = true;
        }
    }
    if unlinked {
        out.groups.push(ini);
    }
    out
}

/// One container as deployed: the workload (graph), its object and pod
/// template (facts), the container's graph node and its facts.
#[derive(Clone, Copy)]
pub struct Deployed<'a> {
    pub workload: &'a links::Workload,
    pub object: &'a facts::ObjectFacts,
    pub pod: &'a facts::PodFacts,
    pub node: &'a links::ContainerNode,
    pub container: &'a facts::ContainerFacts,
}

impl Deployed<'_> {
    /// The manifest the container is declared in.
    pub fn file(&self) -> FileId {
        self.workload.object.file
    }
}

/// Container `c` of workload `w` as deployed.
fn deployed<'a>(
    graph: &'a Graph,
    facts: &'a [FileFacts],
    w: usize,
    c: usize,
) -> Option<Deployed<'a>> {
    let workload = graph.workloads.get(w)?;
    let node = workload.containers.get(c)?;
    let object = facts
        .get(workload.object.file)
        .and_then(FileFacts::kubernetes)
        .and_then(|k| k.objects.get(workload.object.index))?;
    let pod = object.pod.as_ref()?;
    Some(Deployed {
        workload,
        object,
        container: pod.containers.get(node.index)?,
        pod,
        node,
    })
}

/// Everything project rules see: the files (documents are kept for the
/// kinds whose rules still read them), their facts, and the graph. The
/// Kubernetes object set and the php-fpm include sets are built at most once
/// per run, on first use, and shared by every rule.
pub struct Project<'a> {
    pub files: &'a [ParsedFile],
    /// Indexed by [`FileId`].
    pub facts: &'a [FileFacts],
    pub graph: &'a Graph,
    objects: OnceLock<ObjectSet<'a>>,
    fpm_sets: OnceLock<Vec<ConfigSet<'a>>>,
    /// For each pool file, the include sets (indexes) it belongs to.
    fpm_set_index: OnceLock<FastMap<FileId, Vec<usize>>>,
    /// For each Dockerfile, the (workload, container) indexes of the
    /// containers whose image it builds.
    by_dockerfile: OnceLock<FastMap<FileId, Vec<(usize, usize)>>>,
    ini_peers: OnceLock<IniSets>,
}

impl<'a> Project<'a> {
    pub fn new(files: &'a [ParsedFile], facts: &'a [FileFacts], graph: &'a Graph) -> Self {
        Project {
            files,
            facts,
            graph,
            objects: OnceLock::new(),
            fpm_sets: OnceLock::new(),
            fpm_set_index: OnceLock::new(),
            by_dockerfile: OnceLock::new(),
            ini_peers: OnceLock::new(),
        }
    }

    pub fn of_kind(&self, kind: FileKind) -> impl Iterator<Item = &'a ParsedFile> + use<'a> {
        self.files.iter().filter(move |f| f.kind() == Some(kind))
    }

    pub fn file(&self, id: FileId) -> Option<&'a ParsedFile> {
        self.files.get(id)
    }

    pub fn facts_of(&self, id: FileId) -> &'a FileFacts {
        static NONE: FileFacts = FileFacts::None;
        self.facts.get(id).unwrap_or(&NONE)
    }

    /// Every Kubernetes object of the run, indexed (built once, from the
    /// facts: no document is read).
    pub fn objects(&self) -> &ObjectSet<'a> {
        self.objects.get_or_init(|| ObjectSet::of_facts(self.facts))
    }

    /// The php-fpm include sets (built once).
    pub fn fpm_sets(&self) -> &[ConfigSet<'a>] {
        self.fpm_sets
            .get_or_init(|| config_sets(self.files, self.facts))
    }

    /// The php-fpm include sets `file` is part of (an index built once, not
    /// a scan of every set per question).
    pub fn fpm_sets_with(&self, file: FileId) -> impl Iterator<Item = &ConfigSet<'a>> {
        let sets = self.fpm_sets();
        self.fpm_set_indexes_with(file)
            .iter()
            .filter_map(|&i| sets.get(i))
    }

    /// As [`Project::fpm_sets_with`], the sets' indexes in [`Project::fpm_sets`]
    /// (to tell sets apart without comparing them).
    pub fn fpm_set_indexes_with(&self, file: FileId) -> &[usize] {
        let sets = self.fpm_sets();
        let index = self.fpm_set_index.get_or_init(|| {
            let mut index: FastMap<FileId, Vec<usize>> = FastMap::default();
            for (i, set) in sets.iter().enumerate() {
                for f in &set.files {
                    let list = index.entry(f.id).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            index
        });
        index.get(&file).map_or(&[][..], Vec::as_slice)
    }

    /// The php.ini files PHP reads together with `file` (itself included).
    /// For a file an image copies in (by the graph): the other files of those
    /// images, and files of one directory (a `conf.d/` joined with the
    /// `php.ini` beside it). For a file no image links: every ini file of the
    /// run, as nothing tells which are read with it. Joining too much can only
    /// hide a finding; joining too little would invent one.
    pub fn ini_peers(&self, file: FileId) -> &[FileId] {
        let peers = self
            .ini_peers
            .get_or_init(|| ini_sets(self.files, self.graph));
        peers
            .of
            .get(&file)
            .and_then(|&g| peers.groups.get(g))
            .map_or(&[], Vec::as_slice)
    }

    /// Dockerfiles with their facts.
    pub fn dockerfiles(
        &self,
    ) -> impl Iterator<Item = (&'a ParsedFile, &'a facts::DockerfileFacts)> + use<'a> {
        let facts = self.facts;
        self.files.iter().filter_map(move |f| {
            facts
                .get(f.id)
                .and_then(FileFacts::dockerfile)
                .map(|d| (f, d))
        })
    }

    /// The facts of a Kubernetes object the graph refers to.
    pub fn object(&self, r: links::ObjRef) -> Option<&'a facts::ObjectFacts> {
        self.facts_of(r.file).kubernetes()?.objects.get(r.index)
    }

    /// Every container of every workload, with its workload, object, pod
    /// template and graph node: the loop cross-file rules start from.
    pub fn containers(&self) -> impl Iterator<Item = Deployed<'a>> + use<'a> {
        let (graph, facts) = (self.graph, self.facts);
        graph
            .workloads
            .iter()
            .enumerate()
            .flat_map(move |(w, workload)| {
                (0..workload.containers.len()).filter_map(move |c| deployed(graph, facts, w, c))
            })
    }

    /// The containers whose image the Dockerfile `file` builds (by the
    /// graph's links; an index built once).
    pub fn containers_of(&self, dockerfile: FileId) -> impl Iterator<Item = Deployed<'a>> + '_ {
        let index = self.by_dockerfile.get_or_init(|| {
            let mut index: FastMap<FileId, Vec<(usize, usize)>> = FastMap::default();
            for (w, workload) in self.graph.workloads.iter().enumerate() {
                for (c, node) in workload.containers.iter().enumerate() {
                    if let Some(l) = &node.dockerfile {
                        index.entry(l.to).or_default().push((w, c));
                    }
                }
            }
            index
        });
        index
            .get(&dockerfile)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&(w, c)| deployed(self.graph, self.facts, w, c))
    }

    /// The path of a file, for messages.
    pub fn path(&self, id: FileId) -> &'a str {
        self.files.get(id).map_or("", |f| f.source.path.as_str())
    }
}
