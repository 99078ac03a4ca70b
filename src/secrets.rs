//! The one secret detector every format shares (Dockerfile ENV/ARG,
//! Kubernetes env and ConfigMaps, compose, php-fpm `env[...]`).
//! Rules that use it must `ctx.mask()` the value's span and never put the
//! value in a message.

/// Name fragments that mark a variable as holding a secret.
const SECRET_NAME_PARTS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "APP_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
    "CLIENT_SECRET",
    "DSN",
    "DATABASE_URL",
    "REDIS_URL",
    "CONNECTION_STRING",
];

/// Names that contain a fragment above but are not secrets.
const NOT_SECRET_NAMES: &[&str] = &[
    "PASSWORD_TIMEOUT",
    "PASSWORD_RESET_TIMEOUT",
    "TOKEN_TTL",
    "SECRET_NAME",
    "PASSPORT_PRIVATE_KEY_PATH",
];

/// Whether an environment variable or key name says it holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase().replace(['-', '.'], "_");
    if NOT_SECRET_NAMES.contains(&upper.as_str())
        || upper.ends_with("_FILE")
        || upper.ends_with("_PATH")
        || upper.ends_with("_TTL")
        || upper.ends_with("_TIMEOUT")
        || upper.ends_with("_LENGTH")
    {
        return false;
    }
    upper
        .split('_')
        .any(|w| w == "PASS" || w == "PWD" || w == "DSN")
        || SECRET_NAME_PARTS
            .iter()
            .filter(|p| !matches!(**p, "PASS" | "PWD" | "DSN"))
            .any(|p| upper.contains(p))
}

/// Values that are clearly not real secrets: empty, placeholders, references.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || v.starts_with("${") && v.ends_with('}')
        || v.starts_with('$')
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        || v.starts_with("{{") && v.ends_with("}}")
        || v.starts_with('<') && v.ends_with('>')
        || matches!(
            lower.as_str(),
            "null"
                | "none"
                | "changeme"
                | "change-me"
                | "change_me"
                | "xxx"
                | "redacted"
                | "secret"
                | "password"
                | "placeholder"
                | "todo"
                | "dummy"
                | "example"
                | "true"
                | "false"
        )
        || v.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || lower.starts_with("/run/secrets/")
        || lower.starts_with("file:")
        || lower.starts_with("vault:")
        || lower.starts_with("arn:aws:secretsmanager")
}

/// A credential recognised by its shape, wherever it appears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    /// Byte range of the secret part within the scanned value.
    pub range: std::ops::Range<usize>,
    pub kind: &'static str,
}

/// Finds credential patterns: AWS access key ids, private key headers,
/// `scheme://user:password@host` URLs, GitHub and Slack tokens, Laravel APP_KEYs.
pub fn find_credential(value: &str) -> Option<Credential> {
    if let Some(c) = url_password(value) {
        return Some(c);
    }
    // PEM headers, also with fewer dashes than the standard five
    // (`---BEGIN OPENSSH PRIVATE KEY---` is common in pasted config).
    if let Some(i) = value.find("BEGIN") {
        let dashed = value[..i].ends_with("---");
        let header_end = value[i..].find('\n').map_or(value.len(), |e| i + e);
        if dashed && value[i..header_end].contains("PRIVATE KEY") {
            return Some(Credential {
                range: i - 3..value.len(),
                kind: "private key",
            });
        }
    }
    for (prefix, len, kind) in [
        ("AKIA", 20, "AWS access key id"),
        ("ASIA", 20, "AWS temporary access key id"),
        ("ghp_", 40, "GitHub token"),
        ("gho_", 40, "GitHub OAuth token"),
        ("ghs_", 40, "GitHub app token"),
        ("github_pat_", 40, "GitHub fine-grained token"),
        ("glpat-", 26, "GitLab token"),
        ("xoxb-", 20, "Slack bot token"),
        ("xoxp-", 20, "Slack user token"),
        ("sk_live_", 24, "Stripe secret key"),
        ("base64:", 44, "Laravel APP_KEY"),
    ] {
        let mut from = 0;
        while let Some(i) = value[from..].find(prefix) {
            let start = from + i;
            let end = value[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "_-+/=:".contains(c)))
                .map_or(value.len(), |e| start + e);
            let boundary = start == 0
                || !value[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
            if boundary && end - start >= len {
                return Some(Credential {
                    range: start..end,
                    kind,
                });
            }
            from = start + prefix.len();
        }
    }
    None
}

/// `scheme://user:password@host` -> the password's range.
fn url_password(value: &str) -> Option<Credential> {
    let scheme_end = value.find("://")?;
    let rest_start = scheme_end + 3;
    let rest = &value[rest_start..];
    let at = rest.find('@')?;
    let userinfo = &rest[..at];
    if userinfo.contains('/') {
        return None;
    }
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    if password.is_empty() || is_placeholder(password) {
        return None;
    }
    let start = rest_start + colon + 1;
    Some(Credential {
        range: start..start + password.len(),
        kind: "password in URL",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "DB_PASSWORD",
            "APP_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "REDIS_PASS",
            "STRIPE_TOKEN",
            "DATABASE_URL",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "DB_HOST",
            "PASSWORD_TIMEOUT",
            "DB_PASSWORD_FILE",
            "COMPASS_URL",
            "APP_ENV",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn credentials() {
        let v = "postgresql://app:s3cr3t@db:5432/app";
        let c = find_credential(v).unwrap();
        assert_eq!(&v[c.range], "s3cr3t");
        assert!(find_credential("postgresql://app@db/app").is_none());
        assert!(find_credential("redis://:${REDIS_PASSWORD}@redis:6379").is_none());
        let k = "key AKIAIOSFODNN7EXAMPLE end";
        assert_eq!(
            &k[find_credential(k).unwrap().range],
            "AKIAIOSFODNN7EXAMPLE"
        );
        assert!(find_credential("base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=").is_some());
        assert!(find_credential("-----BEGIN RSA PRIVATE KEY-----\nabc").is_some());
        assert!(find_credential("---BEGIN OPENSSH PRIVATE KEY---\nabc").is_some());
        assert!(find_credential("-----BEGIN CERTIFICATE-----\nPRIVATE KEY").is_none());
        assert!(find_credential("plain text").is_none());
    }

    #[test]
    fn placeholders() {
        for v in [
            "",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "{{ .Values.pw }}",
            "<your-password>",
            "changeme",
            "****",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        assert!(!is_placeholder("hunter2"));
    }
}
