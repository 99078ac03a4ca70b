//! DF027: php-fpm stopped with SIGTERM, which cuts in-flight requests.
//!
//! Reads the Dockerfile's facts: the process its target image runs (the
//! process model, through `sh -c` and entrypoint wrappers, with the official
//! image's `CMD ["php-fpm"]` when the file sets none) and the stop signal it
//! inherits (the official fpm image sets `STOPSIGNAL SIGQUIT`). Without
//! `STOPSIGNAL`, the deployment may still stop php-fpm gracefully: when the
//! graph links the image to Kubernetes containers only, and each has a
//! `preStop` hook that sends SIGQUIT and waits (`PreStopFact::quits_php_fpm`),
//! the rule stays quiet. The workspace is read as context, so the answer is
//! the same when the Dockerfile is linted alone.

use crate::diagnostic::FileId;
use crate::project::Project;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct FpmStopSignal;

fn is_quit(signal: &str) -> bool {
    matches!(
        signal.to_ascii_uppercase().as_str(),
        "SIGQUIT" | "QUIT" | "3"
    )
}

/// Every container that runs the image stops php-fpm with a graceful
/// preStop hook (at least one does, and nothing else runs the image).
fn pods_quit_gracefully(project: &Project, dockerfile: FileId) -> bool {
    let runs = |l: &Option<crate::project::links::Link<FileId>>| {
        l.as_ref().is_some_and(|l| l.to == dockerfile)
    };
    if project.graph.compose.iter().any(|s| runs(&s.dockerfile)) {
        return false;
    }
    let mut any = false;
    for dep in project.containers_of(dockerfile) {
        if dep.node.process.kind != ProcessKind::PhpFpm {
            continue;
        }
        if !dep
            .container
            .pre_stop
            .as_ref()
            .is_some_and(|p| p.quits_php_fpm())
        {
            return false;
        }
        any = true;
    }
    any
}

/// Points at the preStop hooks that send SIGQUIT but return at once (the
/// kubelet's SIGTERM then overrides php-fpm's graceful stop).
fn quit_without_wait(project: &Project, dockerfile: FileId, d: &mut crate::diagnostic::Diagnostic) {
    for dep in project.containers_of(dockerfile) {
        if let Some(p) = &dep.container.pre_stop {
            if p.php_fpm_quit() == Some(false) {
                d.secondary(
                    dep.file(),
                    p.span,
                    "sends SIGQUIT but returns at once: the kubelet's SIGTERM follows and cuts the requests",
                );
            }
        }
    }
}

impl Rule for FpmStopSignal {
    fn code(&self) -> &'static str {
        "DF027"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::Dockerfile,
            FileKind::Kubernetes,
            FileKind::Compose,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for (f, d) in project.dockerfiles() {
            if d.process.kind != ProcessKind::PhpFpm {
                continue;
            }
            if let Some(sig) = &d.stopsignal {
                if !sig.text.contains('$')
                    && !is_quit(&sig.text)
                    && !pods_quit_gracefully(project, f.id)
                {
                    let d = ctx.report_in(f.id, sig.span, format!("`STOPSIGNAL {}` stops php-fpm abruptly: only SIGQUIT lets workers finish their requests", sig.text))
                        .label_text("not SIGQUIT");
                    quit_without_wait(project, f.id, d);
                }
                continue;
            }
            if d.effective_stopsignal().is_some_and(is_quit) {
                continue;
            }
            let Some(span) = d.runtime_span.or(d.base_image.as_ref().map(|b| b.span)) else {
                continue;
            };
            if pods_quit_gracefully(project, f.id) {
                continue;
            }
            let d = ctx.report_in(f.id, span, "php-fpm runs without `STOPSIGNAL SIGQUIT`: Docker and Kubernetes stop it with SIGTERM, which kills in-flight requests")
                .label_text("php-fpm gets SIGTERM");
            quit_without_wait(project, f.id, d);
        }
    }
}
