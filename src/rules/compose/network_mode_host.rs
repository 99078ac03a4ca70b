//! DC007: `network_mode: host`.

use super::common::facts;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposeNetworkModeHost;

impl Rule for ComposeNetworkModeHost {
    fn code(&self) -> &'static str {
        "DC007"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, _file: &ParsedFile, ctx: &mut Context) {
        let Some(f) = facts(ctx) else { return };
        for s in &f.services {
            let Some(mode) = &s.network_mode else {
                continue;
            };
            if mode.text != "host" {
                continue;
            }
            ctx.report(mode.span, format!("service `{}` shares the host's network: every port it opens listens on the host's interfaces, with no isolation", s.name))
                .label_text("host network")
                .hint("Remove `network_mode: host` and publish the ports the service needs with `ports:` (bound to `127.0.0.1` when only this machine needs them)");
        }
    }
}
