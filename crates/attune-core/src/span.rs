//! Source positions. Author-facing diagnostics point at the exact text that is wrong, so the
//! parsed model keeps the byte span of every value an error may be about.

use std::cell::Cell;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// Positions past 4 GiB (never reached: scenario files are at most
    /// [`crate::limits::SCENARIO_FILE_BYTES`]) are held at the largest position, not wrapped.
    pub fn new(range: Range<usize>) -> Self {
        let at = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        Span {
            start: at(range.start),
            end: at(range.end),
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The part of a span `offset..offset + len` inside it (for positions inside string literals).
    pub fn sub(self, offset: usize, len: usize) -> Span {
        let start = (self.start as usize + offset).min(self.end as usize);
        Span::new(start..(start + len).min(self.end as usize))
    }
}

/// A value with the span of its source text. Equality, ordering and hashing look at the value only.
#[derive(Clone, Default)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T> Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T: Eq> Eq for Spanned<T> {}
impl<T: Hash> Hash for Spanned<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state)
    }
}
impl<T: PartialOrd> PartialOrd for Spanned<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}
impl<T: Ord> Ord for Spanned<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// How [`Spanned`] values are read; see [`with_source`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// ron reads text values (nearly every value in a scenario) itself, and each span comes from
    /// where ron found the text; numbers are read as in `Exact`. Any error stops the read (the
    /// caller then reads again, `Exact`), as does text that cannot be placed exactly.
    Fast,
    /// Every value is read back from the raw text ron hands over (ron parses it twice: once to
    /// find where it ends, once here). Slower, but its errors are the ones authors see: it says
    /// "expected text in quotes, found `7`" where ron alone would say "expected a string".
    Exact,
}

/// The text being deserialised, registered by [`with_source`].
#[derive(Clone, Copy)]
struct Source {
    /// Address and length of the text, so that `Spanned` can turn text that ron hands it,
    /// borrowed from the input, into byte offsets.
    address: usize,
    len: usize,
    reading: Reading,
    /// Where the last value placed so far ends. Every text and number in a scenario is placed,
    /// in document order, so a value that ron does not hand over where it found it (a number,
    /// or text with escapes, which ron copies) is the first of its kind after this.
    placed_to: usize,
}

const NO_SOURCE: Source = Source {
    address: 0,
    len: 0,
    reading: Reading::Exact,
    placed_to: 0,
};

thread_local! {
    static SOURCE: Cell<Source> = const { Cell::new(NO_SOURCE) };
}

/// Runs `f` with `text` registered as the source that `Spanned` values are located in, read the
/// way `reading` says.
pub(crate) fn with_source<R>(text: &str, reading: Reading, f: impl FnOnce() -> R) -> R {
    struct Reset(Source);
    impl Drop for Reset {
        fn drop(&mut self) {
            SOURCE.with(|s| s.set(self.0));
        }
    }
    RAW_ERROR.with(|e| e.borrow_mut().take());
    let source = Source {
        address: text.as_ptr() as usize,
        len: text.len(),
        reading,
        placed_to: 0,
    };
    // Restored on the way out, panics included: no `Source` outlives the borrow of `text`.
    let _reset = Reset(SOURCE.with(|s| s.replace(source)));
    f()
}

/// Runs `f` on the registered source text and where values in it are placed up to; `None`
/// outside [`with_source`].
fn with_source_text<R>(f: impl FnOnce(&str, &mut usize) -> R) -> Option<R> {
    let mut source = SOURCE.with(Cell::get);
    if source.address == 0 {
        return None;
    }
    // SAFETY: `with_source` registers `text` for exactly as long as it holds the shared borrow
    // of it (the guard resets the registration before it returns or unwinds), and ron only
    // calls `Spanned` inside it; so the address and length name a live, unchanged `str`. The
    // slice does not escape `f`.
    let text = unsafe {
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(
            source.address as *const u8,
            source.len,
        ))
    };
    let out = f(text, &mut source.placed_to);
    SOURCE.with(|s| s.set(source));
    Some(out)
}

thread_local! {
    /// ron replaces a raw-value visitor's error with a generic one; keep ours to report instead.
    static RAW_ERROR: std::cell::RefCell<Option<(String, Span)>> = const { std::cell::RefCell::new(None) };
}

/// The message and span of the last value `Spanned` could not read, if any.
pub(crate) fn take_raw_error() -> Option<(String, Span)> {
    RAW_ERROR.with(|e| e.borrow_mut().take())
}

/// Where `inside`, borrowed from `text`, lies in it.
fn offset_in(text: &str, inside: &str) -> Option<Range<usize>> {
    let at = (inside.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (at + inside.len() <= text.len()).then(|| at..at + inside.len())
}

/// The span of `raw`, borrowed from the source, which is placed up to its end.
fn span_of(raw: &str) -> Span {
    with_source_text(|text, placed_to| {
        let range = offset_in(text, raw)?;
        *placed_to = range.end;
        Some(Span::new(range))
    })
    .flatten()
    .unwrap_or_default()
}

/// Values a [`Spanned`] holds: text, ids and numbers.
pub trait FromRawRon: Sized {
    /// Reads the value back from the raw RON text ron hands over, on a [`Reading::Exact`] read.
    fn from_raw_ron(raw: &str) -> Result<Self, String>;

    /// Reads the value through ron, and places it, on a [`Reading::Fast`] read.
    fn read_fast<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Spanned<Self>, D::Error>;
}

impl FromRawRon for String {
    fn from_raw_ron(raw: &str) -> Result<Self, String> {
        // Fast path: a plain string literal without escapes, which is nearly every id and line.
        if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'))
            && !inner.contains(['\\', '"'])
        {
            return Ok(inner.to_owned());
        }
        ron::from_str::<String>(raw)
            .map_err(|_| format!("expected text in quotes, found {}", quoted(raw)))
    }

    fn read_fast<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Spanned<Self>, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

/// A value as quoted in a message: its first line, and at most 40 characters of it (a list or
/// a group of fields can be pages long).
fn quoted(raw: &str) -> String {
    let first_line = raw.lines().next().unwrap_or_default();
    let mut shown: String = first_line.chars().take(40).collect();
    if shown.len() < raw.trim_end().len() {
        shown.push('…');
    }
    format!("`{shown}`")
}

/// Why an integer literal does not fit, when it is one: `Some` for `99999999999` in a whole
/// number, or `-3` where a number of zero or more is expected.
fn out_of_range(raw: &str, can_be_negative: bool) -> Option<String> {
    let digits = raw.trim_start_matches(['+', '-']);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    let size = if !raw.starts_with('-') {
        "too large"
    } else if can_be_negative {
        "too small"
    } else {
        return Some(format!(
            "{} cannot be negative here: write a whole number of zero or more",
            quoted(raw)
        ));
    };
    Some(format!(
        "the number {} is {size}: numbers in a scenario are small, e.g. a score from -2 to 2",
        quoted(raw)
    ))
}

macro_rules! from_raw_integer {
    ($($t:ty => $what:literal),*) => {$(
        impl FromRawRon for $t {
            fn read_fast<'de, D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Spanned<Self>, D::Error> {
                place_number(<$t>::deserialize(deserializer)?)
            }

            fn from_raw_ron(raw: &str) -> Result<Self, String> {
                raw.trim_start_matches('+')
                    .parse::<$t>()
                    .or_else(|_| ron::from_str::<$t>(raw))
                    .map_err(|_| {
                        out_of_range(raw, <$t>::MIN != 0).unwrap_or_else(|| {
                            format!(concat!("expected ", $what, ", found {}"), quoted(raw))
                        })
                    })
            }
        }
    )*};
}
from_raw_integer!(i32 => "a whole number", u32 => "a whole number of zero or more");

impl FromRawRon for f32 {
    fn read_fast<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Spanned<Self>, D::Error> {
        place_number(f32::deserialize(deserializer)?)
    }

    fn from_raw_ron(raw: &str) -> Result<Self, String> {
        match raw
            .trim_start_matches('+')
            .parse::<f32>()
            .or_else(|_| ron::from_str::<f32>(raw))
        {
            // `NaN`, `inf` and `1e999` (infinity) are numbers to RON: the checks say they are
            // no Carkhuff level, with the help that says what one is.
            Ok(value) => Ok(value),
            Err(_) => Err(format!("expected a number, found {}", quoted(raw))),
        }
    }
}

impl<'de, T: FromRawRon> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = match SOURCE.with(Cell::get).reading {
            Reading::Fast => T::read_fast(deserializer)?,
            Reading::Exact => read_raw(deserializer)?,
        };
        #[cfg(test)]
        tests::record(spanned.span);
        Ok(spanned)
    }
}

/// Reads a value back from the raw text ron hands over (see [`Reading::Exact`]).
fn read_raw<'de, T: FromRawRon, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Spanned<T>, D::Error> {
    struct RawVisitor<T>(std::marker::PhantomData<T>);
    impl<'de, T: FromRawRon> Visitor<'de> for RawVisitor<T> {
        type Value = Spanned<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a value")
        }
        fn visit_borrowed_str<E: de::Error>(self, raw: &'de str) -> Result<Self::Value, E> {
            let span = span_of(raw);
            match T::from_raw_ron(raw) {
                Ok(value) => {
                    // The value alone, without comments ron includes around it.
                    let token = value_token(raw);
                    Ok(Spanned::new(value, span.sub(token.start, token.len())))
                }
                Err(message) => {
                    RAW_ERROR.with(|e| *e.borrow_mut() = Some((message.clone(), span)));
                    Err(E::custom(message))
                }
            }
        }
        fn visit_str<E: de::Error>(self, raw: &str) -> Result<Self::Value, E> {
            let value = T::from_raw_ron(raw).map_err(E::custom)?;
            Ok(Spanned::new(value, Span::default()))
        }
    }
    // ron's raw-value hook hands over the value's source text, borrowed from the input.
    deserializer.deserialize_newtype_struct(
        "$ron::private::RawValue",
        RawVisitor(std::marker::PhantomData),
    )
}

/// Reads text in quotes on a [`Reading::Fast`] read: the value is the one ron read, and its span
/// the literal it read it from, quotes included.
struct TextVisitor;

/// The error that sends a fast read back to be read exactly; authors never see it.
const NOT_PLACED: &str = "text that could not be placed in the file";

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Spanned<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("text in quotes")
    }

    /// Text without escapes: ron hands over the inside of the literal, borrowed from the file.
    fn visit_borrowed_str<E: de::Error>(self, inside: &'de str) -> Result<Self::Value, E> {
        let literal = with_source_text(|text, placed_to| {
            let inside = offset_in(text, inside)?;
            let literal = literal_around(text, inside)?;
            *placed_to = literal.end;
            Some(literal)
        })
        .flatten()
        .ok_or_else(|| E::custom(NOT_PLACED))?;
        Ok(Spanned::new(inside.to_owned(), Span::new(literal)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        self.visit_string(value.to_owned())
    }

    /// Text with escapes, which ron copied: it is the first literal after the last value placed
    /// (see `Source::placed_to`), checked by reading that literal again.
    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        let literal = with_source_text(|text, placed_to| {
            let literal = next_literal(text, *placed_to)?;
            let same = ron::from_str::<String>(&text[literal.clone()]).is_ok_and(|v| v == value);
            same.then(|| {
                *placed_to = literal.end;
                literal
            })
        })
        .flatten()
        .ok_or_else(|| E::custom(NOT_PLACED))?;
        Ok(Spanned::new(value, Span::new(literal)))
    }
}

/// A number the fast read has from ron: its literal is the first number after the last value
/// placed (see `Source::placed_to`), checked by reading that literal again.
fn place_number<T: FromRawRon + PartialEq, E: de::Error>(value: T) -> Result<Spanned<T>, E> {
    with_source_text(|text, placed_to| {
        let literal = next_number(text, *placed_to)?;
        let same = T::from_raw_ron(&text[literal.clone()]).is_ok_and(|v| v == value);
        same.then(|| {
            *placed_to = literal.end;
            Spanned::new(value, Span::new(literal))
        })
    })
    .flatten()
    .ok_or_else(|| E::custom(NOT_PLACED))
}

/// Text or a number outside [`Spanned`] (the author's name, the pronouns, the client's age…):
/// on a fast read it is placed like the rest, so that the values after it are found.
pub(crate) fn unspanned<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromRawRon + Deserialize<'de>,
{
    match SOURCE.with(Cell::get).reading {
        Reading::Fast => Ok(T::read_fast(deserializer)?.value),
        Reading::Exact => T::deserialize(deserializer),
    }
}

/// A list of [`unspanned`] text.
pub(crate) fn unspanned_texts<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    struct Text(String);
    impl<'de> Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            unspanned(deserializer).map(Text)
        }
    }
    Ok(Vec::<Text>::deserialize(deserializer)?
        .into_iter()
        .map(|t| t.0)
        .collect())
}

/// The whole literal, `"…"` or `r#"…"#`, whose inside is `inside`; `None` if the text around it
/// is not such a literal.
fn literal_around(text: &str, inside: Range<usize>) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let quote = inside.start.checked_sub(1)?;
    let hashes = bytes[..quote]
        .iter()
        .rev()
        .take_while(|&&b| b == b'#')
        .count();
    let raw = quote > hashes && bytes[quote - hashes - 1] == b'r';
    if bytes[quote] != b'"' || (hashes > 0 && !raw) {
        return None;
    }
    let start = if raw { quote - hashes - 1 } else { quote };
    let end = inside.end + 1 + hashes;
    let closing = bytes.get(inside.end..end)?;
    (closing[0] == b'"' && closing[1..].iter().all(|&b| b == b'#')).then_some(start..end)
}

/// The first string literal at or after `from`, past comments; `None` if there is none.
fn next_literal(text: &str, from: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let mut end = i + 1;
                while *bytes.get(end)? != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                return Some(i..end + 1);
            }
            b'r' if i == 0 || !is_ident_byte(bytes[i - 1]) => {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                if bytes.get(i + 1 + hashes) == Some(&b'"') {
                    let body = i + 2 + hashes;
                    let closing = format!("\"{}", "#".repeat(hashes));
                    let end = body + text[body..].find(&closing)? + closing.len();
                    return Some(i..end);
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i += text[i..].find('\n').unwrap_or(text.len() - i);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = block_comment_end(bytes, i),
            _ => i += 1,
        }
    }
    None
}

/// The first number at or after `from`, past names, punctuation and comments; `None` if text
/// comes first (nothing placed it) or there is none.
fn next_number(text: &str, from: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut i = from;
    loop {
        // Names, punctuation and spaces go by in one tight loop: only these bytes can start a
        // number, text or a comment.
        i += bytes[i..]
            .iter()
            .position(|b| matches!(b, b'0'..=b'9' | b'+' | b'-' | b'.' | b'"' | b'/'))?;
        match bytes[i] {
            b'"' => return None,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i += text[i..].find('\n').unwrap_or(text.len() - i);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = block_comment_end(bytes, i),
            b'/' => i += 1,
            // A digit inside a name (`r2`): past the rest of the name.
            _ if i > 0 && is_ident_byte(bytes[i - 1]) => {
                i += bytes[i..].iter().take_while(|&&b| is_ident_byte(b)).count();
            }
            _ => {
                // `-1`, `2.5`, `1e-3`, `1_000`, `0x1F`, `3i32`: what ron reads as one number.
                let len = bytes[i..]
                    .iter()
                    .take_while(|&&b| is_ident_byte(b) || matches!(b, b'.' | b'+' | b'-'))
                    .count();
                return Some(i..i + len);
            }
        }
    }
}

/// A byte of a name: ASCII letters, digits and `_`, and any byte of a non-ASCII character.
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || !b.is_ascii()
}

/// The offset just past the block comment (nested, as RON's are) that starts at `start`.
fn block_comment_end(bytes: &[u8], start: usize) -> usize {
    let (mut depth, mut i) = (0usize, start);
    while i + 1 < bytes.len() {
        match &bytes[i..i + 2] {
            b"/*" => {
                depth += 1;
                i += 2;
            }
            b"*/" => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The value itself in raw text ron hands over for one value, which may have comments before
/// and after it: its offset and length within `raw`. For text and numbers only (a single token).
fn value_token(raw: &str) -> Range<usize> {
    let bytes = raw.as_bytes();
    let mut start = 0;
    loop {
        start += raw[start..].len() - raw[start..].trim_start().len();
        if raw[start..].starts_with("//") {
            start += raw[start..].find('\n').map_or(raw.len() - start, |n| n + 1);
        } else if raw[start..].starts_with("/*") {
            start = block_comment_end(bytes, start);
        } else {
            break;
        }
    }
    let end = match next_literal(raw, start) {
        Some(literal) if literal.start == start => literal.end,
        _ => {
            start
                + raw[start..]
                    .find(|c: char| c.is_whitespace() || c == '/')
                    .unwrap_or(raw.len() - start)
        }
    };
    start..end
}

/// Line and column (both 1-based, column in characters) of byte offsets in one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        (line + 1, text[start..offset].chars().count() + 1)
    }

    /// The 0-based line holding a byte offset (past the end: the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1) - 1
    }

    /// Where each line starts, as byte offsets (the first is 0).
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// Byte offset of a 1-based line and character column.
    pub fn offset(&self, text: &str, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let rest = &text[start..];
        rest.char_indices()
            .nth(col.saturating_sub(1))
            .map_or(text.len(), |(i, _)| start + i)
    }
}

/// `offset`, moved back to the start of the character it falls in (and at most `text.len()`):
/// a position from a damaged or hostile source can then never split a character.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::path::Path;

    use super::*;
    use crate::model::{Scenario, ron_options};

    thread_local! {
        static SPANS: RefCell<Option<Vec<Span>>> = const { RefCell::new(None) };
    }

    /// Every `Spanned` value read, in order, while [`read`] records them.
    pub(super) fn record(span: Span) {
        SPANS.with(|s| {
            if let Some(spans) = s.borrow_mut().as_mut() {
                spans.push(span);
            }
        });
    }

    /// The scenario (as its debug form) and the span of every value, read as `reading` says.
    fn read(text: &str, reading: Reading) -> Option<(String, Vec<Span>)> {
        SPANS.with(|s| *s.borrow_mut() = Some(Vec::new()));
        let scenario = with_source(text, reading, || ron_options().from_str::<Scenario>(text));
        let spans = SPANS.with(|s| s.borrow_mut().take()).unwrap_or_default();
        scenario.ok().map(|s| (format!("{s:?}"), spans))
    }

    fn files(folder: &str) -> Vec<(String, String)> {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(folder);
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".scenario.ron"))
            // Files that are not UTF-8 (one test file is not) are not read this far.
            .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
            .collect();
        files.sort();
        files
    }

    const BASE: &str = include_str!("../../../tests/scenarios-ok/broken-base.scenario.ron");

    /// Text with escapes, raw strings and comments next to values, each where it is hardest to
    /// place: after other text with the same words, in lists, map keys, cues and ids.
    fn tricky() -> Vec<(String, String)> {
        // Each case is a list of edits of the base.
        let cases: &[&[(&str, &str)]] = &[
            &[(
                "title: \"Late for work\"",
                "title: /* \"a\" */ \"Late \\\"for\\\" work\" // \"b\"\n",
            )],
            &[("age: 29,", "age: /* 1 */ 29 /* 2 */,")],
            &[("min: 0", "min: /* \"x\" */ 0")],
            &[(
                "says: [\"",
                "says: [r#\"He said \"go\".\"#, r\"plain\", \"tab\\there\", \"",
            )],
            &[("next: \"worry\"", "next: \"wo\\u{72}ry\"")],
            &[(
                "title: \"Heard\",",
                "title: \"\\\"Heard\\\"\",\n // a \"comment\"\n",
            )],
            // Numbers after numbers that are not `Spanned`, and in every form ron reads.
            &[
                ("    format: 1,\n", ""),
                (
                    "minutes: 5,",
                    "minutes: 1, bands: (developing: 1, proficient: 75), format: 1,",
                ),
            ],
            &[(
                "scores: (validating: 1, reflecting: 2)",
                "scores: (validating: +1, reflecting: 0x2)",
            )],
            &[("carkhuff: 3.0", "carkhuff: Some(/* 4 */ 3.)")],
            &[(
                "change: {\"trust\": 1}",
                "change: {\"trust\": 1_0, r\"openness\": -1}",
            )],
            &[(
                "avoiding_assumptions: -2",
                "avoiding_assumptions: -2i32 // 3\n",
            )],
        ];
        let edited = |edits: &mut dyn Iterator<Item = &(&str, &str)>| {
            let mut text = BASE.to_owned();
            for (from, to) in edits {
                assert!(text.contains(from), "{from}");
                text = text.replacen(from, to, 1);
            }
            text
        };
        let mut out: Vec<(String, String)> = cases
            .iter()
            .map(|case| (format!("{case:?} →"), edited(&mut case.iter())))
            .collect();
        let all = edited(&mut cases.iter().flat_map(|case| case.iter()));
        out.push(("all of them →".to_owned(), all));
        // The same text with escapes just after the author's name and the pronouns (which are
        // not `Spanned`) and among the content notes.
        let same = BASE
            .replacen("    title: \"Late for work\",\n", "", 1)
            .replacen(
                "author: \"Attune tests\",",
                "author: \"A \\\"B\\\"\", content_notes: [\"\\\"n\\\"\", \"\\\"n\\\"\"], title: \"A \\\"B\\\"\",",
                1,
            )
            .replacen("pronouns: \"they/them\",", "pronouns: \"\\\"x\\\"\",", 1)
            .replacen("briefing: \"Sam works", "briefing: \"\\\"x\\\" Sam works", 1);
        out.push(("same text twice →".to_owned(), same));
        out
    }

    #[test]
    fn fast_and_exact_reads_agree_on_every_value_and_span() {
        let folders = [
            "scenarios",
            "tests/scenarios-ok",
            "tests/broken",
            "tests/lint",
        ];
        let mut read_fast = 0;
        for (name, text) in folders.into_iter().flat_map(files).chain(tricky()) {
            let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
            let exact = read(text, Reading::Exact);
            let fast = read(text, Reading::Fast);
            // The tricky texts are all valid.
            assert!(exact.is_some() || !name.contains('→'), "{name}");
            let Some((_, spans)) = &exact else {
                assert!(fast.is_none(), "{name}");
                continue;
            };
            read_fast += 1;
            // A file the exact read accepts never needs a second read.
            assert_eq!(fast, exact, "{name}");
            // Spans cover the value alone, not comments beside it.
            for span in spans {
                let shown = &text[span.range()];
                let comment = shown.contains("/*") || shown.contains("//");
                assert!(
                    !comment || shown.starts_with(['"', 'r']),
                    "{name}: {shown:?}"
                );
            }
        }
        assert!(read_fast > 20, "{read_fast}");
    }

    #[test]
    fn text_is_placed_where_it_is_written() {
        let text = &tricky().pop().unwrap().1;
        let (_, spans) = read(text, Reading::Fast).unwrap();
        let shown: Vec<&str> = spans.iter().map(|s| &text[s.range()]).collect();
        assert!(shown.contains(&"\"A \\\"B\\\"\""), "{shown:?}");
        let title = text.find("title: \"A").unwrap() + "title: ".len();
        assert!(spans.iter().any(|s| s.start as usize == title));
        let briefing = text.find("briefing: ").unwrap() + "briefing: ".len();
        assert!(spans.iter().any(|s| s.start as usize == briefing));
    }
}
