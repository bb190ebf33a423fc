//! Who takes part in a chat's conference on the cluster: the agent holding the interaction and
//! the colleagues who accepted to join, listed under the case-data key [`CONFERENCE_KEY`] so
//! that every gateway reads the same list from the records. Members read and write the
//! conversation as its holder does; when the holder leaves, one member takes it over.

use switchboard_seam::records::{InteractionRecords, InteractionRow, StoreError};
use switchboard_store_postgres::PgStore;

/// The case-data key listing a chat's conference members (a key starting with `_` is the
/// platform's own: the desk does not show it).
pub const CONFERENCE_KEY: &str = "_conference";

/// The colleagues in the interaction's conference (not its holder).
pub fn members(store: &PgStore, interaction: &str) -> Result<Vec<String>, StoreError> {
    Ok(store
        .case_data(interaction)?
        .iter()
        .find(|kv| kv.key.as_str() == CONFERENCE_KEY)
        .map(|kv| {
            kv.value
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

fn write(store: &PgStore, interaction: &str, members: &[String]) -> Result<(), StoreError> {
    store.set_case_value(interaction, CONFERENCE_KEY, &members.join(","))
}

/// `agent` joins the conference.
pub fn join(store: &PgStore, interaction: &str, agent: &str) -> Result<(), StoreError> {
    let mut list = members(store, interaction)?;
    if !list.iter().any(|a| a == agent) {
        list.push(agent.to_owned());
    }
    write(store, interaction, &list)
}

/// `agent` is no longer a member (they left, or took the chat over).
pub fn leave(store: &PgStore, interaction: &str, agent: &str) -> Result<(), StoreError> {
    let mut list = members(store, interaction)?;
    list.retain(|a| a != agent);
    write(store, interaction, &list)
}

/// Whether `agent` holds the interaction or is in its conference.
pub fn takes_part(store: &PgStore, agent: &str, row: &InteractionRow) -> Result<bool, StoreError> {
    if row.agent_id.as_deref() == Some(agent) {
        return Ok(true);
    }
    Ok(members(store, &row.id)?.iter().any(|a| a == agent))
}
