//! X006: `APP_DEBUG` on in a workload that runs in production.
//!
//! With debug mode on, Laravel answers every exception with the full error
//! page: stack trace, request data and (with Ignition or the default
//! handler's debug view) environment values, database names and secrets.
//! The value is resolved across the graph as the container sees it
//! (`env`, ConfigMap keys, `envFrom`, the image's `ENV`); the workload is in
//! production when `APP_ENV` says so, or when it runs several replicas or is
//! scaled by an HPA, and its manifest's path does not say development.

use super::env::{configmaps, env_value, image_env};
use crate::project::Project;
use crate::project::facts::Role;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct AppDebugInProduction;

/// How `config/app.php`'s `(bool) env('APP_DEBUG')` reads a value:
/// `env()` turns `false`/`(false)`/`empty`/`null` into falsy values and
/// PHP casts any other non-empty string but `0` to true.
fn truthy(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    !matches!(
        v.as_str(),
        "" | "0" | "false" | "(false)" | "empty" | "(empty)" | "null" | "(null)"
    ) && !v.contains("${")
}

impl Rule for AppDebugInProduction {
    fn code(&self) -> &'static str {
        "X006"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes, FileKind::Dockerfile]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let development_run = ctx.settings.profile != crate::config::Profile::Production;
        if development_run {
            return;
        }
        let configmaps = configmaps(project);
        for dep in project.containers() {
            let (w, obj, node, c) = (dep.workload, dep.object, dep.node, dep.container);
            if c.role != Role::Main || crate::config::is_development_path(project.path(dep.file()))
            {
                continue;
            }
            let image_env = image_env(project, node);
            let Some((debug, src)) = env_value(&configmaps, w, obj, c, &image_env, "APP_DEBUG")
            else {
                continue;
            };
            if !truthy(&debug) {
                continue;
            }
            let app_env = env_value(&configmaps, w, obj, c, &image_env, "APP_ENV");
            let replicas = obj.replicas.unwrap_or(1);
            let why = match &app_env {
                Some((e, _))
                    if matches!(
                        e.trim().to_ascii_lowercase().as_str(),
                        "production" | "prod"
                    ) =>
                {
                    format!("`APP_ENV={}`", e.trim())
                }
                Some((e, _)) if !e.trim().is_empty() && !e.contains("${") => continue,
                _ if !w.hpas.is_empty() => "a HorizontalPodAutoscaler scales it".to_owned(),
                _ if replicas > 1 => format!("it runs {replicas} replicas"),
                _ => continue,
            };
            let d = ctx.report_in(
                src.file,
                src.span,
                format!(
                    "`APP_DEBUG={}` (from {}) in container `{}` of {}, which runs in production ({why}): every error page shows the stack trace, request data and environment values",
                    debug.trim(),
                    src.what,
                    c.name,
                    obj.display()
                ),
            );
            d.label_text("debug mode on").hint(
                "Set `APP_DEBUG=false` for production; debug a live issue from the logs (`LOG_CHANNEL=stderr`) or a separate non-production deployment",
            );
            if let Some((_, e)) = &app_env {
                if e.span != src.span || e.file != src.file {
                    d.secondary(e.file, e.span, "APP_ENV");
                }
            }
        }
    }
}
