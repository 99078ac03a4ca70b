//! K8S057: the same object (namespace, kind, name) defined twice in one file or
//! in one directory (what `kubectl apply -f <dir>` applies together).

use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct DuplicateObject;

impl Rule for DuplicateObject {
    fn code(&self) -> &'static str {
        "K8S057"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let set = project.objects();
        for &(first, later) in set.duplicates() {
            let (Some(a), Some(b)) = (set.object(first), set.object(later)) else {
                continue;
            };
            // Alternatives kept side by side (`overlays/dev/` and `overlays/prod/`,
            // `provider/aws/` and `provider/kind/`) are applied one at a time: only
            // one file or one directory is applied together.
            if a.file != b.file
                && (dir_of(project, a.file) != dir_of(project, b.file)
                    || variants(project, a.file, b.file)
                    || b.name().is_some_and(|n| {
                        named_variant(project, a.file, n) && named_variant(project, b.file, n)
                    })
                    || in_examples(project, a.file))
            {
                continue;
            }
            ctx.report_in(
                b.file,
                b.name_span(),
                format!(
                    "{} in namespace `{}` is defined twice: applying both keeps only the last one",
                    b.display(),
                    b.namespace()
                ),
            )
            .label_text("defined again")
            .secondary(a.file, a.name_span(), "first defined here");
        }
    }
}

fn dir_of<'a>(
    project: &Project<'a>,
    file: crate::diagnostic::FileId,
) -> Option<&'a std::path::Path> {
    project
        .file(file)
        .and_then(|f| std::path::Path::new(f.source.path.as_str()).parent())
}

/// Files named as variants of one another (`bookinfo.yaml` and `bookinfo-psa.yaml`,
/// `route-reviews-90-10.yaml` and `route-reviews-50-50.yaml`): alternatives
/// applied one at a time, not two copies of one object.
fn variants(
    project: &Project<'_>,
    a: crate::diagnostic::FileId,
    b: crate::diagnostic::FileId,
) -> bool {
    let stem = |f| {
        project
            .file(f)
            .and_then(|f| std::path::Path::new(f.source.path.as_str()).file_stem())
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let (x, y) = (stem(a), stem(b));
    // Bytes of the common prefix, ending on a char boundary (names may be UTF-8).
    let common: usize = x
        .chars()
        .zip(y.chars())
        .take_while(|(p, q)| p == q)
        .map(|(p, _)| p.len_utf8())
        .sum();
    // Cut back to a word boundary: `web` and `worker` share only `w`.
    let shared = &x[..common];
    let whole = common == x.len().min(y.len());
    let boundary = if whole {
        shared.len()
    } else {
        shared.rfind(['-', '_', '.']).map_or(0, |i| i + 1)
    };
    boundary > 0 && boundary * 2 >= x.len().min(y.len())
}

/// A file named after the object with a variant suffix (`php-centos.json` and
/// `php-rhel-aarch64.json`, each defining ImageStream `php`): one file per
/// base OS or platform, applied one at a time.
fn named_variant(project: &Project<'_>, file: crate::diagnostic::FileId, object: &str) -> bool {
    project
        .file(file)
        .and_then(|f| std::path::Path::new(f.source.path.as_str()).file_stem())
        .and_then(|s| s.to_str())
        .and_then(|stem| stem.strip_prefix(object))
        .is_some_and(|rest| rest.starts_with(['-', '_', '.']))
}

/// Sample and example directories keep alternative manifests side by side
/// (`samples/bookinfo/`: `productpage-nodeport.yaml` next to `bookinfo.yaml`);
/// each is applied on its own.
fn in_examples(project: &Project<'_>, file: crate::diagnostic::FileId) -> bool {
    project.file(file).is_some_and(|f| {
        std::path::Path::new(f.source.path.as_str())
            .components()
            .filter_map(|c| c.as_os_str().to_str())
            .any(|c| {
                matches!(
                    c.to_ascii_lowercase().as_str(),
                    "samples"
                        | "sample"
                        | "examples"
                        | "example"
                        | "demo"
                        | "demos"
                        | "quickstarts"
                )
            })
    })
}
