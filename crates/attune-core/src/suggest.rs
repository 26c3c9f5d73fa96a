//! "Did you mean …?" for misspelt names.

/// The most suggestions one file's checks look for: each compares a name with every candidate,
/// so a generated file with thousands of misspelt names would otherwise take minutes.
pub const SUGGESTIONS_PER_FILE: usize = 200;

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let length = name.chars().count();
    let limit = (length / 3).max(2);
    candidates
        // The distance is at least the difference in length: most candidates end here, cheaply.
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c.len()))
        .map(|(_, c)| c)
}
