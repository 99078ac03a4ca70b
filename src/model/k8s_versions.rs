//! The Kubernetes versions whose schemas are bundled (`schemas/kubernetes/`),
//! and how a user-written version is read. Below the config and the rules:
//! both need it.

pub const DEFAULT_VERSION: &str = "1.31";

/// Bundled versions, oldest first, with their schema documents.
pub(crate) const BUNDLED: [(&str, &str); 5] = [
    ("1.29", include_str!("../../schemas/kubernetes/v1.29.json")),
    ("1.30", include_str!("../../schemas/kubernetes/v1.30.json")),
    ("1.31", include_str!("../../schemas/kubernetes/v1.31.json")),
    ("1.32", include_str!("../../schemas/kubernetes/v1.32.json")),
    ("1.33", include_str!("../../schemas/kubernetes/v1.33.json")),
];

/// The bundled versions, oldest first (`1.29`, ...).
pub fn bundled_versions() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(v, _)| *v)
}

/// The bundled version a user-written version names: `1.31`, `v1.31`, `1.31.4`.
pub fn normalize_version(version: &str) -> Option<&'static str> {
    let v = version.trim();
    let v = v.strip_prefix('v').unwrap_or(v);
    let mut parts = v.split('.');
    let (major, minor) = (parts.next()?, parts.next()?);
    if parts.next().is_some_and(|p| p.parse::<u32>().is_err()) || parts.next().is_some() {
        return None;
    }
    let minor = minor.parse::<u32>().ok()?;
    bundled_versions().find(|b| *b == format!("{major}.{minor}"))
}

/// The bundled version to validate against: the command-line flag if given,
/// else the config's `kubernetes-version`. The error lists the bundled ones.
pub fn resolve_version(flag: Option<&str>, config: &str) -> Result<&'static str, String> {
    let (requested, source) = match flag {
        Some(f) => (f, "--kubernetes-version"),
        None => (config, "kubernetes-version in the config"),
    };
    normalize_version(requested).ok_or_else(|| {
        format!(
            "no bundled Kubernetes schemas for version `{requested}` ({source}); bundled: {}",
            bundled_versions().collect::<Vec<_>>().join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_normalize() {
        assert_eq!(normalize_version("1.31"), Some("1.31"));
        assert_eq!(normalize_version("v1.29.3"), Some("1.29"));
        assert_eq!(normalize_version("1.28"), None);
        assert_eq!(normalize_version("1.31.x"), None);
        assert_eq!(normalize_version("garbage"), None);
        assert_eq!(normalize_version(DEFAULT_VERSION), Some(DEFAULT_VERSION));
    }

    #[test]
    fn flag_overrides_config_version() {
        assert_eq!(resolve_version(Some("1.33"), "1.29"), Ok("1.33"));
        assert_eq!(resolve_version(None, "1.29"), Ok("1.29"));
        let err = resolve_version(Some("1.40"), "1.31").unwrap_err();
        assert!(
            err.contains("`1.40`") && err.contains("1.29, 1.30, 1.31, 1.32, 1.33"),
            "{err}"
        );
        assert!(
            resolve_version(None, "1.12")
                .unwrap_err()
                .contains("config")
        );
    }
}
