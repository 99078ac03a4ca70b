//! DF016: apt package lists left in the final image's layers.
//!
//! The lists are written by `apt-get update`, so the RUN that updates is the
//! one that must remove them; a RUN that only installs from lists an earlier
//! layer fetched adds none of its own (hadolint's DL3009 reads it the same way).

use super::common::{commands_in, dockerfile, has_cache_mount, target};
use crate::model::dockerfile::Command;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct AptListsNotCleaned;

impl Rule for AptListsNotCleaned {
    fn code(&self) -> &'static str {
        "DF016"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        let chain = df.final_chain(target(ctx));
        let commands = commands_in(df, &chain);
        let mut blamed = Vec::new();
        for (inst, cmd) in &commands {
            if !cmd.is(&["apt-get", "apt"], "update")
                || blamed.iter().any(|b| std::ptr::eq(*b, *inst))
            {
                continue;
            }
            let same_run: Vec<&Command> = commands
                .iter()
                .filter(|(i, _)| std::ptr::eq(*i, *inst))
                .map(|(_, c)| *c)
                .collect();
            if removes_lists(&same_run)
                || has_cache_mount(inst, &["/var/lib/apt/lists", "/var/lib/apt"])
            {
                continue;
            }
            blamed.push(*inst);
            ctx.report(
                cmd.span,
                "This `RUN` runs `apt-get update` but keeps `/var/lib/apt/lists` (tens of MB) in the layer",
            )
            .label_text("lists not removed in the same RUN");
        }
    }
}

/// `rm -rf /var/lib/apt/lists/*` (or `/var/lib/apt`), `cd /var/lib/apt/lists && rm -rf *`,
/// `find /var/lib/apt/lists -delete`, `apt-get distclean`.
fn removes_lists(run: &[&Command]) -> bool {
    let is_lists = |a: &str| {
        let a = a.trim_end_matches('/');
        a.starts_with("/var/lib/apt/lists") || a == "/var/lib/apt" || a == "/var/lib/apt/*"
    };
    let mut in_lists = false;
    for cmd in run {
        match cmd.program() {
            Some("rm") if cmd.has_arg(is_lists) => return true,
            Some("rm") if in_lists && cmd.has_arg(|a| !a.starts_with('-')) => return true,
            Some("find")
                if cmd.has_arg(is_lists) && cmd.has_arg(|a| a == "-delete" || a == "-exec") =>
            {
                return true;
            }
            Some("apt-get" | "apt")
                if matches!(cmd.subcommand(), Some("distclean" | "dist-clean")) =>
            {
                return true;
            }
            Some("cd") => in_lists = cmd.has_arg(is_lists),
            _ => {}
        }
    }
    false
}
