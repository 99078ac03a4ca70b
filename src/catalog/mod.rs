//! The rule catalog: one YAML file per rule under `rules/`, embedded at build
//! time. `deploylint rules`, `explain`, help text, docs links and reporters
//! all read it; severities here are only defaults.

use crate::diagnostic::Severity;
use serde::Serialize;

mod reflow;
pub use reflow::reflow;

// `RULES`: build.rs turns each `rules/**/*.yaml` entry into a `RuleMeta`
// literal (defaults applied, unknown fields refused, sorted by code), so a
// run parses no catalog at start-up.
include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));

pub const DOCS_BASE: &str = "https://deploylint.dev/rules/";

/// One catalog entry. Fields left out of the YAML take the defaults noted
/// here (build.rs applies them).
#[derive(Clone, Debug, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    /// The file kind it inspects (`dockerfile`, `php-fpm`, ..., `any`, `project`).
    pub format: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    /// Default `stable`.
    pub status: &'static str,
    /// Default `true`.
    pub enabled: bool,
    /// `builtin` (a Rust rule, the default), `parser` (emitted while parsing), `engine`.
    pub engine: &'static str,
    /// Default `none`.
    pub fix: &'static str,
    pub fix_safety: Option<&'static str>,
    pub rationale: &'static str,
    pub remediation: &'static str,
    pub references: &'static [&'static str],
    /// Equivalent checks of other linters (`hadolint:DL3007`, `kube-linter:latest-tag`,
    /// `polaris:tagNotSpecified`); their suppressions apply to this rule.
    pub aliases: &'static [&'static str],
    pub examples: Examples,
    pub since: Option<&'static str>,
    /// Where the catalog file lives.
    pub file: &'static str,
    /// The remediation reflowed (at build time, so each finding borrows it
    /// instead of carrying its own copy).
    #[serde(skip)]
    pub help_text: &'static str,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Examples {
    /// File name the examples are linted as (defaults from `format`).
    pub filename: Option<&'static str>,
    pub bad: Option<&'static str>,
    pub good: Option<&'static str>,
}

impl RuleMeta {
    pub fn docs_url(&self) -> String {
        format!("{DOCS_BASE}{}", self.code.to_ascii_lowercase())
    }

    /// The remediation as one-line paragraphs, for reporters that wrap text
    /// themselves (a `|` block's hard breaks would otherwise be wrapped twice).
    pub fn help(&self) -> &'static str {
        self.help_text
    }
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
    /// Sorted by code.
    pub rules: &'static [RuleMeta],
}

impl Catalog {
    /// By exact code: a binary search (`rules` is sorted by code), as it
    /// runs for every finding.
    pub fn get(&self, code: &str) -> Option<&RuleMeta> {
        self.rules
            .binary_search_by(|r| r.code.cmp(code))
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

/// The embedded catalog.
pub fn catalog() -> &'static Catalog {
    static CATALOG: Catalog = Catalog { rules: RULES };
    &CATALOG
}

#[cfg(test)]
mod build_tests {
    use super::*;
    use serde_json::{Value, json};

    /// Every generated literal equals its YAML as the run-time loader reads
    /// it, with serde-style defaults for the fields the YAML leaves out.
    #[test]
    fn build_time_literals_read_as_the_yaml_does() {
        assert_eq!(RULES.len(), CATALOG_YAML.len());
        assert!(RULES.len() > 100);
        assert!(RULES.windows(2).all(|w| w[0].code < w[1].code));
        for (path, yaml) in CATALOG_YAML {
            let mut tree = crate::parse::yaml::parse(yaml).documents[0].root.to_json();
            let Some(map) = tree.as_object_mut() else {
                panic!("{path}: not a mapping")
            };
            let defaults = [
                ("status", json!("stable")),
                ("enabled", json!(true)),
                ("engine", json!("builtin")),
                ("fix", json!("none")),
                ("fix_safety", Value::Null),
                ("references", json!([])),
                ("aliases", json!([])),
                ("since", Value::Null),
            ];
            for (k, v) in defaults {
                map.entry(k).or_insert(v);
            }
            let examples = map.entry("examples").or_insert_with(|| json!({}));
            if let Some(ex) = examples.as_object_mut() {
                for k in ["filename", "bad", "good"] {
                    ex.entry(k).or_insert(Value::Null);
                }
            }
            map.insert("file".into(), json!(path));
            let meta = RULES.iter().find(|m| m.file == *path).expect(path);
            assert_eq!(serde_json::to_value(meta).unwrap(), tree, "{path}");
            assert_eq!(meta.help_text, reflow(meta.remediation), "{path}");
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
