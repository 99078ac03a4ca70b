//! The physical reference for manifests (run by hand): reads every file
//! named on the command line (directories are walked for `*.yaml`/`*.yml`)
//! and runs saphyr-parser's event-only pass over it, building no tree. The
//! benchmark suite times this against `deploylint check` on the same files.
//!
//!     cargo run --release --example yaml-events -- DIR...

use saphyr_parser::{Event, Parser};
use std::path::{Path, PathBuf};

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            walk(&e, out);
        }
    } else if p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e == "yaml" || e == "yml")
    {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let mut files = Vec::new();
    for a in std::env::args().skip(1) {
        walk(Path::new(&a), &mut files);
    }
    let (mut events, mut bytes, mut errors) = (0usize, 0usize, 0usize);
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        bytes += text.len();
        for ev in Parser::new_from_str(&text) {
            match ev {
                Ok((Event::StreamEnd, _)) => break,
                Ok(_) => events += 1,
                Err(_) => {
                    errors += 1;
                    break;
                }
            }
        }
    }
    println!(
        "{} files, {bytes} bytes, {events} events, {errors} errors",
        files.len()
    );
}
