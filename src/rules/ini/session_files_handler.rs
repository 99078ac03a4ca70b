//! INI025: PHP sessions stored in local files.

use super::directives::production;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct SessionFilesHandler;

impl Rule for SessionFilesHandler {
    fn code(&self) -> &'static str {
        "INI025"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpIni]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        if !production(ctx.settings) {
            return;
        }
        let Some(ini) = file.document.as_ini() else { return };
        let Some(e) = ini.get("session.save_handler") else { return };
        if !e.value.text().is_some_and(|t| t.trim().eq_ignore_ascii_case("files")) {
            return;
        }
        ctx.report(
            e.value.span,
            "`session.save_handler` is `files`: each pod keeps its own sessions, so users are logged out whenever the load balancer picks another pod",
        )
        .label_text("sessions local to the pod");
    }
}
