//! K8S016: secret written in plain text in a container's `env[].value`.

use super::security_common::{checked_containers, describe};
use crate::model::k8s;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::secrets::plaintext_secret;
use crate::source::FileKind;

pub struct PlaintextSecretInEnv;

impl Rule for PlaintextSecretInEnv {
    fn code(&self) -> &'static str {
        "K8S016"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            for c in checked_containers(&obj) {
                for var in c.node.get("env").map(|e| e.as_seq()).unwrap_or_default() {
                    let Some(name) = var.str_at(&["name"]) else {
                        continue;
                    };
                    let Some(value_node) = var.get("value") else {
                        continue;
                    };
                    let Some(value) = value_node.as_str() else {
                        continue;
                    };
                    let Some(kind) = plaintext_secret(name, value) else {
                        continue;
                    };
                    ctx.mask(value_node.span);
                    let secret = format!("{}-secrets", obj.name().unwrap_or("app"));
                    ctx.report(
                        value_node.span,
                        format!(
                            "{} sets `{name}` in plain text ({kind})",
                            describe(&c, &obj)
                        ),
                    )
                    .label_text("plaintext secret")
                    .hint(format!(
                        "Store the value in a Secret and reference it: `valueFrom: {{secretKeyRef: {{name: {secret}, key: {name}}}}}`; rotate this value, it is in the repository history"
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::engine::{LintOptions, LintResult};
    use crate::report::{self, Format, HumanOptions};

    const FROM_SECRET: &str = include_str!("../../../fixtures/k8s/encontros-tech-deployment.yaml");
    const INLINED: &str =
        include_str!("../../../fixtures/k8s/encontros-tech-deployment-inline-secret.yaml");

    fn lint_all(name: &str, text: &str) -> LintResult {
        let config = Config::with_defaults(std::path::PathBuf::from("."));
        crate::lint_text(name, text, &config, &LintOptions::default())
    }

    fn output(result: &LintResult, format: Format) -> String {
        let mut out = Vec::new();
        report::write(format, result, &HumanOptions::default(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn secret_codes(result: &LintResult) -> Vec<&str> {
        result
            .diagnostics
            .iter()
            .map(|d| &*d.code)
            .filter(|c| matches!(*c, "K8S016" | "K8S021" | "K8S022"))
            .collect()
    }

    #[test]
    fn encontros_tech_secret_key_ref_is_quiet() {
        let r = lint_all("encontros-tech-deployment.yaml", FROM_SECRET);
        assert!(secret_codes(&r).is_empty(), "{}", output(&r, Format::Human));
    }

    #[test]
    fn encontros_tech_inlined_url_fires_and_is_never_printed() {
        let r = lint_all("encontros-tech-deployment-inline-secret.yaml", INLINED);
        assert_eq!(secret_codes(&r), vec!["K8S016"]);
        let d = r.diagnostics.iter().find(|d| d.code == "K8S016").unwrap();
        assert_eq!(
            &INLINED[d.span.range()],
            "postgresql://user:pass@host/db",
            "points at the value"
        );
        for format in [Format::Human, Format::Json] {
            let out = output(&r, format);
            assert!(out.contains("K8S016"), "{out}");
            for leak in ["user:pass", "pass@host", "postgresql://user"] {
                assert!(
                    !out.contains(leak),
                    "{format:?} output shows `{leak}`:\n{out}"
                );
            }
        }
    }
}
