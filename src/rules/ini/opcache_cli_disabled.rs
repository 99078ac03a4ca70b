//! INI014: OPcache off for the CLI SAPI, which Octane, Swoole, RoadRunner and
//! queue workers run under.

use super::directives::schema;
use crate::diagnostic::FileId;
use crate::diagnostic::Severity;
use crate::project::Project;
use crate::project::facts::IniFacts;
use crate::project::links::ImageNode;
use crate::project::process::{Process, ProcessKind};
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};
use std::collections::HashMap;

pub struct OpcacheCliDisabled;

enum Linked {
    /// No image copies the file in: nothing is known about where it runs.
    Unknown,
    /// Every image that copies it runs no CLI worker, or turns
    /// `opcache.enable_cli` on in an ini file it reads later.
    Fine,
    /// An image (or a container of it) runs a CLI worker with it off.
    Offender(CliWorker),
}

/// Per ini file, the images that copy it in; per image, a container that
/// runs a CLI worker from it. Built once per run.
struct Index<'p> {
    images_of: HashMap<FileId, Vec<&'p ImageNode>>,
    cli_container: HashMap<FileId, CliWorker>,
    /// `config/octane.php`'s server, for `octane:start` without `--server`.
    configured: Option<&'p str>,
}

fn index<'p>(project: &Project<'p>) -> Index<'p> {
    let mut images_of: HashMap<FileId, Vec<&'p ImageNode>> = HashMap::new();
    for n in &project.graph.images {
        for l in &n.inis {
            images_of.entry(l.to).or_default().push(n);
        }
    }
    let configured = configured_server(project);
    let mut cli_container = HashMap::new();
    for w in &project.graph.workloads {
        for c in w
            .containers
            .iter()
            .filter(|c| is_cli(&c.process, configured))
        {
            let Some(l) = &c.dockerfile else { continue };
            cli_container.entry(l.to).or_insert_with(|| CliWorker {
                file: c.process_evidence.file,
                span: c.process_evidence.span,
                what: format!(
                    "the {} of `{}` (image built by `{}`)",
                    c.process.describe(),
                    project.path(w.object.file),
                    project.path(l.to)
                ),
            });
        }
    }
    Index {
        images_of,
        cli_container,
        configured,
    }
}

fn linked_verdict(project: &Project, ix: &Index<'_>, file: FileId) -> Linked {
    let mut verdict = Linked::Unknown;
    for n in ix.images_of.get(&file).into_iter().flatten() {
        let image_cli = project
            .facts_of(n.file)
            .dockerfile()
            .filter(|d| is_cli(&d.process, ix.configured))
            .map(|d| CliWorker {
                file: n.file,
                span: d.runtime_span.unwrap_or_default(),
                what: format!("the {} of `{}`", d.process.describe(), project.path(n.file)),
            });
        let container_cli = ix.cli_container.get(&n.file).cloned();
        let Some(worker) = image_cli.or(container_cli) else {
            // Fine only when what the image runs is known: a script or
            // supervisord (which often runs queue workers) could start anything.
            let known = project.facts_of(n.file).dockerfile().is_some_and(|d| {
                !matches!(
                    d.process.kind,
                    ProcessKind::Other | ProcessKind::Unknown | ProcessKind::Supervisord
                )
            });
            if known && matches!(verdict, Linked::Unknown) {
                verdict = Linked::Fine;
            }
            continue;
        };
        // The effective value: the last file in PHP's read order that sets it.
        let effective = n
            .inis_in_read_order()
            .into_iter()
            .filter_map(|id| project.facts_of(id).ini()?.get("opcache.enable_cli"))
            .last();
        let on = effective.is_some_and(crate::parse::ini::text_as_bool);
        if on {
            if matches!(verdict, Linked::Unknown) {
                verdict = Linked::Fine;
            }
        } else {
            return Linked::Offender(worker);
        }
    }
    verdict
}

/// Long-running PHP under the CLI SAPI, where `opcache.enable_cli` matters:
/// queue workers, Horizon, RoadRunner workers, Octane on Swoole or
/// RoadRunner. FrankenPHP (and Octane on it) has its own SAPI, which
/// `opcache.enable` governs. An `octane:start` without `--server` runs the
/// server `config/octane.php` selects (`configured`).
fn is_cli(p: &Process, configured: Option<&str>) -> bool {
    match p.kind {
        ProcessKind::QueueWorker | ProcessKind::Horizon | ProcessKind::RoadRunner => true,
        ProcessKind::Octane => p.octane_server().or(configured) != Some("frankenphp"),
        _ => false,
    }
}

/// The server the project's `config/octane.php` selects (literal or
/// `env()` default), if there is one.
fn configured_server<'p>(project: &Project<'p>) -> Option<&'p str> {
    project.of_kind(FileKind::Octane).find_map(|f| {
        project
            .facts_of(f.id)
            .octane()?
            .server
            .as_ref()?
            .value
            .as_deref()
    })
}

/// Something in the run that serves or works under the CLI SAPI.
#[derive(Clone)]
struct CliWorker {
    file: FileId,
    span: Span,
    what: String,
}

/// An Octane or RoadRunner config file, or a Dockerfile, container or compose
/// service whose process (from the process model) is Octane, a queue
/// worker, Horizon, FrankenPHP or RoadRunner.
fn cli_worker(project: &Project) -> Option<CliWorker> {
    // FrankenPHP runs PHP under its own SAPI (`opcache.enable` applies, not
    // `opcache.enable_cli`): an Octane config that selects it, or a command
    // line that starts it, is no CLI evidence.
    let frankenphp_started = project
        .dockerfiles()
        .map(|(_, d)| &d.process)
        .chain(
            project
                .graph
                .workloads
                .iter()
                .flat_map(|w| w.containers.iter().map(|c| &c.process)),
        )
        .chain(project.graph.compose.iter().map(|n| &n.process))
        .any(|p| {
            p.kind == ProcessKind::FrankenPhp
                || (p.kind == ProcessKind::Octane && p.octane_server() == Some("frankenphp"))
        });
    if let Some(f) = project.files.iter().find(|f| match f.kind() {
        Some(FileKind::RoadRunner) => true,
        Some(FileKind::Octane) => {
            let server = project
                .facts_of(f.id)
                .octane()
                .and_then(|o| o.server.as_ref())
                .and_then(|s| s.value.as_deref());
            !frankenphp_started && server != Some("frankenphp")
        }
        _ => false,
    }) {
        return Some(CliWorker {
            file: f.id,
            span: Span::at(0),
            what: format!("`{}`", f.source.path),
        });
    }
    let configured = configured_server(project);
    if let Some((f, d)) = project
        .dockerfiles()
        .find(|(_, d)| is_cli(&d.process, configured))
    {
        return Some(CliWorker {
            file: f.id,
            span: d.runtime_span.unwrap_or_default(),
            what: format!("the {} of `{}`", d.process.describe(), f.source.path),
        });
    }
    for w in &project.graph.workloads {
        if let Some(c) = w.containers.iter().find(|c| is_cli(&c.process, configured)) {
            return Some(CliWorker {
                file: c.process_evidence.file,
                span: c.process_evidence.span,
                what: format!(
                    "the {} of `{}`",
                    c.process.describe(),
                    project.path(w.object.file)
                ),
            });
        }
    }
    None
}

/// The ini file itself loads Swoole or OpenSwoole (`extension=swoole`): a
/// server that only runs under the CLI SAPI (Octane on Swoole, Hyperf).
fn loads_swoole(file: FileId, ini: &IniFacts) -> Option<CliWorker> {
    ini.loads_swoole.map(|span| CliWorker {
        file,
        span,
        what: "the Swoole extension this file loads".to_owned(),
    })
}

impl Rule for OpcacheCliDisabled {
    fn code(&self) -> &'static str {
        "INI014"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &FileKind::ALL
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let cli_server = cli_worker(project);
        let ix = index(project);
        let at = ctx.settings.php_version;
        for file in project.of_kind(FileKind::PhpIni) {
            let Some(ini) = project.facts_of(file.id).ini() else {
                continue;
            };
            // `php.development.ini`, `.devcontainer/`: not what production runs.
            if ctx.settings.profile == crate::config::Profile::Production
                && !ctx.settings.strict
                && crate::config::is_development_path(&file.source.path)
            {
                continue;
            }
            let set = ini.enable_cli;
            let off = match set {
                Some((b, _)) => b,
                None => schema()
                    .get("opcache.enable_cli")
                    .and_then(|d| d.default_at(at))
                    .map(crate::parse::ini::text_as_bool),
            } == Some(false);
            if !off {
                continue;
            }
            // Images that copy this file in decide by what they run and by
            // the ini files they read after it.
            let cli_server = match linked_verdict(project, &ix, file.id) {
                Linked::Fine => continue,
                Linked::Offender(w) => Some(w),
                Linked::Unknown => cli_server.clone().or_else(|| loads_swoole(file.id, ini)),
            };
            let span = match set {
                Some((_, value)) => value,
                // Unset is only worth a word when an Octane/RoadRunner config is
                // in the run and this file is where OPcache is configured.
                None if cli_server.is_some() => match ini.opcache_anchor {
                    Some(a) => a,
                    None => continue,
                },
                None => continue,
            };
            let d = match &cli_server {
                Some(server) => {
                    let d = ctx.report_in(
                        file.id,
                        span,
                        format!(
                            "`opcache.enable_cli` is off but {} runs the app under the CLI SAPI: its workers get no OPcache",
                            server.what
                        ),
                    );
                    d.severity(Severity::Warning);
                    d.secondary(server.file, server.span, "workers run under the CLI SAPI");
                    d
                }
                // Without a CLI worker in the run it is a guess ("matters
                // if..."): a note a team learns to ignore.
                None => continue,
            };
            d.label_text("no OPcache for CLI workers")
                .hint("Set `opcache.enable_cli=1` in the image that runs `php artisan octane:start` or `queue:work`");
        }
    }
}
