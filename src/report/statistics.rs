//! `--statistics`: the number of findings per rule, most frequent first,
//! with `[*]` on rules whose findings all carry a safe fix (as ruff prints).

use crate::catalog::catalog;
use crate::diagnostic::Applicability;
use crate::engine::LintResult;
use std::collections::BTreeMap;
use std::io::{self, Write};

pub fn write(result: &LintResult, out: &mut dyn Write) -> io::Result<()> {
    // code -> (count, safely fixable count)
    let mut by_code: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for d in &result.diagnostics {
        let e = by_code.entry(&*d.code).or_default();
        e.0 += 1;
        if d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
        {
            e.1 += 1;
        }
    }
    let mut rows: Vec<(&str, usize, usize)> =
        by_code.into_iter().map(|(c, (n, f))| (c, n, f)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let count_width = rows
        .iter()
        .map(|r| r.1.to_string().len())
        .max()
        .unwrap_or(1);
    let code_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(1);
    for (code, n, fixable) in &rows {
        let name = catalog().get(code).map_or("", |m| m.name);
        let mark = if *fixable == *n { "[*]" } else { "[ ]" };
        writeln!(out, "{n:>count_width$}  {code:<code_width$}  {mark} {name}")?;
    }
    let total: usize = rows.iter().map(|r| r.1).sum();
    let fixable: usize = rows.iter().map(|r| r.2).sum();
    if total == 0 {
        writeln!(out, "No problems found")?;
    } else {
        writeln!(
            out,
            "Found {total} finding{}",
            if total == 1 { "" } else { "s" }
        )?;
        if fixable > 0 {
            writeln!(out, "[*] {fixable} fixable with `--fix`")?;
        }
    }
    // What the cluster already guarantees (`platform:`), not reported.
    for (name, n) in &result.absorbed {
        let means = crate::config::platform::GUARANTEES
            .iter()
            .find(|g| g.name == *name)
            .map_or("", |g| g.means);
        writeln!(
            out,
            "{n} finding{} absorbed by platform.{name}: {means}",
            if *n == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}
