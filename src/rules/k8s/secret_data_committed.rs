//! K8S022: a `kind: Secret` with real values committed to the repository.

use crate::model::k8s;
use crate::parse::yaml::Node;
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::secrets::is_placeholder;
use crate::source::FileKind;

pub struct SecretDataCommitted;

/// Decodes standard base64 (what `data` holds); `None` when it is not base64.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Values that hold nothing secret: templates filled at deploy time, SOPS
/// ciphertext, empty strings and the usual placeholder words.
fn is_harmless(value: &str, base64: bool) -> bool {
    if is_placeholder(value) || value.starts_with("ENC[") {
        return true;
    }
    if !base64 {
        return false;
    }
    match decode_base64(value).map(String::from_utf8) {
        Some(Ok(plain)) => is_placeholder(&plain),
        _ => false,
    }
}

fn real_values(map: &Node, base64: bool) -> Vec<&Node> {
    map.as_map()
        .iter()
        .map(|e| &e.value)
        .filter(|v| v.as_str().is_some_and(|s| !is_harmless(s, base64)))
        .collect()
}

impl Rule for SecretDataCommitted {
    fn code(&self) -> &'static str {
        "K8S022"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::Kubernetes]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        let Some(yaml) = file.document.as_yaml() else {
            return;
        };
        for obj in k8s::objects(yaml) {
            // A SOPS-encrypted manifest carries its metadata in a `sops` key.
            if obj.kind != "Secret" || obj.root.get("sops").is_some() {
                continue;
            }
            for (field, base64) in [("data", true), ("stringData", false)] {
                let Some(e) = obj.root.entry(field) else {
                    continue;
                };
                let values = real_values(&e.value, base64);
                if values.is_empty() {
                    continue;
                }
                for v in &values {
                    ctx.mask(v.span);
                }
                let note = if base64 {
                    " (base64 is an encoding, not encryption)"
                } else {
                    ""
                };
                ctx.report(
                    e.key.span,
                    format!(
                        "{} commits {} value{} in `{field}`{note}",
                        obj.display(),
                        values.len(),
                        if values.len() == 1 { "" } else { "s" }
                    ),
                )
                .label_text("secret values in the repository");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(
            decode_base64("aHVudGVyMg==").as_deref(),
            Some(&b"hunter2"[..])
        );
        assert_eq!(
            decode_base64("Y2hhbmdlbWU=").as_deref(),
            Some(&b"changeme"[..])
        );
        assert_eq!(decode_base64("not base64!"), None);
    }

    #[test]
    fn harmless_values() {
        assert!(is_harmless("Y2hhbmdlbWU=", true)); // changeme
        assert!(is_harmless("", true));
        assert!(is_harmless("{{ .Values.db.password | b64enc }}", true));
        assert!(is_harmless(
            "ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]",
            false
        ));
        assert!(!is_harmless("aHVudGVyMg==", true));
        assert!(!is_harmless("hunter2", false));
    }
}
