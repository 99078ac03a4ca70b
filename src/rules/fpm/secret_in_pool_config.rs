//! FPM015: a credential written literally into a pool file (`env[DB_PASSWORD] = ...`,
//! a DSN with a password in `php_admin_value[...]`), baked into the image.

use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::secrets::{find_credential, is_placeholder, is_secret_name};
use crate::source::FileKind;

pub struct SecretInPoolConfig;

impl Rule for SecretInPoolConfig {
    fn code(&self) -> &'static str {
        "FPM015"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::PhpFpm]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(fpm) = file.document.as_fpm() else {
            return;
        };
        for pool in fpm.pools() {
            for d in &pool.directives {
                let Some(offset) = &d.offset else { continue };
                let v = &d.value;
                if v.is_symbolic() || is_placeholder(&v.text) {
                    continue;
                }
                let by_name = d.is("env") && is_secret_name(&offset.text);
                let by_shape = find_credential(&v.text).map(|c| c.kind);
                if !by_name && by_shape.is_none() {
                    continue;
                }
                ctx.mask(v.span);
                let what = by_shape
                    .map_or_else(|| "a secret".to_owned(), |k| format!("a credential ({k})"));
                let key = format!("{}[{}]", d.name.text, offset.text);
                let hint = if d.is("env") {
                    format!(
                        "Pass it from the container environment: `{key} = ${}` (with `clear_env = no` or this line), set from a Kubernetes Secret",
                        offset.text
                    )
                } else {
                    format!(
                        "Read it from the environment in the application, or write `{key} = ${{NAME}}` and set NAME from a Kubernetes Secret"
                    )
                };
                ctx.report(v.span, format!("`{key}` in pool `{}` holds {what} written in the file: it ships in every image layer and every copy of the repository", pool.name()))
                    .hint(hint)
                    .label_text("secret value (hidden)");
            }
        }
    }
}
