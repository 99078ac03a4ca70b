//! Facts per file: what the rest of the deployment needs to know about one
//! file, extracted once right after parsing, compact and owned (no borrow of
//! the parsed document, so documents can be dropped after their file rules).
//!
//! Secret values never enter the facts: Secrets keep their keys only, and an
//! env var whose value comes from a Secret keeps the reference.

use super::defaults::OfficialPhp;
use super::process::Process;
use crate::config::Settings;
use crate::model::k8s::{self, ContainerKind, Object};
use crate::model::k8s_pod::PortRef;
use crate::model::k8s_set::{Selector, selector_pairs, template_metadata};
use crate::model::units::{K8sQuantity, parse_k8s_quantity};
use crate::parse::dockerfile::{Base, Dockerfile, Keyword};
use crate::parse::yaml::{Node, Resolved, YamlFile, resolve};
use crate::parse::{Document, ParsedFile};
use crate::source::{FileKind, Span};
use serde::Serialize;

/// An owned string with the span it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Loc {
    pub text: String,
    #[serde(skip)]
    pub span: Span,
}

impl Loc {
    fn new(text: impl Into<String>, span: Span) -> Loc {
        Loc {
            text: text.into(),
            span,
        }
    }
}

#[derive(Debug, Default)]
pub enum FileFacts {
    #[default]
    None,
    Dockerfile(Box<DockerfileFacts>),
    Kubernetes(K8sFacts),
    Fpm(Box<FpmFacts>),
    Ini(Box<IniFacts>),
    Compose(Box<ComposeFacts>),
    Octane(Box<OctaneFacts>),
    Horizon(Box<HorizonFacts>),
    RoadRunner(Box<RrFacts>),
    Nginx(Box<super::nginx::NginxFacts>),
    Routes(Box<super::routes::RoutesFacts>),
    /// A `kustomization.yaml`: its resources, generators and what a build adds.
    Kustomization(Box<crate::model::kustomize::Kustomization>),
    DotEnv(Box<DotEnvFacts>),
}

impl FileFacts {
    pub fn dockerfile(&self) -> Option<&DockerfileFacts> {
        match self {
            FileFacts::Dockerfile(d) => Some(d),
            _ => None,
        }
    }
    pub fn kubernetes(&self) -> Option<&K8sFacts> {
        match self {
            FileFacts::Kubernetes(k) => Some(k),
            _ => None,
        }
    }
    pub fn fpm(&self) -> Option<&FpmFacts> {
        match self {
            FileFacts::Fpm(f) => Some(f.as_ref()),
            _ => None,
        }
    }
    pub fn ini(&self) -> Option<&IniFacts> {
        match self {
            FileFacts::Ini(i) => Some(i.as_ref()),
            _ => None,
        }
    }
    pub fn octane(&self) -> Option<&OctaneFacts> {
        match self {
            FileFacts::Octane(o) => Some(o),
            _ => None,
        }
    }
    pub fn horizon(&self) -> Option<&HorizonFacts> {
        match self {
            FileFacts::Horizon(h) => Some(h),
            _ => None,
        }
    }
    pub fn roadrunner(&self) -> Option<&RrFacts> {
        match self {
            FileFacts::RoadRunner(r) => Some(r.as_ref()),
            _ => None,
        }
    }
    pub fn nginx(&self) -> Option<&super::nginx::NginxFacts> {
        match self {
            FileFacts::Nginx(n) => Some(n),
            _ => None,
        }
    }
    pub fn routes(&self) -> Option<&super::routes::RoutesFacts> {
        match self {
            FileFacts::Routes(r) => Some(r),
            _ => None,
        }
    }
    pub fn kustomization(&self) -> Option<&crate::model::kustomize::Kustomization> {
        match self {
            FileFacts::Kustomization(k) => Some(k),
            _ => None,
        }
    }
    pub fn compose(&self) -> Option<&ComposeFacts> {
        match self {
            FileFacts::Compose(c) => Some(c.as_ref()),
            _ => None,
        }
    }
    pub fn dotenv(&self) -> Option<&DotEnvFacts> {
        match self {
            FileFacts::DotEnv(d) => Some(d.as_ref()),
            _ => None,
        }
    }
}

/// Extracts the facts of one parsed file.
pub fn extract(file: &ParsedFile, settings: &Settings) -> FileFacts {
    match (&file.document, file.kind()) {
        (Document::Dockerfile(df), _) => FileFacts::Dockerfile(Box::new(of_dockerfile(
            df,
            settings.dockerfile_target.as_deref(),
        ))),
        (Document::Yaml(y), Some(FileKind::Kubernetes)) => {
            let mut k = kubernetes(y);
            configmap_nginx(&mut k, y, &file.source.text);
            FileFacts::Kubernetes(k)
        }
        (Document::Nginx(n), _) => FileFacts::Nginx(Box::new(super::nginx::extract(n, &|s| s))),
        (Document::Yaml(y), Some(FileKind::Compose)) => FileFacts::Compose(Box::new(compose(y))),
        (Document::Yaml(y), Some(FileKind::Kustomization)) => crate::model::kustomize::of(y)
            .map_or(FileFacts::None, |k| FileFacts::Kustomization(Box::new(k))),
        (Document::Yaml(y), Some(FileKind::RoadRunner)) => {
            FileFacts::RoadRunner(Box::new(roadrunner(y)))
        }
        (Document::Fpm(f), _) => FileFacts::Fpm(Box::new(fpm(f, &file.source.text))),
        (Document::Ini(i), _) => FileFacts::Ini(Box::new(ini(i, &file.source.text))),
        (Document::Php(p), Some(FileKind::Octane)) => FileFacts::Octane(Box::new(octane(p))),
        (Document::Php(p), Some(FileKind::Horizon)) => FileFacts::Horizon(Box::new(horizon(p))),
        (Document::Routes(r), _) => {
            FileFacts::Routes(Box::new(super::routes::extract(r, &file.source.path)))
        }
        (Document::DotEnv(d), _) => FileFacts::DotEnv(Box::new(dotenv(d))),
        _ => FileFacts::None,
    }
}

// ---------------------------------------------------------------- Dockerfile

/// The image a Dockerfile builds (its target stage and the chain under it).
#[derive(Debug, Default)]
pub struct DockerfileFacts {
    /// The target stage's name, if it has one.
    pub target: Option<String>,
    /// The external image the target's chain starts from.
    pub base_image: Option<Loc>,
    pub official: Option<OfficialPhp>,
    /// Every stage base image, target chain or not (for "is this a PHP image").
    pub stage_images: Vec<String>,
    /// The last `USER` of the chain.
    pub user: Option<Loc>,
    /// The effective ENTRYPOINT words (the official image's when the chain sets none).
    pub entrypoint: Vec<String>,
    /// Effective ENTRYPOINT + CMD words, with the official image's defaults
    /// filled in where the chain sets neither.
    pub runtime: Vec<String>,
    /// The instruction that set the runtime command, when the file sets one.
    pub runtime_span: Option<Span>,
    pub process: Process,
    pub expose: Vec<Loc>,
    /// The chain's own `STOPSIGNAL` (see [`DockerfileFacts::effective_stopsignal`]).
    pub stopsignal: Option<Loc>,
    pub healthcheck: Option<Span>,
    pub copies: Vec<CopyFact>,
    /// Owners files are given to in the final chain: `RUN chown [-R]
    /// owner[:group] ...` and `COPY --chown=owner[:group]`, as written.
    pub chowns: Vec<Loc>,
    pub env: Vec<(String, Option<String>)>,
    /// A `RUN` of the chain names the image's `docker.conf` (to delete or edit it).
    pub touches_docker_conf: bool,
    /// The last `COPY`/`ADD` of the whole build context (`COPY . .`) into
    /// the image: its destination made absolute with the `WORKDIR` in
    /// effect (`None` when relative and no `WORKDIR` is set), and where.
    pub code_copy: Option<(Option<String>, Span)>,
    /// ini keys a `RUN` of the chain names (`echo 'opcache.enable_cli=1' >>
    /// ...`, `sed -i 's/memory_limit.../'`): settings the image may change
    /// in files the graph cannot see (`memory_limit` and `opcache.*`).
    pub run_ini_keys: Vec<String>,
    /// An instruction of the chain (not a comment) names `listen`, in any
    /// case: a `RUN` that edits a pool's `listen` (`sed`, `echo >>`), or an
    /// `ENV`/`ARG` a templated pool reads (`FPM_LISTEN`). The image's pools
    /// may then listen elsewhere than the linked files say.
    pub names_listen: bool,
}

#[derive(Clone, Debug)]
pub struct CopyFact {
    pub sources: Vec<String>,
    pub dest: String,
    /// `COPY --from=...`: sources come from a stage or image, not the context.
    pub from: Option<String>,
    pub span: Span,
}

/// The facts of a Dockerfile built for `target` (default: the last stage).
pub fn of_dockerfile(df: &Dockerfile, target: Option<&str>) -> DockerfileFacts {
    let chain = df.final_chain(target);
    let mut f = DockerfileFacts::default();
    if let Some(&last) = chain.last() {
        f.target = df
            .stages
            .get(last)
            .and_then(|s| s.name.as_ref())
            .map(|n| n.text.clone());
    }
    f.stage_images = df
        .stages
        .iter()
        .filter_map(|s| match &s.base {
            Base::Image(i) => Some(i.clone()),
            _ => None,
        })
        .collect();
    if let Some((image, loc)) = df.base_image(&chain) {
        f.base_image = Some(Loc::new(image, loc.span));
        f.official = OfficialPhp::parse(image);
    }
    if let Some(user) = df.last_in(&chain, Keyword::User) {
        if let Some(word) = user.words(df.escape).into_iter().next() {
            f.user = Some(Loc::new(word.text, user.keyword_span.cover(word.span)));
        }
    }
    let words = df.runtime_words(&chain);
    f.runtime_span = df
        .instructions_of(&chain)
        .filter(|i| i.is(Keyword::Cmd) || i.is(Keyword::Entrypoint))
        .last()
        .map(|i| i.span);
    let sets_entrypoint = df.last_in(&chain, Keyword::Entrypoint).is_some();
    let sets_cmd = df.last_in(&chain, Keyword::Cmd).is_some();
    let defaults = f.official.as_ref().map(OfficialPhp::defaults);
    f.runtime = match defaults {
        // Inherit what the file leaves unset: an ENTRYPOINT alone resets CMD.
        Some(d) if !sets_entrypoint && !sets_cmd => d.argv(),
        Some(d) if !sets_entrypoint => d
            .entrypoint
            .iter()
            .map(|s| (*s).to_owned())
            .chain(words.iter().map(|w| w.text.clone()))
            .collect(),
        _ => words.iter().map(|w| w.text.clone()).collect(),
    };
    f.entrypoint = match df.last_in(&chain, Keyword::Entrypoint) {
        Some(i) => i.words(df.escape).into_iter().map(|w| w.text).collect(),
        None => defaults
            .map(|d| d.entrypoint.iter().map(|s| (*s).to_owned()).collect())
            .unwrap_or_default(),
    };
    f.process = Process::from_argv(&f.runtime);
    let mut workdir: Option<String> = None;
    for inst in df.instructions_of(&chain) {
        f.names_listen = f.names_listen || names_listen(inst);
        match inst.keyword {
            Keyword::Workdir => {
                if let Some(w) = inst.words(df.escape).into_iter().next() {
                    workdir = Some(match &workdir {
                        Some(base) if !w.text.starts_with('/') => {
                            format!("{}/{}", base.trim_end_matches('/'), w.text)
                        }
                        _ => w.text,
                    });
                }
            }
            Keyword::Expose => f.expose.extend(
                inst.words(df.escape)
                    .into_iter()
                    .map(|w| Loc::new(w.text, w.span)),
            ),
            Keyword::Stopsignal => {
                f.stopsignal = inst
                    .words(df.escape)
                    .into_iter()
                    .next()
                    .map(|w| Loc::new(w.text, w.span));
            }
            Keyword::Healthcheck => f.healthcheck = Some(inst.span),
            Keyword::Copy | Keyword::Add => {
                if let Some(v) = inst.flag("chown").and_then(|fl| fl.value.as_ref()) {
                    f.chowns.push(Loc::new(v.text.clone(), v.span));
                }
                let mut words: Vec<String> =
                    inst.words(df.escape).into_iter().map(|w| w.text).collect();
                if words.len() >= 2 {
                    let dest = words.pop().unwrap_or_default();
                    if dest.contains("docker.conf") {
                        f.touches_docker_conf = true;
                    }
                    let from = inst.flag("from").is_some();
                    if !from && words.iter().any(|w| matches!(w.as_str(), "." | "./")) {
                        let abs = if dest.starts_with('/') {
                            Some(dest.clone())
                        } else {
                            workdir.as_ref().map(|w| {
                                let rel = dest.trim_start_matches("./").trim_end_matches('/');
                                match rel {
                                    "" | "." => w.clone(),
                                    r => format!("{}/{r}", w.trim_end_matches('/')),
                                }
                            })
                        };
                        let abs = abs.map(|a| {
                            let t = a.trim_end_matches('/');
                            if t.is_empty() {
                                "/".to_owned()
                            } else {
                                t.to_owned()
                            }
                        });
                        f.code_copy = Some((abs, inst.span));
                    }
                    f.copies.push(CopyFact {
                        sources: words,
                        dest,
                        from: inst
                            .flag("from")
                            .and_then(|fl| fl.value.as_ref())
                            .map(|v| v.text.clone()),
                        span: inst.span,
                    });
                }
            }
            Keyword::Run => {
                let commands = df.commands(inst);
                for c in commands {
                    let argv = c.argv();
                    if argv.first().is_some_and(|w| w.text == "chown") {
                        if let Some(owner) = argv.iter().skip(1).find(|w| !w.text.starts_with('-'))
                        {
                            f.chowns.push(Loc::new(owner.text.clone(), owner.span));
                        }
                    }
                    for w in argv {
                        for key in ini_keys_in(&w.text) {
                            if !f.run_ini_keys.contains(&key) {
                                f.run_ini_keys.push(key);
                            }
                        }
                    }
                }
                if commands.iter().any(|c| {
                    c.argv()
                        .iter()
                        .any(|w| w.text.contains('.') && w.text.contains("docker.conf"))
                }) {
                    f.touches_docker_conf = true;
                }
            }
            _ => {}
        }
    }
    f.env = df.env_of(&chain);
    f
}

/// Whether an instruction's arguments or heredoc bodies name `listen` (any case).
fn names_listen(inst: &crate::parse::dockerfile::Instruction) -> bool {
    use crate::parse::dockerfile::Args;
    let has = |t: &str| {
        let b = t.as_bytes();
        memchr::memchr2_iter(b'l', b'L', b).any(|i| {
            b.get(i..i + 6)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"listen"))
        })
    };
    let args = match &inst.args {
        Args::Shell(t) => has(&t.text),
        Args::Exec { items, .. } => items.iter().any(|i| has(&i.text)),
    };
    args || inst.heredocs.iter().any(|h| has(&h.body.text))
}

/// `memory_limit` and `opcache.*` keys named in a word of a `RUN` command.
fn ini_keys_in(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    // (Both names hold a `_` or a `.`: most words hold neither, and a
    // substring search costs a searcher built per word.)
    if !word.bytes().any(|b| b == b'_' || b == b'.') {
        return out;
    }
    if word.contains("memory_limit") {
        out.push("memory_limit".to_owned());
    }
    let mut rest = word;
    while let Some(i) = rest.find("opcache.") {
        let tail = &rest[i..];
        let end = tail
            .char_indices()
            .skip("opcache.".len())
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
            .map_or(tail.len(), |(j, _)| j);
        if end > "opcache.".len() {
            out.push(tail[..end].to_ascii_lowercase());
        }
        rest = &tail[end.max(1)..];
    }
    out
}

impl DockerfileFacts {
    /// The signal `docker stop` / the kubelet sends: the chain's
    /// `STOPSIGNAL`, else the official base image's, else SIGTERM (`None`).
    pub fn effective_stopsignal(&self) -> Option<&str> {
        self.stopsignal
            .as_ref()
            .map(|l| l.text.as_str())
            .or_else(|| self.official.as_ref().and_then(|o| o.defaults().stopsignal))
    }

    /// Whether the file itself sets the command (else the base image's runs).
    pub fn sets_command(&self) -> bool {
        self.runtime_span.is_some()
    }

    /// Builds on an official php-fpm image and keeps its `docker.conf`.
    pub fn keeps_official_fpm_config(&self) -> bool {
        self.official
            .as_ref()
            .is_some_and(|o| o.variant == super::defaults::PhpVariant::Fpm)
            && !self.touches_docker_conf
    }

    /// The image runs PHP: an official php base, a php-named base image in
    /// any stage, or a PHP process.
    pub fn is_php_image(&self) -> bool {
        self.official.is_some()
            || self
                .stage_images
                .iter()
                .any(|i| i.to_ascii_lowercase().contains("php"))
            || matches!(
                self.process.kind,
                super::process::ProcessKind::PhpFpm
                    | super::process::ProcessKind::Octane
                    | super::process::ProcessKind::FrankenPhp
            )
    }
}

// ---------------------------------------------------------------- Kubernetes

#[derive(Debug, Default)]
pub struct K8sFacts {
    pub objects: Vec<ObjectFacts>,
}

#[derive(Debug, Default)]
pub struct ObjectFacts {
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The `kind` value, to point at.
    pub span: Span,
    pub labels: Vec<(String, String)>,
    /// Service `selector`, or `selector.matchLabels` (workloads, PDBs).
    pub selector: Option<Vec<(String, String)>>,
    /// `selector.matchExpressions` present (not modelled; matching is then skipped).
    pub selector_expressions: bool,
    pub replicas: Option<i64>,
    /// Boxed, like the other kind-specific parts: most objects have none,
    /// and every object's facts live until the end of the run.
    pub pod: Option<Box<PodFacts>>,
    /// HPA `scaleTargetRef` (kind, name).
    pub scale_target: Option<(String, String)>,
    /// ConfigMap/Secret keys (`data`, `stringData`, `binaryData`).
    pub data_keys: Vec<String>,
    /// ConfigMap values (never a Secret's).
    pub config_data: Vec<(String, String)>,
    /// nginx configs in a ConfigMap's `data` (the key, and the config's facts
    /// with spans in the manifest).
    pub nginx: Vec<(Loc, super::nginx::NginxFacts)>,
    /// PersistentVolumeClaim `spec.accessModes`, and the span of that field.
    pub access_modes: Option<(Vec<String>, Span)>,
    /// Where to point at the object as a whole: its `metadata.name` value,
    /// else its `kind` value.
    pub name_span: Span,
    /// The `spec` key, and whether its value is a map.
    pub spec_key: Option<(Span, bool)>,
    /// `spec.replicas` when set and not null: the key through the value.
    pub replicas_span: Option<Span>,
    /// `spec.replicas` read as text (`'3'` is 3), when it parses.
    pub replicas_text: Option<i64>,
    /// `spec.strategy` (Deployments), when present.
    pub strategy: Option<Box<StrategyFacts>>,
    /// What the cross-object rules read of Services, PDBs, HPAs and
    /// ServiceAccounts.
    pub relation: Relation,
    /// A PodDisruptionBudget's `minAvailable` / `maxUnavailable`.
    pub pdb_budget: Option<Box<PdbBudget>>,
}

/// A PodDisruptionBudget's budget, as written.
#[derive(Debug, Default)]
pub struct PdbBudget {
    pub min_available: Option<IntOrPercent>,
    pub max_unavailable: Option<IntOrPercent>,
}

/// An `IntOrString` count of pods: a number or a percentage.
#[derive(Debug, Clone)]
pub struct IntOrPercent {
    /// The number, or the percentage when `percent`.
    pub value: i64,
    pub percent: bool,
    pub text: String,
    /// The key through the value.
    pub span: Span,
}

impl IntOrPercent {
    fn of(key: &Node, n: &Node) -> Option<IntOrPercent> {
        let (value, percent) = match resolve(n) {
            Resolved::Int(v) => (v, false),
            Resolved::Str(s) => match s.strip_suffix('%') {
                Some(p) => (p.trim().parse().ok()?, true),
                None => (s.trim().parse().ok()?, false),
            },
            _ => return None,
        };
        if value < 0 {
            return None;
        }
        Some(IntOrPercent {
            value,
            percent,
            text: n.as_scalar()?.value.to_string(),
            span: key.span.cover(n.span),
        })
    }

    /// Pods out of `total`: Kubernetes' disruption controller rounds a
    /// percentage up, for both fields.
    pub fn pods(&self, total: i64) -> i64 {
        if self.percent {
            (self.value.saturating_mul(total) + 99).div_euclid(100)
        } else {
            self.value
        }
    }
}

/// A Deployment's `spec.strategy`.
#[derive(Debug, Default)]
pub struct StrategyFacts {
    /// `type` when a string.
    pub kind: Option<String>,
    /// `rollingUpdate.maxUnavailable`, when present.
    pub max_unavailable: Option<MaxUnavailable>,
}

/// `maxUnavailable`: pods it allows down when there is one replica (a
/// percentage rounds down), its text and span.
#[derive(Debug)]
pub struct MaxUnavailable {
    pub pods: i64,
    pub text: String,
    pub span: Span,
}

/// The kind-specific part of an object that relates it to others.
#[derive(Debug, Default)]
pub enum Relation {
    #[default]
    None,
    Service(Box<ServiceFacts>),
    /// A PodDisruptionBudget's `spec.selector` (under a map `spec`): `None`
    /// when absent; else where to point and the selector (`None` when it
    /// cannot be evaluated; a null selector selects nothing).
    Pdb(Option<(Span, Option<Selector>)>),
    Hpa(Box<HpaFacts>),
    /// A ServiceAccount's `automountServiceAccountToken`, when a boolean.
    ServiceAccount(Option<bool>),
}

#[derive(Debug, Default)]
pub struct ServiceFacts {
    /// `spec.selector` when a non-empty map, with the value's span.
    pub selector: Option<(Selector, Span)>,
    /// The ports traffic goes to (`targetPort`, else `port`), in order.
    pub ports: Vec<ServicePortFact>,
}

#[derive(Debug)]
pub struct ServicePortFact {
    /// The Service's own `port` (what clients connect to), when a number.
    pub port: Option<i64>,
    pub target: PortRefFact,
    /// The `targetPort` (or `port`) value.
    pub span: Span,
    /// `protocol` when set (else TCP).
    pub protocol: Option<String>,
}

#[derive(Debug, Default)]
pub struct HpaFacts {
    /// The `scaleTargetRef` value, and its `name` value (else the former).
    pub target_span: Option<Span>,
    pub target_name_span: Option<Span>,
    /// `spec.minReplicas` when set and not null.
    pub min_replicas_span: Option<Span>,
    /// The minimum used: `minReplicas` when an integer, else 1.
    pub min_replicas: i64,
    pub max_replicas: Option<i64>,
    pub utilization: Vec<Utilization>,
}

/// One utilization target of an HPA.
#[derive(Debug)]
pub struct Utilization {
    pub resource: String,
    /// `ContainerResource`: the container it is computed over.
    pub container: Option<String>,
    pub span: Span,
    /// No metrics at all: the default 80% CPU.
    pub implicit: bool,
}

impl ObjectFacts {
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    pub fn display(&self) -> String {
        format!(
            "{}/{}",
            self.kind,
            self.name.as_deref().unwrap_or("<unnamed>")
        )
    }
}

#[derive(Debug, Default)]
pub struct PodFacts {
    pub labels: Vec<(String, String)>,
    /// `terminationGracePeriodSeconds` and the span of its value (see
    /// [`PodFacts::grace_period`]).
    pub termination_grace: Option<(i64, Span)>,
    pub containers: Vec<ContainerFacts>,
    pub volumes: Vec<VolumeFacts>,
    pub run_as_non_root: Option<(bool, Span)>,
    pub run_as_user: Option<(i64, Span)>,
    /// The labels as a selector sees them: numbers and booleans by their
    /// text, a null value as empty (`labels` skips non-strings).
    pub selectable: Vec<(String, String)>,
    /// The template's `labels` map, to point at.
    pub labels_span: Option<Span>,
    /// The pod spec's key (`spec:` of the template), to point at.
    pub spec_key_span: Option<Span>,
    /// `automountServiceAccountToken` when a boolean, with its value.
    pub automount_token: Option<(bool, Span)>,
    /// `serviceAccountName` (else `serviceAccount`): the name (`default`
    /// when not a string) and its value.
    pub service_account: Option<(String, Span)>,
}

impl PodFacts {
    /// Kubernetes' default `terminationGracePeriodSeconds`.
    pub const DEFAULT_GRACE: i64 = 30;

    /// The grace period the kubelet gives the pod, and where it is set
    /// (`None`: the default of 30 seconds).
    pub fn grace_period(&self) -> (i64, Option<Span>) {
        match self.termination_grace {
            Some((g, s)) => (g, Some(s)),
            None => (Self::DEFAULT_GRACE, None),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Main,
    Init,
    /// An init container with `restartPolicy: Always`.
    Sidecar,
    Ephemeral,
}

#[derive(Debug)]
pub struct ContainerFacts {
    pub role: Role,
    pub name: String,
    pub span: Span,
    pub image: Option<Loc>,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    /// The `command` (else `args`) value, to point at.
    pub command_span: Option<Span>,
    pub env: Vec<EnvFact>,
    pub env_from: Vec<EnvFromFact>,
    pub ports: Vec<PortFact>,
    pub probes: Vec<ProbeFact>,
    pub resources: Resources,
    /// Container securityContext merged over the pod's.
    pub run_as_non_root: Option<(bool, Span)>,
    pub run_as_user: Option<(i64, Span)>,
    /// `runAsGroup`, `fsGroup` or `supplementalGroups` set (container or
    /// pod): file access may come through a group the image prepared.
    pub sets_groups: bool,
    /// The container's `readOnlyRootFilesystem` (no pod-level field exists).
    pub read_only_root: Option<(bool, Span)>,
    pub mounts: Vec<MountFact>,
    /// Resources with a request or a limit set (a limit implies the request).
    pub requested: Vec<String>,
    pub pre_stop: Option<PreStopFact>,
}

/// `lifecycle.preStop`.
#[derive(Debug)]
pub struct PreStopFact {
    /// The `preStop` key.
    pub span: Span,
    pub sleep: bool,
    pub http_get: bool,
    /// `exec.command` words.
    pub exec: Vec<String>,
}

impl PreStopFact {
    /// The hook stops php-fpm gracefully: it sends SIGQUIT to the master
    /// (`kill -QUIT 1`, a pid file, `pkill -QUIT php-fpm`) and then waits
    /// (`sleep`, a `while`/`until` loop, `wait`), so php-fpm finishes its
    /// requests and exits before the kubelet's SIGTERM. A hook that returns
    /// right after the signal does not: the SIGTERM that follows it
    /// overrides php-fpm's graceful stop (`fpm_pctl`: "finishing" can be
    /// overridden by "terminating").
    pub fn quits_php_fpm(&self) -> bool {
        self.php_fpm_quit() == Some(true)
    }

    /// The hook sends php-fpm SIGQUIT: `Some(waits)` (whether it waits
    /// after), `None` when it sends no SIGQUIT to php-fpm.
    pub fn php_fpm_quit(&self) -> Option<bool> {
        let script = match self.exec.as_slice() {
            [sh, flag, rest @ ..]
                if flag.starts_with('-')
                    && flag.contains('c')
                    && matches!(
                        sh.rsplit('/').next().unwrap_or(sh),
                        "sh" | "bash" | "ash" | "dash"
                    ) =>
            {
                rest.join(" ")
            }
            words => words.join(" "),
        };
        let commands: Vec<Vec<&str>> = script
            .split(['\n', ';', '&', '|'])
            .map(|c| c.split_whitespace().collect())
            .filter(|w: &Vec<&str>| !w.is_empty())
            .collect();
        let quit = commands.iter().position(|w| is_fpm_quit(w))?;
        Some(commands[quit + 1..].iter().any(|w| {
            let head = w[0].rsplit('/').next().unwrap_or(w[0]);
            match head {
                "sleep" => w.get(1).is_some_and(|n| {
                    n.trim_end_matches(['s', 'm'])
                        .parse::<f64>()
                        .is_ok_and(|n| n > 0.0)
                }),
                "while" | "until" | "wait" => true,
                _ => false,
            }
        }))
    }
}

/// `kill -QUIT 1` (php-fpm is the container's process), `kill -s QUIT
/// $(cat /run/php-fpm.pid)`, `pkill -QUIT php-fpm`, `killall -QUIT php-fpm`.
fn is_fpm_quit(w: &[&str]) -> bool {
    let head = w[0].rsplit('/').next().unwrap_or(w[0]);
    if !matches!(head, "kill" | "pkill" | "killall") {
        return false;
    }
    let quit = |s: &str| matches!(s.to_ascii_uppercase().as_str(), "QUIT" | "SIGQUIT" | "3");
    let mut signal = false;
    let mut target = false;
    let mut i = 1;
    while i < w.len() {
        let a = w[i];
        if a == "-s" || a == "--signal" {
            signal |= w.get(i + 1).is_some_and(|s| quit(s));
            i += 2;
            continue;
        }
        if let Some(s) = a.strip_prefix('-') {
            signal |= quit(s);
        } else if head == "kill" {
            target |= a == "1" || a.contains("fpm") || a.contains(".pid");
        } else {
            target |= a.contains("php-fpm") || a.contains("php_fpm");
        }
        i += 1;
    }
    signal && target
}

#[derive(Debug)]
pub struct EnvFact {
    pub name: String,
    pub span: Span,
    pub value: EnvValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvValue {
    /// An inline value. Kept so rules can read Laravel settings; never printed
    /// by `graph`, and masked by the secret pass where it is a credential.
    Literal(String),
    ConfigMapKey {
        name: String,
        key: String,
    },
    SecretKey {
        name: String,
        key: String,
    },
    Field(String),
    Resource(String),
    Other,
}

#[derive(Debug)]
pub struct EnvFromFact {
    pub secret: bool,
    pub name: String,
    pub prefix: Option<String>,
    pub span: Span,
}

/// One entry (a map) of a container's `ports`.
#[derive(Debug)]
pub struct PortFact {
    pub name: Option<String>,
    pub number: Option<i64>,
    /// `protocol` when set (else TCP).
    pub protocol: Option<String>,
    pub span: Span,
}

impl PortFact {
    pub fn protocol(&self) -> &str {
        self.protocol.as_deref().unwrap_or("TCP")
    }

    pub fn matches(&self, port: &PortRefFact) -> bool {
        match port {
            PortRefFact::Number(n) => self.number == Some(*n),
            PortRefFact::Name(s) => self.name.as_deref() == Some(s.as_str()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortRefFact {
    Number(i64),
    Name(String),
}

impl PortRefFact {
    /// As Kubernetes' IntOrString reads it (a quoted `"8080"` is the number).
    fn of(node: &Node) -> Option<PortRefFact> {
        Some(match PortRef::of(node)? {
            PortRef::Number(n) => PortRefFact::Number(n),
            PortRef::Name(s) => PortRefFact::Name(s.to_owned()),
        })
    }
}

impl std::fmt::Display for PortRefFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortRefFact::Number(n) => write!(f, "{n}"),
            PortRefFact::Name(s) => f.write_str(s),
        }
    }
}

#[derive(Debug)]
pub struct ProbeFact {
    /// `livenessProbe`, `readinessProbe`, `startupProbe`.
    pub field: &'static str,
    pub handler: Handler,
    pub span: Span,
    /// The handler key (`httpGet`), to point at.
    pub handler_span: Span,
    /// The port value, to point at.
    pub port_span: Option<Span>,
    /// `httpGet.path`'s value, to point at.
    pub path_span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handler {
    Http {
        path: Option<String>,
        port: Option<PortRefFact>,
    },
    Tcp {
        port: Option<PortRefFact>,
    },
    Grpc {
        port: Option<i64>,
    },
    Exec {
        command: Vec<String>,
    },
    None,
}

#[derive(Debug, Default)]
pub struct Resources {
    pub requests_cpu: Option<K8sQuantity>,
    pub requests_memory: Option<K8sQuantity>,
    pub limits_cpu: Option<K8sQuantity>,
    pub limits_memory: Option<K8sQuantity>,
    pub limits_memory_span: Option<Span>,
    pub limits_cpu_span: Option<Span>,
}

#[derive(Debug)]
pub struct MountFact {
    pub volume: String,
    pub path: String,
    pub sub_path: Option<String>,
    /// `readOnly: true` on the mount.
    pub read_only: bool,
    pub span: Span,
}

#[derive(Debug)]
pub struct VolumeFacts {
    pub name: String,
    pub source: VolumeSource,
    /// The volume's entry in `volumes`.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeSource {
    ConfigMap(String),
    Secret(String),
    EmptyDir,
    /// `persistentVolumeClaim.claimName`, and the span of its value.
    Pvc(String, Span),
    Other,
}

fn string_pairs(node: Option<&Node>) -> Vec<(String, String)> {
    node.map(|n| {
        n.as_map()
            .iter()
            .filter_map(|e| Some((e.key.as_str()?.to_owned(), e.value.as_str()?.to_owned())))
            .collect()
    })
    .unwrap_or_default()
}

fn strings(node: Option<&Node>) -> Option<Vec<String>> {
    node.map(|n| {
        n.as_seq()
            .iter()
            .filter_map(|w| w.as_scalar().map(|s| s.value.to_string()))
            .collect()
    })
}

/// nginx configs embedded in the ConfigMaps of a manifest (needs the text
/// to map spans inside block scalars).
fn configmap_nginx(k: &mut K8sFacts, y: &YamlFile, text: &str) {
    if !text.contains("fastcgi_pass") && !text.contains("server") {
        return;
    }
    for (o, f) in k8s::objects(y).iter().zip(k.objects.iter_mut()) {
        if o.kind == "ConfigMap" {
            f.nginx = super::nginx::in_configmap(text, o.root);
        }
    }
}

/// The facts of a Kubernetes file's objects.
pub fn kubernetes(y: &YamlFile) -> K8sFacts {
    let mut objects: Vec<ObjectFacts> = k8s::objects(y).iter().map(object).collect();
    // Facts live for the whole run: give back what the vectors grew into
    // (a vector of large elements starts at four slots).
    for o in &mut objects {
        o.labels.shrink_to_fit();
        if let Some(p) = &mut o.pod {
            p.labels.shrink_to_fit();
            p.selectable.shrink_to_fit();
            p.volumes.shrink_to_fit();
            p.containers.shrink_to_fit();
            for c in &mut p.containers {
                c.env.shrink_to_fit();
                c.env_from.shrink_to_fit();
                c.ports.shrink_to_fit();
                c.probes.shrink_to_fit();
                c.mounts.shrink_to_fit();
                c.requested.shrink_to_fit();
            }
        }
    }
    objects.shrink_to_fit();
    K8sFacts { objects }
}

fn object(o: &Object<'_>) -> ObjectFacts {
    let root = o.root;
    let mut f = ObjectFacts {
        kind: o.kind.to_owned(),
        name: o.name().map(str::to_owned),
        namespace: o.namespace().map(str::to_owned),
        span: o.anchor_span(),
        labels: string_pairs(root.path(&["metadata", "labels"])),
        name_span: root
            .path(&["metadata", "name"])
            .map_or_else(|| o.anchor_span(), |n| n.span),
        spec_key: root.entry("spec").map(|e| (e.key.span, e.value.is_map())),
        ..ObjectFacts::default()
    };
    let spec = root.get("spec");
    match o.kind {
        "Service" => {
            f.selector = spec
                .and_then(|s| s.get("selector"))
                .map(|n| string_pairs(Some(n)));
            f.relation = Relation::Service(Box::new(service(spec)));
        }
        "HorizontalPodAutoscaler" => {
            f.scale_target = spec.and_then(|s| {
                let t = s.get("scaleTargetRef")?;
                Some((
                    t.str_at(&["kind"])?.to_owned(),
                    t.str_at(&["name"])?.to_owned(),
                ))
            });
            f.relation = Relation::Hpa(Box::new(hpa(root)));
        }
        "PersistentVolumeClaim" => {
            f.access_modes = spec.and_then(|s| s.entry("accessModes")).map(|e| {
                let modes = e
                    .value
                    .as_seq()
                    .iter()
                    .filter_map(|m| m.as_str().map(str::to_owned))
                    .collect();
                (modes, e.key.span)
            });
        }
        "ConfigMap" | "Secret" => {
            for field in ["data", "stringData", "binaryData"] {
                for e in root.get(field).map(Node::as_map).unwrap_or_default() {
                    let Some(k) = e.key.as_str() else { continue };
                    f.data_keys.push(k.to_owned());
                    if o.kind == "ConfigMap" {
                        if let Some(v) = e.value.as_scalar() {
                            f.config_data.push((k.to_owned(), v.value.to_string()));
                        }
                    }
                }
            }
        }
        _ => {
            if let Some(sel) = spec.and_then(|s| s.get("selector")) {
                f.selector = Some(string_pairs(sel.get("matchLabels")));
                f.selector_expressions = sel.get("matchExpressions").is_some();
            }
            let replicas = spec.and_then(|s| s.entry("replicas"));
            f.replicas = replicas.and_then(|e| e.value.as_i64());
            if let Some(e) = replicas.filter(|e| !e.value.is_null()) {
                f.replicas_span = Some(e.key.span.cover(e.value.span));
            }
            f.replicas_text = replicas
                .and_then(|e| e.value.as_str())
                .and_then(|s| s.parse().ok());
            f.strategy = spec
                .and_then(|s| s.get("strategy"))
                .map(|s| Box::new(strategy(s)));
            match o.kind {
                "PodDisruptionBudget" => {
                    let field = |name: &str| {
                        let e = spec.filter(|s| s.is_map())?.entry(name)?;
                        IntOrPercent::of(&e.key, &e.value)
                    };
                    f.pdb_budget = Some(Box::new(PdbBudget {
                        min_available: field("minAvailable"),
                        max_unavailable: field("maxUnavailable"),
                    }));
                    f.relation = Relation::Pdb(
                        spec.filter(|s| s.is_map())
                            .and_then(|s| s.entry("selector"))
                            .map(|e| {
                                if e.value.is_null() {
                                    (e.key.span, Some(Selector::nothing()))
                                } else {
                                    (e.value.span, Selector::from_label_selector(&e.value))
                                }
                            }),
                    );
                }
                "ServiceAccount" => {
                    f.relation = Relation::ServiceAccount(
                        root.get("automountServiceAccountToken")
                            .and_then(Node::as_bool),
                    );
                }
                _ => {}
            }
        }
    }
    if let Some(pod_spec) = o.pod_spec() {
        f.pod = Some(Box::new(pod(o, pod_spec)));
    }
    f
}

fn service(spec: Option<&Node>) -> ServiceFacts {
    let Some(spec) = spec else {
        return ServiceFacts::default();
    };
    ServiceFacts {
        selector: spec
            .get("selector")
            .and_then(|n| Selector::from_map(n).map(|s| (s, n.span))),
        ports: spec
            .get("ports")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| {
                let node = p.get("targetPort").or_else(|| p.get("port"))?;
                Some(ServicePortFact {
                    port: p.get("port").and_then(|n| match PortRefFact::of(n)? {
                        PortRefFact::Number(n) => Some(n),
                        PortRefFact::Name(_) => None,
                    }),
                    target: PortRefFact::of(node)?,
                    span: node.span,
                    protocol: p.str_at(&["protocol"]).map(str::to_owned),
                })
            })
            .collect(),
    }
}

fn strategy(node: &Node) -> StrategyFacts {
    StrategyFacts {
        kind: node.str_at(&["type"]).map(str::to_owned),
        max_unavailable: node.path(&["rollingUpdate", "maxUnavailable"]).map(|n| {
            // Kubernetes rounds a percentage of one replica down.
            let pods = match resolve(n) {
                Resolved::Int(n) => n,
                Resolved::Str(s) => match s.strip_suffix('%').map(str::parse::<i64>) {
                    Some(Ok(p)) => p / 100,
                    _ => s.parse().unwrap_or(0),
                },
                _ => 0,
            };
            MaxUnavailable {
                pods,
                text: n.as_scalar().map_or("", |s| s.value.as_str()).to_owned(),
                span: n.span,
            }
        }),
    }
}

fn hpa(root: &Node) -> HpaFacts {
    let target = root.path(&["spec", "scaleTargetRef"]);
    let min = root.path(&["spec", "minReplicas"]).filter(|n| !n.is_null());
    HpaFacts {
        target_span: target.map(|t| t.span),
        target_name_span: target.map(|t| t.get("name").map_or(t.span, |n| n.span)),
        min_replicas_span: min.map(|n| n.span),
        min_replicas: min.and_then(Node::as_i64).unwrap_or(1),
        max_replicas: root.path(&["spec", "maxReplicas"]).and_then(Node::as_i64),
        utilization: utilization(root),
    }
}

/// The utilization targets of an HPA (`autoscaling/v1` and v2).
fn utilization(hpa: &Node) -> Vec<Utilization> {
    let mut out = Vec::new();
    let Some(spec) = hpa.get("spec") else {
        return out;
    };
    if let Some(e) = spec.entry("targetCPUUtilizationPercentage") {
        out.push(Utilization {
            resource: "cpu".to_owned(),
            container: None,
            span: e.key.span,
            implicit: false,
        });
    }
    let metrics = spec.get("metrics").map(Node::as_seq).unwrap_or_default();
    for m in metrics {
        let (field, per_container) = match m.str_at(&["type"]) {
            Some("Resource") => ("resource", false),
            Some("ContainerResource") => ("containerResource", true),
            _ => continue,
        };
        let Some(r) = m.get(field) else { continue };
        let is_util = r.str_at(&["target", "type"]) == Some("Utilization")
            || r.get("targetAverageUtilization").is_some(); // v2beta1
        let Some(name) = r.get("name") else { continue };
        let Some(resource) = name.as_str() else {
            continue;
        };
        if !is_util {
            continue;
        }
        out.push(Utilization {
            resource: resource.to_owned(),
            container: if per_container {
                r.str_at(&["container"]).map(str::to_owned)
            } else {
                None
            },
            span: name.span,
            implicit: false,
        });
    }
    // Without metrics the HPA defaults to 80% average CPU utilization.
    if out.is_empty() && metrics.is_empty() {
        if let Some(e) = hpa.entry("spec") {
            out.push(Utilization {
                resource: "cpu".to_owned(),
                container: None,
                span: e.key.span,
                implicit: true,
            });
        }
    }
    out
}

/// Resources with a non-null request or limit.
fn requested(node: Option<&Node>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for section in ["requests", "limits"] {
        let Some(map) = node.and_then(|n| n.get(section)) else {
            continue;
        };
        for e in map.as_map() {
            let Some(k) = e.key.as_str() else { continue };
            // The last of duplicate keys wins, as in `Node::get`.
            if map.get(k).is_some_and(|v| !v.is_null()) && !out.iter().any(|o| o == k) {
                out.push(k.to_owned());
            }
        }
    }
    out
}

fn pre_stop(c: &Node) -> Option<PreStopFact> {
    let e = c.get("lifecycle")?.entry("preStop")?;
    let v = &e.value;
    Some(PreStopFact {
        span: e.key.span,
        sleep: v.get("sleep").is_some(),
        http_get: v.get("httpGet").is_some(),
        exec: v
            .path(&["exec", "command"])
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_owned)
            .collect(),
    })
}

/// `runAsNonRoot` and `runAsUser` of a securityContext, with their key spans.
type Security = (Option<(bool, Span)>, Option<(i64, Span)>);

fn security(node: Option<&Node>) -> Security {
    let Some(sc) = node else { return (None, None) };
    let non_root = sc
        .entry("runAsNonRoot")
        .and_then(|e| e.value.as_bool().map(|b| (b, e.key.span)));
    let user = sc
        .entry("runAsUser")
        .and_then(|e| e.value.as_i64().map(|n| (n, e.key.span)));
    (non_root, user)
}

fn sets_groups(sc: Option<&Node>) -> bool {
    sc.is_some_and(|sc| {
        ["runAsGroup", "fsGroup", "supplementalGroups"]
            .iter()
            .any(|k| sc.get(k).is_some_and(|v| !v.is_null()))
    })
}

fn pod(o: &Object<'_>, spec: &Node) -> PodFacts {
    let labels_node = template_metadata(o).and_then(|m| m.get("labels"));
    let labels = string_pairs(labels_node);
    let (pod_non_root, pod_user) = security(spec.get("securityContext"));
    let pod_groups = sets_groups(spec.get("securityContext"));
    let volumes = spec
        .get("volumes")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| {
            let name = v.str_at(&["name"])?.to_owned();
            let source = if let Some(n) = v.str_at(&["configMap", "name"]) {
                VolumeSource::ConfigMap(n.to_owned())
            } else if let Some(n) = v.str_at(&["secret", "secretName"]) {
                VolumeSource::Secret(n.to_owned())
            } else if v.get("emptyDir").is_some() {
                VolumeSource::EmptyDir
            } else if let Some(claim) = v.path(&["persistentVolumeClaim", "claimName"]) {
                match claim.as_str() {
                    Some(n) => VolumeSource::Pvc(n.to_owned(), claim.span),
                    None => VolumeSource::Other,
                }
            } else {
                VolumeSource::Other
            };
            Some(VolumeFacts {
                name,
                source,
                span: v.span,
            })
        })
        .collect();
    let containers = k8s::containers(spec)
        .into_iter()
        .map(|c| {
            let n = c.node;
            let role = match c.kind {
                ContainerKind::Main => Role::Main,
                ContainerKind::Ephemeral => Role::Ephemeral,
                ContainerKind::Init if n.str_at(&["restartPolicy"]) == Some("Always") => {
                    Role::Sidecar
                }
                ContainerKind::Init => Role::Init,
            };
            let (non_root, user) = security(n.get("securityContext"));
            ContainerFacts {
                role,
                name: c.name().to_owned(),
                span: c.anchor_span(),
                image: n
                    .entry("image")
                    .and_then(|e| e.value.as_str().map(|s| Loc::new(s, e.value.span))),
                command: strings(n.get("command")),
                args: strings(n.get("args")),
                command_span: n.get("command").or_else(|| n.get("args")).map(|v| v.span),
                env: env(n.get("env")),
                env_from: env_from(n.get("envFrom")),
                ports: n
                    .get("ports")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .filter(|p| p.is_map())
                    .map(|p| PortFact {
                        name: p.str_at(&["name"]).map(str::to_owned),
                        number: p.get("containerPort").and_then(Node::as_i64),
                        protocol: p.str_at(&["protocol"]).map(str::to_owned),
                        span: p.span,
                    })
                    .collect(),
                probes: ["livenessProbe", "readinessProbe", "startupProbe"]
                    .into_iter()
                    .filter_map(|field| probe(n, field))
                    .collect(),
                resources: resources(n.get("resources")),
                run_as_non_root: non_root.or(pod_non_root),
                run_as_user: user.or(pod_user),
                sets_groups: pod_groups || sets_groups(n.get("securityContext")),
                read_only_root: n.get("securityContext").and_then(|sc| {
                    sc.entry("readOnlyRootFilesystem")
                        .and_then(|e| e.value.as_bool().map(|b| (b, e.key.span)))
                }),
                mounts: n
                    .get("volumeMounts")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|m| {
                        Some(MountFact {
                            volume: m.str_at(&["name"])?.to_owned(),
                            path: m.str_at(&["mountPath"])?.to_owned(),
                            sub_path: m.str_at(&["subPath"]).map(str::to_owned),
                            read_only: m.get("readOnly").and_then(Node::as_bool) == Some(true),
                            span: m.span,
                        })
                    })
                    .collect(),
                requested: requested(n.get("resources")),
                pre_stop: pre_stop(n),
            }
        })
        .collect();
    let sa = spec
        .entry("serviceAccountName")
        .or_else(|| spec.entry("serviceAccount"));
    PodFacts {
        labels,
        termination_grace: spec
            .entry("terminationGracePeriodSeconds")
            .and_then(|e| e.value.as_i64().map(|n| (n, e.value.span))),
        containers,
        volumes,
        run_as_non_root: pod_non_root,
        run_as_user: pod_user,
        selectable: labels_node.map(selector_pairs).unwrap_or_default(),
        labels_span: labels_node.map(|n| n.span),
        spec_key_span: pod_spec_key(o).map(|e| e.key.span),
        automount_token: spec
            .entry("automountServiceAccountToken")
            .and_then(|e| e.value.as_bool().map(|b| (b, e.value.span))),
        service_account: sa.map(|e| {
            (
                e.value.as_str().unwrap_or("default").to_owned(),
                e.value.span,
            )
        }),
    }
}

/// The entry of the pod spec (`spec:` of the template, the Pod's own).
fn pod_spec_key<'a>(o: &Object<'a>) -> Option<&'a crate::parse::yaml::Entry> {
    o.pod_spec()?;
    let parent: &[&str] = match o.kind {
        "Pod" => &[],
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        _ => &["spec", "template"],
    };
    o.root.path(parent)?.entry("spec")
}

fn env(node: Option<&Node>) -> Vec<EnvFact> {
    node.map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let name = e.str_at(&["name"])?.to_owned();
            let value = if let Some(v) = e.get("value") {
                EnvValue::Literal(
                    v.as_scalar()
                        .map(|s| s.value.to_string())
                        .unwrap_or_default(),
                )
            } else if let Some(vf) = e.get("valueFrom") {
                if let Some(r) = vf.get("configMapKeyRef") {
                    EnvValue::ConfigMapKey {
                        name: r.str_at(&["name"]).unwrap_or("").to_owned(),
                        key: r.str_at(&["key"]).unwrap_or("").to_owned(),
                    }
                } else if let Some(r) = vf.get("secretKeyRef") {
                    EnvValue::SecretKey {
                        name: r.str_at(&["name"]).unwrap_or("").to_owned(),
                        key: r.str_at(&["key"]).unwrap_or("").to_owned(),
                    }
                } else if let Some(p) = vf.str_at(&["fieldRef", "fieldPath"]) {
                    EnvValue::Field(p.to_owned())
                } else if let Some(r) = vf.str_at(&["resourceFieldRef", "resource"]) {
                    EnvValue::Resource(r.to_owned())
                } else {
                    EnvValue::Other
                }
            } else {
                EnvValue::Literal(String::new())
            };
            Some(EnvFact {
                name,
                span: e.span,
                value,
            })
        })
        .collect()
}

fn env_from(node: Option<&Node>) -> Vec<EnvFromFact> {
    node.map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let prefix = e.str_at(&["prefix"]).map(str::to_owned);
            if let Some(n) = e.str_at(&["configMapRef", "name"]) {
                Some(EnvFromFact {
                    secret: false,
                    name: n.to_owned(),
                    prefix,
                    span: e.span,
                })
            } else {
                e.str_at(&["secretRef", "name"]).map(|n| EnvFromFact {
                    secret: true,
                    name: n.to_owned(),
                    prefix,
                    span: e.span,
                })
            }
        })
        .collect()
}

fn port_ref(node: Option<&Node>) -> Option<PortRefFact> {
    let n = node?;
    match n.as_i64() {
        Some(i) => Some(PortRefFact::Number(i)),
        None => n.as_str().map(|s| PortRefFact::Name(s.to_owned())),
    }
}

fn probe(c: &Node, field: &'static str) -> Option<ProbeFact> {
    let entry = c.entry(field).filter(|e| e.value.is_map())?;
    let p = &entry.value;
    let path_span = p.get("httpGet").and_then(|h| h.get("path")).map(|n| n.span);
    let (handler, handler_span, port_span) = if let Some(h) = p.entry("httpGet") {
        (
            Handler::Http {
                path: h.value.str_at(&["path"]).map(str::to_owned),
                port: port_ref(h.value.get("port")),
            },
            h.key.span,
            h.value.get("port").map(|n| n.span),
        )
    } else if let Some(h) = p.entry("tcpSocket") {
        (
            Handler::Tcp {
                port: port_ref(h.value.get("port")),
            },
            h.key.span,
            h.value.get("port").map(|n| n.span),
        )
    } else if let Some(h) = p.entry("grpc") {
        (
            Handler::Grpc {
                port: h.value.get("port").and_then(Node::as_i64),
            },
            h.key.span,
            h.value.get("port").map(|n| n.span),
        )
    } else if let Some(h) = p.entry("exec") {
        (
            Handler::Exec {
                command: strings(h.value.get("command")).unwrap_or_default(),
            },
            h.key.span,
            None,
        )
    } else {
        (Handler::None, entry.key.span, None)
    };
    Some(ProbeFact {
        field,
        handler,
        span: entry.key.span,
        handler_span,
        port_span,
        path_span,
    })
}

fn resources(node: Option<&Node>) -> Resources {
    let q = |section: &str, name: &str| {
        node.and_then(|n| n.path(&[section, name]))
            .and_then(|v| v.as_scalar())
            .and_then(|s| parse_k8s_quantity(&s.value))
    };
    Resources {
        requests_cpu: q("requests", "cpu"),
        requests_memory: q("requests", "memory"),
        limits_cpu: q("limits", "cpu"),
        limits_memory: q("limits", "memory"),
        limits_memory_span: node
            .and_then(|n| n.path(&["limits", "memory"]))
            .map(|n| n.span),
        limits_cpu_span: node
            .and_then(|n| n.path(&["limits", "cpu"]))
            .map(|n| n.span),
    }
}

// ---------------------------------------------------------------- compose

pub use super::compose::{ComposeFacts, ComposeService};

fn compose(y: &YamlFile) -> ComposeFacts {
    super::compose::extract(y)
}

// ---------------------------------------------------------------- php-fpm, php.ini

/// A php-fpm file as php-fpm reads it: its sections in file order with
/// their directives, names, values and spans (what the pool rules of the
/// run read; the parsed document is dropped after the file's own rules).
#[derive(Debug, Default)]
pub struct FpmFacts {
    pub sections: Vec<FpmSection>,
}

#[derive(Debug)]
pub struct FpmSection {
    pub kind: crate::parse::fpm::SectionKind,
    /// The name between the brackets, empty for the preamble.
    pub name: Box<str>,
    /// The `[name]` header, or an empty span at 0 for the preamble.
    pub header: Span,
    /// Where a directive added at the end of the section goes (the byte
    /// just past its last line).
    pub insertion_point: usize,
    pub directives: Vec<FpmDirective>,
}

#[derive(Debug)]
pub struct FpmDirective {
    /// The name lower-cased, then `[offset]` as written when it has one
    /// (`pm.max_children`, `env[DB_HOST]`).
    pub key: Box<str>,
    /// The length of the name in `key` (the offset follows it).
    name_len: usize,
    /// The name as written.
    pub name_span: Span,
    /// The whole key, offset included.
    pub key_span: Span,
    /// Key to end of value.
    pub span: Span,
    pub value: FpmValue,
}

#[derive(Debug)]
pub struct FpmValue {
    /// What php-fpm sees: quotes removed, escapes applied, `$pool`
    /// expanded, `${ENV}` left as is.
    pub text: Box<str>,
    pub span: Span,
    pub quoting: crate::parse::fpm::Quoting,
    /// Holds a `${NAME}` reference, so is unknown until start-up.
    pub symbolic: bool,
}

impl FpmFacts {
    pub fn pools(&self) -> impl Iterator<Item = &FpmSection> {
        use crate::parse::fpm::SectionKind;
        self.sections.iter().filter(|s| s.kind == SectionKind::Pool)
    }

    /// Every `include =` directive, wherever it is.
    pub fn includes(&self) -> impl Iterator<Item = &FpmDirective> {
        self.sections
            .iter()
            .flat_map(|s| &s.directives)
            .filter(|d| d.offset().is_none() && d.is("include"))
    }

    /// Only directives before any `[section]` header: a fragment another
    /// file includes.
    pub fn is_fragment(&self) -> bool {
        use crate::parse::fpm::SectionKind;
        !self.sections.is_empty()
            && self
                .sections
                .iter()
                .all(|s| s.kind == SectionKind::Preamble)
    }
}

impl FpmSection {
    /// The last scalar directive `name` (later definitions win).
    pub fn directive(&self, name: &str) -> Option<&FpmDirective> {
        self.directives
            .iter()
            .rev()
            .find(|d| d.offset().is_none() && d.is(name))
    }

    /// The value of the last scalar directive `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.directive(name).map(|d| &*d.value.text)
    }

    /// The last scalar directive `name`: its value and its span.
    pub fn get_at(&self, name: &str) -> Option<(&str, Span)> {
        self.directive(name).map(|d| (&*d.value.text, d.span))
    }
}

impl FpmDirective {
    /// The name, lower-cased.
    pub fn name(&self) -> &str {
        self.key.get(..self.name_len).unwrap_or(&self.key)
    }

    /// The offset of `name[offset]`, as written (empty for `name[]`).
    pub fn offset(&self) -> Option<&str> {
        let rest = self.key.get(self.name_len..).unwrap_or("");
        rest.strip_prefix('[')
            .map(|o| o.strip_suffix(']').unwrap_or(o))
    }

    /// Case-insensitive name match, as php-fpm does (`strcasecmp`).
    pub fn is(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name)
    }
}

impl FpmValue {
    pub fn is_symbolic(&self) -> bool {
        self.symbolic
    }

    /// See [`crate::parse::fpm::Value::as_bool`].
    pub fn as_bool(&self) -> crate::parse::fpm::Typed<bool> {
        crate::parse::fpm::typed_bool(&self.text, self.quoting, self.symbolic, &self.text)
    }

    pub fn as_int(&self) -> crate::parse::fpm::Typed<i64> {
        crate::parse::fpm::typed_int(&self.text, self.symbolic)
    }

    /// A time in seconds (`30s`, `10m`).
    pub fn as_duration(&self) -> crate::parse::fpm::Typed<i64> {
        crate::parse::fpm::typed_duration(&self.text, self.symbolic)
    }
}

fn fpm(f: &crate::parse::fpm::FpmFile, text: &str) -> FpmFacts {
    FpmFacts {
        sections: f
            .sections
            .iter()
            .map(|s| FpmSection {
                kind: s.kind,
                name: s.name().into(),
                header: s.header,
                insertion_point: s.insertion_point(text),
                directives: s
                    .directives
                    .iter()
                    .map(|d| {
                        let name = d.name.text.to_ascii_lowercase();
                        let name_len = name.len();
                        let key = match &d.offset {
                            Some(o) => format!("{name}[{}]", o.text),
                            None => name,
                        };
                        FpmDirective {
                            key: key.into(),
                            name_len,
                            name_span: d.name.span,
                            key_span: d.key_span,
                            span: d.span,
                            value: FpmValue {
                                text: d.value.text.as_str().into(),
                                span: d.value.span,
                                quoting: d.value.quoting,
                                symbolic: d.value.is_symbolic(),
                            },
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[derive(Debug, Default)]
pub struct IniFacts {
    /// (key, value text) in file order; the last one wins.
    pub directives: Vec<(String, String)>,
    /// The span of each directive (key to end of value), same order.
    pub spans: Vec<Span>,
    /// `opcache.enable_cli` as PHP reads it from this file (the last global
    /// setting): its boolean (`None` when symbolic) and the value's span.
    pub enable_cli: Option<(Option<bool>, Span)>,
    /// Where the file configures OPcache (`[opcache]`, the first `opcache.*`
    /// directive or the line loading it), if it does.
    pub opcache_anchor: Option<Span>,
    /// The value of an `extension=swoole` / `openswoole` line.
    pub loads_swoole: Option<Span>,
    /// For a file that configures OPcache: what the OPcache rules read.
    pub opcache: Option<Box<OpcacheFacts>>,
}

/// Where a php.ini directive is set, and its boolean reading.
#[derive(Clone, Copy, Debug)]
pub struct IniAt {
    pub key_span: Span,
    pub value_span: Span,
    /// `None` when the value is symbolic or unreadable.
    pub as_bool: Option<bool>,
}

impl IniAt {
    pub fn of(e: &crate::parse::ini::Entry) -> Self {
        IniAt {
            key_span: e.key_span,
            value_span: e.value.span,
            as_bool: e.value.as_bool(),
        }
    }
}

/// The OPcache settings of a php.ini file that configures OPcache.
#[derive(Debug, Default)]
pub struct OpcacheFacts {
    /// Each `opcache.*` directive PHP reads from the global scope (the last
    /// setting of each, not inside `[HOST=]`/`[PATH=]`): its name, its text
    /// (`None` when symbolic or unreadable) and where it is.
    pub settings: Vec<(String, Option<String>, IniAt)>,
    /// Where a new `opcache.*` line goes: after the last one PHP reads, else
    /// after the `[opcache]` header, else at the end of the file; and
    /// whether a newline must come first.
    pub insertion: (usize, bool),
}

impl OpcacheFacts {
    pub fn get(&self, name: &str) -> Option<(Option<&str>, IniAt)> {
        self.settings
            .iter()
            .find(|(k, _, _)| k == name)
            .map(|(_, t, at)| (t.as_deref(), *at))
    }
}

fn opcache(f: &crate::parse::ini::IniFile, text: &str) -> OpcacheFacts {
    let mut settings: Vec<(String, Option<String>, IniAt)> = Vec::new();
    for e in f.entries.iter().rev() {
        if e.key.starts_with("opcache.")
            && e.offset.is_none()
            && f.is_global(e)
            && !settings.iter().any(|(k, _, _)| *k == e.key)
        {
            settings.push((e.key.clone(), e.value.text(), IniAt::of(e)));
        }
    }
    let at = f
        .entries
        .iter()
        .filter(|e| e.key.starts_with("opcache.") && f.is_global(e))
        .map(|e| e.line_end)
        .max()
        .or_else(|| {
            f.section_named("opcache").map(|s| {
                text.get(s.span.end..)
                    .and_then(|r| r.find('\n'))
                    .map_or(text.len(), |i| s.span.end + i + 1)
            })
        })
        .unwrap_or(text.len());
    let at = at.min(text.len());
    let needs_newline = at > 0 && !text.get(..at).is_some_and(|t| t.ends_with('\n'));
    OpcacheFacts {
        settings,
        insertion: (at, needs_newline),
    }
}

impl IniFacts {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.directives
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The last setting of `key` with its span.
    pub fn get_at(&self, key: &str) -> Option<(&str, Span)> {
        self.directives
            .iter()
            .zip(&self.spans)
            .rev()
            .find(|((k, _), _)| k == key)
            .map(|((_, v), s)| (v.as_str(), *s))
    }
}

fn ini(f: &crate::parse::ini::IniFile, text: &str) -> IniFacts {
    let opcache_anchor = f.opcache_anchor();
    IniFacts {
        opcache: opcache_anchor.map(|_| Box::new(opcache(f, text))),
        directives: f
            .entries
            .iter()
            .map(|e| (e.key.clone(), e.value.text().unwrap_or_default()))
            .collect(),
        spans: f.entries.iter().map(|e| e.span).collect(),
        enable_cli: f
            .get("opcache.enable_cli")
            .map(|e| (e.value.as_bool(), e.value.span)),
        opcache_anchor,
        loads_swoole: f
            .entries
            .iter()
            .filter(|e| e.key.trim().eq_ignore_ascii_case("extension"))
            .find(|e| {
                e.value.text().is_some_and(|t| {
                    let t = t.trim().trim_matches('"').to_ascii_lowercase();
                    let name = t.rsplit('/').next().unwrap_or(&t);
                    let name = name.strip_suffix(".so").unwrap_or(name);
                    matches!(name, "swoole" | "openswoole")
                })
            })
            .map(|e| e.value.span),
    }
}

// ---------------------------------------------------------------- dotenv

/// A dotenv file: only what tells whether it holds a credential (never a value).
#[derive(Debug, Default)]
pub struct DotEnvFacts {
    /// The first entry whose value is a real credential (by its shape: a
    /// Laravel `APP_KEY`, a token, a URL with a password, or a secret-named
    /// key with a value that is not a placeholder): its key and the value's span.
    pub credential: Option<(String, Span)>,
}

fn dotenv(d: &crate::parse::dotenv::DotEnvFile) -> DotEnvFacts {
    use crate::secrets::{find_credential, is_placeholder, plaintext_secret};
    DotEnvFacts {
        credential: d
            .entries
            .iter()
            .find(|e| {
                !is_placeholder(&e.value)
                    && (find_credential(&e.value).is_some()
                        || plaintext_secret(&e.key, &e.value).is_some())
            })
            .map(|e| (e.key.clone(), e.value_span)),
    }
}

// ---------------------------------------------------------------- Octane

/// What `config/octane.php` sets, as Octane reads it.
#[derive(Debug, Default)]
pub struct OctaneFacts {
    /// `server`: the literal, or `env('OCTANE_SERVER', default)`'s default.
    pub server: Option<OctaneSetting>,
    pub max_execution_time: Option<OctaneSetting>,
    pub garbage: Option<OctaneSetting>,
    /// `swoole.options` keys with their values (literal or env default).
    pub swoole_options: Vec<(Loc, OctaneSetting)>,
    /// The `CollectGarbage` listener is enabled (not commented out).
    pub collect_garbage_listener: Option<Span>,
    /// `warm` and `flush` service lists (class names or strings; spreads as `...`).
    pub warm: Vec<Loc>,
    pub flush: Vec<Loc>,
    /// Top-level keys.
    pub keys: Vec<Loc>,
}

/// A config value: its literal (or env default) and the env variable it reads.
#[derive(Clone, Debug, Default)]
pub struct OctaneSetting {
    /// The value without env overrides, as text (`swoole`, `30`, `true`).
    pub value: Option<String>,
    /// `env('NAME', ...)`: the variable that overrides it.
    pub env: Option<String>,
    /// The whole value.
    pub span: Span,
    /// The key, to point at.
    pub key_span: Span,
}

impl OctaneSetting {
    pub fn as_i64(&self) -> Option<i64> {
        self.value.as_deref().and_then(|v| v.trim().parse().ok())
    }
}

fn setting(e: &crate::parse::php::Entry) -> OctaneSetting {
    use crate::parse::php::Scalar;
    let value = e.value.effective().and_then(|s| match s {
        Scalar::Str(s) => Some(s),
        Scalar::Int(i) => Some(i.to_string()),
        Scalar::Float(f) => Some(f.to_string()),
        Scalar::Bool(b) => Some(b.to_string()),
        Scalar::Null => None,
    });
    OctaneSetting {
        value,
        env: e.value.env_name().map(str::to_owned),
        span: e.value.span,
        key_span: e.key.as_ref().map_or(e.span, |k| k.span),
    }
}

fn service_names(v: Option<&crate::parse::php::Value>) -> Vec<Loc> {
    use crate::parse::php::ValueKind;
    v.map(|v| v.as_array())
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let text = match &e.value.kind {
                _ if e.spread => "...".to_owned(),
                ValueKind::Str(s) => s.clone(),
                ValueKind::ClassConst { class, .. } => class.clone(),
                _ => String::new(),
            };
            Loc::new(text, e.span)
        })
        .collect()
}

fn octane(p: &crate::parse::php::PhpFile) -> OctaneFacts {
    use crate::parse::php::ValueKind;
    let mut f = OctaneFacts::default();
    let Some(root) = &p.root else { return f };
    for e in root.as_array() {
        if let Some(k) = e.key.as_ref().and_then(|k| k.as_str().map(|s| (s, k.span))) {
            f.keys.push(Loc::new(k.0, k.1));
        }
    }
    f.server = root.entry("server").map(setting);
    f.max_execution_time = root.entry("max_execution_time").map(setting);
    f.garbage = root.entry("garbage").map(setting);
    if let Some(opts) = root.get("swoole").and_then(|s| s.get("options")) {
        for e in opts.as_array() {
            if let Some(k) = e.key.as_ref().and_then(|k| k.as_str().map(|s| (s, k.span))) {
                f.swoole_options.push((Loc::new(k.0, k.1), setting(e)));
            }
        }
    }
    f.warm = service_names(root.get("warm"));
    f.flush = service_names(root.get("flush"));
    for l in root
        .get("listeners")
        .map(|v| v.as_array())
        .unwrap_or_default()
    {
        for e in l.value.as_array() {
            if let ValueKind::ClassConst { class, constant } = &e.value.kind {
                let short = class.rsplit('\\').next().unwrap_or(class);
                if short == "CollectGarbage" && constant.eq_ignore_ascii_case("class") {
                    f.collect_garbage_listener = Some(e.value.span);
                }
            }
        }
    }
    f
}

// ---------------------------------------------------------------- Horizon

/// What `config/horizon.php` sets about its supervisors, as Horizon reads
/// it (`ProvisioningPlan`: each environment is
/// `array_replace_recursive(defaults, environments[env])`, and `horizon`
/// deploys the first environment whose name matches the app's, `Str::is`).
#[derive(Debug, Default)]
pub struct HorizonFacts {
    /// `env` (`config('horizon.env') ?? config('app.env')`).
    pub env: Option<OctaneSetting>,
    pub fast_termination: Option<OctaneSetting>,
    pub defaults: Vec<HorizonSupervisor>,
    /// `environments` in file order.
    pub environments: Vec<HorizonEnvironment>,
    /// `defaults` or `environments` holds something not read literally (a
    /// spread, a computed key, a non-array supervisor): the plan is unknown.
    pub opaque: bool,
    /// The returned array, for links.
    pub span: Span,
}

#[derive(Debug)]
pub struct HorizonEnvironment {
    pub name: Loc,
    pub supervisors: Vec<HorizonSupervisor>,
}

#[derive(Debug)]
pub struct HorizonSupervisor {
    pub name: Loc,
    /// `timeout` (literal or `env()` with its default and variable).
    pub timeout: Option<OctaneSetting>,
}

/// One supervisor of an environment after Horizon's merge.
#[derive(Debug, Clone)]
pub struct HorizonTimeout {
    pub supervisor: String,
    /// `None`: not set anywhere, Horizon's default (60).
    pub setting: Option<OctaneSetting>,
}

/// Horizon's supervisor `timeout` when none is configured (`SupervisorOptions`).
pub const HORIZON_DEFAULT_TIMEOUT: i64 = 60;

impl HorizonFacts {
    /// The environment `horizon` deploys for the app environment `app_env`:
    /// the first of `environments` whose name matches it (`Str::is`, `*` a
    /// wildcard).
    pub fn environment_for(&self, app_env: &str) -> Option<&HorizonEnvironment> {
        self.environments
            .iter()
            .find(|e| str_is(&e.name.text, app_env))
    }

    /// The supervisors an environment runs, with their `timeout`:
    /// `defaults` overlaid by the environment's entries, key by key.
    pub fn supervisors(&self, env: &HorizonEnvironment) -> Vec<HorizonTimeout> {
        let mut out: Vec<HorizonTimeout> = self
            .defaults
            .iter()
            .map(|s| HorizonTimeout {
                supervisor: s.name.text.clone(),
                setting: s.timeout.clone(),
            })
            .collect();
        for s in &env.supervisors {
            match out.iter_mut().find(|o| o.supervisor == s.name.text) {
                Some(o) => {
                    if s.timeout.is_some() {
                        o.setting = s.timeout.clone();
                    }
                }
                None => out.push(HorizonTimeout {
                    supervisor: s.name.text.clone(),
                    setting: s.timeout.clone(),
                }),
            }
        }
        out
    }
}

/// Laravel's `Str::is`: `*` matches any run of characters, the rest literally.
fn str_is(pattern: &str, value: &str) -> bool {
    if pattern == value {
        return true;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return false;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !value.starts_with(first) || value.len() < first.len() + last.len() || !value.ends_with(last)
    {
        return false;
    }
    let mut rest = &value[first.len()..value.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

fn horizon_supervisors(v: &crate::parse::php::Value, opaque: &mut bool) -> Vec<HorizonSupervisor> {
    use crate::parse::php::ValueKind;
    if !matches!(v.kind, ValueKind::Array(_)) {
        *opaque = true;
        return Vec::new();
    }
    let mut out = Vec::new();
    for e in v.as_array() {
        let (Some(name), ValueKind::Array(items)) = (e.key.as_ref(), &e.value.kind) else {
            *opaque = true;
            continue;
        };
        let Some(text) = name.as_str() else {
            *opaque = true;
            continue;
        };
        if items
            .iter()
            .any(|i| i.spread || i.key.as_ref().is_some_and(|k| k.as_str().is_none()))
        {
            *opaque = true;
        }
        let timeout = e.value.entry("timeout").map(setting);
        if timeout.as_ref().is_some_and(|t| t.as_i64().is_none()) {
            *opaque = true;
        }
        out.push(HorizonSupervisor {
            name: Loc::new(text, name.span),
            timeout,
        });
    }
    out
}

fn horizon(p: &crate::parse::php::PhpFile) -> HorizonFacts {
    use crate::parse::php::ValueKind;
    let mut f = HorizonFacts::default();
    let Some(root) = &p.root else {
        f.opaque = true;
        return f;
    };
    f.span = root.span;
    f.env = root.entry("env").map(setting);
    f.fast_termination = root.entry("fast_termination").map(setting);
    let mut opaque = false;
    if let Some(d) = root.get("defaults") {
        f.defaults = horizon_supervisors(d, &mut opaque);
    }
    match root.get("environments") {
        Some(v) if matches!(v.kind, ValueKind::Array(_)) => {
            for e in v.as_array() {
                let Some(name) = e.key.as_ref().and_then(|k| k.as_str().map(|s| (s, k.span)))
                else {
                    opaque = true;
                    continue;
                };
                f.environments.push(HorizonEnvironment {
                    name: Loc::new(name.0, name.1),
                    supervisors: horizon_supervisors(&e.value, &mut opaque),
                });
            }
        }
        _ => opaque = true,
    }
    f.opaque = opaque;
    f
}

// ---------------------------------------------------------------- RoadRunner

/// What a `.rr.yaml` sets that the rest of the deployment depends on.
#[derive(Debug, Default)]
pub struct RrFacts {
    /// `http.address` (Octane overrides it with `--host`/`--port`).
    pub http_address: Option<Loc>,
    /// `status.address`: the health endpoint (`/health?plugin=http`).
    pub status_address: Option<Loc>,
    /// Other listeners a probe may check: `metrics.address`, `rpc.listen`.
    pub other_addresses: Vec<Loc>,
    /// `http.pool.num_workers` (Octane overrides it with `--workers`).
    pub num_workers: Option<Loc>,
    /// The config serves Laravel Octane (see [`rr_serves_octane`]).
    pub serves_octane: bool,
}

/// The `.rr.yaml` is the config of a Laravel Octane app, which Octane starts:
/// the worker is Octane's (`vendor/bin/roadrunner-worker`,
/// `vendor/laravel/octane/bin/roadrunner-worker`), the command runs
/// `octane:start`, or the workers get `LARAVEL_OCTANE`. Octane then passes
/// `-o` overrides (`http.address`, `http.pool.num_workers`,
/// `http.pool.max_jobs`, `exec_ttl`, `logs.*`, `version`) that beat the file.
pub fn rr_serves_octane(root: &Node) -> bool {
    let command = root.str_at(&["server", "command"]).unwrap_or_default();
    if command.contains("roadrunner-worker") || command.contains("octane") {
        return true;
    }
    let env = root.path(&["server", "env"]);
    env.is_some_and(|env| {
        env.get("LARAVEL_OCTANE").is_some()
            || env
                .as_seq()
                .iter()
                .any(|item| item.get("LARAVEL_OCTANE").is_some())
    })
}

/// The port of a RoadRunner address (`0.0.0.0:8080`, `:2114`,
/// `tcp://127.0.0.1:6001`); `None` for a unix socket or an env reference.
pub fn address_port(address: &str) -> Option<i64> {
    let a = address.trim();
    let a = a.strip_prefix("tcp://").unwrap_or(a);
    let (_, port) = a.rsplit_once(':')?;
    port.parse().ok().filter(|p| (1..=65535).contains(p))
}

/// The facts of a RoadRunner config (a `.rr.yaml`, or one a ConfigMap holds).
pub fn roadrunner(y: &YamlFile) -> RrFacts {
    let mut f = RrFacts::default();
    let Some(root) = y.documents.first().map(|d| &d.root) else {
        return f;
    };
    let loc = |keys: &[&str]| {
        let n = root.path(keys)?;
        let s = n.as_scalar()?;
        Some(Loc::new(s.value.clone(), n.span))
    };
    f.http_address = loc(&["http", "address"]);
    f.status_address = loc(&["status", "address"]);
    f.num_workers = loc(&["http", "pool", "num_workers"]);
    f.other_addresses = [&["metrics", "address"][..], &["rpc", "listen"][..]]
        .into_iter()
        .filter_map(loc)
        .collect();
    f.serves_octane = rr_serves_octane(root);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_listen_is_read_from_the_chain_not_comments() {
        let names = |t: &str| of_dockerfile(&crate::parse::dockerfile::parse(t), None).names_listen;
        let base = "FROM php:8.3-fpm\n";
        assert!(names(&format!(
            "{base}RUN sed -i 's/^listen = .*/listen = 9001/' /usr/local/etc/php-fpm.d/www.conf\n"
        )));
        assert!(names(&format!("{base}ENV FPM_LISTEN=0.0.0.0:9001\n")));
        assert!(names(&format!(
            "{base}RUN <<EOF\necho 'LISTEN = 9001' >> /usr/local/etc/php-fpm.d/zz.conf\nEOF\n"
        )));
        // A comment, or a stage the image does not build on, changes nothing.
        assert!(!names(&format!(
            "{base}# php-fpm listens on 9000\nUSER www-data\n"
        )));
        assert!(!names(
            "FROM php:8.3-fpm AS tools\nRUN sed -i 's/listen = 9000/listen = 9001/' x.conf\nFROM php:8.3-fpm\n"
        ));
    }

    #[test]
    fn code_copy_follows_workdir() {
        let dest = |t: &str| {
            of_dockerfile(&crate::parse::dockerfile::parse(t), None)
                .code_copy
                .map(|(d, _)| d)
        };
        let base = "FROM php:8.3-fpm\n";
        assert_eq!(
            dest(&format!("{base}WORKDIR /var/www\nWORKDIR html\nCOPY . .\n")),
            Some(Some("/var/www/html".to_owned()))
        );
        assert_eq!(
            dest(&format!("{base}COPY --chown=1000 ./ /app/\n")),
            Some(Some("/app".to_owned()))
        );
        assert_eq!(dest(&format!("{base}COPY . src\n")), Some(None));
        assert_eq!(
            dest(&format!("{base}WORKDIR /srv\nCOPY ./ ./api/\n")),
            Some(Some("/srv/api".to_owned()))
        );
        // Only the whole context counts, never another stage's files.
        assert_eq!(dest(&format!("{base}COPY composer.json /app/\n")), None);
        assert_eq!(dest(&format!("{base}COPY --from=build . /app\n")), None);
    }

    #[test]
    fn ini_keys_named_by_run() {
        let f = of_dockerfile(
            &crate::parse::dockerfile::parse(
                "FROM php:8.3-cli\nRUN echo 'opcache.enable_cli=1' >> /x.ini && sed -i 's/memory_limit = 128M/memory_limit = 1G/' php.ini\n",
            ),
            None,
        );
        assert_eq!(f.run_ini_keys, ["opcache.enable_cli", "memory_limit"]);
        assert_eq!(ini_keys_in("opcache."), Vec::<String>::new());
        assert_eq!(
            ini_keys_in("opcache.jit=off;opcache.jit_buffer_size=0"),
            ["opcache.jit", "opcache.jit_buffer_size"]
        );
    }

    #[test]
    fn roadrunner_addresses() {
        let f = roadrunner(&crate::parse::yaml::parse(
            "version: '3'\nhttp:\n  address: 0.0.0.0:8080\n  pool:\n    num_workers: 4\nstatus:\n  address: :2114\nrpc:\n  listen: tcp://127.0.0.1:6001\n",
        ));
        assert_eq!(
            f.http_address.map(|l| l.text).as_deref(),
            Some("0.0.0.0:8080")
        );
        assert_eq!(f.num_workers.map(|l| l.text).as_deref(), Some("4"));
        let status = f.status_address.map(|l| l.text).unwrap_or_default();
        assert_eq!(address_port(&status), Some(2114));
        assert_eq!(f.other_addresses.len(), 1);
        assert_eq!(address_port(&f.other_addresses[0].text), Some(6001));
        assert_eq!(address_port("unix:///tmp/rr.sock"), None);
        assert_eq!(address_port("${RR_ADDR}"), None);
    }

    fn pre_stop(words: &[&str]) -> PreStopFact {
        PreStopFact {
            span: Span::default(),
            sleep: false,
            http_get: false,
            exec: words.iter().map(|w| (*w).to_owned()).collect(),
        }
    }

    #[test]
    fn pre_stop_quits_php_fpm_only_when_it_waits() {
        let sh = |script: &str| pre_stop(&["/bin/sh", "-c", script]);
        assert!(sh("kill -QUIT 1; sleep 30").quits_php_fpm());
        assert!(
            sh("sleep 5 && kill -s SIGQUIT 1 && while kill -0 1; do sleep 1; done").quits_php_fpm()
        );
        assert!(sh("kill -3 $(cat /run/php-fpm.pid); sleep 20").quits_php_fpm());
        assert!(sh("pkill -QUIT php-fpm; sleep 20").quits_php_fpm());
        // Returns right after the signal: the kubelet's SIGTERM follows.
        assert_eq!(sh("sleep 5 && kill -QUIT 1").php_fpm_quit(), Some(false));
        assert_eq!(
            pre_stop(&["kill", "-QUIT", "1"]).php_fpm_quit(),
            Some(false)
        );
        // No SIGQUIT to php-fpm.
        assert_eq!(sh("sleep 10").php_fpm_quit(), None);
        assert_eq!(sh("kill -TERM 1; sleep 10").php_fpm_quit(), None);
        assert_eq!(sh("pkill -QUIT nginx; sleep 10").php_fpm_quit(), None);
        assert_eq!(sh("php-fpm -s quit; sleep 10").php_fpm_quit(), None);
    }

    #[test]
    fn horizon_plan_merges_defaults_per_environment() {
        let p = crate::parse::php::parse(
            "<?php return ['env' => env('HORIZON_ENV'), 'fast_termination' => false,
            'defaults' => ['a' => ['timeout' => 60], 'b' => ['queue' => ['x']]],
            'environments' => [
              'production' => ['a' => ['timeout' => 300], 'c' => ['timeout' => 90]],
              'stag*' => ['b' => ['timeout' => 120]],
            ]];",
        );
        let h = horizon(&p);
        assert!(!h.opaque);
        assert_eq!(
            h.env.as_ref().and_then(|e| e.env.as_deref()),
            Some("HORIZON_ENV")
        );
        let prod = h.environment_for("production").expect("production");
        let t: Vec<(String, Option<i64>)> = h
            .supervisors(prod)
            .into_iter()
            .map(|s| (s.supervisor, s.setting.and_then(|t| t.as_i64())))
            .collect();
        assert_eq!(
            t,
            [
                ("a".into(), Some(300)),
                ("b".into(), None),
                ("c".into(), Some(90))
            ]
        );
        assert_eq!(
            h.environment_for("staging-eu")
                .map(|e| e.name.text.as_str()),
            Some("stag*")
        );
        assert!(h.environment_for("local").is_none());
        assert!(str_is("*", "anything") && str_is("a*c", "abc") && !str_is("a*c", "ab"));
        let opaque = horizon(&crate::parse::php::parse(
            "<?php return ['defaults' => [...$x], 'environments' => ['production' => []]];",
        ));
        assert!(opaque.opaque);
    }
}
