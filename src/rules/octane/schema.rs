//! What Octane reads from `config/octane.php`: written from laravel/octane's
//! published `config/octane.php`, its start commands (`StartCommand`,
//! `StartSwooleCommand`, `StartRoadRunnerCommand`, `StartFrankenPhpCommand`,
//! `InteractsWithServers`) and `bin/createSwooleServer.php`, and the Swoole
//! server options it passes through (`swoole.options`, merged over Octane's
//! defaults into `Swoole\Http\Server::set()`).

/// Top-level keys Octane (or its published config) reads.
pub const TOP_LEVEL: &[&str] = &[
    "server",
    "https",
    "listeners",
    "warm",
    "flush",
    "tables",
    "cache",
    "watch",
    "garbage",
    "max_execution_time",
    "swoole",
    "roadrunner",
    "frankenphp",
    "mercure",
    "host",
    "port",
    "state_file",
];

/// Keys under `swoole` that Octane reads.
pub const SWOOLE: &[&str] = &[
    "options",
    "ssl",
    "mode",
    "php_options",
    "command",
    "format_headers",
];

/// A key placed where Octane never reads it, and what does the job
/// (`value`, when literal, is shown in the flag to write).
pub fn misplaced(section: Option<&str>, key: &str, value: Option<&str>) -> Option<String> {
    let k = key.to_ascii_lowercase();
    let v = |default: &str| value.unwrap_or(default).to_owned();
    Some(match (section, k.as_str()) {
        (Some("swoole"), "host") => format!(
            "pass `--host={}` to `octane:start` (or set `OCTANE_HOST`)",
            v("0.0.0.0")
        ),
        (Some("swoole"), "port") => format!(
            "pass `--port={}` to `octane:start` (or set `OCTANE_PORT`)",
            v("8000")
        ),
        (_, "workers") => format!("pass `--workers={}` to `octane:start`", v("N")),
        (_, "task_workers" | "task-workers") => {
            format!("pass `--task-workers={}` to `octane:start`", v("N"))
        }
        (_, "max_request" | "max_requests" | "max-requests") => format!(
            "pass `--max-requests={}` to `octane:start` (Swoole: or set `swoole.options.max_request`)",
            v("N")
        ),
        (Some("swoole"), o)
            if matches!(
                o,
                "worker_num" | "task_worker_num" | "reactor_num" | "task_max_request"
            ) || SWOOLE_OPTIONS.contains(&o) =>
        {
            "move it under `swoole.options`, which Octane passes to Swoole".to_owned()
        }
        (None, "rpc_port" | "rpc-port") => {
            format!("pass `--rpc-port={}` to `octane:start`", v("N"))
        }
        (None, "rr_config" | "rr-config") => {
            format!("pass `--rr-config={}` to `octane:start`", v(".rr.yaml"))
        }
        (None, "caddyfile") => format!("pass `--caddyfile={}` to `octane:start`", v("Caddyfile")),
        _ => return None,
    })
}

/// A literal value as a command-line word (`swoole_cpu_num() * 2` has none).
pub fn literal(v: &crate::parse::php::Value) -> Option<String> {
    use crate::parse::php::{Scalar, ValueKind};
    if matches!(v.kind, ValueKind::Env { .. }) {
        return None;
    }
    match v.effective()? {
        Scalar::Str(s) if !s.is_empty() && !s.contains(char::is_whitespace) => Some(s),
        Scalar::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// Swoole server settings (`Swoole\Server::set()`, `Swoole\Constant::OPTION_*`),
/// the names `swoole.options` may hold.
pub const SWOOLE_OPTIONS: &[&str] = &[
    "admin_server",
    "aio_core_worker_num",
    "aio_max_idle_time",
    "aio_max_wait_time",
    "aio_worker_num",
    "backlog",
    "bootstrap",
    "buffer_high_watermark",
    "buffer_input_size",
    "buffer_low_watermark",
    "buffer_output_size",
    "c_stack_size",
    "chroot",
    "compression_min_length",
    "cpu_affinity_ignore",
    "daemonize",
    "discard_timeout_request",
    "dispatch_func",
    "dispatch_mode",
    "display_errors",
    "dns_cache_capacity",
    "dns_cache_expire",
    "dns_server",
    "document_root",
    "enable_coroutine",
    "enable_deadlock_check",
    "enable_delay_receive",
    "enable_preemptive_scheduler",
    "enable_reuse_port",
    "enable_signalfd",
    "enable_static_handler",
    "enable_unsafe_event",
    "event_object",
    "group",
    "heartbeat_check_interval",
    "heartbeat_idle_time",
    "hook_flags",
    "http_autoindex",
    "http_compression",
    "http_compression_level",
    "http_compression_types",
    "http_gzip_level",
    "http_index_files",
    "http_parse_cookie",
    "http_parse_files",
    "http_parse_post",
    "init_arguments",
    "input_buffer_size",
    "kernel_socket_recv_buffer_size",
    "kernel_socket_send_buffer_size",
    "log_date_format",
    "log_date_with_microseconds",
    "log_file",
    "log_level",
    "log_rotation",
    "max_conn",
    "max_connection",
    "max_coro_num",
    "max_coroutine",
    "max_queued_bytes",
    "max_request",
    "max_request_grace",
    "max_wait_time",
    "message_queue_key",
    "open_cpu_affinity",
    "open_eof_check",
    "open_eof_split",
    "open_fastcgi_protocol",
    "open_http2_protocol",
    "open_http_protocol",
    "open_length_check",
    "open_mqtt_protocol",
    "open_redis_protocol",
    "open_tcp_keepalive",
    "open_tcp_nodelay",
    "open_websocket_close_frame",
    "open_websocket_ping_frame",
    "open_websocket_pong_frame",
    "open_websocket_protocol",
    "output_buffer_size",
    "package_body_offset",
    "package_eof",
    "package_length_func",
    "package_length_offset",
    "package_length_type",
    "package_max_length",
    "pid_file",
    "reactor_num",
    "reload_async",
    "request_slowlog_file",
    "request_slowlog_timeout",
    "send_timeout",
    "send_yield",
    "single_thread",
    "socket_buffer_size",
    "ssl_allow_self_signed",
    "ssl_cafile",
    "ssl_capath",
    "ssl_cert_file",
    "ssl_ciphers",
    "ssl_client_cert_file",
    "ssl_compress",
    "ssl_dhparam",
    "ssl_ecdh_curve",
    "ssl_key_file",
    "ssl_method",
    "ssl_prefer_server_ciphers",
    "ssl_protocols",
    "ssl_sni_certs",
    "ssl_verify_depth",
    "ssl_verify_peer",
    "stack_size",
    "start_session_id",
    "static_handler_locations",
    "stats_file",
    "task_enable_coroutine",
    "task_ipc_mode",
    "task_max_request",
    "task_object",
    "task_tmpdir",
    "task_use_object",
    "task_worker_num",
    "tcp_defer_accept",
    "tcp_fastopen",
    "tcp_keepcount",
    "tcp_keepidle",
    "tcp_keepinterval",
    "tcp_user_timeout",
    "trace_event_worker",
    "upload_max_filesize",
    "upload_tmp_dir",
    "user",
    "websocket_compression",
    "websocket_subprotocol",
    "worker_max_concurrency",
    "worker_num",
];

/// `did_you_mean` over the candidates whose length could be within its
/// limit (a third of the word): the cheap length test first keeps a file
/// of thousands of unknown keys fast.
pub fn suggest(word: &str, candidates: &'static [&'static str]) -> Option<&'static str> {
    let len = word.chars().count();
    let limit = (len / 3).max(1);
    crate::suggest::did_you_mean(
        word,
        candidates
            .iter()
            .copied()
            .filter(|c| c.len().abs_diff(len) <= limit),
    )
}
