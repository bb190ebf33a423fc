//! Callbacks: an agent's promise to call a contact back at a date and time.

use rusqlite::{Connection, params};
use switchboard_sdk::Timestamp;
use switchboard_seam::records::Callback;

pub(super) fn schedule(
    conn: &Connection,
    callback: &Callback,
    now: Timestamp,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO callbacks (interaction_id, contact_name, number, due_ms, note, agent_id, state, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'scheduled', ?7)",
        params![
            callback.interaction,
            callback.contact_name,
            callback.number,
            callback.due.0,
            callback.note,
            callback.agent,
            now.0
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn callback_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Callback> {
    Ok(Callback {
        id: r.get(0)?,
        interaction: r.get(1)?,
        contact_name: r.get(2)?,
        number: r.get(3)?,
        due: Timestamp(r.get(4)?),
        note: r.get(5)?,
        agent: r.get(6)?,
        state: r.get(7)?,
    })
}

const COLUMNS: &str = "id, interaction_id, contact_name, number, due_ms, note, agent_id, state";

pub(super) fn upcoming(conn: &Connection, agent: &str) -> rusqlite::Result<Vec<Callback>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM callbacks WHERE agent_id = ?1 ORDER BY due_ms"
    ))?;
    statement.query_map([agent], callback_from_row)?.collect()
}

/// Marks the agent's callbacks due by `now` as notified and returns them.
pub(super) fn take_due(
    conn: &Connection,
    agent: &str,
    now: Timestamp,
) -> rusqlite::Result<Vec<Callback>> {
    let due: Vec<Callback> = {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM callbacks WHERE agent_id = ?1 AND state = 'scheduled' AND due_ms <= ?2
             ORDER BY due_ms"
        ))?;
        statement
            .query_map(params![agent, now.0], callback_from_row)?
            .collect::<rusqlite::Result<_>>()?
    };
    for callback in &due {
        conn.execute(
            "UPDATE callbacks SET state = 'notified' WHERE id = ?1",
            [callback.id],
        )?;
    }
    Ok(due)
}
