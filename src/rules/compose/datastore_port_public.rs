//! DC009: a database, broker or cache port published on every interface.

use super::common::{DATASTORE_PORTS, datastore_image, facts};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposeDatastorePortPublic;

impl Rule for ComposeDatastorePortPublic {
    fn code(&self) -> &'static str {
        "DC009"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, _file: &ParsedFile, ctx: &mut Context) {
        let Some(f) = facts(ctx) else { return };
        for s in &f.services {
            let by_image = s.image.as_deref().and_then(datastore_image);
            for p in &s.ports {
                if p.interpolated {
                    continue;
                }
                let all = p
                    .host_ip
                    .as_deref()
                    .is_none_or(|ip| matches!(ip, "0.0.0.0" | "::" | "[::]"));
                if !all {
                    continue;
                }
                let target = p.target.trim();
                let by_port = DATASTORE_PORTS
                    .iter()
                    .find(|(port, _)| *port == target)
                    .map(|(_, what)| *what);
                let Some(what) = by_image.or(by_port) else {
                    continue;
                };
                let published = match &p.published {
                    Some(h) => format!("host port {h}"),
                    None => "a random host port".to_owned(),
                };
                let fix_to = match &p.published {
                    Some(h) => format!("`\"127.0.0.1:{h}:{target}\"`"),
                    None => format!("`\"127.0.0.1::{target}\"`"),
                };
                ctx.report(p.span, format!("service `{}` publishes {what} on {published} on every interface of the host", s.name))
                    .label_text("reachable from the network")
                    .hint(format!("Bind it to the loopback interface, {fix_to}, or drop the mapping if only other services use it (they reach it by service name); Docker's published ports bypass host firewalls such as ufw"));
            }
        }
    }
}
