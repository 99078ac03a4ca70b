//! Shared walkers for the cross-file php-fpm rules: every pool and global
//! scope of every include set, typed lookups, and where to point when a
//! directive is missing.

use crate::parse::fpm::Typed;
use crate::project::Project;
use crate::project::facts::FpmSection;
use crate::project::fpm::{ConfigSet, Found, FpmFile, Pool, Scope};
use crate::source::Span;

/// Calls `f` for every pool of every include set.
pub fn each_pool(project: &Project, mut f: impl FnMut(&ConfigSet, &Pool)) {
    for set in project.fpm_sets() {
        for pool in &set.pools {
            f(set, pool);
        }
    }
}

pub fn int(found: Option<Found>) -> Option<i64> {
    found.and_then(|f| f.directive.value.as_int().ok())
}

pub fn seconds(found: Option<Found>) -> Option<i64> {
    found.and_then(|f| f.directive.value.as_duration().ok())
}

/// `Some(b)` when set to a valid boolean, `None` when unset, symbolic or invalid.
pub fn boolean(found: Option<Found>) -> Option<bool> {
    found.and_then(|f| match f.directive.value.as_bool() {
        Typed::Ok(b) => Some(b),
        _ => None,
    })
}

/// Whether the value depends on an environment variable (so is unknown here).
pub fn symbolic(found: Option<Found>) -> bool {
    found.is_some_and(|f| f.directive.value.is_symbolic())
}

/// The span to report a missing directive at: the section header, or the
/// first directive of a header-less preamble.
pub fn section_anchor(section: &FpmSection) -> Span {
    if section.header.is_empty() {
        section
            .directives
            .first()
            .map_or(section.header, |d| d.key_span)
    } else {
        section.header
    }
}

/// File and span for a finding about something missing in `scope`.
pub fn missing_at<'a>(scope: &Scope<'a>) -> Option<(FpmFile<'a>, &'a FpmSection, Span)> {
    scope
        .anchor()
        .map(|(file, section)| (file, section, section_anchor(section)))
}

/// Where logs reach the container runtime.
pub fn is_std_stream(path: &str) -> bool {
    matches!(
        path.trim(),
        "/proc/self/fd/2"
            | "/proc/self/fd/1"
            | "/dev/stderr"
            | "/dev/stdout"
            | "/proc/1/fd/2"
            | "/proc/1/fd/1"
    )
}

/// A file whose path says development or tests (`overlays/development/`,
/// `zz-docker.development.conf`, `.devcontainer/`), judged with the
/// production profile: production-only pool checks (worker recycling,
/// timeouts) stay quiet there, as the php.ini ones do for such files.
/// `profile: strict` keeps them.
pub fn development_file(settings: &crate::config::Settings, file: &FpmFile) -> bool {
    settings.profile == crate::config::Profile::Production
        && !settings.strict
        && crate::config::is_development_path(file.path)
}
