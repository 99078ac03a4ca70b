//! `deploylint test-rules [DIR]`: runs each custom rule's `examples.bad`
//! (must give at least one finding of the rule) and `examples.good` (must
//! give none), and the cases under `DIR/tests/<CODE or name>/{bad,good}/`
//! (a file is a case linted alone; a directory is a case whose files are
//! linted together, for `deployment` rules). Like `conftest verify`.

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::Config;
use crate::custom::{CustomRule, CustomRules};
use crate::discover::{self, NameGuess};
use crate::engine::{Input, LintOptions, Role, Session};
use crate::report::{Format, HumanOptions, sanitize_for_terminal};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct TestRulesArgs {
    /// The rule directory (default: `custom-rules:` of the config, else
    /// `.deploylint/rules/`).
    pub dir: Option<PathBuf>,
    /// Use this config file instead of searching for `.deploylint.yaml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// List passing cases too.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// One case's files: (shown name, text).
struct Case {
    name: String,
    bad: bool,
    files: Vec<(String, String)>,
}

pub fn run(args: TestRulesArgs) -> u8 {
    let human = HumanOptions {
        color: false,
        quiet: false,
        width: 100,
        summary: false,
        rich: true,
    };
    let (custom, dirs) = match &args.dir {
        Some(dir) => {
            if !dir.is_dir() {
                eprintln!("error: {}: not a directory", dir.display());
                return EXIT_ERROR;
            }
            (
                CustomRules::load_dirs(std::slice::from_ref(dir)),
                vec![dir.clone()],
            )
        }
        None => {
            let config = match config_for(&args) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let mut dirs: Vec<PathBuf> =
                config.custom_rules.iter().map(|(d, _)| d.clone()).collect();
            if dirs.is_empty() {
                dirs.push(config.root.join(crate::custom::DEFAULT_DIR));
            }
            (CustomRules::load(&config), dirs)
        }
    };
    let custom = match custom {
        Ok(c) => c,
        Err(e) => {
            super::check::report_rule_file_errors(e, &human, Format::Human);
            return EXIT_ERROR;
        }
    };
    if custom.is_empty() {
        eprintln!("error: no custom rules found in {}", show_dirs(&dirs));
        return EXIT_ERROR;
    }
    let mut failed = 0;
    let mut cases_run = 0;
    for rule in &custom.rules {
        let mut cases = Vec::new();
        let filename = crate::custom::example_filename(rule);
        for (bad, text) in [(true, &rule.examples.bad), (false, &rule.examples.good)] {
            if let Some(t) = text {
                cases.push(Case {
                    name: format!("examples.{}", if bad { "bad" } else { "good" }),
                    bad,
                    files: vec![(filename.clone(), t.clone())],
                });
            }
        }
        for dir in &dirs {
            for name in [rule.code, rule.name.as_str()] {
                cases.extend(dir_cases(&dir.join("tests").join(name)));
            }
        }
        if cases.is_empty() {
            println!("WARN {} {}: no examples or tests", rule.code, rule.name);
            continue;
        }
        for case in cases {
            cases_run += 1;
            match run_case(&custom, rule, &case) {
                Ok(()) => {
                    if args.verbose {
                        println!("PASS {} {}: {}", rule.code, rule.name, case.name);
                    }
                }
                Err(why) => {
                    failed += 1;
                    println!(
                        "FAIL {} {}: {}: {}",
                        rule.code,
                        rule.name,
                        sanitize_for_terminal(&case.name),
                        sanitize_for_terminal(&why)
                    );
                }
            }
        }
    }
    println!(
        "{} rule(s), {cases_run} case(s), {failed} failed",
        custom.rules.len()
    );
    if failed > 0 { EXIT_FINDINGS } else { EXIT_OK }
}

fn show_dirs(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn config_for(args: &TestRulesArgs) -> Result<Config, u8> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|cwd| Config::discover(&cwd)),
    };
    match path {
        Some(p) => Config::load(&p).map_err(|e| {
            let human = HumanOptions {
                color: false,
                quiet: false,
                width: 100,
                summary: false,
                rich: true,
            };
            super::check::report_config_error(e, &human, Format::Human);
            EXIT_ERROR
        }),
        None => Ok(Config::with_defaults(PathBuf::from("."))),
    }
}

/// `tests/<rule>/bad/*` and `tests/<rule>/good/*`.
fn dir_cases(dir: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    for (sub, bad) in [("bad", true), ("good", false)] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let mut files = Vec::new();
            if p.is_dir() {
                let mut inner: Vec<PathBuf> = walk(&p);
                inner.sort();
                for f in inner {
                    if let Ok(t) = std::fs::read_to_string(&f) {
                        let rel = f.strip_prefix(&p).unwrap_or(&f);
                        files.push((rel.display().to_string(), t));
                    }
                }
            } else if let Ok(t) = std::fs::read_to_string(&p) {
                let name = p
                    .file_name()
                    .map_or(String::new(), |n| n.to_string_lossy().into_owned());
                files.push((name, t));
            }
            out.push(Case {
                name: p.display().to_string(),
                bad,
                files,
            });
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn run_case(custom: &CustomRules, rule: &CustomRule, case: &Case) -> Result<(), String> {
    let config = Config::with_defaults(PathBuf::from("."));
    let opts = LintOptions {
        select: vec![rule.code.to_owned()],
        ..LintOptions::default()
    };
    let mut session = Session::new(config.clone(), opts);
    session.add_rules(
        custom
            .rules()
            .into_iter()
            .filter(|r| r.code() == rule.code)
            .collect(),
    );
    for (name, text) in &case.files {
        let guess = discover::guess(Path::new(name), &config).unwrap_or(NameGuess::Yaml);
        session.add(
            Input {
                display: name.clone(),
                path: None,
                guess,
                text: Some(Ok(text.clone())),
            },
            Role::Named,
        );
    }
    let mut result = session.into_result();
    super::check::append_failures(&mut result, custom);
    if let Some(d) = result
        .diagnostics
        .iter()
        .find(|d| d.code == crate::custom::RULE_FAILED)
    {
        return Err(d.message.clone());
    }
    let found: Vec<String> = result
        .diagnostics
        .iter()
        .filter(|d| d.code == rule.code)
        .map(|d| {
            let f = &result.files[d.file];
            let p = f.source.position(d.span.start);
            format!("{}:{}:{} {}", f.source.path, p.line, p.column, d.message)
        })
        .collect();
    match (case.bad, found.is_empty()) {
        (true, true) => Err("expected a finding, got none".into()),
        (false, false) => Err(format!(
            "expected no finding, got {}: {}",
            found.len(),
            found.join("; ")
        )),
        _ => Ok(()),
    }
}
