//! Text from files, made safe to print in a terminal and plain to read in a message.
//!
//! Scenario text, file names and result ids come from people's files. Printed as they are, an
//! escape character can recolour or clear the terminal, move the cursor or set its title, and a
//! right-to-left override can make a line read differently from what it holds. Everything from a
//! file is printed through [`for_terminal`] (or [`TerminalSafe`]); author-facing diagnostics also
//! show the invisible characters that make two names look the same ([`show_invisible`]).
//! Each such character is written as its code point, e.g. `⟨U+200B⟩`, so it can be found and
//! removed.

use std::borrow::Cow;
use std::io;

/// Characters a terminal acts on rather than shows: C0 controls except tab and newline, DEL, C1
/// controls, and the bidirectional controls that reorder what follows them.
pub fn is_control(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{B}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Characters that cannot be seen, or look like an ordinary space: zero-width characters,
/// non-breaking and other unusual spaces, the soft hyphen, line and paragraph separators.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{00AD}' | '\u{1680}' | '\u{2000}'
            ..='\u{200D}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{2060}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// How a character that cannot be printed as itself is shown: `⟨U+001B⟩`.
pub fn code_point(c: char) -> String {
    format!("⟨U+{:04X}⟩", c as u32)
}

fn escape(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) {
            out.push_str(&code_point(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with every terminal control character shown as its code point; tabs and line breaks
/// stay, so paragraphs keep their shape.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    escape(text, is_control)
}

/// [`for_terminal`], with tabs and line breaks shown too: for things printed inside one line,
/// such as a file name or an id.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, |c| is_control(c) || c == '\n' || c == '\t')
}

/// [`for_terminal`], with invisible characters shown too: for diagnostics, where a zero-width
/// space is exactly what the author needs to see.
pub fn show_invisible(text: &str) -> Cow<'_, str> {
    escape(text, |c| is_control(c) || is_invisible(c))
}

/// A writer that passes text through [`for_terminal`]: wrap a terminal's output in it, and
/// nothing written can control the terminal. Meant for text (`write!`), which always arrives
/// in whole characters; bytes that are not UTF-8 are shown as `�`.
pub struct TerminalSafe<W: io::Write>(pub W);

impl<W: io::Write> io::Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(for_terminal(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn controls_and_direction_overrides_are_shown_not_obeyed() {
        assert_eq!(
            for_terminal("red \u{1b}[31mtext\u{7}\r\u{9b}2J\u{202E}olleh\u{2066}"),
            "red ⟨U+001B⟩[31mtext⟨U+0007⟩⟨U+000D⟩⟨U+009B⟩2J⟨U+202E⟩olleh⟨U+2066⟩"
        );
        assert_eq!(for_terminal("line one\n\tline two"), "line one\n\tline two");
        assert!(matches!(
            for_terminal("plain « text » — ok"),
            Cow::Borrowed(_)
        ));
        assert_eq!(one_line("a\nb\tc"), "a⟨U+000A⟩b⟨U+0009⟩c");
    }

    #[test]
    fn invisible_characters_are_shown_in_diagnostics_only() {
        let name = "felt\u{200B}_judged\u{00A0}";
        assert_eq!(for_terminal(name), name);
        assert_eq!(show_invisible(name), "felt⟨U+200B⟩_judged⟨U+00A0⟩");
    }

    #[test]
    fn the_writer_escapes_what_passes_through() {
        let mut out = TerminalSafe(Vec::new());
        let title = "\u{1b}]0;title\u{7}";
        write!(out, "{title} and ok").unwrap();
        assert_eq!(
            String::from_utf8(out.0).unwrap(),
            "⟨U+001B⟩]0;title⟨U+0007⟩ and ok"
        );
    }
}
