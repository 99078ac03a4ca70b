//! Applying fixes as text edits.

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
    let mut edits: Vec<Edit> = Vec::new();
    let mut applied = 0;
    for d in diagnostics {
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
        applied += 1;
    }
    let (out, _) = apply_edits(text, &edits);
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
}
