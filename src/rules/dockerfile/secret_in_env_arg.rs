//! DF004: a secret baked into the image through `ENV` or `ARG`.

use super::common::dockerfile;
use crate::diagnostic::Severity;
use crate::parse::dockerfile::Keyword;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::secrets::{find_credential, is_placeholder, is_secret_name};
use crate::source::FileKind;

pub struct SecretInEnvArg;

impl Rule for SecretInEnvArg {
    fn code(&self) -> &'static str {
        "DF004"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Dockerfile]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(df) = dockerfile(file) else { return };
        for inst in &df.instructions {
            if !matches!(inst.keyword, Keyword::Env | Keyword::Arg) {
                continue;
            }
            let kw = inst.keyword.name();
            for kv in inst.key_values(df.escape) {
                let name = &kv.key.text;
                let secret_name = is_secret_name(name);
                let credential = kv.value.as_ref().and_then(|v| find_credential(&v.text));
                match &kv.value {
                    Some(v) if credential.is_some() => {
                        let kind = credential.map_or("credential", |c| c.kind);
                        ctx.mask(v.span);
                        ctx.report(v.span, format!("`{kw} {name}` holds a {kind}, stored in the image for anyone who can pull it"))
                            .label_text("secret (masked)");
                    }
                    Some(v) if secret_name && v.text.contains('$') && inst.is(Keyword::Env) => {
                        ctx.report(kv.key.span, format!("`ENV {name}` copies a secret from a build argument into the image environment"))
                            .severity(Severity::Warning)
                            .label_text("persists in every container and in `docker inspect`");
                    }
                    Some(v) if secret_name && v.text.contains('$') => {}
                    Some(v)
                        if secret_name
                            && !is_placeholder(&v.text)
                            && !plainly_not_secret(name, &v.text) =>
                    {
                        ctx.mask(v.span);
                        ctx.report(
                            v.span,
                            format!("`{kw} {name}` sets a secret-looking value in the Dockerfile"),
                        )
                        .label_text("secret (masked)");
                    }
                    None if secret_name && inst.is(Keyword::Arg) => {
                        ctx.report(kv.key.span, format!("Build argument `{name}` looks like a secret: build arguments are recorded in the image history"))
                            .severity(Severity::Warning)
                            .label_text("use a secret mount");
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Values a secret-sounding name can hold that are not secrets: a small number
/// (`PHP_EXTENSION_TOKENIZER=1`), or a DSN/URL without credentials
/// (`LOCK_DSN=flock`, `MAILER_DSN=null://localhost`); a DSN with `user:password@`
/// is found by the credential detector above.
fn plainly_not_secret(name: &str, value: &str) -> bool {
    let v = value.trim();
    let upper = name.to_ascii_uppercase();
    let small_number = v.len() < 6 && v.chars().all(|c| c.is_ascii_digit());
    let dsn_name = upper
        .split(['_', '-', '.'])
        .any(|w| matches!(w, "DSN" | "URL" | "URI"));
    let lower = v.to_ascii_lowercase();
    small_number
        || (dsn_name
            && !lower.contains("pass")
            && !lower.contains("secret")
            && !lower.contains("token"))
}
