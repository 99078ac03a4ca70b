//! In-tree mutation fuzzer (stable Rust, no dependencies): mutates the
//! fixtures of every format, lints each mutant in process and renders both
//! reporters, under one of several `--select`/`--ignore` sets, and fails on
//! - a panic (anywhere: parser, rule, engine, reporter; also one deploylint
//!   catches itself, counted by a panic hook),
//! - time above a generous bound proportional to the input size,
//! - a planted secret value appearing in the human or JSON output.
//!
//! `cargo test --test fuzz` runs a short deterministic run. Longer runs:
//! `DEPLOYLINT_FUZZ_CASES=20000 cargo test --release --test fuzz -- --nocapture`
//! (`DEPLOYLINT_FUZZ_SEED=<n>` picks another sequence). A failure prints the
//! seed and case number, and writes the minimised input to
//! `$CARGO_TARGET_TMPDIR/fuzz-failures/`; keep it in `fixtures/bugs/fuzz/`,
//! whose files are linted by [`minimised_crashes_stay_fixed`].

use deploylint::config::Config;
use deploylint::engine::LintOptions;
use deploylint::report::{self, Format, HumanOptions};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

const DEFAULT_CASES: usize = 2000;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture whose name deploylint recognises: (path relative to the
/// crate root, text).
fn corpus() -> Vec<(String, String)> {
    let config = Config::with_defaults(PathBuf::from("."));
    let mut out = Vec::new();
    let mut stack = vec![root().join("fixtures")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(root())
                .unwrap_or(&p)
                .to_string_lossy()
                .into_owned();
            if deploylint::discover::guess(Path::new(&rel), &config).is_none() {
                continue;
            }
            match std::fs::read_to_string(&p) {
                Ok(t) if t.len() < 256 * 1024 => out.push((rel, t)),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// Planted secret lines, each with `{}` for the value; one is inserted at a
/// line start as the last mutation.
const SECRET_LINES: &[&str] = &[
    "ENV DB_PASSWORD={}",
    "ARG API_TOKEN={}",
    "RUN mysql -uroot -p{} -e 'select 1'",
    "RUN mysqldump --password={} app",
    "RUN curl -H 'Authorization: Bearer {}' https://example.com",
    "password: {}",
    "  DB_PASSWORD: \"{}\"",
    "- name: DB_PASSWORD\n  value: {}",
    "mysqli.default_pw = {}",
    "php_admin_value[mysqli.default_pw] = {}",
    "env[DB_PASSWORD] = {}",
    "session.save_path = \"tcp://redis:6379?auth={}\"",
    "      - REDIS_PASSWORD={}",
    "DATABASE_URL: mysql://app:{}@db/app",
];

const STRUCTURAL: &[&str] = &[
    ":",
    "{",
    "}",
    "[",
    "]",
    "-",
    "#",
    ";",
    "=",
    "\"",
    "'",
    "\\",
    "\n",
    "\t",
    " ",
    "- ",
    ": ",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "<<: ",
    "|\n",
    ">-\n",
    "\\\n",
    "[www]\n",
    "[PHP]\n",
    "FROM ",
    "RUN ",
    "COPY --from=",
    "<<EOF\n",
    "EOF\n",
    "${",
    "}",
    "\r",
    "\0",
    "\u{feff}",
    "\u{1b}[2J",
    "é",
    "😀",
];

#[derive(Debug)]
struct Case {
    name: String,
    text: String,
    /// (planted line, secret value in it).
    secret: Option<(String, String)>,
    mutations: Vec<&'static str>,
    /// Index into [`SELECTIONS`]: masking must not depend on the rules run.
    selection: usize,
}

/// `--select` / `--ignore` sets the cases are linted with.
const SELECTIONS: &[(&[&str], &[&str])] = &[
    (&[], &[]),
    (&[], &[]),
    (&["DF001"], &[]),
    (&["E"], &[]),
    (&[], &["DF004", "K8S016", "K8S021", "K8S022", "FPM", "INI"]),
    (&["K8S001", "DF016", "E002", "E003"], &[]),
];

fn options(selection: usize) -> LintOptions {
    let (select, ignore) = SELECTIONS[selection % SELECTIONS.len()];
    LintOptions {
        select: select.iter().map(|s| (*s).to_owned()).collect(),
        ignore: ignore.iter().map(|s| (*s).to_owned()).collect(),
        ..LintOptions::default()
    }
}

fn line_start(text: &str, rng: &mut Rng) -> usize {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    *rng.pick(&starts)
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(corpus: &[(String, String)], rng: &mut Rng, case_no: usize) -> Case {
    let (name, base) = rng.pick(corpus);
    let mut text = base.clone();
    let mut mutations = Vec::new();
    for _ in 0..1 + rng.below(4) {
        let at = boundary(&text, rng.below(text.len() + 1));
        let m = match rng.below(12) {
            0 => {
                // Replace one character with a structural one.
                let end = boundary(&text, at + 1).max(at);
                let end = if end == at && at < text.len() {
                    at + text[at..].chars().next().map_or(0, char::len_utf8)
                } else {
                    end
                };
                let piece = STRUCTURAL[rng.below(STRUCTURAL.len())];
                text.replace_range(at..end, piece);
                "replace"
            }
            1 | 2 => {
                let piece = STRUCTURAL[rng.below(STRUCTURAL.len())];
                text.insert_str(at, piece);
                "insert-structural"
            }
            3 => {
                text.truncate(at);
                "truncate"
            }
            4 => {
                let (_, other) = rng.pick(corpus);
                let a = boundary(other, rng.below(other.len() + 1));
                let b = boundary(other, a + rng.below(2000));
                text.insert_str(at, &other[a..b.max(a)]);
                "splice"
            }
            5 => {
                let at = line_start(&text, rng);
                let filler = if rng.below(2) == 0 { " " } else { "a" };
                text.insert_str(at, &filler.repeat(65_530 + rng.below(10_000)));
                "long-line"
            }
            6 => {
                let depth = 50 + rng.below(400);
                let (open, close) = *rng.pick(&[("[", "]"), ("{a: ", "}"), ("- ", "")]);
                let nested = format!("{}x{}", open.repeat(depth), close.repeat(depth));
                text.insert_str(at, &nested);
                "deep-nesting"
            }
            7 => {
                match rng.below(3) {
                    0 => text.insert(0, '\u{feff}'),
                    1 => text = text.replace("\r\n", "\n").replace('\n', "\r\n"),
                    _ => text = text.replace("\r\n", "\n").replace('\n', "\r"),
                }
                "bom-crlf-cr"
            }
            8 => {
                text.insert(at, '\0');
                "nul"
            }
            9 => {
                // Duplicate a region (duplicate keys, repeated stages...).
                let b = boundary(&text, at + rng.below(500));
                let region = text[at..b.max(at)].to_owned();
                text.insert_str(b.max(at), &region);
                "duplicate"
            }
            10 => {
                let b = boundary(&text, at + rng.below(200));
                text.replace_range(at..b.max(at), "");
                "delete"
            }
            _ => {
                let at = line_start(&text, rng);
                text.insert_str(at, "# deploylint ignore=all -- fuzz\n");
                "suppression"
            }
        };
        mutations.push(m);
    }
    let secret = (rng.below(3) == 0).then(|| {
        let value = format!("FzSecret{case_no:06}x{:08x}", rng.next() as u32);
        let line = rng.pick(SECRET_LINES).replace("{}", &value);
        let at = line_start(&text, rng);
        text.insert_str(at, &format!("{line}\n"));
        mutations.push("plant-secret");
        (line, value)
    });
    Case {
        name: name.clone(),
        text,
        secret,
        mutations,
        selection: rng.below(SELECTIONS.len()),
    }
}

#[derive(Debug)]
#[allow(dead_code)] // The fields are read through `Debug` in the failure message.
enum Failure {
    Panic(String),
    Slow(Duration),
    Leak(&'static str),
}

type Secret<'a> = Option<(&'a str, &'a str)>;

/// Panics anywhere, also those deploylint catches itself (a rule reported as
/// E006, a renderer falling back to a plain line): every one is a bug.
static PANICS: AtomicUsize = AtomicUsize::new(0);
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

fn count_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut last) = LAST_PANIC.lock() {
                *last = info.to_string().chars().take(2000).collect();
            }
        }));
    });
}

/// Lints and renders one input; `None` when all is well.
fn check(name: &str, text: &str, secret: Secret<'_>, opts: &LintOptions) -> Option<Failure> {
    count_panics();
    let config = Config::with_defaults(PathBuf::from("."));
    let panics_before = PANICS.load(Ordering::SeqCst);
    let start = Instant::now();
    let outputs = catch_unwind(AssertUnwindSafe(|| {
        let result = deploylint::lint_text(name, text, &config, opts);
        // A panic the engine caught (a rule or parser crashed) is a failure too.
        let internal = result.diagnostics.iter().find(|d| d.code == "E006");
        let internal = internal.map(|d| d.message.clone());
        let mut human = Vec::new();
        let mut json = Vec::new();
        let opts = HumanOptions::default();
        report::write(Format::Human, &result, &opts, &mut human).expect("human");
        report::write(Format::Json, &result, &opts, &mut json).expect("json");
        (human, json, internal)
    }));
    let elapsed = start.elapsed();
    if PANICS.load(Ordering::SeqCst) != panics_before {
        let last = LAST_PANIC.lock().map(|l| l.clone()).unwrap_or_default();
        return Some(Failure::Panic(last));
    }
    let (human, json) = match outputs {
        Ok((_, _, Some(internal))) => return Some(Failure::Panic(internal)),
        Ok((human, json, None)) => (human, json),
        Err(e) => {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            return Some(Failure::Panic(msg));
        }
    };
    // Generous: several seconds plus 50 µs per byte (debug build, shared CPU).
    let bound = Duration::from_secs(5) + Duration::from_micros(50 * text.len() as u64);
    if elapsed > bound {
        return Some(Failure::Slow(elapsed));
    }
    // The planted value is checked only while the input still holds its
    // line verbatim.
    if let Some((_, s)) = secret.filter(|(line, _)| text.contains(line)) {
        if String::from_utf8_lossy(&human).contains(s) {
            return Some(Failure::Leak("human"));
        }
        if String::from_utf8_lossy(&json).contains(s) {
            return Some(Failure::Leak("json"));
        }
    }
    None
}

fn same_kind(a: &Failure, b: &Failure) -> bool {
    matches!(
        (a, b),
        (Failure::Panic(_), Failure::Panic(_))
            | (Failure::Slow(_), Failure::Slow(_))
            | (Failure::Leak(_), Failure::Leak(_))
    )
}

/// Removes chunks of lines, then of characters, while the failure stays.
fn minimise(
    name: &str,
    text: &str,
    secret: Secret<'_>,
    opts: &LintOptions,
    failure: &Failure,
) -> String {
    let mut cur = text.to_owned();
    let still = |t: &str| {
        secret.is_none_or(|(line, _)| t.contains(line))
            && check(name, t, secret, opts).is_some_and(|f| same_kind(&f, failure))
    };
    if matches!(failure, Failure::Slow(_)) {
        return cur;
    }
    let mut chunk = cur.len() / 2;
    let mut tries = 0;
    while chunk > 0 && tries < 400 {
        let mut at = 0;
        while at < cur.len() && tries < 400 {
            let a = boundary(&cur, at);
            let b = boundary(&cur, a + chunk);
            if b <= a {
                break;
            }
            let mut candidate = cur.clone();
            candidate.replace_range(a..b, "");
            tries += 1;
            if still(&candidate) {
                cur = candidate;
            } else {
                at = b;
            }
        }
        chunk /= 2;
    }
    cur
}

fn fail(case_no: usize, seed: u64, case: &Case, failure: &Failure) -> ! {
    let secret = case.secret.as_ref().map(|(l, v)| (l.as_str(), v.as_str()));
    let small = minimise(
        &case.name,
        &case.text,
        secret,
        &options(case.selection),
        failure,
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let file_name = Path::new(&case.name)
        .file_name()
        .map_or_else(|| "input".into(), |n| n.to_string_lossy().into_owned());
    let out = dir.join(format!("seed{seed}-case{case_no}-{file_name}"));
    let _ = std::fs::write(&out, &small);
    let _ = std::fs::write(out.with_extension("original"), &case.text);
    panic!(
        "fuzz case {case_no} (seed {seed}) from {} with {:?} and {:?}: {failure:?}\nminimised input ({} bytes) written to {}",
        case.name,
        case.mutations,
        SELECTIONS[case.selection],
        small.len(),
        out.display()
    );
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

#[test]
fn mutated_fixtures_never_crash_hang_or_leak() {
    let corpus = corpus();
    assert!(corpus.len() > 50, "fixtures found: {}", corpus.len());
    let cases = env_number("DEPLOYLINT_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as usize);
    let seed = env_number("DEPLOYLINT_FUZZ_SEED").unwrap_or(12);
    let mut rng = Rng::new(seed);
    let start = Instant::now();
    let (mut bytes, mut planted, mut slowest) = (0usize, 0usize, Duration::ZERO);
    for case_no in 0..cases {
        let case = mutate(&corpus, &mut rng, case_no);
        bytes += case.text.len();
        planted += usize::from(case.secret.is_some());
        let t = Instant::now();
        let secret = case.secret.as_ref().map(|(l, v)| (l.as_str(), v.as_str()));
        if let Some(f) = check(&case.name, &case.text, secret, &options(case.selection)) {
            fail(case_no, seed, &case, &f);
        }
        slowest = slowest.max(t.elapsed());
    }
    eprintln!(
        "fuzz: {cases} cases (seed {seed}), {planted} with a planted secret, {:.1} MB linted in {:.1?}, slowest case {slowest:.1?}",
        bytes as f64 / 1e6,
        start.elapsed()
    );
}

/// Every input the fuzzer (or a person) once crashed deploylint with.
#[test]
fn minimised_crashes_stay_fixed() {
    let dir = root().join("fixtures/bugs/fuzz");
    let mut n = 0;
    for e in std::fs::read_dir(&dir)
        .expect("fixtures/bugs/fuzz")
        .filter_map(Result::ok)
    {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        let name = e.file_name().to_string_lossy().into_owned();
        // `<anything>--<name deploylint recognises>`: the part after `--` decides the kind.
        let lint_name = name.split_once("--").map_or(name.as_str(), |(_, n)| n);
        if let Some(f) = check(lint_name, &text, None, &LintOptions::default()) {
            panic!("{name}: {f:?}");
        }
        n += 1;
    }
    assert!(n > 0);
}
