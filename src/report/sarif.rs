//! SARIF 2.1.0: one run, `tool.driver.rules` from the catalog, one result
//! per finding with its region (1-based lines, columns in Unicode code
//! points: `columnKind: unicodeCodePoints`), secondary labels as
//! `relatedLocations`, fixes as `fixes`, and `partialFingerprints` that do
//! not change when lines are added above a finding. Paths are relative to
//! `%SRCROOT%` (the directory deploylint ran in); absolute paths become
//! `file://` URIs. Validated against the official schema in
//! `tests/report_formats.rs`.

use super::{Positions, Redactor, fingerprints_of, region};
use crate::catalog::{RuleMeta, catalog, reflow};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{LintResult, Suppressed, SuppressionKind};
use crate::source::Span;
use serde_json::{Value, json};
use std::io::{self, Write};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of our fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "deploylint/v1";

/// SARIF levels of each severity.
pub(crate) fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: relative ones percent-encoded against
/// `%SRCROOT%`, absolute ones as `file://` URIs (then with no base).
pub(crate) fn artifact_location(path: &str) -> Value {
    let slashed = path.replace('\\', "/");
    let absolute = slashed.starts_with('/')
        || slashed.as_bytes().get(1) == Some(&b':') && slashed.as_bytes()[0].is_ascii_alphabetic();
    let rel = slashed.strip_prefix("./").unwrap_or(&slashed);
    if absolute {
        let p = if slashed.starts_with('/') {
            encode(&slashed)
        } else {
            format!("/{}", encode(&slashed))
        };
        json!({ "uri": format!("file://{p}") })
    } else {
        json!({ "uri": encode(rel), "uriBaseId": "%SRCROOT%" })
    }
}

fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rule_descriptor(m: &RuleMeta) -> Value {
    let rationale = reflow(m.rationale);
    let mut markdown = format!(
        "{}\n\n**Fix:** {}\n\n[Documentation]({})",
        rationale,
        m.help(),
        m.docs_url()
    );
    if let Some(bad) = &m.examples.bad {
        markdown.push_str(&format!("\n\nBad:\n\n```\n{}\n```", bad.trim_end()));
    }
    if let Some(good) = &m.examples.good {
        markdown.push_str(&format!("\n\nGood:\n\n```\n{}\n```", good.trim_end()));
    }
    let mut properties = json!({
        "tags": [m.category, m.format],
    });
    if m.category == "security" {
        // GitHub code scanning ranks security alerts by this score.
        let score = match m.severity {
            Severity::Error => "8.0",
            Severity::Warning => "5.5",
            Severity::Info => "2.0",
        };
        properties["security-severity"] = json!(score);
    }
    json!({
        "id": m.code,
        "name": m.name,
        "shortDescription": { "text": m.title },
        "fullDescription": { "text": rationale },
        "help": { "text": m.help(), "markdown": markdown },
        "helpUri": m.docs_url(),
        "defaultConfiguration": {
            "level": level(m.severity),
            "enabled": m.enabled,
        },
        "properties": properties,
    })
}

/// (Generic over the writer: serde_json's many small writes then reach the
/// buffer inline instead of through a vtable.)
pub fn write<W: Write>(result: &LintResult, out: &mut W) -> io::Result<()> {
    let redactor = Redactor::new(result);
    let mut positions = Positions::default();
    let rules = &catalog().rules;
    // Suppressed findings are results too, with their suppression (GitHub
    // code scanning shows them as dismissed), in path order with the others;
    // fingerprints are computed over all of them, so a finding keeps its
    // fingerprint whether it is suppressed or not.
    let mut items: Vec<(&Diagnostic, Option<&Suppressed>)> = result
        .diagnostics
        .iter()
        .map(|d| (d, None))
        .chain(result.suppressed.iter().map(|s| (&s.diagnostic, Some(s))))
        .collect();
    if !result.suppressed.is_empty() {
        items.sort_by(|(a, _), (b, _)| {
            let pa = &result.files[a.file].source.path;
            let pb = &result.files[b.file].source.path;
            (pa, a.span.start, &a.code, &a.message).cmp(&(pb, b.span.start, &b.code, &b.message))
        });
    }
    let prints = fingerprints_of(result, items.iter().map(|(d, _)| *d));
    let mut region_of = |file: usize, span: Span| {
        let (s, e) = region(result, &mut positions, file, span);
        json!({
            "startLine": s.line,
            "startColumn": s.column,
            "endLine": e.line,
            "endColumn": e.column,
        })
    };
    let mut results = Vec::with_capacity(items.len());
    for ((d, suppressed), print) in items.into_iter().zip(prints) {
        let path = &result.files[d.file].source.path;
        let mut r = json!({
            "ruleId": d.code,
            "level": level(d.severity),
            "message": { "text": redactor.redact(&d.message) },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": artifact_location(path),
                    "region": region_of(d.file, d.span),
                }
            }],
            "partialFingerprints": { FINGERPRINT_KEY: print },
        });
        if let Ok(i) = rules.binary_search_by(|m| m.code.cmp(&*d.code)) {
            r["ruleIndex"] = json!(i);
        }
        if !d.labels.is_empty() {
            let related: Vec<Value> = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i + 1,
                        "physicalLocation": {
                            "artifactLocation": artifact_location(&result.files[l.file].source.path),
                            "region": region_of(l.file, l.span),
                        },
                        "message": { "text": redactor.redact(&l.message) },
                    })
                })
                .collect();
            r["relatedLocations"] = json!(related);
        }
        if let Some(fix) = &d.fix {
            let replacements: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| {
                    json!({
                        "deletedRegion": region_of(d.file, e.span),
                        "insertedContent": { "text": redactor.redact(&e.replacement) },
                    })
                })
                .collect();
            r["fixes"] = json!([{
                "description": { "text": redactor.redact(&fix.title) },
                "artifactChanges": [{
                    "artifactLocation": artifact_location(path),
                    "replacements": replacements,
                }],
            }]);
            r["properties"] = json!({
                "fixApplicability": fix.applicability.name(),
            });
        }
        if let Some(s) = suppressed {
            r["suppressions"] = json!([{
                "kind": match s.kind {
                    SuppressionKind::InSource => "inSource",
                    SuppressionKind::External => "external",
                },
                "justification": redactor.redact(&s.justification),
            }]);
        }
        results.push(r);
    }
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "deploylint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://deploylint.dev",
                    "rules": rules.iter().map(rule_descriptor).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_map_is_explicit() {
        assert_eq!(level(Severity::Error), "error");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Info), "note");
    }

    #[test]
    fn paths_become_uris() {
        assert_eq!(
            artifact_location("k8s/my app.yaml"),
            json!({"uri": "k8s/my%20app.yaml", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("./Dockerfile"),
            json!({"uri": "Dockerfile", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/srv/app/Dockerfile"),
            json!({"uri": "file:///srv/app/Dockerfile"})
        );
    }
}
