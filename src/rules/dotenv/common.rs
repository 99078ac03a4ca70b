//! Helpers shared by the dotenv rules: is the file ignored by git?

use crate::config::Settings;
use crate::project::ParsedFile;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tracking {
    /// Not in a git repository, or not a file on disk (standard input).
    Unknown,
    /// A `.gitignore` (or `.git/info/exclude`) ignores it: a local file, never committed.
    Ignored,
    /// In a git repository and not ignored: `git add .` commits it.
    NotIgnored,
}

fn on_disk(file: &ParsedFile, settings: &Settings) -> Option<PathBuf> {
    let p = Path::new(&file.source.path);
    let full = if p.is_absolute() {
        p.to_path_buf()
    } else {
        match &settings.base_dir {
            Some(base) => base.join(p),
            None => std::env::current_dir().ok()?.join(p),
        }
    };
    full.is_file().then_some(full)
}

/// Whether git ignores the file, by the `.gitignore` files from its
/// directory up to the repository root (deeper ones win, as in git) and
/// `.git/info/exclude`. The user's global excludes are not read: another
/// clone of the repository does not have them.
pub fn tracking(file: &ParsedFile, settings: &Settings) -> Tracking {
    match on_disk(file, settings) {
        Some(path) => tracking_of(&path),
        None => Tracking::Unknown,
    }
}

/// [`tracking`] for a file on disk (an absolute path).
pub fn tracking_of(path: &Path) -> Tracking {
    let Some(root) = path.ancestors().skip(1).find(|d| d.join(".git").exists()) else {
        return Tracking::Unknown;
    };
    let mut matchers = Vec::new();
    for dir in path.ancestors().skip(1) {
        let gi = dir.join(".gitignore");
        if gi.is_file() {
            matchers.push(ignore::gitignore::Gitignore::new(&gi).0);
        }
        if dir == root {
            break;
        }
    }
    let exclude = root.join(".git/info/exclude");
    if exclude.is_file() {
        let mut b = ignore::gitignore::GitignoreBuilder::new(root);
        b.add(&exclude);
        if let Ok(m) = b.build() {
            matchers.push(m);
        }
    }
    for m in &matchers {
        let hit = m.matched_path_or_any_parents(path, false);
        if hit.is_ignore() {
            return Tracking::Ignored;
        }
        if hit.is_whitelist() {
            return Tracking::NotIgnored;
        }
    }
    Tracking::NotIgnored
}

/// Symfony commits `.env` by design (defaults; secrets go to `.env.local`,
/// which its `.gitignore` ignores): its recipes mark the file's blocks.
pub fn is_symfony_defaults(text: &str) -> bool {
    text.contains("###> symfony/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_decides() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let env = root.join("app/.env");
        std::fs::create_dir_all(root.join("app")).unwrap();
        std::fs::write(&env, "A=1\n").unwrap();
        assert_eq!(tracking_of(&env), Tracking::Unknown, "no repository");
        std::fs::create_dir_all(root.join(".git/info")).unwrap();
        assert_eq!(tracking_of(&env), Tracking::NotIgnored);
        std::fs::write(root.join(".gitignore"), ".env\n").unwrap();
        assert_eq!(tracking_of(&env), Tracking::Ignored);
        std::fs::write(root.join("app/.gitignore"), "!.env\n").unwrap();
        assert_eq!(tracking_of(&env), Tracking::NotIgnored, "deeper file wins");
        std::fs::remove_file(root.join("app/.gitignore")).unwrap();
        std::fs::write(root.join(".gitignore"), "vendor/\n").unwrap();
        std::fs::write(root.join(".git/info/exclude"), "app/\n").unwrap();
        assert_eq!(
            tracking_of(&env),
            Tracking::Ignored,
            "info/exclude, parent directory"
        );
    }
}
