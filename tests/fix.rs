//! `--fix` never damages files: reproducers fix-bom-and-metadata and
//! fix-race-shared-tmp of `../shared/bugs`, re-created here.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_deploylint"));
    c.env_remove("NO_COLOR").env("NO_COLOR", "1");
    c
}

fn fix(dir: &Path, files: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(["check", "--fix", "--unsafe-fixes", "--quiet"])
        .args(files)
        .output()
        .expect("run deploylint")
}

const APT: &str = "FROM debian:12\nRUN apt-get install -y curl\n";

fn fixed(text: &str) -> bool {
    text.contains("--no-install-recommends")
}

/// fix-bom-and-metadata: the BOM is kept, CRLF files get CRLF lines.
#[test]
fn fix_keeps_bom_and_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("Dockerfile.bom"), format!("\u{feff}{APT}")).unwrap();
    std::fs::create_dir(d.join("php-fpm.d")).unwrap();
    std::fs::write(
        d.join("php-fpm.d/www.conf"),
        "[www]\r\npm = dynamic\r\npm.max_children = 5\r\n",
    )
    .unwrap();
    std::fs::write(d.join("Dockerfile.noeol"), APT.trim_end()).unwrap();
    let o = fix(
        d,
        &["Dockerfile.bom", "php-fpm.d/www.conf", "Dockerfile.noeol"],
    );
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    let bom = std::fs::read(d.join("Dockerfile.bom")).unwrap();
    assert!(bom.starts_with(b"\xEF\xBB\xBFFROM debian:12\n"), "{bom:?}");
    assert!(fixed(&String::from_utf8_lossy(&bom)));
    let conf = std::fs::read_to_string(d.join("php-fpm.d/www.conf")).unwrap();
    assert!(conf.contains("pm.max_requests"), "{conf:?}");
    assert_eq!(
        conf.matches('\n').count(),
        conf.matches("\r\n").count(),
        "bare LF in {conf:?}"
    );
    let noeol = std::fs::read_to_string(d.join("Dockerfile.noeol")).unwrap();
    assert!(fixed(&noeol) && !noeol.ends_with('\n'), "{noeol:?}");
}

/// fix-bom-and-metadata: mode kept, read-only refused (and reported with its
/// path while the others are fixed), symlink written through, hard link kept.
#[cfg(unix)]
#[test]
fn fix_keeps_metadata_links_and_refuses_read_only() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let set_mode = |name: &str, mode: u32| {
        std::fs::set_permissions(d.join(name), std::fs::Permissions::from_mode(mode)).unwrap();
    };
    for f in ["Dockerfile.mode", "Dockerfile.ro", "Dockerfile.hl"] {
        std::fs::write(d.join(f), APT).unwrap();
    }
    set_mode("Dockerfile.mode", 0o600);
    set_mode("Dockerfile.ro", 0o444);
    std::fs::create_dir(d.join("real")).unwrap();
    std::fs::write(d.join("real/Dockerfile"), APT).unwrap();
    std::os::unix::fs::symlink("real/Dockerfile", d.join("Dockerfile.link")).unwrap();
    std::fs::hard_link(d.join("Dockerfile.hl"), d.join("other-name")).unwrap();
    let inode = std::fs::metadata(d.join("Dockerfile.hl")).unwrap().ino();

    let o = fix(
        d,
        &[
            "Dockerfile.ro",
            "Dockerfile.mode",
            "Dockerfile.link",
            "Dockerfile.hl",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Dockerfile.ro") && err.contains("read-only"),
        "{err}"
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("1 error"),
        "{o:?}"
    );

    let read = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    assert_eq!(read("Dockerfile.ro"), APT, "read-only file rewritten");
    let meta = |f: &str| std::fs::symlink_metadata(d.join(f)).unwrap();
    assert_eq!(meta("Dockerfile.ro").mode() & 0o777, 0o444);
    assert!(fixed(&read("Dockerfile.mode")));
    assert_eq!(meta("Dockerfile.mode").mode() & 0o777, 0o600);
    assert!(meta("Dockerfile.link").file_type().is_symlink());
    assert!(fixed(&read("real/Dockerfile")));
    assert!(fixed(&read("Dockerfile.hl")));
    assert_eq!(meta("Dockerfile.hl").ino(), inode);
    assert!(fixed(&read("other-name")), "hard link broken");
    // No temporary file left behind.
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("deploylint"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// fix-race-shared-tmp: two concurrent runs on `Dockerfile.a` and
/// `Dockerfile.b` shared one temporary name, so one file got the other's text.
#[test]
fn concurrent_fixes_never_swap_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pad: String = "# pad\n".repeat(5_000);
    for round in 0..8 {
        std::fs::write(
            d.join("Dockerfile.a"),
            format!("FROM debian:12\nRUN apt-get install -y curl-AAAA\n{pad}"),
        )
        .unwrap();
        std::fs::write(
            d.join("Dockerfile.b"),
            format!("FROM debian:12\nRUN apt-get install -y curl-BBBB\n{pad}"),
        )
        .unwrap();
        let spawn = |f: &str| {
            bin()
                .current_dir(d)
                .args(["check", "--fix", "--unsafe-fixes", "--quiet", f])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("Dockerfile.a"), spawn("Dockerfile.b"));
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            assert!(
                o.status.code().is_some_and(|c| c <= 1),
                "round {round}: {o:?}"
            );
        }
        let a = std::fs::read_to_string(d.join("Dockerfile.a")).unwrap();
        let b = std::fs::read_to_string(d.join("Dockerfile.b")).unwrap();
        assert!(a.contains("AAAA") && fixed(&a), "round {round}");
        assert!(b.contains("BBBB") && fixed(&b), "round {round}");
    }
}

/// `check - --stdin-filename F --fix` prints the fixed text and writes no file,
/// even when a file named F exists (it used to be overwritten).
#[test]
fn fix_on_stdin_prints_and_touches_no_file() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let on_disk = "FROM alpine:3.19\n# untouched\n";
    std::fs::write(d.join("Dockerfile"), on_disk).unwrap();
    let mut child = bin()
        .current_dir(d)
        .args([
            "check",
            "--fix",
            "--unsafe-fixes",
            "-",
            "--stdin-filename",
            "Dockerfile",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM debian:12\r\nRUN apt-get install -y curl\r\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        out,
        "FROM debian:12\r\nRUN apt-get install --no-install-recommends -y curl\r\n"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("DF001"));
    assert_eq!(
        std::fs::read_to_string(d.join("Dockerfile")).unwrap(),
        on_disk
    );
}

fn fix_stdin(dir: &Path, name: &str, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = bin()
        .current_dir(dir)
        .args([
            "check",
            "--fix",
            "--unsafe-fixes",
            "-",
            "--stdin-filename",
            name,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// `--fix` on standard input: the BOM comes back; an input that is no config
/// (or has nothing to fix) is echoed unchanged, since editors replace their
/// buffer with what is printed; an input over the size limit prints nothing
/// and fails.
#[test]
fn fix_on_stdin_echoes_what_it_does_not_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let o = fix_stdin(d, "Dockerfile", format!("\u{feff}{APT}").as_bytes());
    assert!(
        o.stdout.starts_with(b"\xEF\xBB\xBFFROM debian:12\n"),
        "{o:?}"
    );
    assert!(fixed(&String::from_utf8_lossy(&o.stdout)));
    let notes = "just some notes: password = x\n";
    let o = fix_stdin(d, "notes.txt", notes.as_bytes());
    assert_eq!(String::from_utf8_lossy(&o.stdout), notes);
    let clean = "FROM alpine:3.19\nUSER 82:82\n";
    let o = fix_stdin(d, "Dockerfile", clean.as_bytes());
    assert_eq!(String::from_utf8_lossy(&o.stdout), clean);
    std::fs::write(d.join(".deploylint.yaml"), "max-file-size: 100\n").unwrap();
    let o = fix_stdin(d, "Dockerfile", "# pad\n".repeat(100).as_bytes());
    assert!(o.stdout.is_empty(), "{o:?}");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("E001"));
}
