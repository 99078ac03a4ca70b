//! X017: Horizon's shutdown wait (the longest supervisor `timeout` of the
//! environment it runs, 60 s by default) longer than the pod's
//! `terminationGracePeriodSeconds` (default 30 s); or `fast_termination`,
//! which stops Horizon without waiting for its workers at all.
//!
//! Horizon's master supervisor handles SIGTERM as `horizon:terminate` does
//! (`horizon:terminate` only sends SIGTERM to the master): its supervisors
//! stop taking jobs and it waits for the running ones for up to the longest
//! supervisor `timeout` (`MasterSupervisor::terminate`,
//! `longestActiveTimeout()`). The supervisors are those of the environment
//! `horizon` deploys (`config('horizon.env') ?? config('app.env')`, the first
//! key of `environments` that matches, `defaults` merged under it with
//! `array_replace_recursive`), read from the linked `config/horizon.php`
//! (facts and link in the project layer); 60 s without a config. With
//! `fast_termination` on, a supervisor does not wait for its workers
//! (`Supervisor::shouldWait()`), the master exits at once and, as the
//! container's process, takes the container and the workers' running jobs
//! with it. So a preStop `horizon:terminate` is not needed when Horizon is the
//! container's process; the grace period is.

use super::env::{ConfigMaps, configmaps, env_value, image_env};
use crate::diagnostic::FileId;
use crate::project::facts::{HORIZON_DEFAULT_TIMEOUT, HorizonFacts, OctaneSetting, Role};
use crate::project::process::ProcessKind;
use crate::project::{Deployed, Project};
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct HorizonGracePeriod;

/// Environments that do not describe a deployed app: left out of the
/// longest timeout when the container's `APP_ENV` is unknown.
const LOCAL_ENVS: [&str; 4] = ["local", "testing", "development", "dev"];

/// The wait Horizon does on SIGTERM, and why.
struct Wait {
    seconds: i64,
    /// How the number was found, for the message.
    why: String,
    /// Where to point in config/horizon.php.
    at: Option<(FileId, Span, String)>,
}

/// A setting's value as the container sees it: the env variable it reads
/// when the container sets it, else the literal (or `env()` default).
fn resolve(setting: &OctaneSetting, var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    setting
        .env
        .as_deref()
        .and_then(var)
        .or_else(|| setting.value.clone())
}

fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "(true)" | "on" | "yes"
    )
}

/// The longest supervisor timeout of the environment Horizon deploys in this
/// container. `None`: Horizon starts no supervisor, or the plan is not
/// readable (the rule stays quiet).
fn wait_from_config(
    file: FileId,
    path: &str,
    h: &HorizonFacts,
    app_env: Option<&(String, String)>,
    var: &dyn Fn(&str) -> Option<String>,
) -> Option<Wait> {
    if h.opaque {
        return None;
    }
    // `config('horizon.env') ?? config('app.env')`.
    let horizon_env = h
        .env
        .as_ref()
        .and_then(|s| resolve(s, var))
        .map(|v| (v, "`env` of config/horizon.php".to_owned()));
    let chosen = horizon_env.or_else(|| app_env.cloned());
    let envs: Vec<_> = match &chosen {
        Some((name, _)) => vec![h.environment_for(name)?],
        None => h
            .environments
            .iter()
            .filter(|e| !LOCAL_ENVS.contains(&e.name.text.as_str()))
            .collect(),
    };
    let mut best: Option<(i64, String, String, Option<Span>)> = None;
    for env in &envs {
        for s in h.supervisors(env) {
            let (seconds, span) = match &s.setting {
                Some(t) => (resolve(t, var)?.trim().parse::<i64>().ok()?, Some(t.span)),
                None => (HORIZON_DEFAULT_TIMEOUT, None),
            };
            if best.as_ref().is_none_or(|b| seconds > b.0) {
                best = Some((seconds, s.supervisor.clone(), env.name.text.clone(), span));
            }
        }
    }
    let (seconds, supervisor, env, span) = best?;
    // `timeout => 0`: the master does not wait at all; another matter.
    if seconds <= 0 {
        return None;
    }
    let set = if span.is_some() {
        format!("the `timeout` of supervisor `{supervisor}`")
    } else {
        format!("supervisor `{supervisor}`'s default `timeout`")
    };
    let why = match &chosen {
        Some((name, from)) => format!(
            "{set} in environment `{env}` of {path}, which Horizon runs for `{name}` ({from})"
        ),
        None => format!(
            "{set} in environment `{env}` of {path}: the longest of its non-local environments, as the container's `APP_ENV` is not known"
        ),
    };
    let at = match span {
        Some(s) => (file, s, format!("supervisor `{supervisor}`: {seconds}s")),
        None => {
            let name_span = h
                .environments
                .iter()
                .find(|e| e.name.text == env)
                .and_then(|e| e.supervisors.iter().find(|x| x.name.text == supervisor))
                .or_else(|| h.defaults.iter().find(|x| x.name.text == supervisor))
                .map_or(Span::default(), |x| x.name.span);
            (file, name_span, format!("no `timeout`: {seconds}s"))
        }
    };
    Some(Wait {
        seconds,
        why,
        at: Some(at),
    })
}

impl Rule for HorizonGracePeriod {
    fn code(&self) -> &'static str {
        "X017"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::Kubernetes,
            FileKind::Dockerfile,
            FileKind::Horizon,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        let mut maps: Option<ConfigMaps> = None;
        for dep in project.containers() {
            let (c, node) = (dep.container, dep.node);
            if c.role != Role::Main
                || node.process.kind != ProcessKind::Horizon
                || node.process_guess
            {
                continue;
            }
            let maps = maps.get_or_insert_with(|| configmaps(project));
            check(project, ctx, dep, maps);
        }
    }
}

fn check(project: &Project, ctx: &mut Context, dep: Deployed, maps: &ConfigMaps) {
    let (c, node) = (dep.container, dep.node);
    let image_env = image_env(project, node);
    let var =
        |name: &str| env_value(maps, dep.workload, dep.object, c, &image_env, name).map(|(v, _)| v);
    let config = node
        .horizon
        .as_ref()
        .and_then(|l| project.facts_of(l.to).horizon().map(|h| (l, h)));
    let wait = match config {
        Some((link, h)) => {
            let path = project.path(link.to);
            if let Some(ft) = &h.fast_termination {
                if resolve(ft, &var).is_some_and(|v| truthy(&v)) {
                    report_fast_termination(ctx, dep, link.to, ft, &link.evidence.why);
                    return;
                }
            }
            let app_env = env_value(maps, dep.workload, dep.object, c, &image_env, "APP_ENV")
                .map(|(v, src)| (v.clone(), format!("`APP_ENV={v}` from {}", src.what)));
            match wait_from_config(link.to, path, h, app_env.as_ref(), &var) {
                Some(mut w) => {
                    if link.evidence.guess {
                        w.why = format!("{}; linked as {}", w.why, link.evidence.why);
                    }
                    w
                }
                None => return,
            }
        }
        None => Wait {
            seconds: HORIZON_DEFAULT_TIMEOUT,
            why: "the default supervisor `timeout`".to_owned(),
            at: None,
        },
    };
    let (grace, grace_span) = dep.pod.grace_period();
    if wait.seconds < grace {
        return;
    }
    let grace_said = if grace_span.is_some() {
        format!("`terminationGracePeriodSeconds: {grace}`")
    } else {
        format!("the default grace period of {grace}s")
    };
    let message = format!(
        "Horizon in container `{}` of {} waits up to {}s ({}) for running jobs when stopped, but the pod has {grace_said}: a deploy or node drain SIGKILLs its workers mid-job",
        c.name,
        dep.object.display(),
        wait.seconds,
        wait.why,
    );
    let d = ctx
        .report_in(dep.file(), grace_span.unwrap_or(c.span), message)
        .label_text(if grace_span.is_some() {
            "grace period"
        } else {
            "default grace period of 30s"
        })
        .hint(format!(
            "Set `terminationGracePeriodSeconds: {}` (above the longest supervisor `timeout` of config/horizon.php, {}s), keeping job timeouts below it; Horizon handles SIGTERM like `horizon:terminate`, so no preStop hook is needed",
            wait.seconds + 15,
            wait.seconds
        ));
    let ev = &node.process_evidence;
    if ev.file != dep.file() {
        d.secondary(ev.file, ev.span, "runs `artisan horizon`");
    }
    if let Some((file, span, label)) = wait.at {
        d.secondary(file, span, label);
    }
}

fn report_fast_termination(
    ctx: &mut Context,
    dep: Deployed,
    file: FileId,
    ft: &OctaneSetting,
    evidence: &str,
) {
    let c = dep.container;
    let message = format!(
        "Horizon in container `{}` of {} runs with `fast_termination` on (config/horizon.php, linked as {evidence}): on SIGTERM its supervisors exit without waiting for their workers, the master exits with them and, as the container's process, takes the container down and kills the running jobs, whatever the grace period",
        c.name,
        dep.object.display(),
    );
    let d = ctx
        .report_in(dep.file(), c.span, message)
        .label_text("stopped without waiting for jobs")
        .hint("Set `'fast_termination' => false` in config/horizon.php for containers (it is meant for hosts where the orphaned workers finish on their own), and a `terminationGracePeriodSeconds` above the longest supervisor `timeout`");
    d.secondary(file, ft.span, "fast_termination");
    let ev = &dep.node.process_evidence;
    if ev.file != dep.file() {
        d.secondary(ev.file, ev.span, "runs `artisan horizon`");
    }
}
