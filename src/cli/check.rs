//! `deploylint check`.

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::{Config, ConfigError};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, NameGuess};
use crate::engine::{self, Input, LintOptions, LintResult};
use crate::parse::Document;
use crate::project::ParsedFile;
use crate::report::{self, Format, HumanOptions};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
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
    /// No colours (also when NO_COLOR is set or output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
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
    /// With --fix, also apply fixes marked unsafe.
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
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
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let human = HumanOptions {
        color,
        quiet: args.quiet,
        width: 100,
        summary: true,
    };
    let mut config = match load_config(&args) {
        Ok(c) => c,
        Err(e) => {
            report_config_error(e, &human, args.format);
            return EXIT_ERROR;
        }
    };
    match crate::k8s_schema::resolve_version(
        args.kubernetes_version.as_deref(),
        &config.settings.kubernetes_version,
    ) {
        Ok(v) => config.settings.kubernetes_version = v.to_owned(),
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_ERROR;
        }
    }
    if let Some(v) = args.php_version {
        config.settings.php_version = v;
    }
    if let Some(t) = &args.target {
        config.settings.dockerfile_target = Some(t.clone());
    }
    let opts = LintOptions {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        jobs: args.jobs,
    };
    let (inputs, walk_errors) = match collect_inputs(&args, &config) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_ERROR;
        }
    };
    for e in &walk_errors {
        eprintln!("error: {}: {}", e.path, e.message);
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
    let mut result = engine::lint(inputs, &config, &opts);

    if args.fix {
        match apply_fixes(&result, args.unsafe_fixes) {
            Ok(0) => {}
            Ok(n) => {
                eprintln!("fixed {n} finding(s)");
                let (inputs, _) = collect_inputs(&args, &config).unwrap_or_default();
                result = engine::lint(inputs, &config, &opts);
            }
            Err(e) => {
                eprintln!("error: could not write fixes: {e}");
                return EXIT_ERROR;
            }
        }
    }

    if args.verbose {
        for f in &result.files {
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
            match (f.source.kind, why) {
                (Some(kind), Some(why)) => eprintln!("{}: {} ({why})", f.source.path, kind),
                (Some(kind), None) => eprintln!("{}: {}", f.source.path, kind),
                (None, Some(why)) => eprintln!("{}: {why}", f.source.path),
                (None, None) => {}
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = report::write(args.format, &result, &human, &mut out) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write the report: {e}");
            return EXIT_ERROR;
        }
    }
    let _ = out.flush();

    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if !walk_errors.is_empty() {
        EXIT_ERROR
    } else if result.diagnostics.iter().any(|d| d.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn load_config(args: &CheckArgs) -> Result<Config, ConfigError> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            Config::discover(&cwd)
        }
    };
    match path {
        Some(p) => {
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

fn collect_inputs(args: &CheckArgs, config: &Config) -> Result<Inputs, String> {
    let mut inputs = Vec::new();
    let mut paths = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "stdin.yaml".into());
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            let guess = discover::guess(Path::new(&name), config).unwrap_or(NameGuess::Yaml);
            inputs.push(Input {
                display: name,
                path: None,
                guess,
                text: Some(crate::source::decode(bytes, config.max_file_size)),
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

fn apply_fixes(result: &LintResult, include_unsafe: bool) -> std::io::Result<usize> {
    let mut total = 0;
    for file in &result.files {
        let Some(path) = fix_target(file) else {
            continue;
        };
        let diags: Vec<&Diagnostic> = result
            .diagnostics
            .iter()
            .filter(|d| d.file == file.id && d.fix.is_some())
            .collect();
        if diags.is_empty() {
            continue;
        }
        let (text, applied) = crate::fix::fixed_text(&file.source.text, &diags, include_unsafe);
        if applied > 0 && text != file.source.text {
            // Write beside and rename, so a crash never leaves half a file.
            let tmp = path.with_extension("deploylint-fix.tmp");
            std::fs::write(&tmp, &text)?;
            std::fs::rename(&tmp, &path)?;
            total += applied;
        }
    }
    Ok(total)
}

fn fix_target(file: &ParsedFile) -> Option<PathBuf> {
    if matches!(file.document, Document::Unparsed) || file.source.kind.is_none() {
        return None;
    }
    let p = PathBuf::from(&file.source.path);
    p.is_file().then_some(p)
}

fn report_config_error(e: ConfigError, human: &HumanOptions, format: Format) {
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
