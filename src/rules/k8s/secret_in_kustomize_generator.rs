//! K8S059: a secret value committed in a kustomization: a `secretGenerator`
//! literal (`APP_KEY=base64:...`), a `configMapGenerator` literal that holds
//! a credential, or a `secretGenerator` `files:` / `envs:` entry naming a
//! dotenv file of the repository that holds a real credential.
//!
//! A `secretGenerator` makes the same `kind: Secret` that K8S022 reports
//! when its values are committed; a `configMapGenerator` literal is a
//! ConfigMap value (K8S021). Values that are placeholders (empty,
//! `changeme`, `${X}`) stay quiet. Values are never printed.

use crate::model::kustomize::{self, GeneratorKind};
use crate::project::{ParsedFile, Project};
use crate::rules::{Context, Rule};
use crate::secrets::is_placeholder;
use crate::source::FileKind;

use crate::secrets::plaintext_secret;

pub struct SecretInKustomizeGenerator;

impl Rule for SecretInKustomizeGenerator {
    fn code(&self) -> &'static str {
        "K8S059"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kustomization]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(k) = ctx.facts.kustomization() else {
            return;
        };
        let text = &file.source.text;
        for g in &k.generators {
            // Keys of a secretGenerator's committed values (one finding per generator).
            let mut committed: Vec<&str> = Vec::new();
            for l in &g.literals {
                // Secret values are not in the facts: read them where they are.
                let raw = text.get(l.value_span.start..l.value_span.end).unwrap_or("");
                let raw = match raw.split_once('=') {
                    // A quoted entry (`- "KEY=value"`) spans the whole entry.
                    Some((key, v)) if key.trim().trim_start_matches(['"', '\'']) == l.key.text => {
                        v.trim_end_matches(['"', '\''])
                    }
                    _ => raw,
                };
                let value = kustomize::unquote(raw);
                let name = &l.key.text;
                match g.kind {
                    GeneratorKind::Secret => {
                        if is_placeholder(value) || value.starts_with("ENC[") {
                            continue;
                        }
                        ctx.mask(l.value_span);
                        committed.push(name);
                    }
                    GeneratorKind::ConfigMap => {
                        let Some(kind) = plaintext_secret(name, value) else {
                            continue;
                        };
                        ctx.mask(l.value_span);
                        ctx.report(
                            l.key.span,
                            format!(
                                "configMapGenerator `{}` literal `{name}` holds a credential ({kind}) in plain text: a ConfigMap is not encrypted and anyone who can read the namespace sees it",
                                g.name.text
                            ),
                        )
                        .label_text("credential in a generated ConfigMap")
                        .hint(format!(
                            "Move `{name}` to a `secretGenerator` fed from a file that is not committed (`envs: [secrets.env]`, in `.gitignore`), and rotate it"
                        ));
                    }
                }
            }
            if committed.is_empty() {
                continue;
            }
            let keys = committed
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let n = committed.len();
            ctx.report(
                g.name.span,
                format!(
                    "secretGenerator `{}` commits {n} Secret value{} in `literals` ({keys}): they are in the repository and its history",
                    g.name.text,
                    if n == 1 { "" } else { "s" }
                ),
            )
            .label_text("secret values in the repository")
            .hint(
                "Keep the values out of git: `envs: [secrets.env]` with `secrets.env` in `.gitignore` (created at deploy time), or a Sealed Secret / SOPS-encrypted file; rotate the committed values",
            );
        }
    }

    fn project_inputs(&self) -> &'static [FileKind] {
        &[FileKind::Kustomization, FileKind::DotEnv]
    }

    fn project_documents(&self) -> &'static [FileKind] {
        &[]
    }

    /// `secretGenerator` `envs:` / `files:` naming a dotenv file of the run
    /// that holds a real credential (by its shape: a Laravel `APP_KEY`, a
    /// token, a URL with a password, or a secret-named key with a value).
    fn check_project(&self, project: &Project, ctx: &mut Context) {
        for f in project.files {
            let Some(k) = project.facts_of(f.id).kustomization() else {
                continue;
            };
            let dir = f.source.path.rsplit_once('/').map_or("", |(d, _)| d);
            for g in k
                .generators
                .iter()
                .filter(|g| g.kind == GeneratorKind::Secret)
            {
                let entries = g
                    .envs
                    .iter()
                    .map(|e| (&e.text, e.span))
                    .chain(g.files.iter().map(|f| (&f.path.text, f.path.span)));
                for (rel, span) in entries {
                    let Some(target) = project.files.iter().find(|t| {
                        t.kind() == Some(FileKind::DotEnv)
                            && crate::project::links::normalize(&t.source.path)
                                == crate::project::links::normalize(&if dir.is_empty() {
                                    rel.clone()
                                } else {
                                    format!("{dir}/{rel}")
                                })
                    }) else {
                        continue;
                    };
                    // Only a file git would commit (in a repository, not ignored).
                    if crate::rules::dotenv::common::tracking(target, ctx.settings)
                        != crate::rules::dotenv::common::Tracking::NotIgnored
                    {
                        continue;
                    }
                    let Some((key, value_span)) = project
                        .facts_of(target.id)
                        .dotenv()
                        .and_then(|d| d.credential.as_ref())
                    else {
                        continue;
                    };
                    ctx.mask_in(target.id, *value_span);
                    ctx.report_in(
                        f.id,
                        span,
                        format!(
                            "secretGenerator `{}` builds its Secret from `{}`, a file committed to the repository with the value of `{}`",
                            g.name.text, target.source.path, key
                        ),
                    )
                    .label_text("generated from a committed file")
                    .secondary(target.id, *value_span, format!("`{key}` is committed here"))
                    .hint(format!(
                        "Add `{}` to `.gitignore` and create it at deploy time (or generate the Secret from your secret manager: External Secrets, Sealed Secrets, SOPS); rotate the values that were committed",
                        target.source.path
                    ));
                }
            }
        }
    }
}
