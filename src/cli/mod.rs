//! Command line. Exit codes: 0 nothing at or above `--fail-on`, 1 findings,
//! 2 usage, config or I/O error.

mod baseline;
mod check;
mod config_cmd;
mod graph;
mod rules;
mod test_rules;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "deploylint",
    version,
    about = "Lint and validate the deployment configs of PHP/Laravel apps on Kubernetes",
    long_about = "Lint and validate Dockerfiles, php-fpm pools, php.ini/OPcache, Laravel Octane \
                  config and Kubernetes manifests, each on its own and against each other.\n\n\
                  Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage/config/I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per process
pub enum Command {
    /// Lint files and directories (default: the current directory).
    Check(check::CheckArgs),
    /// List every rule: code, name, default severity, format, fixable.
    Rules(rules::RulesArgs),
    /// Explain a rule: rationale, fix hint, bad and good examples.
    Explain(rules::ExplainArgs),
    /// Print the linked deployment: each workload's containers with their
    /// process, image, Dockerfile, pools, ini files, env sources, Services,
    /// HPAs and PDBs, and the evidence for every link.
    Graph(graph::GraphArgs),
    /// Run the language server on stdin/stdout (for editors).
    Lsp,
    /// Print a shell completion script (`deploylint completions bash >
    /// ~/.local/share/bash-completion/completions/deploylint`).
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Run the custom rules' examples and test cases: each `bad` case must
    /// give a finding of its rule, each `good` case none (exit 1 otherwise).
    TestRules(test_rules::TestRulesArgs),
    /// Show the settings a path is linted with (`--show [PATH]`): the nearest
    /// `.deploylint.yaml`, what it extends, the overrides that match, and
    /// where each value came from.
    Config(config_cmd::ConfigArgs),
}

/// Writes `text` to standard output. A closed pipe (`deploylint rules | head`)
/// ends the output quietly; other errors are reported on stderr.
pub(crate) fn print_stdout(text: &str) {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(std::io::stderr(), "error: could not write the output: {e}");
        }
    }
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(args) => rules::list(args),
        Command::Explain(args) => rules::explain(args),
        Command::Graph(args) => graph::run(args),
        Command::Lsp => crate::lsp::run(),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "deploylint", &mut out);
            print_stdout(&String::from_utf8_lossy(&out));
            EXIT_OK
        }
        Command::TestRules(args) => test_rules::run(args),
        Command::Config(args) => config_cmd::run(args),
    };
    ExitCode::from(code)
}
