//! Human output through miette's graphical handler, with our own
//! `SourceCode` over the line index (miette's own rescans from byte 0 for
//! every diagnostic, which is quadratic on big files).

use crate::catalog::catalog;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::LintResult;
use crate::source::{LineIndex, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

#[derive(Clone, Debug)]
pub struct HumanOptions {
    pub color: bool,
    /// Print only the summary line.
    pub quiet: bool,
    /// Terminal width for wrapping.
    pub width: usize,
    /// Print the closing summary line.
    pub summary: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            quiet: false,
            width: 100,
            summary: true,
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
        // Texts (secrets masked) of every file a diagnostic or label points into.
        let mut used = vec![false; result.files.len()];
        for d in &result.diagnostics {
            used[d.file] = true;
            for l in &d.labels {
                used[l.file] = true;
            }
        }
        let texts: Vec<_> = (0..result.files.len())
            .map(|i| used[i].then(|| super::display_text(result, i)))
            .collect();
        let src = |file: usize| {
            let f = &result.files[file].source;
            Src {
                name: &f.path,
                text: texts[file].as_deref().unwrap_or(""),
                lines: &f.lines,
            }
        };
        for d in &result.diagnostics {
            let file = &result.files[d.file].source;
            let text = texts[d.file].as_deref().unwrap_or("");
            let mut labels = vec![LabeledSpan::new_primary_with_span(
                Some(d.label.clone().unwrap_or_else(|| short_label(d))),
                to_source_span(text, d.span),
            )];
            let mut related = Vec::new();
            for l in &d.labels {
                if l.file == d.file {
                    labels.push(LabeledSpan::new_with_span(
                        Some(l.message.clone()),
                        to_source_span(text, l.span),
                    ));
                } else {
                    let other = src(l.file);
                    let span = to_source_span(other.text, l.span);
                    related.push(Rendered {
                        message: l.message.clone(),
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
                message: d.message.clone(),
                severity: miette_severity(d.severity),
                code: Some(d.code.clone()),
                src: src(d.file),
                labels,
                help: d.help.clone(),
                related,
            };
            let mut s = String::new();
            if handler.render_report(&mut s, &rendered).is_err() {
                let pos = file.position(d.span.start);
                s = format!(
                    "{}:{}:{}: {} [{}] {}\n",
                    file.path, pos.line, pos.column, d.severity, d.code, d.message
                );
            }
            writeln!(out, "{}", s.trim_end())?;
            writeln!(out)?;
        }
    }
    if !opts.summary {
        return Ok(());
    }
    let (errors, warnings, infos) = super::counts(result);
    let with_findings = {
        let mut files: Vec<usize> = result.diagnostics.iter().map(|d| d.file).collect();
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
        .map_or_else(|| d.severity.to_string(), |m| m.title.clone())
}
