//! `deploylint graph`: prints the linked deployment.

use super::check::{CheckArgs, FailOn, collect_inputs, context_inputs, resolve_config};
use super::{EXIT_ERROR, EXIT_OK};
use crate::engine::{LintOptions, Role, Session};
use crate::report::{Format, HumanOptions, graph};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// The graph has a human and a JSON rendering only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Human,
    Json,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    /// Files or directories (default: the current directory).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Human)]
    pub format: GraphFormat,
    /// Use this config file instead of searching for `.deploylint.yaml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The Dockerfile stage that is built (`docker build --target`).
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// Do not add the workspace's other config files to named files.
    #[arg(long)]
    pub no_context: bool,
}

pub fn run(args: GraphArgs) -> u8 {
    let check = CheckArgs {
        paths: args.paths,
        format: vec![match args.format {
            GraphFormat::Human => Format::Human,
            GraphFormat::Json => Format::Json,
        }],
        output_file: Vec::new(),
        exit_zero: false,
        statistics: false,
        fail_on: FailOn::Error,
        select: Vec::new(),
        ignore: Vec::new(),
        jobs: None,
        quiet: false,
        no_color: true,
        color: super::check::ColorChoice::Never,
        verbose: false,
        config: args.config,
        stdin_filename: None,
        fix: false,
        unsafe_fixes: false,
        diff: false,
        show_fixes: false,
        kubernetes_version: None,
        php_version: None,
        target: args.target,
        no_context: args.no_context,
        write_baseline: None,
        baseline: None,
        no_inline_ignores: false,
    };
    let human = HumanOptions {
        color: false,
        quiet: false,
        width: 100,
        summary: false,
        rich: false,
    };
    let config = match resolve_config(&check, &human) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (inputs, errors) = match collect_inputs(&check, &config, true) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_ERROR;
        }
    };
    for e in &errors {
        eprintln!("error: {}: {}", e.path, e.message);
    }
    let context = context_inputs(&check, &config, &inputs);
    // No rule needs to run: the graph comes from the facts.
    let opts = LintOptions {
        select: vec!["NONE-".into()],
        ..LintOptions::default()
    };
    let mut session = Session::new(config, opts);
    for i in inputs {
        session.add(i, Role::Named);
    }
    for i in context {
        session.add(i, Role::Context);
    }
    let _ = session.check();
    let view = graph::view(session.files(), session.facts(), session.graph());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        GraphFormat::Json => graph::write_json(&view, &mut out),
        GraphFormat::Human => graph::write_human(&view, &mut out),
    };
    if let Err(e) = written.and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write the graph: {e}");
            return EXIT_ERROR;
        }
    }
    if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    }
}
