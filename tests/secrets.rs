//! Planted credentials in every format and every place a secret was seen to
//! leak (`../shared/bugs/leak-*`): none may appear in any output, whichever
//! rules are selected or ignored, in human (plain and colour) and JSON output.

use deploylint::config::Config;
use deploylint::engine::{Input, LintOptions};
use deploylint::report::{self, Format, HumanOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

const GHP: &str = "ghp_PlantedGhToken0123456789abcdefABCDEF01";

/// (relative path, content) of the planted files; every value containing
/// `Plant` (and [`GHP`]) is a secret.
fn planted() -> Vec<(&'static str, String)> {
    vec![
        (
            "Dockerfile",
            format!(
                "FROM php:8.3-fpm\n\
                 ENV DB_PASSWORD=PlantEnvPw0001 APP_ENV=prod\n\
                 ARG API_TOKEN=PlantArgTok0002\n\
                 RUN mysql -uroot -pPlantMysqlPw0003 -e 'select 1' && apt-get install -y git\n\
                 RUN mysqldump --password=PlantDumpPw0004 db > /tmp/x && apt-get install -y curl\n\
                 RUN curl -H 'Authorization: token {GHP}' https://api.github.com && apt-get install -y vim\n\
                 RUN git clone https://deploy:PlantUrlPw0005@git.example.com/app.git && apt-get install -y zip\n\
                 RUN mysqladmin --password PlantSpacePw0006 status && apt-get install -y unzip\n"
            ),
        ),
        (
            "php.ini",
            "[PHP]\n\
             mysqli.default_pw = PlantIniPw0007\n\
             expose_php = On\n\
             smtp_password = \"PlantIniPw0008\"\n\
             session.save_path = \"tcp://redis:6379?auth=PlantIniAuth0009&timeout=2\"\n\
             display_errors = On\n"
                .into(),
        ),
        (
            "php-fpm.d/www.conf",
            "[www]\n\
             pm = dynamic\n\
             pm.max_children = 5\n\
             php_admin_value[mysqli.default_pw] = PlantFpmPw0010\n\
             env[DB_PASSWORD] = PlantFpmPw0011\n\
             php_admin_value[session.save_path] = \"tcp://redis:6379?auth=PlantFpmAuth0012\"\n\
             pm.max_spare_servers = 3\n"
                .into(),
        ),
        (
            "k8s/deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:latest\n          env:\n            - name: DB_PASSWORD\n              value: 8675309112233\n            - name: API_KEY\n              value: PlantK8sKey0013\n            - name: DB_URL\n              value: mysql://app:PlantK8sUrl0014@db/app\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  pin: 987654321098\n  password: PlantK8sSecret0015\ndata:\n  token: UGxhbnRCYXNlNjQwMDE2\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  DB_PASSWORD: PlantCmPw0017\n  REDIS_URL: redis://:PlantCmUrl0018@redis:6379\n"
                .into(),
        ),
        (
            "k8s/dup-secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: PlantDupPw0019\n  password: PlantDupPw0020\n"
                .into(),
        ),
        (
            "k8s/broken-secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: PlantBrokenPw0021\n  bad: a: b\n  other: PlantBrokenPw0022\n"
                .into(),
        ),
        (
            "k8s/broken-quote.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: \"PlantQuotePw0023\n  x: y\n"
                .into(),
        ),
        (
            "docker-compose.yml",
            "services:\n  app:\n    image: nginx:latest\n    environment:\n      - DB_PASSWORD=PlantComposePw0024\n      - APP_ENV=prod\n  db:\n    image: mysql:latest\n    environment:\n      MYSQL_ROOT_PASSWORD: PlantComposePw0025\n"
                .into(),
        ),
        (
            "compose/docker-compose.prod.yml",
            "x-env: &env\n  DB_PASSWORD: PlantComposePw0027\nservices:\n  app:\n    image: nginx:latest\n    environment:\n      <<: *env\n      - \"REDIS_PASSWORD=PlantComposePw0028\"\n  cache:\n    image: redis:7\n    command: redis-server --requirepass PlantComposePw0029\n  api:\n    image: nginx:1\n    environment:\n      <<: *env\n      DATABASE_URL: postgres://app:PlantComposeUrl0030@db/app\n"
                .into(),
        ),
        (
            ".env",
            "APP_ENV=production\nDB_PASSWORD=PlantDotenvPw0031\nexport MAIL_PASSWORD=\"PlantDotenvPw0032\"\nDATABASE_URL=postgres://u:PlantDotenvUrl0033@db/x\nSTRIPE_KEY=sk_live_PlantStripe0034abcdefghijkl\nAPP_SECRET='PlantDotenvSecret0035'\nbroken line PlantDotenvPw0036\nREDIS_PASSWORD=\"PlantDotenvOpen0037\n"
                .into(),
        ),
        (
            "k8s/overlay/kustomization.yaml",
            "resources:\n  - ../deploy.yaml\nsecretGenerator:\n  - name: app\n    literals:\n      - APP_KEY=base64:PlantKzKey0038abcdefghijklmnopqrstuvwxyzABC=\n      - pin=PlantKzPin0039\n      - \"DB_PASSWORD=PlantKzPw0040\"\n      - 'username=PlantKzUser0041'\n  - name: flow\n    literals: [token=PlantKzTok0042]\nconfigMapGenerator:\n  - name: env\n    literals:\n      - APP_ENV=production\n      - REDIS_URL=redis://:PlantKzUrl0043@redis:6379\n      - MAIL_PASSWORD=PlantKzPw0044\n"
                .into(),
        ),
        (
            ".rr.yaml",
            "version: \"3\"\nserver:\n  command: php worker.php\nhttp:\n  address: 0.0.0.0:8080\nkv:\n  redis:\n    driver: redis\n    config:\n      addrs: [redis:6379]\n      password: PlantRrPw0026\n"
                .into(),
        ),
    ]
}

fn secrets() -> Vec<String> {
    let mut out = vec![
        GHP.to_owned(),
        "8675309112233".into(),
        "987654321098".into(),
        "UGxhbnRCYXNlNjQwMDE2".into(),
    ];
    for (_, text) in planted() {
        let mut rest = text.as_str();
        while let Some(i) = rest.find("Plant") {
            let s = &rest[i..];
            let end = s
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(s.len());
            if s[..end].chars().any(|c| c.is_ascii_digit()) {
                out.push(s[..end].to_owned());
            }
            rest = &s[end..];
        }
    }
    out.sort();
    out.dedup();
    out
}

fn write_tree(dir: &Path) {
    for (name, text) in planted() {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn assert_clean(what: &str, output: &str) {
    for s in secrets() {
        assert!(
            !output.contains(&s),
            "{what}: `{s}` printed:\n{}",
            output
                .lines()
                .filter(|l| l.contains(&s))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

const SELECTIONS: &[&[&str]] = &[
    &[],
    &["--select", "DF001"],
    &["--select", "E"],
    &["--ignore", "DF004,K8S016,K8S022,K8S021,K8S059,FPM,INI"],
    &["--select", "ALL"],
    &["--ignore", "ALL"],
    &["--select", "DF016,K8S001,E002,E003"],
];

#[test]
fn planted_secrets_never_reach_cli_output() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path());
    let mut checked = 0;
    for sel in SELECTIONS {
        for format in FORMAT_ARGS {
            let o = Command::new(env!("CARGO_BIN_EXE_deploylint"))
                .current_dir(dir.path())
                .arg("check")
                .args(*sel)
                .args(*format)
                .arg(".")
                .output()
                .unwrap();
            let all = String::from_utf8_lossy(&o.stdout).into_owned()
                + String::from_utf8_lossy(&o.stderr).as_ref();
            assert!(o.status.code().is_some_and(|c| c <= 1), "{sel:?}: {all}");
            assert_clean(&format!("{sel:?} {format:?}"), &all);
            if sel.is_empty() && format[0] == "--no-color" {
                checked += 1;
                // The run did look at the planted places (findings nearby).
                assert!(all.contains("DF001"), "{all}");
            }
        }
    }
    assert_eq!(checked, 1);
}

/// Every output format (`--no-color` is the human one).
const FORMAT_ARGS: &[&[&str]] = &[
    &["--no-color"],
    &["--format", "json"],
    &["--output-format", "concise"],
    &["--output-format", "sarif"],
    &["--output-format", "github"],
    &["--output-format", "gitlab"],
    &["--output-format", "checkstyle"],
    &["--output-format", "junit"],
    &["--statistics"],
    // The diff's context lines are file text: masked too.
    &["--diff", "--unsafe-fixes"],
    &["--show-fixes", "--unsafe-fixes"],
    // `--quiet` skips the masking pass when only the summary is printed: it
    // must not skip it when anything else is.
    &["--quiet", "--no-color"],
    &["--quiet", "--format", "json"],
    &["--quiet", "--output-format", "concise"],
    &["--quiet", "--statistics"],
    &["--quiet", "--diff", "--unsafe-fixes"],
    &["--quiet", "--show-fixes", "--unsafe-fixes"],
    &["--quiet", "--verbose"],
];

/// In process, with colour on: the same, through both reporters.
#[test]
fn planted_secrets_never_reach_library_output_with_colour() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path());
    let config = Config::with_defaults(PathBuf::from("."));
    for sel in SELECTIONS {
        let mut opts = LintOptions::default();
        for pair in sel.chunks(2) {
            let list: Vec<String> = pair[1].split(',').map(str::to_owned).collect();
            match pair[0] {
                "--select" => opts.select = list,
                _ => opts.ignore = list,
            }
        }
        let inputs: Vec<Input> = planted()
            .into_iter()
            .map(|(name, _)| {
                let path = dir.path().join(name);
                let guess = deploylint::discover::guess(&path, &config)
                    .unwrap_or(deploylint::discover::NameGuess::Yaml);
                Input {
                    display: name.to_owned(),
                    path: Some(path),
                    guess,
                    text: None,
                }
            })
            .collect();
        let mut result = deploylint::lint(inputs, &config, &opts);
        // A finding whose fix, label and help quote a secret (no rule does;
        // the reporters must scrub it anyway: SARIF prints fix text).
        if let Some(d) = result.diagnostics.first().cloned() {
            let quoted = format!("x PlantEnvPw0001 {GHP} PlantK8sKey0013 y");
            let mut d = d;
            d.help = Some(quoted.clone().into());
            d.labels.push(deploylint::diagnostic::Label {
                file: d.file,
                span: d.span,
                message: quoted.clone(),
            });
            d.fix = Some(Box::new(deploylint::diagnostic::Fix::safe(
                quoted.clone(),
                vec![deploylint::diagnostic::Edit {
                    span: d.span,
                    replacement: quoted,
                }],
            )));
            result.diagnostics.push(d);
        }
        for (format, color) in [
            (Format::Human, true),
            (Format::Human, false),
            (Format::Json, false),
            (Format::Concise, false),
            (Format::Sarif, false),
            (Format::Github, false),
            (Format::Gitlab, false),
            (Format::Checkstyle, false),
            (Format::Junit, false),
        ] {
            let mut out = Vec::new();
            let human = HumanOptions {
                color,
                ..HumanOptions::default()
            };
            report::write(format, &result, &human, &mut out).unwrap();
            assert_clean(
                &format!("{sel:?} {format:?} colour={color}"),
                &String::from_utf8_lossy(&out),
            );
        }
    }
}

/// The reproducers of `../shared/bugs/leak-*`, when present.
#[test]
fn shared_leak_reproducers_print_no_secret() {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bugs");
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            "leak-k8s102-echoes-secret-value",
            &["deploy.yaml"],
            &["8675309112233", "987654321098"],
        ),
        (
            "leak-select-or-ignore-drops-masks",
            &["--select", "DF001", "Dockerfile"],
            &["AdvSelectPw1111"],
        ),
        (
            "leak-select-or-ignore-drops-masks",
            &["--ignore", "DF004", "Dockerfile"],
            &["AdvSelectPw1111"],
        ),
        (
            "leak-select-or-ignore-drops-masks",
            &["--select", "E", "secret.yaml"],
            &["AdvDupKeyPw8888", "AdvDupKeyPw9999"],
        ),
        (
            "leak-undetected-run-ini-fpm",
            &["."],
            &[
                "RunMysqlPw99",
                "IniMysqliPw6060",
                "IniSmtpPw2020",
                "FpmAdminValPw7711",
            ],
        ),
        (
            "leak-yaml-syntax-error-in-secret",
            &["secret.yaml"],
            &["AdvSyntaxErrPw7777"],
        ),
    ];
    for (dir, args, values) in cases {
        let repro = base.join(dir).join("repro");
        if !repro.is_dir() {
            continue;
        }
        for format in [&["--no-color"][..], &["--format", "json"]] {
            let o = Command::new(env!("CARGO_BIN_EXE_deploylint"))
                .current_dir(&repro)
                .arg("check")
                .args(format)
                .args(*args)
                .output()
                .unwrap();
            let all = String::from_utf8_lossy(&o.stdout).into_owned()
                + String::from_utf8_lossy(&o.stderr).as_ref();
            for v in *values {
                assert!(!all.contains(v), "{dir} {args:?}: `{v}` printed:\n{all}");
            }
        }
    }
}
