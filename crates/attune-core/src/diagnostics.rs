//! Author-facing diagnostics. Every problem with a scenario (syntax or meaning) becomes one
//! [`Diagnostic`]; the CLI and the app render the same text through [`render`].

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::span::{LineIndex, Span, floor_char_boundary};
use crate::text;

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
    /// Larger than [`crate::limits::SCENARIO_FILE_BYTES`].
    TooLarge,
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
    /// More choices, wordings, rules or state names than [`crate::limits`] allows.
    TooMany,
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
    // Teaching quality (`attune lint`, in the attune-author crate): warnings unless `--strict`.
    LongestIsBest,
    OnlyHedgedIsBest,
    QuestionNeverBest,
    NoNearMiss,
    TiedBest,
    SingleReply,
    CueNotNoticed,
    BestNotBestOnSkill,
    CodeContradictsScore,
    EndingContradictsChoices,
    EngagedAfterPoorReplies,
    RandomPlayerDoesWell,
    SameReplyScoredDifferently,
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
    // Exercise files (`*.exercise.ron`, the attune-class crate).
    /// A scenario an exercise names cannot be read.
    UnknownScenario,
    /// A scenario an exercise names has errors, so it cannot be played.
    ScenarioHasErrors,
    /// An exercise setting that cannot work (no attempts, an endpoint that is not a URL).
    BadSetting,
}

impl Code {
    pub const ALL: [Code; 54] = [
        Code::Syntax,
        Code::PastedText,
        Code::NotText,
        Code::EmptyFile,
        Code::TooLarge,
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
        Code::TooMany,
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
        Code::LongestIsBest,
        Code::OnlyHedgedIsBest,
        Code::QuestionNeverBest,
        Code::NoNearMiss,
        Code::TiedBest,
        Code::SingleReply,
        Code::CueNotNoticed,
        Code::BestNotBestOnSkill,
        Code::CodeContradictsScore,
        Code::EndingContradictsChoices,
        Code::EngagedAfterPoorReplies,
        Code::RandomPlayerDoesWell,
        Code::SameReplyScoredDifferently,
        Code::NeverOffered,
        Code::NeverReached,
        Code::NoWayOut,
        Code::NeverTrue,
        Code::UnreadFlag,
        Code::UnreadVariable,
        Code::MoveLimit,
        Code::UnknownScenario,
        Code::ScenarioHasErrors,
        Code::BadSetting,
    ];

    /// The stable kebab-case name printed as `error[code]`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::PastedText => "pasted-text",
            Code::NotText => "not-text",
            Code::EmptyFile => "empty-file",
            Code::TooLarge => "too-large",
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
            Code::TooMany => "too-many",
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
            Code::LongestIsBest => "longest-is-best",
            Code::OnlyHedgedIsBest => "only-hedged-is-best",
            Code::QuestionNeverBest => "question-never-best",
            Code::NoNearMiss => "no-near-miss",
            Code::TiedBest => "tied-best",
            Code::SingleReply => "single-reply",
            Code::CueNotNoticed => "cue-not-noticed",
            Code::BestNotBestOnSkill => "best-not-best-on-skill",
            Code::CodeContradictsScore => "code-contradicts-score",
            Code::EndingContradictsChoices => "ending-contradicts-choices",
            Code::EngagedAfterPoorReplies => "engaged-after-poor-replies",
            Code::RandomPlayerDoesWell => "random-player-does-well",
            Code::SameReplyScoredDifferently => "same-reply-scored-differently",
            Code::NeverOffered => "never-offered",
            Code::NeverReached => "never-reached",
            Code::NoWayOut => "no-way-out",
            Code::NeverTrue => "never-true",
            Code::UnreadFlag => "unread-flag",
            Code::UnreadVariable => "unread-variable",
            Code::MoveLimit => "move-limit",
            Code::UnknownScenario => "unknown-scenario",
            Code::ScenarioHasErrors => "scenario-has-errors",
            Code::BadSetting => "bad-setting",
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

    pub(crate) fn line_index(&self) -> &LineIndex {
        &self.lines
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

/// The file's name as printed: a name with control characters in it cannot steer the terminal.
fn display_path(file: &SourceFile) -> String {
    text::one_line(&file.path.display().to_string()).into_owned()
}

fn render_short(file: &SourceFile, d: &Diagnostic) -> String {
    let (line, col) = file.line_col(d.primary.span.start as usize);
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!(
        "{}:{line}:{col}: {severity}[{}]: {}",
        display_path(file),
        d.code,
        text::show_invisible(&d.message)
    )
}

/// Lines longer than this are not quoted whole (a minified or pasted file can have one line of
/// megabytes); an excerpt around the problem is shown instead.
const LONG_LINE: usize = 400;

fn render_human(file: &SourceFile, d: &Diagnostic, color: bool) -> String {
    let at = floor_char_boundary(&file.text, d.primary.span.start as usize);
    let line_start = file.text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = file.text[at..]
        .find('\n')
        .map_or(file.text.len(), |i| at + i);
    if line_end - line_start > LONG_LINE {
        return render_excerpt(file, d, line_start, line_end);
    }
    use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};

    let labels: Vec<(&Label, bool)> = std::iter::once((&d.primary, true))
        .chain(d.secondary.iter().map(|l| (l, false)))
        .collect();
    let snippet = Snippet::new(file, labels.iter().map(|(l, _)| l.span));
    let labels = labels.into_iter().map(|(l, primary)| {
        let text = (!l.text.is_empty()).then(|| text::show_invisible(&l.text).into_owned());
        let (start, end) = snippet.span(l.span);
        if primary {
            LabeledSpan::new_primary_with_span(text, (start, end - start))
        } else {
            LabeledSpan::new_with_span(text, (start, end - start))
        }
    });
    let mut diagnostic = MietteDiagnostic::new(text::show_invisible(&d.message))
        .with_code(d.code.as_str())
        .with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
        .with_labels(labels);
    if let Some(help) = &d.help {
        diagnostic = diagnostic.with_help(glue_code_spans(&text::show_invisible(help)));
    }
    let report = miette::Report::new(diagnostic).with_source_code(snippet);
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_context_lines(CONTEXT_LINES)
        // Lines break at spaces only, and never inside `code` (see `glue_code_spans`), so a
        // path, an id or a whole `attune play …` command in help survives copy and paste.
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        // Rendering only fails on a formatter error; the short form still says everything.
        let _ = write!(out, "{}", render_short(file, d));
    }
    out.replace(GLUE, " ")
}

/// Stands in for a space inside `code` while help is wrapped, so no line breaks there.
const GLUE: char = '\u{00A0}';

/// The help text with the spaces inside backticks glued; `render_human` turns them back.
fn glue_code_spans(help: &str) -> String {
    let mut inside = false;
    help.chars()
        .map(|c| {
            if c == '`' {
                inside = !inside;
            }
            if inside && c == ' ' { GLUE } else { c }
        })
        .collect()
}

/// Lines shown above and below each labelled line.
const CONTEXT_LINES: usize = 1;

/// The source as the human format shows it: only the lines around the labels (the others are
/// left empty, so line numbers stay right and a huge file costs a newline per line), with
/// control and invisible characters written as `⟨U+200B⟩` so that the author can see them. The
/// header's column is the character column in the original line, as in the other formats.
struct Snippet {
    name: String,
    text: String,
    /// Each label's start and end, in the original text and in `text`.
    mapped: Vec<(Span, (usize, usize))>,
    /// The 0-based character column in the original text at each label's start in `text`.
    columns: Vec<(usize, usize)>,
}

impl Snippet {
    fn new(file: &SourceFile, spans: impl Iterator<Item = Span> + Clone) -> Snippet {
        let source = &file.text;
        let index = file.line_index();
        let starts = index.line_starts();
        let floor = |offset: u32| floor_char_boundary(source, offset as usize);
        let mut shown = vec![false; starts.len()];
        for span in spans.clone() {
            let first = index
                .line_of(floor(span.start))
                .saturating_sub(CONTEXT_LINES);
            let last = (index.line_of(floor(span.end.max(span.start))) + CONTEXT_LINES)
                .min(starts.len() - 1);
            shown[first..=last].fill(true);
        }
        // Original offset → offset in the shown text, for the label ends (sorted, deduplicated).
        let mut wanted: Vec<usize> = spans
            .clone()
            .flat_map(|s| [floor(s.start), floor(s.end.max(s.start))])
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut wanted = wanted.into_iter().peekable();
        let mut found = Vec::new();
        let mut text = String::new();
        for (line, &start) in starts.iter().enumerate() {
            let end = starts.get(line + 1).copied().unwrap_or(source.len());
            if !shown[line] {
                while wanted.next_if(|&w| w < end).is_some() {}
                if source[start..end].ends_with('\n') {
                    text.push('\n');
                }
                continue;
            }
            let mut chars = source[start..end].char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                while let Some(w) = wanted.next_if(|&w| w <= start + i) {
                    found.push((w, text.len()));
                }
                let keep = !text::is_control(c) && !text::is_invisible(c)
                    // A Windows line ending is a line ending.
                    || (c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n'));
                if keep {
                    text.push(c);
                } else {
                    text.push_str(&text::code_point(c));
                }
            }
        }
        found.extend(wanted.map(|w| (w, text.len())));
        let at = |offset: usize| {
            found
                .binary_search_by_key(&offset, |&(w, _)| w)
                .map_or(text.len(), |i| found[i].1)
        };
        let mapped: Vec<_> = spans
            .map(|s| {
                let (start, end) = (floor(s.start), floor(s.end.max(s.start)));
                (s, (at(start), at(end)))
            })
            .collect();
        let columns = mapped
            .iter()
            .map(|&(s, (shown_start, _))| (shown_start, file.line_col(s.start as usize).1 - 1))
            .collect();
        Snippet {
            name: display_path(file),
            text,
            mapped,
            columns,
        }
    }

    /// Where a label's span lies in the shown text.
    fn span(&self, span: Span) -> (usize, usize) {
        self.mapped
            .iter()
            .find(|(s, _)| *s == span)
            .map_or((self.text.len(), self.text.len()), |&(_, shown)| shown)
    }
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        // miette counts the column in bytes of the shown text; the author's editor counts
        // characters of the original.
        let column = match self.columns.iter().find(|(at, _)| *at == span.offset()) {
            Some(&(_, column)) if before == 0 => column,
            _ => inner.column(),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

fn render_excerpt(file: &SourceFile, d: &Diagnostic, line_start: usize, line_end: usize) -> String {
    let at = floor_char_boundary(&file.text, d.primary.span.start as usize);
    let floor = |i: usize| floor_char_boundary(&file.text, i);
    let from = floor(at.saturating_sub(60).max(line_start));
    let to = floor((at + 60).min(line_end));
    let before = text::show_invisible(&file.text[from..at]);
    let after = text::show_invisible(&file.text[at..to]);
    let caret = before.chars().count();
    let mut out = render_short(file, d);
    let _ = write!(out, "\n  … {before}{after} …\n    {}^", " ".repeat(caret));
    if let Some(help) = &d.help {
        let _ = write!(out, "\n  help: {}", text::show_invisible(help));
    }
    out
}

/// The JSON shape of a diagnostic for `--format json`. Lines and columns are 1-based, columns
/// in characters; invisible and control characters in the text are written as `⟨U+200B⟩`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub file: String,
    pub severity: Severity,
    pub code: &'static str,
    pub message: Cow<'a, str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub label: Cow<'a, str>,
    pub help: Option<Cow<'a, str>>,
    pub related: Vec<JsonLabel<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel<'a> {
    pub line: usize,
    pub column: usize,
    pub text: Cow<'a, str>,
}

pub fn to_json<'a>(file: &SourceFile, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let (line, column) = file.line_col(d.primary.span.start as usize);
    let (end_line, end_column) = file.line_col(d.primary.span.end as usize);
    JsonDiagnostic {
        file: file.path.display().to_string(),
        severity: d.severity,
        code: d.code.as_str(),
        message: text::show_invisible(&d.message),
        line,
        column,
        end_line,
        end_column,
        label: text::show_invisible(&d.primary.text),
        help: d.help.as_deref().map(text::show_invisible),
        related: d
            .secondary
            .iter()
            .map(|l| {
                let (line, column) = file.line_col(l.span.start as usize);
                JsonLabel {
                    line,
                    column,
                    text: text::show_invisible(&l.text),
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

    use super::{Diagnostic, SourceFile, Style, render, to_json};
    use crate::span::Span;

    fn human(text: &str, d: &Diagnostic) -> String {
        render(
            &SourceFile::new("t.scenario.ron", text.to_owned()),
            d,
            Style::Human { color: false },
        )
    }

    /// `line:col` as each format prints it.
    fn positions(text: &str, d: &Diagnostic) -> [String; 3] {
        let file = SourceFile::new("t.scenario.ron", text.to_owned());
        let short = render(&file, d, Style::Short);
        let human = human(text, d);
        let json = to_json(&file, d);
        [
            short
                .split(": ")
                .next()
                .unwrap()
                .trim_start_matches("t.scenario.ron:")
                .to_owned(),
            human
                .split("[t.scenario.ron:")
                .nth(1)
                .and_then(|r| r.split(']').next())
                .unwrap_or_default()
                .to_owned(),
            format!("{}:{}", json.line, json.column),
        ]
    }

    #[test]
    fn every_format_counts_columns_in_characters() {
        // Before `next`: curly quotes (3 bytes each), an accent (2) and an emoji (4).
        let text = "(\n    title: “Café ☕”, next: \"haerd\",\n)\n";
        let at = text.find("\"haerd\"").unwrap();
        let d = Diagnostic::error(Code::UnknownNode, "no such node", Span::new(at..at + 7));
        // Its opening quote is the 28th character of the line (and its 35th byte).
        assert_eq!(
            positions(text, &d),
            ["2:28", "2:28", "2:28"].map(String::from)
        );
    }

    #[test]
    fn invisible_and_control_characters_are_shown_in_snippets_and_messages() {
        let text = "(\n    next: \"wor\u{200B}ry\", title: \"\u{1b}[2J\u{202E}\",\n)\n";
        let at = text.find("\"wor").unwrap();
        let end = at + "\"wor\u{200B}ry\"".len();
        let d = Diagnostic::error(
            Code::UnknownNode,
            "there is no node with the id `wor\u{200B}ry`",
            Span::new(at..end),
        )
        .label("leads nowhere");
        let out = human(text, &d);
        assert!(out.contains("`wor⟨U+200B⟩ry`"), "{out}");
        assert!(
            out.contains(r#"next: "wor⟨U+200B⟩ry", title: "⟨U+001B⟩[2J⟨U+202E⟩","#),
            "{out}"
        );
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202E}'),
            "{out}"
        );
        // The label underlines the whole shown id, escapes included.
        let underline = out.lines().find(|l| l.contains('┬')).unwrap();
        assert_eq!(
            underline.matches('─').count() + underline.matches('┬').count(),
            15,
            "{out}"
        );
        // The header's column is the author's: the 11th character, not a byte count.
        assert!(out.contains("[t.scenario.ron:2:11]"), "{out}");
        let file = SourceFile::new("t.scenario.ron", text.to_owned());
        assert_eq!(
            to_json(&file, &d).message,
            "there is no node with the id `wor⟨U+200B⟩ry`"
        );
    }

    #[test]
    fn a_span_inside_a_character_is_moved_to_its_start() {
        let text = "(id: \"é\")\n";
        let inside = text.find('é').unwrap() + 1;
        let d = Diagnostic::error(Code::BadId, "bad", Span::new(inside..inside + 1))
            .also(Span::new(inside..text.len() + 10), "and here");
        for style in [Style::Short, Style::Human { color: false }] {
            let out = render(
                &SourceFile::new("t.scenario.ron", text.to_owned()),
                &d,
                style,
            );
            assert!(out.contains("1:7"), "{out}");
        }
        // A span that ends before it starts, lines apart: no panic, the start line is shown.
        let text = "(\n a: 1,\n b: 2,\n c: 3,\n d: 4,\n)\n";
        let backwards = Span {
            start: text.find("d:").unwrap() as u32,
            end: 2,
        };
        let d = Diagnostic::error(Code::Syntax, "odd", backwards);
        let out = human(text, &d);
        assert!(
            out.contains("[t.scenario.ron:5:2]") && out.contains("d: 4"),
            "{out}"
        );
    }

    #[test]
    fn lines_far_from_the_problem_are_not_copied() {
        // A file of 100,000 lines: the snippet holds the lines around the label only.
        let mut text = String::from("(\n");
        for i in 0..100_000 {
            text.push_str(&format!("    // filler line {i}\n"));
        }
        text.push_str("    next: \"x\",\n)\n");
        let at = text.find("\"x\"").unwrap();
        let d = Diagnostic::error(Code::UnknownNode, "no such node", Span::new(at..at + 3));
        let out = human(&text, &d);
        assert!(out.contains("[t.scenario.ron:100002:11]"), "{out}");
        assert!(
            out.contains("filler line 99999") && !out.contains("filler line 99998"),
            "{out}"
        );
    }

    #[test]
    fn commands_in_help_are_never_split_across_lines() {
        let command = "attune play scenarios/a-long-name.scenario.ron --choices first.one,second-node.two,third.three,fourth.four";
        let file = super::SourceFile::new("a.scenario.ron", "(id: \"a\")".to_owned());
        let d = super::Diagnostic::warning(Code::TiedBest, "m", super::Span::new(5..8)).help(
            format!("a sentence long enough to push what follows to the end of the line: `{command}`, then more words"),
        );
        let out = super::render(&file, &d, super::Style::Human { color: false });
        assert!(out.contains(command), "{out}");
        assert!(!out.contains(super::GLUE), "{out}");
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
