//! The embedded platform's colleagues answering invitations (transfers, instant messages, voice
//! consultations): each answer is due at a time on the host clock, so tests drive it precisely.
//!
//! Unscripted colleagues behave as their presence suggests: a Ready agent accepts after a few
//! seconds, a Busy one refuses, a Not Ready or Offline one lets the invitation time out; a
//! queue, skill, group or routing point finds an available agent and accepts. Tests script a
//! target's answer instead ([`ColleagueReply`]).

use std::collections::HashMap;

use serde::Deserialize;
use switchboard_sdk::{InvitationOutcome, Target, Timestamp};

pub use switchboard_core::directory::Presence;
use switchboard_core::directory::{Directory, TargetKind};

/// Seconds an unscripted colleague takes to answer.
pub const ANSWER_DELAY_SECONDS: i64 = 4;

const COLLEAGUES: &str = include_str!("../../../../assets/demo/colleagues.toml");

/// A colleague whose presence goes round a cycle on the host clock.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PresenceCycle {
    /// Login.
    pub login: String,
    /// Seconds each presence lasts.
    pub every_seconds: i64,
    /// The presences, in turn, from the platform's start.
    pub cycle: Vec<Presence>,
}

/// How the demo colleagues behave (`assets/demo/colleagues.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColleagueFile {
    /// Seconds an unscripted colleague takes to answer an IM message.
    pub reply_after_seconds: i64,
    /// Their short answers, in turn.
    pub replies: Vec<String>,
    /// Colleagues whose presence changes over time.
    #[serde(default)]
    pub presence: Vec<PresenceCycle>,
}

impl ColleagueFile {
    /// The shipped file; a broken one is logged and replaced by quiet colleagues.
    pub fn shipped() -> Self {
        toml::from_str(COLLEAGUES).unwrap_or_else(|e| {
            tracing::error!("assets/demo/colleagues.toml: {e}");
            Self {
                reply_after_seconds: 6,
                replies: vec!["OK.".into()],
                presence: Vec::new(),
            }
        })
    }
}

/// How a scripted colleague answers.
#[derive(Debug, Clone, PartialEq)]
pub enum ColleagueReply {
    /// Accepts after this many seconds.
    Accept {
        /// Delay.
        after_seconds: i64,
    },
    /// Refuses after this many seconds, with the reason.
    Reject {
        /// Delay.
        after_seconds: i64,
        /// Why.
        reason: String,
    },
    /// Never answers: the invitation times out.
    Ignore,
}

/// An answered (or timed-out) invitation.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Interaction.
    pub interaction: String,
    /// What the invitation was for (`transfer`, `instant-message`...).
    pub purpose: String,
    /// Who answered.
    pub target: Target,
    /// What happened.
    pub outcome: InvitationOutcome,
    answer_at: Timestamp,
}

/// Pending invitations and the scripts that answer them.
#[derive(Debug, Default)]
pub struct Colleagues {
    directory: Directory,
    scripts: HashMap<String, ColleagueReply>,
    pending: Vec<Answer>,
    cycles: Vec<PresenceCycle>,
    epoch: Timestamp,
    immediate: Vec<String>,
}

impl Colleagues {
    /// Colleagues from a directory.
    pub fn new(directory: Directory) -> Self {
        Self {
            directory,
            scripts: HashMap::new(),
            pending: Vec::new(),
            cycles: Vec::new(),
            epoch: Timestamp(0),
            immediate: Vec::new(),
        }
    }

    /// Lets presences go round their cycles, counted from `epoch` (the platform's start).
    pub fn with_presence_cycles(mut self, cycles: Vec<PresenceCycle>, epoch: Timestamp) -> Self {
        self.cycles = cycles
            .into_iter()
            .filter(|c| c.every_seconds > 0 && !c.cycle.is_empty())
            .collect();
        self.epoch = epoch;
        self
    }

    /// An agent's presence at `now`: their cycle's, else the directory's.
    pub fn presence_at(&self, login: &str, now: Timestamp) -> Option<Presence> {
        if let Some(cycle) = self.cycles.iter().find(|c| c.login == login) {
            let elapsed = now.seconds_since(self.epoch).max(0);
            let turn = (elapsed / cycle.every_seconds) as usize % cycle.cycle.len();
            return Some(cycle.cycle[turn]);
        }
        self.directory
            .get(TargetKind::Agent, login)
            .and_then(|t| t.presence)
    }

    /// Scripts how a target (by id) answers from now on.
    pub fn script(&mut self, target_id: &str, reply: ColleagueReply) {
        self.scripts.insert(target_id.to_owned(), reply);
    }

    fn reply_for(&mut self, target: &Target, now: Timestamp) -> ColleagueReply {
        if let Some(index) = self.immediate.iter().position(|id| *id == target.id) {
            self.immediate.remove(index);
            return ColleagueReply::Accept { after_seconds: 0 };
        }
        if let Some(reply) = self.scripts.get(target.id.as_str()) {
            return reply.clone();
        }
        let kind = TargetKind::from_name(&target.kind);
        let presence = match kind {
            Some(TargetKind::Agent) => self.presence_at(&target.id, now),
            _ => None,
        };
        match (kind, presence) {
            (Some(TargetKind::Agent), Some(Presence::Ready)) => ColleagueReply::Accept {
                after_seconds: ANSWER_DELAY_SECONDS,
            },
            (Some(TargetKind::Agent), Some(Presence::Busy)) => ColleagueReply::Reject {
                after_seconds: ANSWER_DELAY_SECONDS,
                reason: "busy with another customer".into(),
            },
            (Some(TargetKind::Agent), _) => ColleagueReply::Ignore,
            _ => ColleagueReply::Accept {
                after_seconds: ANSWER_DELAY_SECONDS,
            },
        }
    }

    /// The next invitation to this target is accepted at once (a colleague already in the
    /// conversation); their script, if any, applies again after it.
    pub fn script_once(&mut self, target_id: &str) {
        self.immediate.push(target_id.to_owned());
    }

    /// Whether a test or demo scripted how this target answers.
    pub fn is_scripted(&self, target_id: &str) -> bool {
        self.scripts.contains_key(target_id)
    }

    /// The directory the colleagues come from.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// Sends an invitation for `purpose`; its answer (or time-out) falls due later. A newer
    /// invitation for the same interaction and purpose replaces the older one.
    pub fn invite(
        &mut self,
        interaction: &str,
        purpose: &str,
        target: Target,
        now: Timestamp,
        timeout: i64,
    ) {
        let (answer_at, outcome) = match self.reply_for(&target, now) {
            ColleagueReply::Accept { after_seconds } if after_seconds < timeout => {
                (now.plus_seconds(after_seconds), InvitationOutcome::Accepted)
            }
            ColleagueReply::Reject {
                after_seconds,
                reason,
            } if after_seconds < timeout => (
                now.plus_seconds(after_seconds),
                InvitationOutcome::Rejected {
                    reason: reason.into(),
                },
            ),
            _ => (now.plus_seconds(timeout), InvitationOutcome::TimedOut),
        };
        self.pending
            .retain(|p| p.interaction != interaction || p.purpose != purpose);
        self.pending.push(Answer {
            interaction: interaction.to_owned(),
            purpose: purpose.to_owned(),
            target,
            answer_at,
            outcome,
        });
    }

    /// Answers due by `now`, earliest first.
    pub fn due(&mut self, now: Timestamp) -> Vec<Answer> {
        let mut due: Vec<Answer> = Vec::new();
        self.pending.retain(|p| {
            if p.answer_at <= now {
                due.push(p.clone());
                false
            } else {
                true
            }
        });
        due.sort_by_key(|p| p.answer_at);
        due
    }

    /// When the next answer falls due.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.pending.iter().map(|p| p.answer_at).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(kind: &str, id: &str) -> Target {
        Target {
            kind: kind.into(),
            id: id.into(),
            name: id.into(),
        }
    }

    #[test]
    fn presence_decides_unscripted_answers() {
        let mut colleagues = Colleagues::new(Directory::embedded());
        let t0 = Timestamp(0);
        colleagues.invite("a", "transfer", target("agent", "grace"), t0, 30);
        colleagues.invite("b", "transfer", target("agent", "alan"), t0, 30);
        colleagues.invite("c", "transfer", target("agent", "amara"), t0, 30);
        colleagues.invite("d", "transfer", target("queue", "q-billing"), t0, 30);
        assert!(colleagues.due(t0.plus_seconds(3)).is_empty());
        let answers = colleagues.due(t0.plus_seconds(4));
        assert_eq!(answers.len(), 3);
        assert_eq!(answers[0].outcome, InvitationOutcome::Accepted);
        assert!(matches!(
            answers[1].outcome,
            InvitationOutcome::Rejected { .. }
        ));
        let late = colleagues.due(t0.plus_seconds(30));
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].interaction, "c");
        assert_eq!(late[0].outcome, InvitationOutcome::TimedOut);
    }

    #[test]
    fn presence_goes_round_its_cycle_on_the_host_clock() {
        let cycle = PresenceCycle {
            login: "grace".into(),
            every_seconds: 300,
            cycle: vec![Presence::Ready, Presence::Busy],
        };
        let mut colleagues =
            Colleagues::new(Directory::embedded()).with_presence_cycles(vec![cycle], Timestamp(0));
        assert_eq!(
            colleagues.presence_at("grace", Timestamp(299_000)),
            Some(Presence::Ready)
        );
        assert_eq!(
            colleagues.presence_at("grace", Timestamp(300_000)),
            Some(Presence::Busy)
        );
        assert_eq!(
            colleagues.presence_at("grace", Timestamp(600_000)),
            Some(Presence::Ready)
        );
        assert_eq!(
            colleagues.presence_at("alan", Timestamp(300_000)),
            Some(Presence::Busy)
        );
        colleagues.invite(
            "a",
            "transfer",
            target("agent", "grace"),
            Timestamp(300_000),
            30,
        );
        let answers = colleagues.due(Timestamp(304_000));
        assert!(
            matches!(answers[0].outcome, InvitationOutcome::Rejected { .. }),
            "busy now"
        );
    }

    #[test]
    fn the_shipped_colleagues_file_parses() {
        let file = ColleagueFile::shipped();
        assert!(!file.replies.is_empty());
        assert!(!file.presence.is_empty(), "some presences change over time");
    }

    #[test]
    fn scripts_override_presence_and_slow_answers_time_out() {
        let mut colleagues = Colleagues::new(Directory::embedded());
        colleagues.script("grace", ColleagueReply::Accept { after_seconds: 60 });
        colleagues.invite("a", "transfer", target("agent", "grace"), Timestamp(0), 30);
        assert_eq!(colleagues.next_due(), Some(Timestamp(30_000)));
        let answers = colleagues.due(Timestamp(30_000));
        assert_eq!(answers[0].outcome, InvitationOutcome::TimedOut);
    }
}
