//! X002: `runAsNonRoot: true` without `runAsUser` on an image whose user is
//! root or a name: the kubelet refuses to start the container.
//!
//! The kubelet checks `runAsNonRoot` against the image's `USER` when the pod
//! sets no `runAsUser`: root (or no USER) fails with "container has
//! runAsNonRoot and image will run as root", and a non-numeric user with
//! "image has non-numeric user (...), cannot verify user is non-root"
//! (pkg/kubelet/kuberuntime/security_context_others.go). The image's user
//! comes from the linked Dockerfile's final stage, or from the official
//! `php` image (root) when the container uses it directly.

use crate::model::dockerfile::is_root_user;
use crate::project::Project;
use crate::project::defaults::OfficialPhp;
use crate::project::facts::Role;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ImageUserVsRunAsNonRoot;

enum Verdict {
    Root,
    NonNumeric(String),
}

impl Rule for ImageUserVsRunAsNonRoot {
    fn code(&self) -> &'static str {
        "X002"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for dep in project.containers() {
            let (w, obj, node, c) = (dep.workload, dep.object, dep.node, dep.container);
            if c.role == Role::Ephemeral || c.run_as_user.is_some() {
                continue;
            }
            let Some((true, non_root_span)) = c.run_as_non_root else {
                continue;
            };
            // The user the image runs as, and where that is said.
            let (verdict, evidence) = match &node.dockerfile {
                Some(l) => {
                    let Some(d) = project.facts_of(l.to).dockerfile() else {
                        continue;
                    };
                    match &d.user {
                        Some(u) if u.text.contains('$') => continue,
                        Some(u) if is_root_user(&u.text) => {
                            (Verdict::Root, Some((l.to, u.span, l.evidence.clone())))
                        }
                        Some(u) => {
                            let name = u.text.split(':').next().unwrap_or(&u.text);
                            if name.parse::<u32>().is_ok() {
                                continue;
                            }
                            (
                                Verdict::NonNumeric(u.text.clone()),
                                Some((l.to, u.span, l.evidence.clone())),
                            )
                        }
                        // No USER: the base image's, root for the official
                        // php images; unknown for other bases.
                        None if d.official.is_some() => (
                            Verdict::Root,
                            d.base_image
                                .as_ref()
                                .map(|b| (l.to, b.span, l.evidence.clone())),
                        ),
                        None => continue,
                    }
                }
                None => match c.image.as_ref().and_then(|i| OfficialPhp::parse(&i.text)) {
                    Some(_) => (Verdict::Root, None),
                    None => continue,
                },
            };
            let image = c.image.as_ref().map_or("the image", |i| i.text.as_str());
            let guessed = evidence.as_ref().is_some_and(|(_, _, e)| e.guess);
            let (message, label) = match &verdict {
                Verdict::Root => (
                    format!(
                        "Container `{}` of {} requires `runAsNonRoot` but `{image}` runs as root and no `runAsUser` is set: the kubelet refuses to start it",
                        c.name,
                        obj.display()
                    ),
                    "image runs as root",
                ),
                Verdict::NonNumeric(user) => (
                    format!(
                        "Container `{}` of {} requires `runAsNonRoot` but `{image}` runs as `{user}`, a name the kubelet cannot verify, and no `runAsUser` is set: the container is refused",
                        c.name,
                        obj.display()
                    ),
                    "user name, not a UID",
                ),
            };
            let message = if guessed {
                format!(
                    "{message} (the image is assumed to be built by the only Dockerfile of the workspace)"
                )
            } else {
                message
            };
            let d = ctx.report_in(w.object.file, non_root_span, message);
            if guessed {
                // The link is a guess: say it, but do not fail the run on it.
                d.severity(crate::diagnostic::Severity::Warning);
            }
            d.label_text("no runAsUser to go with it").hint(
                "Set `runAsUser` (e.g. `runAsUser: 82` for www-data on Alpine, 33 on Debian) next to `runAsNonRoot`, or end the image with a numeric `USER 82:82`",
            );
            if let Some((file, span, _)) = evidence {
                d.secondary(file, span, label);
            }
        }
    }
}
