//! The "PHP que Escala" seed pool (fixtures/php-fpm/seed/www.conf) through every
//! php-fpm rule: its correctly set directives draw no finding, and the
//! snapshot records what is genuinely missing.
#![cfg(test)]

use crate::config::Config;
use crate::engine::LintOptions;
use crate::report::{self, Format, HumanOptions};

const SEED: &str = include_str!("../../../fixtures/php-fpm/seed/www.conf");

#[test]
fn seed_pool_has_no_false_findings() {
    let opts = LintOptions {
        select: vec!["FPM".into()],
        ..LintOptions::default()
    };
    let config = Config::with_defaults(".".into());
    let r = crate::lint_text("fixtures/php-fpm/seed/www.conf", SEED, &config, &opts);
    let correct = [
        "pm = dynamic",
        "pm.max_children = 50",
        "pm.start_servers = 5",
        "pm.min_spare_servers = 5",
        "pm.max_spare_servers = 10",
        "pm.max_requests = 500",
        "ping.path = /ping",
        "pm.status_path = /status",
        "request_terminate_timeout = 30s",
    ];
    for d in &r.diagnostics {
        let line_start = SEED[..d.span.start].rfind('\n').map_or(0, |n| n + 1);
        let line = SEED[line_start..].lines().next().unwrap_or("");
        assert!(
            !correct.contains(&line),
            "false finding on `{line}`: {} {}",
            d.code,
            d.message
        );
    }
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| &*d.code).collect();
    for quiet in [
        "E020", "FPM001", "FPM002", "FPM003", "FPM004", "FPM005", "FPM006", "FPM007",
    ] {
        assert!(
            !codes.contains(&quiet),
            "{quiet} fired on the seed: {codes:?}"
        );
    }
    let mut out = Vec::new();
    report::write(Format::Human, &r, &HumanOptions::default(), &mut out).unwrap();
    insta::assert_snapshot!(String::from_utf8_lossy(&out));
}

/// Garbage and hostile input through the parser and every php-fpm rule:
/// located errors, never a crash (the engine turns a panic into E006).
#[test]
fn hostile_input_never_crashes_a_rule() {
    let opts = LintOptions {
        select: vec!["FPM".into()],
        ..LintOptions::default()
    };
    let config = Config::with_defaults(".".into());
    let long = format!("[www]\nlisten = {}\n", "9".repeat(200_000));
    let many = "[p]\npm = dynamic\npm.max_children = 1\n".repeat(2_000);
    for text in [
        "",
        "[",
        "[www]\npm = dynamic\npm.max_children = 99999999999999999999999\npm.min_spare_servers = -5\npm.max_spare_servers = x\n",
        "[www]\npm = ondemand\npm.max_children = 1\npm.process_idle_timeout = -1d\n",
        "include = [\ninclude = ../../../../*\ninclude = /\n",
        "[www]\nrequest_slowlog_timeout = 9999999999999d\nrequest_terminate_timeout = 1s\n",
        "\u{feff}[wẅw]\nuser = ${ROOT}\nenv[] = \nphp_flag[x] = \"yes\"\n",
        long.as_str(),
        many.as_str(),
    ] {
        let r = crate::lint_text("www.conf", text, &config, &opts);
        assert!(
            !r.diagnostics.iter().any(|d| d.code == "E006"),
            "a rule crashed on {:?}",
            text.get(..60)
        );
    }
}

/// Parse errors reach the user as located E020-E023 diagnostics.
#[test]
fn parse_errors_are_located_diagnostics() {
    let config = Config::with_defaults(".".into());
    let opts = LintOptions {
        select: vec!["E02".into()],
        ..LintOptions::default()
    };
    let text =
        "[global]\npid = /run/$pool.pid\n# old comment\n[www]\nlisten.group =\nslowlog = \"/tmp\n";
    let r = crate::lint_text("www.conf", text, &config, &opts);
    let got: Vec<(&str, &str)> = r
        .diagnostics
        .iter()
        .map(|d| (&*d.code, &text[d.span.range()]))
        .collect();
    assert_eq!(
        got,
        vec![
            ("E023", "$pool"),
            ("E021", "#"),
            ("E022", "listen.group ="),
            ("E020", "\"/tmp"),
        ]
    );
    assert!(r.diagnostics.iter().all(|d| d.help.is_some()));
    // The `#` fix turns the line into a comment, and the file then has one error less.
    let hash: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "E021").collect();
    let (fixed, applied) = crate::fix::fixed_text(text, &hash, false);
    assert_eq!(applied, 1);
    assert!(fixed.contains("\n; old comment\n"));
    let again = crate::lint_text("www.conf", &fixed, &config, &opts);
    assert!(!again.diagnostics.iter().any(|d| d.code == "E021"));
}

/// `;` suppression comments silence php-fpm findings at the pool header.
#[test]
fn semicolon_suppressions_apply() {
    let config = Config::with_defaults(".".into());
    let opts = LintOptions {
        select: vec!["FPM005".into(), "FPM006".into()],
        ..LintOptions::default()
    };
    let text = "; deploylint ignore=FPM005 -- probed over TCP by the sidecar\n[www]\nlisten = 9000\npm = static\npm.max_children = 2\n";
    let r = crate::lint_text("www.conf", text, &config, &opts);
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| &*d.code).collect();
    assert_eq!(codes, vec!["FPM006"]);
}
