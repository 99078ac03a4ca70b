//! The multi-service Laravel stack of the design notes (`fixtures/compose/laravel-stack`:
//! a gateway, a broker, a cache and three app services with their own databases, plus
//! its `.env`): every plaintext password is found and none is printed, in any format;
//! its clean twin (`laravel-stack-clean`) has no compose or dotenv finding.

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/compose")
        .join(name)
}

fn check(dir: &str, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_deploylint"))
        .current_dir(fixture(dir))
        .args(["check", "--no-context", "--select", "ALL"])
        .args(args)
        .arg(".")
        .output()
        .unwrap();
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

/// Every password, key and token planted in the stack.
const PLANTED: &[&str] = &[
    "Brk-Pass-2024-orders",
    "c4che-Sup3r-77",
    "K0ng-Admin-Pw",
    "Ord3rs-DB-pass",
    "sk_live_51H8aQ2eZvKYlo2C8xq9Lm3NpRsTuVwXy",
    "Cat-4log-pw",
    "q0Hk9Zx1m3Yp2Rt7Vb5Nc8Lw4Js6Df0Ga1Sh2Jk3Ll4",
    "AKIAQ3EGRPTW5EXAMPLE",
];

#[test]
fn laravel_stack_secrets_are_found_and_masked() {
    let human = check("laravel-stack", &["--no-color"]);
    for format in [
        vec!["--no-color"],
        vec!["--format", "json"],
        vec!["--output-format", "sarif"],
        vec!["--output-format", "github"],
        vec!["--output-format", "concise"],
        vec!["--diff", "--unsafe-fixes"],
    ] {
        let out = check("laravel-stack", &format);
        for s in PLANTED {
            assert!(!out.contains(s), "{format:?} prints `{s}`:\n{out}");
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&check("laravel-stack", &["--format", "json"])).unwrap();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    let count = |c: &str| codes.iter().filter(|x| **x == c).count();
    // Plaintext values: the shared anchor (2), gateway, gateway-db, broker,
    // orders, orders-db, billing (Stripe; `secret` twice is info), catalog URL, catalog-db.
    assert!(count("DC003") >= 10, "{codes:?}");
    assert_eq!(
        count("DC005"),
        1,
        "cache is waited for but has no healthcheck"
    );
    assert!(count("DC100") >= 4, "{codes:?}");
    for c in [
        "DC004", "DC006", "DC008", "DC009", "DC011", "DC101", "DC102",
    ] {
        assert!(count(c) >= 1, "{c}: {codes:?}");
    }
    assert!(
        !codes
            .iter()
            .any(|c| c.starts_with('E') || *c == "DC001" || *c == "DC002"),
        "{codes:?}"
    );
    insta::assert_snapshot!("laravel_stack", human);
}

#[test]
fn laravel_stack_clean_twin_is_quiet() {
    let json: serde_json::Value =
        serde_json::from_str(&check("laravel-stack-clean", &["--format", "json"])).unwrap();
    let dc: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("DC") || c.starts_with('E'))
        })
        .map(|d| d.to_string())
        .collect();
    assert!(dc.is_empty(), "{dc:#?}");
}
