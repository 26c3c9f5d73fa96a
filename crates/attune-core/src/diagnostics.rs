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

/// Every diagnostic code, each documented in `docs/scenario-format.md` (a test holds the two in
/// step). Authors see the kebab-case form; editors and the problem matcher key on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    // The file itself.
    Syntax,
    /// Curly quotes, invisible spaces or dashes pasted from a word processor.
    PastedText,
    NotText,
    EmptyFile,
    UnsupportedFormat,
    // Names and ids.
    BadId,
    BadName,
    DuplicateId,
    UnknownNode,
    UnknownState,
    UnknownAsset,
    BadStart,
    // The shape of the conversation.
    Unreachable,
    DeadEnd,
    NoLines,
    NoChoices,
    NoEndings,
    // Values.
    ScoreOutOfRange,
    BadCode,
    BadRange,
    BadBands,
    BadCondition,
    ImpossibleCondition,
    EmptyText,
    // Warnings.
    NoFeedback,
    NoObjectives,
    AllChoicesConditional,
    EmptyBranch,
    NoCueToNotice,
    // Found by trying every path (`attune check` and `attune test`).
    /// A reply whose condition never holds where it stands.
    NeverOffered,
    /// A node or ending no path reaches once conditions are honoured.
    NeverReached,
    /// A situation from which no ending can be reached.
    NoWayOut,
    // Found by `attune test` only.
    /// A branch rule that never holds, or is never tried.
    NeverTrue,
    UnreadFlag,
    UnreadVariable,
    /// A walk that made more moves than a session may.
    MoveLimit,
}

impl Code {
    pub const ALL: [Code; 36] = [
        Code::Syntax,
        Code::PastedText,
        Code::NotText,
        Code::EmptyFile,
        Code::UnsupportedFormat,
        Code::BadId,
        Code::BadName,
        Code::DuplicateId,
        Code::UnknownNode,
        Code::UnknownState,
        Code::UnknownAsset,
        Code::BadStart,
        Code::Unreachable,
        Code::DeadEnd,
        Code::NoLines,
        Code::NoChoices,
        Code::NoEndings,
        Code::ScoreOutOfRange,
        Code::BadCode,
        Code::BadRange,
        Code::BadBands,
        Code::BadCondition,
        Code::ImpossibleCondition,
        Code::EmptyText,
        Code::NoFeedback,
        Code::NoObjectives,
        Code::AllChoicesConditional,
        Code::EmptyBranch,
        Code::NoCueToNotice,
        Code::NeverOffered,
        Code::NeverReached,
        Code::NoWayOut,
        Code::NeverTrue,
        Code::UnreadFlag,
        Code::UnreadVariable,
        Code::MoveLimit,
    ];

    /// The stable kebab-case name printed as `error[code]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::PastedText => "pasted-text",
            Code::NotText => "not-text",
            Code::EmptyFile => "empty-file",
            Code::UnsupportedFormat => "unsupported-format",
            Code::BadId => "bad-id",
            Code::BadName => "bad-name",
            Code::DuplicateId => "duplicate-id",
            Code::UnknownNode => "unknown-node",
            Code::UnknownState => "unknown-state",
            Code::UnknownAsset => "unknown-asset",
            Code::BadStart => "bad-start",
            Code::Unreachable => "unreachable",
            Code::DeadEnd => "dead-end",
            Code::NoLines => "no-lines",
            Code::NoChoices => "no-choices",
            Code::NoEndings => "no-endings",
            Code::ScoreOutOfRange => "score-out-of-range",
            Code::BadCode => "bad-code",
            Code::BadRange => "bad-range",
            Code::BadBands => "bad-bands",
            Code::BadCondition => "bad-condition",
            Code::ImpossibleCondition => "impossible-condition",
            Code::EmptyText => "empty-text",
            Code::NoFeedback => "no-feedback",
            Code::NoObjectives => "no-objectives",
            Code::AllChoicesConditional => "all-choices-conditional",
            Code::EmptyBranch => "empty-branch",
            Code::NoCueToNotice => "no-cue-to-notice",
            Code::NeverOffered => "never-offered",
            Code::NeverReached => "never-reached",
            Code::NoWayOut => "no-way-out",
            Code::NeverTrue => "never-true",
            Code::UnreadFlag => "unread-flag",
            Code::UnreadVariable => "unread-variable",
            Code::MoveLimit => "move-limit",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
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
    pub code: Code,
    pub message: String,
    /// Where the problem is, with a short note shown under the caret.
    pub primary: Label,
    /// Other places that explain it ("first defined here").
    pub secondary: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>, span: Span) -> Self {
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

    pub fn warning(code: Code, message: impl Into<String>, span: Span) -> Self {
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
        .with_code(d.code.as_str())
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
    pub code: &'static str,
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
        code: d.code.as_str(),
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::Code;

    /// The codes in the first column of the tables under "What `attune check` reports".
    fn documented_codes() -> BTreeSet<String> {
        let doc = include_str!("../../../docs/scenario-format.md");
        let section = doc
            .split("## What `attune check` reports")
            .nth(1)
            .expect("the format doc lists the codes");
        section
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .flat_map(|cell| {
                let first_column = cell.split('|').next().unwrap_or_default();
                first_column
                    .split('`')
                    .step_by(2)
                    .map(|c| c.trim().trim_matches(',').trim().to_owned())
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn every_code_is_documented_and_every_documented_code_exists() {
        let documented = documented_codes();
        let known: BTreeSet<String> = Code::ALL.iter().map(|c| c.as_str().to_owned()).collect();
        let undocumented: Vec<_> = known.difference(&documented).collect();
        let unknown: Vec<_> = documented.difference(&known).collect();
        assert!(
            undocumented.is_empty() && unknown.is_empty(),
            "codes missing from docs/scenario-format.md: {undocumented:?}; documented codes that do not exist: {unknown:?}"
        );
    }

    #[test]
    fn codes_are_distinct_kebab_case() {
        let names: BTreeSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len());
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
    }
}
