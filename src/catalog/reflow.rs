//! Reflowing a catalog remediation into one-line paragraphs. build.rs
//! includes this file too, to reflow each entry once at build time.

/// Joins the lines of each paragraph; keeps blank lines, list items and
/// indented (code) lines as they are.
pub fn reflow(text: &str) -> String {
    let mut out = String::new();
    let mut prev_joinable = false;
    for line in text.trim().lines() {
        let t = line.trim_end();
        let keep = t.is_empty() || t.starts_with("- ") || t.starts_with("* ") || t.starts_with(' ');
        if out.is_empty() {
            out.push_str(t);
        } else if prev_joinable && !keep {
            out.push(' ');
            out.push_str(t);
        } else {
            out.push('\n');
            out.push_str(t);
        }
        prev_joinable = !t.is_empty() && !t.starts_with(' ');
    }
    out
}
