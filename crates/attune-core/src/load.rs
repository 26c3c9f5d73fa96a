//! Reading a scenario file: RON syntax and shape first, then the semantic checks.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ron::error::{Error as RonError, SpannedError};

use crate::assets::AssetCatalog;
use crate::check;
use crate::diagnostics::{Code, Diagnostic, SourceFile};
use crate::model::{Scenario, ron_options};
use crate::playable::Playable;
use crate::span::{Span, with_source};

/// A scenario file after loading: the playable scenario if it has no errors, and everything
/// found.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub file: SourceFile,
    pub playable: Option<Arc<Playable>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Loads and checks a scenario from its bytes. Never panics on any input.
pub fn load_bytes(
    path: impl Into<PathBuf>,
    bytes: Vec<u8>,
    assets: Option<&AssetCatalog>,
) -> Loaded {
    let path = path.into();
    match String::from_utf8(bytes) {
        Ok(text) => load_str(path, text, assets),
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            // The lossy text has the same bytes up to the first invalid one.
            let file = SourceFile::new(path, text);
            let at = Span::new(valid_up_to..valid_up_to + 1);
            let diagnostic = Diagnostic::error(Code::NotText, "this file is not UTF-8 text", at)
                .label("this byte is not part of any character")
                .help("scenario files are plain text: save it as UTF-8 from a text editor");
            Loaded {
                file,
                playable: None,
                diagnostics: vec![diagnostic],
            }
        }
    }
}

pub fn load_file(path: &Path, assets: Option<&AssetCatalog>) -> std::io::Result<Loaded> {
    Ok(load_bytes(path, std::fs::read(path)?, assets))
}

pub fn load_str(path: impl Into<PathBuf>, text: String, assets: Option<&AssetCatalog>) -> Loaded {
    load_source(SourceFile::new(path, text), assets)
}

pub fn load_source(file: SourceFile, assets: Option<&AssetCatalog>) -> Loaded {
    match parse(&file) {
        Ok(scenario) => {
            let checked = check::check(scenario, &file.text, assets);
            Loaded {
                file,
                playable: checked.playable.map(Arc::new),
                diagnostics: checked.diagnostics,
            }
        }
        Err(diagnostic) => Loaded {
            file,
            playable: None,
            diagnostics: vec![*diagnostic],
        },
    }
}

/// The bare deserialisation, with spans: the floor the loader's speed is measured against.
pub fn parse(file: &SourceFile) -> Result<Scenario, Box<Diagnostic>> {
    if file.text.trim().is_empty() {
        return Err(Box::new(
            Diagnostic::error(
                Code::EmptyFile,
                "this scenario file is empty",
                Span::default(),
            )
            .help("start from the example in docs/scenario-format.md"),
        ));
    }
    with_source(&file.text, || {
        ron_options().from_str::<Scenario>(&file.text)
    })
    .map_err(|err| Box::new(syntax_diagnostic(file, &err)))
}

fn syntax_diagnostic(file: &SourceFile, err: &SpannedError) -> Diagnostic {
    if err.code == RonError::ExpectedRawValue
        && let Some((message, span)) = crate::span::take_raw_error()
    {
        return Diagnostic::error(Code::Syntax, message, span);
    }
    let start = file.offset(err.span.start.line, err.span.start.col);
    let end = file.offset(err.span.end.line, err.span.end.col).max(start);
    let span = Span::new(start..end);
    let (message, help) = describe(&err.code);
    let d = Diagnostic::error(Code::Syntax, message, span);
    match help {
        Some(help) => d.help(help),
        None => d,
    }
}

/// Rust type names in ron's errors, in the words the format documentation uses.
fn thing(rust_name: &str) -> &str {
    match rust_name {
        "Scenario" => "the scenario",
        "Client" => "`client`",
        "State" => "`state`",
        "Variable" => "a state variable",
        "ClientNode" | "Client(...)" => "a `Client` node",
        "BranchNode" | "Branch(...)" => "a `Branch` node",
        "Rule" => "a branch rule",
        "Choice" => "a choice",
        "SkillScores" => "`scores`",
        "Codes" => "`codes`",
        "Ending" => "an ending",
        "BandThresholds" => "`bands`",
        other => other,
    }
}

fn one_of(options: &[&str]) -> String {
    options
        .iter()
        .map(|o| format!("`{o}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(code: &RonError) -> (String, Option<String>) {
    use RonError as E;
    let plain = |m: &str| (m.to_owned(), None);
    match code {
        E::Eof => (
            "the file ends too early".into(),
            Some("a bracket or quote is probably not closed".into()),
        ),
        E::ExpectedComma => (
            "expected a comma here".into(),
            Some("separate fields and list items with commas (if text in quotes comes just before, check that its closing quote is there)".into()),
        ),
        E::ExpectedArray => plain("expected a list in square brackets `[...]`"),
        E::ExpectedArrayEnd => (
            "expected `]` to close the list".into(),
            Some("check for a missing comma or bracket between the items".into()),
        ),
        E::ExpectedMap => plain("expected a map in curly brackets, e.g. `{\"trust\": 1}`"),
        E::ExpectedMapColon => plain("expected `:` between a map key and its value"),
        E::ExpectedMapEnd => plain("expected `}` to close the map"),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => {
            plain("expected a group of fields in round brackets `(...)`")
        }
        E::ExpectedStructLikeEnd => (
            "expected `)` to close this group of fields".into(),
            Some("check for a missing comma or an extra bracket".into()),
        ),
        E::ExpectedDifferentStructName { expected, found } => {
            (format!("expected `{expected}` here, found `{found}`"), None)
        }
        E::ExpectedString | E::ExpectedStringEnd => (
            "expected text in double quotes".into(),
            Some("write text like \"this\"; a quote inside text is written \\\"".into()),
        ),
        E::ExpectedInteger => plain("expected a whole number"),
        E::ExpectedFloat => plain("expected a number"),
        E::ExpectedBoolean => plain("expected `true` or `false`"),
        E::ExpectedOption => plain("expected a value or `None`"),
        E::ExpectedIdentifier => plain("expected a field name"),
        E::InvalidEscape(what) => (
            format!("invalid escape in text: {what}"),
            Some("write a backslash as \\\\ and a quote as \\\"".into()),
        ),
        E::IntegerOutOfBounds => plain("this number is too large"),
        E::UnexpectedChar(c) => (format!("unexpected `{c}`"), None),
        E::TrailingCharacters => (
            "unexpected text after the end of the scenario".into(),
            Some("the whole scenario is one `( ... )`; check for an extra closing bracket".into()),
        ),
        E::UnclosedBlockComment => plain("a `/*` comment is never closed with `*/`"),
        E::UnclosedLineComment => plain("a `//` comment runs to the end of the file"),
        E::ExceededRecursionLimit => (
            "brackets are nested too deeply".into(),
            Some("a scenario never needs more than a few levels of brackets".into()),
        ),
        E::InvalidValueForType { expected, found } => {
            (format!("expected {expected}, found {found}"), None)
        }
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => {
            let whose = outer.as_deref().map(thing).unwrap_or("this group");
            let mut help = format!("{whose} has the fields {}", one_of(expected));
            if let Some(near) = crate::suggest::nearest(found, expected.iter().copied()) {
                help = format!("did you mean `{near}`? {help}");
            }
            (format!("unknown field `{found}` in {whose}"), Some(help))
        }
        E::MissingStructField { field, outer } => {
            let whose = outer.as_deref().map(thing).unwrap_or("this group");
            (
                format!("{whose} is missing the field `{field}`"),
                Some(format!("add `{field}: ...` (see docs/scenario-format.md)")),
            )
        }
        E::DuplicateStructField { field, outer } => {
            let whose = outer.as_deref().map(thing).unwrap_or("this group");
            (
                format!("the field `{field}` appears twice in {whose}"),
                Some("keep one of them".into()),
            )
        }
        E::NoSuchEnumVariant {
            expected, found, ..
        } => {
            let mut help = format!("choose one of {}", one_of(expected));
            if found.starts_with(|c: char| c.is_ascii_lowercase()) {
                help = format!(
                    "{help}; if `{found}` starts the next field, a closing bracket is missing before it"
                );
            }
            if let Some(near) = crate::suggest::nearest(found, expected.iter().copied()) {
                help = format!("did you mean `{near}`? {help}");
            }
            (
                format!("`{found}` is not one of the allowed values here"),
                Some(help),
            )
        }
        E::Message(m) => (m.clone(), None),
        other => (other.to_string(), None),
    }
}
