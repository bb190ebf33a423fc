//! The Team Communicator as the desk offers it: search across the directory and contacts,
//! favourites and recents per agent, and the actions valid for a target.

use crate::directory::{Directory, Presence, Target, TargetKind, contact_target};

use super::{Desk, DeskError};

/// What the agent can do with a Team Communicator result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamAction {
    /// Open an instant message to the target (agents, queues, skills, groups, routing points).
    SendInstantMessage,
    /// Call the target's number (handed to the system as a `tel:` link).
    Call,
    /// Add to favourites.
    AddFavourite,
    /// Remove from favourites.
    RemoveFavourite,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamResult {
    /// The target.
    pub target: Target,
    /// Whether it is one of the agent's favourites.
    pub favourite: bool,
}

impl Desk {
    /// The directory.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    fn favourite_keys(&self) -> Vec<(String, String)> {
        let Some(agent) = &self.agent else {
            return Vec::new();
        };
        self.services
            .store
            .favourites(&agent.id)
            .unwrap_or_default()
    }

    fn resolve(&self, kind: &str, id: &str) -> Option<Target> {
        let kind = TargetKind::from_name(kind)?;
        if kind != TargetKind::Contact {
            return self.directory.get(kind, id).cloned();
        }
        let contact_id: i64 = id.parse().ok()?;
        self.services
            .store
            .contact(contact_id)
            .ok()?
            .map(contact_target)
    }

    /// Results for what the agent typed, grouped by kind (agents, queues, skills, groups,
    /// routing points, contacts) and ranked within each: favourites first, then name-start
    /// matches, then Ready agents. An empty query lists favourites, then recent targets.
    pub fn team_search(&self, query: &str) -> Vec<TeamResult> {
        let favourites = self.favourite_keys();
        let is_favourite = |t: &Target| {
            favourites
                .iter()
                .any(|(k, id)| k == t.kind.name() && *id == t.id)
        };
        let mut results: Vec<TeamResult> = Vec::new();
        if query.trim().is_empty() {
            let recents = self
                .agent
                .as_ref()
                .and_then(|a| self.services.store.recents(&a.id, 10).ok())
                .unwrap_or_default();
            for (kind, id) in favourites.iter().chain(recents.iter()) {
                if let Some(target) = self.resolve(kind, id)
                    && !results.iter().any(|r| r.target == target)
                {
                    let favourite = is_favourite(&target);
                    results.push(TeamResult { target, favourite });
                }
            }
            return self.with_live_presence(results);
        }
        results.extend(
            crate::directory::find_targets(
                &self.directory,
                self.services.store.as_ref(),
                query,
                &is_favourite,
            )
            .into_iter()
            .map(|target| TeamResult {
                favourite: is_favourite(&target),
                target,
            }),
        );
        results.sort_by_key(|r| r.target.kind);
        self.with_live_presence(results)
    }

    /// Agents' presence as the platform knows it now, over the directory's.
    fn with_live_presence(&self, mut results: Vec<TeamResult>) -> Vec<TeamResult> {
        for result in &mut results {
            if result.target.kind == TargetKind::Agent
                && let Some(presence) = self.services.backend.presence(&result.target.id)
            {
                result.target.presence = Some(presence);
            }
        }
        results
    }

    /// The actions valid for a target here.
    pub fn team_actions(&self, result: &TeamResult) -> Vec<TeamAction> {
        let mut actions = Vec::new();
        let reachable = result.target.presence != Some(Presence::Offline);
        let internal = result.target.kind != TargetKind::Contact;
        if internal && reachable && self.may_send_im() {
            actions.push(TeamAction::SendInstantMessage);
        }
        if result.target.phone.is_some() && reachable {
            actions.push(TeamAction::Call);
        }
        actions.push(if result.favourite {
            TeamAction::RemoveFavourite
        } else {
            TeamAction::AddFavourite
        });
        actions
    }

    /// Carries out an action; returns a link for the system to open (`tel:`), if any.
    pub fn team_act(
        &mut self,
        target: &Target,
        action: TeamAction,
    ) -> Result<Option<String>, DeskError> {
        let agent = self.agent_id()?;
        let store = &self.services.store;
        match action {
            TeamAction::SendInstantMessage => {
                self.start_im(target, None)?;
                Ok(None)
            }
            TeamAction::AddFavourite | TeamAction::RemoveFavourite => {
                store.toggle_favourite(&agent, target.kind.name(), &target.id)?;
                Ok(None)
            }
            TeamAction::Call => {
                store.record_recent(&agent, target.kind.name(), &target.id, self.now())?;
                let number: String = target
                    .phone
                    .as_deref()
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect();
                Ok(Some(format!("tel:{number}")))
            }
        }
    }
}
