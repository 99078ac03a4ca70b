//! Finds the members of a JSON object in its text without parsing the
//! values, so a bundled schema can be indexed at start-up and each
//! definition parsed only when a manifest reaches it.
//!
//! Only as strict as the bundled files need: it checks the structure
//! (quotes, escapes, nesting), not the grammar of numbers and literals;
//! anything it cannot read gives `None`, and a test compares it with a full
//! parse of every bundled version.

/// The members of the object starting at `start` (its `{`): each key (as
/// written between its quotes, `None` for the whole result if a key has an
/// escape) and the byte range of its value.
pub fn members(text: &str, start: usize) -> Option<Vec<(&str, std::ops::Range<usize>)>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, start);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut out = Vec::new();
    if b.get(i) == Some(&b'}') {
        return Some(out);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(b, i)?;
        let key = text.get(i + 1..key_end - 1)?;
        if key.contains('\\') {
            return None;
        }
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(b, i + 1);
        let value_end = value_end(b, value_start)?;
        out.push((key, value_start..value_end));
        i = skip_ws(b, value_end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return Some(out),
            _ => return None,
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end (after the closing quote) of the string starting at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        // (A byte search: strings are most of a schema's text.)
        j += b.get(j..)?.iter().position(|&c| c == b'"' || c == b'\\')?;
        if b[j] == b'"' {
            return Some(j + 1);
        }
        j += 2;
    }
}

/// The end of the value starting at `i`: a string, an object or array
/// (brackets counted outside strings), or a literal.
pub fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while b
                .get(j)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_their_values() {
        let text =
            r#" { "a" : {"x": [1, "]}", {"y": "\"}"}]}, "b":true,"c":"s\\" , "d": -1.5e3 } "#;
        let m = members(text, 0).expect("members");
        let got: Vec<(&str, &str)> = m.iter().map(|(k, r)| (*k, &text[r.clone()])).collect();
        assert_eq!(
            got,
            vec![
                ("a", r#"{"x": [1, "]}", {"y": "\"}"}]}"#),
                ("b", "true"),
                ("c", r#""s\\""#),
                ("d", "-1.5e3"),
            ]
        );
        assert_eq!(members("{}", 0).map(|m| m.len()), Some(0));
    }

    #[test]
    fn broken_text_gives_none_not_a_panic() {
        for t in [
            "",
            "{",
            "{\"a\"",
            "{\"a\":",
            "{\"a\":}",
            "{\"a\":1,",
            "{\"a\" 1}",
            "{\"a\":[1}",
            "{\"a\":\"x",
            "[1]",
            "{\"a\":1]",
            "{\"\\u0061\":1}",
            "{\"a\":1}}",
        ] {
            let m = members(t, 0);
            // `{"a":1}}` reads as one member: the trailing text is not looked at.
            assert!(m.is_none() || t == "{\"a\":1}}", "{t:?} gave {m:?}");
        }
    }
}
