//! DC006: `privileged: true` on a service.

use super::common::facts;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct ComposePrivileged;

impl Rule for ComposePrivileged {
    fn code(&self) -> &'static str {
        "DC006"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, _file: &ParsedFile, ctx: &mut Context) {
        let Some(f) = facts(ctx) else { return };
        for s in &f.services {
            let Some(span) = s.privileged else { continue };
            ctx.report(span, format!("service `{}` runs privileged: root on the host, with every device and capability", s.name))
                .label_text("privileged")
                .hint("Remove `privileged: true`; grant only what the service needs with `cap_add: [...]` or `devices: [...]`");
        }
    }
}
