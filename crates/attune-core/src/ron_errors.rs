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
