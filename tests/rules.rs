//! Rule fixtures: `fixtures/rules/<CODE>/{fail,pass}[-variant].<ext>`.
//!
//! Each fixture is linted with only its rule selected and linted as the
//! rule's catalog format. `fail*` must raise the rule at least once, `pass*`
//! never. The colourless human output (and the fixed text, when the rule
//! offers fixes) is snapshotted beside the fixture as `<file>.snap`. Every
//! fix is verified: applied, re-parsed, and the rule is quiet afterwards.
//! A directory `fail*/` or `pass*/` is linted as one project (cross-file rules).
//! `<fixture>.options.yaml` beside a fixture is used as its `.deploylint.yaml`.

use deploylint::catalog::catalog;
use deploylint::config::Config;
use deploylint::diagnostic::{Applicability, Diagnostic};
use deploylint::discover::{self, NameGuess};
use deploylint::engine::{Input, LintOptions, LintResult, lint};
use deploylint::report::{self, Format, HumanOptions};
use deploylint::source::FileKind;
use std::path::{Path, PathBuf};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

fn config_for(fixture: &Path) -> Config {
    let mut config = config_file_for(fixture);
    // Shown paths are relative to the fixture root, not the working directory.
    config.settings.base_dir = Some(fixture_root());
    config
}

fn config_file_for(fixture: &Path) -> Config {
    let opts = PathBuf::from(format!("{}.options.yaml", fixture.display()));
    if opts.is_file() {
        match Config::load(&opts) {
            Ok(mut c) => {
                c.root = PathBuf::from(".");
                c
            }
            Err(e) => panic!("{}: bad options file: {:?}", opts.display(), e.diagnostics),
        }
    } else {
        Config::with_defaults(PathBuf::from("."))
    }
}

fn inputs_for(path: &Path, kind: Option<FileKind>, config: &Config) -> Vec<Input> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let (c, _) = discover::walk(&[path.to_path_buf()], config);
        c.into_iter().map(|c| c.path).collect()
    } else {
        vec![path.to_path_buf()]
    };
    files
        .into_iter()
        .map(|f| {
            let guess = match kind {
                Some(k) if !path.is_dir() => NameGuess::Kind(k),
                _ => discover::guess(&f, config).unwrap_or(NameGuess::Yaml),
            };
            let rel = f
                .strip_prefix(fixture_root())
                .unwrap_or(&f)
                .display()
                .to_string();
            Input {
                display: rel,
                text: Some(match std::fs::read(&f) {
                    Ok(bytes) => deploylint::source::decode(bytes, 10 << 20),
                    Err(e) => Err((deploylint::source::ReadError::Io(e), String::new())),
                }),
                path: None,
                guess,
            }
        })
        .collect()
}

fn render(result: &LintResult) -> String {
    let mut out = Vec::new();
    report::write(Format::Human, result, &HumanOptions::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn lint_fixture(path: &Path, code: &str) -> (LintResult, Config) {
    let meta = catalog()
        .get(code)
        .unwrap_or_else(|| panic!("{code}: no catalog entry"));
    let kind = FileKind::from_name(meta.format);
    let config = config_for(path);
    let opts = LintOptions {
        select: vec![code.to_owned()],
        ..LintOptions::default()
    };
    (
        lint(inputs_for(path, kind, &config), &config, &opts),
        config,
    )
}

fn fired<'a>(result: &'a LintResult, code: &str) -> Vec<&'a Diagnostic> {
    result
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

/// Applies every fix, re-lints, and checks the fixed text parses and the rule is quiet there.
fn verify_fixes(path: &Path, code: &str, result: &LintResult, config: &Config) -> Option<String> {
    let mut shown = String::new();
    for file in &result.files {
        let diags: Vec<&Diagnostic> = result
            .diagnostics
            .iter()
            .filter(|d| d.file == file.id && d.fix.is_some())
            .collect();
        if diags.is_empty() {
            continue;
        }
        let (fixed, applied) = deploylint::fix::fixed_text(&file.source.text, &diags, true);
        assert!(
            applied > 0,
            "{}: fixes offered but none applied",
            path.display()
        );
        let kind = file.source.kind;
        let input = Input {
            display: file.source.path.clone(),
            path: None,
            guess: kind.map_or(NameGuess::Yaml, NameGuess::Kind),
            text: Some(Ok(fixed.clone())),
        };
        let opts = LintOptions::default();
        let again = lint(vec![input], config, &opts);
        let parse_errors: Vec<_> = again
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with('E'))
            .collect();
        assert!(
            parse_errors.is_empty(),
            "{}: fixed text does not parse: {parse_errors:?}",
            path.display()
        );
        let still: Vec<_> = again
            .diagnostics
            .iter()
            .filter(|d| d.code == code && diags.iter().any(|o| o.message == d.message))
            .collect();
        assert!(
            still.is_empty(),
            "{}: {code} still fires after its fix: {still:?}",
            path.display()
        );
        // Idempotent: a second round has nothing left to fix for this rule.
        assert!(
            !again
                .diagnostics
                .iter()
                .any(|d| d.code == code && d.fix.is_some()),
            "{}: fixing twice changes the text again",
            path.display()
        );
        let safety: Vec<&str> = diags
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .map(|f| match f.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            })
            .collect();
        shown.push_str(&format!(
            "--- fixed {} ({}) ---\n{fixed}",
            file.source.path,
            safety.join(", ")
        ));
    }
    (!shown.is_empty()).then_some(shown)
}

fn check_fixture(path: &Path) -> Result<(), String> {
    let code = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .ok_or("bad fixture path")?
        .to_owned();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("bad name")?
        .to_owned();
    let (result, config) = lint_fixture(path, &code);
    let hits = fired(&result, &code);
    if name.starts_with("fail") && hits.is_empty() {
        return Err(format!(
            "{}: expected {code} to fire, it did not",
            path.display()
        ));
    }
    if name.starts_with("pass") && !hits.is_empty() {
        return Err(format!(
            "{}: expected no {code}, got:\n{}",
            path.display(),
            render(&result)
        ));
    }
    let mut snapshot = render(&result);
    if let Some(fixed) = verify_fixes(path, &code, &result, &config) {
        snapshot.push('\n');
        snapshot.push_str(&fixed);
    }
    let dir = path.parent().ok_or("no parent")?.to_path_buf();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(path);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name.clone(), snapshot));
    Ok(())
}

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(codes) = std::fs::read_dir(fixture_root()) else {
        return out;
    };
    for code in codes.flatten() {
        let Ok(entries) = std::fs::read_dir(code.path()) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let n = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_owned();
            let is_fixture = (n.starts_with("fail") || n.starts_with("pass"))
                && !n.ends_with(".snap")
                && !n.ends_with(".snap.new")
                && !n.ends_with(".options.yaml");
            if is_fixture {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn rule_fixtures() {
    let all = fixtures();
    assert!(!all.is_empty(), "no fixtures found under fixtures/rules");
    let errors: Vec<String> = all.iter().filter_map(|p| check_fixture(p).err()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// Every built-in rule has a catalog entry, a failing and a passing fixture.
#[test]
fn every_rule_has_fixtures() {
    let all = fixtures();
    let mut missing = Vec::new();
    for meta in catalog().rules {
        if meta.status == "removed" {
            continue;
        }
        let has = |prefix: &str| {
            all.iter().any(|p| {
                p.parent()
                    .and_then(|d| d.file_name())
                    .and_then(|n| n.to_str())
                    == Some(meta.code)
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(prefix))
            })
        };
        if meta.engine != "builtin" {
            continue; // parser and engine codes are covered by tests/cli.rs
        }
        if !has("fail") {
            missing.push(format!("{}: no fail fixture", meta.code));
        }
        if !has("pass") {
            missing.push(format!("{}: no pass fixture", meta.code));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The catalog loads, and matches the registered implementations one to one.
#[test]
fn catalog_matches_implementations() {
    // (A malformed catalog entry fails the build: build.rs checks each.)
    let cat = catalog();
    let implemented: Vec<&str> = deploylint::rules::builtin_rules()
        .iter()
        .map(|r| r.code())
        .collect();
    let mut problems = Vec::new();
    for code in &implemented {
        match cat.get(code) {
            None => problems.push(format!("{code}: implemented but has no catalog entry")),
            Some(m) if m.engine != "builtin" => problems.push(format!(
                "{code}: implemented but catalog says engine {}",
                m.engine
            )),
            _ => {}
        }
        if implemented.iter().filter(|c| *c == code).count() > 1 {
            problems.push(format!("{code}: implemented twice"));
        }
    }
    for m in cat.rules {
        if m.engine == "builtin" && m.status != "removed" && !implemented.contains(&m.code) {
            problems.push(format!("{}: catalog entry without implementation", m.code));
        }
        let expected = format!("{}-{}.yaml", m.code, m.name);
        if !m.file.ends_with(&expected) {
            problems.push(format!("{}: file should be named {expected}", m.file));
        }
        let valid_code = m.code.len() >= 4
            && m.code
                .chars()
                .take_while(|c| c.is_ascii_uppercase())
                .count()
                >= 1
            && m.code.chars().rev().take(3).all(|c| c.is_ascii_digit());
        if !valid_code {
            problems.push(format!(
                "{}: code must be a prefix and three digits",
                m.code
            ));
        }
        if !m
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.push(format!("{}: name `{}` is not kebab-case", m.code, m.name));
        }
        if m.category == "security" && m.references.is_empty() {
            problems.push(format!("{}: security rules cite a reference", m.code));
        }
        if m.rationale.trim().is_empty() || m.remediation.trim().is_empty() {
            problems.push(format!(
                "{}: rationale and remediation are required",
                m.code
            ));
        }
        if !["any", "project"].contains(&m.format) && FileKind::from_name(m.format).is_none() {
            problems.push(format!("{}: unknown format {}", m.code, m.format));
        }
        if cat
            .rules
            .iter()
            .filter(|o| o.code == m.code || o.name == m.name)
            .count()
            > 1
        {
            problems.push(format!("{}: code or name used twice", m.code));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn example_file_name(meta: &deploylint::catalog::RuleMeta) -> String {
    if let Some(f) = meta.examples.filename {
        return f.to_owned();
    }
    match meta.format {
        "dockerfile" => "Dockerfile",
        "php-fpm" => "www.conf",
        "php-ini" => "php.ini",
        "octane" => "config/octane.php",
        "roadrunner" => ".rr.yaml",
        "compose" => "compose.yaml",
        _ => "example.yaml",
    }
    .to_owned()
}

/// Rules that compare two files and so cannot have single-file examples
/// (their fixtures are directories).
/// `examples.bad` raises the rule and `examples.good` does not, so docs never drift.
#[test]
fn catalog_examples_run() {
    let mut problems = Vec::new();
    for m in catalog().rules.iter().filter(|m| m.status != "removed") {
        let name = example_file_name(m);
        let config = Config::with_defaults(PathBuf::from("."));
        let opts = LintOptions {
            select: vec![m.code.to_owned()],
            ..LintOptions::default()
        };
        let lint = |text: &str| {
            let files = deploylint::catalog::example_files(text, &name);
            deploylint::lint_texts(&files, &config, &opts)
        };
        if let Some(bad) = &m.examples.bad {
            let r = lint(bad);
            if fired(&r, m.code).is_empty() {
                problems.push(format!("{}: examples.bad does not raise it", m.code));
            }
        } else if m.engine == "builtin" {
            problems.push(format!("{}: no examples.bad", m.code));
        }
        if let Some(good) = &m.examples.good {
            let r = lint(good);
            if !fired(&r, m.code).is_empty() {
                problems.push(format!(
                    "{}: examples.good raises it:\n{}",
                    m.code,
                    render(&r)
                ));
            }
        } else if m.engine == "builtin" {
            problems.push(format!("{}: no examples.good", m.code));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
