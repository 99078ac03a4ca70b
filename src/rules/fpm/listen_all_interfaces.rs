//! FPM012: a TCP `listen` on every interface with no `listen.allowed_clients`.

use super::pools::each_pool;
use crate::project::Project;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ListenAllInterfaces;

/// `9000`, `0.0.0.0:9000`, `[::]:9000`, `*:9000`, `:9000`.
fn all_interfaces(listen: &str) -> bool {
    let l = listen.trim();
    if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    match l.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            matches!(host, "" | "0.0.0.0" | "*" | "[::]" | "::")
        }
        _ => false,
    }
}

impl Rule for ListenAllInterfaces {
    fn code(&self) -> &'static str {
        "FPM012"
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
            let Some(listen) = pool.scope.get("listen") else {
                return;
            };
            let v = &listen.directive.value;
            if v.is_symbolic()
                || !all_interfaces(&v.text)
                || pool.scope.get("listen.allowed_clients").is_some()
            {
                return;
            }
            ctx.report_in(listen.file.id, v.span, format!("pool `{}` listens on every interface (`{}`) without `listen.allowed_clients`: anything that reaches the port can run PHP scripts", pool.name, v.text))
                .hint("Listen on loopback (`127.0.0.1:PORT`) when the web server shares the pod, or set `listen.allowed_clients` (and a NetworkPolicy) otherwise")
                .label_text("all interfaces");
        });
    }
}

#[cfg(test)]
mod tests {
    use super::all_interfaces;

    #[test]
    fn recognises_wildcard_addresses() {
        for l in ["9000", "0.0.0.0:9000", "[::]:9000", "*:9000", ":9000"] {
            assert!(all_interfaces(l), "{l}");
        }
        for l in [
            "127.0.0.1:9000",
            "/run/php-fpm.sock",
            "[::1]:9000",
            "10.0.0.1:9000",
        ] {
            assert!(!all_interfaces(l), "{l}");
        }
    }
}
