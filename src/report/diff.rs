//! `check --diff`: the unified diff `--fix` would apply, per file, computed
//! on the texts as shown (secrets masked: the masks keep byte offsets, so the
//! fixes' edits apply to the masked text as they do to the real one).

use super::sanitize_for_terminal;
use crate::diagnostic::Diagnostic;
use crate::engine::LintResult;

/// Lines of context around each change, as `diff -u`.
const CONTEXT: usize = 3;
/// Above this many cells (lines before x lines after, between the common
/// prefix and suffix) the changed middle is shown as one replacement
/// instead of computing the smallest diff.
const MAX_CELLS: usize = 4_000_000;

/// The diff of every file a fix would change, and how many files that is.
pub fn diff_fixes(result: &LintResult, include_unsafe: bool) -> (String, usize) {
    let mut out = String::new();
    let mut changed = 0;
    let redactor = super::Redactor::new(result);
    for file in &result.files {
        if file.source.kind.is_none() || result.is_context(file.id) {
            continue;
        }
        // As `--fix`: never a file that could not be read or parsed whole.
        let unparsed = result
            .diagnostics
            .iter()
            .any(|d| d.file == file.id && matches!(&*d.code, "E001" | "E006"));
        let diags: Vec<&Diagnostic> = result
            .diagnostics
            .iter()
            .filter(|d| d.file == file.id && d.fix.is_some())
            .collect();
        if diags.is_empty() || unparsed {
            continue;
        }
        let before = super::display_text(result, file.id);
        let (after, applied) = crate::fix::fixed_text(&before, &diags, include_unsafe);
        if applied == 0 || after == *before {
            continue;
        }
        let after = redactor.redact(&after).into_owned();
        let path = sanitize_for_terminal(&file.source.path);
        let body = unified(&before, &after);
        if body.is_empty() {
            continue;
        }
        changed += 1;
        out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
        out.push_str(&sanitize_for_terminal(&body));
    }
    (out, changed)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Same,
    Del,
    Add,
}

/// Hunks (`@@ -a,b +c,d @@` and their lines) turning `a` into `b`.
pub fn unified(a: &str, b: &str) -> String {
    let a: Vec<&str> = a.split_inclusive('\n').collect();
    let b: Vec<&str> = b.split_inclusive('\n').collect();
    let ops = line_ops(&a, &b);
    // Positions (0-based) in a and b at each op.
    let mut out = String::new();
    let mut i = 0;
    while i < ops.len() {
        if ops[i].0 == Op::Same {
            i += 1;
            continue;
        }
        // A hunk: from CONTEXT before this change to CONTEXT after the last
        // change that is closer than 2 x CONTEXT to the previous one.
        // Hunks are more than 2 x CONTEXT apart, so this context is free.
        let start = i.saturating_sub(CONTEXT);
        let mut end = i;
        let mut k = i;
        while k < ops.len() {
            if ops[k].0 != Op::Same {
                end = k;
                k += 1;
                continue;
            }
            let run = ops[k..].iter().take_while(|o| o.0 == Op::Same).count();
            if k + run < ops.len() && run <= 2 * CONTEXT {
                k += run;
            } else {
                break;
            }
        }
        let stop = (end + 1 + CONTEXT).min(ops.len());
        let (a0, b0) = (ops[start].1, ops[start].2);
        let a_len = ops[start..stop].iter().filter(|o| o.0 != Op::Add).count();
        let b_len = ops[start..stop].iter().filter(|o| o.0 != Op::Del).count();
        let range = |s: usize, n: usize| {
            if n == 0 {
                format!("{s},0")
            } else {
                format!("{},{n}", s + 1)
            }
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(a0, a_len),
            range(b0, b_len)
        ));
        for (op, ai, bi) in &ops[start..stop] {
            let (sign, line) = match op {
                Op::Same => (' ', a[*ai]),
                Op::Del => ('-', a[*ai]),
                Op::Add => ('+', b[*bi]),
            };
            out.push(sign);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        i = stop;
    }
    out
}

/// Each op with the indices of its line in `a` and `b` (the index the next
/// line would have, for the side it does not touch).
fn line_ops(a: &[&str], b: &[&str]) -> Vec<(Op, usize, usize)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<(Op, usize, usize)> = (0..prefix).map(|k| (Op::Same, k, k)).collect();
    let (n, m) = (am.len(), bm.len());
    if n.saturating_mul(m) > MAX_CELLS {
        ops.extend((0..n).map(|k| (Op::Del, prefix + k, prefix)));
        ops.extend((0..m).map(|k| (Op::Add, prefix + n, prefix + k)));
    } else {
        // Longest common subsequence, table of suffix lengths.
        let mut t = vec![0u32; (n + 1) * (m + 1)];
        for x in (0..n).rev() {
            for y in (0..m).rev() {
                t[x * (m + 1) + y] = if am[x] == bm[y] {
                    t[(x + 1) * (m + 1) + y + 1] + 1
                } else {
                    t[(x + 1) * (m + 1) + y].max(t[x * (m + 1) + y + 1])
                };
            }
        }
        let (mut x, mut y) = (0, 0);
        while x < n || y < m {
            if x < n && y < m && am[x] == bm[y] {
                ops.push((Op::Same, prefix + x, prefix + y));
                x += 1;
                y += 1;
            } else if x < n && (y == m || t[(x + 1) * (m + 1) + y] >= t[x * (m + 1) + y + 1]) {
                // Deletions before insertions, as `diff -u` prints them.
                ops.push((Op::Del, prefix + x, prefix + y));
                x += 1;
            } else {
                ops.push((Op::Add, prefix + x, prefix + y));
                y += 1;
            }
        }
    }
    let (a0, b0) = (a.len() - suffix, b.len() - suffix);
    ops.extend((0..suffix).map(|k| (Op::Same, a0 + k, b0 + k)));
    ops
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn one_changed_line_with_context() {
        let a = "1\n2\n3\n4\n5\n6\n7\n8\n";
        let b = "1\n2\n3\n4x\n5\n6\n7\n8\n";
        assert_eq!(
            unified(a, b),
            "@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+4x\n 5\n 6\n 7\n"
        );
    }

    #[test]
    fn insertion_far_changes_make_two_hunks_and_no_newline_is_marked() {
        let a: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let b = a
            .replacen("\n2\n", "\n2\nnew\n", 1)
            .replace("19\n20\n", "19\n20");
        let d = unified(&a, &b);
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
        assert!(d.contains("+new\n"), "{d}");
        assert!(d.contains("@@ -1,5 +1,6 @@"), "{d}");
        assert!(d.contains("+20\n\\ No newline at end of file\n"), "{d}");
        assert_eq!(unified("same\n", "same\n"), "");
    }
}
