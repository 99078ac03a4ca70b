//! Applying fixes as text edits; [`write`] puts them on disk safely.

pub mod write;

use crate::diagnostic::{Applicability, Diagnostic, Edit};

/// Applies edits to `text`. Edits must not overlap; an overlapping edit is
/// skipped (and counted) rather than corrupting the file.
pub fn apply_edits(text: &str, edits: &[Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut skipped = 0;
    for e in sorted {
        if e.span.start < pos
            || e.span.end > text.len()
            || !text.is_char_boundary(e.span.start)
            || !text.is_char_boundary(e.span.end)
        {
            skipped += 1;
            continue;
        }
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.replacement);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    (out, skipped)
}

/// The edits of every fix at or below `max` applicability for one file, one
/// fix at a time so that a fix is applied whole or not at all.
pub fn fixed_text(
    text: &str,
    diagnostics: &[&Diagnostic],
    include_unsafe: bool,
) -> (String, usize) {
    let (out, applied) = fixed_text_applied(text, diagnostics, include_unsafe);
    (out, applied.len())
}

/// The fixes `--fix` would apply to the files of `result` (overlapping ones
/// drop out as they would): (displayed path, rule code, fix title).
pub fn planned(
    result: &crate::engine::LintResult,
    include_unsafe: bool,
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for file in &result.files {
        if file.source.kind.is_none() || result.is_context(file.id) {
            continue;
        }
        let diags: Vec<&Diagnostic> = result
            .diagnostics
            .iter()
            .filter(|d| d.file == file.id && d.fix.is_some())
            .collect();
        if diags.is_empty() {
            continue;
        }
        let (_, which) = fixed_text_applied(&file.source.text, &diags, include_unsafe);
        out.extend(which.into_iter().map(|i| {
            let d = diags[i];
            let title = d.fix.as_ref().map_or(String::new(), |f| f.title.clone());
            (file.source.path.clone(), d.code.to_string(), title)
        }));
    }
    out
}

/// [`fixed_text`], also saying which of `diagnostics` (by index) were applied.
pub fn fixed_text_applied(
    text: &str,
    diagnostics: &[&Diagnostic],
    include_unsafe: bool,
) -> (String, Vec<usize>) {
    let mut edits: Vec<Edit> = Vec::new();
    let mut applied = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let Some(fix) = &d.fix else { continue };
        if fix.applicability == Applicability::Unsafe && !include_unsafe {
            continue;
        }
        let overlaps = fix.edits.iter().any(|e| {
            edits.iter().any(|o| {
                e.span.start < o.span.end.max(o.span.start + 1)
                    && o.span.start < e.span.end.max(e.span.start + 1)
            })
        });
        if overlaps {
            continue;
        }
        edits.extend(fix.edits.iter().cloned());
        applied.push(i);
    }
    // Inserted lines use the file's line ending.
    if text.contains("\r\n") {
        for e in &mut edits {
            if e.replacement.contains('\n') {
                e.replacement = e.replacement.replace("\r\n", "\n").replace('\n', "\r\n");
            }
        }
    }
    let (mut out, _) = apply_edits(text, &edits);
    // A file without a final newline does not get one from a fix.
    if !text.is_empty() && !text.ends_with('\n') {
        let trimmed = out.trim_end_matches(['\r', '\n']).len();
        out.truncate(trimmed);
    }
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let edits = vec![
            Edit {
                span: Span::new(4, 5),
                replacement: "X".into(),
            },
            Edit {
                span: Span::new(0, 1),
                replacement: "ab".into(),
            },
            Edit {
                span: Span::new(4, 6),
                replacement: "Y".into(),
            },
            Edit {
                span: Span::at(6),
                replacement: "!".into(),
            },
        ];
        let (out, skipped) = apply_edits("0123456", &edits);
        assert_eq!(out, "ab123X5!6");
        assert_eq!(skipped, 1);
    }

    #[test]
    fn inserted_lines_follow_crlf_and_no_final_newline_is_added() {
        use crate::diagnostic::{Diagnostic, Fix, Severity};
        let text = "[www]\r\npm = dynamic";
        let mut d = Diagnostic::new("X", Severity::Warning, 0, Span::at(0), "m");
        d.fix = Some(Box::new(Fix::safe(
            "t",
            vec![Edit {
                span: Span::at(text.len()),
                replacement: "\npm.max_requests = 500\n".into(),
            }],
        )));
        let (out, n) = fixed_text(text, &[&d], false);
        assert_eq!(n, 1);
        assert_eq!(out, "[www]\r\npm = dynamic\r\npm.max_requests = 500");
    }
}
