//! Regression tests for issue 12 ("never crash, never hang, never leak a
//! secret, never corrupt a file"), one or more per reproducer in
//! `../shared/bugs/` (each test names its folder). Inputs are re-created here
//! in small form; the original reproducer is also run when it is present.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_deploylint"));
    c.env_remove("NO_COLOR").env("NO_COLOR", "1");
    c
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run deploylint")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// A reproducer folder of `../shared/bugs`, when this checkout has it.
fn shared_bug(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/bugs")
        .join(name)
        .join("repro");
    p.is_dir().then_some(p)
}

fn no_crash(o: &Output) {
    let err = text(&o.stderr);
    assert!(
        matches!(code(o), 0..=2) && !err.contains("panicked"),
        "exit {:?}, stderr:\n{err}",
        o.status.code()
    );
}

/// human-miette-width-hand, crash-c92ab1fd7f: a finding at column >= 65,536
/// made miette panic (exit 101) in human output.
#[test]
fn human_output_survives_findings_past_column_65536() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("Dockerfile"),
        format!("FROM alpine:3.19\nRUN {}sudo ls\n", " ".repeat(65_532)),
    )
    .unwrap();
    std::fs::write(
        d.join("pod.yaml"),
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: x}}\nspec: {{containers: [{{name: a, {}image: nginx:latest}}]}}\n",
            " ".repeat(70_000)
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("php.ini"),
        format!("[PHP]\n{}expose_php = On\n", " ".repeat(70_000)),
    )
    .unwrap();
    for file in ["Dockerfile", "pod.yaml", "php.ini"] {
        let o = run_in(d, &["check", "--no-color", file]);
        no_crash(&o);
        let out = text(&o.stdout);
        assert!(out.contains("checked)"), "{file}: {out}");
    }
    let o = run_in(d, &["check", "--no-color", "Dockerfile"]);
    let out = text(&o.stdout);
    assert!(
        out.contains("DF021") && out.contains("Dockerfile:2:65537"),
        "{out}"
    );
    for dir in ["human-miette-width-hand", "crash-c92ab1fd7f"] {
        if let Some(repro) = shared_bug(dir) {
            no_crash(&run_in(&repro, &["check", "--no-color", "."]));
        }
    }
}

/// human-miette-width-hand: the same through the library, with colour.
#[test]
fn human_reporter_never_panics_on_wide_lines_in_process() {
    use deploylint::report::{self, Format, HumanOptions};
    let config = deploylint::config::Config::with_defaults(PathBuf::from("."));
    let text = format!("FROM alpine:3.19\nRUN {}sudo ls\n", " ".repeat(100_000));
    let r = deploylint::lint_text("Dockerfile", &text, &config, &Default::default());
    for color in [false, true] {
        let mut out = Vec::new();
        let opts = HumanOptions {
            color,
            ..HumanOptions::default()
        };
        report::write(Format::Human, &r, &opts, &mut out).unwrap();
        assert!(String::from_utf8_lossy(&out).contains("DF021"));
    }
}

/// stdin-unbounded-read: standard input is read up to max-file-size only; a
/// longer stream is a located E001 and the other paths are still linted.
#[test]
fn stdin_is_bounded_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join(".deploylint.yaml"), "max-file-size: 1000\n").unwrap();
    std::fs::write(d.join("Dockerfile"), "FROM alpine:latest\n").unwrap();
    let mut child = bin()
        .current_dir(d)
        .args([
            "check",
            "--format",
            "json",
            "-",
            "Dockerfile",
            "--stdin-filename",
            "stdin/Dockerfile",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Far more than the limit; the writer stops when deploylint stops reading.
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let chunk = vec![b'#'; 64 * 1024];
        for _ in 0..160 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let o = child.wait_with_output().unwrap();
    let _ = writer.join();
    no_crash(&o);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = report["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "E001" && d["path"] == "stdin/Dockerfile")
    );
    assert!(diags.iter().any(|d| d["path"] == "Dockerfile"), "{report}");
}

/// stdin-unbounded-read (second half): a FIFO or device named as a file was
/// silently skipped; it is now an error naming the path (exit 2).
#[cfg(unix)]
#[test]
fn fifo_and_devices_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = d.join("pipe.yaml");
    let ok = Command::new("mkfifo").arg(&fifo).status();
    let mut args = vec!["check", "/dev/zero"];
    if ok.is_ok_and(|s| s.success()) {
        args.push("pipe.yaml");
    }
    let o = run_in(d, &args);
    assert_eq!(code(&o), 2, "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains("/dev/zero") && err.contains("not a regular file"),
        "{err}"
    );
    if args.len() == 3 {
        assert!(err.contains("pipe.yaml"), "{err}");
    }
    assert!(!text(&o.stdout).contains("No problems found"));
}

/// A path that fails prints its error and no "No problems found (0 files checked)".
#[test]
fn a_failed_path_gets_no_all_clear_summary() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["check", "missing-dir"]);
    assert_eq!(code(&o), 2);
    assert!(text(&o.stderr).contains("missing-dir"));
    assert!(
        !text(&o.stdout).contains("No problems found"),
        "{}",
        text(&o.stdout)
    );
}

/// A symlink named on the command line to a file that is no config
/// (`/etc/passwd`) is refused with a reason; none of its content is quoted.
#[cfg(unix)]
#[test]
fn symlink_to_non_config_is_refused_without_quoting_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let secret = d.join("private-notes.txt");
    std::fs::write(&secret, "root:NotAConfigLine4242:0:0\n").unwrap();
    std::os::unix::fs::symlink(&secret, d.join("Dockerfile")).unwrap();
    let o = run_in(d, &["check", "--no-color", "Dockerfile"]);
    let all = text(&o.stdout) + text(&o.stderr).as_str();
    assert!(!all.contains("NotAConfigLine4242"), "{all}");
    assert!(all.contains("symlink"), "{all}");
    assert_eq!(code(&o), 2);
}

/// bom-yaml-skipped-or-e002: a manifest starting with a UTF-8 BOM, or with
/// lone-CR line endings, is linted as Kubernetes (was skipped / E002).
#[test]
fn bom_and_lone_cr_manifests_are_linted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: a\n      image: nginx:latest\n";
    std::fs::write(d.join("bom.yaml"), format!("\u{feff}{pod}")).unwrap();
    std::fs::write(d.join("cr.yaml"), pod.replace('\n', "\r")).unwrap();
    std::fs::write(d.join("crlf.yaml"), pod.replace('\n', "\r\n")).unwrap();
    for f in ["bom.yaml", "cr.yaml", "crlf.yaml"] {
        let o = run_in(d, &["check", "--format", "json", "--select", "K8S001,E", f]);
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(report["summary"]["files_checked"], 1, "{f}: {report}");
        let codes: Vec<&str> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert_eq!(codes, ["K8S001"], "{f}: {report}");
    }
    if let Some(repro) = shared_bug("bom-yaml-skipped-or-e002") {
        let o = run_in(&repro, &["check", "--verbose", "--no-color", "pod.yaml"]);
        assert!(text(&o.stderr).contains("pod.yaml: kubernetes"));
        let o = run_in(
            &repro,
            &[
                "check",
                "--no-color",
                "--config",
                "forced.deploylint.yaml",
                "pod.yaml",
            ],
        );
        assert!(!text(&o.stdout).contains("E002"), "{}", text(&o.stdout));
    }
}

/// terminal-escape-injection: control characters in file content and names
/// never reach the terminal raw in human output.
#[test]
fn control_characters_are_neutralised_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let hostile = "FROM alpine:latest\nRUN echo \x1b]0;PWNED\x07 \x1b[2J\x1b[31mFAKE\x1b[0m \u{9b}31m \u{202e}x\r\n";
    std::fs::write(d.join("Dockerfile"), hostile).unwrap();
    #[cfg(unix)]
    std::fs::write(d.join("Dockerfile.\x1b[32mgreen"), hostile).unwrap();
    let o = run_in(d, &["check", "--no-color", "."]);
    no_crash(&o);
    let out = text(&o.stdout) + text(&o.stderr).as_str();
    for bad in ['\x1b', '\x07', '\u{9b}', '\u{202e}'] {
        assert!(!out.contains(bad), "{bad:?} in output:\n{out}");
    }
    assert!(out.contains("DF002"));
}

/// Broken pipe: `deploylint rules | head -1` ended in a panic.
#[test]
fn closed_stdout_is_quiet() {
    for args in [
        &["rules"][..],
        &["explain", "DF001"],
        &["check", "--no-color", "fixtures/e2e"],
    ] {
        let mut child = bin()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        no_crash(&o);
    }
}

/// A Dockerfile instruction continued past the 1 MiB cap: a located error,
/// and the rest of it is not read as new instructions.
#[test]
fn over_long_continued_instruction_is_an_error_not_new_instructions() {
    let mut text = String::from("FROM alpine:3.19\nRUN echo \\\n");
    while text.len() < (1 << 20) * 5 / 4 {
        text.push_str("  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \\\n");
    }
    text.push_str("  USERX root \\\n  done\n");
    let config = deploylint::config::Config::with_defaults(PathBuf::from("."));
    let r = deploylint::lint_text("Dockerfile", &text, &config, &Default::default());
    let e040: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "E040").collect();
    assert_eq!(
        e040.len(),
        1,
        "{:?}",
        r.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    assert!(e040[0].message.contains("continues past 1 MiB"));
    assert!(!r.diagnostics.iter().any(|d| d.message.contains("USERX")));
}
