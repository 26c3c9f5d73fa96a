//! Our own id types for everything that is saved or referred to across files. Never `Entity`,
//! never a bare index: ids are what results, reports and translations hold on to.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }
    )*};
}

string_id! {
    /// A scenario's stable id, e.g. `"grief-first-session"`.
    ScenarioId,
    /// A client node's or branch's id, unique within its scenario (endings share the namespace).
    NodeId,
    /// A choice's id, unique within its scenario: authored, or `<node>.<n>` by position.
    ChoiceId,
    /// An ending's id.
    EndingId,
    /// A pseudonymous trainee id, as the trainee typed it.
    TraineeId,
    /// One run of a scenario: unique across a results folder.
    RunId,
}

macro_rules! id_from_raw_ron {
    ($($name:ident),*) => {$(
        impl crate::span::FromRawRon for $name {
            fn from_raw_ron(raw: &str) -> Result<Self, String> {
                <String as crate::span::FromRawRon>::from_raw_ron(raw).map($name)
            }

            fn read_fast<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<crate::span::Spanned<Self>, D::Error> {
                let text = String::read_fast(deserializer)?;
                Ok(crate::span::Spanned::new($name(text.value), text.span))
            }
        }
    )*};
}
id_from_raw_ron!(ScenarioId, NodeId, ChoiceId, EndingId);
