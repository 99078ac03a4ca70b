//! DC102: `APP_DEBUG=true` together with `APP_ENV=production`.

use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::FileKind;

pub struct DotenvDebugInProduction;

fn truthy(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "on" | "yes" | "(true)"
    )
}

impl Rule for DotenvDebugInProduction {
    fn code(&self) -> &'static str {
        "DC102"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::DotEnv]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(env) = file.document.as_dotenv() else {
            return;
        };
        let (Some(app_env), Some(debug)) = (env.get("APP_ENV"), env.get("APP_DEBUG")) else {
            return;
        };
        if !matches!(app_env.value.trim(), "production" | "prod") || !truthy(&debug.value) {
            return;
        }
        ctx.report(debug.value_span, "`APP_DEBUG=true` with `APP_ENV=production`: error pages show stack traces, queries and environment values to visitors")
            .label_text("debug in production")
            .secondary(file.id, app_env.value_span, "production environment set here")
            .hint("Set `APP_DEBUG=false`; read errors in the logs (`LOG_CHANNEL=stderr` in containers)")
            .safe_fix("Set `APP_DEBUG=false`", vec![crate::diagnostic::Edit { span: debug.value_span, replacement: "false".into() }]);
    }
}
