//! K8S021: credential stored in a ConfigMap.

use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::secrets::plaintext_secret;
use crate::source::FileKind;

pub struct CredentialInConfigmap;

/// A secret in one `NAME=value` / `NAME: value` line of a file-like value
/// (a `.env` or config file kept in the ConfigMap).
fn secret_in_lines(value: &str) -> Option<(String, &'static str)> {
    for line in value.lines() {
        let line = line.trim().trim_start_matches("export ");
        if line.starts_with('#') {
            continue;
        }
        let Some(i) = line.find(['=', ':']) else {
            continue;
        };
        let name = line[..i].trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            continue;
        }
        let v = line[i + 1..].trim().trim_matches(['"', '\'']);
        if let Some(kind) = plaintext_secret(name, v) {
            return Some((name.to_owned(), kind));
        }
    }
    None
}

impl Rule for CredentialInConfigmap {
    fn code(&self) -> &'static str {
        "K8S021"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            if obj.kind != "ConfigMap" {
                continue;
            }
            let Some(data) = obj.root.get("data") else {
                continue;
            };
            for e in data.as_map() {
                let (Some(key), Some(value)) = (e.key.as_str(), e.value.as_str()) else {
                    continue;
                };
                let found = match plaintext_secret(key, value) {
                    Some(kind) => Some(format!("`{key}` holds a credential ({kind})")),
                    None if value.contains('\n') => secret_in_lines(value)
                        .map(|(name, kind)| format!("`{key}` sets `{name}` ({kind})")),
                    None => None,
                };
                let Some(what) = found else { continue };
                ctx.mask(e.value.span);
                ctx.report(
                    e.key.span,
                    format!("{}: {what} in plain text", obj.display()),
                )
                .label_text("credential in a ConfigMap");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files() {
        let env = "APP_ENV=production\nDB_HOST=db\nDB_PASSWORD=\"s3cret\"\n";
        assert_eq!(
            secret_in_lines(env),
            Some(("DB_PASSWORD".into(), "secret-like name"))
        );
        assert_eq!(secret_in_lines("APP_ENV=production\nDB_PASSWORD=\n"), None);
        assert_eq!(secret_in_lines("# DB_PASSWORD=x y\nkey value\n"), None);
    }
}
