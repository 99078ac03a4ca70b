//! Human output through miette's graphical handler, with our own
//! `SourceCode` over the line index (miette's own rescans from byte 0 for
//! every diagnostic, which is quadratic on big files).

use super::{Positions, Redactor, sanitize_for_terminal, sanitize_same_length};
use crate::catalog::catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::LintResult;
use crate::source::{LineIndex, SourceFile, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};
use std::panic::AssertUnwindSafe;

#[derive(Clone, Debug)]
pub struct HumanOptions {
    pub color: bool,
    /// Print only the summary line.
    pub quiet: bool,
    /// Terminal width for wrapping.
    pub width: usize,
    /// Print the closing summary line.
    pub summary: bool,
    /// The command line's extras: the rule name after the code, `[*]` on
    /// findings `--fix` would fix, and "N fixable with `--fix`" after the
    /// summary. Off by default, so rule fixture snapshots stay as they are.
    pub rich: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            quiet: false,
            width: 100,
            summary: true,
            rich: false,
        }
    }
}

struct Src<'a> {
    name: &'a str,
    text: &'a str,
    lines: &'a LineIndex,
}

impl SourceCode for Src<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.lines.line_of(start);
        let last = self.lines.line_of(end.saturating_sub(1).max(start));
        let ctx_first = first.saturating_sub(before);
        let ctx_last = (last + after).min(self.lines.line_count() - 1);
        let (data_start, column) = if before == 0 {
            let line_start = self.lines.line_start(first);
            (start, self.text[line_start..start].chars().count())
        } else {
            (self.lines.line_start(ctx_first), 0)
        };
        let data_end = if ctx_last + 1 < self.lines.line_count() {
            self.lines.line_start(ctx_last + 1)
        } else {
            self.text.len()
        };
        let data_end = data_end.max(end);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            &self.text.as_bytes()[data_start..data_end],
            (data_start, data_end - data_start).into(),
            ctx_first.max(if before == 0 { first } else { 0 }),
            column,
            ctx_last - ctx_first + 1,
        )))
    }
}

struct Rendered<'a> {
    message: String,
    severity: miette::Severity,
    code: Option<String>,
    src: Src<'a>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    /// Labels in other files, each rendered with its own snippet.
    related: Vec<Rendered<'a>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.clone().into_iter()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

/// Whether miette prints `text` after its indent (at most 8 columns: `  × `,
/// `  help: `) on one line of a `width`-column report (it wraps at `width - 2`),
/// so that wrapping it would change nothing: printable ASCII (one column per
/// byte), single spaces between words, none at either end.
fn one_line(text: &str, width: usize) -> bool {
    let b = text.as_bytes();
    !b.is_empty()
        && b.len() + 8 <= width.saturating_sub(2)
        && b.iter().all(|&c| (b' '..=b'~').contains(&c))
        && b[0] != b' '
        && b[b.len() - 1] != b' '
        && !text.contains("  ")
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn to_source_span(text: &str, span: Span) -> SourceSpan {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    // An empty span renders as a caret on the character it points at.
    let len = if end == start && start < text.len() {
        text[start..].chars().next().map_or(0, char::len_utf8)
    } else {
        end - start
    };
    (start, len).into()
}

/// Lines longer than this are not drawn as snippets: miette pads underlines
/// with `{:width$}`, whose width must fit in a `u16`, and a 70,000-column
/// snippet is no use on a terminal anyway. Such findings print as plain lines.
const MAX_SNIPPET_LINE: usize = 4096;

/// Whether the lines a snippet of `span` would draw (the span's first and last
/// lines and one line of context around them) are short enough to draw.
fn snippet_fits(file: &SourceFile, span: Span) -> bool {
    let text = &file.text;
    let lines = &file.lines;
    let first = lines.line_of(span.start.min(text.len()));
    let last = lines.line_of(span.end.min(text.len()));
    let max = lines.line_count().saturating_sub(1);
    [first.saturating_sub(1), first, last, (last + 1).min(max)]
        .into_iter()
        .all(|l| lines.line_range(text, l).len() <= MAX_SNIPPET_LINE)
}

/// One diagnostic without a snippet: the fallback for very long lines and for
/// a renderer failure.
fn plain(
    file: &SourceFile,
    pos: crate::source::Position,
    d: &Diagnostic,
    message: &str,
    help: Option<&str>,
) -> String {
    let mut s = format!(
        "{}[{}]: {}\n  --> {}:{}:{}\n",
        d.severity,
        d.code,
        message,
        sanitize_for_terminal(&file.path),
        pos.line,
        pos.column
    );
    if let Some(h) = help {
        s.push_str(&format!("  help: {h}\n"));
    }
    s
}

pub fn write(result: &LintResult, opts: &HumanOptions, out: &mut dyn Write) -> io::Result<()> {
    if !opts.quiet {
        let theme = if opts.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_width(opts.width)
            .with_context_lines(1);
        // miette wraps every message and help text with textwrap, ~50,000
        // instructions each even when the text fits on its line (a second
        // per 25,000 findings). A finding whose texts all fit is drawn by a
        // handler that does not wrap: the same output.
        let unwrapped = handler.clone().with_wrap_lines(false);
        let redactor = Redactor::new(result);
        let mut positions = Positions::default();
        // Message, label and help text as printed: secrets scrubbed, control
        // characters escaped.
        let clean = |s: &str| sanitize_for_terminal(&redactor.redact(s)).into_owned();
        // Texts (secrets masked, control characters neutralised) of every file a
        // diagnostic or label points into.
        let mut used = vec![false; result.files.len()];
        for d in &result.diagnostics {
            used[d.file] = true;
            for l in &d.labels {
                used[l.file] = true;
            }
        }
        let texts: Vec<Option<String>> = (0..result.files.len())
            .map(|i| {
                used[i].then(|| {
                    let masked = super::display_text(result, i);
                    sanitize_same_length(&masked).into_owned()
                })
            })
            .collect();
        let names: Vec<String> = result
            .files
            .iter()
            .map(|f| sanitize_for_terminal(&f.source.path).into_owned())
            .collect();
        let src = |file: usize| {
            let f = &result.files[file].source;
            Src {
                name: &names[file],
                text: texts[file].as_deref().unwrap_or(""),
                lines: &f.lines,
            }
        };
        for d in &result.diagnostics {
            let file = &result.files[d.file].source;
            let text = texts[d.file].as_deref().unwrap_or("");
            let message = clean(&d.message);
            let help = d.help.as_deref().map(clean);
            let fits = snippet_fits(file, d.span)
                && d.labels
                    .iter()
                    .all(|l| snippet_fits(&result.files[l.file].source, l.span));
            let mut s = String::new();
            if fits {
                let label = d.label.clone().unwrap_or_else(|| short_label(d));
                let mut labels = vec![LabeledSpan::new_primary_with_span(
                    Some(clean(&label)),
                    to_source_span(text, d.span),
                )];
                let mut related = Vec::new();
                for l in &d.labels {
                    if l.file == d.file {
                        labels.push(LabeledSpan::new_with_span(
                            Some(clean(&l.message)),
                            to_source_span(text, l.span),
                        ));
                    } else {
                        let other = src(l.file);
                        let span = to_source_span(other.text, l.span);
                        related.push(Rendered {
                            message: clean(&l.message),
                            severity: miette::Severity::Advice,
                            code: None,
                            labels: vec![LabeledSpan::new_primary_with_span(None, span)],
                            src: other,
                            help: None,
                            related: Vec::new(),
                        });
                    }
                }
                let rendered = Rendered {
                    message: message.clone(),
                    severity: miette_severity(d.severity),
                    code: Some(if opts.rich {
                        rich_code(d)
                    } else {
                        d.code.to_string()
                    }),
                    src: src(d.file),
                    labels,
                    help: help.clone(),
                    related,
                };
                let fits_on_lines = one_line(&rendered.message, opts.width)
                    && rendered
                        .help
                        .as_deref()
                        .is_none_or(|h| one_line(h, opts.width))
                    && rendered
                        .related
                        .iter()
                        .all(|r| one_line(&r.message, opts.width));
                let handler = if fits_on_lines { &unwrapped } else { &handler };
                // A renderer panic costs this diagnostic its snippet, never the run.
                let ok = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    handler.render_report(&mut s, &rendered).is_ok()
                }));
                if !matches!(ok, Ok(true)) {
                    s.clear();
                }
            }
            if s.is_empty() {
                let pos = positions.at(result, d.file, d.span.start);
                s = plain(file, pos, d, &message, help.as_deref());
            }
            writeln!(out, "{}", s.trim_end())?;
            writeln!(out)?;
        }
    }
    if !opts.summary {
        return Ok(());
    }
    write_summary(result, out)?;
    if opts.rich {
        let fixable = result
            .diagnostics
            .iter()
            .filter(|d| safely_fixable(d))
            .count();
        if fixable > 0 {
            writeln!(out, "[*] {fixable} fixable with `--fix`")?;
        }
    }
    Ok(())
}

fn safely_fixable(d: &Diagnostic) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| f.applicability == crate::diagnostic::Applicability::Safe)
}

/// `K8S001 (image-tag-latest)`, with ` [*]` when `--fix` would fix it.
fn rich_code(d: &Diagnostic) -> String {
    let mut s = d.code.to_string();
    if let Some(m) = catalog().get(&d.code) {
        s.push_str(&format!(" ({})", m.name));
    }
    if safely_fixable(d) {
        s.push_str(" [*]");
    }
    s
}

/// `N errors, N warnings, N infos in N files (N files checked)`, or
/// `No problems found (N files checked)`.
pub(super) fn write_summary(result: &LintResult, out: &mut dyn Write) -> io::Result<()> {
    let (errors, warnings, infos) = super::counts(result);
    let with_findings = {
        let mut files: Vec<usize> = result.diagnostics.iter().map(|d| d.file).collect();
        files.sort_unstable();
        files.dedup();
        files.len()
    };
    let checked = result.checked_files();
    if errors + warnings + infos == 0 {
        writeln!(
            out,
            "No problems found ({} checked)",
            plural(checked, "file")
        )?;
    } else {
        writeln!(
            out,
            "{}, {}, {} in {} ({} checked)",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(infos, "info"),
            plural(with_findings, "file"),
            plural(checked, "file"),
        )?;
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn short_label(d: &Diagnostic) -> String {
    catalog()
        .get(&d.code)
        .map_or_else(|| d.severity.to_string(), |m| m.title.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `one_line` accepts renders the same without wrapping; what it
    /// refuses includes texts that wrapping does change (so the test can fail).
    #[test]
    fn one_line_texts_render_the_same_unwrapped() {
        let text = "pm.max_children = 50\nlisten = 9000\n";
        let lines = LineIndex::new(text);
        let render = |message: &str, help: &str, related: &str, wrap: bool| {
            let src = || Src {
                name: "www.conf",
                text,
                lines: &lines,
            };
            let r = Rendered {
                message: message.to_owned(),
                severity: miette::Severity::Warning,
                code: Some("FPM001".into()),
                src: src(),
                labels: vec![LabeledSpan::new_primary_with_span(
                    Some("here".into()),
                    to_source_span(text, Span::new(0, 15)),
                )],
                help: Some(help.to_owned()),
                related: vec![Rendered {
                    message: related.to_owned(),
                    severity: miette::Severity::Advice,
                    code: None,
                    src: src(),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        None,
                        to_source_span(text, Span::new(21, 27)),
                    )],
                    help: None,
                    related: Vec::new(),
                }],
            };
            let mut out = String::new();
            GraphicalReportHandler::new_themed(GraphicalTheme::unicode())
                .with_links(false)
                .with_width(100)
                .with_context_lines(1)
                .with_wrap_lines(wrap)
                .render_report(&mut out, &r)
                .expect("renders");
            out
        };
        let long = "word ".repeat(30);
        let texts = [
            "`pm.max_children` is 50",
            "a-b c-d `--from=composer:2.8` https://example.com/a-b-c",
            &"x".repeat(90),
            &"x".repeat(91),
            &"in-flight ".repeat(9),
            long.trim_end(),
            " leading space",
            "double  space",
            "tab\there",
            "two\nlines",
            "non-ASCII × sign",
            "",
        ];
        let (mut same, mut changed) = (0, 0);
        for t in texts {
            let wrapped = render(t, t, t, true);
            if one_line(t, 100) {
                assert_eq!(render(t, t, t, false), wrapped, "{t:?}");
                same += 1;
            } else if render(t, t, t, false) != wrapped {
                changed += 1;
            }
        }
        assert_eq!(same, 3);
        // Refused for good reason: these do wrap differently.
        assert!(changed >= 3, "{changed}");
    }
}
