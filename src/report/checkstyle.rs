//! Checkstyle XML: one `<file>` per file with findings, one `<error>` per
//! finding (`source` is `deploylint.CODE`). Every value is XML-escaped.

use super::{Positions, Redactor, xml_escape};
use crate::engine::LintResult;
use std::io::{self, Write};

pub fn write(result: &LintResult, out: &mut dyn Write) -> io::Result<()> {
    let redactor = Redactor::new(result);
    let mut positions = Positions::default();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    let mut open: Option<usize> = None;
    for d in &result.diagnostics {
        if open != Some(d.file) {
            if open.is_some() {
                writeln!(out, "  </file>")?;
            }
            let path = &result.files[d.file].source.path;
            writeln!(out, r#"  <file name="{}">"#, xml_escape(path))?;
            open = Some(d.file);
        }
        let pos = positions.at(result, d.file, d.span.start);
        writeln!(
            out,
            r#"    <error line="{}" column="{}" severity="{}" message="{}" source="deploylint.{}"/>"#,
            pos.line,
            pos.column,
            d.severity,
            xml_escape(&redactor.redact(&d.message)),
            xml_escape(&d.code),
        )?;
    }
    if open.is_some() {
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
