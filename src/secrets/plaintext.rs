//! Plaintext-secret detection for a named value (env vars, ConfigMap
//! data, dotenv entries), over the shared detector.

use super::{find_credential, is_placeholder, is_secret_name};

/// `$(OTHER_VAR)`: Kubernetes expands it from another env var at start, so
/// the manifest holds a reference, not a secret.
fn is_env_reference(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("$(") && v.ends_with(')') && !v[2..v.len() - 1].contains(['(', ')'])
}

/// PEM-like private key blocks, also loosely written ones (`---BEGIN ...`).
fn is_private_key(value: &str) -> bool {
    value
        .find("BEGIN")
        .is_some_and(|i| value[i..].contains("PRIVATE KEY"))
}

/// Why `value`, stored under `name`, looks like a plaintext secret; `None`
/// when it does not. The answer never contains the value.
pub fn plaintext_secret(name: &str, value: &str) -> Option<&'static str> {
    if let Some(c) = find_credential(value) {
        if !is_env_reference(&value[c.range.clone()]) {
            return Some(c.kind);
        }
    }
    if is_private_key(value) {
        return Some("private key");
    }
    // A URL keeps its credentials in the user-info part, checked above; a
    // `DATABASE_URL` without one is plain configuration.
    let credential_free_url = value.contains("://") && !value.contains(['?', '#']);
    // A flag or small number under a secret-sounding name (`MYSQL_ALLOW_EMPTY_PASSWORD: "1"`).
    let v = value.trim().to_ascii_lowercase();
    let flag = (v.len() < 6 && v.chars().all(|c| c.is_ascii_digit()))
        || matches!(v.as_str(), "yes" | "no" | "on" | "off" | "true" | "false")
        // An empty YAML/JSON structure or string (`custom_secrets: []`).
        || matches!(v.as_str(), "[]" | "{}" | "''" | "\"\"" | "~");
    if is_secret_name(name)
        && !flag
        && !is_placeholder(value)
        && !is_env_reference(value)
        && !credential_free_url
    {
        return Some("secret-like name");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_secrets() {
        assert_eq!(
            plaintext_secret("DATABASE_URL", "postgresql://user:pass@host/db"),
            Some("password in URL")
        );
        assert_eq!(
            plaintext_secret("DB_PASSWORD", "hunter2"),
            Some("secret-like name")
        );
        assert_eq!(
            plaintext_secret("the_good_stuff", "---BEGIN OPENSSH PRIVATE KEY---\nxx"),
            Some("private key")
        );
        assert_eq!(
            plaintext_secret("SECRET_BLAH", "secretsquirrels"),
            Some("secret-like name")
        );
    }

    #[test]
    fn quiet_for_references_and_plain_config() {
        assert_eq!(
            plaintext_secret("DB_PASSWORD", "$(VAULT_DB_PASSWORD)"),
            None
        );
        assert_eq!(plaintext_secret("DB_PASSWORD", "${DB_PASSWORD}"), None);
        assert_eq!(
            plaintext_secret("DATABASE_URL", "postgresql://app:$(DB_PASS)@db/app"),
            None
        );
        assert_eq!(
            plaintext_secret("DATABASE_URL", "postgresql://db:5432/app"),
            None
        );
        assert_eq!(plaintext_secret("BLAH", "secretsquirrels"), None);
        assert_eq!(plaintext_secret("DB_HOST", "postgres"), None);
    }
}
