//! The php.ini directive data (`schemas/php-ini.schema.json`, loaded once)
//! and the value checks shared by the INI rules.

use crate::config::{Profile, Settings};
use crate::parse::ini::{IniFile, Value, ValueKind, parse_int_literal};
use crate::project::facts::{IniAt, OpcacheFacts};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub const SCHEMA_TEXT: &str = include_str!("../../../schemas/php-ini.schema.json");

#[derive(Debug, Default, Deserialize)]
pub struct IniSchema {
    pub covered_prefixes: Vec<String>,
    pub directives: BTreeMap<String, Directive>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Directive {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub default_since: BTreeMap<String, String>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub changeable: Option<String>,
    #[serde(default)]
    pub added: Option<String>,
    #[serde(default)]
    pub deprecated: Option<String>,
    #[serde(default)]
    pub removed: Option<String>,
    #[serde(default)]
    pub replaced_by: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The bundled data. A unit test proves it parses, so the empty fallback
/// never happens in a release.
pub fn schema() -> &'static IniSchema {
    static SCHEMA: OnceLock<IniSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).unwrap_or_default())
}

/// `"8.3"` -> `(8, 3)`.
pub fn version(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('.')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

pub fn version_str(v: (u32, u32)) -> String {
    format!("{}.{}", v.0, v.1)
}

/// Whether `at` is at or after the version string `since`.
pub fn reached(at: (u32, u32), since: Option<&str>) -> bool {
    since.and_then(version).is_some_and(|s| at >= s)
}

impl IniSchema {
    pub fn get(&self, name: &str) -> Option<&Directive> {
        self.directives.get(name)
    }

    /// Whether every directive of `name`'s namespace is listed (core, opcache,
    /// session...), so an unlisted name there is a typo, not an unknown extension.
    pub fn covers(&self, name: &str) -> bool {
        let prefix = name.split_once('.').map_or("", |(p, _)| p);
        self.covered_prefixes.iter().any(|p| p == prefix)
    }
}

impl Directive {
    /// The built-in value on PHP `at` (when php.ini does not set it).
    pub fn default_at(&self, at: (u32, u32)) -> Option<&str> {
        self.default_since
            .iter()
            .filter(|(v, _)| reached(at, Some(v)))
            .max_by_key(|(v, _)| version(v))
            .map(|(_, d)| d.as_str())
            .or(self.default.as_deref())
    }
}

pub use crate::model::units::{Quantity, human_bytes, parse_quantity};

/// PHP's error-level constants (E_ALL as in PHP 8.0-8.3; 8.4 drops E_STRICT from it).
pub fn error_constant(name: &str) -> Option<i64> {
    Some(match name {
        "E_ERROR" => 1,
        "E_WARNING" => 2,
        "E_PARSE" => 4,
        "E_NOTICE" => 8,
        "E_CORE_ERROR" => 16,
        "E_CORE_WARNING" => 32,
        "E_COMPILE_ERROR" => 64,
        "E_COMPILE_WARNING" => 128,
        "E_USER_ERROR" => 256,
        "E_USER_WARNING" => 512,
        "E_USER_NOTICE" => 1024,
        "E_STRICT" => 2048,
        "E_RECOVERABLE_ERROR" => 4096,
        "E_DEPRECATED" => 8192,
        "E_USER_DEPRECATED" => 16384,
        "E_ALL" => 32767,
        _ => return None,
    })
}

fn is_int(t: &str) -> bool {
    parse_int_literal(t.trim()).is_some()
}

/// The php.ini settings of an fpm file's pools (`php_value[k]`, `php_admin_value[k]`,
/// `php_flag[k]`, `php_admin_flag[k]`): the directive, the INI name and the value
/// read as php.ini reads it. Values with `$pool` or `${ENV}` are left out.
pub fn pool_php_settings(
    fpm: &crate::parse::fpm::FpmFile,
) -> Vec<(&crate::parse::fpm::Directive, String, Value)> {
    let mut out = Vec::new();
    for d in fpm.sections.iter().flat_map(|s| &s.directives) {
        let setter = d.name.text.to_ascii_lowercase();
        if !matches!(
            setter.as_str(),
            "php_value" | "php_admin_value" | "php_flag" | "php_admin_flag"
        ) {
            continue;
        }
        let Some(name) = d
            .offset
            .as_ref()
            .map(|o| o.text.trim().to_ascii_lowercase())
        else {
            continue;
        };
        if name.is_empty() || d.value.is_symbolic() {
            continue;
        }
        let ini = crate::parse::ini::parse(&format!("x = {}\n", d.value.raw));
        if let Some(e) = ini.entries.into_iter().next() {
            out.push((d, name, e.value));
        }
    }
    out
}

/// What is wrong with `value` for directive `d`, as a message fragment, or
/// `None` when PHP reads it as intended. Symbolic (`${ENV}`) values are never judged.
pub fn check_value(name: &str, d: &Directive, value: &Value) -> Option<String> {
    if matches!(value.kind, ValueKind::Symbolic | ValueKind::Invalid) {
        return None;
    }
    if d.kind == "error_level" {
        let unknown = std::cell::RefCell::new(None::<String>);
        let ok = value.eval_int(&|c| {
            let v = error_constant(c);
            if v.is_none() && parse_int_literal(c).is_none() {
                unknown.borrow_mut().get_or_insert_with(|| c.to_owned());
            }
            v
        });
        let unknown = unknown.into_inner();
        return match (ok, unknown) {
            (Some(_), _) => None,
            (None, Some(c)) => Some(format!(
                "`{c}` is not an error-level constant: PHP reads the expression as 0 or as a string"
            )),
            (None, None) => {
                let t = value.text()?;
                (!is_int(&t) && !t.is_empty()).then(|| {
                    format!("`{t}` is not an error level (use `E_*` constants, `|`, `&` and `~`)")
                })
            }
        };
    }
    let text = value.text()?;
    let t = text.trim();
    match d.kind.as_str() {
        "bool" => {
            let words = ["on", "off", "yes", "no", "true", "false", "none", ""];
            if is_int(t) || words.iter().any(|w| t.eq_ignore_ascii_case(w)) {
                None
            } else {
                Some(format!(
                    "`{t}` is not a boolean: PHP reads it as `Off` (use `On`/`Off` or `1`/`0`)"
                ))
            }
        }
        "int" | "int_or_bool" => {
            if d.kind == "int_or_bool" && matches!(value.kind, ValueKind::Bool(_)) {
                return None;
            }
            // PHP reads `opcache.memory_consumption` with atoi (zend_accelerator_module.c,
            // OnUpdateMemoryConsumption): the digits are megabytes and a suffix is ignored,
            // so `256M` is 256 MB as written, while `1G` is 1 MB.
            if name.eq_ignore_ascii_case("opcache.memory_consumption") {
                let digits = t.trim_end_matches(['M', 'm']);
                if let (Some(suffix), true) = (t.strip_prefix(digits), is_int(digits)) {
                    if suffix.len() <= 1 {
                        let n = parse_int_literal(digits).unwrap_or(0);
                        return d
                            .min
                            .filter(|m| n < *m)
                            .map(|min| format!("`{t}` is below the minimum `{min}`"));
                    }
                }
                let lead: String = t.chars().take_while(char::is_ascii_digit).collect();
                if !lead.is_empty() && lead.len() < t.len() {
                    return Some(format!(
                        "`{t}`: PHP reads only the leading digits, as megabytes, so this is {lead} MB (write a plain number of MB)"
                    ));
                }
            }
            let n = match parse_quantity(t) {
                Quantity::Ok(n) if is_int(t) || d.unit.is_none() => n,
                Quantity::Ok(_) | Quantity::BadMultiplier { .. } if d.unit.is_some() => {
                    return Some(format!(
                        "`{t}` is not a plain number: `{name}` is already in {}",
                        d.unit.as_deref().unwrap_or("units")
                    ));
                }
                Quantity::Ok(n) => n,
                _ if t.is_empty() => return None,
                _ => return Some(format!("`{t}` is not an integer")),
            };
            if let Some(min) = d.min.filter(|m| n < *m) {
                return Some(format!("`{t}` is below the minimum `{min}`"));
            }
            if let Some(max) = d.max.filter(|m| n > *m) {
                return Some(format!("`{t}` is above the maximum `{max}`"));
            }
            None
        }
        "float" => {
            (!t.is_empty() && t.parse::<f64>().is_err()).then(|| format!("`{t}` is not a number"))
        }
        "size" => match parse_quantity(t) {
            Quantity::Ok(_) => None,
            _ if t.is_empty() => None,
            Quantity::NoDigits => Some(format!(
                "`{t}` is not a size: PHP reads it as 0 (write e.g. `128M`, `1G`)"
            )),
            Quantity::BadMultiplier { value, suffix } => Some(format!(
                "`{t}` has the unknown multiplier `{suffix}`: PHP reads it as {value} bytes (write `{value}{}`)",
                suffix
                    .chars()
                    .next()
                    .map_or(String::new(), |c| c.to_ascii_uppercase().to_string())
            )),
        },
        "enum" => {
            // A bare `None` is INI's empty value, not the word (SameSite=None).
            let bare_none = matches!(value.kind, ValueKind::Bool(false))
                && value.parts.first().is_some_and(|(p, _)| {
                    matches!(p, crate::parse::ini::Part::Word(w) if w.eq_ignore_ascii_case("none"))
                });
            if bare_none && d.values.iter().any(|v| v == "None") {
                return Some(
                    "a bare `None` is INI's empty value, not the word `None`: write `\"None\"`"
                        .to_owned(),
                );
            }
            let ok = d.values.iter().any(|v| v.eq_ignore_ascii_case(t));
            (!ok).then(|| {
                let allowed: Vec<String> = d
                    .values
                    .iter()
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("`{v}`"))
                    .collect();
                format!("`{t}` is not one of {}", allowed.join(", "))
            })
        }
        "jit" => {
            let words = [
                "disable", "off", "on", "tracing", "function", "yes", "no", "true", "false", "",
            ];
            let crto = t.len() == 4 && t.chars().all(|c| c.is_ascii_digit());
            (!(crto || t == "0" || t == "1" || words.iter().any(|w| t.eq_ignore_ascii_case(w))))
                .then(|| format!("`{t}` is not a JIT mode (`disable`, `off`, `tracing`, `function` or a 4-digit CRTO)"))
        }
        _ => None,
    }
}

/// One directive's effective setting in a file: where PHP reads it (if set)
/// and its boolean/number reading, else the built-in default.
pub struct Setting {
    pub entry: Option<IniAt>,
    /// `None` when the value is symbolic or unreadable.
    pub text: Option<String>,
}

pub fn setting(ini: &IniFile, name: &str, at: (u32, u32)) -> Setting {
    match ini.get(name) {
        Some(e) => Setting {
            entry: Some(IniAt::of(e)),
            text: e.value.text(),
        },
        None => default_setting(name, at),
    }
}

/// As [`setting`], from the OPcache facts of a file (for an `opcache.*` name).
pub fn opcache_setting(o: &OpcacheFacts, name: &str, at: (u32, u32)) -> Setting {
    match o.get(name) {
        Some((text, entry)) => Setting {
            entry: Some(entry),
            text: text.map(str::to_owned),
        },
        None => default_setting(name, at),
    }
}

fn default_setting(name: &str, at: (u32, u32)) -> Setting {
    Setting {
        entry: None,
        text: schema()
            .get(name)
            .and_then(|d| d.default_at(at))
            .map(str::to_owned),
    }
}

impl Setting {
    pub fn as_bool(&self) -> Option<bool> {
        if let Some(e) = self.entry {
            return e.as_bool;
        }
        self.text.as_deref().map(crate::parse::ini::text_as_bool)
    }

    /// A number, reading shorthand bytes (`128M`).
    pub fn as_quantity(&self) -> Option<i64> {
        match parse_quantity(self.text.as_deref()?) {
            Quantity::Ok(n) => Some(n),
            Quantity::BadMultiplier { value, .. } => Some(value),
            Quantity::NoDigits => Some(0),
        }
    }
}

pub fn production(settings: &Settings) -> bool {
    settings.profile == Profile::Production
}

/// A file whose path says it is for development or tests: checks that only
/// matter in production say nothing there (the config's `profile: development`
/// only lowers their severity, for files that may still ship).
pub fn development_file(settings: &Settings) -> bool {
    settings.development_file
}

/// The file's own settings say it is a development config: it configures
/// Xdebug (a debugger is installed only where someone debugs) or turns
/// assertions on (`zend.assertions = 1`, php.ini-development's value;
/// production's is -1). devilbox's per-version php.ini files and shlink's
/// docker-compose `data/infra/php.ini` are such files without a path that
/// says so.
pub fn development_content(ini: &IniFile) -> bool {
    ini.entries.iter().any(|e| {
        let key = e.key.trim().to_ascii_lowercase();
        key.starts_with("xdebug.")
            || (key == "zend.assertions" && e.value.text().is_some_and(|t| t.trim() == "1"))
    })
}

/// A file for the CLI SAPI (`php-cli.ini`, `cli/php.ini`, Debian's
/// `/etc/php/8.3/cli/`): PHP's CLI defaults differ (no time limit, and
/// distributions ship `memory_limit = -1` there for Composer and scripts).
pub fn cli_file(path: &str) -> bool {
    path.to_ascii_lowercase()
        .split(['/', '\\', '.', '-', '_'])
        .any(|w| w == "cli")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::ini::parse;

    #[test]
    fn bundled_data_loads_and_is_consistent() {
        let s: IniSchema = serde_json::from_str(SCHEMA_TEXT).expect("schema parses");
        assert!(s.directives.len() > 200);
        let kinds = [
            "bool",
            "int",
            "int_or_bool",
            "float",
            "size",
            "string",
            "enum",
            "error_level",
            "jit",
        ];
        for (name, d) in &s.directives {
            assert!(kinds.contains(&d.kind.as_str()), "{name}: type {}", d.kind);
            for v in [&d.added, &d.deprecated, &d.removed].into_iter().flatten() {
                assert!(version(v).is_some(), "{name}: bad version {v}");
            }
            if d.kind == "enum" {
                assert!(!d.values.is_empty(), "{name}: enum without values");
            }
            // Every default must itself be a valid value.
            if let Some(def) = &d.default {
                // Constants only resolve unquoted.
                let line = if d.kind == "error_level" {
                    format!("x = {def}\n")
                } else {
                    format!("x = \"{def}\"\n")
                };
                let f = parse(&line);
                let v = &f.entries[0].value;
                assert_eq!(check_value(name, d, v), None, "{name}: default {def}");
            }
        }
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("128M"), Quantity::Ok(128 << 20));
        assert_eq!(parse_quantity("1g"), Quantity::Ok(1 << 30));
        assert_eq!(parse_quantity("-1"), Quantity::Ok(-1));
        assert_eq!(parse_quantity("0x10"), Quantity::Ok(16));
        assert_eq!(parse_quantity("010"), Quantity::Ok(8));
        assert_eq!(parse_quantity("abc"), Quantity::NoDigits);
        assert_eq!(
            parse_quantity("512MB"),
            Quantity::BadMultiplier {
                value: 512,
                suffix: "MB".into()
            }
        );
        assert_eq!(human_bytes(8 << 20), "8M");
    }

    #[test]
    fn defaults_follow_versions() {
        let jit = schema().get("opcache.jit").expect("jit");
        assert_eq!(jit.default_at((8, 3)), Some("tracing"));
        assert_eq!(jit.default_at((8, 4)), Some("disable"));
        assert!(schema().covers("opcache.enable"));
        assert!(schema().covers("memory_limit"));
        assert!(!schema().covers("redis.session.locking_enabled"));
    }

    #[test]
    fn value_checks() {
        let check = |name: &str, v: &str| {
            let f = parse(&format!("{name} = {v}\n"));
            let d = schema().get(name).expect(name);
            check_value(name, d, &f.entries[0].value)
        };
        assert_eq!(check("memory_limit", "512M"), None);
        assert!(check("memory_limit", "512MB").is_some());
        assert_eq!(check("opcache.enable", "On"), None);
        assert!(check("opcache.enable", "enabled").is_some());
        assert!(check("opcache.max_accelerated_files", "100").is_some());
        // atoi: `256M` is 256 MB as meant; `1G` is 1 MB.
        assert_eq!(check("opcache.memory_consumption", "256M"), None);
        assert_eq!(check("opcache.memory_consumption", "256"), None);
        assert!(check("opcache.memory_consumption", "1G").is_some());
        assert!(check("opcache.interned_strings_buffer", "16M").is_some());
        assert_eq!(
            check("error_reporting", "E_ALL & ~E_DEPRECATED & ~E_STRICT"),
            None
        );
        assert!(check("error_reporting", "E_ALL & ~E_NOTICES").is_some());
        assert_eq!(check("error_reporting", "${LEVEL}"), None);
        assert_eq!(check("opcache.jit", "1255"), None);
        assert!(check("opcache.jit", "fast").is_some());
        assert!(check("session.cookie_samesite", "Sometimes").is_some());
        assert_eq!(check("output_buffering", "On"), None);
        assert!(check("session.cookie_samesite", "None").is_some());
        assert_eq!(check("session.cookie_samesite", "\"None\""), None);
        assert_eq!(check("session.cookie_samesite", "Lax"), None);
    }
}
