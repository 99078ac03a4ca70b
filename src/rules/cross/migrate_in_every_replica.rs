//! X011: `php artisan migrate` in a container of every replica of a
//! workload that runs several pods, without `--isolated`.
//!
//! Each pod of a Deployment runs its init containers and command: with
//! several replicas (or an HPA, or a rolling update that starts new pods
//! while old ones run) the migrations run concurrently, and two runs of the
//! same migration fail on "table already exists" or leave a half-applied
//! schema. Laravel's `migrate --isolated` (9.x and later) takes a cache lock
//! so only one runs; a Job or a deploy step runs them once.

use crate::project::Project;
use crate::project::facts::Role;
use crate::project::process::Process;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct MigrateInEveryReplica;

impl Rule for MigrateInEveryReplica {
    fn code(&self) -> &'static str {
        "X011"
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
            if !matches!(c.role, Role::Main | Role::Init | Role::Sidecar) || node.process_guess {
                continue;
            }
            // The foreground command, or one the `sh -c` list runs before it
            // (`php artisan migrate --force && exec php-fpm`).
            let is_migrate = |p: &Process| {
                p.subcommand.as_deref() == Some("migrate")
                    && !p.has_flag(&["--isolated", "--pretend"])
            };
            let before = !is_migrate(&node.process);
            if before && !node.process.preceding_processes().any(|p| is_migrate(&p)) {
                continue;
            }
            if !matches!(
                obj.kind.as_str(),
                "Deployment" | "StatefulSet" | "ReplicaSet" | "DaemonSet"
            ) {
                continue;
            }
            let replicas = obj.replicas.unwrap_or(1);
            let why = if obj.kind == "DaemonSet" {
                "a DaemonSet runs it on every node".to_owned()
            } else if replicas > 1 {
                format!("{replicas} replicas run it at once")
            } else if !w.hpas.is_empty() {
                "the HorizontalPodAutoscaler's replicas run it at once".to_owned()
            } else {
                continue;
            };
            let container = match c.role {
                Role::Init => "init container",
                _ => "container",
            };
            let d = ctx.report_in(
                dep.file(),
                c.span,
                format!(
                    "`artisan migrate` runs in {container} `{}` of every pod of {}{}: {why}, so migrations race (\"table already exists\", half-applied schema)",
                    c.name,
                    obj.display(),
                    if before {
                        format!(" before it starts {}", node.process.describe())
                    } else {
                        String::new()
                    }
                ),
            )
            .label_text("migrations in every pod")
            .hint("Run migrations once per release: a Kubernetes Job (or Helm/Argo pre-sync hook) running `php artisan migrate --force`, or add `--isolated` (Laravel 9+, needs a shared cache such as Redis) so one pod migrates while the others wait");
            if let Some(h) = w.hpas.first().filter(|_| replicas <= 1) {
                d.secondary(h.to.file, h.evidence.span, "scales this workload");
            }
            let ev = &node.process_evidence;
            if ev.file != dep.file() {
                d.secondary(ev.file, ev.span, "runs `artisan migrate`");
            }
        }
    }
}
