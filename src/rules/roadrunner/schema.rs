//! The RoadRunner v3 configuration (`.rr.yaml`) as a compact typed key table,
//! written from RoadRunner's published JSON schema
//! (`roadrunner-server/roadrunner` `schemas/config/3.0.schema.json`, MIT) and
//! the plugin documentation at docs.roadrunner.dev.
//!
//! RoadRunner decodes each plugin's section with viper/mapstructure, weakly
//! typed: `"8"` is accepted for an integer, unknown keys are silently
//! ignored, and `${NAME:-default}` placeholders are expanded before decoding.
//! So the checks here are: keys a plugin never reads (with the closest key,
//! or the place the key belongs), values that cannot decode, and durations
//! written as bare numbers (Go reads `60` as 60 nanoseconds).
//!
//! Top-level sections of plugins this table does not know are left alone: a
//! RoadRunner binary built with Velox can carry any third-party plugin.

use crate::parse::yaml::{Node, NodeKind, Resolved, resolve};
use crate::source::Span;
use crate::suggest::did_you_mean;

/// The type of a value in the table.
#[derive(Clone, Copy)]
pub enum T {
    /// Anything (a plugin section whose inside is not modelled).
    Any,
    Str,
    /// An integer (weakly typed: a numeric string decodes too).
    Int,
    Bool,
    /// A Go duration (`60s`, `1h30m`); a bare number is nanoseconds.
    Dur,
    Enum(&'static [&'static str]),
    List(&'static T),
    /// A closed struct: every other key is ignored by RoadRunner.
    Obj(&'static [(&'static str, T)]),
    /// A struct that newer RoadRunner releases keep extending (listener
    /// socket attributes, proxy settings...): other keys are reported only
    /// when they are a near-miss of a known key or belong one level down.
    Loose(&'static [(&'static str, T)]),
    /// A map of user-chosen names to one shape.
    Dict(&'static T),
    /// Environment variables: a map, or a list of one-key maps.
    Env,
}

const DUR: T = T::Dur;

const SUPERVISOR: T = T::Obj(&[
    ("watch_tick", DUR),
    ("ttl", DUR),
    ("idle_ttl", DUR),
    ("max_worker_memory", T::Int),
    ("exec_ttl", DUR),
]);

const DYNAMIC_ALLOCATOR: T = T::Obj(&[
    ("max_workers", T::Int),
    ("spawn_rate", T::Int),
    ("idle_timeout", DUR),
]);

/// `WorkersPool` of the schema (`http.pool`, `jobs.pool`, `grpc.pool`, ...).
pub const POOL: T = T::Obj(&[
    ("debug", T::Bool),
    ("command", T::Str),
    ("num_workers", T::Int),
    ("max_jobs", T::Int),
    ("max_queue_size", T::Int),
    ("allocate_timeout", DUR),
    ("reset_timeout", DUR),
    ("stream_timeout", DUR),
    ("destroy_timeout", DUR),
    ("supervisor", SUPERVISOR),
    ("dynamic_allocator", DYNAMIC_ALLOCATOR),
]);

const STR_LIST: T = T::List(&T::Str);
const HEADERS_MAP: T = T::Dict(&T::Str);
const TLS: T = T::Obj(&[
    ("key", T::Str),
    ("cert", T::Str),
    ("root_ca", T::Str),
    ("client_auth_type", T::Str),
]);

const LOG_MODES: &[&str] = &["development", "production", "raw", "off", "none"];
const LOG_LEVELS: &[&str] = &["debug", "info", "warn", "error", "panic"];
const LOG_ENCODINGS: &[&str] = &["console", "json"];

const LOG_CHANNEL: T = T::Obj(&[
    ("mode", T::Enum(LOG_MODES)),
    ("level", T::Enum(LOG_LEVELS)),
    ("line_ending", T::Str),
    ("encoding", T::Enum(LOG_ENCODINGS)),
    ("output", T::Any),
    ("err_output", T::Any),
]);

const LOGS: T = T::Obj(&[
    ("mode", T::Enum(LOG_MODES)),
    ("level", T::Enum(LOG_LEVELS)),
    ("line_ending", T::Str),
    ("encoding", T::Enum(LOG_ENCODINGS)),
    ("output", T::Any),
    ("err_output", T::Any),
    ("channels", T::Dict(&LOG_CHANNEL)),
    ("file_logger_options", T::Any),
]);

const HTTP: T = T::Loose(&[
    ("address", T::Str),
    ("internal_error_code", T::Int),
    ("max_request_size", T::Int),
    ("raw_body", T::Bool),
    ("access_logs", T::Bool),
    ("middleware", STR_LIST),
    ("trusted_subnets", STR_LIST),
    (
        "uploads",
        T::Obj(&[("dir", T::Str), ("forbid", STR_LIST), ("allow", STR_LIST)]),
    ),
    (
        "headers",
        T::Obj(&[
            ("cors", T::Any),
            ("request", HEADERS_MAP),
            ("response", HEADERS_MAP),
        ]),
    ),
    (
        "static",
        T::Loose(&[
            ("dir", T::Str),
            ("forbid", STR_LIST),
            ("allow", STR_LIST),
            ("calculate_etag", T::Bool),
            ("weak", T::Bool),
            ("request", HEADERS_MAP),
            ("response", HEADERS_MAP),
        ]),
    ),
    ("pool", POOL),
    ("ssl", T::Any),
    ("fcgi", T::Loose(&[("address", T::Str)])),
    (
        "http2",
        T::Obj(&[("h2c", T::Bool), ("max_concurrent_streams", T::Int)]),
    ),
    ("http3", T::Any),
    // Middleware configuration read from the `http` section.
    ("cache", T::Any),
    ("new_relic", T::Any),
]);

const SERVICE: T = T::Loose(&[
    ("command", T::Any),
    ("env", T::Env),
    ("timeout_stop_sec", T::Int),
    ("process_num", T::Int),
    ("exec_timeout", DUR),
    ("remain_after_exit", T::Bool),
    ("restart_sec", T::Int),
    ("service_name_in_log", T::Bool),
]);

const PIPELINE: T = T::Loose(&[("driver", T::Str), ("config", T::Any)]);

const JOBS: T = T::Loose(&[
    ("num_pollers", T::Int),
    ("timeout", T::Int),
    ("pipeline_size", T::Int),
    ("consume", STR_LIST),
    ("pool", POOL),
    ("pools", T::Any),
    ("pipelines", T::Dict(&PIPELINE)),
]);

/// The top level: known plugin sections.
pub const ROOT: &[(&str, T)] = &[
    ("version", T::Str),
    ("rpc", T::Loose(&[("listen", T::Str)])),
    (
        "server",
        T::Loose(&[
            (
                "on_init",
                T::Loose(&[
                    ("command", T::Any),
                    ("exec_timeout", DUR),
                    ("user", T::Str),
                    ("env", T::Env),
                ]),
            ),
            // A string, or (RoadRunner v2026+) a list of arguments.
            ("command", T::Any),
            ("user", T::Str),
            ("group", T::Str),
            ("env", T::Env),
            ("relay", T::Str),
            ("relay_timeout", DUR),
        ]),
    ),
    ("http", HTTP),
    ("logs", LOGS),
    (
        "status",
        T::Loose(&[("address", T::Str), ("unavailable_status_code", T::Int)]),
    ),
    (
        "metrics",
        T::Loose(&[("address", T::Str), ("collect", T::Any)]),
    ),
    (
        "reload",
        T::Obj(&[
            ("interval", DUR),
            ("patterns", STR_LIST),
            ("services", T::Any),
        ]),
    ),
    ("service", T::Dict(&SERVICE)),
    ("jobs", JOBS),
    (
        "kv",
        T::Dict(&T::Obj(&[("driver", T::Str), ("config", T::Any)])),
    ),
    (
        "endure",
        T::Obj(&[
            ("grace_period", DUR),
            ("print_graph", T::Bool),
            ("log_level", T::Str),
            ("watchdog_sec", T::Int),
        ]),
    ),
    (
        "grpc",
        T::Loose(&[
            ("listen", T::Str),
            ("proto", STR_LIST),
            ("api_proto", T::Any),
            ("tls", TLS),
            ("max_send_msg_size", T::Int),
            ("max_recv_msg_size", T::Int),
            ("max_connection_idle", DUR),
            ("max_connection_age", DUR),
            ("max_connection_age_grace", DUR),
            ("max_concurrent_streams", T::Int),
            ("ping_time", DUR),
            ("timeout", DUR),
            ("pool", POOL),
        ]),
    ),
    // Sections whose inside is not modelled here (drivers, third-party shapes).
    ("temporal", T::Any),
    ("centrifuge", T::Any),
    ("otel", T::Any),
    ("tcp", T::Any),
    ("fileserver", T::Any),
    ("redis", T::Any),
    ("memcached", T::Any),
    ("boltdb", T::Any),
    ("memory", T::Any),
    ("nats", T::Any),
    ("kafka", T::Any),
    ("amqp", T::Any),
    ("beanstalk", T::Any),
    ("sqs", T::Any),
    ("googlepubsub", T::Any),
    ("lock", T::Any),
    ("informer", T::Any),
    ("resetter", T::Any),
    ("experimental", T::Any),
    ("envfile", T::Any),
];

/// Top-level keys of RoadRunner v1/v2 or of other tools, and where the
/// setting lives in v3.
const MISPLACED_TOP: &[(&str, &str)] = &[
    (
        "static",
        "`http.static` (with `static` in `http.middleware`)",
    ),
    (
        "headers",
        "`http.headers` (with `headers` in `http.middleware`)",
    ),
    (
        "health",
        "`status.address` (the v1 `health` plugin is `status` since v2)",
    ),
    (
        "limit",
        "`http.pool.supervisor` (the v1 `limit` plugin is the pool supervisor since v2)",
    ),
    ("gzip", "`http.middleware: [\"gzip\"]`"),
    ("pool", "`http.pool` (or the pool of the plugin it is for)"),
    ("supervisor", "`http.pool.supervisor`"),
    ("workers", "`http.pool` and `server.command`"),
    ("env", "`server.env`"),
    ("command", "`server.command`"),
    ("address", "`http.address`"),
    ("relay", "`server.relay`"),
];

/// Driver options of the v2.6 jobs pipeline layout (`priority` next to
/// `driver`), which configuration 2.7 moved under `config`.
const V2_PIPELINE_OPTIONS: &[&str] = &[
    "priority",
    "prefetch",
    "queue",
    "exchange",
    "exchange_type",
    "routing_key",
    "tube",
    "tube_priority",
    "reserve_timeout",
    "file",
    "subject",
    "stream",
    "visibility_timeout",
    "wait_time_seconds",
    "durable",
    "exclusive",
    "multiple_ack",
    "requeue_on_fail",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// A key RoadRunner never reads (OCT020).
    UnknownKey,
    /// A value that does not decode, or a duration without unit (OCT021).
    InvalidValue,
    /// `version` missing or not `"3"` (OCT022).
    Version,
}

#[derive(Debug)]
pub struct Issue {
    pub kind: IssueKind,
    pub span: Span,
    pub message: String,
    pub hint: String,
}

/// Checks a whole `.rr.yaml` document.
pub fn check(root: &Node) -> Vec<Issue> {
    let mut out = Vec::new();
    let NodeKind::Map(entries) = &root.kind else {
        if !root.is_null() {
            out.push(Issue {
                kind: IssueKind::InvalidValue,
                span: root.span,
                message: "a RoadRunner config is a map of plugin sections".into(),
                hint:
                    "Start with `version: \"3\"` and plugin sections such as `server:` and `http:`"
                        .into(),
            });
        }
        return out;
    };
    check_version(root, entries, &mut out);
    for e in entries {
        let Some(key) = e.key.as_str() else { continue };
        if key == "version" {
            continue;
        }
        match ROOT.iter().find(|(k, _)| *k == key) {
            Some((_, t)) => check_value(t, &e.value, key, &mut out),
            None => unknown_top(key, e, &mut out),
        }
    }
    out
}

fn check_version(root: &Node, entries: &[crate::parse::yaml::Entry], out: &mut Vec<Issue>) {
    let hint = "Write `version: \"3\"` as the first line and use the v3 layout (RoadRunner 2023.1 and later refuse other versions)";
    match root.entry("version") {
        None => out.push(Issue {
            kind: IssueKind::Version,
            span: entries.first().map_or(first_line(root), |e| e.key.span),
            message: "no `version`: RoadRunner 2023.1 and later refuse to start without `version: \"3\"`".into(),
            hint: format!(
                "{hint}. When Octane starts RoadRunner it passes `-o version=3`, so only a direct `rr serve` fails"
            ),
        }),
        Some(e) => {
            let text = e.value.as_str().unwrap_or_default().trim();
            // `3`, `"3"`, `3.0`: RoadRunner compares the major version.
            if text == "3" || text.starts_with("3.") || is_placeholder(text) {
                return;
            }
            out.push(Issue {
                kind: IssueKind::Version,
                span: e.value.span,
                message: format!(
                    "`version: {}`: RoadRunner 2023.1 and later read only configuration version 3",
                    if text.is_empty() { "null" } else { text }
                ),
                hint: hint.into(),
            });
        }
    }
}

fn unknown_top(key: &str, e: &crate::parse::yaml::Entry, out: &mut Vec<Issue>) {
    if key == "octane" {
        out.push(Issue {
            kind: IssueKind::UnknownKey,
            span: e.key.span,
            message: "`octane` is not a RoadRunner section: RoadRunner never reads it, and Octane does not read `.rr.yaml`".into(),
            hint: octane_hint(&e.value),
        });
        return;
    }
    if let Some((_, place)) = MISPLACED_TOP.iter().find(|(k, _)| *k == key) {
        out.push(Issue {
            kind: IssueKind::UnknownKey,
            span: e.key.span,
            message: format!(
                "`{key}` is not a top-level RoadRunner v3 section: RoadRunner ignores it"
            ),
            hint: format!("Move it to {place}"),
        });
        return;
    }
    let names = ROOT.iter().map(|(k, _)| *k);
    if let Some(s) = did_you_mean(key, names) {
        out.push(Issue {
            kind: IssueKind::UnknownKey,
            span: e.key.span,
            message: format!("unknown RoadRunner section `{key}`: did you mean `{s}`?"),
            hint: format!("Rename it to `{s}`; RoadRunner ignores sections no plugin reads"),
        });
    }
    // Anything else may be the section of a third-party plugin (a Velox build).
}

/// Where the settings of a seed-style `octane:` section go.
fn octane_hint(value: &Node) -> String {
    fn target(k: &str) -> Option<&'static str> {
        Some(match k {
            "num_workers" | "workers" => "`http.pool.num_workers`",
            "max_requests" | "max_jobs" | "max_request" => "`http.pool.max_jobs`",
            "max_worker_memory" | "memory" => "`http.pool.supervisor.max_worker_memory`",
            "host" | "port" | "address" => "`http.address`",
            _ => return None,
        })
    }
    let mut moves = Vec::new();
    for e in value.as_map() {
        let Some(k) = e.key.as_str() else { continue };
        if e.value.is_map() {
            // `octane.workers.num_workers`, `octane.pool.max_jobs`.
            for inner in e.value.as_map() {
                let Some(ik) = inner.key.as_str() else {
                    continue;
                };
                if let Some(t) = target(ik) {
                    moves.push(format!("`octane.{k}.{ik}` to {t}"));
                }
            }
        } else if let Some(t) = target(k) {
            moves.push(format!("`octane.{k}` to {t}"));
        }
    }
    let mut hint = if moves.is_empty() {
        "Remove the section, or move its settings to `http.pool` (`num_workers`, `max_jobs`) and `http.address`".to_owned()
    } else {
        format!("Move {}", moves.join(", "))
    };
    hint.push_str(". When Octane starts RoadRunner (`octane:start --server=roadrunner`), its `--workers`, `--max-requests`, `--host`/`--port` flags are passed as `-o` overrides and beat the file");
    hint
}

fn check_value(t: &T, node: &Node, path: &str, out: &mut Vec<Issue>) {
    if node.is_null() {
        return;
    }
    match *t {
        T::Any => {}
        T::Str => {
            if !matches!(node.kind, NodeKind::Scalar(_)) {
                bad(node, path, "a string", out);
            }
        }
        T::Int => check_int(node, path, out),
        T::Bool => check_bool(node, path, out),
        T::Dur => check_duration(node, path, out),
        T::Enum(values) => check_enum(node, path, values, out),
        T::List(item) => match &node.kind {
            NodeKind::Seq(items) => {
                for (i, it) in items.iter().enumerate() {
                    check_value(item, it, &format!("{path}[{i}]"), out);
                }
            }
            // A placeholder or a single value (mapstructure wraps it).
            NodeKind::Scalar(_) => {}
            NodeKind::Map(_) => bad(node, path, "a list", out),
        },
        T::Obj(fields) | T::Loose(fields) => match &node.kind {
            NodeKind::Map(entries) => {
                let strict = matches!(t, T::Obj(_));
                for e in entries {
                    let Some(key) = e.key.as_str() else { continue };
                    // Viper reads dotted keys as paths (`http: {pool.debug: true}`).
                    if let Some((head, _)) = key.split_once('.') {
                        if fields.iter().any(|(k, _)| *k == head) {
                            continue;
                        }
                    }
                    let child = format!("{path}.{key}");
                    match fields.iter().find(|(k, _)| *k == key) {
                        Some((_, ft)) => check_value(ft, &e.value, &child, out),
                        None => unknown_nested(key, &e.key, path, fields, strict, out),
                    }
                }
            }
            NodeKind::Scalar(s) if is_placeholder(&s.value) => {}
            _ => bad(node, path, "a map", out),
        },
        T::Dict(item) => match &node.kind {
            NodeKind::Map(entries) => {
                for e in entries {
                    let Some(key) = e.key.as_str() else { continue };
                    check_value(item, &e.value, &format!("{path}.{key}"), out);
                }
            }
            NodeKind::Scalar(s) if is_placeholder(&s.value) => {}
            _ => bad(node, path, "a map", out),
        },
        T::Env => match &node.kind {
            NodeKind::Map(_) => {}
            NodeKind::Seq(items) => {
                for it in items {
                    if !it.is_map() {
                        out.push(Issue {
                            kind: IssueKind::InvalidValue,
                            span: it.span,
                            message: format!("`{path}` items are `NAME: value` pairs"),
                            hint: "Write `- NAME: value`, or a map of names to values".into(),
                        });
                    }
                }
            }
            NodeKind::Scalar(s) if is_placeholder(&s.value) => {}
            NodeKind::Scalar(_) => bad(node, path, "a map of names to values", out),
        },
    }
}

fn unknown_nested(
    key: &str,
    key_node: &Node,
    path: &str,
    fields: &[(&str, T)],
    strict: bool,
    out: &mut Vec<Issue>,
) {
    // A key that belongs one level down (`http.pool.max_worker_memory`
    // belongs in `http.pool.supervisor`).
    let below = fields.iter().find_map(|(name, t)| match t {
        T::Obj(inner) | T::Loose(inner) if inner.iter().any(|(k, _)| *k == key) => Some(*name),
        _ => None,
    });
    // The v2.6 jobs layout: driver options directly in the pipeline, read
    // only under `config` since configuration version 2.7.
    if path.starts_with("jobs.pipelines.") && V2_PIPELINE_OPTIONS.contains(&key) {
        out.push(Issue {
            kind: IssueKind::UnknownKey,
            span: key_node.span,
            message: format!(
                "`{path}.{key}` is the v2.6 pipeline layout: RoadRunner reads driver options only under `{path}.config`"
            ),
            hint: format!("Move `{key}` into `{path}.config`"),
        });
        return;
    }
    if !strict && below.is_none() && did_you_mean(key, fields.iter().map(|(k, _)| *k)).is_none() {
        // Possibly a key of a newer RoadRunner release.
        return;
    }
    let (message, hint) = if let Some(sub) = below {
        (
            format!(
                "`{path}.{key}` is not read there: RoadRunner reads `{key}` under `{path}.{sub}`"
            ),
            format!("Move `{key}` into `{path}.{sub}`"),
        )
    } else if let Some(s) = did_you_mean(key, fields.iter().map(|(k, _)| *k)) {
        (
            format!("unknown key `{key}` in `{path}`: did you mean `{s}`?"),
            format!("Rename it to `{s}`; RoadRunner silently ignores keys it does not know"),
        )
    } else {
        let known: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
        (
            format!("unknown key `{key}` in `{path}`: RoadRunner never reads it"),
            format!(
                "Remove it, or use one of the keys `{path}` has: {}",
                list(&known)
            ),
        )
    };
    out.push(Issue {
        kind: IssueKind::UnknownKey,
        span: key_node.span,
        message,
        hint,
    });
}

fn list(keys: &[&str]) -> String {
    let shown: Vec<String> = keys.iter().take(12).map(|k| format!("`{k}`")).collect();
    let mut s = shown.join(", ");
    if keys.len() > 12 {
        s.push_str(", ...");
    }
    s
}

fn check_int(node: &Node, path: &str, out: &mut Vec<Issue>) {
    match resolve(node) {
        Resolved::Int(_) | Resolved::Null => {}
        Resolved::Float(f) if f.fract() == 0.0 => {}
        Resolved::Str(s) => {
            let t = s.trim();
            if t.parse::<i64>().is_err() && !is_placeholder(t) {
                bad(node, path, "an integer", out);
            }
        }
        _ => bad(node, path, "an integer", out),
    }
}

fn check_bool(node: &Node, path: &str, out: &mut Vec<Issue>) {
    match resolve(node) {
        Resolved::Bool(_) | Resolved::Null => {}
        // Go's strconv.ParseBool, used by weak decoding.
        Resolved::Str(s)
            if matches!(
                s.trim(),
                "1" | "0"
                    | "t"
                    | "f"
                    | "T"
                    | "F"
                    | "true"
                    | "false"
                    | "TRUE"
                    | "FALSE"
                    | "True"
                    | "False"
            ) || is_placeholder(s) => {}
        Resolved::Int(0 | 1) => {}
        _ => bad(node, path, "a boolean", out),
    }
}

fn check_enum(node: &Node, path: &str, values: &[&str], out: &mut Vec<Issue>) {
    let Some(s) = node.as_str() else {
        if !node.is_null() {
            bad(node, path, "a string", out);
        }
        return;
    };
    let t = s.trim();
    if values.contains(&t) || is_placeholder(t) {
        return;
    }
    let mut message = format!("`{path}: {t}` is not a value RoadRunner knows");
    if let Some(m) = did_you_mean(t, values.iter().copied()) {
        message.push_str(&format!(": did you mean `{m}`?"));
    }
    out.push(Issue {
        kind: IssueKind::InvalidValue,
        span: node.span,
        message,
        hint: format!("Use one of {}", list(values)),
    });
}

fn check_duration(node: &Node, path: &str, out: &mut Vec<Issue>) {
    let Some(text) = node.as_str() else {
        if !node.is_null() {
            bad(node, path, "a duration such as `60s`", out);
        }
        return;
    };
    let t = text.trim();
    if is_placeholder(t) {
        return;
    }
    if let Resolved::Int(n) = resolve(node) {
        if n != 0 {
            out.push(Issue {
                kind: IssueKind::InvalidValue,
                span: node.span,
                message: format!(
                    "`{path}: {t}` has no unit: RoadRunner reads a bare number as {n} nanoseconds"
                ),
                hint: format!("Write the unit: `{t}s` for seconds (Go duration syntax: `300ms`, `60s`, `5m`, `1h`)"),
            });
        }
        return;
    }
    if !is_go_duration(t) {
        out.push(Issue {
            kind: IssueKind::InvalidValue,
            span: node.span,
            message: format!("`{path}: {t}` is not a Go duration: RoadRunner refuses to start"),
            hint: "Write a number with a unit: `300ms`, `60s`, `5m`, `1h30m`".into(),
        });
    }
}

/// Go's `time.ParseDuration` syntax: `[-+]?(\d*\.?\d*(ns|us|µs|ms|s|m|h))+`, or `0`.
pub fn is_go_duration(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    if s.is_empty() {
        return false;
    }
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..digits];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(**u))
            .max_by_key(|u| u.len());
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
    }
    true
}

/// A value RoadRunner expands from the environment before decoding
/// (`${PORT}`, `${PORT:-8080}`, `$PORT`).
pub fn is_placeholder(s: &str) -> bool {
    s.contains("${") || (s.starts_with('$') && s.len() > 1)
}

fn bad(node: &Node, path: &str, expected: &str, out: &mut Vec<Issue>) {
    let shown = match &node.kind {
        NodeKind::Scalar(s) => format!("`{}`", truncate(&s.value)),
        NodeKind::Seq(_) => "a list".into(),
        NodeKind::Map(_) => "a map".into(),
    };
    out.push(Issue {
        kind: IssueKind::InvalidValue,
        span: node.span,
        message: format!("`{path}` must be {expected}, not {shown}: RoadRunner cannot decode it"),
        hint: format!("Write {expected} here"),
    });
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        let t: String = s.chars().take(40).collect();
        format!("{t}...")
    } else {
        s.to_owned()
    }
}

/// The first line of a node, for findings about something missing.
pub fn first_line(node: &Node) -> Span {
    Span::new(node.span.start, node.span.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        for ok in ["0", "60s", "1h30m", "300ms", "1.5h", ".5s", "10us", "-1s"] {
            assert!(is_go_duration(ok), "{ok}");
        }
        for bad in ["60", "s", "1x", "1.2.3s", "", "sixty"] {
            assert!(!is_go_duration(bad), "{bad}");
        }
    }
}
