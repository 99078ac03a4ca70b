//! `--show-fixes`: the fixes `--fix` applied (or, without `--fix`, would
//! apply), grouped by file and rule, as ruff prints them. Secrets are
//! scrubbed from fix titles like from every other output.

use super::Redactor;
use crate::engine::LintResult;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// `fixes`: (displayed path, rule code, fix title) per fix, in file order.
/// `applied`: the fixes were written (`Fixed N`) or only listed (`Would fix N`).
pub fn render(result: &LintResult, fixes: &[(String, String, String)], applied: bool) -> String {
    if fixes.is_empty() {
        return if applied {
            "No fixes applied\n".into()
        } else {
            "No fixes available\n".into()
        };
    }
    let redactor = Redactor::new(result);
    let catalog = crate::catalog::catalog();
    let mut by_file: BTreeMap<&str, BTreeMap<(&str, &str), usize>> = BTreeMap::new();
    for (path, code, title) in fixes {
        *by_file
            .entry(path)
            .or_default()
            .entry((code, title))
            .or_default() += 1;
    }
    let n = fixes.len();
    let mut out = format!(
        "{} {n} finding{}{}:\n",
        if applied { "Fixed" } else { "Would fix" },
        if n == 1 { "" } else { "s" },
        if applied { "" } else { " with --fix" }
    );
    for (path, rules) in by_file {
        let _ = writeln!(out, "- {}:", super::sanitize_for_terminal(path));
        for ((code, title), count) in rules {
            let name = catalog.get(code).map_or("", |m| m.name);
            let _ = writeln!(
                out,
                "    {count} × {code} ({name}): {}",
                redactor.redact(&super::sanitize_for_terminal(title))
            );
        }
    }
    out
}
