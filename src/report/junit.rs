//! JUnit XML for CI test reports: one test suite, one failed test case per
//! finding, and one passed test case per checked file without findings (so
//! a clean run still reports what it checked).

use super::{Positions, Redactor, xml_escape};
use crate::engine::LintResult;
use std::io::{self, Write};

pub fn write(result: &LintResult, out: &mut dyn Write) -> io::Result<()> {
    let redactor = Redactor::new(result);
    let mut positions = Positions::default();
    let mut has_finding = vec![false; result.files.len()];
    for d in &result.diagnostics {
        has_finding[d.file] = true;
    }
    let clean: Vec<usize> = result
        .files
        .iter()
        .filter(|f| f.source.kind.is_some() && !result.is_context(f.id) && !has_finding[f.id])
        .map(|f| f.id)
        .collect();
    let failures = result.diagnostics.len();
    let tests = failures + clean.len();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="deploylint" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    writeln!(
        out,
        r#"  <testsuite name="deploylint" tests="{tests}" failures="{failures}" errors="0" skipped="0">"#
    )?;
    for d in &result.diagnostics {
        let pos = positions.at(result, d.file, d.span.start);
        let path = xml_escape(&result.files[d.file].source.path);
        let message = redactor.redact(&d.message);
        writeln!(
            out,
            r#"    <testcase name="{code} at {path}:{line}:{col}" classname="{path}" file="{path}" line="{line}">"#,
            code = xml_escape(&d.code),
            line = pos.line,
            col = pos.column,
        )?;
        let help = d
            .help
            .as_deref()
            .map(|h| format!("\nhelp: {}", redactor.redact(h)))
            .unwrap_or_default();
        writeln!(
            out,
            r#"      <failure message="{}" type="{}">{}:{}:{}: {} [{}] {}{}</failure>"#,
            xml_escape(&message),
            xml_escape(&d.code),
            path,
            pos.line,
            pos.column,
            xml_escape(&d.code),
            d.severity,
            xml_escape(&message),
            xml_escape(&help),
        )?;
        writeln!(out, "    </testcase>")?;
    }
    for id in clean {
        let path = xml_escape(&result.files[id].source.path);
        writeln!(
            out,
            r#"    <testcase name="{path}" classname="{path}" file="{path}"/>"#
        )?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}
