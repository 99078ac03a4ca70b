//! GitHub Actions workflow commands: one annotation per finding,
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
//!
//! Escaping follows GitHub's runner (`escapeData`/`escapeProperty`): `%`,
//! CR and LF in the message; those plus `:` and `,` in properties.

use super::{Positions, Redactor, region, sanitize_for_terminal};
use crate::catalog::catalog;
use crate::diagnostic::Severity;
use crate::engine::LintResult;
use std::io::{self, Write};

/// The workflow command of each severity.
pub(crate) fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(result: &LintResult, out: &mut dyn Write) -> io::Result<()> {
    let redactor = Redactor::new(result);
    let mut positions = Positions::default();
    for d in &result.diagnostics {
        let (start, end) = region(result, &mut positions, d.file, d.span);
        let path = &result.files[d.file].source.path;
        let title = match catalog().get(&d.code) {
            Some(m) => format!("deploylint {} ({})", d.code, m.name),
            None => format!("deploylint {}", d.code),
        };
        // The log is shown as a terminal would: no escape sequences from files.
        let message = redactor.redact(&d.message);
        let message = sanitize_for_terminal(&message);
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            command(d.severity),
            escape_property(&sanitize_for_terminal(path)),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&title),
            escape_data(&format!("{} {message}", d.code)),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn severity_map_is_explicit() {
        assert_eq!(command(Severity::Error), "error");
        assert_eq!(command(Severity::Warning), "warning");
        assert_eq!(command(Severity::Info), "notice");
    }
}
