//! Work grows linearly with input size on the inputs that used to be
//! super-linear (`../shared/bugs/hang-*`, `slow-json-output-volume`).
//!
//! No absolute time limits: each generator is run at size n and 4n, best of
//! three, and the larger must take less than 10x the smaller (linear is about
//! 4x, quadratic 16x) in one of three attempts (a loaded machine slows single
//! measurements; a super-linear cost fails them all). Sizes are large enough that fixed costs do not dominate.

use deploylint::config::Config;
use deploylint::report::{self, Format, HumanOptions};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Lints `text` as `name` and renders it in `format`; returns the time taken.
fn run(name: &str, text: &str, format: Format) -> Duration {
    let config = Config::with_defaults(PathBuf::from("."));
    let start = Instant::now();
    let r = deploylint::lint_text(name, text, &config, &Default::default());
    let mut out = Vec::new();
    report::write(format, &r, &HumanOptions::default(), &mut out).expect("report");
    std::hint::black_box(out);
    start.elapsed()
}

fn best_of_3(name: &str, text: &str, format: Format) -> Duration {
    (0..3)
        .map(|_| run(name, text, format))
        .min()
        .unwrap_or_default()
}

fn assert_linear(what: &str, name: &str, format: Format, make: impl Fn(usize) -> String, n: usize) {
    let small = make(n);
    let large = make(4 * n);
    // Warm-up (catalog, schemas, allocator).
    run(name, &small, format);
    // A busy machine (other tests, other builds) can slow one measurement
    // down; a super-linear cost fails every attempt, noise does not.
    let mut last = String::new();
    for attempt in 1..=3 {
        let t1 = best_of_3(name, &small, format);
        let t4 = best_of_3(name, &large, format);
        let ratio = t4.as_secs_f64() / t1.as_secs_f64().max(1e-6);
        eprintln!(
            "{what}: n={n} ({} B) {t1:.2?}, 4n ({} B) {t4:.2?}, ratio {ratio:.1} (attempt {attempt})",
            small.len(),
            large.len()
        );
        if ratio < 10.0 || t4 < Duration::from_millis(50) {
            return;
        }
        last = format!("{what}: 4x input took {ratio:.1}x the time ({t1:?} -> {t4:?})");
    }
    panic!("{last}, in each of 3 attempts");
}

/// hang-yaml-many-keys-quadratic: one mapping with n keys.
#[test]
fn yaml_mapping_with_many_keys() {
    let make = |n: usize| {
        let mut s = String::from("x:\n");
        for i in 0..n {
            s.push_str(&format!("  k{i}: v\n"));
        }
        s
    };
    assert_linear("yaml keys", "docker-compose.yml", Format::Json, make, 5_000);
    let flow = |n: usize| {
        let keys: Vec<String> = (0..n).map(|i| format!("k{i}: v")).collect();
        format!("x: {{{}}}\n", keys.join(", "))
    };
    assert_linear(
        "yaml flow keys",
        "docker-compose.yml",
        Format::Json,
        flow,
        5_000,
    );
}

/// hang-suppress-comments-quadratic: n own-line suppressions over one line.
#[test]
fn many_own_line_suppressions() {
    let make =
        |n: usize| "# deploylint ignore=DF001 -- reason\n".repeat(n) + "FROM alpine:latest\n";
    assert_linear("suppressions", "Dockerfile", Format::Json, make, 5_000);
    // The same above an indented YAML block.
    let yaml = |n: usize| {
        let mut s = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n".to_owned();
        s.push_str(&"# deploylint ignore=K8S001 -- reason\n".repeat(n));
        s.push_str("data:\n");
        for i in 0..n {
            s.push_str(&format!("  k{i}: v\n"));
        }
        s
    };
    assert_linear(
        "suppressions over a block",
        "cm.yaml",
        Format::Json,
        yaml,
        2_000,
    );
    // n findings, each silenced by its own end-of-line directive.
    let eol = |n: usize| {
        "FROM alpine:3.19\n".to_owned()
            + "RUN sudo ls # deploylint ignore=DF021 -- reason\n"
                .repeat(n)
                .as_str()
    };
    assert_linear(
        "end-of-line suppressions",
        "Dockerfile",
        Format::Json,
        eol,
        1_000,
    );
}

/// hang-ini-unknown-key-suggestion: an unknown php.ini key of n characters.
#[test]
fn long_unknown_keys_get_cheap_suggestions() {
    let make = |n: usize| format!("[PHP]\n{} = 1\nmemory_limit = 128M\n", "x".repeat(n));
    assert_linear("ini long key", "php.ini", Format::Json, make, 50_000);
    let pool = |n: usize| format!("[www]\npm = static\n{} = 1\n", "y".repeat(n));
    assert_linear("fpm long key", "www.conf", Format::Json, pool, 50_000);
    // Dockerfile: many stages and a long `--from` name.
    let stages = |n: usize| {
        let mut s = String::new();
        for i in 0..200 {
            s.push_str(&format!("FROM alpine:3.19 AS stage{i}\n"));
        }
        s.push_str(&format!("COPY --from={} /a /b\n", "s".repeat(n)));
        s
    };
    assert_linear(
        "stage suggestion",
        "Dockerfile",
        Format::Json,
        stages,
        50_000,
    );
}

/// slow-json-output-volume: a pod with n containers (many findings each).
#[test]
fn report_volume_is_linear() {
    let make = |n: usize| {
        let mut s =
            String::from("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n");
        for i in 0..n {
            s.push_str(&format!("    - name: c{i}\n      image: busybox:1.36\n"));
        }
        s
    };
    assert_linear("json report", "pod.yaml", Format::Json, make, 150);
    assert_linear("human report", "pod.yaml", Format::Human, make, 150);
    // The same pod in flow style on one line: many findings on one long line.
    let one_line = |n: usize| {
        let containers: Vec<String> = (0..n)
            .map(|i| format!("{{name: c{i}, image: busybox:1.36}}"))
            .collect();
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: x}}\nspec: {{containers: [{}]}}\n",
            containers.join(", ")
        )
    };
    assert_linear(
        "json report, one line",
        "pod.yaml",
        Format::Json,
        one_line,
        250,
    );
    assert_linear(
        "human report, one line",
        "pod.yaml",
        Format::Human,
        one_line,
        250,
    );
}

/// Very long lines in human output (the miette width crash): drawn as plain
/// lines, in time linear in the line length.
#[test]
fn long_lines_in_human_output() {
    let make = |n: usize| format!("FROM alpine:3.19\nRUN {}sudo ls\n", " ".repeat(n));
    assert_linear("long line", "Dockerfile", Format::Human, make, 50_000);
}

/// The masking pass (`secrets::detect`) on hostile lines: chained secret
/// assignments, many credentials on one line, a long line of placeholders.
#[test]
fn secret_scan_is_linear() {
    let chained = |n: usize| format!("FROM alpine:3.19\nENV {}x\n", "DB_PASSWORD=".repeat(n));
    assert_linear(
        "chained assignments",
        "Dockerfile",
        Format::Json,
        chained,
        20_000,
    );
    let tokens = |n: usize| {
        format!(
            "FROM alpine:3.19\nRUN echo {}\n",
            "ghp_0123456789abcdefghij0123456789abcdefgh ".repeat(n)
        )
    };
    assert_linear(
        "credentials on one line",
        "Dockerfile",
        Format::Json,
        tokens,
        5_000,
    );
    let placeholders = |n: usize| format!("FROM alpine:3.19\nENV {}\n", "K=${K:-".repeat(n));
    assert_linear(
        "nested placeholders",
        "Dockerfile",
        Format::Json,
        placeholders,
        20_000,
    );
}

/// Own-line suppressions interleaved with the lines of one long continued
/// instruction: each one's block runs to the end of the instruction.
#[test]
fn suppressions_inside_a_continued_instruction() {
    let make = |n: usize| {
        "FROM alpine:3.19\nRUN echo \\\n".to_owned()
            + "# deploylint ignore=DF021 -- reason\n  sudo x \\\n"
                .repeat(n)
                .as_str()
            + "  done\n"
    };
    assert_linear(
        "interleaved suppressions",
        "Dockerfile",
        Format::Json,
        make,
        5_000,
    );
}

/// `config/octane.php`: a large array of misspelt keys (each gets a
/// suggestion), Swoole options and nested arrays, through every OCT rule.
#[test]
fn octane_config_is_linear() {
    let make = |n: usize| {
        let mut s = String::from("<?php\nreturn [\n    'swoole' => ['options' => [\n");
        for i in 0..n {
            s.push_str(&format!("        'worker_nun{i}' => {i} * 1024,\n"));
        }
        s.push_str("    ]],\n");
        for i in 0..n {
            s.push_str(&format!(
                "    'garbge{i}' => [env('X{i}', 'd') . '/x', [1, [2, [3]]], Foo::class],\n"
            ));
        }
        s.push_str("];\n");
        s
    };
    assert_linear("octane.php", "config/octane.php", Format::Json, make, 1_000);
}
