//! Baselines: `check --write-baseline FILE` records the findings of a run;
//! `check --baseline FILE` reports only findings that are not in it, and
//! lists entries that no longer match anything.
//!
//! A finding's fingerprint is the rule code, the file and the normalised
//! text of the lines its span covers (whitespace collapsed, secrets masked),
//! hashed: inserting or removing lines elsewhere keeps it; changing the
//! offending line changes it. Identical fingerprints in one file are
//! counted, so a baseline with two entries silences two findings.

use crate::engine::LintResult;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

pub const VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    pub path: String,
    /// The line when recorded (informational; not part of the match).
    pub line: usize,
    pub fingerprint: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

pub struct Outcome {
    pub suppressed: usize,
    /// Entries no finding of this run matched.
    pub stale: Vec<Entry>,
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms (unlike
/// `DefaultHasher`), which a file checked into a repository needs.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The fingerprint of finding `i` of `result`.
pub fn fingerprint(result: &LintResult, i: usize, masked: &mut HashMap<usize, String>) -> Entry {
    let d = &result.diagnostics[i];
    let file = result.files.get(d.file);
    let path = file.map_or(String::new(), |f| f.source.path.clone());
    let (line, content) = match file {
        Some(f) => {
            let text = masked.entry(d.file).or_insert_with(|| {
                let masks = result.masks.get(&d.file).map_or(&[][..], Vec::as_slice);
                if masks.is_empty() {
                    f.source.text.clone()
                } else {
                    f.source.masked_text(masks)
                }
            });
            let start = d.span.start.min(text.len());
            let end = d.span.end.clamp(start, text.len());
            let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let to = text[end..].find('\n').map_or(text.len(), |i| end + i);
            let lines = text.get(from..to).unwrap_or_default();
            let normal: Vec<&str> = lines.split_whitespace().collect();
            (f.source.position(d.span.start).line, normal.join(" "))
        }
        None => (0, String::new()),
    };
    let key = format!("{}\u{0}{}\u{0}{}", d.code, path, content);
    Entry {
        code: d.code.to_string(),
        path,
        line,
        fingerprint: format!("{:016x}", fnv(key.as_bytes())),
    }
}

impl Baseline {
    pub fn of(result: &LintResult) -> Baseline {
        let mut cache = HashMap::new();
        let findings = (0..result.diagnostics.len())
            .map(|i| fingerprint(result, i, &mut cache))
            .collect();
        Baseline {
            version: VERSION,
            findings,
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline {}: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a deploylint baseline: {e}", path.display()))?;
        if b.version != VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (expected {VERSION})",
                path.display(),
                b.version
            ));
        }
        Ok(b)
    }

    /// Writes the file; returns how many findings it holds.
    pub fn write(&self, path: &Path) -> Result<usize, String> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(path, text)
            .map_err(|e| format!("cannot write the baseline {}: {e}", path.display()))?;
        Ok(self.findings.len())
    }

    /// Removes the findings the baseline holds from `result`.
    /// They stay in `result.suppressed` (external: `shown` is the baseline file).
    pub fn apply(&self, result: &mut LintResult, shown: &Path) -> Outcome {
        type Key = (String, String, String);
        let key = |e: &Entry| -> Key { (e.code.clone(), e.path.clone(), e.fingerprint.clone()) };
        let mut left: HashMap<Key, usize> = HashMap::new();
        for e in &self.findings {
            *left.entry(key(e)).or_default() += 1;
        }
        let totals = left.clone();
        let mut cache = HashMap::new();
        let mut keep = Vec::with_capacity(result.diagnostics.len());
        for i in 0..result.diagnostics.len() {
            let fp = fingerprint(result, i, &mut cache);
            let slot = left.get_mut(&key(&fp));
            match slot {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    keep.push(false);
                }
                _ => keep.push(true),
            }
        }
        let suppressed = keep.iter().filter(|k| !**k).count();
        // Baselined findings stay in the result as suppressed (SARIF lists them).
        let mut kept = Vec::with_capacity(result.diagnostics.len());
        for (d, k) in std::mem::take(&mut result.diagnostics)
            .into_iter()
            .zip(keep.into_iter().chain(std::iter::repeat(true)))
        {
            if k {
                kept.push(d);
            } else {
                result.suppressed.push(crate::engine::Suppressed {
                    diagnostic: d,
                    kind: crate::engine::SuppressionKind::External,
                    justification: format!("in the baseline {}", shown.display()),
                });
            }
        }
        result.diagnostics = kept;
        let mut stale = Vec::new();
        let mut seen: HashMap<Key, usize> = HashMap::new();
        for e in &self.findings {
            let k = key(e);
            let remaining = left.get(&k).copied().unwrap_or(0);
            let n = seen.entry(k.clone()).or_default();
            // The last `remaining` entries of each key are the unmatched ones.
            let total = totals.get(&k).copied().unwrap_or(0);
            if *n >= total - remaining {
                stale.push(e.clone());
            }
            *n += 1;
        }
        Outcome { suppressed, stale }
    }
}
