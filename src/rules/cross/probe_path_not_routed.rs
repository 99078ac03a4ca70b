//! X023: an HTTP probe on Octane's (or `artisan serve`'s) port asks for a
//! path no route of the Laravel app defines (info).
//!
//! Octane and `artisan serve` hand every request to Laravel's router: a path no route matches
//! is a 404, and the kubelet counts any status outside 200-399 as a failed
//! probe. The routes come from the workspace's `bootstrap/app.php`
//! (`withRouting(web:, api:, health:, apiPrefix:)`) and the route files it
//! loads. The rule judges only when every one of those files was read
//! without doubt (no prefix, group attributes, resources, fallback, dynamic
//! URI, `require`, another facade's routes; no RouteServiceProvider; one
//! app in the workspace); a route parameter matches everything under its
//! literal part; paths that look like static files or belong to packages
//! that register their own routes (Horizon, Telescope, Pulse, ...) are
//! never judged.

use super::env::{ConfigMaps, configmaps, env_value, image_env};
use super::probe_port_not_octane::octane_port;
use crate::diagnostic::FileId;
use crate::project::facts::{Handler, PortRefFact, Role};
use crate::project::process::ProcessKind;
use crate::project::routes::{RoutesFacts, RoutesRole, normalize, route_matches};
use crate::project::{Deployed, Project};
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct ProbePathNotRouted;

/// First path segments of routes that packages register from their service
/// providers, unseen in the app's route files.
const PACKAGE_PREFIXES: [&str; 22] = [
    "horizon",
    "telescope",
    "pulse",
    "sanctum",
    "livewire",
    "_ignition",
    "_debugbar",
    "nova",
    "nova-api",
    "nova-vendor",
    "filament",
    "admin",
    "oauth",
    "log-viewer",
    "stripe",
    "paddle",
    "vapor-ui",
    "broadcasting",
    "_boost",
    "clockwork",
    "__clockwork",
    "graphql",
];

/// A URI the app defines, with where it is defined.
struct Defined {
    uri: String,
    file: FileId,
    span: Span,
    /// `Laravel's health route` / `routes/web.php`.
    from: String,
}

/// The app's routes, when every one was read; `None` otherwise.
fn app_routes(project: &Project) -> Option<(Vec<Defined>, Vec<String>)> {
    let files: Vec<(FileId, &RoutesFacts)> = project
        .of_kind(FileKind::LaravelRoutes)
        .filter_map(|f| project.facts_of(f.id).routes().map(|r| (f.id, r)))
        .collect();
    let mut apps = files.iter().filter(|(_, r)| r.role == RoutesRole::App);
    let (app_id, app) = apps.next()?;
    // Two apps (or a RouteServiceProvider): no telling which serves the pod.
    if apps.next().is_some()
        || files
            .iter()
            .any(|(_, r)| r.root != app.root || r.role == RoutesRole::Provider)
        || !app.complete()
    {
        return None;
    }
    let routing = app.routing.as_ref()?;
    let mut defined = Vec::new();
    // Named from the app's root (the same whichever directory the run
    // starts from); labels carry the paths.
    let mut read = vec!["bootstrap/app.php".to_owned()];
    if let Some(h) = &routing.health {
        defined.push(Defined {
            uri: h.text.clone(),
            file: *app_id,
            span: h.span,
            from: "Laravel's health route".to_owned(),
        });
    }
    for (arg, stem) in &routing.files {
        let (id, f) = files
            .iter()
            .find(|(_, r)| r.role == RoutesRole::Routes(stem.clone()))?;
        if !f.complete() {
            return None;
        }
        let path = format!("routes/{stem}.php");
        for u in &f.uris {
            let uri = if arg == "api" && !routing.api_prefix.is_empty() {
                normalize(&format!(
                    "{}/{}",
                    routing.api_prefix,
                    u.text.trim_start_matches('/')
                ))
            } else {
                u.text.clone()
            };
            defined.push(Defined {
                uri,
                file: *id,
                span: u.span,
                from: format!("`{path}`"),
            });
        }
        read.push(path);
    }
    Some((defined, read))
}

/// The request path a probe sends, normalized; `None` when it is not
/// judged (a variable, a static file, a package's path).
fn judged_path(raw: &str) -> Option<String> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    if path.contains(['$', '{', '%']) || !path.starts_with('/') && !path.is_empty() {
        return None;
    }
    let path = normalize(path);
    let last = path.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return None;
    }
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    if PACKAGE_PREFIXES
        .iter()
        .any(|p| first.eq_ignore_ascii_case(p))
    {
        return None;
    }
    Some(path)
}

/// `php artisan serve`'s port: `--port`, else `SERVER_PORT`, else 8000;
/// `None` when it cannot be known.
fn serve_port(project: &Project, cms: &ConfigMaps<'_>, dep: &Deployed) -> Option<i64> {
    if let Some(v) = dep.node.process.flag("--port") {
        return v.trim().parse().ok();
    }
    let env = image_env(project, dep.node);
    match env_value(
        cms,
        dep.workload,
        dep.object,
        dep.container,
        &env,
        "SERVER_PORT",
    ) {
        Some((v, _)) => v.trim().parse().ok(),
        None if dep.container.env.iter().any(|e| e.name == "SERVER_PORT") => None,
        None => Some(8000),
    }
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let v = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Rule for ProbePathNotRouted {
    fn code(&self) -> &'static str {
        "X023"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::Kubernetes,
            FileKind::Dockerfile,
            FileKind::Octane,
            FileKind::LaravelRoutes,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let Some((defined, read)) = app_routes(project) else {
            return;
        };
        let octane_sets_port = project
            .of_kind(FileKind::Octane)
            .filter_map(|f| project.facts_of(f.id).octane())
            .any(|o| o.keys.iter().any(|k| k.text == "port"));
        let cms = configmaps(project);
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            if c.role != Role::Main || node.process_guess {
                continue;
            }
            let (port, server) = match node.process.kind {
                ProcessKind::Octane => (
                    octane_port(project, &cms, &dep, octane_sets_port).map(|(p, _)| p),
                    "Octane",
                ),
                ProcessKind::ArtisanServe => (serve_port(project, &cms, &dep), "`artisan serve`"),
                _ => continue,
            };
            let Some(port) = port else { continue };
            for probe in &c.probes {
                let Handler::Http {
                    path: Some(raw),
                    port: Some(r),
                } = &probe.handler
                else {
                    continue;
                };
                let n = match r {
                    PortRefFact::Number(n) => Some(*n),
                    PortRefFact::Name(name) => c
                        .ports
                        .iter()
                        .find(|p| p.name.as_deref() == Some(name))
                        .and_then(|p| p.number),
                };
                if n != Some(port) {
                    continue;
                }
                let Some(path) = judged_path(raw) else {
                    continue;
                };
                if defined.iter().any(|d| route_matches(&d.uri, &path)) {
                    continue;
                }
                let mut closest: Vec<&Defined> =
                    defined.iter().filter(|d| !d.uri.contains('{')).collect();
                closest.sort_by_key(|d| (!d.from.starts_with("Laravel"), distance(&d.uri, &path)));
                closest.dedup_by(|a, b| a.uri == b.uri);
                closest.truncate(3);
                let d = ctx.report_in(
                    dep.file(),
                    probe.path_span.unwrap_or(probe.handler_span),
                    format!(
                        "The {} of container `{}` of {} requests `{path}` from {server}, but no route in {} defines it: Laravel answers 404 and the kubelet counts the probe as failed",
                        probe.field,
                        c.name,
                        dep.object.display(),
                        read.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                    ),
                );
                d.label_text("no route for this path");
                if closest.is_empty() {
                    d.hint(format!(
                        "Define the route (`Route::get('{path}', ...)`) or enable Laravel's health route (`health: '/up'` in `withRouting`); `php artisan route:list` shows every route, packages' included"
                    ));
                } else {
                    d.hint(format!(
                        "Probe a path the app defines ({}), or define `{path}`; `php artisan route:list` shows every route, packages' included",
                        closest.iter().map(|d| format!("`{}`", d.uri)).collect::<Vec<_>>().join(", ")
                    ));
                }
                for def in &closest {
                    d.secondary(
                        def.file,
                        def.span,
                        format!("`{}` is defined here ({})", def.uri, def.from),
                    );
                }
                if closest.is_empty() {
                    if let Some((id, span)) =
                        project.of_kind(FileKind::LaravelRoutes).find_map(|f| {
                            project
                                .facts_of(f.id)
                                .routes()
                                .and_then(|r| r.routing.as_ref())
                                .map(|r| (f.id, r.span))
                        })
                    {
                        d.secondary(id, span, "the routes Laravel loads");
                    }
                }
            }
        }
    }
}
