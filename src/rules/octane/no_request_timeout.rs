//! OCT004: `max_execution_time` 0 under Swoole or RoadRunner, where it is
//! the only request timeout (the CLI SAPI has none).

use super::commands::sites;
use crate::project::Project;
use crate::project::process::ProcessKind;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct OctaneNoRequestTimeout;

impl Rule for OctaneNoRequestTimeout {
    fn code(&self) -> &'static str {
        "OCT004"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::Octane,
            FileKind::Dockerfile,
            FileKind::Kubernetes,
            FileKind::Compose,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let configs: Vec<_> = project
            .of_kind(FileKind::Octane)
            .filter_map(|f| Some((f.id, project.facts_of(f.id).octane()?)))
            .filter(|(_, o)| {
                o.max_execution_time
                    .as_ref()
                    .is_some_and(|m| m.as_i64() == Some(0))
            })
            .collect();
        if configs.is_empty() {
            return;
        }
        // The server a command line starts wins over the config's.
        let started = sites(
            project,
            &[
                FileKind::Dockerfile,
                FileKind::Kubernetes,
                FileKind::Compose,
            ],
        )
        .into_iter()
        .filter(|s| s.process.kind == ProcessKind::Octane)
        .find_map(|s| {
            s.process
                .octane_server()
                .map(|v| (v.to_owned(), s.file, s.span))
        });
        for (file, o) in configs {
            let Some(met) = &o.max_execution_time else {
                continue;
            };
            let (server, evidence) = match &started {
                Some((s, f, span)) => (s.clone(), Some((*f, *span))),
                None => match o.server.as_ref().and_then(|s| s.value.clone()) {
                    Some(s) => (s, None),
                    None => continue,
                },
            };
            let what = match server.as_str() {
                "swoole" => {
                    "Swoole runs requests under the CLI SAPI, where PHP's own `max_execution_time` is 0: Octane's timer is the only request timeout"
                }
                "roadrunner" => {
                    "Octane passes it to RoadRunner as `http.pool.supervisor.exec_ttl`, and 0 turns the supervisor's limit off: PHP's CLI has no timeout of its own"
                }
                _ => continue,
            };
            let d = ctx.report_in(
                file,
                met.span,
                match &met.env {
                    Some(var) => format!("`max_execution_time` is 0 with {server} unless `{var}` is set: a stuck request holds its worker forever. {what}"),
                    None => format!("`max_execution_time` is 0 with {server}: a stuck request holds its worker forever. {what}"),
                },
            );
            d.label_text("no request timeout").hint(
                "Set a bound such as `'max_execution_time' => 30` (seconds, Octane's default) and keep long work in queued jobs",
            );
            if let Some((f, span)) = evidence {
                d.secondary(f, span, format!("starts Octane with {server}"));
            }
        }
    }
}
