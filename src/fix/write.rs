//! Writing fixed text back without damaging the file.
//!
//! For each file: the text is re-read and must still be what was linted (else
//! the file changed under us and is left alone); symlinks are followed to the
//! file they name; read-only files are refused; the UTF-8 BOM is kept. The new
//! text goes to a unique temporary file created with `O_EXCL` next to the
//! target, with the target's mode (and owner, where allowed), is synced, and
//! renamed over the target, so a crash or a concurrent run never leaves half a
//! file or another file's text. A file with several hard links, whose owner
//! cannot be kept, or in a directory where no file can be created, is rewritten
//! in place instead (the links and the owner stay).
//! Any failure leaves that file untouched and becomes a located `E007` finding;
//! the other files are still fixed. In-memory inputs (standard input) are never
//! written: their fixed text is returned for the caller to print.

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::{Input, LintResult};
use crate::source::{FileKind, Span};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const FIX_NOT_WRITTEN: &str = "E007";

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where an input of the run lives, for `--fix`: a file on disk, or an
/// in-memory input (standard input) with its original text and BOM.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: Option<PathBuf>,
    /// In-memory inputs: the text as read (`None` when it could not be read).
    original: Option<String>,
    bom: bool,
}

/// One [`Target`] per input, in input order (the ids the engine gives them).
/// Takes the UTF-8 BOM off in-memory texts (standard input keeps it when
/// read, see `source::read_bounded`) and remembers it, so printed fixed text
/// has it again. Call it on every run, before linting.
pub fn prepare(inputs: &mut [Input]) -> Vec<Target> {
    inputs
        .iter_mut()
        .map(|input| {
            let mut bom = false;
            if let (None, Some(Ok(text))) = (&input.path, &mut input.text) {
                if let Some(rest) = text.strip_prefix('\u{feff}') {
                    *text = rest.to_owned();
                    bom = true;
                }
            }
            let original = match (&input.path, &input.text) {
                (None, Some(Ok(t))) => Some(t.clone()),
                _ => None,
            };
            Target {
                path: input.path.clone(),
                original,
                bom,
            }
        })
        .collect()
}

/// What `--fix` did.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings fixed, over all files written (and in-memory inputs).
    pub fixed: usize,
    /// Inputs that could not be fixed: (displayed path, why).
    pub errors: Vec<(String, String)>,
    /// In-memory inputs (standard input), in input order: display name, kind
    /// (`None`: not linted), and the text to print: the fixed text, or the
    /// input unchanged when nothing was fixed or it is not a config.
    pub in_memory: Vec<(String, Option<FileKind>, String)>,
    /// Every fix written (or printed, for standard input): displayed path,
    /// rule code and the fix's title, in file order.
    pub applied: Vec<(String, String, String)>,
}

impl Applied {
    /// The in-memory inputs with their fixed text, to lint again.
    pub fn in_memory_inputs(&self) -> Vec<Input> {
        self.in_memory
            .iter()
            .filter_map(|(name, kind, text)| {
                Some(Input {
                    display: name.clone(),
                    path: None,
                    guess: crate::discover::NameGuess::Kind((*kind)?),
                    text: Some(Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned())),
                })
            })
            .collect()
    }

    /// Adds one located error finding per file that could not be written.
    pub fn report_into(&self, result: &mut LintResult) {
        for (path, why) in &self.errors {
            let Some(file) = result.files.iter().find(|f| f.source.path == *path) else {
                continue;
            };
            result.diagnostics.push(
                Diagnostic::new(
                    FIX_NOT_WRITTEN,
                    Severity::Error,
                    file.id,
                    Span::at(0),
                    format!("fixes not written: {why}"),
                )
                .with_help("The file is unchanged; fix the cause (permissions, a concurrent edit) and run `--fix` again"),
            );
        }
    }
}

/// Applies the fixes of `result` (safe ones, and unsafe ones too when asked).
/// `targets[id]` says where input `id` lives ([`prepare`]); files whose id is
/// past the end of `targets` (context files no one named) are left alone.
/// In-memory inputs are never written: their text to print is returned.
pub fn apply(result: &LintResult, targets: &[Target], include_unsafe: bool) -> Applied {
    let mut out = Applied::default();
    for file in &result.files {
        let Some(target) = targets.get(file.id) else {
            continue;
        };
        let kind = file.source.kind;
        // Never rewrite a file that could not be read or whose parser failed
        // (documents themselves may have been dropped after the rules ran).
        let unparsed = result
            .diagnostics
            .iter()
            .any(|d| d.file == file.id && matches!(&*d.code, "E001" | "E006"));
        let diags: Vec<&Diagnostic> = result
            .diagnostics
            .iter()
            .filter(|d| d.file == file.id && d.fix.is_some())
            .collect();
        let (text, which) = if diags.is_empty() || unparsed || kind.is_none() {
            (file.source.text.clone(), Vec::new())
        } else {
            super::fixed_text_applied(&file.source.text, &diags, include_unsafe)
        };
        let applied = which.len();
        let titles = || {
            which.iter().map(|&i| {
                let d = diags[i];
                let title = d.fix.as_ref().map_or(String::new(), |f| f.title.clone());
                (file.source.path.clone(), d.code.to_string(), title)
            })
        };
        let Some(path) = &target.path else {
            // Standard input: print the fixed text, or the input as it came
            // (an editor replaces its buffer with what is printed).
            let text = if applied > 0 {
                Some(text)
            } else {
                target.original.clone()
            };
            match text {
                Some(t) => {
                    out.fixed += applied;
                    out.applied.extend(titles());
                    let t = if target.bom {
                        format!("\u{feff}{t}")
                    } else {
                        t
                    };
                    out.in_memory.push((file.source.path.clone(), kind, t));
                }
                None => out.errors.push((
                    file.source.path.clone(),
                    "standard input could not be read whole, so nothing is printed".into(),
                )),
            }
            continue;
        };
        if kind.is_none() || applied == 0 || text == file.source.text {
            continue;
        }
        match write_fixed(path, &file.source.text, &text) {
            Ok(()) => {
                out.fixed += applied;
                out.applied.extend(titles());
            }
            Err(e) => out.errors.push((file.source.path.clone(), e)),
        }
    }
    out
}

/// Replaces the text of the file at `path` (which must still hold `before`)
/// with `after`. Errors are messages for the user; the file is then untouched.
pub fn write_fixed(path: &Path, before: &str, after: &str) -> Result<(), String> {
    // Write through symlinks: the link stays, the file it names is fixed.
    let target = fs::canonicalize(path).map_err(|e| format!("cannot resolve the path: {e}"))?;
    let meta = fs::metadata(&target).map_err(|e| format!("cannot read its metadata: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.permissions().readonly() {
        return Err("the file is read-only".into());
    }
    let current = fs::read(&target).map_err(|e| format!("cannot read it again: {e}"))?;
    let bom = current.starts_with(BOM);
    let body = if bom {
        &current[BOM.len()..]
    } else {
        &current[..]
    };
    if body != before.as_bytes() {
        return Err("the file changed since it was read".into());
    }
    // Checked here, not assumed: root may open anything, others may be able to
    // replace a file (writable directory) they cannot write.
    OpenOptions::new()
        .write(true)
        .open(&target)
        .map_err(|e| format!("cannot open it for writing: {e}"))?;
    let mut bytes = Vec::with_capacity(after.len() + 3);
    if bom {
        bytes.extend_from_slice(BOM);
    }
    bytes.extend_from_slice(after.as_bytes());
    if must_write_in_place(&meta) {
        return write_in_place(&target, &bytes).map_err(|e| format!("cannot write it: {e}"));
    }
    match replace_atomically(&target, &meta, &bytes) {
        Ok(()) => Ok(()),
        // Owner could not be kept, or no file can be created beside it:
        // rewriting in place keeps the owner and needs no new file.
        Err(ReplaceError::Owner) => {
            write_in_place(&target, &bytes).map_err(|e| format!("cannot write it: {e}"))
        }
        Err(ReplaceError::Io(e)) => Err(format!("cannot write it: {e}")),
    }
}

#[cfg(unix)]
fn must_write_in_place(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn must_write_in_place(_: &fs::Metadata) -> bool {
    false
}

fn write_in_place(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).truncate(true).open(target)?;
    f.write_all(bytes)?;
    f.sync_all()
}

enum ReplaceError {
    /// Rewrite in place instead.
    Owner,
    Io(io::Error),
}

impl From<io::Error> for ReplaceError {
    fn from(e: io::Error) -> Self {
        ReplaceError::Io(e)
    }
}

/// A temporary name next to `target` no other process uses: pid, a counter
/// and the time, and `O_EXCL` on top.
fn temp_path(target: &Path, attempt: usize) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = format!(
        ".{name}.deploylint-{}-{n}-{nanos:x}-{attempt}.tmp",
        std::process::id()
    );
    target.with_file_name(tmp)
}

fn create_temp(target: &Path) -> io::Result<(PathBuf, File)> {
    let mut last = None;
    for attempt in 0..16 {
        let tmp = temp_path(target, attempt);
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

fn replace_atomically(
    target: &Path,
    meta: &fs::Metadata,
    bytes: &[u8],
) -> Result<(), ReplaceError> {
    let (tmp, mut f) = match create_temp(target) {
        Ok(x) => x,
        // A directory we may not add files to: the file itself is writable
        // (checked before), so it is rewritten in place.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => return Err(ReplaceError::Owner),
        Err(e) => return Err(e.into()),
    };
    let result = (|| -> Result<(), ReplaceError> {
        f.write_all(bytes)?;
        keep_owner(&tmp, meta)?;
        fs::set_permissions(&tmp, meta.permissions())?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, target)?;
        // Make the rename itself durable (best effort).
        if let Some(dir) = target.parent() {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(unix)]
fn keep_owner(tmp: &Path, meta: &fs::Metadata) -> Result<(), ReplaceError> {
    use std::os::unix::fs::MetadataExt;
    let now = fs::metadata(tmp)?;
    if now.uid() == meta.uid() && now.gid() == meta.gid() {
        return Ok(());
    }
    std::os::unix::fs::chown(tmp, Some(meta.uid()), Some(meta.gid()))
        .map_err(|_| ReplaceError::Owner)
}

#[cfg(not(unix))]
fn keep_owner(_: &Path, _: &fs::Metadata) -> Result<(), ReplaceError> {
    Ok(())
}
