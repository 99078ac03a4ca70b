//! The structure of a compose file, written from the Compose Specification
//! (https://github.com/compose-spec/compose-spec/blob/main/spec.md and its
//! JSON schema's key names and types), and a validator over the located YAML
//! tree shared by DC001 (unknown keys) and DC002 (wrong types and values).
//!
//! The specification types most scalars as "X or string" so that `${VAR}`
//! interpolation can supply them; this table follows it: a scalar is checked
//! only where the specification restricts it (enumerations, booleans without
//! a string form). A scalar holding `$` is interpolated at run time and is
//! never a type error. `x-` extension keys are accepted wherever the
//! specification accepts them; `<<` merge keys are already applied by the
//! YAML loader, so merged keys are checked, at the span they were written.

use crate::parse::yaml::{Node, NodeKind, YamlFile};
use crate::source::Span;
use std::collections::HashSet;

#[derive(Clone, Copy)]
pub enum T {
    /// Any scalar (string, number, boolean).
    Scalar,
    /// A boolean with no string form in the specification.
    Bool,
    /// Anything (extension values, driver options).
    Any,
    Enum(&'static [&'static str]),
    Obj(&'static Obj),
    /// A mapping with free keys, each value of the given type.
    Dict(&'static T),
    List(&'static T),
    /// One of several shapes, picked by the value's shape.
    Or(&'static [T]),
    /// The given type, or empty (`null`).
    Null(&'static T),
}

pub struct Obj {
    pub fields: &'static [(&'static str, T)],
    /// `x-*` keys are allowed.
    pub ext: bool,
    pub required: &'static [&'static str],
}

const fn obj(fields: &'static [(&'static str, T)]) -> Obj {
    Obj {
        fields,
        ext: true,
        required: &[],
    }
}

const S: T = T::Scalar;
const STRINGS: T = T::List(&S);
const STRING_OR_LIST: T = T::Or(&[S, STRINGS]);
const LIST_OR_DICT: T = T::Or(&[T::Dict(&T::Null(&S)), STRINGS]);
const COMMAND: T = T::Null(&T::Or(&[S, STRINGS]));
const EXTRA_HOSTS: T = T::Or(&[T::Dict(&STRING_OR_LIST), STRINGS]);
const DRIVER_OPTS: T = T::Dict(&S);

const ULIMITS: T = T::Dict(&T::Or(&[
    S,
    T::Obj(&Obj {
        fields: &[("hard", S), ("soft", S)],
        ext: true,
        required: &["soft", "hard"],
    }),
]));

const CONFIG_OR_SECRET_REF: T = T::List(&T::Or(&[
    S,
    T::Obj(&obj(&[
        ("source", S),
        ("target", S),
        ("uid", S),
        ("gid", S),
        ("mode", S),
    ])),
]));

const SERVICE_HOOK: T = T::Obj(&Obj {
    fields: &[
        ("command", COMMAND),
        ("user", S),
        ("privileged", S),
        ("working_dir", S),
        ("environment", LIST_OR_DICT),
    ],
    ext: true,
    required: &["command"],
});

const DEVICES: T = T::List(&T::Obj(&Obj {
    fields: &[
        ("capabilities", STRINGS),
        ("count", S),
        ("device_ids", STRINGS),
        ("driver", S),
        ("options", LIST_OR_DICT),
    ],
    ext: true,
    required: &[],
}));

const RESOURCES: T = T::Obj(&obj(&[
    (
        "limits",
        T::Obj(&obj(&[("cpus", S), ("memory", S), ("pids", S)])),
    ),
    (
        "reservations",
        T::Obj(&obj(&[
            ("cpus", S),
            ("memory", S),
            (
                "generic_resources",
                T::List(&T::Obj(&obj(&[(
                    "discrete_resource_spec",
                    T::Obj(&obj(&[("kind", S), ("value", S)])),
                )]))),
            ),
            ("devices", DEVICES),
        ])),
    ),
]));

const UPDATE_CONFIG: T = T::Obj(&obj(&[
    ("parallelism", S),
    ("delay", S),
    ("failure_action", S),
    ("monitor", S),
    ("max_failure_ratio", S),
    ("order", T::Enum(&["start-first", "stop-first"])),
]));

const DEPLOY: T = T::Null(&T::Obj(&obj(&[
    ("mode", S),
    ("endpoint_mode", S),
    ("replicas", S),
    ("labels", LIST_OR_DICT),
    ("rollback_config", UPDATE_CONFIG),
    ("update_config", UPDATE_CONFIG),
    ("resources", RESOURCES),
    (
        "restart_policy",
        T::Obj(&obj(&[
            ("condition", S),
            ("delay", S),
            ("max_attempts", S),
            ("window", S),
        ])),
    ),
    (
        "placement",
        T::Obj(&obj(&[
            ("constraints", STRINGS),
            ("preferences", T::List(&T::Obj(&obj(&[("spread", S)])))),
            ("max_replicas_per_node", S),
        ])),
    ),
])));

const DEVELOP: T = T::Null(&T::Obj(&obj(&[(
    "watch",
    T::List(&T::Obj(&Obj {
        fields: &[
            ("ignore", STRING_OR_LIST),
            ("include", STRING_OR_LIST),
            ("path", S),
            (
                "action",
                T::Enum(&["rebuild", "sync", "restart", "sync+restart", "sync+exec"]),
            ),
            ("target", S),
            ("exec", SERVICE_HOOK),
        ],
        ext: true,
        required: &["path", "action"],
    })),
)])));

const BUILD: T = T::Or(&[
    S,
    T::Obj(&obj(&[
        ("context", S),
        ("dockerfile", S),
        ("dockerfile_inline", S),
        ("entitlements", STRINGS),
        ("args", LIST_OR_DICT),
        ("ssh", LIST_OR_DICT),
        ("labels", LIST_OR_DICT),
        ("cache_from", STRINGS),
        ("cache_to", STRINGS),
        ("no_cache", S),
        ("additional_contexts", LIST_OR_DICT),
        ("network", S),
        ("pull", S),
        ("target", S),
        ("shm_size", S),
        ("extra_hosts", EXTRA_HOSTS),
        ("isolation", S),
        ("privileged", S),
        ("secrets", CONFIG_OR_SECRET_REF),
        ("tags", STRINGS),
        ("ulimits", ULIMITS),
        ("platforms", STRINGS),
    ])),
]);

const BLKIO_LIMIT: T = T::List(&T::Obj(&Obj {
    fields: &[("path", S), ("rate", S)],
    ext: false,
    required: &[],
}));

const HEALTHCHECK: T = T::Obj(&obj(&[
    ("disable", S),
    ("interval", S),
    ("retries", S),
    ("test", STRING_OR_LIST),
    ("timeout", S),
    ("start_period", S),
    ("start_interval", S),
]));

const DEPENDS_ON: T = T::Or(&[
    STRINGS,
    T::Dict(&T::Obj(&Obj {
        fields: &[
            ("restart", S),
            ("required", T::Bool),
            (
                "condition",
                T::Enum(&[
                    "service_started",
                    "service_healthy",
                    "service_completed_successfully",
                ]),
            ),
        ],
        ext: true,
        required: &["condition"],
    })),
]);

const PORTS: T = T::List(&T::Or(&[
    S,
    T::Obj(&obj(&[
        ("name", S),
        ("mode", S),
        ("host_ip", S),
        ("target", S),
        ("published", S),
        ("protocol", S),
        ("app_protocol", S),
    ])),
]));

const SERVICE_VOLUMES: T = T::List(&T::Or(&[
    S,
    T::Obj(&Obj {
        fields: &[
            (
                "type",
                T::Enum(&["bind", "volume", "tmpfs", "cluster", "npipe", "image"]),
            ),
            ("source", S),
            ("target", S),
            ("read_only", S),
            ("consistency", S),
            (
                "bind",
                T::Obj(&obj(&[
                    ("propagation", S),
                    ("create_host_path", S),
                    (
                        "recursive",
                        T::Enum(&["enabled", "disabled", "writable", "readonly"]),
                    ),
                    ("selinux", T::Enum(&["z", "Z"])),
                ])),
            ),
            (
                "volume",
                T::Obj(&obj(&[
                    ("labels", LIST_OR_DICT),
                    ("nocopy", S),
                    ("subpath", S),
                ])),
            ),
            ("tmpfs", T::Obj(&obj(&[("size", S), ("mode", S)]))),
            ("image", T::Obj(&obj(&[("subpath", S)]))),
        ],
        ext: true,
        required: &["type"],
    }),
]));

const SERVICE_NETWORKS: T = T::Or(&[
    STRINGS,
    T::Dict(&T::Null(&T::Obj(&obj(&[
        ("aliases", STRINGS),
        ("interface_name", S),
        ("ipv4_address", S),
        ("ipv6_address", S),
        ("link_local_ips", STRINGS),
        ("mac_address", S),
        ("driver_opts", DRIVER_OPTS),
        ("priority", S),
        ("gw_priority", S),
    ])))),
]);

const ENV_FILE: T = T::Or(&[
    S,
    T::List(&T::Or(&[
        S,
        T::Obj(&Obj {
            fields: &[("path", S), ("format", S), ("required", S)],
            ext: false,
            required: &["path"],
        }),
    ])),
]);

pub const SERVICE: Obj = obj(&[
    ("develop", DEVELOP),
    ("deploy", DEPLOY),
    ("annotations", LIST_OR_DICT),
    ("attach", S),
    ("build", BUILD),
    (
        "blkio_config",
        T::Obj(&Obj {
            fields: &[
                ("device_read_bps", BLKIO_LIMIT),
                ("device_read_iops", BLKIO_LIMIT),
                ("device_write_bps", BLKIO_LIMIT),
                ("device_write_iops", BLKIO_LIMIT),
                ("weight", S),
                (
                    "weight_device",
                    T::List(&T::Obj(&Obj {
                        fields: &[("path", S), ("weight", S)],
                        ext: false,
                        required: &[],
                    })),
                ),
            ],
            ext: false,
            required: &[],
        }),
    ),
    ("cap_add", STRINGS),
    ("cap_drop", STRINGS),
    ("cgroup", T::Enum(&["host", "private"])),
    ("cgroup_parent", S),
    ("command", COMMAND),
    ("configs", CONFIG_OR_SECRET_REF),
    ("container_name", S),
    ("cpu_count", S),
    ("cpu_percent", S),
    ("cpu_shares", S),
    ("cpu_quota", S),
    ("cpu_period", S),
    ("cpu_rt_period", S),
    ("cpu_rt_runtime", S),
    ("cpus", S),
    ("cpuset", S),
    (
        "credential_spec",
        T::Obj(&obj(&[("config", S), ("file", S), ("registry", S)])),
    ),
    ("depends_on", DEPENDS_ON),
    ("device_cgroup_rules", STRINGS),
    (
        "devices",
        T::List(&T::Or(&[
            S,
            T::Obj(&Obj {
                fields: &[("source", S), ("target", S), ("permissions", S)],
                ext: true,
                required: &["source"],
            }),
        ])),
    ),
    ("dns", STRING_OR_LIST),
    ("dns_opt", STRINGS),
    ("dns_search", STRING_OR_LIST),
    ("domainname", S),
    ("entrypoint", COMMAND),
    ("env_file", ENV_FILE),
    ("label_file", STRING_OR_LIST),
    ("environment", LIST_OR_DICT),
    ("expose", STRINGS),
    (
        "extends",
        T::Or(&[
            S,
            T::Obj(&Obj {
                fields: &[("service", S), ("file", S)],
                ext: false,
                required: &["service"],
            }),
        ]),
    ),
    (
        "provider",
        T::Obj(&Obj {
            fields: &[("type", S), ("options", T::Dict(&T::Any))],
            ext: true,
            required: &["type"],
        }),
    ),
    ("external_links", STRINGS),
    ("extra_hosts", EXTRA_HOSTS),
    ("gpus", T::Or(&[T::Enum(&["all"]), T::List(&T::Any)])),
    ("group_add", STRINGS),
    ("healthcheck", HEALTHCHECK),
    ("hostname", S),
    ("image", S),
    ("init", S),
    ("ipc", S),
    ("isolation", S),
    ("labels", LIST_OR_DICT),
    ("links", STRINGS),
    (
        "logging",
        T::Obj(&obj(&[("driver", S), ("options", T::Dict(&T::Null(&S)))])),
    ),
    ("mac_address", S),
    ("mem_limit", S),
    ("mem_reservation", S),
    ("mem_swappiness", S),
    ("memswap_limit", S),
    ("network_mode", S),
    (
        "models",
        T::Or(&[STRINGS, T::Dict(&T::Obj(&obj(&[("endpoint_var", S)])))]),
    ),
    ("networks", SERVICE_NETWORKS),
    ("oom_kill_disable", S),
    ("oom_score_adj", S),
    ("pid", T::Null(&S)),
    ("pids_limit", S),
    ("platform", S),
    ("ports", PORTS),
    ("post_start", T::List(&SERVICE_HOOK)),
    ("pre_stop", T::List(&SERVICE_HOOK)),
    ("privileged", S),
    ("profiles", STRINGS),
    ("pull_policy", S),
    ("pull_refresh_after", S),
    ("read_only", S),
    ("restart", S),
    ("runtime", S),
    ("scale", S),
    ("security_opt", STRINGS),
    ("shm_size", S),
    ("secrets", CONFIG_OR_SECRET_REF),
    ("sysctls", LIST_OR_DICT),
    ("stdin_open", S),
    ("stop_grace_period", S),
    ("stop_signal", S),
    ("storage_opt", T::Dict(&T::Any)),
    ("tmpfs", STRING_OR_LIST),
    ("tty", S),
    ("ulimits", ULIMITS),
    ("use_api_socket", T::Bool),
    ("user", S),
    ("uts", S),
    ("userns_mode", S),
    ("volumes", SERVICE_VOLUMES),
    ("volumes_from", STRINGS),
    ("working_dir", S),
]);

/// `external: true` or, in older files, `external: {name: x}`.
const EXTERNAL: T = T::Or(&[S, T::Obj(&obj(&[("name", S)]))]);

const NETWORK: T = T::Null(&T::Obj(&obj(&[
    ("name", S),
    ("driver", S),
    ("driver_opts", DRIVER_OPTS),
    (
        "ipam",
        T::Obj(&obj(&[
            ("driver", S),
            (
                "config",
                T::List(&T::Obj(&obj(&[
                    ("subnet", S),
                    ("ip_range", S),
                    ("gateway", S),
                    ("aux_addresses", T::Dict(&S)),
                ]))),
            ),
            ("options", T::Dict(&S)),
        ])),
    ),
    ("external", EXTERNAL),
    ("internal", S),
    ("enable_ipv4", S),
    ("enable_ipv6", S),
    ("attachable", S),
    ("labels", LIST_OR_DICT),
])));

const VOLUME: T = T::Null(&T::Obj(&obj(&[
    ("name", S),
    ("driver", S),
    ("driver_opts", DRIVER_OPTS),
    ("external", EXTERNAL),
    ("labels", LIST_OR_DICT),
])));

const SECRET: T = T::Obj(&obj(&[
    ("name", S),
    ("environment", S),
    ("file", S),
    ("external", EXTERNAL),
    ("labels", LIST_OR_DICT),
    ("driver", S),
    ("driver_opts", DRIVER_OPTS),
    ("template_driver", S),
]));

const CONFIG: T = T::Obj(&obj(&[
    ("name", S),
    ("content", S),
    ("environment", S),
    ("file", S),
    ("external", EXTERNAL),
    ("labels", LIST_OR_DICT),
    ("template_driver", S),
]));

pub const TOP: Obj = obj(&[
    ("version", S),
    ("name", S),
    (
        "include",
        T::List(&T::Or(&[
            S,
            T::Obj(&Obj {
                fields: &[
                    ("path", STRING_OR_LIST),
                    ("env_file", STRING_OR_LIST),
                    ("project_directory", S),
                ],
                ext: false,
                required: &[],
            }),
        ])),
    ),
    ("services", T::Dict(&T::Obj(&SERVICE))),
    (
        "models",
        T::Dict(&T::Obj(&Obj {
            fields: &[
                ("name", S),
                ("model", S),
                ("context_size", S),
                ("runtime_flags", STRINGS),
            ],
            ext: true,
            required: &["model"],
        })),
    ),
    ("networks", T::Dict(&NETWORK)),
    ("volumes", T::Dict(&VOLUME)),
    ("secrets", T::Dict(&SECRET)),
    ("configs", T::Dict(&CONFIG)),
]);

/// What kind of problem a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    UnknownKey,
    Invalid,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub kind: IssueKind,
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
}

/// The schema findings of a compose file, sorted and without repeats (a key
/// merged from an anchor into several services is reported once, where it
/// is written).
pub fn validate(yaml: &YamlFile) -> Vec<Issue> {
    let mut v = Validator {
        out: Vec::new(),
        seen: HashSet::new(),
    };
    for doc in &yaml.documents {
        if doc.root.is_null() {
            continue;
        }
        let mut path = Vec::new();
        v.check(&doc.root, T::Obj(&TOP), &mut path, doc.root.span);
    }
    v.out.sort_by_key(|i| i.span);
    v.out
}

struct Validator {
    out: Vec<Issue>,
    /// (span, what): a key merged from one anchor into several services has
    /// one span and several paths; it is reported once.
    seen: HashSet<(Span, String)>,
}

fn interpolated(node: &Node) -> bool {
    node.as_scalar().is_some_and(|s| s.value.contains('$'))
}

fn shape(node: &Node) -> &'static str {
    if node.is_null() {
        return "empty";
    }
    match &node.kind {
        NodeKind::Scalar(_) => "a single value",
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "a mapping",
    }
}

fn describe(t: T) -> String {
    match t {
        T::Scalar => "a string".into(),
        T::Bool => "`true` or `false`".into(),
        T::Any => "anything".into(),
        T::Enum(values) => format!(
            "one of {}",
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        T::Obj(_) | T::Dict(_) => "a mapping".into(),
        T::List(_) => "a list".into(),
        T::Or(alts) => {
            let mut parts: Vec<String> = Vec::new();
            for a in alts {
                let d = describe(*a);
                if !parts.contains(&d) {
                    parts.push(d);
                }
            }
            parts.join(" or ")
        }
        T::Null(inner) => describe(*inner),
    }
}

/// Whether a value of this shape could be of type `t` (used to pick an
/// alternative of `Or`).
fn fits(node: &Node, t: T) -> bool {
    match t {
        T::Any => true,
        T::Null(inner) => node.is_null() || fits(node, *inner),
        T::Scalar | T::Bool | T::Enum(_) => node.as_scalar().is_some() && !node.is_null(),
        T::Obj(_) | T::Dict(_) => node.is_map(),
        T::List(_) => matches!(node.kind, NodeKind::Seq(_)),
        T::Or(alts) => alts.iter().any(|a| fits(node, *a)),
    }
}

impl Validator {
    fn push(&mut self, kind: IssueKind, span: Span, message: String, hint: Option<String>) {
        let what = message.split(" in `").next().unwrap_or(&message).to_owned();
        if self.seen.insert((span, what)) {
            self.out.push(Issue {
                kind,
                span,
                message,
                hint,
            });
        }
    }

    fn where_(path: &[String]) -> String {
        if path.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `{}`", path.join("."))
        }
    }

    /// `key_span`: the key that holds `node` (for findings about a missing key).
    fn check(&mut self, node: &Node, t: T, path: &mut Vec<String>, key_span: Span) {
        if interpolated(node) {
            return;
        }
        match t {
            T::Any => {}
            T::Null(inner) => {
                if !node.is_null() {
                    self.check(node, *inner, path, key_span);
                }
            }
            T::Or(alts) => match alts.iter().find(|a| fits(node, **a)) {
                Some(a) => self.check(node, *a, path, key_span),
                None => self.wrong_type(node, t, path),
            },
            T::Scalar => {
                if !fits(node, t) {
                    self.wrong_type(node, t, path);
                }
            }
            T::Bool => {
                if node.as_bool().is_none() {
                    self.wrong_type(node, t, path);
                }
            }
            T::Enum(values) => match node.as_str() {
                Some(v) if values.contains(&v) => {}
                Some(v) => {
                    let hint = crate::suggest::did_you_mean(v, values.iter().copied())
                        .map(|s| format!("Write `{s}`"));
                    self.push(
                        IssueKind::Invalid,
                        node.span,
                        format!(
                            "`{}` is not a valid value {}: expected {}",
                            v,
                            Self::where_(path),
                            describe(t)
                        ),
                        hint,
                    );
                }
                None => self.wrong_type(node, t, path),
            },
            T::List(item) => {
                let NodeKind::Seq(items) = &node.kind else {
                    return self.wrong_type(node, t, path);
                };
                for (i, it) in items.iter().enumerate() {
                    path.push(i.to_string());
                    self.check(it, *item, path, it.span);
                    path.pop();
                }
            }
            T::Dict(value) => {
                let NodeKind::Map(entries) = &node.kind else {
                    return self.wrong_type(node, t, path);
                };
                for e in entries {
                    path.push(e.key.as_str().unwrap_or("?").to_owned());
                    self.check(&e.value, *value, path, e.key.span);
                    path.pop();
                }
            }
            T::Obj(o) => {
                let NodeKind::Map(entries) = &node.kind else {
                    return self.wrong_type(node, t, path);
                };
                for e in entries {
                    let Some(key) = e.key.as_str() else { continue };
                    match o.fields.iter().find(|(k, _)| *k == key) {
                        Some((_, ft)) => {
                            path.push(key.to_owned());
                            self.check(&e.value, *ft, path, e.key.span);
                            path.pop();
                        }
                        None if o.ext && key.starts_with("x-") => {}
                        None if path.is_empty()
                            && (e.value.get("image").is_some()
                                || e.value.get("build").is_some()) =>
                        {
                            // Compose file format 1: services at the top level.
                            self.push(
                                IssueKind::UnknownKey,
                                e.key.span,
                                format!("unknown key `{key}` at the top level: a service outside `services:` (Compose file format 1)"),
                                Some(format!("Move `{key}` under a top-level `services:` key; compose no longer reads format 1 files")),
                            );
                        }
                        None => self.unknown(key, e.key.span, o, path),
                    }
                }
                for r in o.required {
                    if node.get(r).is_none() {
                        self.push(
                            IssueKind::Invalid,
                            key_span,
                            format!("missing required key `{r}` {}", Self::where_(path)),
                            Some(format!("Add `{r}:`; compose refuses the entry without it")),
                        );
                    }
                }
            }
        }
    }

    fn unknown(&mut self, key: &str, span: Span, o: &Obj, path: &[String]) {
        let suggestion = crate::suggest::did_you_mean(key, o.fields.iter().map(|(k, _)| *k));
        let mut message = format!("unknown key `{key}` {}", Self::where_(path));
        let hint = match suggestion {
            Some(s) => {
                message.push_str(&format!(": did you mean `{s}`?"));
                Some(format!("Rename it to `{s}`"))
            }
            None if o.ext => Some(format!(
                "Remove it, or rename it `x-{key}` if it is an extension for another tool"
            )),
            None => {
                Some("Remove it: compose refuses keys the specification does not define".into())
            }
        };
        self.push(IssueKind::UnknownKey, span, message, hint);
    }

    fn wrong_type(&mut self, node: &Node, t: T, path: &[String]) {
        let span = if node.is_null() {
            Span::new(node.span.start, node.span.start)
        } else {
            node.span
        };
        self.push(
            IssueKind::Invalid,
            span,
            match path.split_last() {
                Some((last, parent)) => format!(
                    "`{last}` must be {}, not {} {}",
                    describe(t),
                    shape(node),
                    Self::where_(parent)
                ),
                None => format!("the file must be {}, not {}", describe(t), shape(node)),
            },
            Some(match t {
                T::List(_) => "Write a list: one `- item` per line, or `[a, b]`".to_owned(),
                T::Obj(_) | T::Dict(_) => "Write a mapping of `key: value` lines".to_owned(),
                _ => format!("Write {}", describe(t)),
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues(text: &str) -> Vec<(IssueKind, String, String)> {
        let y = crate::parse::yaml::parse(text);
        validate(&y)
            .into_iter()
            .map(|i| (i.kind, text[i.span.range()].to_owned(), i.message))
            .collect()
    }

    #[test]
    fn clean_file_is_quiet() {
        let text = r#"
x-common: &common
  restart: unless-stopped
  environment: {A: 1, B: ~, C: "${C:-x}"}
services:
  app:
    <<: *common
    build: {context: ., x-bake: {}}
    ports: ["80:80", {target: 443, published: "${HTTPS_PORT:-443}", host_ip: 127.0.0.1}]
    volumes: [./a:/a, {type: bind, source: ., target: /app}]
    depends_on: {db: {condition: service_healthy, restart: true}}
    networks: {default: , back: {aliases: [x]}}
    healthcheck: {test: ["CMD", "true"], interval: 10s}
    command: ~
    privileged: ${PRIV:-false}
    x-note: anything
  db:
    image: postgres:16
    depends_on: [cache]
volumes:
  data:
networks:
  back: {external: true}
"#;
        assert_eq!(issues(text), vec![]);
    }

    #[test]
    fn unknown_keys_types_and_enums() {
        let text = "services:\n  app:\n    contianer_name: x\n    ports: \"80:80\"\n    depends_on:\n      db: {condition: service_healty}\n    build: {contxt: .}\n  foo: bar\n";
        let got = issues(text);
        assert_eq!(got.len(), 5, "{got:#?}");
        assert_eq!(got[0].1, "contianer_name");
        assert!(
            got[0].2.contains("did you mean `container_name`"),
            "{}",
            got[0].2
        );
        assert_eq!(got[1].1, "\"80:80\"");
        assert!(got[1].2.contains("must be a list"), "{}", got[1].2);
        assert_eq!(got[2].1, "service_healty");
        assert_eq!(got[3].1, "contxt");
        assert_eq!(got[4].1, "bar");
    }

    #[test]
    fn format_1_services_at_the_top_level() {
        let got = issues("web:\n  image: nginx:1.27\n");
        assert_eq!(got.len(), 1);
        assert!(got[0].2.contains("Compose file format 1"), "{}", got[0].2);
    }

    #[test]
    fn merged_keys_are_reported_once_where_written() {
        let text = "x-a: &a\n  imgae: x\nservices:\n  a:\n    <<: *a\n  b:\n    <<: *a\n";
        let got = issues(text);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0].1, "imgae");
    }
}
