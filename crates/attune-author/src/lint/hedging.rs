//! Tentative wording: the words and phrases with which a counsellor offers a reflection as a
//! guess the client can correct ("I wonder…", "it sounds like…", "is that close?"). Good
//! reflecting uses them, which is why a scenario where only the best reply does gives the
//! answer away (`only-hedged-is-best`).

/// The phrases that make a reply tentative, lower case, matched as whole words anywhere in the
/// reply (so `sounds` matches "That sounds hard" but not "soundscape"). `docs/lint.md` lists
/// them for authors; keep the two in step.
pub const HEDGES: &[&str] = &[
    "i wonder",
    "i'm wondering",
    "i was wondering",
    "sound",
    "sounds",
    "seem",
    "seems",
    "it seems",
    "is that close",
    "is that right",
    "is that it",
    "have i got that right",
    "am i right",
    "correct me",
    "i might be wrong",
    "i may be wrong",
    "i could be wrong",
    "i'm guessing",
    "i guess",
    "my guess",
    "perhaps",
    "maybe",
    "possibly",
    "might be",
    "could it be",
    "i imagine",
    "i get the sense",
    "i get the feeling",
    "i sense",
    "i'm not sure",
    "if i've understood",
    "if i understand",
];

/// The first tentative phrase in `reply` (in the order of [`HEDGES`]), if it has one.
pub fn hedge_in(reply: &str) -> Option<&'static str> {
    let words = normalise(reply);
    HEDGES.iter().copied().find(|hedge| {
        // Both sides are padded with spaces, so only whole words match.
        words.contains(&format!(" {hedge} "))
    })
}

/// Lower case, curly apostrophes straightened, everything but letters, digits and apostrophes
/// turned into single spaces, with a space at each end.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            c if c.is_alphanumeric() || c == '\'' => c,
            _ => ' ',
        };
        if c != ' ' || !out.ends_with(' ') {
            out.push(c);
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tentative_replies_are_found_by_their_phrase() {
        let cases = [
            ("I wonder what the evenings are like.", "i wonder"),
            (
                "It sounds like the evenings are the hardest part.",
                "sounds",
            ),
            ("You sound worn out.", "sound"),
            ("You seem tired of being asked.", "seem"),
            (
                "Angry, and underneath it scared. Is that close?",
                "is that close",
            ),
            ("I’m guessing that was hard to hear.", "i'm guessing"),
            ("Perhaps part of you is relieved.", "perhaps"),
            ("MAYBE it's both.", "maybe"),
            (
                "I might be wrong, but it's the quiet that gets to you.",
                "i might be wrong",
            ),
            (
                "I get the sense you'd rather not be here.",
                "i get the sense",
            ),
        ];
        for (reply, hedge) in cases {
            assert_eq!(hedge_in(reply), Some(hedge), "{reply}");
        }
    }

    #[test]
    fn certain_replies_and_words_that_merely_contain_a_hedge_are_not_tentative() {
        for reply in [
            "You're angry with your daughter.",
            "Have you tried cutting out caffeine?",
            "Keeping busy is the best thing you can do.",
            "The soundscape of the ward keeps you awake.",
            "It seemed to me like a good idea.",
            "Maybelline was her favourite brand.",
            "",
        ] {
            assert_eq!(hedge_in(reply), None, "{reply}");
        }
    }

    #[test]
    fn phrases_are_matched_across_punctuation_and_spacing() {
        assert_eq!(hedge_in("Is  that\nclose?"), Some("is that close"));
        assert_eq!(hedge_in("…perhaps."), Some("perhaps"));
        assert_eq!(hedge_in("correct me—if I'm off"), Some("correct me"));
    }

    #[test]
    fn every_phrase_is_listed_for_authors() {
        let doc = include_str!("../../../../docs/lint.md");
        for hedge in HEDGES {
            assert!(
                doc.contains(&format!("`{hedge}`")),
                "`{hedge}` in docs/lint.md"
            );
        }
    }

    #[test]
    fn the_list_is_lower_case_without_duplicates() {
        let mut seen = std::collections::HashSet::new();
        for hedge in HEDGES {
            assert_eq!(*hedge, normalise(hedge).trim(), "{hedge}");
            assert!(seen.insert(hedge), "{hedge} twice");
        }
    }
}
