//! `deploylint config --show [PATH]`: the settings a file is linted with
//! (nearest `.deploylint.yaml`, what it extends, the overrides that match,
//! the command line) and where each value came from.

use super::{EXIT_ERROR, EXIT_OK};
use crate::config::Config;
use crate::report::HumanOptions;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    Human,
    Json,
}

#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// Print the resolved settings for PATH with where each value came from.
    #[arg(long)]
    pub show: bool,
    /// The file (or directory) whose settings to show (default: `.`).
    pub path: Option<PathBuf>,
    /// Use this config file instead of searching for `.deploylint.yaml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[arg(long = "output-format", visible_alias = "format", value_enum, default_value_t = ShowFormat::Human)]
    pub format: ShowFormat,
}

pub fn run(args: ConfigArgs) -> u8 {
    if !args.show {
        eprintln!("error: say what to do: `deploylint config --show [PATH]`");
        return EXIT_ERROR;
    }
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let found = match &args.config {
        Some(p) => Some(p.clone()),
        None => Config::discover(&cwd).or_else(|| {
            let start = std::fs::canonicalize(&path).ok()?;
            Config::discover(&super::check::dir_of(start))
        }),
    };
    let fail = |e| {
        let human = HumanOptions {
            color: false,
            quiet: false,
            width: 100,
            summary: false,
            rich: true,
        };
        super::check::report_config_error(e, &human, crate::report::Format::Human);
        EXIT_ERROR
    };
    let mut config = match found {
        Some(p) => {
            let shown = p.strip_prefix(&cwd).map_or(p.clone(), Path::to_path_buf);
            match Config::load(&shown) {
                Ok(mut c) => {
                    if let Ok(abs) = std::fs::canonicalize(&c.root) {
                        c.root = abs
                            .strip_prefix(&cwd)
                            .map_or(abs.clone(), Path::to_path_buf);
                    }
                    c
                }
                Err(e) => return fail(e),
            }
        }
        None => Config::with_defaults(PathBuf::from(".")),
    };
    // A directory stands for the files in it.
    let probe = if path.is_dir() {
        path.join("-")
    } else {
        path.clone()
    };
    if args.config.is_none() {
        if let Err(e) = config.attach_nested(std::iter::once(probe.as_path())) {
            return fail(e);
        }
    }
    let shown = config.show(&path);
    let text = match args.format {
        ShowFormat::Json => match serde_json::to_string_pretty(&shown) {
            Ok(t) => t + "\n",
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        },
        ShowFormat::Human => human(&shown),
    };
    super::print_stdout(&text);
    EXIT_OK
}

fn human(s: &crate::config::Shown) -> String {
    let mut out = format!("# settings for {}\n", s.path);
    match &s.config {
        Some(c) => out.push_str(&format!("# config: {c}\n")),
        None => out.push_str("# config: none found (defaults)\n"),
    }
    if s.files.len() > 1 {
        out.push_str(&format!("# merged, in order: {}\n", s.files.join(", ")));
    }
    for o in &s.overrides {
        out.push_str(&format!("# override matched: {o}\n"));
    }
    let lines: Vec<(String, &str)> = s
        .values
        .iter()
        .map(|v| {
            let value = match &v.value {
                serde_json::Value::String(t) => format!("{t:?}"),
                other => other.to_string(),
            };
            (format!("{}: {value}", v.key), v.from.as_str())
        })
        .collect();
    let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (line, from) in lines {
        out.push_str(&format!("{line:<width$}  # {from}\n"));
    }
    out
}
