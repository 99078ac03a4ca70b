//! DC101: a `.env` file in a git repository that `.gitignore` does not ignore.

use super::common::{Tracking, is_symfony_defaults, tracking};
use crate::project::ParsedFile;
use crate::rules::{Context, Rule};
use crate::source::{FileKind, Span};

pub struct DotenvNotIgnored;

impl Rule for DotenvNotIgnored {
    fn code(&self) -> &'static str {
        "DC101"
    }

    fn kinds(&self) -> &'static [FileKind] {
        &[FileKind::DotEnv]
    }

    fn check_file(&self, file: &ParsedFile, ctx: &mut Context) {
        if crate::discover::is_dotenv_template(std::path::Path::new(&file.source.path))
            || is_symfony_defaults(&file.source.text)
            || tracking(file, ctx.settings) != Tracking::NotIgnored
        {
            return;
        }
        let first = file
            .source
            .text
            .find('\n')
            .unwrap_or(file.source.text.len());
        let name = std::path::Path::new(&file.source.path)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(".env");
        ctx.report(
            Span::new(0, first),
            format!("`{name}` is in a git repository and no `.gitignore` ignores it: `git add .` commits its values"),
        )
        .label_text("not ignored")
        .hint(format!("Add `{name}` to `.gitignore` (and `git rm --cached {name}` if it is already tracked), and commit a `.env.example` with empty values instead"));
    }
}
