//! One line per finding, like ruff's `concise`:
//! `path:line:col: CODE [severity] message`, then the summary line.

use super::{HumanOptions, Positions, Redactor, sanitize_for_terminal};
use crate::engine::LintResult;
use std::io::{self, Write};

pub fn write(result: &LintResult, opts: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    if !opts.quiet {
        let redactor = Redactor::new(result);
        let mut positions = Positions::default();
        for d in &result.diagnostics {
            let pos = positions.at(result, d.file, d.span.start);
            let path = sanitize_for_terminal(&result.files[d.file].source.path);
            // One line per finding: a newline in a message would break that.
            let message = redactor.redact(&d.message).replace(['\n', '\r'], " ");
            writeln!(
                out,
                "{path}:{}:{}: {} [{}] {}",
                pos.line,
                pos.column,
                d.code,
                d.severity,
                sanitize_for_terminal(&message)
            )?;
        }
    }
    if opts.summary {
        super::human::write_summary(result, out)?;
    }
    Ok(())
}
