//! Offsets to lines and columns, built once per file.

/// A 1-based line and column. `column` counts Unicode scalar values;
/// `utf16_column` counts UTF-16 code units (what LSP clients expect).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub utf16_column: usize,
    pub offset: usize,
}

#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset at which each line starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        if !bytes.contains(&b'\r') {
            // The common case, `\n` alone: counted as byte sums per 64-byte
            // chunk (which vectorises), then found with memchr.
            let lines: usize = bytes
                .chunks(64)
                .map(|c| c.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>() as usize)
                .sum();
            let mut line_starts = Vec::with_capacity(lines + 1);
            line_starts.push(0);
            line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
            return LineIndex { line_starts };
        }
        // Counted first: the index lives as long as the file's findings, and
        // a guessed capacity either grows (copying) or wastes room.
        let lines = memchr_newlines(text.as_bytes()).count();
        let mut line_starts = Vec::with_capacity(lines + 1);
        line_starts.push(0);
        line_starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex { line_starts }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts (clamped to the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line.min(self.line_starts.len() - 1)]
    }

    /// Byte range of 0-based `line`, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let prefix = &text[start..offset];
        Position {
            line: line + 1,
            column: prefix.chars().count() + 1,
            utf16_column: prefix.encode_utf16().count() + 1,
            offset,
        }
    }

    /// Byte offset of a 0-based line and UTF-16 column (LSP positions).
    pub fn offset_of_utf16(&self, text: &str, line: usize, utf16_col: usize) -> usize {
        if line >= self.line_starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line);
        let mut units = 0;
        for (i, ch) in text[range.clone()].char_indices() {
            if units >= utf16_col {
                return range.start + i;
            }
            units += ch.len_utf16();
        }
        range.end
    }
}

/// Line terminators: `\n`, and a lone `\r` (old Mac line endings, a line
/// break in YAML); the `\r` of `\r\n` is part of the line.
fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter_map(|(i, b)| {
        (*b == b'\n' || *b == b'\r' && bytes.get(i + 1) != Some(&b'\n')).then_some(i)
    })
}

/// Lines with their terminators (`\n`, `\r\n` or a lone `\r`).
pub fn split_lines_inclusive(text: &str) -> impl Iterator<Item = &str> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let from = start;
        let i = match memchr::memchr2(b'\n', b'\r', &bytes[from..]) {
            Some(k) if bytes[from + k] == b'\r' && bytes.get(from + k + 1) == Some(&b'\n') => {
                from + k + 2
            }
            Some(k) => from + k + 1,
            None => bytes.len(),
        };
        start = i;
        Some(&text[from..i])
    })
}

/// Lines without their terminators, splitting at `\n`, `\r\n` and a lone `\r`.
pub fn lines_any(text: &str) -> impl Iterator<Item = &str> + '_ {
    split_lines_inclusive(text).map(|l| l.trim_end_matches(['\n', '\r']))
}

pub fn clamp_to_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_chars_and_utf16_units() {
        let text = "a: 1\nb: \"é😀x\"\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        let pos = idx.position(text, x);
        assert_eq!((pos.line, pos.column, pos.utf16_column), (2, 7, 8));
        assert_eq!(idx.offset_of_utf16(text, 1, 7), x);
        assert_eq!(idx.position(text, 0).line, 1);
        assert_eq!(idx.position(text, text.len()).line, 3);
    }

    #[test]
    fn line_range_strips_crlf() {
        let text = "ab\r\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(&text[idx.line_range(text, 0)], "ab");
        assert_eq!(&text[idx.line_range(text, 1)], "cd");
    }

    #[test]
    fn lone_cr_is_a_line_break() {
        let text = "ab\rcd\r\nef\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(&text[idx.line_range(text, 1)], "cd");
        assert_eq!(lines_any(text).collect::<Vec<_>>(), ["ab", "cd", "ef"]);
    }
}
