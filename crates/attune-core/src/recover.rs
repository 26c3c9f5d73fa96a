//! Finding every syntax mistake in one run, not just the first.
//!
//! ron stops at the first error. After it, this module repairs the offending token in a copy of
//! the text (inserts the missing comma, straightens a curly quote, closes the bracket, drops a
//! stray character, ...) and parses the copy again, up to [`MAX_ROUNDS`] times, reporting each
//! mistake at its position in the original text. The copy is parsed as untyped RON, so only the
//! syntax is checked: a file with syntax errors is never checked for meaning.
//!
//! A repair that is certain (a curly quote, an invisible space, a dash used as a minus sign, a bad
//! escape) is simply made. A repair that is a guess (a missing comma or bracket, a stray
//! character) must prove itself: the parse after it has to finish or get past the line of the
//! mistake, or recovery stops rather than report mistakes that the guess itself caused.
//!
//! This runs only after a first error, so loading a correct file costs nothing extra.

use std::ops::Range;

use ron::error::{Error as RonError, Position, SpannedError};
use serde::de::IgnoredAny;

use crate::diagnostics::{Code, Diagnostic, SourceFile};
use crate::span::Span;

/// At most this many syntax diagnostics per file.
pub const MAX_ROUNDS: usize = 20;

/// Re-parsing stops once this many bytes have been parsed in all (a huge file gets fewer rounds).
const BUDGET_BYTES: usize = 256 << 20;

/// All syntax diagnostics for a file whose typed parse failed with `first` (already described as
/// `first_diagnostic`). If that first error is not a syntax error (an unknown field, say), it is
/// the only one reported, as there is nothing to repair.
pub(crate) fn syntax_errors(
    file: &SourceFile,
    first: &SpannedError,
    first_diagnostic: Diagnostic,
) -> Vec<Diagnostic> {
    let first_point = point(&file.text, first.span.start);
    let mut repaired = Repaired {
        text: file.text.as_str().to_owned(),
        edits: Vec::new(),
    };
    let mut budget = BUDGET_BYTES.saturating_sub(file.text.len());
    let mut result = parse_untyped(&repaired.text);
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut last_point = None;
    while let Err(err) = result {
        let at = point(&repaired.text, err.span.start);
        let original_at = repaired.original(at);
        match last_point {
            // The untyped parse fails elsewhere (or not at all): the first error is about shape.
            None if original_at != first_point => break,
            // A repair that does not get the parser any further is no repair.
            Some(last) if original_at <= last => break,
            _ => {}
        }
        let previous_point = last_point.replace(original_at);

        let candidates = findings(&repaired.text, &err, at);
        let mut chosen: Option<(usize, Repaired, Result<(), SpannedError>)> = None;
        let mut best_reach = 0;
        for (i, finding) in candidates.iter().enumerate() {
            if finding.fix.is_empty() || budget < repaired.text.len() {
                continue;
            }
            budget -= repaired.text.len();
            let mut trial = repaired.clone();
            trial.apply(&finding.fix);
            let next = parse_untyped(&trial.text);
            let reach = match &next {
                Ok(()) => usize::MAX,
                Err(e) => trial.original(point(&trial.text, e.span.start)),
            };
            if finding.sure {
                chosen = Some((i, trial, next));
                break;
            }
            if chosen.is_none() || reach > best_reach {
                best_reach = reach;
                chosen = Some((i, trial, next));
            }
        }
        // A guess must prove itself: the parse after it finishes, or gets at least a line past
        // the line of the mistake (a wrong guess usually fails again at once).
        if let Some((i, _, _)) = &chosen
            && !candidates[*i].sure
            && best_reach != usize::MAX
            && file.line_col(best_reach).0 <= file.line_col(original_at).0 + 1
        {
            chosen = None;
        }

        let said = match &chosen {
            Some((i, _, _)) => candidates[*i].says.as_ref(),
            None => candidates.first().and_then(|f| f.says.as_ref()),
        };
        let diagnostic = match said {
            Some(said) => {
                let span = repaired.original_span(said.span.clone());
                Diagnostic::error(said.code, said.message.clone(), span).help(said.help.clone())
            }
            None if out.is_empty() => first_diagnostic.clone(),
            None => {
                let start = offset(&repaired.text, err.span.start);
                let end = offset(&repaired.text, err.span.end).max(start);
                let (message, help) = crate::ron_errors::describe(&err.code);
                let d =
                    Diagnostic::error(Code::Syntax, message, repaired.original_span(start..end));
                match help {
                    Some(help) => d.help(help),
                    None => d,
                }
            }
        };
        // A mistake found where an earlier repair was made is that repair's doing.
        if let Some(previous) = previous_point
            && diagnostic.primary.span.start as usize <= previous
        {
            break;
        }
        out.push(diagnostic);

        match chosen {
            Some((_, next_text, next)) if out.len() < MAX_ROUNDS => {
                repaired = next_text;
                result = next;
            }
            _ => break,
        }
    }
    if out.is_empty() {
        return vec![first_diagnostic];
    }
    out.sort_by_key(|d| d.primary.span.start);
    out
}

fn parse_untyped(text: &str) -> Result<(), SpannedError> {
    crate::model::ron_options()
        .from_str::<IgnoredAny>(text)
        .map(drop)
}

/// A change to the text: `removed` bytes at `at` were replaced by `inserted` bytes.
#[derive(Debug, Clone, Copy)]
struct Edit {
    at: usize,
    removed: usize,
    inserted: usize,
}

/// The repaired copy of the text, with the edits that map its offsets back to the original.
#[derive(Debug, Clone)]
struct Repaired {
    text: String,
    edits: Vec<Edit>,
}

impl Repaired {
    /// The original offset of an offset in the repaired text (inserted text maps to where it was
    /// inserted).
    fn original(&self, mut at: usize) -> usize {
        for edit in self.edits.iter().rev() {
            if at >= edit.at + edit.inserted {
                at = at - edit.inserted + edit.removed;
            } else if at > edit.at {
                at = edit.at;
            }
        }
        at
    }

    fn original_span(&self, range: Range<usize>) -> Span {
        let start = self.original(range.start);
        let end = self.original(range.end).max(start);
        Span::new(start..end)
    }

    /// Makes non-overlapping replacements, given in any order.
    fn apply(&mut self, fix: &[(Range<usize>, String)]) {
        let mut fix: Vec<_> = fix.iter().collect();
        fix.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
        for (range, with) in fix {
            self.text.replace_range(range.clone(), with);
            self.edits.push(Edit {
                at: range.start,
                removed: range.len(),
                inserted: with.len(),
            });
        }
    }
}

/// What was found at an error, and how to repair it.
#[derive(Debug)]
struct Finding {
    /// `None`: ron's own description of the error.
    says: Option<Said>,
    /// Replacements in the repaired text; empty when there is no repair.
    fix: Vec<(Range<usize>, String)>,
    /// A certain repair, made without having to prove itself.
    sure: bool,
}

#[derive(Debug)]
struct Said {
    code: Code,
    message: String,
    help: String,
    /// In the repaired text.
    span: Range<usize>,
}

fn said(code: Code, span: Range<usize>, message: String, help: &str) -> Option<Said> {
    Some(Said {
        code,
        message,
        help: help.to_owned(),
        span,
    })
}

/// `3,5` where a name was expected at `at` (the `5`): the number with its decimal comma, and
/// where the comma is. A space after the comma (`3, 5`) is a list, not a decimal.
fn decimal_comma(text: &str, at: usize) -> Option<(Range<usize>, usize)> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let after = digits(&text[at..]);
    let comma = at.checked_sub(1)?;
    if after == 0 || text.as_bytes()[comma] != b',' {
        return None;
    }
    let before = text[..comma]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    (before > 0).then(|| (comma - before..at + after, comma))
}

fn guess(fix: Vec<(Range<usize>, String)>) -> Finding {
    Finding {
        says: None,
        fix,
        sure: false,
    }
}

/// Byte offset of a ron position (1-based line, column in characters).
fn offset(text: &str, at: Position) -> usize {
    let mut start = 0;
    for _ in 1..at.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    text[start..]
        .char_indices()
        .nth(at.col.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

/// The whitespace ron skips between tokens.
fn is_ron_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | '\x0B'
            | '\x0C'
            | '\u{85}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Where an error is: its position, past any whitespace (ron's spans sometimes start before it).
fn point(text: &str, at: Position) -> usize {
    let at = offset(text, at);
    at + text[at..].len() - text[at..].trim_start_matches(is_ron_space).len()
}

fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

fn findings(text: &str, err: &SpannedError, at: usize) -> Vec<Finding> {
    let c = text[at..].chars().next();
    if let Some(c) = c {
        if let Some(finding) = pasted(text, at, c) {
            return vec![finding];
        }
        if c == '\'' {
            return vec![single_quoted(text, at)];
        }
    }
    if matches!(
        err.code,
        RonError::SuggestRawIdentifier(_) | RonError::ExpectedIdentifier
    ) && let Some((number, comma)) = decimal_comma(text, at)
    {
        let written = &text[number.clone()];
        let help = format!(
            "write decimals with a point: `{}` (a comma ends the value)",
            written.replacen(',', ".", 1)
        );
        return vec![Finding {
            says: said(
                Code::Syntax,
                number,
                format!("`{written}` has a decimal comma"),
                &help,
            ),
            fix: vec![(comma..comma + 1, ".".into())],
            sure: true,
        }];
    }
    match &err.code {
        RonError::InvalidEscape(_) => bad_escape(text, offset(text, err.span.start))
            .into_iter()
            .collect(),
        RonError::ExpectedComma
        | RonError::ExpectedArrayEnd
        | RonError::ExpectedStructLikeEnd
        | RonError::ExpectedMapEnd => after_value(text, at, c),
        RonError::ExpectedMapColon => {
            let at = offset(text, err.span.start);
            vec![guess(vec![(at..at, ":".into())])]
        }
        RonError::ExpectedIdentifier
            if c == Some(',')
                && scan(text, at)
                    .last
                    .is_some_and(|t| t.kind == Kind::Punct(b',')) =>
        {
            vec![Finding {
                says: said(
                    Code::Syntax,
                    at..at + 1,
                    "two commas in a row".into(),
                    "remove one of them",
                ),
                fix: vec![(at..at + 1, String::new())],
                sure: true,
            }]
        }
        RonError::UnexpectedChar(ch) if text[at..].starts_with(*ch) => {
            vec![guess(vec![(at..at + ch.len_utf8(), String::new())])]
        }
        _ => Vec::new(),
    }
}

const PASTED_HELP: &str = "this usually comes from text pasted out of Word or Google Docs";

/// Word and Google Docs artefacts outside text: curly quotes, invisible spaces, dashes as minus signs.
fn pasted(text: &str, at: usize, c: char) -> Option<Finding> {
    if let Some((name, width)) = invisible(c) {
        // One mistake: the whole run of invisible characters (with any spaces between them).
        let mut run_end = at;
        for (i, ch) in text[at..].char_indices() {
            if invisible(ch).is_some() {
                run_end = at + i + ch.len_utf8();
            } else if ch != ' ' && ch != '\t' {
                break;
            }
        }
        let message = if width {
            format!("this is {name}, not an ordinary space")
        } else {
            format!("there is an invisible character here: {name}")
        };
        let help = if width {
            format!("{PASTED_HELP}: delete it and type an ordinary space")
        } else {
            format!(
                "{PASTED_HELP}: it cannot be seen, so delete the characters around this place and type them again"
            )
        };
        let replacement: String = text[at..run_end]
            .chars()
            .filter_map(|ch| match invisible(ch) {
                Some((_, true)) => Some(' '),
                Some((_, false)) => None,
                None => Some(ch),
            })
            .collect();
        return Some(Finding {
            says: said(Code::PastedText, at..at + c.len_utf8(), message, &help),
            fix: vec![(at..run_end, replacement)],
            sure: true,
        });
    }
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' => Some(quoted(
            text,
            at,
            &['\u{201C}', '\u{201D}'],
            &['"'],
            Code::PastedText,
            "text goes in straight double quotes \"like this\", not curly quotes “ ”".into(),
            &format!("{PASTED_HELP}: type both quotes again as \" (or turn off \"smart quotes\")"),
        )),
        '\u{2018}' | '\u{2019}' | '\u{201A}' => Some(quoted(
            text,
            at,
            &['\u{2018}', '\u{2019}'],
            &['\''],
            Code::PastedText,
            "text goes in straight double quotes \"like this\", not curly single quotes ‘ ’".into(),
            &format!("{PASTED_HELP}: type both quotes again as \" (or turn off \"smart quotes\")"),
        )),
        _ => {
            let name = dash(c)?;
            let after = &text[at + c.len_utf8()..];
            if !after.starts_with(|d: char| d.is_ascii_digit() || d == '.') {
                return None;
            }
            Some(Finding {
                says: said(
                    Code::PastedText,
                    at..at + c.len_utf8(),
                    format!("{name} is not a minus sign"),
                    "write a negative number with the ordinary minus key, e.g. -2 (Word and Google Docs turn - into a dash)",
                ),
                fix: vec![(at..at + c.len_utf8(), "-".into())],
                sure: true,
            })
        }
    }
}

/// The name of an invisible or unusual space (with its code point, so that it can be found),
/// and whether it takes up room.
fn invisible(c: char) -> Option<(String, bool)> {
    let (name, width) = match c {
        '\u{00A0}' => ("a non-breaking space", true),
        '\u{202F}' => ("a narrow non-breaking space", true),
        '\u{2007}' => ("a figure space", true),
        '\u{2009}' => ("a thin space", true),
        '\u{200A}' => ("a hair space", true),
        '\u{2002}' => ("an en space", true),
        '\u{2003}' => ("an em space", true),
        '\u{2004}'..='\u{2006}' | '\u{2008}' | '\u{205F}' | '\u{3000}' | '\u{1680}' => {
            ("an unusual space", true)
        }
        '\u{200B}' => ("a zero-width space", false),
        '\u{200C}' => ("a zero-width non-joiner", false),
        '\u{200D}' => ("a zero-width joiner", false),
        '\u{2060}' => ("a word joiner", false),
        '\u{FEFF}' => ("a zero-width no-break space", false),
        '\u{00AD}' => ("a soft hyphen", false),
        _ => return None,
    };
    Some((format!("{name} (U+{:04X})", c as u32), width))
}

fn dash(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2013}' => "an en dash (–)",
        '\u{2014}' => "an em dash (—)",
        '\u{2012}' => "a figure dash (‒)",
        '\u{2212}' => "a typographic minus sign (−, U+2212)",
        '\u{2010}' => "a typographic hyphen (U+2010)",
        '\u{2011}' => "a non-breaking hyphen (U+2011)",
        _ => return None,
    })
}

/// Text in the wrong quotes, opening at `at`: both quotes become `"` (and any `"` between them
/// `\"`). The closing quote is on the same line: one of `curly`, or else one of `plain`, followed
/// by the end of the value.
fn quoted(
    text: &str,
    at: usize,
    curly: &[char],
    plain: &[char],
    code: Code,
    message: String,
    help: &str,
) -> Finding {
    let open_len = text[at..].chars().next().map_or(1, char::len_utf8);
    let from = at + open_len;
    let line = &text[from..line_end(text, from)];
    let closer = |quotes: &[char]| {
        line.char_indices()
            .find(|&(i, q)| quotes.contains(&q) && ends_value(&line[i + q.len_utf8()..]))
            .map(|(i, q)| (from + i, q.len_utf8()))
    };
    let says = said(code, at..from, message, help);
    // A closing quote of the same kind makes the repair certain; a plain one makes it a guess.
    let (close, close_len, sure) = match closer(curly) {
        Some((close, len)) => (close, len, true),
        None => match closer(plain) {
            Some((close, len)) => (close, len, false),
            None => {
                return Finding {
                    says,
                    fix: Vec::new(),
                    sure: true,
                };
            }
        },
    };
    let mut fix = vec![
        (at..from, "\"".to_owned()),
        (close..close + close_len, "\"".to_owned()),
    ];
    fix.extend(
        text[from..close]
            .match_indices('"')
            .map(|(i, _)| (from + i..from + i, "\\".to_owned())),
    );
    Finding { says, fix, sure }
}

/// Whether a quote followed by `rest` can end a value: what follows is a separator, a closing
/// bracket, a comment or the end of the line.
fn ends_value(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.is_empty() || rest.starts_with([',', ')', ']', '}', '\r', '\n']) || rest.starts_with("//")
}

fn single_quoted(text: &str, at: usize) -> Finding {
    quoted(
        text,
        at,
        &['\''],
        &[],
        Code::Syntax,
        "text goes in double quotes \"like this\", not single quotes".into(),
        "an apostrophe inside text is fine: \"I'm late\"",
    )
}

fn bad_escape(text: &str, start: usize) -> Option<Finding> {
    let s = scan(text, start + 1).last.filter(|t| t.kind == Kind::Str)?;
    let inner = &text[s.start + 1..s.end.saturating_sub(1).max(s.start + 1)];
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        let rest = &inner[i + 1..];
        let valid = match rest.chars().next() {
            Some('\\' | '"' | '\'' | 'n' | 'r' | 't' | '0') => true,
            Some('x') => rest.len() >= 3 && rest[1..3].bytes().all(|b| b.is_ascii_hexdigit()),
            Some('u') => rest.starts_with("u{") && rest.contains('}'),
            _ => false,
        };
        if valid {
            chars.next();
            continue;
        }
        let at = s.start + 1 + i;
        let shown: String = text[at..].chars().take(2).collect();
        return Some(Finding {
            says: said(
                Code::Syntax,
                at..at + shown.len(),
                format!("`{shown}` is not a valid escape in text"),
                "in text, a backslash starts an escape: write a backslash itself as \\\\ and a quote as \\\"",
            ),
            fix: vec![(at..at, "\\".into())],
            sure: true,
        });
    }
    None
}

/// ron expected a comma or a closing bracket after a value, at `at`.
fn after_value(text: &str, at: usize, c: Option<char>) -> Vec<Finding> {
    let scan = scan(text, at);
    let mut out = Vec::new();
    let last = scan.last;
    if let Some(close @ (')' | ']' | '}')) = c {
        if let Some(&(open, open_at)) = scan.open.last()
            && close != closer(open)
        {
            let says = || {
                said(
                    Code::Syntax,
                    at..at + 1,
                    format!(
                        "expected `{}` to close the `{}` on line {}, found `{close}`",
                        closer(open),
                        open as char,
                        line_of(text, open_at)
                    ),
                    &format!(
                        "close the `{}` with `{}`, or remove this `{close}` if it is one too many",
                        open as char,
                        closer(open)
                    ),
                )
            };
            let opener = match close {
                ')' => b'(',
                ']' => b'[',
                _ => b'{',
            };
            // The wrong closing bracket, a missing one, or one too many.
            out.push(Finding {
                says: says(),
                fix: vec![(at..at + 1, closer(open).to_string())],
                sure: false,
            });
            if let Some(depth) = scan.open.iter().rposition(|&(o, _)| o == opener) {
                let missing: String = scan.open[depth + 1..]
                    .iter()
                    .rev()
                    .map(|&(o, _)| closer(o))
                    .collect();
                out.push(Finding {
                    says: says(),
                    fix: vec![(at..at, missing)],
                    sure: false,
                });
            }
            out.push(Finding {
                says: says(),
                fix: vec![(at..at + 1, String::new())],
                sure: false,
            });
        }
        return out;
    }
    if let Some(s) = last.filter(|t| t.kind == Kind::Str)
        && !looks_like_field(&text[at..])
        && scan
            .before_last
            .is_none_or(|t| matches!(t.kind, Kind::Punct(b':' | b',' | b'(' | b'[' | b'{')))
    {
        let body = &text[s.start + 1..s.end - 1];
        if let Some(nl) = body.find('\n') {
            // The text in quotes runs over a line end: its closing quote is probably missing, so
            // it ran on to the next quote (the opening one of the next text).
            let first_line = &body[..nl];
            if let Some((i, q)) = first_line
                .char_indices()
                .rev()
                .find(|&(_, q)| q == '\u{201D}' || q == '\u{201C}')
            {
                let q_at = s.start + 1 + i;
                out.push(Finding {
                    says: said(
                        Code::PastedText,
                        q_at..q_at + q.len_utf8(),
                        format!("this curly quote {q} does not end the text"),
                        &format!(
                            "{PASTED_HELP}: type it again as a straight quote \"; without one, the text runs on to the next \""
                        ),
                    ),
                    fix: vec![(q_at..q_at + q.len_utf8(), "\"".into())],
                    sure: true,
                });
                return out;
            }
            // The text ends at the end of the line (before a last comma), or before a bracket
            // that closes something opened before it.
            let trimmed = first_line.trim_end();
            let trimmed = trimmed.strip_suffix(',').unwrap_or(trimmed);
            let mut ends = vec![trimmed.len()];
            let mut depth = 0usize;
            for (i, ch) in first_line.char_indices() {
                match ch {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => {
                        ends.insert(0, first_line[..i].trim_end().len());
                        break;
                    }
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
            }
            for end in ends {
                let close_at = s.start + 1 + end;
                out.push(Finding {
                    says: said(
                        Code::Syntax,
                        s.start..s.start + 1,
                        "this text has no closing quote".into(),
                        &format!(
                            "add `\"` where the text ends; without it, the text runs on to the next `\"`, on line {}",
                            line_of(text, s.end - 1)
                        ),
                    ),
                    fix: vec![(close_at..close_at, "\"".into())],
                    sure: false,
                });
            }
        } else if text[at..].starts_with(|ch: char| ch.is_alphanumeric())
            // The text may run on past where ron stopped (`(format:"c"`): then it was not ended
            // early by a quote inside it.
            && text.get(s.end..at).is_some_and(|between| !between.contains('\n'))
            && text[at..line_end(text, at)].matches('"').count() >= 2
        {
            // `"She said "no" to me"`: a quote inside the text ended it.
            let next_quote = at + text[at..].find('"').unwrap_or(0);
            out.push(Finding {
                says: said(
                    Code::Syntax,
                    s.end - 1..s.end,
                    "this `\"` ends the text early".into(),
                    "to put a quote inside text, write it as \\\" (or use ' or “ ” inside the text)",
                ),
                fix: vec![
                    (s.end - 1..s.end - 1, "\\".into()),
                    (next_quote..next_quote, "\\".into()),
                ],
                sure: false,
            });
        }
    }
    if c == Some(';') {
        out.push(guess(vec![(at..at + 1, ",".into())]));
    } else if let Some(last) = last
        && matches!(
            last.kind,
            Kind::Str | Kind::Word | Kind::Punct(b')' | b']' | b'}')
        )
        && looks_like_item(&text[at..])
    {
        // Before `name:` inside round brackets, a missing comma is the only reading.
        let in_fields = scan.open.last().is_some_and(|&(open, _)| open == b'(');
        out.push(Finding {
            says: None,
            fix: vec![(last.end..last.end, ",".into())],
            sure: in_fields && looks_like_field(&text[at..]),
        });
    }
    out
}

fn closer(open: u8) -> char {
    match open {
        b'(' => ')',
        b'[' => ']',
        _ => '}',
    }
}

fn ident_len(s: &str) -> usize {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return 0;
    }
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

/// `name:` (a field), not `name::`.
fn looks_like_field(s: &str) -> bool {
    let n = ident_len(s);
    let rest = s[n..].trim_start_matches([' ', '\t']);
    n > 0 && rest.starts_with(':') && !rest.starts_with("::")
}

/// The start of a field or of a value that could follow a missing comma.
fn looks_like_item(s: &str) -> bool {
    if looks_like_field(s) || s.starts_with(['"', '(', '[', '{', '-', '+']) {
        return true;
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let n = ident_len(s);
    if n == 0 {
        return false;
    }
    let rest = s[n..].trim_start_matches([' ', '\t']);
    rest.starts_with('(')
        || (s.starts_with(|c: char| c.is_ascii_uppercase())
            && (rest.is_empty() || rest.starts_with([',', ')', ']', '}', '\r', '\n'])))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Str,
    Punct(u8),
    Word,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Debug, Default)]
struct Scan {
    /// Brackets still open at the end of the scan, with their offsets.
    open: Vec<(u8, usize)>,
    last: Option<Token>,
    before_last: Option<Token>,
}

/// A light lexer over `text[..upto]` (text ron has already read without complaint): the brackets
/// left open and the last token, skipping text in quotes and comments.
fn scan(text: &str, upto: usize) -> Scan {
    let b = text.as_bytes();
    let upto = upto.min(b.len());
    let mut scan = Scan::default();
    let mut i = 0;
    while i < upto {
        let start = i;
        let kind = match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(text, i);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'"' => match string_end(b, i + 1) {
                Some(end) => {
                    i = end;
                    Kind::Str
                }
                None => {
                    i = b.len();
                    Kind::Word
                }
            },
            b'\'' => {
                i += 1;
                if b.get(i) == Some(&b'\\') {
                    i += 2;
                }
                // Past the character and the closing quote, if there is one close by.
                if let Some(n) = b[i.min(b.len())..]
                    .iter()
                    .take(12)
                    .position(|&c| c == b'\'')
                {
                    i += n + 1;
                }
                Kind::Word
            }
            open @ (b'(' | b'[' | b'{') => {
                scan.open.push((open, i));
                i += 1;
                Kind::Punct(open)
            }
            close @ (b')' | b']' | b'}') => {
                scan.open.pop();
                i += 1;
                Kind::Punct(close)
            }
            p @ (b',' | b':') => {
                i += 1;
                Kind::Punct(p)
            }
            _ => {
                // Raw text: r"..." or r#"..."# (also after b).
                let word = &b[i..];
                let r = usize::from(word.starts_with(b"br"));
                if word.get(r) == Some(&b'r') {
                    let hashes = word[r + 1..].iter().take_while(|&&c| c == b'#').count();
                    if word.get(r + 1 + hashes) == Some(&b'"') {
                        let body = i + r + hashes + 2;
                        let mut end = "\"".to_owned();
                        end.push_str(&"#".repeat(hashes));
                        i = text[body..]
                            .find(&end)
                            .map_or(b.len(), |n| body + n + end.len());
                        scan.before_last = scan.last.replace(Token {
                            start,
                            end: i,
                            kind: Kind::Word,
                        });
                        continue;
                    }
                }
                while i < b.len()
                    && !matches!(
                        b[i],
                        b' ' | b'\t'
                            | b'\n'
                            | b'\r'
                            | b'"'
                            | b'\''
                            | b'('
                            | b')'
                            | b'['
                            | b']'
                            | b'{'
                            | b'}'
                            | b','
                            | b':'
                            | b'/'
                    )
                {
                    i += 1;
                }
                i = i.max(start + 1);
                Kind::Word
            }
        };
        i = i.min(b.len());
        while !text.is_char_boundary(i) {
            i += 1;
        }
        scan.before_last = scan.last.replace(Token {
            start,
            end: i,
            kind,
        });
    }
    scan
}

/// The offset just past the closing quote of text in quotes whose body starts at `i`.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}
