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

thread_local! {
    /// Address range of the source text being deserialised, so that `Spanned` can turn the
    /// borrowed raw text ron hands it into byte offsets.
    static SOURCE: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// Runs `f` with `text` registered as the source that `Spanned` values are located in.
pub(crate) fn with_source<R>(text: &str, f: impl FnOnce() -> R) -> R {
    struct Reset((usize, usize));
    impl Drop for Reset {
        fn drop(&mut self) {
            SOURCE.with(|s| s.set(self.0));
        }
    }
    let base = text.as_ptr() as usize;
    RAW_ERROR.with(|e| e.borrow_mut().take());
    let _reset = Reset(SOURCE.with(|s| s.replace((base, base + text.len()))));
    f()
}

thread_local! {
    /// ron replaces a raw-value visitor's error with a generic one; keep ours to report instead.
    static RAW_ERROR: std::cell::RefCell<Option<(String, Span)>> = const { std::cell::RefCell::new(None) };
}

/// The message and span of the last value `Spanned` could not read, if any.
pub(crate) fn take_raw_error() -> Option<(String, Span)> {
    RAW_ERROR.with(|e| e.borrow_mut().take())
}

fn span_of(raw: &str) -> Span {
    let (start, end) = SOURCE.with(Cell::get);
    let at = raw.as_ptr() as usize;
    if at >= start && at + raw.len() <= end {
        Span::new(at - start..at - start + raw.len())
    } else {
        Span::default()
    }
}

/// Values that can be read back from the raw RON text ron hands to `Spanned`.
pub trait FromRawRon: Sized {
    fn from_raw_ron(raw: &str) -> Result<Self, String>;
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
    fn from_raw_ron(raw: &str) -> Result<Self, String> {
        match raw
            .trim_start_matches('+')
            .parse::<f32>()
            .or_else(|_| ron::from_str::<f32>(raw))
        {
            // `1e999` reads as infinity: too large, not a level.
            Ok(value) if value.is_finite() => Ok(value),
            Ok(_) => Err(format!("the number {} is too large", quoted(raw))),
            Err(_) => Err(format!("expected a number, found {}", quoted(raw))),
        }
    }
}

impl<'de, T: FromRawRon> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: FromRawRon> Visitor<'de> for RawVisitor<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_borrowed_str<E: de::Error>(self, raw: &'de str) -> Result<Self::Value, E> {
                let span = span_of(raw);
                match T::from_raw_ron(raw) {
                    Ok(value) => Ok(Spanned::new(value, span)),
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
}

/// Line and column (both 1-based, column in characters) of byte offsets in one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text));
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

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i + 1)
}
