//! Source files: text, kind, and a line index, read once per run.

pub mod hash;
mod line_index;
pub mod small;
mod span;

pub use line_index::{
    LineIndex, Position, clamp_to_char_boundary, lines_any, split_lines_inclusive,
};
pub use span::Span;

use std::fmt;
use std::path::Path;

/// The configuration formats deploylint understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Dockerfile,
    PhpFpm,
    PhpIni,
    Octane,
    /// Laravel Horizon's `config/horizon.php`.
    Horizon,
    /// Laravel's route files (`routes/*.php`), `bootstrap/app.php` and
    /// `app/Providers/RouteServiceProvider.php`: the URIs the app defines.
    LaravelRoutes,
    RoadRunner,
    Kubernetes,
    Compose,
    /// Caddy / FrankenPHP `Caddyfile`.
    Caddyfile,
    /// `.env`, `.env.*` (dotenv files read by Laravel and compose).
    DotEnv,
    /// nginx configuration (`nginx.conf`, server blocks, snippets).
    Nginx,
    /// kustomize's `kustomization.yaml` (resources, generators, what a build adds).
    Kustomization,
}

impl FileKind {
    pub const ALL: [FileKind; 13] = [
        FileKind::Dockerfile,
        FileKind::PhpFpm,
        FileKind::PhpIni,
        FileKind::Octane,
        FileKind::Horizon,
        FileKind::LaravelRoutes,
        FileKind::RoadRunner,
        FileKind::Kubernetes,
        FileKind::Compose,
        FileKind::Caddyfile,
        FileKind::DotEnv,
        FileKind::Nginx,
        FileKind::Kustomization,
    ];

    /// The name used in config files, the catalog and `--verbose` output.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Dockerfile => "dockerfile",
            FileKind::PhpFpm => "php-fpm",
            FileKind::PhpIni => "php-ini",
            FileKind::Octane => "octane",
            FileKind::Horizon => "horizon",
            FileKind::LaravelRoutes => "laravel-routes",
            FileKind::RoadRunner => "roadrunner",
            FileKind::Kubernetes => "kubernetes",
            FileKind::Compose => "compose",
            FileKind::Caddyfile => "caddyfile",
            FileKind::DotEnv => "dotenv",
            FileKind::Nginx => "nginx",
            FileKind::Kustomization => "kustomization",
        }
    }

    pub fn from_name(name: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One file of the run, with its text already decoded.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown to the user (relative to the working directory when possible).
    pub path: String,
    pub kind: Option<FileKind>,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, kind: Option<FileKind>, text: String) -> Self {
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            kind,
            text,
            lines,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.text, offset)
    }

    /// The same as [`position`](Self::position), counted on from `base` (a
    /// position computed before) when `offset` is after it on the same line:
    /// costs the distance from `base`, not from the start of the line, so
    /// many findings on one very long line stay linear.
    pub fn position_after(&self, base: Position, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(&self.text, offset);
        let base_offset = clamp_to_char_boundary(&self.text, base.offset);
        if offset < base_offset
            || base_offset != base.offset
            || self.lines.line_of(offset) + 1 != base.line
        {
            return self.position(offset);
        }
        let between = &self.text[base_offset..offset];
        Position {
            line: base.line,
            column: base.column + between.chars().count(),
            utf16_column: base.utf16_column + between.encode_utf16().count(),
            offset,
        }
    }

    pub fn slice(&self, span: Span) -> &str {
        let start = clamp_to_char_boundary(&self.text, span.start);
        let end = clamp_to_char_boundary(&self.text, span.end.max(start));
        &self.text[start..end]
    }

    /// The text with each byte of the given spans replaced by `*`. Offsets are
    /// unchanged, so every span still points at the same place.
    pub fn masked_text(&self, masks: &[Span]) -> String {
        let mut bytes = self.text.clone().into_bytes();
        for span in masks {
            let end = span.end.min(bytes.len());
            for b in &mut bytes[span.start.min(end)..end] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b'*';
                }
            }
        }
        // Whole multi-byte characters inside a mask become several `*`; bytes outside
        // masks are untouched, so the result is valid UTF-8 unless a mask split a
        // character, which `from_utf8_lossy` repairs.
        match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }
}

/// Why a file's text could not be used.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// A stream longer than the limit (its size is unknown).
    TooLong {
        limit: u64,
    },
    Binary {
        offset: usize,
    },
    InvalidUtf8 {
        offset: usize,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "file could not be read: {e}"),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "file could not be read: {size} bytes is over the {limit}-byte limit"
            ),
            ReadError::TooLong { limit } => write!(
                f,
                "input could not be read: it is longer than the {limit}-byte limit"
            ),
            ReadError::Binary { offset } => write!(
                f,
                "file could not be read: it looks binary (NUL byte at offset {offset})"
            ),
            ReadError::InvalidUtf8 { offset } => write!(
                f,
                "file could not be read: invalid UTF-8 at byte offset {offset}"
            ),
        }
    }
}

impl ReadError {
    /// Where in the file the problem is, when it has a place.
    pub fn offset(&self) -> usize {
        match self {
            ReadError::Binary { offset } | ReadError::InvalidUtf8 { offset } => *offset,
            _ => 0,
        }
    }
}

/// Reads a file, refusing files over `limit` bytes, binary files and invalid UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String, (ReadError, String)> {
    use std::io::Read;
    let io = |e| (ReadError::Io(e), String::new());
    // One open and one `fstat` (not a `stat` by name, then an open).
    let mut file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    let size = meta.len();
    if size > limit {
        return Err((ReadError::TooLarge { size, limit }, String::new()));
    }
    let mut bytes = Vec::new();
    if meta.is_file() && size > 0 {
        // One read into room for a byte more than `fstat` said: a regular
        // file that gives exactly its size is whole (`read_to_end` would
        // make a second call to see the end).
        bytes.resize(size as usize + 1, 0);
        let n = match file.read(&mut bytes) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => 0,
            Err(e) => return Err(io(e)),
        };
        bytes.truncate(n);
        if n as u64 == size {
            return decode(bytes, limit);
        }
    }
    // The size changed under us, or this is not a regular file: read to the
    // end, never more than the limit allows.
    let read = bytes.len() as u64;
    file.by_ref()
        .take(limit.saturating_add(1).saturating_sub(read))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    decode(bytes, limit)
}

/// Reads a stream (standard input) under the same rules, never holding more
/// than `limit + 1` bytes: a longer stream is `TooLong`, not an abort. Unlike
/// [`decode`], a UTF-8 BOM is kept: `fix::write::prepare` takes it off and
/// remembers it, so `check - --fix` prints it back.
pub fn read_bounded(reader: impl std::io::Read, limit: u64) -> Result<String, (ReadError, String)> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let mut take = reader.take(limit.saturating_add(1));
    if let Err(e) = take.read_to_end(&mut bytes) {
        return Err((ReadError::Io(e), String::new()));
    }
    if bytes.len() as u64 > limit {
        return Err((ReadError::TooLong { limit }, String::new()));
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    decode(bytes, limit).map(|t| if bom { format!("\u{feff}{t}") } else { t })
}

/// Decodes bytes already in memory (stdin, LSP buffers) under the same rules.
/// On failure the error comes with the valid UTF-8 prefix, so a snippet can
/// still show the line where decoding stopped.
pub fn decode(bytes: Vec<u8>, limit: u64) -> Result<String, (ReadError, String)> {
    if bytes.len() as u64 > limit {
        return Err((
            ReadError::TooLarge {
                size: bytes.len() as u64,
                limit,
            },
            String::new(),
        ));
    }
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        let prefix = valid_prefix(&bytes[..offset]);
        return Err((ReadError::Binary { offset }, prefix));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                // Dropped, as editors and YAML parsers do: offsets and columns count
                // from after it. `--fix` puts it back (fix::write).
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let prefix = valid_prefix(&e.as_bytes()[..offset]);
            Err((ReadError::InvalidUtf8 { offset }, prefix))
        }
    }
}

fn valid_prefix(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(e) => String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_text_reads_whole_files_and_files_without_a_size() {
        let d = std::env::temp_dir().join(format!("dl-read-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let f = d.join("a.ini");
        let text = "memory_limit = 256M\n".repeat(1000);
        std::fs::write(&f, &text).unwrap();
        assert_eq!(read_text(&f, 1 << 20).unwrap(), text);
        std::fs::write(&f, "").unwrap();
        assert_eq!(read_text(&f, 1 << 20).unwrap(), "");
        // `/proc` files say size 0 and still have content.
        let status = read_text(Path::new("/proc/self/status"), 1 << 20).unwrap();
        assert!(status.contains("Name:"), "{status}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn decode_rejects_nul_and_bad_utf8_with_offsets() {
        let (err, prefix) = decode(b"ab\ncd\0ef".to_vec(), 100).unwrap_err();
        assert!(matches!(err, ReadError::Binary { offset: 5 }));
        assert_eq!(prefix, "ab\ncd");
        let (err, _) = decode(b"ok\n\xff\xfe".to_vec(), 100).unwrap_err();
        assert!(matches!(err, ReadError::InvalidUtf8 { offset: 3 }));
        let (err, _) = decode(vec![b'a'; 11], 10).unwrap_err();
        assert!(matches!(
            err,
            ReadError::TooLarge {
                size: 11,
                limit: 10
            }
        ));
    }

    #[test]
    fn masking_keeps_offsets() {
        let f = SourceFile::new("x", None, "pw: hunter2 # ok\n".into());
        let masked = f.masked_text(&[Span::new(4, 11)]);
        assert_eq!(masked, "pw: ******* # ok\n");
    }
}
