//! A real editor: headless Neovim attaches `deploylint lsp` to a Dockerfile
//! and a YAML buffer (tests/neovim/init.lua), waits for diagnostics and
//! applies a quick fix. `.ci/run` installs Neovim; without `nvim` on PATH the
//! test says so and passes (set DEPLOYLINT_REQUIRE_NVIM=1 to fail instead).

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

#[test]
fn neovim_gets_diagnostics_and_applies_a_quick_fix() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("DEPLOYLINT_REQUIRE_NVIM").is_none(),
            "nvim is required but not on PATH"
        );
        eprintln!("skipped: nvim is not installed (.ci/run installs it)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::write(root.join(".deploylint.yaml"), "# workspace\n").unwrap();
    std::fs::write(
        root.join("Dockerfile"),
        "FROM alpine:3.20\nRUN apk add curl\n",
    )
    .unwrap();
    std::fs::write(
        root.join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n",
    )
    .unwrap();
    let out = root.join("seen.txt");
    let init = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/neovim/init.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-u"])
        .arg(&init)
        .env("DEPLOYLINT_BIN", env!("CARGO_BIN_EXE_deploylint"))
        .env("DEPLOYLINT_ROOT", &root)
        .env("DEPLOYLINT_OUT", &out)
        .current_dir(&root)
        .spawn()
        .expect("start nvim");
    // Bounded: a hung editor fails the test instead of hanging CI.
    let mut waited = Duration::ZERO;
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if waited > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("nvim did not finish");
        }
        std::thread::sleep(Duration::from_millis(100));
        waited += Duration::from_millis(100);
    }
    let seen = std::fs::read_to_string(&out).expect("nvim wrote its results");
    eprintln!("{seen}");
    assert!(!seen.contains("error:"), "{seen}");
    assert!(seen.contains("yaml K8S001 7:"), "{seen}");
    assert!(seen.contains("dockerfile DF014 1:"), "{seen}");
    assert!(seen.contains("applied "), "{seen}");
    assert!(
        seen.contains("buffer RUN apk add --no-cache curl"),
        "{seen}"
    );
}
