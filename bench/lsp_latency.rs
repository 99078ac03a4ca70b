//! Editor latency (run by hand): a 200-file workspace with one 2,000-line
//! manifest; time to re-lint after a one-character edit of that manifest,
//! as the language server does it (`Session::update` + `check`).
//!
//!     cargo run --release --example lsp-latency

use deploylint::config::Config;
use deploylint::engine::{LintOptions, Session};
use std::path::PathBuf;
use std::time::Instant;

fn deployment(i: usize) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\n  labels: {{app: app{i}}}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {{app: app{i}}}\n  template:\n    metadata:\n      labels: {{app: app{i}}}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/acme/app{i}:1.0.{i}\n          resources: {{requests: {{cpu: 100m, memory: 128Mi}}, limits: {{memory: 256Mi}}}}\n"
    )
}

fn main() {
    let mut files: Vec<(String, String)> = Vec::new();
    // The big manifest: ~2,000 lines (111 Deployments of 18 lines).
    let big: String = (0..111)
        .map(|i| format!("{}---\n", deployment(i)))
        .collect();
    files.push(("big.yaml".into(), big.clone()));
    for i in 0..199 {
        let name = match i % 4 {
            0 => format!("app{i}/Dockerfile"),
            1 => format!("app{i}/www.conf"),
            2 => format!("app{i}/php.ini"),
            _ => format!("app{i}/deploy.yaml"),
        };
        let text = match i % 4 {
            0 => "FROM php:8.3-fpm-alpine\nCOPY www.conf /usr/local/etc/php-fpm.d/www.conf\nUSER www-data\n".into(),
            1 => "[www]\npm = static\npm.max_children = 4\n".into(),
            2 => "memory_limit = 256M\n".into(),
            _ => deployment(1000 + i),
        };
        files.push((name, text));
    }
    let texts: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut session = Session::from_texts(
        Config::with_defaults(PathBuf::from(".")),
        LintOptions::default(),
        &texts,
    )
    .keep_documents(true);
    let t = Instant::now();
    let (first, _) = session.check();
    println!(
        "first check: {} files, {} lines in big.yaml, {} findings, {:.1} ms",
        files.len(),
        big.lines().count(),
        first.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let mut samples = Vec::new();
    for round in 0..50 {
        // One character: a replica count 2 -> 3 and back.
        let edited = if round % 2 == 0 {
            big.replacen("replicas: 2", "replicas: 3", 1)
        } else {
            big.clone()
        };
        let t = Instant::now();
        session.update("big.yaml", edited);
        let (d, _) = session.check();
        samples.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(d);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    println!(
        "re-lint after a one-character edit: median {:.2} ms, p90 {:.2} ms, max {:.2} ms ({} parses in all)",
        samples[samples.len() / 2],
        samples[samples.len() * 9 / 10],
        samples[samples.len() - 1],
        session.stats().parses
    );
}
