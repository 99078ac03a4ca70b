//! DC100: a credential or real password in a dotenv file that git would commit.

use super::common::{Tracking, tracking};
use crate::diagnostic::Severity;
use crate::project::ParsedFile;
use crate::rules::compose::plaintext_secret::{Verdict, judge};
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct DotenvSecret;

impl Rule for DotenvSecret {
    fn code(&self) -> &'static str {
        "DC100"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::DotEnv]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(env) = file.document.as_dotenv() else {
            return;
        };
        let state = tracking(file, ctx.settings);
        if state == Tracking::Ignored {
            // The local environment, never committed: holding secrets is its job.
            return;
        }
        let template = crate::discover::is_dotenv_template(std::path::Path::new(&file.source.path));
        for e in &env.entries {
            let verdict = if e.quote == Some('\'') && e.value.contains('$') {
                // Single quotes keep `$` literal: judge the text as it is.
                judge(&e.key, &e.value.replace('$', "S"))
            } else {
                judge(&e.key, &e.value)
            };
            match verdict {
                Verdict::Quiet => {}
                Verdict::Secret(kind) => {
                    if template && kind == "secret-like name" {
                        // `.env.example` defaults (`DB_PASSWORD=root`) are what templates hold.
                        continue;
                    }
                    ctx.mask(e.value_span);
                    let why = match state {
                        Tracking::NotIgnored => "git does not ignore this file",
                        _ => "this file is not known to be ignored by git",
                    };
                    let what = match kind {
                        "secret-like name" => "a real-looking value".to_owned(),
                        k => format!("a credential ({k})"),
                    };
                    ctx.report(e.value_span, format!("`{}` holds {what} and {why}", e.key))
                        .label_text("credential")
                        .hint(format!("Keep real values out of committed files: put `{}=` in `.env.example` and the value in an ignored `.env` or the deployment's secret store; rotate this value if it was ever committed", e.key));
                }
                Verdict::Placeholder => {
                    if template {
                        continue;
                    }
                    ctx.report(e.value_span, format!("`{}` is set to a placeholder or well-known default password", e.key))
                        .label_text("placeholder password")
                        .severity(Severity::Info)
                        .hint("Reported at info level because the value reads as a placeholder or a well-known default; if this file configures a reachable service, it is its working password. Leave it empty in committed files");
                }
            }
        }
    }
}
