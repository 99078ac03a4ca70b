//! The rule catalog: one YAML file per rule under `rules/`, embedded at build
//! time. `deploylint rules`, `explain`, help text, docs links and reporters
//! all read it; severities here are only defaults.

use crate::diagnostic::Severity;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));

pub const DOCS_BASE: &str = "https://deploylint.dev/rules/";

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub code: String,
    pub name: String,
    pub title: String,
    /// The file kind it inspects (`dockerfile`, `php-fpm`, ..., `any`, `project`).
    pub format: String,
    pub category: String,
    pub severity: Severity,
    #[serde(default = "default_status")]
    pub status: String,
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// `builtin` (a Rust rule), `parser` (emitted while parsing), `engine`.
    #[serde(default = "default_engine")]
    pub engine: String,
    #[serde(default = "default_fix")]
    pub fix: String,
    #[serde(default)]
    pub fix_safety: Option<String>,
    pub rationale: String,
    pub remediation: String,
    #[serde(default)]
    pub references: Vec<String>,
    /// Equivalent checks of other linters (`hadolint:DL3007`, `kube-linter:latest-tag`,
    /// `polaris:tagNotSpecified`); their suppressions apply to this rule.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub examples: Examples,
    #[serde(default)]
    pub since: Option<String>,
    /// Where the catalog file lives (filled in at load).
    #[serde(skip_deserializing)]
    pub file: String,
    /// The remediation reflowed (filled in at load, once per rule, so each
    /// finding borrows it instead of carrying its own copy).
    #[serde(skip)]
    pub help_text: String,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// File name the examples are linted as (defaults from `format`).
    #[serde(default)]
    pub filename: Option<String>,
    #[serde(default)]
    pub bad: Option<String>,
    #[serde(default)]
    pub good: Option<String>,
}

fn default_status() -> String {
    "stable".into()
}
fn default_true() -> bool {
    true
}
fn default_engine() -> String {
    "builtin".into()
}
fn default_fix() -> String {
    "none".into()
}

impl RuleMeta {
    pub fn docs_url(&self) -> String {
        format!("{DOCS_BASE}{}", self.code.to_ascii_lowercase())
    }

    /// The remediation as one-line paragraphs, for reporters that wrap text
    /// themselves (a `|` block's hard breaks would otherwise be wrapped twice).
    pub fn help(&self) -> &str {
        if self.help_text.is_empty() {
            self.remediation.trim()
        } else {
            &self.help_text
        }
    }
}

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

/// The files of a catalog example. A cross-file rule's example holds several
/// files, each introduced by a `==> path <==` line (as `head` prints several
/// files); any other example is one file named `default_name`.
pub fn example_files(text: &str, default_name: &str) -> Vec<(String, String)> {
    let header = |line: &str| {
        line.trim_end()
            .strip_prefix("==> ")
            .and_then(|l| l.strip_suffix(" <=="))
            .map(str::to_owned)
    };
    if text.lines().next().is_none_or(|l| header(l).is_none()) {
        return vec![(default_name.to_owned(), text.to_owned())];
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        match header(line) {
            Some(name) => out.push((name, String::new())),
            None => {
                if let Some((_, body)) = out.last_mut() {
                    body.push_str(line);
                }
            }
        }
    }
    out
}

pub struct Catalog {
    pub rules: Vec<RuleMeta>,
    /// Problems found loading the embedded files (tested to be empty).
    pub errors: Vec<String>,
}

impl Catalog {
    /// By exact code: a binary search (`rules` is sorted by code), as it
    /// runs for every finding.
    pub fn get(&self, code: &str) -> Option<&RuleMeta> {
        self.rules
            .binary_search_by(|r| r.code.as_str().cmp(code))
            .ok()
            .and_then(|i| self.rules.get(i))
    }

    /// Looks a rule up by code or kebab name, case-insensitively for codes.
    pub fn find(&self, code_or_name: &str) -> Option<&RuleMeta> {
        self.rules
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
    }

    /// Rules that name `alias` (e.g. `hadolint:DL3007`) among their aliases.
    pub fn by_alias<'a>(&'a self, alias: &'a str) -> impl Iterator<Item = &'a RuleMeta> + 'a {
        self.rules
            .iter()
            .filter(move |r| r.aliases.iter().any(|a| a.eq_ignore_ascii_case(alias)))
    }

    /// The rules another tool's name stands for, with or without the tool:
    /// `hadolint:DL3019` or `DL3019`, `kube-linter:latest-tag` or
    /// `latest-tag`. Case-insensitive.
    pub fn by_foreign_name(&self, word: &str) -> Vec<&RuleMeta> {
        self.rules
            .iter()
            .filter(|r| {
                r.aliases.iter().any(|a| {
                    a.eq_ignore_ascii_case(word)
                        || a.split_once(':')
                            .is_some_and(|(_, id)| id.eq_ignore_ascii_case(word))
                })
            })
            .collect()
    }
}

/// The embedded catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(load)
}

fn load() -> Catalog {
    // build.rs turned each entry's YAML into JSON: a typed JSON read of
    // every entry is cheaper than parsing the YAML at each start-up.
    let parsed: Vec<Result<RuleMeta, String>> = CATALOG_FILES
        .iter()
        .map(|(path, json)| {
            serde_json::from_str::<RuleMeta>(json)
                .map(|mut meta| {
                    meta.file = (*path).to_owned();
                    meta.help_text = reflow(&meta.remediation);
                    meta
                })
                .map_err(|e| format!("{path}: {e}"))
        })
        .collect();
    let mut rules = Vec::with_capacity(parsed.len());
    let mut errors = Vec::new();
    for p in parsed {
        match p {
            Ok(meta) => rules.push(meta),
            Err(e) => errors.push(e),
        }
    }
    rules.sort_by(|a, b| a.code.cmp(&b.code));
    Catalog { rules, errors }
}

/// Starts loading the catalog on another thread (the caller goes on with
/// its own start-up work; the first user waits for the same load).
pub fn preload() {
    rayon::spawn(|| {
        catalog();
    });
}

/// An entry as the run-time YAML loader reads it, which is what build.rs's
/// JSON must match.
#[cfg(test)]
fn from_yaml(path: &str, text: &str) -> Result<RuleMeta, String> {
    let file = crate::parse::yaml::parse(text);
    if let Some(e) = file.errors.first() {
        return Err(format!("{path}: {}", e.message));
    }
    let Some(doc) = file.documents.first() else {
        return Err(format!("{path}: empty"));
    };
    serde_json::from_value::<RuleMeta>(doc.root.to_json()).map_err(|e| format!("{path}: {e}"))
}

#[cfg(test)]
mod build_tests {
    use super::*;

    #[test]
    fn build_time_json_reads_as_the_yaml_does() {
        assert_eq!(CATALOG_FILES.len(), CATALOG_YAML.len());
        assert!(CATALOG_FILES.len() > 100);
        for ((path, json), yaml) in CATALOG_FILES.iter().zip(CATALOG_YAML) {
            let from_json: serde_json::Value = serde_json::from_str(json).unwrap();
            let tree = crate::parse::yaml::parse(yaml).documents[0].root.to_json();
            assert_eq!(from_json, tree, "{path}");
            let meta = from_yaml(path, yaml).unwrap();
            let built = serde_json::from_str::<RuleMeta>(json).unwrap();
            assert_eq!(
                serde_json::to_value(&meta).unwrap(),
                serde_json::to_value(&built).unwrap(),
                "{path}"
            );
        }
    }
}

#[cfg(test)]
mod example_tests {
    use super::example_files;

    #[test]
    fn examples_split_into_files_on_head_style_headers() {
        assert_eq!(
            example_files("FROM php\n", "Dockerfile"),
            [("Dockerfile".to_owned(), "FROM php\n".to_owned())]
        );
        let two = example_files(
            "==> a/b.conf <==\n[www]\n\n==> k8s.yaml <==\nkind: Pod\n",
            "x",
        );
        assert_eq!(
            two,
            [
                ("a/b.conf".to_owned(), "[www]\n\n".to_owned()),
                ("k8s.yaml".to_owned(), "kind: Pod\n".to_owned())
            ]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::reflow;

    #[test]
    fn reflow_joins_paragraph_lines_only() {
        assert_eq!(
            reflow("a b\nc d\n\nnext\n- item\n- item2\n    code\n"),
            "a b c d\n\nnext\n- item\n- item2\n    code"
        );
    }
}
