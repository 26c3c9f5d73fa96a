//! Reading a scenario file: RON syntax and shape first, then the semantic checks.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ron::error::{Error as RonError, SpannedError};

use crate::assets::AssetCatalog;
use crate::check;
use crate::diagnostics::{Code, Diagnostic, SourceFile};
use crate::limits::{SCENARIO_FILE_BYTES, human_bytes};
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
    if bytes.len() as u64 > SCENARIO_FILE_BYTES {
        // Spans are 32-bit and every check is sized for files people write: refuse, unread.
        return too_large(path, bytes.len() as u64);
    }
    match String::from_utf8(bytes) {
        Ok(text) => load_str(path, text, assets),
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            // The lossy text has the same bytes up to the first invalid one, and U+FFFD in its
            // place: the label covers that whole character, so it is a piece of the text.
            let file = SourceFile::new(path, text);
            let at = Span::new(valid_up_to..valid_up_to + char::REPLACEMENT_CHARACTER.len_utf8());
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

/// Reads and checks a scenario file. Err if it cannot be read, is not a regular file (a folder,
/// a named pipe, a device) or is larger than [`SCENARIO_FILE_BYTES`]: none of those is read.
pub fn load_file(path: &Path, assets: Option<&AssetCatalog>) -> std::io::Result<Loaded> {
    Ok(load_bytes(
        path,
        crate::files::read_limited(path, SCENARIO_FILE_BYTES)?,
        assets,
    ))
}

pub fn load_str(path: impl Into<PathBuf>, text: String, assets: Option<&AssetCatalog>) -> Loaded {
    load_source(SourceFile::new(path, text), assets)
}

fn too_large(path: PathBuf, size: u64) -> Loaded {
    let diagnostic = Diagnostic::error(
        Code::TooLarge,
        format!(
            "this file is {}, larger than the {} a scenario may be",
            human_bytes(size),
            human_bytes(SCENARIO_FILE_BYTES)
        ),
        Span::default(),
    )
    .help("a long scenario is a few hundred kilobytes: is this the right file? Split a very large one into several scenarios");
    Loaded {
        file: SourceFile::new(path, String::new()),
        playable: None,
        diagnostics: vec![diagnostic],
    }
}

/// A UTF-8 byte order mark, which some editors (Notepad, Word's "plain text") put at the start.
const BOM: char = '\u{FEFF}';

pub fn load_source(file: SourceFile, assets: Option<&AssetCatalog>) -> Loaded {
    if file.text.len() as u64 > SCENARIO_FILE_BYTES {
        return too_large(file.path, file.text.len() as u64);
    }
    // A byte order mark at the start is not a mistake: the file is read without it, so lines and
    // columns are the ones an editor shows.
    let file = if file.text.starts_with(BOM) {
        let mut text = file.text;
        text.drain(..BOM.len_utf8());
        SourceFile::new(file.path, text)
    } else {
        file
    };
    match parse_ron(&file) {
        Ok(scenario) => {
            let checked = check::check(scenario, &file.text, assets);
            Loaded {
                file,
                playable: checked.playable.map(Arc::new),
                diagnostics: checked.diagnostics,
            }
        }
        Err(failure) => {
            let diagnostics = match failure {
                None => vec![empty_file()],
                // ron stops at the first error; recovery finds the other syntax mistakes.
                Some(err) => {
                    let first = syntax_diagnostic(&file, &err);
                    crate::recover::syntax_errors(&file, &err, first)
                }
            };
            Loaded {
                file,
                playable: None,
                diagnostics,
            }
        }
    }
}

/// The bare deserialisation, with spans: the floor the loader's speed is measured against.
pub fn parse(file: &SourceFile) -> Result<Scenario, Box<Diagnostic>> {
    parse_ron(file).map_err(|failure| {
        Box::new(match failure {
            None => empty_file(),
            Some(err) => syntax_diagnostic(file, &err),
        })
    })
}

/// Reads another of Attune's RON data files (an exercise) with the scenario's syntax
/// diagnostics: `what` names the kind of file in the message for an empty one, e.g. `exercise`.
/// `Spanned` fields get their positions, as in a scenario.
pub fn parse_data<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
    what: &str,
) -> Result<T, Box<Diagnostic>> {
    if file.text.trim().is_empty() {
        return Err(Box::new(
            Diagnostic::error(
                Code::EmptyFile,
                format!("this {what} file is empty"),
                Span::default(),
            )
            .help(format!(
                "`attune class new` writes a commented {what} file to start from"
            )),
        ));
    }
    with_source(&file.text, || ron_options().from_str::<T>(&file.text))
        .map_err(|err| Box::new(syntax_diagnostic(file, &err)))
}

/// The typed parse; `Err(None)` for an empty file.
fn parse_ron(file: &SourceFile) -> Result<Scenario, Option<SpannedError>> {
    if file.text.trim().is_empty() {
        return Err(None);
    }
    with_source(&file.text, || {
        ron_options().from_str::<Scenario>(&file.text)
    })
    .map_err(Some)
}

fn empty_file() -> Diagnostic {
    Diagnostic::error(
        Code::EmptyFile,
        "this scenario file is empty",
        Span::default(),
    )
    .help("start from the example in docs/scenario-format.md")
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
    if err.code == RonError::IntegerOutOfBounds {
        // ron says "out of bounds" for a negative number where only zero or more fit, too.
        let minus = file.text[..start]
            .trim_end()
            .strip_suffix('-')
            .map(str::len);
        if let Some(minus) = minus.or(file.text[start..].starts_with('-').then_some(start)) {
            return Diagnostic::error(
                Code::Syntax,
                "this number cannot be negative here",
                Span::new(minus..end.max(minus + 1)),
            )
            .help("write a whole number of zero or more");
        }
    }
    if err.code == RonError::ExpectedComma
        && let Some(number) = decimal_in_whole_number(&file.text, start)
    {
        // ron reads `2.5` in a whole-number field as `2`, then wants a comma before `.5`.
        let written = &file.text[number.clone()];
        let whole = written.split('.').next().unwrap_or_default();
        return Diagnostic::error(
            Code::Syntax,
            format!("`{written}` is not a whole number"),
            Span::new(number),
        )
        .help(format!("this field takes a whole number, e.g. `{whole}`"));
    }
    let (message, help) = crate::ron_errors::describe(&err.code);
    let d = Diagnostic::error(Code::Syntax, message, span);
    match help {
        Some(help) => d.help(help),
        None => d,
    }
}

/// `2.5` where a whole number was read up to the `.` at `at`: the whole written number.
fn decimal_in_whole_number(text: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let rest = text.get(at..)?.strip_prefix('.')?;
    let after = rest.bytes().take_while(u8::is_ascii_digit).count();
    let before = text[..at]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    (before > 0 && after > 0).then(|| at - before..at + 1 + after)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::diagnostics::{Style, render};

    const BASE: &str = include_str!("../../../tests/scenarios-ok/broken-base.scenario.ron");

    fn load(text: &str) -> Loaded {
        load_str("t.scenario.ron", text.to_owned(), None)
    }

    /// `text` with each `(from, to)` replaced once.
    fn broken(edits: &[(&str, &str)]) -> String {
        let mut text = BASE.to_owned();
        for (from, to) in edits {
            assert!(text.contains(from), "{from}");
            text = text.replacen(from, to, 1);
        }
        text
    }

    fn short(loaded: &Loaded) -> Vec<String> {
        loaded
            .diagnostics
            .iter()
            .map(|d| render(&loaded.file, d, Style::Short))
            .collect()
    }

    #[test]
    fn the_base_loads() {
        let loaded = load(BASE);
        assert!(loaded.playable.is_some(), "{:?}", short(&loaded));
    }

    #[test]
    fn independent_syntax_mistakes_are_all_reported() {
        let loaded = load(&broken(&[
            ("minutes: 5,", "minutes: 5"),
            ("next: \"guarded\")],", "next: \"guarded\"]],"),
            ("title: \"Heard\",", "title: \"Heard,"),
        ]));
        assert!(loaded.playable.is_none());
        assert_eq!(
            short(&loaded),
            [
                "t.scenario.ron:10:5: error[syntax]: expected a comma here",
                "t.scenario.ron:51:58: error[syntax]: expected `)` to close the `(` on line 51, found `]`",
                "t.scenario.ron:86:20: error[syntax]: this text has no closing quote",
            ]
        );
    }

    #[test]
    fn positions_map_back_to_the_original_text() {
        // Each repair changes the length of the text before the next mistake: curly quotes are
        // three bytes each, the zero-width spaces go, the single quotes get a `\"` inside.
        let text = broken(&[
            ("title: \"Late for work\"", "title: “Late for work”"),
            ("age: 29,", "age:\u{200B}\u{200B} 29,"),
            ("says: [\"My manager", "says: ['He said \"go\". My manager"),
            (
                "manager says one more late and I'm out.\"]",
                "manager says one more late and I'm out.']",
            ),
            ("validating: -1,", "validating: –1"),
            ("next: \"guarded\")],", "next: \"guarded\"]],"),
            ("title: \"Heard\",", "title: \"Heard \\q\","),
        ]);
        let loaded = load(&text);
        let found: Vec<(&str, &str)> = loaded
            .diagnostics
            .iter()
            .map(|d| {
                let span = d.primary.span.range();
                (d.code.as_str(), &text[span])
            })
            .collect();
        assert_eq!(
            found,
            [
                ("pasted-text", "“"),
                ("pasted-text", "\u{200B}"),
                ("syntax", "'"),
                ("pasted-text", "–"),
                ("syntax", ""),
                ("syntax", "]"),
                ("syntax", "\\q"),
            ],
            "{:#?}",
            short(&loaded)
        );
        // Lines and columns are the original ones (the missing comma after `–1` is where it goes).
        let lines: Vec<_> = short(&loaded)
            .into_iter()
            .map(|l| l.split(": error").next().unwrap().to_owned())
            .collect();
        assert_eq!(
            lines,
            [
                "t.scenario.ron:5:12",
                "t.scenario.ron:13:13",
                "t.scenario.ron:29:20",
                "t.scenario.ron:42:42",
                "t.scenario.ron:42:45",
                "t.scenario.ron:51:58",
                "t.scenario.ron:86:27",
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_a_mistake() {
        let loaded = load_bytes(
            "t.scenario.ron",
            format!("\u{FEFF}{BASE}").into_bytes(),
            None,
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", short(&loaded));
        assert!(loaded.playable.is_some());
        // Positions after it are the ones an editor shows.
        let text = format!("\u{FEFF}{}", broken(&[("minutes: 5,", "minutes: 5")]));
        let loaded = load(&text);
        assert_eq!(
            short(&loaded),
            ["t.scenario.ron:10:5: error[syntax]: expected a comma here"]
        );
        let one_line = "\u{FEFF}(format: 1 id: \"x\")";
        assert_eq!(
            short(&load(one_line)),
            ["t.scenario.ron:1:12: error[syntax]: expected a comma here"]
        );
    }

    /// Values of the wrong kind in every kind of field: the messages use the format's words
    /// (text, whole number, list), never ron's or Rust's (`r#3`, `u32`, `Option`, `RawValue`).
    #[test]
    fn wrong_values_are_described_in_the_format_words() {
        let wrong = [
            "3",
            "-3",
            "99999999999",
            "2.5",
            "3,5",
            "\"x\"",
            "true",
            "[1]",
            "(a: 1)",
            "{\"a\": 1}",
            "Some(1)",
            "None",
            "()",
            "x",
        ];
        let fields = [
            "format: 1",
            "difficulty: Introductory",
            "minutes: 5",
            "age: 29",
            "title: \"Late for work\"",
            "objectives: [\"Reflect the worry beneath a practical problem\"]",
            "portrait: \"priya\"",
            "min: 0",
            "emotion: Anxious",
            "validating: 1",
            "carkhuff: 3.0",
            "miti: SimpleReflection",
            "change: {\"trust\": 1}",
            "set: [\"felt_judged\"]",
            "outcome: Engaged",
        ];
        let mut messages = Vec::new();
        for field in fields {
            let name = field.split(':').next().unwrap();
            for value in wrong {
                let loaded = load(&broken(&[(field, &format!("{name}: {value}"))]));
                for d in &loaded.diagnostics {
                    messages.push(format!(
                        "{field} ← {value}: {} {}",
                        d.message,
                        d.help.as_deref().unwrap_or_default()
                    ));
                }
            }
        }
        assert!(messages.len() > 100, "{}", messages.len());
        let rust = [
            "r#",
            "i32",
            "u32",
            "u64",
            "f32",
            "Option",
            "RawValue",
            "struct",
            "std ",
            "identifier",
            "sequence",
        ];
        let leaks: Vec<_> = messages
            .iter()
            .filter(|m| rust.iter().any(|r| m.contains(r)))
            .collect();
        assert!(leaks.is_empty(), "{leaks:#?}");
    }

    #[test]
    fn a_first_error_about_shape_is_reported_alone() {
        // An extra `)` closes `client` early: ron reports a missing field, and the brackets that
        // no longer match later are the same mistake.
        let loaded = load(&broken(&[("age: 29,", "age: 29,)")]));
        assert_eq!(
            short(&loaded),
            ["t.scenario.ron:13:17: error[syntax]: `client` is missing the field `pronouns`"]
        );
    }

    #[test]
    fn recovery_stops_rather_than_cascade() {
        // A stray character with no confident repair: one diagnostic, not a run of them.
        let loaded = load(&broken(&[("title: \"Heard\",", "title: \"Heard\" # hi,")]));
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", short(&loaded));
    }

    #[test]
    fn a_limit_stops_runaway_recovery() {
        // Fields without commas: each missing comma is certain, and each is reported.
        let mut text = String::from("(\n    format: 1\n");
        for i in 0..200 {
            text.push_str(&format!("    field_{i}: \"text {i}\"\n"));
        }
        text.push_str(")\n");
        let started = Instant::now();
        let loaded = load(&text);
        assert_eq!(loaded.diagnostics.len(), crate::recover::MAX_ROUNDS);
        assert!(
            loaded
                .diagnostics
                .iter()
                .all(|d| d.message == "expected a comma here")
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// Deterministic pseudo-random numbers.
    fn xorshift(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    fn assert_sane(text: &str, loaded: &Loaded) {
        assert!(!loaded.diagnostics.is_empty() || loaded.playable.is_some());
        assert!(loaded.diagnostics.len() <= crate::recover::MAX_ROUNDS + 1);
        for d in &loaded.diagnostics {
            let span = d.primary.span.range();
            assert!(
                span.start <= span.end && span.end <= loaded.file.text.len(),
                "{d:?}"
            );
            assert!(
                loaded.file.text.is_char_boundary(span.start),
                "{d:?} in {text:?}"
            );
            assert!(
                loaded.file.text.is_char_boundary(span.end),
                "{d:?} in {text:?}"
            );
            let _ = render(&loaded.file, d, Style::Human { color: false });
        }
    }

    #[test]
    fn random_damage_never_panics() {
        let mut x = 0x9E37_79B9_7F4A_7C15;
        let pieces = [
            "", ",", "(", ")", "[", "]", "{", "}", "\"", "'", ":", "\\", "“", "”", "‘", "’", "–",
            "\u{A0}", "\u{200B}", "\u{FEFF}", "/*", "//", "r#\"", "é", "\n",
        ];
        let started = Instant::now();
        for _ in 0..300 {
            let mut text = BASE.to_owned();
            for _ in 0..1 + xorshift(&mut x) % 6 {
                let mut at = (xorshift(&mut x) as usize) % text.len();
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + (xorshift(&mut x) % 3) as usize).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                let with = pieces[(xorshift(&mut x) as usize) % pieces.len()];
                text.replace_range(at..end, with);
            }
            let loaded = load(&text);
            assert_sane(&text, &loaded);
        }
        assert!(started.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn random_bytes_and_deep_nesting_stay_fast() {
        let mut x = 0x2545_f491_4f6c_dd1d;
        let started = Instant::now();
        for _ in 0..50 {
            let bytes: Vec<u8> = (0..2048).map(|_| xorshift(&mut x) as u8).collect();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let loaded = load(&text);
            assert_sane(&text, &loaded);
        }
        for deep in [
            format!("(format: 1, objectives: {}", "[".repeat(100_000)),
            format!("(format: 1, id: {}", "(".repeat(100_000)),
            format!("(format: 1, id: {}", "])".repeat(50_000)),
            "“".repeat(50_000),
            format!("({}", "a: 1 ".repeat(50_000)),
        ] {
            let loaded = load(&deep);
            assert_sane("deep", &loaded);
        }
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
