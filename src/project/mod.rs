//! The run-wide model of the deployment: facts per file (extracted once,
//! owned), the process model (what a container runs), known image defaults
//! as data, and the links between files with their evidence.
//!
//! Sits below `rules/` (rules read it and decide) and above `parse/` and
//! `model/` (it is built from them). The engine builds it once per run, or
//! once per change in a long-lived session.

pub mod defaults;
pub mod facts;
pub mod links;
pub mod process;

pub use crate::parse::ParsedFile;
pub use facts::FileFacts;
pub use links::Graph;

use crate::diagnostic::FileId;
use crate::model::fpm::{ConfigSet, config_sets};
use crate::model::k8s_set::ObjectSet;
use crate::source::FileKind;
use std::sync::OnceLock;

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
}

impl<'a> Project<'a> {
    pub fn new(files: &'a [ParsedFile], facts: &'a [FileFacts], graph: &'a Graph) -> Self {
        Project {
            files,
            facts,
            graph,
            objects: OnceLock::new(),
            fpm_sets: OnceLock::new(),
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

    /// Every Kubernetes object of the run, indexed (built once).
    pub fn objects(&self) -> &ObjectSet<'a> {
        self.objects.get_or_init(|| ObjectSet::of_files(self.files))
    }

    /// The php-fpm include sets (built once).
    pub fn fpm_sets(&self) -> &[ConfigSet<'a>] {
        self.fpm_sets.get_or_init(|| config_sets(self.files))
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

    /// The path of a file, for messages.
    pub fn path(&self, id: FileId) -> &'a str {
        self.files.get(id).map_or("", |f| f.source.path.as_str())
    }
}
