//! GitLab Code Quality report: a JSON array of issues with `description`,
//! `check_name`, `fingerprint`, `severity` and `location.path` /
//! `location.lines.begin` (GitLab's required fields), plus `categories`.

use super::{Positions, Redactor, fingerprints, region};
use crate::catalog::catalog;
use crate::diagnostic::Severity;
use crate::engine::LintResult;
use serde::Serialize;
use std::io::{self, Write};

/// Code Quality severities: `info`, `minor`, `major`, `critical`, `blocker`.
/// Warnings fail a run by default (`--fail-on warning`), so they are major.
pub(crate) fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    categories: Vec<&'static str>,
    location: Location<'a>,
}

/// Code Quality categories closest to the catalog's.
fn category(c: Option<&str>) -> &'static str {
    match c {
        Some("security") => "Security",
        Some("performance") => "Performance",
        Some("style") => "Style",
        _ => "Bug Risk",
    }
}

/// (Generic over the writer: serde_json's many small writes then reach the
/// buffer inline instead of through a vtable.)
pub fn write<W: Write>(result: &LintResult, out: &mut W) -> io::Result<()> {
    let redactor = Redactor::new(result);
    let mut positions = Positions::default();
    let prints = fingerprints(result);
    let issues: Vec<Issue<'_>> = result
        .diagnostics
        .iter()
        .zip(prints)
        .map(|(d, fingerprint)| {
            let (start, end) = region(result, &mut positions, d.file, d.span);
            let meta = catalog().get(&d.code);
            Issue {
                kind: "issue",
                description: format!("{}: {}", d.code, redactor.redact(&d.message)),
                check_name: &d.code,
                fingerprint,
                severity: severity(d.severity),
                categories: vec![category(meta.map(|m| m.category))],
                location: Location {
                    path: &result.files[d.file].source.path,
                    lines: Lines {
                        begin: start.line,
                        end: end.line.max(start.line),
                    },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_map_is_explicit() {
        assert_eq!(severity(Severity::Error), "critical");
        assert_eq!(severity(Severity::Warning), "major");
        assert_eq!(severity(Severity::Info), "info");
    }
}
