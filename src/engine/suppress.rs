//! Inline suppressions, applied after the rules (rules never see them).
//!
//! `# deploylint ignore=K8S001,image-tag-latest -- reason` on its own line
//! covers the next line and the block indented under it (or the instruction
//! continued with `\`); at the end of a line it covers that line.
//! `# deploylint ignore-file=CODE -- reason` covers the whole file.
//! `# hadolint ignore=DL3007` (and hadolint's file-wide `# hadolint global
//! ignore=DL3008`) and Checkov's `# checkov:skip=CKV_K8S_8: reason` (file-wide
//! in a Dockerfile, as Checkov does) are honoured through catalog aliases.
//! Kubernetes objects also take annotations ([`from_annotations`]).

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::parse::Document;
use crate::source::{FileKind, SourceFile, Span};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tool {
    Deploylint,
    /// Another linter whose check ids map through catalog aliases (`hadolint`).
    Other(String),
}

#[derive(Clone, Debug)]
pub struct Suppression {
    pub tool: Tool,
    /// Codes, names, or the other tool's check ids; `all` matches everything.
    pub ids: Vec<String>,
    pub reason: Option<String>,
    /// Where the directive is written.
    pub directive: Span,
    /// The bytes whose diagnostics it silences.
    pub covers: Span,
    pub used: bool,
    /// `-- until 2027-03-01: reason`: the last day it applies (y, m, d).
    pub until: Option<(i32, u32, u32)>,
}

impl Suppression {
    pub fn matches(&self, code: &str, catalog: &Catalog) -> bool {
        self.ids.iter().any(|id| match &self.tool {
            Tool::Deploylint => {
                id.eq_ignore_ascii_case("all")
                    || id.eq_ignore_ascii_case(code)
                    || catalog.get(code).is_some_and(|m| m.name == *id)
            }
            Tool::Other(tool) => catalog.get(code).is_some_and(|m| {
                m.aliases
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&format!("{tool}:{id}")))
            }),
        })
    }
}

fn comment_markers(kind: Option<FileKind>) -> &'static [&'static str] {
    match kind {
        // `#` is no comment in INI files since PHP 7.0 (php-fpm refuses the line).
        Some(FileKind::PhpFpm | FileKind::PhpIni) => &[";"],
        Some(FileKind::Octane | FileKind::Horizon | FileKind::LaravelRoutes) => &["//", "#"],
        _ => &["#"],
    }
}

/// Finds suppression comments in a file. Total: a panic in the scan (a bug)
/// costs the file its comment suppressions, never the run.
pub fn collect(source: &SourceFile) -> Vec<Suppression> {
    std::panic::catch_unwind(AssertUnwindSafe(|| collect_inner(source))).unwrap_or_default()
}

fn collect_inner(source: &SourceFile) -> Vec<Suppression> {
    let text = &source.text;
    if !text.contains("deploylint") && !text.contains("hadolint") && !text.contains("checkov") {
        return Vec::new();
    }
    let markers = comment_markers(source.kind);
    let continuation = continuation_char(source);
    let mut out = Vec::new();
    let mut blocks = Blocks::default();
    for line in 0..source.lines.line_count() {
        let range = source.lines.line_range(text, line);
        let content = &text[range.clone()];
        let Some((comment_at, body)) = find_directive(content, markers) else {
            continue;
        };
        let own_line = content[..comment_at].trim().is_empty();
        let Some((tool, rest)) = parse_tool(body) else {
            continue;
        };
        let checkov = matches!(&tool, Tool::Other(t) if t == "checkov");
        let (file_wide, rest) = if checkov {
            // `checkov:skip=CKV_DOCKER_3:reason`: Checkov applies a
            // Dockerfile's skips to the whole file.
            let Some(r) = rest.strip_prefix(':').unwrap_or(rest).strip_prefix("skip=") else {
                continue;
            };
            (source.kind == Some(FileKind::Dockerfile), r)
        } else if let Some(r) = rest.strip_prefix("ignore-file=") {
            (true, r)
        } else if let Some(r) = rest
            .strip_prefix("global ignore=")
            .filter(|_| tool != Tool::Deploylint)
        {
            // hadolint's file-wide form.
            (true, r)
        } else if let Some(r) = rest.strip_prefix("ignore=") {
            (false, r)
        } else {
            continue;
        };
        let (ids_part, reason) = if checkov {
            let (ids, why) = rest.split_once(':').unwrap_or((rest, ""));
            (ids, Some(why.trim().to_owned()).filter(|w| !w.is_empty()))
        } else {
            split_reason(rest)
        };
        let ids: Vec<String> = ids_part
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let directive = Span::new(range.start + comment_at, range.end);
        let covers = if file_wide {
            Span::new(0, text.len())
        } else if own_line {
            blocks.after(source, line, continuation)
        } else {
            Span::new(range.start, range.end)
        };
        let until = reason.as_deref().and_then(expiry);
        out.push(Suppression {
            tool,
            ids,
            reason,
            directive,
            covers,
            used: false,
            until,
        });
    }
    out
}

fn find_directive<'a>(line: &'a str, markers: &[&str]) -> Option<(usize, &'a str)> {
    for marker in markers {
        let mut from = 0;
        while let Some(i) = line[from..].find(marker) {
            let at = from + i;
            let body = line[at + marker.len()..].trim_start();
            if body.starts_with("deploylint")
                || body.starts_with("hadolint")
                || body.starts_with("checkov:skip=")
            {
                return Some((at, body));
            }
            from = at + marker.len();
        }
    }
    None
}

fn parse_tool(body: &str) -> Option<(Tool, &str)> {
    if let Some(rest) = body.strip_prefix("deploylint") {
        let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        return Some((Tool::Deploylint, rest));
    }
    if let Some(rest) = body.strip_prefix("checkov") {
        return Some((Tool::Other("checkov".into()), rest));
    }
    let rest = body.strip_prefix("hadolint")?;
    Some((Tool::Other("hadolint".into()), rest.trim_start()))
}

/// `K8S001,K8S002 -- reason` or `K8S001 reason`.
fn split_reason(rest: &str) -> (&str, Option<String>) {
    let rest = rest.trim();
    let (ids, reason) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let reason = reason
        .trim_start_matches("--")
        .trim_start_matches(':')
        .trim();
    (ids, (!reason.is_empty()).then(|| reason.to_owned()))
}

/// `` ` `` in a Dockerfile that starts with `# escape=` backtick, else `\\`.
fn continuation_char(source: &SourceFile) -> char {
    if source.kind != Some(FileKind::Dockerfile) {
        return '\\';
    }
    let backtick = source
        .text
        .lines()
        .take_while(|l| l.trim_start().starts_with('#'))
        .filter_map(|l| l.trim_start()[1..].split_once('='))
        .any(|(k, v)| k.trim().eq_ignore_ascii_case("escape") && v.trim() == "`");
    if backtick { '`' } else { '\\' }
}

/// Own-line directives' blocks, computed in linear time overall: the next code
/// line after each line is precomputed once (backwards), and each block is
/// measured once however many directives stand above it.
#[derive(Default)]
struct Blocks {
    /// `next_code[i]`: the first non-blank, non-comment line at or after `i`.
    next_code: Option<Vec<usize>>,
    spans: HashMap<usize, Span>,
    /// Bytes of lines the block scans may still read. Nested or interleaved
    /// directives (one above each line of a long `\`-continued instruction)
    /// would otherwise rescan the same lines: past the budget, a block ends
    /// where the scan stopped (only such hostile files are affected).
    budget: Option<usize>,
}

impl Blocks {
    fn after(&mut self, source: &SourceFile, directive_line: usize, continuation: char) -> Span {
        let text = &source.text;
        let n = source.lines.line_count();
        let next_code = self.next_code.get_or_insert_with(|| {
            let mut next = vec![n; n + 1];
            for line in (0..n).rev() {
                let t = text[source.lines.line_range(text, line)].trim_start();
                let code = !t.is_empty() && !t.starts_with('#') && !t.starts_with(';');
                next[line] = if code { line } else { next[line + 1] };
            }
            next
        });
        let line = next_code.get(directive_line + 1).copied().unwrap_or(n);
        let budget = self.budget.get_or_insert(4 * text.len() + (1 << 20));
        *self
            .spans
            .entry(line)
            .or_insert_with(|| block_at(source, line, continuation, budget))
    }
}

/// The block starting at code line `line`: it, plus the lines indented deeper than
/// it or joined to it by a trailing continuation character.
fn block_at(source: &SourceFile, line: usize, continuation: char, budget: &mut usize) -> Span {
    let text = &source.text;
    let n = source.lines.line_count();
    if line >= n {
        return Span::at(text.len());
    }
    let first = source.lines.line_range(text, line);
    let indent = indent_of(&text[first.clone()]);
    let mut end = first.end;
    let mut continued = text[first.clone()].trim_end().ends_with(continuation);
    let mut next = line + 1;
    while next < n {
        let r = source.lines.line_range(text, next);
        let l = &text[r.clone()];
        let Some(left) = budget.checked_sub(l.len() + 1) else {
            break;
        };
        *budget = left;
        let deeper = !l.trim().is_empty() && indent_of(l) > indent;
        let item_of_block = text[first.clone()].trim_end().ends_with(':')
            && l.trim_start().starts_with("- ")
            && indent_of(l) >= indent;
        if !(continued || deeper || item_of_block || l.trim().is_empty()) {
            break;
        }
        if !l.trim().is_empty() {
            end = r.end;
        }
        continued = l.trim_end().ends_with(continuation);
        next += 1;
    }
    Span::new(first.start, end)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

const DEPLOYLINT_ANNOTATION: &str = "deploylint.io/ignore";
const KUBE_LINTER_PREFIX: &str = "ignore-check.kube-linter.io/";
const POLARIS_PREFIX: &str = "polaris.fairwinds.com/";

/// Suppressions written as `metadata.annotations` of Kubernetes objects; each
/// covers its whole object:
/// - `deploylint.io/ignore: "K8S010,K8S013 -- reason"`;
/// - kube-linter's `ignore-check.kube-linter.io/<check>: "reason"`, and
///   `kube-linter.io/ignore-all: "reason"` for every kube-linter check;
/// - Polaris' `polaris.fairwinds.com/<check>-exempt: "true"`, and
///   `polaris.fairwinds.com/exempt: "true"` for every Polaris check.
///
/// The other tools' check ids map to rules through catalog aliases.
pub fn from_annotations(document: &Document) -> Vec<Suppression> {
    // Total: a bug here costs the file its annotation suppressions, not the run.
    std::panic::catch_unwind(AssertUnwindSafe(|| annotations_inner(document))).unwrap_or_default()
}

fn annotations_inner(document: &Document) -> Vec<Suppression> {
    let Some(yaml) = document.as_yaml() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for obj in crate::model::k8s::objects(yaml) {
        let Some(annotations) = obj.root.path(&["metadata", "annotations"]) else {
            continue;
        };
        for e in annotations.as_map() {
            let (Some(key), Some(value)) = (e.key.as_str(), e.value.as_str()) else {
                continue;
            };
            let Some((tool, ids, reason)) = annotation_directive(key, value) else {
                continue;
            };
            let until = reason.as_deref().and_then(expiry);
            out.push(Suppression {
                tool,
                ids,
                reason,
                directive: e.key.span.cover(e.value.span),
                covers: obj.root.span,
                used: false,
                until,
            });
        }
    }
    out
}

/// Every check id of `tool` that some rule names among its aliases.
fn aliases_of(tool: &str) -> Vec<String> {
    let prefix = format!("{tool}:");
    crate::catalog::catalog()
        .rules
        .iter()
        .flat_map(|m| m.aliases)
        .filter_map(|a| a.strip_prefix(prefix.as_str()))
        .map(str::to_owned)
        .collect()
}

fn annotation_directive(key: &str, value: &str) -> Option<(Tool, Vec<String>, Option<String>)> {
    let reason = |r: &str| Some(r.trim().to_owned()).filter(|r| !r.is_empty());
    if key == DEPLOYLINT_ANNOTATION {
        // `K8S010, K8S013 -- reason`: codes may be spaced after commas.
        let (ids, why) = match value.split_once("--") {
            Some((ids, why)) => (ids.to_owned(), reason(why)),
            None => {
                let joined = value.replace(", ", ",");
                let (ids, why) = split_reason(&joined);
                (ids.to_owned(), why)
            }
        };
        let ids: Vec<String> = ids
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        return (!ids.is_empty()).then_some((Tool::Deploylint, ids, why));
    }
    // Checkov: `checkov.io/skip1: CKV_K8S_20=reason` (`skip2`, ...).
    if key
        .strip_prefix("checkov.io/skip")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    {
        let (id, why) = value.split_once('=').unwrap_or((value, ""));
        let id = id.trim();
        return (!id.is_empty()).then(|| {
            (
                Tool::Other("checkov".into()),
                vec![id.to_owned()],
                reason(why),
            )
        });
    }
    if key == "kube-linter.io/ignore-all" {
        return Some((
            Tool::Other("kube-linter".into()),
            aliases_of("kube-linter"),
            reason(value),
        ));
    }
    if let Some(check) = key.strip_prefix(KUBE_LINTER_PREFIX) {
        return Some((
            Tool::Other("kube-linter".into()),
            vec![check.to_owned()],
            reason(value),
        ));
    }
    let rest = key.strip_prefix(POLARIS_PREFIX)?;
    if !value.trim().eq_ignore_ascii_case("true") {
        return None;
    }
    let ids = if rest == "exempt" {
        aliases_of("polaris")
    } else {
        vec![rest.strip_suffix("-exempt")?.to_owned()]
    };
    Some((Tool::Other("polaris".into()), ids, None))
}

/// Drops suppressed diagnostics; marks the suppressions that were used.
/// Removes the findings a suppression covers and marks it used. Returns the
/// removed findings, each with its suppression's justification (the reason,
/// else the directive).
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: &mut [Suppression],
    catalog: &Catalog,
) -> Vec<(Diagnostic, String)> {
    // Matches are found first: a panic there keeps the list whole.
    let Ok(matched) = std::panic::catch_unwind(AssertUnwindSafe(|| {
        matches_of(diagnostics, suppressions, catalog)
    })) else {
        return Vec::new();
    };
    if matched.iter().all(Option::is_none) {
        return Vec::new();
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    let mut removed = Vec::new();
    for (d, m) in std::mem::take(diagnostics)
        .into_iter()
        .zip(matched.into_iter().chain(std::iter::repeat(None)))
    {
        match m.and_then(|i| suppressions.get(i)) {
            Some(s) => removed.push((d, s.justification())),
            None => kept.push(d),
        }
    }
    *diagnostics = kept;
    removed
}

impl Suppression {
    /// Why it silences: its reason, else the directive it is.
    pub fn justification(&self) -> String {
        match &self.reason {
            Some(r) => r.clone(),
            None => match &self.tool {
                Tool::Deploylint => format!("deploylint ignore={}", self.ids.join(",")),
                Tool::Other(t) => format!("{t} ignore={}", self.ids.join(",")),
            },
        }
    }
}

/// For each finding, the suppression that silences it (the first that
/// matches); every matching one is marked used.
fn matches_of(
    diagnostics: &[Diagnostic],
    suppressions: &mut [Suppression],
    catalog: &Catalog,
) -> Vec<Option<usize>> {
    if suppressions.is_empty() {
        return vec![None; diagnostics.len()];
    }
    // A suppression covers a finding that starts inside it (ends included).
    // File-wide ones are checked for every finding; the others are sorted by
    // start, with the running maximum of their ends, so each finding looks
    // only at those that can reach it instead of at all of them.
    let file_end = suppressions.iter().map(|s| s.covers.end).max().unwrap_or(0);
    let (wide, mut local): (Vec<usize>, Vec<usize>) = (0..suppressions.len()).partition(|&i| {
        suppressions[i].covers.start == 0 && suppressions[i].covers.end >= file_end
    });
    local.sort_by_key(|&i| suppressions[i].covers.start);
    let mut reach = Vec::with_capacity(local.len());
    let mut max_end = 0;
    for &i in &local {
        max_end = max_end.max(suppressions[i].covers.end);
        reach.push(max_end);
    }
    diagnostics
        .iter()
        .map(|d| {
            let at = d.span.start;
            let mut found = None;
            let mut check = |i: usize, s: &mut Suppression| {
                if s.covers.start <= at
                    && at <= s.covers.end
                    && !s.is_expired()
                    && s.matches(&d.code, catalog)
                {
                    s.used = true;
                    found.get_or_insert(i);
                }
            };
            for &i in &wide {
                check(i, &mut suppressions[i]);
            }
            let upto = local.partition_point(|&i| suppressions[i].covers.start <= at);
            for j in (0..upto).rev() {
                if reach[j] < at {
                    break;
                }
                check(local[j], &mut suppressions[local[j]]);
            }
            found
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_line_directive_covers_the_indented_block() {
        let text = "a: 1\n# deploylint ignore=K8S001 -- pinned elsewhere\ncontainers:\n  - image: x\nb: 2\n";
        let f = SourceFile::new("x.yaml", Some(FileKind::Kubernetes), text.into());
        let s = collect(&f);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].ids, vec!["K8S001"]);
        assert_eq!(s[0].reason.as_deref(), Some("pinned elsewhere"));
        assert_eq!(&text[s[0].covers.range()], "containers:\n  - image: x");
    }

    #[test]
    fn trailing_and_hadolint_directives() {
        let text = "FROM php:latest # deploylint: ignore=DF002 base is mirrored\n# hadolint ignore=DL3007\nFROM x\n";
        let f = SourceFile::new("Dockerfile", Some(FileKind::Dockerfile), text.into());
        let s = collect(&f);
        assert_eq!(s.len(), 2);
        assert_eq!(&text[s[0].covers.range()], text.lines().next().unwrap());
        assert_eq!(s[1].tool, Tool::Other("hadolint".into()));
        assert_eq!(s[1].reason, None);
        assert_eq!(&text[s[1].covers.range()], "FROM x");
    }

    #[test]
    fn dockerfile_continuations_follow_the_escape_directive() {
        let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n# deploylint ignore=DF024 -- installer needs it\nRUN cd C:\\tmp ; `\n    .\\install.ps1\nUSER app\n";
        let f = SourceFile::new("Dockerfile", Some(FileKind::Dockerfile), text.into());
        let s = collect(&f);
        assert_eq!(
            &text[s[0].covers.range()],
            "RUN cd C:\\tmp ; `\n    .\\install.ps1"
        );
        let text =
            "FROM alpine:3\n# hadolint global ignore=DL3018\nRUN apk add \\\n    git\nUSER app\n";
        let f = SourceFile::new("Dockerfile", Some(FileKind::Dockerfile), text.into());
        let s = collect(&f);
        assert_eq!(
            s[0].covers,
            Span::new(0, text.len()),
            "global ignore is file-wide"
        );
    }

    const ANNOTATED: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    deploylint.io/ignore: \"K8S010, K8S013 -- runs as root by design\"\n    ignore-check.kube-linter.io/privileged-container: \"needs devices\"\n    polaris.fairwinds.com/hostPathSet-exempt: \"true\"\n    polaris.fairwinds.com/hostNetworkSet-exempt: \"false\"\nspec:\n  containers:\n    - name: c\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n";

    #[test]
    fn annotations_cover_their_object() {
        let doc = Document::Yaml(crate::parse::yaml::parse(ANNOTATED));
        let s = from_annotations(&doc);
        assert_eq!(s.len(), 3, "a `false` Polaris exemption is no suppression");
        assert_eq!(s[0].tool, Tool::Deploylint);
        assert_eq!(s[0].ids, vec!["K8S010", "K8S013"]);
        assert_eq!(s[0].reason.as_deref(), Some("runs as root by design"));
        assert!(ANNOTATED[s[0].directive.range()].starts_with("deploylint.io/ignore"));
        assert!(ANNOTATED[s[0].covers.range()].starts_with("apiVersion: v1\nkind: Pod"));
        assert!(ANNOTATED[s[0].covers.range()].ends_with("- name: c"));
        assert_eq!(s[1].tool, Tool::Other("kube-linter".into()));
        assert_eq!(s[1].ids, vec!["privileged-container"]);
        assert_eq!(s[1].reason.as_deref(), Some("needs devices"));
        assert_eq!(s[2].tool, Tool::Other("polaris".into()));
        assert_eq!(s[2].ids, vec!["hostPathSet"]);
    }

    #[test]
    fn annotation_ids_and_reasons() {
        let (_, ids, why) = annotation_directive(DEPLOYLINT_ANNOTATION, "K8S010").unwrap();
        assert_eq!((ids, why), (vec!["K8S010".to_owned()], None));
        let (_, ids, why) =
            annotation_directive(DEPLOYLINT_ANNOTATION, "K8S010,K8S011 legacy image").unwrap();
        assert_eq!(ids, vec!["K8S010", "K8S011"]);
        assert_eq!(why.as_deref(), Some("legacy image"));
        let (_, ids, _) = annotation_directive("polaris.fairwinds.com/exempt", "true").unwrap();
        assert!(ids.iter().any(|i| i == "runAsRootAllowed"));
        let (_, ids, _) = annotation_directive("kube-linter.io/ignore-all", "legacy").unwrap();
        assert!(ids.iter().any(|i| i == "run-as-non-root"));
        assert!(annotation_directive("app.kubernetes.io/name", "web").is_none());
    }

    #[test]
    fn annotations_suppress_through_the_engine() {
        use crate::config::Config;
        use crate::engine::LintOptions;
        let config = Config::with_defaults(std::path::PathBuf::from("."));
        let run = |text: &str| {
            let opts = LintOptions {
                select: vec!["K8S010".into(), "K8S011".into(), "S001".into()],
                ..LintOptions::default()
            };
            crate::lint_text("pod.yaml", text, &config, &opts)
                .diagnostics
                .iter()
                .map(|d| d.code.clone())
                .collect::<Vec<_>>()
        };
        let pod = |annotation: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    {annotation}\nspec:\n  containers:\n    - name: c\n      securityContext:\n        privileged: true\n"
            )
        };
        assert_eq!(run(&pod("x: y")), vec!["K8S010", "K8S011"]);
        assert_eq!(
            run(&pod(
                "deploylint.io/ignore: \"K8S010,privileged-container -- node agent\""
            )),
            Vec::<String>::new()
        );
        assert_eq!(
            run(&pod(
                "ignore-check.kube-linter.io/run-as-non-root: \"distroless nonroot\""
            )),
            vec!["K8S011"]
        );
        assert_eq!(
            run(&pod(
                "polaris.fairwinds.com/runAsPrivileged-exempt: \"true\""
            )),
            vec!["K8S010"]
        );
        // A deploylint annotation without a reason still works, and says so.
        assert_eq!(
            run(&pod("deploylint.io/ignore: K8S011")),
            vec!["S001", "K8S010"]
        );
    }
}

pub const UNUSED_SUPPRESSION: &str = "S002";
pub const EXPIRED_SUPPRESSION: &str = "S003";

/// `until 2027-03-01` at the start of a reason.
fn expiry(reason: &str) -> Option<(i32, u32, u32)> {
    let rest = reason.trim().strip_prefix("until")?.trim_start();
    let date = rest.get(..10)?;
    let mut parts = date.split('-');
    let y = parts.next()?.parse::<i32>().ok()?;
    let m = parts.next()?.parse::<u32>().ok()?;
    let d = parts.next()?.parse::<u32>().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Today's date (UTC) as (y, m, d); `DEPLOYLINT_TODAY=YYYY-MM-DD` overrides
/// it (tests, reproducible CI runs).
pub fn today() -> (i32, u32, u32) {
    if let Some(d) = std::env::var("DEPLOYLINT_TODAY")
        .ok()
        .and_then(|v| expiry(&format!("until {v}")))
    {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    ((if m <= 2 { y + 1 } else { y }) as i32, m as u32, d as u32)
}

impl Suppression {
    /// Past its `until` date.
    pub fn is_expired(&self) -> bool {
        self.until.is_some_and(|u| u < today())
    }
}

/// Findings about the suppressions of one file after [`apply`]: an expired
/// one (S003), and a deploylint suppression that silenced nothing although
/// every rule it names ran (S002, like ruff's RUF100). `ran` says whether a
/// rule code ran on this file's run; `all` and names of rules that did not
/// run are never judged.
pub fn audit(
    suppressions: &[Suppression],
    file: crate::diagnostic::FileId,
    catalog: &Catalog,
    ran: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    use crate::diagnostic::Severity;
    let mut out = Vec::new();
    for s in suppressions {
        if let (Some((y, m, d)), true) = (s.until, s.is_expired()) {
            out.push(
                Diagnostic::new(
                    EXPIRED_SUPPRESSION,
                    Severity::Warning,
                    file,
                    s.directive,
                    format!("suppression expired on {y:04}-{m:02}-{d:02}; it no longer applies"),
                )
                .with_help("Fix the findings it covered, or extend the date with a reason that still holds"),
            );
            continue;
        }
        if s.used || s.tool != Tool::Deploylint {
            continue;
        }
        let codes: Vec<String> = s
            .ids
            .iter()
            .map(|id| {
                catalog
                    .find(id)
                    .map_or_else(|| id.clone(), |m| m.code.to_owned())
            })
            .collect();
        if codes
            .iter()
            .any(|c| c.eq_ignore_ascii_case("all") || !ran(c))
        {
            continue;
        }
        out.push(
            Diagnostic::new(
                UNUSED_SUPPRESSION,
                Severity::Info,
                file,
                s.directive,
                format!("unused suppression: no {} finding here", codes.join(" or ")),
            )
            .with_help("Remove the suppression: the finding it was written for is gone (or it covers the wrong line)"),
        );
    }
    out
}

#[cfg(test)]
mod audit_tests {
    use super::*;

    #[test]
    fn dates_and_expiry_parse() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(
            expiry("until 2027-03-01: waiting on vendor"),
            Some((2027, 3, 1))
        );
        assert_eq!(expiry("pinned by digest"), None);
        assert_eq!(expiry("until soon"), None);
    }
}
