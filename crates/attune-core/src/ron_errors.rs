//! ron's errors in the words the format documentation uses: the loader and the syntax
//! recovery both describe a parse error through [`describe`].

use ron::error::Error as RonError;

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

pub(crate) fn describe(code: &RonError) -> (String, Option<String>) {
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
        E::ExpectedDifferentStructName { expected, found } => (
            format!("expected `{expected}` here, found `{}`", found.trim_start_matches("r#")),
            None,
        ),
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
        E::InvalidValueForType { expected, found } => (
            format!("expected {}, found {}", plain_words(expected), plain_words(found)),
            None,
        ),
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
        E::Message(m) => (plain_words(m), None),
        E::Fmt | E::Io(_) | E::Utf8Error(_) => plain("this file could not be read as text"),
        E::ExpectedAttribute | E::ExpectedAttributeEnd | E::NoSuchExtension(_) => (
            "this `#![...]` line is not part of a scenario".into(),
            Some("remove it: scenario files need no such line".into()),
        ),
        E::ExpectedChar => plain("expected a single character in single quotes"),
        E::ExpectedByteLiteral | E::ExpectedByteString => plain("expected text in double quotes"),
        E::FloatUnderscore | E::UnderscoreAtBeginning => (
            "a number cannot contain `_` here".into(),
            Some("write numbers with digits only, e.g. 2 or 2.5".into()),
        ),
        E::InvalidIntegerDigit { digit, .. } => (
            format!("`{digit}` is not a digit"),
            Some("write whole numbers with the digits 0 to 9, e.g. 12".into()),
        ),
        E::ExpectedOptionEnd => plain("expected `)` to close `Some(`"),
        E::ExpectedUnit => plain("expected `()`"),
        E::ExpectedDifferentLength { expected, found } => (
            format!(
                "expected {}, found {found} item{}",
                plain_words(expected),
                if *found == 1 { "" } else { "s" }
            ),
            None,
        ),
        E::InvalidIdentifier(name) => (
            format!("`{}` is not a valid name", name.trim_start_matches("r#")),
            Some("names use letters, digits and `_`, starting with a letter".into()),
        ),
        E::SuggestRawIdentifier(found) => (
            format!("expected a name here, found `{found}`"),
            Some(
                "names start with a letter: a field name such as `reply`, or a value such as `Introductory`"
                    .into(),
            ),
        ),
        E::ExpectedStructName(name) => (format!("expected `{name}(` here"), None),
        E::ExpectedRangeSyntax | E::ExpectedRawValue => plain("expected a value here"),
        // A kind of error newer than this list: ron's words, with Rust's type names translated.
        other => (plain_words(&other.to_string()), None),
    }
}

/// serde's and ron's descriptions of Rust types (`u32`, `Option`, `a sequence`), in the words
/// the format documentation uses. Authors never need to know the Rust names.
pub(crate) fn plain_words(message: &str) -> String {
    const WORDS: [(&str, &str); 23] = [
        ("u8", "a whole number of zero or more"),
        ("u16", "a whole number of zero or more"),
        ("u32", "a whole number of zero or more"),
        ("u64", "a whole number of zero or more"),
        ("usize", "a whole number of zero or more"),
        ("i8", "a whole number"),
        ("i16", "a whole number"),
        ("i32", "a whole number"),
        ("i64", "a whole number"),
        ("isize", "a whole number"),
        ("f32", "a number"),
        ("f64", "a number"),
        ("a boolean", "`true` or `false`"),
        ("bool", "`true` or `false`"),
        ("a string", "text in double quotes"),
        ("option", "a value or `None`"),
        ("Option", "a value or `None`"),
        ("a sequence", "a list in square brackets"),
        ("sequence", "a list"),
        ("a map", "a map in curly brackets"),
        ("floating point", "the number"),
        ("integer", "the number"),
        ("unit value", "`()`"),
    ];
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    'scan: while !rest.is_empty() {
        let at_word_start = out
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        if at_word_start {
            for (rust, words) in WORDS {
                if let Some(after) = rest.strip_prefix(rust)
                    && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                {
                    out.push_str(words);
                    rest = after;
                    continue 'scan;
                }
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    // `r#name`: ron's escape for a name that is a keyword.
    out.replace("r#", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_type_names_become_the_format_words() {
        assert_eq!(
            plain_words("invalid type: integer `3`, expected a string"),
            "invalid type: the number `3`, expected text in double quotes"
        );
        assert_eq!(
            plain_words("invalid value: integer `-1`, expected u32"),
            "invalid value: the number `-1`, expected a whole number of zero or more"
        );
        assert_eq!(plain_words("expected Option"), "expected a value or `None`");
        // Only whole words: `u32` inside a name stays.
        assert_eq!(plain_words("`au32` and `i32x`"), "`au32` and `i32x`");
    }

    /// Every error ron can report is described without ron's own wording.
    #[test]
    fn no_error_is_described_in_rust_terms() {
        let errors = [
            RonError::Fmt,
            RonError::Io("disk".into()),
            RonError::Message("invalid type: floating point `2.5`, expected i32".into()),
            RonError::ExpectedAttribute,
            RonError::ExpectedChar,
            RonError::FloatUnderscore,
            RonError::InvalidIntegerDigit {
                digit: 'x',
                base: 10,
            },
            RonError::ExpectedOptionEnd,
            RonError::ExpectedUnit,
            RonError::ExpectedDifferentLength {
                expected: "a sequence of 2 elements".into(),
                found: 3,
            },
            RonError::InvalidIdentifier("r#0".into()),
            RonError::SuggestRawIdentifier("0".into()),
            RonError::ExpectedStructName("Choice".into()),
            RonError::ExpectedRangeSyntax,
            RonError::ExpectedRawValue,
            RonError::InvalidValueForType {
                expected: "u32".into(),
                found: "a string".into(),
            },
        ];
        for error in errors {
            let (message, help) = describe(&error);
            let all = format!("{message} {}", help.unwrap_or_default());
            for rust in [
                "r#", "u32", "i32", "Option", "RawValue", "RON", "std", "struct ",
            ] {
                assert!(!all.contains(rust), "{error:?} → {all}");
            }
        }
    }
}
