//! Author-facing diagnostics. Every problem with a scenario (syntax or meaning) becomes one
//! [`Diagnostic`]; the CLI and the app render the same text through [`render`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::span::{LineIndex, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable code, e.g. `unknown-node`, documented in `docs/scenario-format.md`.
    pub code: &'static str,
    pub message: String,
    /// Where the problem is, with a short note shown under the caret.
    pub primary: Label,
    /// Other places that explain it ("first defined here").
    pub secondary: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: Label {
                span,
                text: String::new(),
            },
            secondary: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, span)
        }
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = text.into();
        self
    }

    pub fn also(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A source file and what was found in it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let lines = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            text,
            lines,
        }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, offset)
    }

    pub fn offset(&self, line: usize, col: usize) -> usize {
        self.lines.offset(&self.text, line, col)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// How to print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Source snippet with carets and labels (what people read).
    Human { color: bool },
    /// One line per diagnostic: `path:line:col: severity[code]: message` (editors, grep, tests).
    Short,
}

pub fn render(file: &SourceFile, diagnostic: &Diagnostic, style: Style) -> String {
    match style {
        Style::Short => render_short(file, diagnostic),
        Style::Human { color } => render_human(file, diagnostic, color),
    }
}

fn render_short(file: &SourceFile, d: &Diagnostic) -> String {
    let (line, col) = file.line_col(d.primary.span.start as usize);
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!(
        "{}:{line}:{col}: {severity}[{}]: {}",
        file.path.display(),
        d.code,
        d.message
    )
}

/// Lines longer than this are not quoted whole (a minified or pasted file can have one line of
/// megabytes); an excerpt around the problem is shown instead.
const LONG_LINE: usize = 400;

fn render_human(file: &SourceFile, d: &Diagnostic, color: bool) -> String {
    let at = (d.primary.span.start as usize).min(file.text.len());
    let line_start = file.text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = file.text[at..]
        .find('\n')
        .map_or(file.text.len(), |i| at + i);
    if line_end - line_start > LONG_LINE {
        return render_excerpt(file, d, line_start, line_end);
    }
    use miette::{
        GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
    };

    let label = |l: &Label, primary: bool| {
        let text = (!l.text.is_empty()).then(|| l.text.clone());
        let span = (l.span.start as usize, (l.span.end - l.span.start) as usize);
        if primary {
            LabeledSpan::new_primary_with_span(text, span)
        } else {
            LabeledSpan::new_with_span(text, span)
        }
    };
    let mut diagnostic = MietteDiagnostic::new(d.message.clone())
        .with_code(d.code)
        .with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
        .with_labels(
            std::iter::once(label(&d.primary, true))
                .chain(d.secondary.iter().map(|l| label(l, false))),
        );
    if let Some(help) = &d.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    let report = miette::Report::new(diagnostic).with_source_code(
        NamedSource::new(file.path.display().to_string(), file.text.clone()).with_language("ron"),
    );
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_context_lines(1);
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        // Rendering only fails on a formatter error; the short form still says everything.
        let _ = write!(out, "{}", render_short(file, d));
    }
    out
}

fn render_excerpt(file: &SourceFile, d: &Diagnostic, line_start: usize, line_end: usize) -> String {
    let at = (d.primary.span.start as usize).min(file.text.len());
    let floor = |mut i: usize| {
        while !file.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = floor(at.saturating_sub(60).max(line_start));
    let to = floor((at + 60).min(line_end));
    let excerpt = &file.text[from..to];
    let caret = file.text[from..at].chars().count();
    let mut out = render_short(file, d);
    let _ = write!(out, "\n  … {excerpt} …\n    {}^", " ".repeat(caret));
    if let Some(help) = &d.help {
        let _ = write!(out, "\n  help: {help}");
    }
    out
}

/// The JSON shape of a diagnostic for `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub file: String,
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub label: &'a str,
    pub help: Option<&'a str>,
    pub related: Vec<JsonLabel<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel<'a> {
    pub line: usize,
    pub column: usize,
    pub text: &'a str,
}

pub fn to_json<'a>(file: &SourceFile, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let (line, column) = file.line_col(d.primary.span.start as usize);
    let (end_line, end_column) = file.line_col(d.primary.span.end as usize);
    JsonDiagnostic {
        file: file.path.display().to_string(),
        severity: d.severity,
        code: d.code,
        message: &d.message,
        line,
        column,
        end_line,
        end_column,
        label: &d.primary.text,
        help: d.help.as_deref(),
        related: d
            .secondary
            .iter()
            .map(|l| {
                let (line, column) = file.line_col(l.span.start as usize);
                JsonLabel {
                    line,
                    column,
                    text: &l.text,
                }
            })
            .collect(),
    }
}
