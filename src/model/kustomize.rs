//! A located, owned model of a kustomize `kustomization.yaml`: what a
//! `kustomize build` (or `kubectl apply -k`) of its directory reads.
//!
//! Read once per file (the facts of a [`FileKind::Kustomization`] file):
//! `resources`, `namespace`, `namePrefix`/`nameSuffix`, `commonLabels` and
//! `labels`, `patches`, and the `configMapGenerator` / `secretGenerator`
//! entries with their `literals`, `files` (`key=path` or `path`), `envs`
//! (and the older `env`), `behavior` and `options`, plus
//! `generatorOptions`.
//!
//! A Secret generator's literal values never enter the model: only their
//! keys and where the values are (rules that judge them read the document).
//!
//! [`FileKind::Kustomization`]: crate::source::FileKind::Kustomization

use crate::parse::yaml::{Node, NodeKind, Style, YamlFile};
use crate::source::Span;

/// A string of the file and where it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub span: Span,
}

impl Located {
    fn of(node: &Node) -> Option<Located> {
        let text = node.as_str()?.trim();
        (!text.is_empty()).then(|| Located {
            text: text.to_owned(),
            span: node.span,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneratorKind {
    ConfigMap,
    Secret,
}

impl GeneratorKind {
    /// The kind of the object it generates.
    pub fn object_kind(self) -> &'static str {
        match self {
            GeneratorKind::ConfigMap => "ConfigMap",
            GeneratorKind::Secret => "Secret",
        }
    }

    /// The field it is listed under.
    pub fn field(self) -> &'static str {
        match self {
            GeneratorKind::ConfigMap => "configMapGenerator",
            GeneratorKind::Secret => "secretGenerator",
        }
    }
}

/// One `literals:` entry (`KEY=value`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    pub key: Located,
    /// The value with kustomize's surrounding quotes removed; `None` for a
    /// Secret generator (secret values are not kept).
    pub value: Option<String>,
    /// Where the value is (the whole entry when it is quoted as a whole).
    pub value_span: Span,
}

/// One `files:` entry: `path`, or `key=path`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The data key: the one given, else the file's name.
    pub key: String,
    /// The path, relative to the kustomization's directory.
    pub path: Located,
}

/// A `configMapGenerator` or `secretGenerator` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generator {
    pub kind: GeneratorKind,
    pub name: Located,
    pub namespace: Option<String>,
    /// `behavior:` (`create`, the default; `merge`; `replace`).
    pub behavior: Option<String>,
    pub literals: Vec<Literal>,
    pub files: Vec<GeneratedFile>,
    /// `envs:` (and the older `env:`) dotenv files.
    pub envs: Vec<Located>,
    /// kustomize appends a content hash to the name (unless
    /// `disableNameSuffixHash`, here or in `generatorOptions`).
    pub hash_suffix: bool,
    /// The entry as a whole (its `name` value when it has one).
    pub span: Span,
}

impl Generator {
    /// The data keys it generates (literals and files; `envs` files' keys
    /// are in those files).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.literals
            .iter()
            .map(|l| l.key.text.as_str())
            .chain(self.files.iter().map(|f| f.key.as_str()))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kustomization {
    /// `resources:` (files or directories, relative to this file's directory;
    /// remote URLs are kept as written).
    pub resources: Vec<Located>,
    /// `components:`.
    pub components: Vec<Located>,
    /// Paths under `patches:` / `patchesStrategicMerge:` (partial objects).
    pub patches: Vec<Located>,
    pub namespace: Option<Located>,
    pub name_prefix: Option<Located>,
    pub name_suffix: Option<Located>,
    /// Labels added to every resource's labels (`commonLabels`, `labels`).
    pub labels: Vec<(String, String)>,
    /// Labels added to selectors and pod templates too (`commonLabels`,
    /// and `labels` entries with `includeSelectors: true`).
    pub selector_labels: Vec<(String, String)>,
    pub generators: Vec<Generator>,
}

impl Kustomization {
    /// Whether `resources` names the file `name` of the same directory.
    pub fn lists(&self, name: &str) -> bool {
        self.resources
            .iter()
            .any(|r| r.text.trim_start_matches("./") == name)
    }
}

/// The kustomization of a YAML file (its first document); `None` when it is
/// not a map.
pub fn of(file: &YamlFile) -> Option<Kustomization> {
    let root = &file.documents.first()?.root;
    if !root.is_map() {
        return None;
    }
    let list = |key: &str| -> Vec<Located> {
        root.get(key)
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Located::of)
            .collect()
    };
    let mut patches = list("patchesStrategicMerge");
    for p in root.get("patches").map(Node::as_seq).unwrap_or_default() {
        if let Some(l) = p
            .get("path")
            .and_then(Located::of)
            .or_else(|| Located::of(p))
        {
            patches.push(l);
        }
    }
    let common = pairs(root.get("commonLabels"));
    let mut labels = common.clone();
    let mut selector_labels = common;
    for entry in root.get("labels").map(Node::as_seq).unwrap_or_default() {
        let p = pairs(entry.get("pairs"));
        if entry.get("includeSelectors").is_some_and(is_true) {
            selector_labels.extend(p.iter().cloned());
        }
        labels.extend(p);
    }
    let options = root.get("generatorOptions");
    let no_hash = options
        .and_then(|o| o.get("disableNameSuffixHash"))
        .is_some_and(is_true);
    let mut generators = Vec::new();
    for kind in [GeneratorKind::ConfigMap, GeneratorKind::Secret] {
        for g in root.get(kind.field()).map(Node::as_seq).unwrap_or_default() {
            if let Some(g) = generator(g, kind, no_hash) {
                generators.push(g);
            }
        }
    }
    Some(Kustomization {
        resources: list("resources"),
        components: list("components"),
        patches,
        namespace: root.get("namespace").and_then(Located::of),
        name_prefix: root.get("namePrefix").and_then(Located::of),
        name_suffix: root.get("nameSuffix").and_then(Located::of),
        labels,
        selector_labels,
        generators,
    })
}

fn is_true(node: &Node) -> bool {
    node.as_str().is_some_and(|v| v.trim() == "true")
}

fn pairs(node: Option<&Node>) -> Vec<(String, String)> {
    node.filter(|n| n.is_map())
        .map(Node::as_map)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e.key.as_str()?.to_owned(), e.value.as_str()?.to_owned())))
        .collect()
}

fn generator(node: &Node, kind: GeneratorKind, no_hash: bool) -> Option<Generator> {
    let name = node.get("name").and_then(Located::of)?;
    let literals = node
        .get("literals")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|l| literal(l, kind))
        .collect();
    let files = node
        .get("files")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|f| {
            let text = f.as_str()?.trim();
            let (key, path) = match text.split_once('=') {
                Some((k, p)) => (k.trim().to_owned(), p.trim()),
                None => (text.rsplit('/').next().unwrap_or(text).to_owned(), text),
            };
            (!path.is_empty() && !key.is_empty()).then(|| GeneratedFile {
                key,
                path: Located {
                    text: path.to_owned(),
                    span: f.span,
                },
            })
        })
        .collect();
    let mut envs: Vec<Located> = node
        .get("envs")
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Located::of)
        .collect();
    envs.extend(node.get("env").and_then(Located::of));
    let own = node
        .get("options")
        .and_then(|o| o.get("disableNameSuffixHash"))
        .and_then(Node::as_str)
        .map(|v| v.trim() == "true");
    Some(Generator {
        kind,
        span: name.span,
        name,
        namespace: node
            .get("namespace")
            .and_then(Node::as_str)
            .map(|s| s.trim().to_owned()),
        behavior: node
            .get("behavior")
            .and_then(Node::as_str)
            .map(|s| s.trim().to_owned()),
        literals,
        files,
        envs,
        hash_suffix: !own.unwrap_or(no_hash),
    })
}

/// `KEY=value`: kustomize drops one pair of quotes around the value.
fn literal(node: &Node, kind: GeneratorKind) -> Option<Literal> {
    let NodeKind::Scalar(s) = &node.kind else {
        return None;
    };
    let (key, value) = s.value.split_once('=')?;
    let key = key.trim();
    if key.is_empty() {
        return None;
    }
    // In a plain scalar the text is the source: the value starts after `=`.
    let value_span = if s.style == Style::Plain && node.span.len() == s.value.len() {
        let at = node.span.start + s.value.len() - value.len();
        Span::new(at, node.span.end)
    } else {
        node.span
    };
    let key_span = if s.style == Style::Plain {
        Span::new(node.span.start, node.span.start + key.len())
    } else {
        node.span
    };
    Some(Literal {
        key: Located {
            text: key.to_owned(),
            span: key_span,
        },
        value: (kind == GeneratorKind::ConfigMap).then(|| unquote(value).to_owned()),
        value_span,
    })
}

/// A value with one pair of surrounding `"` or `'` removed.
pub fn unquote(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    #[test]
    fn reads_generators_and_what_a_build_adds() {
        let text = "resources:\n- ../../base\nnamespace: web\nnamePrefix: prod-\ncommonLabels: {app: a}\nlabels:\n- pairs: {team: t}\n- pairs: {tier: x}\n  includeSelectors: true\nconfigMapGenerator:\n- name: php-conf\n  files:\n  - php.ini=config/php.prod.ini\n  - config/www.conf\n  literals:\n  - APP_ENV=production\n  - PORT=\"9003\"\n- name: env\n  envs: [app.env]\n  options:\n    disableNameSuffixHash: false\nsecretGenerator:\n- name: app\n  literals:\n  - APP_KEY=base64:abc\ngeneratorOptions:\n  disableNameSuffixHash: true\npatches:\n- path: patch.yaml\n";
        let y = yaml::parse(text);
        let k = of(&y).expect("a map");
        assert_eq!(k.resources[0].text, "../../base");
        assert_eq!(k.namespace.as_ref().map(|n| n.text.as_str()), Some("web"));
        assert_eq!(
            k.name_prefix.as_ref().map(|n| n.text.as_str()),
            Some("prod-")
        );
        assert_eq!(k.selector_labels.len(), 2);
        assert_eq!(k.labels.len(), 3);
        assert_eq!(k.patches[0].text, "patch.yaml");
        let g = &k.generators[0];
        assert_eq!(g.name.text, "php-conf");
        assert!(!g.hash_suffix);
        assert_eq!(g.files[0].key, "php.ini");
        assert_eq!(g.files[0].path.text, "config/php.prod.ini");
        assert_eq!(g.files[1].key, "www.conf");
        assert_eq!(g.literals[1].value.as_deref(), Some("9003"));
        assert_eq!(
            &text[g.literals[0].value_span.start..g.literals[0].value_span.end],
            "production"
        );
        assert_eq!(
            &text[g.literals[0].key.span.start..g.literals[0].key.span.end],
            "APP_ENV"
        );
        assert!(k.generators[1].hash_suffix);
        assert_eq!(k.generators[1].envs[0].text, "app.env");
        let s = &k.generators[2];
        assert_eq!(s.kind, GeneratorKind::Secret);
        assert_eq!(s.literals[0].value, None, "secret values are not kept");
        assert!(of(&yaml::parse("- a\n")).is_none());
    }
}
