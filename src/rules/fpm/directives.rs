//! The php-fpm directive catalogue (`schemas/php-fpm.schema.json`), loaded once,
//! and the value checks php-fpm itself applies at start-up.

use crate::parse::fpm::{Typed, Value};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../../schemas/php-fpm.schema.json");

#[derive(Debug, Default, Deserialize)]
pub struct Catalogue {
    pub global: BTreeMap<String, Spec>,
    pub pool: BTreeMap<String, Spec>,
    pub arrays: BTreeMap<String, ArraySpec>,
}

#[derive(Debug, Deserialize)]
pub struct Spec {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub deprecated: Option<String>,
    #[serde(default)]
    pub removed: Option<String>,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default)]
    pub doc: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ArraySpec {
    pub key: String,
    pub value: String,
    #[serde(default)]
    pub since: Option<String>,
}

/// The bundled catalogue; a test checks it loads, so the empty fallback never ships.
pub fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| serde_json::from_str(DATA).unwrap_or_default())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Global,
    Pool,
}

impl Catalogue {
    pub fn get(&self, scope: Scope, name: &str) -> Option<&Spec> {
        let lower = name.to_ascii_lowercase();
        match scope {
            Scope::Global => self.global.get(&lower),
            Scope::Pool => self.pool.get(&lower),
        }
    }

    pub fn names(&self, scope: Scope) -> impl Iterator<Item = &str> {
        match scope {
            Scope::Global => self.global.keys(),
            Scope::Pool => self.pool.keys(),
        }
        .map(String::as_str)
    }

    pub fn array(&self, name: &str) -> Option<&ArraySpec> {
        self.arrays.get(name)
    }
}

/// `"8.1"` -> (8, 1).
pub fn version(v: &str) -> (u32, u32) {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// Why php-fpm would reject this value for a directive of `spec`, if it would.
/// `php` is the configured PHP version (booleans are stricter before 8.2).
pub fn check_value(spec: &Spec, value: &Value, php: (u32, u32)) -> Option<String> {
    let number = |typed: Typed<i64>, unit: &str| match typed {
        Typed::Ok(n) => bounds(spec, n, unit),
        Typed::Symbolic => None,
        Typed::Invalid(why) => Some(why),
    };
    match spec.kind.as_str() {
        "int" => number(value.as_int(), ""),
        "time" => number(value.as_duration(), "s"),
        "bool" => check_bool(value, php),
        "rlimit" => {
            if value.text.trim().eq_ignore_ascii_case("unlimited") {
                None
            } else {
                match value.as_int() {
                    Typed::Ok(n) if n < 0 => Some(format!(
                        "`{n}` must be greater than or equal to 0, or `unlimited`"
                    )),
                    Typed::Invalid(_) => Some(format!(
                        "`{}` is not a number or `unlimited`",
                        value.text.trim()
                    )),
                    _ => None,
                }
            }
        }
        "enum" => {
            let t = value.text.trim();
            if value.is_symbolic() || spec.values.iter().any(|v| v.eq_ignore_ascii_case(t)) {
                None
            } else {
                let allowed: Vec<String> = spec.values.iter().map(|v| format!("`{v}`")).collect();
                Some(format!("`{t}` is not one of {}", allowed.join(", ")))
            }
        }
        "uri" => check_uri(&value.text),
        _ => None,
    }
}

pub fn check_bool(value: &Value, php: (u32, u32)) -> Option<String> {
    match value.as_bool() {
        Typed::Invalid(why) => Some(why),
        Typed::Ok(b) if php < (8, 2) && !value.is_legacy_bool() => Some(format!(
            "`{}` is a boolean for php-fpm only since PHP 8.2.20/8.3.8; write `{}` unquoted",
            value.raw,
            if b { "yes" } else { "no" }
        )),
        _ => None,
    }
}

fn bounds(spec: &Spec, n: i64, unit: &str) -> Option<String> {
    if let Some(min) = spec.min.filter(|m| n < *m) {
        return Some(format!("`{n}{unit}` is below the minimum `{min}{unit}`"));
    }
    if let Some(max) = spec.max.filter(|m| n > *m) {
        return Some(format!("`{n}{unit}` is above the maximum `{max}{unit}`"));
    }
    None
}

/// php-fpm's checks on `ping.path` and `pm.status_path`.
fn check_uri(t: &str) -> Option<String> {
    if t.contains("${") {
        return None;
    }
    if !t.starts_with('/') {
        return Some(format!("`{t}` must start with `/`"));
    }
    if t.len() < 2 {
        return Some(format!("`{t}` is too short (at least 2 characters)"));
    }
    if let Some(c) = t
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/_-.~".contains(*c)))
    {
        return Some(format!(
            "`{t}` contains `{c}`: only letters, digits and `/_-.~` are allowed"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::fpm;

    fn value(v: &str) -> Value {
        let f = fpm::parse(&format!("[www]\nx = {v}\n"));
        f.sections[0].directives[0].value.clone()
    }

    #[test]
    fn catalogue_loads_and_covers_the_reference_tables() {
        let c: Catalogue = serde_json::from_str(DATA).expect("schema parses");
        assert_eq!(c.pool.len(), 43, "fpm_conf.c pool table + include");
        assert_eq!(c.global.len(), 18, "fpm_conf.c global table + include");
        for kind in c.global.values().chain(c.pool.values()).map(|s| &s.kind) {
            assert!(
                [
                    "string", "path", "address", "int", "bool", "time", "enum", "rlimit", "uri",
                    "glob"
                ]
                .contains(&kind.as_str()),
                "{kind}"
            );
        }
        let cat = catalogue();
        assert!(cat.get(Scope::Pool, "PM.MAX_REQUESTS").is_some());
        assert!(cat.get(Scope::Global, "pm").is_none());
    }

    const V83: (u32, u32) = (8, 3);

    #[test]
    fn values_are_checked_like_php_fpm() {
        let cat = catalogue();
        let spec = |n: &str| cat.get(Scope::Pool, n).unwrap();
        assert_eq!(
            check_value(spec("pm.max_children"), &value("50"), V83),
            None
        );
        assert!(check_value(spec("pm.max_children"), &value("0"), V83).is_some());
        assert!(check_value(spec("pm.max_children"), &value("5k"), V83).is_some());
        assert_eq!(
            check_value(spec("request_terminate_timeout"), &value("30s"), V83),
            None
        );
        assert!(check_value(spec("request_terminate_timeout"), &value("30x"), V83).is_some());
        assert_eq!(check_value(spec("clear_env"), &value("\"no\""), V83), None);
        assert!(check_value(spec("clear_env"), &value("\"no\""), (8, 1)).is_some());
        assert!(check_value(spec("clear_env"), &value("0"), (8, 1)).is_some());
        assert!(check_value(spec("clear_env"), &value("\"No\""), V83).is_some());
        assert_eq!(check_value(spec("clear_env"), &value("no"), V83), None);
        assert_eq!(check_value(spec("pm"), &value("Dynamic"), V83), None);
        assert!(check_value(spec("pm"), &value("auto"), V83).is_some());
        assert_eq!(check_value(spec("ping.path"), &value("/ping"), V83), None);
        assert!(check_value(spec("ping.path"), &value("ping"), V83).is_some());
        assert!(check_value(spec("ping.path"), &value("/"), V83).is_some());
        assert!(check_value(spec("pm.status_path"), &value("/st?x"), V83).is_some());
        assert_eq!(
            check_value(spec("rlimit_core"), &value("unlimited"), V83),
            None
        );
        assert!(check_value(spec("rlimit_core"), &value("-1"), V83).is_some());
        assert!(check_value(spec("process.priority"), &value("-20"), V83).is_some());
        assert_eq!(
            check_value(spec("pm.max_children"), &value("${N}"), V83),
            None
        );
    }
}

/// The reference files (the structure of php-fpm.conf.default and
/// www.conf.default) parse and validate clean, both as shipped and with every
/// commented directive uncommented: a schema that rejects a documented directive is a bug.
#[cfg(test)]
mod reference {
    use crate::config::Config;
    use crate::engine::LintOptions;

    const FILES: [(&str, &str); 2] = [
        (
            "php-fpm.conf",
            include_str!("../../../fixtures/php-fpm/reference/php-fpm.conf"),
        ),
        (
            "php-fpm.d/www.conf",
            include_str!("../../../fixtures/php-fpm/reference/php-fpm.d/www.conf"),
        ),
    ];

    /// `;pm.max_requests = 500` -> `pm.max_requests = 500`; prose comments stay.
    fn uncomment(text: &str) -> String {
        text.lines()
            .map(|l| {
                let body = l.trim_start_matches([';', ' ']);
                let key = body.split('=').next().unwrap_or("").trim();
                let directive = l.starts_with(';')
                    && body.contains(" = ")
                    && !body.trim_end().ends_with('=')
                    && !key.is_empty()
                    && !key.contains(' ');
                if directive { body } else { l }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn findings(name: &str, text: &str) -> Vec<String> {
        let config = Config::with_defaults(".".into());
        let opts = LintOptions {
            select: vec!["FPM001".into(), "FPM002".into()],
            ..LintOptions::default()
        };
        let r = crate::lint_text(name, text, &config, &opts);
        r.diagnostics
            .iter()
            .map(|d| format!("{name}: {} {}", d.code, d.message))
            .collect()
    }

    #[test]
    fn reference_files_are_clean() {
        for (name, text) in FILES {
            assert!(text.contains('['));
            let f = findings(name, text);
            assert!(f.is_empty(), "{f:#?}");
            let all = uncomment(text);
            assert!(all.matches('\n').count() > 10);
            let f = findings(name, &all);
            assert!(f.is_empty(), "{f:#?}\n{all}");
        }
        // The uncommenting really exposes the defaults to the checks.
        assert!(uncomment(FILES[1].1).contains("\npm.max_requests = 500"));
    }
}
