//! K8S058: an HTTP probe against php-fpm's FastCGI port.

use crate::project::ParsedFile;
use crate::model::k8s::{self, Container, ContainerKind};
use crate::model::k8s_pod::{self, PortRef};
use crate::parse::yaml::Node;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ProbeHttpOnFastcgi;

/// A container running php-fpm: its image is an fpm variant (`php:8.3-fpm`,
/// `acme/app-fpm`) or its command/args start `php-fpm`.
fn runs_php_fpm(c: &Container<'_>) -> bool {
    let image = c.node.str_at(&["image"]).unwrap_or("");
    let name = image.rsplit('/').next().unwrap_or(image);
    let argv = ["command", "args"].into_iter().flat_map(|f| {
        c.node
            .get(f)
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
    });
    name.contains("fpm") || argv.into_iter().any(|a| a.contains("php-fpm"))
}

impl Rule for ProbeHttpOnFastcgi {
    fn code(&self) -> &'static str {
        "K8S058"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else { return };
        for obj in k8s::objects(yaml) {
            for c in obj.containers() {
                if c.kind == ContainerKind::Ephemeral || !runs_php_fpm(&c) {
                    continue;
                }
                let ports = k8s_pod::ports(&c);
                for field in ["livenessProbe", "readinessProbe", "startupProbe"] {
                    let Some(probe) = k8s_pod::probe(&c, field) else { continue };
                    let Some(h) = probe.value.entry("httpGet") else { continue };
                    let Some((port, node)) = k8s_pod::handler_port(h) else { continue };
                    // The port number the probe reaches, through a name if need be.
                    let number = match port {
                        PortRef::Number(n) => Some(n),
                        PortRef::Name(n) => ports
                            .iter()
                            .find(|p| p.name == Some(n))
                            .and_then(|p| p.number),
                    };
                    let named_fastcgi = matches!(port, PortRef::Name(n) if n.contains("fastcgi") || n.contains("fpm"));
                    if number != Some(9000) && !named_fastcgi {
                        continue;
                    }
                    ctx.report(
                        h.key.span,
                        format!(
                            "The {field} of container `{}` of {} sends HTTP to php-fpm's FastCGI port `{port}`: it fails every time",
                            c.name(),
                            obj.display()
                        ),
                    )
                    .label_text("HTTP probe on FastCGI")
                    .secondary(file.id, node.span, "FastCGI port");
                }
            }
        }
    }
}
