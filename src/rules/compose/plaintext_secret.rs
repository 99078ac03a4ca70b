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
    if let Some(c) = find_credential(value) {
        if !interpolated(&value[c.range.clone()]) {
            return Verdict::Secret(c.kind);
        }
    }
    if interpolated(value) {
        return Verdict::Quiet;
    }
    if !is_secret_name(name) {
        return Verdict::Quiet;
    }
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let flag = (v.len() < 6 && v.chars().all(|c| c.is_ascii_digit()))
        || matches!(lower.as_str(), "yes" | "no" | "on" | "off" | "true" | "false");
    if v.is_empty() || flag || lower.starts_with("/run/secrets/") || lower.starts_with("file:") {
        return Verdict::Quiet;
    }
    // A URL without user-info (`REDIS_URL: redis://cache:6379`) is configuration.
    if v.contains("://") {
        return Verdict::Quiet;
    }
    if is_placeholder(v) {
        return Verdict::Placeholder;
    }
    Verdict::Secret("secret-like name")
}

/// Each `environment` entry of each service: (name, value, value span).
pub fn environment_values(root: &Node) -> Vec<(String, String, Span)> {
    let mut out = Vec::new();
    for svc in root.get("services").map(Node::as_map).unwrap_or_default() {
        let Some(env) = svc.value.get("environment") else { continue };
        match &env.kind {
            NodeKind::Map(entries) => {
                for e in entries {
                    let (Some(name), Some(value)) = (e.key.as_str(), e.value.as_str()) else {
                        continue;
                    };
                    out.push((name.to_owned(), value.to_owned(), e.value.span));
                }
            }
            NodeKind::Seq(items) => {
                for item in items {
                    let Some(text) = item.as_str() else { continue };
                    let Some((name, value)) = text.split_once('=') else { continue };
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
                    out.push((name.trim().to_owned(), value.to_owned(), span));
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
        let Some(yaml) = file.document.as_yaml() else { return };
        let production = purpose(&file.source.path) == Purpose::Production;
        let mut seen = HashSet::new();
        for doc in &yaml.documents {
            for (name, value, span) in environment_values(&doc.root) {
                // A value merged from an anchor into several services is reported once.
                if !seen.insert(span) {
                    continue;
                }
                match judge(&name, &value) {
                    Verdict::Quiet => {}
                    Verdict::Secret(kind) => {
                        ctx.mask(span);
                        let d = ctx
                            .report(span, format!("`{name}` is written in plain text in the compose file ({kind})"))
                            .label_text("plaintext secret")
                            .hint(format!(
                                "Write `{name}: ${{{name}}}` and keep the value in an untracked `.env` file or the shell, or use a `secrets:` entry (`file:` outside the repository) and the image's `{name}_FILE` variable; rotate this value, it is in the repository history"
                            ));
                        if production {
                            d.severity(Severity::Error);
                        }
                    }
                    Verdict::Placeholder => {
                        ctx.mask(span);
                        ctx.report(span, format!("`{name}` is set to a placeholder-looking password in plain text"))
                            .label_text("placeholder password")
                            .severity(Severity::Info)
                            .hint(format!(
                                "Reported at info level because the value reads as a placeholder (`changeme`, `secret`, `password`); it is still the working password of anything that can reach this service. Write `{name}: ${{{name}}}` to take it from the environment"
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
        assert_eq!(judge("DB_PASSWORD", "s3cr3t-Pa55"), Verdict::Secret("secret-like name"));
        assert_eq!(judge("DB_PASSWORD", "${DB_PASSWORD}"), Verdict::Quiet);
        assert_eq!(judge("DB_PASSWORD", "${DB_PASSWORD:-secret}"), Verdict::Quiet);
        assert_eq!(judge("DB_PASSWORD", ""), Verdict::Quiet);
        assert_eq!(judge("DB_PASSWORD", "secret"), Verdict::Placeholder);
        assert_eq!(judge("MYSQL_ALLOW_EMPTY_PASSWORD", "yes"), Verdict::Quiet);
        assert_eq!(judge("REDIS_URL", "redis://cache:6379"), Verdict::Quiet);
        assert_eq!(
            judge("DATABASE_URL", "postgres://app:hunter2@db/app"),
            Verdict::Secret("password in URL")
        );
        assert_eq!(judge("DATABASE_URL", "postgres://app:${DB_PASS}@db/app"), Verdict::Quiet);
        assert_eq!(judge("APP_ENV", "local"), Verdict::Quiet);
    }
}
