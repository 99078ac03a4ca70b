//! DC003: a password, token or key written in a service's `environment`.

use super::common::{Purpose, interpolated, purpose};
use crate::diagnostic::Severity;
use crate::parse::yaml::{Node, NodeKind};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::secrets::{find_credential, is_placeholder, is_secret_name};
use crate::source::{FileKind, Span};
use std::collections::HashSet;

pub struct ComposePlaintextSecret;

/// How a value under a secret-like name reads.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A credential by its shape, or a real-looking value: the kind.
    Secret(&'static str),
    /// A placeholder word (`changeme`, `secret`, `password`): still a working
    /// password if the service is reachable, so reported lower.
    Placeholder,
    /// Nothing to report: empty (compose takes the value from the shell),
    /// interpolated (`${DB_PASSWORD}`, the recommended form), a flag.
    Quiet,
}

/// Judges `value` stored under `name`; never returns the value.
pub fn judge(name: &str, value: &str) -> Verdict {
    judge_among(name, value, &[])
}

/// [`judge`], knowing the other variables set beside it: a password equal
/// to the user or database name set next to it (`POSTGRES_USER: temporal`,
/// `POSTGRES_PASSWORD: temporal`) or to a word of its own name
/// (`RABBITMQ_DEFAULT_PASS: rabbit`) is a development default.
pub fn judge_among(name: &str, value: &str, siblings: &[(String, String)]) -> Verdict {
    if let Some(c) = find_credential(value) {
        let part = &value[c.range.clone()];
        if !interpolated(part) {
            if c.kind == "password in URL" && weak_default(&part.to_ascii_lowercase()) {
                return Verdict::Placeholder;
            }
            return Verdict::Secret(c.kind);
        }
    }
    if interpolated(value) {
        return Verdict::Quiet;
    }
    if !is_secret_name(name) || not_a_secret(name) {
        return Verdict::Quiet;
    }
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let flag = (v.len() < 6 && v.chars().all(|c| c.is_ascii_digit()))
        || matches!(
            lower.as_str(),
            "yes" | "no" | "on" | "off" | "true" | "false"
        );
    // `null` is no password (Laravel's `env()` reads it as null).
    let none = matches!(lower.as_str(), "null" | "(null)" | "none" | "~");
    if v.is_empty()
        || flag
        || none
        || lower.starts_with("/run/secrets/")
        || lower.starts_with("file:")
    {
        return Verdict::Quiet;
    }
    // A URL without user-info (`REDIS_URL: redis://cache:6379`) is configuration.
    if v.contains("://") {
        return Verdict::Quiet;
    }
    let alnum: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    let echoes = alnum.len() >= 3
        && (name.to_ascii_lowercase().contains(&alnum)
            || siblings.iter().any(|(k, other)| {
                let k = k.to_ascii_uppercase();
                (k.ends_with("USER")
                    || k.ends_with("USERNAME")
                    || k.ends_with("DB")
                    || k.ends_with("DATABASE"))
                    && other.trim().eq_ignore_ascii_case(v)
            }));
    if is_placeholder(v) || weak_default(&lower) || echoes {
        return Verdict::Placeholder;
    }
    Verdict::Secret("secret-like name")
}

/// Settings named after a secret that are not one
/// (`POSTGRES_HOST_AUTH_METHOD: trust`, `REDIS_AUTH_ENABLED`, `DB_PASSWORD_MODE`).
fn not_a_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "_METHOD",
        "_MODE",
        "_TYPE",
        "_ENABLED",
        "_USER",
        "_USERNAME",
        "_HOST",
        "_PORT",
    ]
    .iter()
    .any(|s| upper.ends_with(s))
}

/// A placeholder phrase (`CHANGE_ME_TOO`, `bad-password`, `your-secret`) or a
/// well-known default password of development stacks (`root`, `postgres`,
/// `guest`): reported lower, it is plainly not a production secret.
fn weak_default(lower: &str) -> bool {
    let alnum: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    const WORDS: [&str; 7] = [
        "changeme",
        "password",
        "secret",
        "example",
        "dummy",
        "placeholder",
        "yourpass",
    ];
    const DEFAULTS: [&str; 17] = [
        "root",
        "admin",
        "postgres",
        "mysql",
        "mariadb",
        "guest",
        "test",
        "user",
        "pass",
        "docker",
        "app",
        "laravel",
        "sail",
        "homestead",
        "123456",
        "passw0rd",
        "toor",
    ];
    WORDS.iter().any(|w| alnum.contains(w)) || DEFAULTS.contains(&alnum.as_str())
}

/// Each `environment` entry of each service: (service index, name, value, value span).
pub fn environment_values(root: &Node) -> Vec<(usize, String, String, Span)> {
    let mut out = Vec::new();
    for (si, svc) in root
        .get("services")
        .map(Node::as_map)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let Some(env) = svc.value.get("environment") else {
            continue;
        };
        match &env.kind {
            NodeKind::Map(entries) => {
                for e in entries {
                    let (Some(name), Some(value)) = (e.key.as_str(), e.value.as_str()) else {
                        continue;
                    };
                    out.push((si, name.to_owned(), value.to_owned(), e.value.span));
                }
            }
            NodeKind::Seq(items) => {
                for item in items {
                    let Some(text) = item.as_str() else { continue };
                    let Some((name, value)) = text.split_once('=') else {
                        continue;
                    };
                    // The value's place in the file: after `=` when the scalar is
                    // written plainly, else the whole item.
                    let span = match item.as_scalar().map(|s| s.style) {
                        Some(crate::parse::yaml::Style::Plain)
                            if text.len() == item.span.end - item.span.start =>
                        {
                            Span::new(item.span.start + name.len() + 1, item.span.end)
                        }
                        _ => item.span,
                    };
                    out.push((si, name.trim().to_owned(), value.to_owned(), span));
                }
            }
            NodeKind::Scalar(_) => {}
        }
    }
    out
}

impl Rule for ComposePlaintextSecret {
    fn code(&self) -> &'static str {
        "DC003"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Compose]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        let production = purpose(&file.source.path) == Purpose::Production;
        let mut seen = HashSet::new();
        for doc in &yaml.documents {
            let values = environment_values(&doc.root);
            // The user and database names of each service (a few at most; bounded
            // so that a hostile file stays linear).
            let mut users: std::collections::HashMap<usize, Vec<(String, String)>> =
                std::collections::HashMap::new();
            for (si, n, v, _) in &values {
                let u = n.to_ascii_uppercase();
                let list = users.entry(*si).or_default();
                if list.len() < 16
                    && ["USER", "USERNAME", "DB", "DATABASE"]
                        .iter()
                        .any(|e| u.ends_with(e))
                {
                    list.push((n.clone(), v.clone()));
                }
            }
            for (si, name, value, span) in &values {
                // A value merged from an anchor into several services is reported once.
                if !seen.insert(*span) {
                    continue;
                }
                let siblings = users.get(si).map(Vec::as_slice).unwrap_or_default();
                let (name, span) = (name.as_str(), *span);
                match judge_among(name, value, siblings) {
                    Verdict::Quiet => {}
                    Verdict::Secret(kind) => {
                        ctx.mask(span);
                        let why = match kind {
                            "secret-like name" => String::new(),
                            k => format!(" ({k})"),
                        };
                        let d = ctx
                            .report(span, format!("`{name}` is written in plain text in the compose file{why}"))
                            .label_text("plaintext secret")
                            .hint(format!(
                                "Write `{name}: ${{{name}}}` and keep the value in an untracked `.env` file or the shell, or use a `secrets:` entry (`file:` outside the repository) and the image's `{name}_FILE` variable; rotate this value, it is in the repository history"
                            ));
                        if production {
                            d.severity(Severity::Error);
                        }
                    }
                    Verdict::Placeholder => {
                        ctx.report(span, format!("`{name}` is set to a placeholder or well-known default password in plain text"))
                            .label_text("placeholder password")
                            .severity(Severity::Info)
                            .hint(format!(
                                "Reported at info level because the value reads as a placeholder or a well-known default, not a production secret; it is still the working password of anything that can reach this service. Write `{name}: ${{{name}}}` to take it from the environment"
                            ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(
            judge("DB_PASSWORD", "s3cr3t-Pa55"),
            Verdict::Secret("secret-like name")
        );
        assert_eq!(judge("DB_PASSWORD", "${DB_PASSWORD}"), Verdict::Quiet);
        assert_eq!(
            judge("DB_PASSWORD", "${DB_PASSWORD:-secret}"),
            Verdict::Quiet
        );
        assert_eq!(judge("DB_PASSWORD", ""), Verdict::Quiet);
        assert_eq!(judge("DB_PASSWORD", "secret"), Verdict::Placeholder);
        assert_eq!(
            judge("MYSQL_ROOT_PASSWORD", "CHANGE_ME_TOO"),
            Verdict::Placeholder
        );
        assert_eq!(judge("POSTGRES_PASSWORD", "postgres"), Verdict::Placeholder);
        assert_eq!(
            judge("VALKEY_PASSWORD", "bad-password"),
            Verdict::Placeholder
        );
        assert_eq!(judge("POSTGRES_HOST_AUTH_METHOD", "trust"), Verdict::Quiet);
        assert_eq!(
            judge("RABBITMQ_DEFAULT_PASS", "rabbit"),
            Verdict::Placeholder
        );
        let user = [("POSTGRES_USER".to_owned(), "temporal".to_owned())];
        assert_eq!(
            judge_among("POSTGRES_PASSWORD", "temporal", &user),
            Verdict::Placeholder
        );
        assert_eq!(
            judge("DATABASE_URL", "mysql://kb:kanboard-secret@db/kb"),
            Verdict::Placeholder
        );
        assert_eq!(judge("MYSQL_ALLOW_EMPTY_PASSWORD", "yes"), Verdict::Quiet);
        assert_eq!(judge("REDIS_URL", "redis://cache:6379"), Verdict::Quiet);
        assert_eq!(
            judge("DATABASE_URL", "postgres://app:hunter2@db/app"),
            Verdict::Secret("password in URL")
        );
        assert_eq!(
            judge("DATABASE_URL", "postgres://app:${DB_PASS}@db/app"),
            Verdict::Quiet
        );
        assert_eq!(judge("APP_ENV", "local"), Verdict::Quiet);
    }
}
