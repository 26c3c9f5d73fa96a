//! Every size limit in one place: how large a file Attune reads, and how many of each thing a
//! scenario may hold. Files are refused before they are read, so a mistaken `/dev/zero` or a
//! 1 GB file never fills memory; counts are checked by `attune check`, so no index is ever
//! narrowed silently (choices, wordings and state names are stored as 16-bit indices).
//!
//! Each limit is far above anything a person writes: the largest shipped scenario is 40 KB, with
//! at most 4 choices and 3 wordings per node and a handful of state names.

/// The largest scenario file read: 1,600 times the largest shipped scenario, and well under
/// the 4 GiB where byte positions would no longer fit a 32-bit span.
pub const SCENARIO_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The largest result file read. A result records one decision per line of dialogue, a few
/// hundred bytes each: a 1,000-decision run is about 400 KB.
pub const RESULT_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The largest portrait file read (a portrait is six short parameters, about 150 bytes).
pub const PORTRAIT_FILE_BYTES: u64 = 64 * 1024;

/// The most choices one client node may offer (a screen shows about six comfortably).
pub const CHOICES_PER_NODE: usize = 50;

/// The most wordings (`says`) of one client line.
pub const WORDINGS_PER_NODE: usize = 50;

/// The most rules one branch may have.
pub const RULES_PER_BRANCH: usize = 50;

/// The most state variables and flags together (the built-in `trust` and `distress` count).
pub const STATE_NAMES: usize = 10_000;

// Choices, wordings, rules, variables and flags are stored as 16-bit indices.
const _: () = assert!(CHOICES_PER_NODE <= u16::MAX as usize);
const _: () = assert!(WORDINGS_PER_NODE <= u16::MAX as usize);
const _: () = assert!(RULES_PER_BRANCH <= u16::MAX as usize);
const _: () = assert!(STATE_NAMES <= u16::MAX as usize);
// Byte positions in a scenario are 32-bit.
const _: () = assert!(SCENARIO_FILE_BYTES < u32::MAX as u64);

/// A byte count for people: `64 MiB`, `16 KiB`, `812 bytes`.
pub fn human_bytes(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    const GIB: u64 = 1024 * MIB;
    let scaled = |unit: u64, name: &str| {
        let whole = bytes / unit;
        let tenth = (bytes % unit) * 10 / unit;
        if tenth == 0 {
            format!("{whole} {name}")
        } else {
            format!("{whole}.{tenth} {name}")
        }
    };
    match bytes {
        b if b >= GIB => scaled(GIB, "GiB"),
        b if b >= MIB => scaled(MIB, "MiB"),
        b if b >= KIB => scaled(KIB, "KiB"),
        1 => "1 byte".to_owned(),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_naturally() {
        assert_eq!(human_bytes(SCENARIO_FILE_BYTES), "64 MiB");
        assert_eq!(human_bytes(PORTRAIT_FILE_BYTES), "64 KiB");
        assert_eq!(
            human_bytes(SCENARIO_FILE_BYTES + 1024 * 1024 / 2),
            "64.5 MiB"
        );
        assert_eq!(human_bytes(5 * 1024 * 1024 * 1024), "5 GiB");
        assert_eq!(human_bytes(812), "812 bytes");
        assert_eq!(human_bytes(1), "1 byte");
    }
}
