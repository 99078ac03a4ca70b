//! `deploylint check`.

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::{Config, ConfigError};
use crate::diagnostic::Severity;
use crate::discover::{self, NameGuess};
use crate::engine::{Input, LintOptions, LintResult, Role, Session};
use crate::parse::Document;
use crate::project::ParsedFile;
use crate::report::{self, Format, HumanOptions};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format (`--format` is an alias). Repeat it with
    /// `--output-file` to write several reports in one run: the Nth file
    /// gets the Nth format; a format without a file goes to standard output.
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_values_t = [Format::Human])]
    pub format: Vec<Format>,
    /// Write the report to this file instead of standard output (repeatable,
    /// paired with `--output-format` in order).
    #[arg(long, value_name = "PATH")]
    pub output_file: Vec<PathBuf>,
    /// Exit 0 even when there are findings (errors reading files or config
    /// still exit 2): for adopting deploylint gradually.
    #[arg(long)]
    pub exit_zero: bool,
    /// Print the number of findings per rule instead of the report (the
    /// report still goes to `--output-file` when one is given).
    #[arg(long)]
    pub statistics: bool,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Only run these rules (codes, names or prefixes such as `K8S`), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (codes, names or prefixes), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Print only the summary line (human format).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// No colours (the same as `--color never`).
    #[arg(long)]
    pub no_color: bool,
    /// Colours in human output (reports written to files never have any).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// List each file with its detected kind.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Use this config file instead of searching for `.deploylint.yaml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// With `-`: the file name that decides the format of standard input.
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// Apply safe fixes to the files, then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply fixes marked unsafe.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the unified diff `--fix` would apply and change nothing; exit 1
    /// when a file would change.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// List the fixes, by file and rule, on standard error: with --fix the
    /// ones applied, without it the ones --fix would apply.
    #[arg(long)]
    pub show_fixes: bool,
    /// Kubernetes version whose bundled schemas validate manifests (overrides
    /// `kubernetes-version` in the config; default 1.31).
    #[arg(long, value_name = "1.XX")]
    pub kubernetes_version: Option<String>,
    /// PHP version the images run (`X.Y`); overrides `php-version` in the config.
    #[arg(long, value_name = "X.Y", value_parser = parse_php_version)]
    pub php_version: Option<(u32, u32)>,
    /// The Dockerfile stage that is built (`docker build --target`); overrides
    /// `dockerfile-target` in the config. Default: the last stage.
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// Do not load the workspace's other config files as context for the
    /// named files (cross-file rules then see only the named files).
    #[arg(long)]
    pub no_context: bool,
    /// Write every finding of this run to a baseline file (fingerprints
    /// that survive line shifts), for adopting deploylint on a legacy repo.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings not in this baseline file; baseline entries
    /// that no longer match are listed on stderr.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Audit: apply no inline or annotation suppression (`# deploylint
    /// ignore=`, `deploylint.io/ignore`, hadolint, kube-linter, Polaris and
    /// Checkov ones); their findings are reported.
    #[arg(long)]
    pub no_inline_ignores: bool,
}

/// `8.3` (a patch part such as `8.3.12` is accepted and ignored).
fn parse_php_version(s: &str) -> Result<(u32, u32), String> {
    let mut parts = s.trim().split('.');
    let major = parts.next().and_then(|p| p.parse().ok());
    let minor = parts.next().and_then(|p| p.parse().ok());
    let patch_ok = parts.next().is_none_or(|p| p.parse::<u32>().is_ok()) && parts.next().is_none();
    match (major, minor) {
        (Some(a), Some(b)) if patch_ok => Ok((a, b)),
        _ => Err(format!("`{s}` is not a PHP version such as `8.3`")),
    }
}

pub fn run(args: CheckArgs) -> u8 {
    let color = !args.no_color
        && match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
    let human = HumanOptions {
        color,
        quiet: args.quiet,
        width: 100,
        summary: true,
        rich: true,
    };
    let mut config = match resolve_config(&args, &human) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (to_files, to_stdout) = match output_plan(&args) {
        Ok(plan) => plan,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_ERROR;
        }
    };
    if args.unsafe_fixes && !args.fix && !args.diff && !args.show_fixes {
        eprintln!("error: --unsafe-fixes needs --fix, --diff or --show-fixes");
        return EXIT_ERROR;
    }
    let custom = match crate::custom::CustomRules::load(&config) {
        Ok(c) => c,
        Err(e) => {
            report_rule_file_errors(
                e,
                &human,
                args.format.last().copied().unwrap_or(Format::Human),
            );
            return EXIT_ERROR;
        }
    };
    let baseline = match &args.baseline {
        Some(p) => match super::baseline::Baseline::read(p) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let (select, ignore) = match (
        resolve_selectors_with(&args.select, "--select", &custom),
        resolve_selectors_with(&args.ignore, "--ignore", &custom),
    ) {
        (Ok(s), Ok(i)) => (s, i),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {}", report::sanitize_for_terminal(&e));
            return EXIT_ERROR;
        }
    };
    let opts = LintOptions {
        select,
        ignore,
        jobs: args.jobs,
        no_inline_ignores: args.no_inline_ignores,
        // Only the summary line is printed: no text to mask.
        nothing_printed: args.quiet
            && to_files.is_empty()
            && matches!(to_stdout, None | Some(Format::Human))
            && !(args.diff || args.fix || args.show_fixes || args.statistics || args.verbose)
            && args.write_baseline.is_none()
            && args.baseline.is_none(),
    };
    let (mut inputs, walk_errors) = match collect_inputs(&args, &config, true) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_ERROR;
        }
    };
    for e in &walk_errors {
        let path = report::sanitize_for_terminal(&e.path);
        eprintln!(
            "error: {path}: {}",
            report::sanitize_for_terminal(&e.message)
        );
    }
    // `--verbose` says how each kind was decided, skipped files included.
    let guesses: Vec<(String, Option<PathBuf>, NameGuess)> = if args.verbose {
        inputs
            .iter()
            .map(|i| (i.display.clone(), i.path.clone(), i.guess))
            .collect()
    } else {
        Vec::new()
    };
    let targets = crate::fix::write::prepare(&mut inputs);
    let context = context_inputs(&args, &config, &inputs);
    // Each named file uses the `.deploylint.yaml` nearest to it (within the
    // workspace); context files (not reported on) use the root one.
    if args.config.is_none() {
        let paths = inputs.iter().filter_map(|i| i.path.as_deref());
        if let Err(e) = config.attach_nested(paths) {
            let format = args.format.last().copied().unwrap_or(Format::Human);
            report_config_error(e, &human, format);
            return EXIT_ERROR;
        }
    }
    // (A `--fix` run lints again after writing: its first session is freed.)
    let mut result = lint_custom(inputs, context, &config, &opts, &custom, !args.fix);

    if args.diff {
        let (diff, changed) = crate::report::diff::diff_fixes(&result, args.unsafe_fixes);
        super::print_stdout(&diff);
        if changed > 0 {
            eprintln!(
                "{changed} file{} would be changed by --fix{}",
                if changed == 1 { "" } else { "s" },
                if args.unsafe_fixes {
                    " --unsafe-fixes"
                } else {
                    ""
                }
            );
        }
        return if !walk_errors.is_empty() {
            EXIT_ERROR
        } else if changed > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        };
    }

    // Fixed text of standard input, printed instead of written (as ruff does).
    let mut fixed_stdin: Option<Vec<String>> = None;
    let mut fix_failed = false;
    if args.fix {
        let applied = crate::fix::write::apply(&result, &targets, args.unsafe_fixes);
        if applied.fixed > 0 {
            if !args.show_fixes {
                eprintln!("fixed {} finding(s)", applied.fixed);
            }
            let (mut inputs, _) = collect_inputs(&args, &config, false).unwrap_or_default();
            inputs.extend(applied.in_memory_inputs());
            let context = context_inputs(&args, &config, &inputs);
            result = lint_custom(inputs, context, &config, &opts, &custom, true);
        }
        for (path, why) in &applied.errors {
            let path = report::sanitize_for_terminal(path);
            eprintln!("error: {path}: fixes not written: {why}");
        }
        fix_failed = !applied.errors.is_empty();
        if args.show_fixes {
            eprint!("{}", report::fixes::render(&result, &applied.applied, true));
        }
        applied.report_into(&mut result);
        if targets.iter().any(|t| t.path.is_none()) {
            fixed_stdin = Some(applied.in_memory.into_iter().map(|(_, _, t)| t).collect());
        }
    }

    if args.show_fixes && !args.fix {
        let would = crate::fix::planned(&result, args.unsafe_fixes);
        eprint!("{}", report::fixes::render(&result, &would, false));
    }

    if let Some(path) = &args.write_baseline {
        match super::baseline::Baseline::of(&result).write(path) {
            Ok(n) => eprintln!("wrote {n} finding(s) to the baseline {}", path.display()),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        }
    }
    if let Some(b) = &baseline {
        let outcome = b.apply(
            &mut result,
            args.baseline.as_deref().unwrap_or(Path::new("")),
        );
        if outcome.suppressed > 0 {
            eprintln!(
                "{} finding(s) suppressed by the baseline {}",
                outcome.suppressed,
                args.baseline.as_deref().unwrap_or(Path::new("")).display()
            );
        }
        if !outcome.stale.is_empty() {
            eprintln!(
                "{} baseline entr{} no longer match (fixed or changed; rewrite the baseline with --write-baseline):",
                outcome.stale.len(),
                if outcome.stale.len() == 1 { "y" } else { "ies" }
            );
            for e in &outcome.stale {
                eprintln!(
                    "  {} {}:{}",
                    e.code,
                    report::sanitize_for_terminal(&e.path),
                    e.line
                );
            }
        }
    }

    // A file named on the command line that is not linted says why (and
    // nothing of its content).
    for f in result.files.iter().filter(|f| f.source.kind.is_none()) {
        if args
            .paths
            .iter()
            .any(|p| discover::display_name(p) == f.source.path)
        {
            let path = report::sanitize_for_terminal(&f.source.path);
            eprintln!(
                "warning: {path}: not linted: neither its name nor its content is that of a config file deploylint knows"
            );
        }
    }
    if args.verbose {
        for f in &result.files {
            if result.is_context(f.id) {
                if let Some(kind) = f.source.kind {
                    let path = report::sanitize_for_terminal(&f.source.path);
                    eprintln!("{path}: {kind} (context)");
                }
                continue;
            }
            let why = guesses
                .iter()
                .find(|(d, _, _)| *d == f.source.path)
                .and_then(|(_, path, guess)| {
                    let path = path.as_deref()?;
                    let text = match f.source.kind {
                        Some(_) => f.source.text.clone(),
                        None => std::fs::read_to_string(path).ok()?,
                    };
                    discover::explain(*guess, path, &text)
                });
            let path = report::sanitize_for_terminal(&f.source.path);
            let why = why.map(|w| report::sanitize_for_terminal(w).into_owned());
            match (f.source.kind, why) {
                (Some(kind), Some(why)) => eprintln!("{path}: {kind} ({why})"),
                (Some(kind), None) => eprintln!("{path}: {kind}"),
                (None, Some(why)) => eprintln!("{path}: {why}"),
                (None, None) => {}
            }
        }
    }
    // A path that failed gets its error, not a "No problems found" next to it.
    let human = HumanOptions {
        summary: walk_errors.is_empty() || result.checked_files() > 0,
        ..human
    };
    if let Some(texts) = &fixed_stdin {
        // `check - --fix`: the fixed text is the output; the report goes to
        // stderr (or to --output-file).
        let mut out = std::io::stdout().lock();
        let ok = texts.iter().try_for_each(|t| out.write_all(t.as_bytes()));
        let _ = ok.and_then(|()| out.flush());
    }
    let written = to_files
        .iter()
        .try_for_each(|(format, path)| write_report_file(path, *format, &result, &human))
        .and_then(|()| match to_stdout {
            None => Ok(()),
            Some(_) if args.statistics => Ok(()),
            Some(format) if fixed_stdin.is_some() => {
                report::write(format, &result, &human, &mut std::io::stderr().lock())
            }
            Some(format) => report::write(format, &result, &human, &mut std::io::stdout().lock()),
        });
    let written = written.and_then(|()| {
        if !args.statistics {
            return Ok(());
        }
        let mut out: Box<dyn Write> = if fixed_stdin.is_some() {
            Box::new(std::io::stderr().lock())
        } else {
            Box::new(std::io::stdout().lock())
        };
        report::write_statistics(&result, &mut out).and_then(|()| out.flush())
    });
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write the report: {e}");
            return EXIT_ERROR;
        }
    }

    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let code = if !walk_errors.is_empty() || fix_failed {
        EXIT_ERROR
    } else if !args.exit_zero && result.diagnostics.iter().any(|d| d.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The process ends now: the system takes the memory back at once, where
    // dropping every file and finding would take a while.
    std::mem::forget(result);
    code
}

/// Which format goes to which file, and the one for standard output: the
/// Nth `--output-file` gets the Nth `--output-format` (human when no format
/// is named); a format left without a file goes to standard output.
type OutputPlan = (Vec<(Format, PathBuf)>, Option<Format>);

fn output_plan(args: &CheckArgs) -> Result<OutputPlan, String> {
    let files = &args.output_file;
    if files.len() > args.format.len() {
        return Err(format!(
            "{} --output-file for {} --output-format: name a format for each file",
            files.len(),
            args.format.len()
        ));
    }
    let rest = &args.format[files.len()..];
    if rest.len() > 1 {
        return Err(
            "only one --output-format can go to standard output: give the others an --output-file"
                .into(),
        );
    }
    let pairs = args
        .format
        .iter()
        .copied()
        .zip(files.iter().cloned())
        .collect();
    Ok((pairs, rest.first().copied()))
}

/// Writes the report to `path` (created or truncated).
fn write_report_file(
    path: &Path,
    format: Format,
    result: &LintResult,
    human: &HumanOptions,
) -> std::io::Result<()> {
    let human = HumanOptions {
        color: false,
        ..human.clone()
    };
    let mut file = std::fs::File::create(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    report::write(format, result, &human, &mut file)?;
    file.sync_all()
}

/// Each `--select`/`--ignore` word checked against the catalog: `ALL`, a
/// code, a rule name, a code prefix (`K8S`, `DF0`), or a competitor's name
/// for a rule (`DL3007`, `hadolint:DL3007`, `latest-tag`,
/// `kube-linter:latest-tag`, `polaris:tagNotSpecified`), which becomes the
/// codes of the rules carrying that alias. Anything else is an error with
/// the closest known word, so a CI step cannot pass vacuously on a typo.
pub(super) fn resolve_selectors(words: &[String], flag: &str) -> Result<Vec<String>, String> {
    if words.iter().all(|w| w.trim().is_empty()) {
        // Nothing to look up: do not wait for the catalog here.
        return Ok(Vec::new());
    }
    let cat = crate::catalog::catalog();
    let mut out = Vec::new();
    for raw in words {
        let w = raw.trim();
        if w.is_empty() {
            continue;
        }
        let known = w.eq_ignore_ascii_case("ALL")
            || cat.find(w).is_some()
            || cat
                .rules
                .iter()
                .any(|r| r.code.len() >= w.len() && r.code[..w.len()].eq_ignore_ascii_case(w));
        if known {
            out.push(w.to_owned());
            continue;
        }
        // Aliases are stored as `tool:ID`; the bare ID is accepted too.
        let aliased: Vec<&str> = cat.by_foreign_name(w).into_iter().map(|r| r.code).collect();
        if !aliased.is_empty() {
            out.extend(aliased.into_iter().map(str::to_owned));
            continue;
        }
        let candidates = cat.rules.iter().flat_map(|r| {
            std::iter::once(r.code)
                .chain(std::iter::once(r.name))
                .chain(r.aliases.iter().copied())
                .chain(
                    r.aliases
                        .iter()
                        .filter_map(|a| a.split_once(':').map(|(_, id)| id)),
                )
        });
        let hint = match crate::suggest::did_you_mean(w, candidates) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => "; `deploylint rules` lists the codes and names".to_owned(),
        };
        return Err(format!("unknown rule `{w}` in {flag}{hint}"));
    }
    Ok(out)
}

/// The config file with the command line's settings applied over it.
pub(super) fn resolve_config(args: &CheckArgs, human: &HumanOptions) -> Result<Config, u8> {
    let mut config = match load_config(args) {
        Ok(c) => c,
        Err(e) => {
            let format = args.format.last().copied().unwrap_or(Format::Human);
            report_config_error(e, human, format);
            return Err(EXIT_ERROR);
        }
    };
    match crate::model::k8s_versions::resolve_version(
        args.kubernetes_version.as_deref(),
        &config.settings.kubernetes_version,
    ) {
        Ok(v) if args.kubernetes_version.is_some() => config.set_cli(|p| {
            p.kubernetes_version = Some(v.to_owned());
            p.origins.push(("kubernetes-version".into(), String::new()));
        }),
        Ok(v) => config.settings.kubernetes_version = v.to_owned(),
        Err(msg) => {
            eprintln!("error: {msg}");
            return Err(EXIT_ERROR);
        }
    }
    if let Some(v) = args.php_version {
        config.set_cli(|p| {
            p.php_version = Some(v);
            p.origins.push(("php-version".into(), String::new()));
        });
    }
    if let Some(t) = &args.target {
        config.set_cli(|p| {
            p.dockerfile_target = Some(t.clone());
            p.origins.push(("dockerfile-target".into(), String::new()));
        });
    }
    Ok(config)
}

/// One Session: the named inputs are reported on, the context only feeds
/// the graph and the cross-file rules; the custom rules run with the
/// built-in ones, and a script that failed gives one finding in its rule
/// file, appended to the result.
pub(super) fn lint_custom(
    inputs: Vec<Input>,
    context: Vec<Input>,
    config: &Config,
    opts: &LintOptions,
    custom: &crate::custom::CustomRules,
    last_run: bool,
) -> LintResult {
    let mut session = Session::new(config.clone(), opts.clone());
    session.add_rules(custom.rules());
    session.reserve(inputs.len() + context.len());
    for input in inputs {
        session.add(input, Role::Named);
    }
    for input in context {
        session.add(input, Role::Context);
    }
    let mut result = if last_run {
        // The process exits after this report: what the result does not
        // hold is left to the system.
        session.finish()
    } else {
        let result = session.take_result();
        crate::engine::drop_in_background(session);
        result
    };
    append_failures(&mut result, custom);
    result
}

/// Adds the custom rules' run-time failures (one per rule) to a result.
pub(super) fn append_failures(result: &mut LintResult, custom: &crate::custom::CustomRules) {
    let first = result.files.len();
    let (files, diagnostics) = custom.take_failures(first);
    for (i, source) in files.into_iter().enumerate() {
        result.files.push(ParsedFile {
            id: first + i,
            source,
            document: Document::Unparsed,
        });
    }
    result.diagnostics.extend(diagnostics);
}

/// `--select`/`--ignore` words: custom rule codes and names, then the catalog's.
pub(super) fn resolve_selectors_with(
    words: &[String],
    flag: &str,
    custom: &crate::custom::CustomRules,
) -> Result<Vec<String>, String> {
    let is_prefix = |w: &str| {
        !w.is_empty()
            && custom
                .rules
                .iter()
                .any(|r| r.code.len() >= w.len() && r.code[..w.len()].eq_ignore_ascii_case(w))
    };
    let (mine, rest): (Vec<String>, Vec<String>) = words
        .iter()
        .cloned()
        .partition(|w| custom.find(w.trim()).is_some() || is_prefix(w.trim()));
    let mut out: Vec<String> = mine
        .iter()
        .map(|w| {
            custom
                .find(w.trim())
                .map_or_else(|| w.trim().to_owned(), |r| r.code.to_owned())
        })
        .collect();
    out.extend(resolve_selectors(&rest, flag)?);
    Ok(out)
}

/// Errors in custom rule files, located, on stderr.
pub(super) fn report_rule_file_errors(
    e: crate::custom::LoadError,
    human: &HumanOptions,
    format: Format,
) {
    let result = LintResult {
        files: e
            .files
            .into_iter()
            .enumerate()
            .map(|(id, source)| ParsedFile {
                id,
                source,
                document: Document::Unparsed,
            })
            .collect(),
        diagnostics: e.diagnostics,
        masks: Default::default(),
        context: Vec::new(),
        absorbed: Vec::new(),
        suppressed: Vec::new(),
    };
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let _ = writeln!(err, "error: invalid custom rule file");
    let human = HumanOptions {
        quiet: false,
        summary: false,
        ..human.clone()
    };
    let _ = report::write(format, &result, &human, &mut err);
}

/// The workspace root: the directory of the config file in use, else the
/// nearest git root above the working directory; `None` outside both.
/// The workspace of the named paths: the directory of the config file in
/// use when the named paths lie under it, else the nearest git repository
/// above them; `None` outside both. It is relative to the
/// working directory when it can be (paths are shown that way).
pub(super) fn workspace_root(config: &Config, args: &CheckArgs) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let start = named_start(&args.paths)
        .or_else(|| {
            // Standard input alone: where its `--stdin-filename` would be.
            let p = args.stdin_filename.as_ref().map(PathBuf::from)?;
            let canonical = std::fs::canonicalize(&p).ok().or_else(|| {
                p.parent().and_then(|d| {
                    std::fs::canonicalize(if d.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        d
                    })
                    .ok()
                })
            });
            canonical.map(dir_of)
        })
        .unwrap_or_else(|| cwd.clone());
    let from_config = config.path.as_ref().and_then(|p| {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        std::fs::canonicalize(dir.unwrap_or(Path::new("."))).ok()
    });
    let root = match from_config {
        Some(dir) if start.starts_with(&dir) => dir,
        _ => start
            .ancestors()
            .find(|d| d.join(".git").exists())?
            .to_path_buf(),
    };
    if let Ok(rel) = root.strip_prefix(&cwd) {
        return Some(if rel.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            rel.to_path_buf()
        });
    }
    match cwd.strip_prefix(&root) {
        Ok(below) => Some(below.components().map(|_| "..").collect()),
        Err(_) => Some(root),
    }
}

/// The workspace's other config files, as context for the named ones: so a
/// file gets the same findings alone (pre-commit passes only changed files),
/// in a subset, or with the whole repository.
pub(super) fn context_inputs(args: &CheckArgs, config: &Config, named: &[Input]) -> Vec<Input> {
    if args.no_context {
        return Vec::new();
    }
    let Some(root) = workspace_root(config, args) else {
        return Vec::new();
    };
    let Ok(root_abs) = std::fs::canonicalize(&root) else {
        return Vec::new();
    };
    // Linting the root itself (or above it) already has everything.
    if args
        .paths
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .any(|p| root_abs.starts_with(&p))
    {
        return Vec::new();
    }
    let mut seen: std::collections::HashSet<FileIdentity> = named
        .iter()
        .filter_map(|i| i.path.as_deref().and_then(file_identity))
        .collect();
    // Standard input named after a file stands in for that file.
    if let Some(name) = &args.stdin_filename {
        if let Some(id) = file_identity(Path::new(name)) {
            seen.insert(id);
        }
    }
    let (candidates, _) = discover::walk_small_first(&[root], config);
    candidates
        .into_iter()
        .filter(|c| file_identity(&c.path).is_some_and(|id| seen.insert(id)))
        .map(Input::from)
        .collect()
}

/// What makes two paths the same file (through symlinks and `..`): its
/// device and inode, one `stat` (resolving the path costs a `readlink` per
/// component, for every file of the workspace).
#[cfg(unix)]
type FileIdentity = (u64, u64);
#[cfg(not(unix))]
type FileIdentity = PathBuf;

#[cfg(unix)]
fn file_identity(path: &Path) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<FileIdentity> {
    std::fs::canonicalize(path).ok()
}

/// The directory the config and the workspace are looked for from: the
/// named path's (itself for a directory), or for several the deepest
/// directory holding them all, so their order does not matter and a file
/// is never judged by the config of a sibling directory it is not in.
/// Canonical; `None` when no path is named or it cannot be resolved.
fn named_start(paths: &[PathBuf]) -> Option<PathBuf> {
    let named: Vec<&Path> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .map(PathBuf::as_path)
        .collect();
    let start = match named.as_slice() {
        [] => return None,
        [one] => std::fs::canonicalize(one).ok()?,
        many => {
            let cwd = std::env::current_dir().ok()?;
            let common = crate::config::common_dir(&cwd, many)?;
            std::fs::canonicalize(common).ok()?
        }
    };
    Some(dir_of(start))
}

/// A directory itself, a file its directory.
pub(super) fn dir_of(path: PathBuf) -> PathBuf {
    if path.is_dir() {
        path
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or(path)
    }
}

pub(super) fn load_config(args: &CheckArgs) -> Result<Config, ConfigError> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => {
            // Like ruff: the config nearest the linted paths (the deepest
            // directory holding them all), else the working directory's.
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            named_start(&args.paths)
                .and_then(|start| Config::discover(&start))
                .or_else(|| Config::discover(&cwd))
        }
    };
    match path {
        Some(p) => {
            // Shown (and named as the origin of each setting) relative to the
            // working directory when it is below it.
            let p = std::env::current_dir()
                .ok()
                .and_then(|cwd| {
                    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
                    p.strip_prefix(&cwd).ok().map(Path::to_path_buf)
                })
                .filter(|r| !r.as_os_str().is_empty())
                .unwrap_or(p);
            let mut c = Config::load(&p)?;
            // Globs in the config are relative to its directory; inputs are
            // relative to the working directory, so make the root relative too.
            if let Ok(cwd) = std::env::current_dir() {
                if let Ok(abs) = std::fs::canonicalize(&c.root) {
                    c.root = abs.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or(abs);
                }
            }
            Ok(c)
        }
        None => Ok(Config::with_defaults(PathBuf::from("."))),
    }
}

type Inputs = (Vec<Input>, Vec<discover::WalkError>);

/// `read_stdin: false` leaves `-` out (the second run after `--fix`).
pub(super) fn collect_inputs(
    args: &CheckArgs,
    config: &Config,
    read_stdin: bool,
) -> Result<Inputs, String> {
    let mut inputs = Vec::new();
    let mut paths = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            if !read_stdin {
                continue;
            }
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "stdin.yaml".into());
            let guess = discover::guess(Path::new(&name), config).unwrap_or(NameGuess::Yaml);
            inputs.push(Input {
                display: name,
                path: None,
                guess,
                // Bounded by max-file-size: more is a located E001, not an abort.
                text: Some(crate::source::read_bounded(
                    std::io::stdin().lock(),
                    config.max_file_size,
                )),
            });
        } else {
            paths.push(p.clone());
        }
    }
    let (candidates, errors) = if paths.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        discover::walk(&paths, config)
    };
    inputs.extend(candidates.into_iter().map(Input::from));
    Ok((inputs, errors))
}

pub(super) fn report_config_error(e: ConfigError, human: &HumanOptions, format: Format) {
    let ConfigError {
        source,
        diagnostics,
    } = e;
    let result = LintResult {
        files: vec![ParsedFile {
            id: 0,
            source,
            document: Document::Unparsed,
        }],
        diagnostics,
        masks: Default::default(),
        context: Vec::new(),
        absorbed: Vec::new(),
        suppressed: Vec::new(),
    };
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let _ = writeln!(err, "error: invalid configuration");
    let human = HumanOptions {
        quiet: false,
        summary: false,
        ..human.clone()
    };
    let _ = report::write(format, &result, &human, &mut err);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn check_args(extra: &[&str]) -> Result<CheckArgs, clap::Error> {
        let argv = ["deploylint", "check"].iter().chain(extra).copied();
        Cli::try_parse_from(argv).map(|c| match c.command {
            Command::Check(a) => a,
            _ => unreachable!("parsed `check`"),
        })
    }

    #[test]
    fn php_version_flag_parses_and_validates() {
        let a = check_args(&["--php-version", "8.4", "x"]).expect("valid");
        assert_eq!(a.php_version, Some((8, 4)));
        assert_eq!(parse_php_version("8.3.12"), Ok((8, 3)));
        assert!(check_args(&["--php-version", "eight"]).is_err());
        assert!(check_args(&["--php-version", "8"]).is_err());
    }

    #[test]
    fn php_version_flag_overrides_config() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join(".deploylint.yaml");
        std::fs::write(&config, "php-version: \"8.3\"\n").expect("write config");
        let ini = dir.path().join("php.ini");
        // JIT enabled by the buffer size alone: fine on 8.3, inert on 8.4 (INI013).
        std::fs::write(&ini, "opcache.jit_buffer_size=128M\n").expect("write ini");
        let run_with = |version: Option<&str>| {
            let mut argv = vec!["--quiet", "--select", "INI013", "--config"];
            let (c, i) = (config.display().to_string(), ini.display().to_string());
            argv.push(&c);
            if let Some(v) = version {
                argv.extend(["--php-version", v]);
            }
            argv.push(&i);
            run(check_args(&argv).expect("args"))
        };
        assert_eq!(run_with(None), EXIT_OK);
        assert_eq!(run_with(Some("8.4")), EXIT_FINDINGS);
    }
}
