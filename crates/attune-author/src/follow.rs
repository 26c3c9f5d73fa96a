//! Play-as-you-write: the replies chosen so far, followed again in an edited version of the
//! scenario, so the author carries on where they were after saving (or learns at which
//! decision the edit breaks the path). The session starts where the first one did: at the
//! scenario's start, or where the author jumped to ([`crate::start_at::start`]).

use std::sync::Arc;

use attune_core::Playable;
use attune_core::engine::{Mode, Session, Status};

use crate::start_at::{self, StartState};

/// Where a session began.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Origin {
    /// The scenario's start.
    #[default]
    Start,
    /// A node the author jumped to, with the state chosen for it.
    Jump { node: String, state: StartState },
}

/// The edited session, and where the path broke if it did.
#[derive(Debug, Clone)]
pub struct Followed {
    /// At the last decision that could be followed.
    pub session: Session,
    /// How many of the replies were chosen again.
    pub followed: usize,
    /// Why the next reply could not be chosen, e.g. "decision 3, at `guilt`: the reply
    /// `guilt.2` is no longer in this node".
    pub broke: Option<String>,
}

/// The replies still standing in `session` (take-backs left out), by choice id.
pub fn path_of(session: &Session) -> Vec<String> {
    let playable = session.playable();
    session
        .decisions()
        .iter()
        .filter(|d| !d.taken_back)
        .map(|d| {
            playable
                .choice_links(d.prompt.node, d.choice)
                .id
                .as_str()
                .to_owned()
        })
        .collect()
}

/// Starts `edited` at `origin` and chooses each reply of `path` by id, as far as it goes.
/// `Err` only when the origin itself is gone (the node jumped to was removed or renamed).
pub fn follow(
    edited: Arc<Playable>,
    origin: &Origin,
    mode: Mode,
    seed: u64,
    path: &[String],
) -> Result<Followed, start_at::Problem> {
    let mut session = match origin {
        Origin::Start => Session::start(Arc::clone(&edited), mode, seed),
        Origin::Jump { node, state } => {
            start_at::start(Arc::clone(&edited), mode, seed, node, state)?
        }
    };
    let mut broke = None;
    let mut followed = 0;
    for (i, id) in path.iter().enumerate() {
        let step = i + 1;
        let at = session.node().map(|n| n.id.as_str().to_owned());
        let Some(at) = at else {
            broke = Some(match session.status() {
                Status::Ended(e) => format!(
                    "decision {step}: the session now ends before it, at `{}`",
                    edited.ending(e).id.as_str()
                ),
                _ => format!("decision {step}: the session now stops before it"),
            });
            break;
        };
        match session.choose_id(id, 0) {
            Ok(_) => followed += 1,
            Err(err) => {
                let in_node = session
                    .prompt()
                    .is_some_and(|p| edited.choices(p.node).any(|(_, _, l)| l.id.as_str() == id));
                let why = if in_node {
                    format!("the reply `{id}` is not on offer with this state ({err})")
                } else if id.rsplit_once('.').is_some_and(|(node, _)| node != at) {
                    format!("the path now reaches `{at}` instead, where {err}")
                } else {
                    format!("the reply `{id}` is no longer in this node; {err}")
                };
                broke = Some(format!("decision {step}, at `{at}`: {why}"));
                break;
            }
        }
    }
    Ok(Followed {
        session,
        followed,
        broke,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TOM, tom};

    fn edited(from: &str, to: &str) -> Arc<Playable> {
        let text = std::fs::read_to_string(TOM).unwrap();
        assert!(text.contains(from), "{from}");
        attune_core::load_str("tom.scenario.ron", text.replacen(from, to, 1), None)
            .playable
            .expect("the edit is valid")
    }

    fn played(choices: &[usize]) -> Session {
        let mut session = Session::start(tom(), Mode::Practice, 3);
        for &c in choices {
            session.choose(c, 0).unwrap();
        }
        session
    }

    #[test]
    fn an_edit_elsewhere_keeps_the_path() {
        let session = played(&[1, 1]);
        let path = path_of(&session);
        assert_eq!(path.len(), 2);
        let new = edited("Eleven weeks", "Eleven weeks (revised)");
        let followed = follow(new, &Origin::Start, Mode::Practice, 3, &path).unwrap();
        assert_eq!(followed.followed, 2);
        assert_eq!(followed.broke, None);
        assert_eq!(
            followed.session.node().map(|n| n.id.as_str()),
            session.node().map(|n| n.id.as_str())
        );
    }

    #[test]
    fn a_removed_reply_says_where_the_path_breaks() {
        let mut session = Session::start(tom(), Mode::Practice, 3);
        session.choose_id("opening.reflect-reluctance", 0).unwrap();
        let path = path_of(&session);
        let new = edited(
            "id: \"opening.reflect-reluctance\"",
            "id: \"opening.reflect\"",
        );
        let followed = follow(new, &Origin::Start, Mode::Practice, 3, &path).unwrap();
        assert_eq!(followed.followed, 0);
        let broke = followed.broke.unwrap();
        assert!(broke.starts_with("decision 1, at `opening`: the reply `opening.reflect-reluctance` is no longer in this node"), "{broke}");
        assert_eq!(followed.session.node().unwrap().id.as_str(), "opening");
    }

    #[test]
    fn a_jump_is_followed_from_where_it_began() {
        let state = StartState {
            variables: vec![("trust".into(), 6)],
            flags: vec![],
        };
        let origin = Origin::Jump {
            node: "relief".into(),
            state,
        };
        let first = follow(tom(), &origin, Mode::Practice, 1, &[])
            .unwrap()
            .session;
        assert_eq!(first.node().unwrap().id.as_str(), "relief");
        assert_eq!(first.variable("trust"), Some(6));
        let mut session = first.clone();
        session.choose(1, 0).unwrap();
        let path = path_of(&session);
        let again = follow(tom(), &origin, Mode::Practice, 1, &path).unwrap();
        assert_eq!(again.followed, 1);
        let gone = Origin::Jump {
            node: "no-such-node".into(),
            state: StartState::default(),
        };
        assert!(follow(tom(), &gone, Mode::Practice, 1, &path).is_err());
    }
}
