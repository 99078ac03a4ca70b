//! `deploylint rules` and `deploylint explain`.

use super::{EXIT_ERROR, EXIT_OK};
use crate::catalog::{RuleMeta, catalog};
use clap::{Args, ValueEnum};
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    /// One Markdown table per code group: README's rule tables.
    Markdown,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Only these rules (codes, names or prefixes such as `K8S` or `ACME`),
    /// comma-separated; custom rules of the workspace included.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
}

/// A rule as `deploylint rules` lists it: built-in (the catalog entry) or
/// custom (from a rule file of the workspace).
struct Listed<'a> {
    code: &'a str,
    name: &'a str,
    severity: String,
    enabled: bool,
    /// FORMAT column: the file format, or a custom rule's target.
    format: &'a str,
    fix: &'a str,
    title: &'a str,
    json: serde_json::Value,
}

/// Whether a `--select` word picks `code`/`name` (`ALL`, the code or name,
/// or a code prefix).
fn selected(words: &[String], code: &str, name: &str) -> bool {
    words.is_empty()
        || words.iter().map(|w| w.trim()).any(|w| {
            w.eq_ignore_ascii_case("ALL")
                || w == name
                || (!w.is_empty()
                    && code.len() >= w.len()
                    && code[..w.len()].eq_ignore_ascii_case(w))
        })
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Rule code or name (`K8S001`, `image-tag-latest`).
    pub rule: String,
}

pub fn list(args: RulesArgs) -> u8 {
    let cat = catalog();
    // The workspace's custom rules (`custom-rules:` in .deploylint.yaml):
    // listed after the built-in ones, marked custom. The Markdown tables are
    // README's and list built-in rules only.
    let (custom, load_error) = if args.format == ListFormat::Markdown {
        (None, None)
    } else {
        match workspace_custom_rules() {
            Ok(c) => (c, None),
            Err(e) => (None, Some(e)),
        }
    };
    let mut listed: Vec<Listed> = Vec::new();
    for r in cat.rules {
        if !selected(&args.select, r.code, r.name) {
            continue;
        }
        let mut json = serde_json::to_value(r).unwrap_or_default();
        if let Some(o) = json.as_object_mut() {
            o.insert("custom".into(), false.into());
        }
        listed.push(Listed {
            code: r.code,
            name: r.name,
            severity: r.severity.to_string(),
            enabled: r.enabled,
            format: r.format,
            fix: r.fix,
            title: r.title,
            json,
        });
    }
    for r in custom.iter().flat_map(|c| c.rules.iter()) {
        if !selected(&args.select, r.code, &r.name) {
            continue;
        }
        let json = serde_json::json!({
            "code": r.code,
            "name": r.name,
            "title": r.title,
            "severity": r.severity.name(),
            "enabled": r.enabled,
            "custom": true,
            "target": r.target.name(),
            "kinds": r.kinds,
            "source": relative(&r.path),
            "rationale": r.rationale.trim(),
            "remediation": r.help.trim(),
        });
        listed.push(Listed {
            code: r.code,
            name: &r.name,
            severity: r.severity.name().to_owned(),
            enabled: r.enabled,
            format: r.target.name(),
            fix: "custom",
            title: &r.title,
            json,
        });
    }
    if !args.select.is_empty() && listed.is_empty() {
        eprintln!(
            "error: --select {}: no built-in or custom rule matches",
            args.select.join(",")
        );
        return EXIT_ERROR;
    }
    let mut buf = String::new();
    match args.format {
        ListFormat::Json => {
            let all: Vec<&serde_json::Value> = listed.iter().map(|l| &l.json).collect();
            match serde_json::to_string_pretty(&all) {
                Ok(s) => {
                    let _ = writeln!(buf, "{s}");
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_ERROR;
                }
            }
        }
        ListFormat::Markdown => {
            let rules: Vec<RuleMeta> = cat
                .rules
                .iter()
                .filter(|r| selected(&args.select, r.code, r.name))
                .cloned()
                .collect();
            buf = markdown(&rules);
        }
        ListFormat::Table => {
            let w = listed
                .iter()
                .map(|r| r.name.len())
                .max()
                .unwrap_or(4)
                .max(4);
            let cw = listed
                .iter()
                .map(|r| r.code.len())
                .max()
                .unwrap_or(7)
                .max(7);
            let fw = listed
                .iter()
                .map(|r| r.format.len())
                .max()
                .unwrap_or(11)
                .max(11);
            let _ = writeln!(
                buf,
                "{:<cw$} {:<w$} {:<8} {:<fw$} {:<7} TITLE",
                "CODE", "NAME", "SEVERITY", "FORMAT", "FIX"
            );
            for r in &listed {
                let sev = if r.enabled {
                    r.severity.clone()
                } else {
                    format!("({})", r.severity)
                };
                let _ = writeln!(
                    buf,
                    "{:<cw$} {:<w$} {:<8} {:<fw$} {:<7} {}",
                    r.code, r.name, sev, r.format, r.fix, r.title
                );
            }
            let n_custom = listed.iter().filter(|l| l.fix == "custom").count();
            let _ = write!(
                buf,
                "\n{} rule{}",
                listed.len(),
                if listed.len() == 1 { "" } else { "s" }
            );
            if n_custom > 0 {
                let dirs: std::collections::BTreeSet<String> = custom
                    .iter()
                    .flat_map(|c| c.rules.iter())
                    .filter(|r| selected(&args.select, r.code, &r.name))
                    .map(|r| {
                        let p = relative(&r.path);
                        match p.rfind('/') {
                            Some(i) => p[..=i].to_owned(),
                            None => "./".to_owned(),
                        }
                    })
                    .collect();
                let _ = write!(
                    buf,
                    " ({n_custom} custom from {}: FIX says `custom`, FORMAT their target)",
                    dirs.into_iter().collect::<Vec<_>>().join(", ")
                );
            }
            let _ = writeln!(
                buf,
                ". A severity in parentheses means the rule is off unless enabled in .deploylint.yaml."
            );
        }
    }
    super::print_stdout(&buf);
    match load_error {
        Some(e) => {
            eprintln!(
                "error: custom rules not loaded: {}",
                crate::report::sanitize_for_terminal(&e.summary())
            );
            EXIT_ERROR
        }
        None => EXIT_OK,
    }
}

/// A rule file's path relative to the working directory when it is below it.
fn relative(path: &str) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            std::path::Path::new(path)
                .strip_prefix(cwd)
                .ok()
                .map(|p| p.display().to_string())
        })
        .unwrap_or_else(|| path.to_owned())
}

/// The custom rules of the workspace found from the current directory
/// (`None` when it has none).
fn workspace_custom_rules() -> Result<Option<crate::custom::CustomRules>, crate::custom::LoadError>
{
    let Ok(cwd) = std::env::current_dir() else {
        return Ok(None);
    };
    let config = crate::config::Config::discover(&cwd)
        .and_then(|p| crate::config::Config::load(&p).ok())
        .unwrap_or_else(|| crate::config::Config::with_defaults(cwd.clone()));
    let custom = crate::custom::CustomRules::load(&config)?;
    Ok((!custom.is_empty()).then_some(custom))
}

/// The rule tables of README.md (between its `rules:begin`/`rules:end`
/// markers; `tests/rules.rs` checks they are current).
pub fn markdown(rules: &[RuleMeta]) -> String {
    const GROUPS: &[(&str, &str)] = &[
        ("DF", "Dockerfile"),
        ("FPM", "php-fpm"),
        ("INI", "php.ini and OPcache"),
        ("OCT", "Octane, RoadRunner, FrankenPHP and workers"),
        ("K8S", "Kubernetes"),
        ("DC", "docker-compose and .env"),
        ("X", "Cross-file"),
        ("E", "Read and parse errors"),
        ("S", "Suppressions"),
    ];
    let group_of = |code: &str| {
        code.trim_end_matches(|c: char| c.is_ascii_digit())
            .to_owned()
    };
    let mut out = String::new();
    let mut seen: Vec<String> = Vec::new();
    let mut groups: Vec<(String, String)> = GROUPS
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    for r in rules {
        let g = group_of(r.code);
        if !groups.iter().any(|(p, _)| *p == g) {
            groups.push((g.clone(), g.clone()));
        }
    }
    for (prefix, title) in &groups {
        let members: Vec<&RuleMeta> = rules
            .iter()
            .filter(|r| group_of(r.code) == *prefix)
            .collect();
        if members.is_empty() || seen.contains(prefix) {
            continue;
        }
        seen.push(prefix.clone());
        let _ = writeln!(out, "#### `{prefix}` {title}\n");
        let _ = writeln!(
            out,
            "| Code | Name | Default | Fix | Checks |\n|---|---|---|---|---|"
        );
        for r in members {
            let sev = if r.enabled {
                r.severity.to_string()
            } else {
                format!("off ({})", r.severity)
            };
            let title = r.title.replace('|', "\\|");
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                r.code, r.name, sev, r.fix, title
            );
        }
        out.push('\n');
    }
    out
}

pub fn explain(args: ExplainArgs) -> u8 {
    let cat = catalog();
    // A code or name, else another tool's name for the rule (`DL3019`,
    // `hadolint:DL3019`): every rule carrying that alias.
    let found: Vec<&RuleMeta> = match cat.find(&args.rule) {
        Some(meta) => vec![meta],
        None => cat.by_foreign_name(&args.rule),
    };
    match found.as_slice() {
        [_, ..] => {
            let text: Vec<String> = found.iter().map(|m| render(m)).collect();
            super::print_stdout(&text.join("\n"));
            EXIT_OK
        }
        [] => {
            // The workspace's custom rules (`custom-rules:` in .deploylint.yaml).
            if let Some(text) = explain_custom(&args.rule) {
                super::print_stdout(&text);
                return EXIT_OK;
            }
            let names = cat.rules.iter().flat_map(|r| [r.code, r.name]);
            match crate::suggest::did_you_mean(&args.rule, names) {
                Some(s) => eprintln!("error: unknown rule `{}`: did you mean `{s}`?", args.rule),
                None => eprintln!(
                    "error: unknown rule `{}`; `deploylint rules` lists them",
                    args.rule
                ),
            }
            EXIT_ERROR
        }
    }
}

/// `explain` for a custom rule of the workspace found from the current directory.
fn explain_custom(rule: &str) -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let config = crate::config::Config::discover(&cwd)
        .and_then(|p| crate::config::Config::load(&p).ok())
        .unwrap_or_else(|| crate::config::Config::with_defaults(cwd.clone()));
    let custom = crate::custom::CustomRules::load(&config).ok()?;
    let r = custom
        .rules
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(rule) || r.name == rule)?;
    let mut s = format!("{} ({}): {}\n\n", r.code, r.name, r.title);
    s.push_str(&format!(
        "Custom rule from {}   Target: {}   Default severity: {}{}\n",
        r.path,
        r.target.name(),
        r.severity.name(),
        if r.enabled { "" } else { " (off by default)" },
    ));
    s.push_str(&format!("\nWhy\n{}\n", indent(r.rationale.trim())));
    s.push_str(&format!("\nHow to fix\n{}\n", indent(r.help.trim())));
    if let Some(bad) = &r.examples.bad {
        s.push_str(&format!("\nBad\n{}\n", indent(bad.trim_end())));
    }
    if let Some(good) = &r.examples.good {
        s.push_str(&format!("\nGood\n{}\n", indent(good.trim_end())));
    }
    Some(s)
}

pub fn render(m: &RuleMeta) -> String {
    let mut s = format!("{} ({}): {}\n\n", m.code, m.name, m.title);
    s.push_str(&format!(
        "Format: {}   Category: {}   Default severity: {}{}   Fix: {}\n",
        m.format,
        m.category,
        m.severity,
        if m.enabled { "" } else { " (off by default)" },
        m.fix
    ));
    if !m.aliases.is_empty() {
        s.push_str(&format!("Same as: {}\n", m.aliases.join(", ")));
    }
    s.push_str(&format!("\nWhy\n{}\n", indent(m.rationale.trim())));
    s.push_str(&format!("\nHow to fix\n{}\n", indent(m.remediation.trim())));
    if let Some(safety) = &m.fix_safety {
        s.push_str(&format!("\nFix safety\n{}\n", indent(safety.trim())));
    }
    if let Some(bad) = &m.examples.bad {
        s.push_str(&format!("\nBad\n{}\n", indent(bad.trim_end())));
    }
    if let Some(good) = &m.examples.good {
        s.push_str(&format!("\nGood\n{}\n", indent(good.trim_end())));
    }
    if !m.references.is_empty() {
        s.push_str("\nReferences\n");
        for r in m.references {
            s.push_str(&format!("    {r}\n"));
        }
    }
    s.push_str(&format!("\nDocs: {}\n", m.docs_url()));
    s
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
