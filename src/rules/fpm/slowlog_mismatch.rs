//! FPM008: `request_slowlog_timeout` and `slowlog` not set together, or set in
//! a way php-fpm refuses.

use super::pools::{each_pool, int, seconds};
use crate::diagnostic::Severity;
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SlowlogMismatch;

impl Rule for SlowlogMismatch {
    fn code(&self) -> &'static str {
        "FPM008"
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[
            FileKind::PhpFpm,
            FileKind::Dockerfile,
            FileKind::Kubernetes,
            FileKind::Compose,
        ]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    fn check_project(&self, project: &Project, ctx: &mut Context) {
        each_pool(project, |_, pool| {
            let p = &pool.scope;
            let name = &pool.name;
            let slowlog = p.get("slowlog");
            let timeout = p.get("request_slowlog_timeout");
            let secs = seconds(timeout).unwrap_or(0);
            match (slowlog, timeout) {
                (None, Some(t)) if secs > 0 => {
                    ctx.report_in(t.file.id, t.directive.span, format!("`request_slowlog_timeout` is set in pool `{name}` without `slowlog`: php-fpm refuses to start"))
                        .severity(Severity::Error)
                        .hint(format!("Add `slowlog = /proc/self/fd/2` to pool `{name}`"))
                        .label_text("needs `slowlog`");
                }
                (Some(s), _)
                    if secs == 0 && !timeout.is_some_and(|t| t.directive.value.is_symbolic()) =>
                {
                    ctx.report_in(s.file.id, s.directive.span, format!("`slowlog` is set in pool `{name}` but `request_slowlog_timeout` is unset or 0: nothing is ever written to it"))
                        .hint(format!("Add `request_slowlog_timeout = 5s` to pool `{name}` to log stack traces of slow requests"))
                        .label_text("never written");
                }
                _ => {}
            }
            if let Some(depth) = p.get("request_slowlog_trace_depth") {
                if slowlog.is_none() && int(Some(depth)).is_some() {
                    ctx.report_in(depth.file.id, depth.directive.span, format!("`request_slowlog_trace_depth` is set in pool `{name}` without `slowlog`: php-fpm refuses to start"))
                        .severity(Severity::Error)
                        .hint(format!("Add `slowlog = /proc/self/fd/2` to pool `{name}`, or remove the line"));
                }
            }
            let term = seconds(p.get("request_terminate_timeout")).unwrap_or(0);
            if let Some(t) = timeout.filter(|_| term > 0 && secs > term) {
                ctx.report_in(t.file.id, t.directive.value.span, format!("`request_slowlog_timeout` ({secs}s) is greater than `request_terminate_timeout` ({term}s) in pool `{name}`: php-fpm refuses to start"))
                    .severity(Severity::Error)
                    .hint(format!("Set `request_slowlog_timeout` below {term}s"));
            }
        });
    }
}
