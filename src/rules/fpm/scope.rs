//! Shared walkers for php-fpm rules: each directive with the scope php-fpm
//! reads it in.

use super::directives::Scope;
use crate::parse::fpm::{Directive, FpmFile, Section, SectionKind};

/// Every directive of a file with its section and scope.
pub fn directives(file: &FpmFile) -> impl Iterator<Item = (&Section, Scope, &Directive)> {
    file.sections.iter().flat_map(|s| {
        let scope = match s.kind {
            SectionKind::Pool => Scope::Pool,
            SectionKind::Global | SectionKind::Preamble => Scope::Global,
        };
        s.directives.iter().map(move |d| (s, scope, d))
    })
}

/// `[global]`, or `pool `www``, for messages.
pub fn where_(section: &Section) -> String {
    match section.kind {
        SectionKind::Pool => format!("pool `{}`", section.name()),
        SectionKind::Global => "`[global]`".into(),
        SectionKind::Preamble => "the global scope (before any section)".into(),
    }
}
