//! deploylint: a policy linter and validator for the deployment configs of
//! PHP/Laravel applications on Kubernetes.
//!
//! [`lint`] is the one entry point the CLI, the LSP and the tests share.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod custom;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod fix;
pub mod lsp;
pub mod model;
pub mod parse;
pub mod project;
pub mod report;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod source;
pub mod suggest;

pub use engine::{Input, LintOptions, LintResult, lint};

/// Lints in-memory texts together, as if they were the files named (a
/// project: the graph links them by these paths).
pub fn lint_texts(
    files: &[(String, String)],
    config: &config::Config,
    opts: &LintOptions,
) -> LintResult {
    let inputs = files
        .iter()
        .map(|(name, text)| Input {
            display: name.clone(),
            path: None,
            guess: discover::guess(std::path::Path::new(name), config)
                .unwrap_or(discover::NameGuess::Yaml),
            text: Some(Ok(text.clone())),
        })
        .collect();
    lint(inputs, config, opts)
}

/// Lints one in-memory text as if it were the file `name` (tests, LSP, stdin).
pub fn lint_text(
    name: &str,
    text: &str,
    config: &config::Config,
    opts: &LintOptions,
) -> LintResult {
    let guess =
        discover::guess(std::path::Path::new(name), config).unwrap_or(discover::NameGuess::Yaml);
    let input = Input {
        display: name.to_owned(),
        path: None,
        guess,
        text: Some(Ok(text.to_owned())),
    };
    lint(vec![input], config, opts)
}
