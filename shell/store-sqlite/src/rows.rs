//! Row types and the SQL that reads and writes them.

use rusqlite::{Connection, OptionalExtension, Row, params};
use switchboard_sdk::{
    KeyValue, Timestamp, TranscriptEntry,
    abi_stable::std_types::{ROption, RSome, RVec},
};
use switchboard_seam::records::{
    InteractionRow, InteractionState, NewMessage, role_from_text, role_to_text,
    status_from_columns, status_to_columns,
};

/// Whether a message with the same provider id is already stored (a redelivered webhook).
pub(super) fn already_stored(conn: &Connection, message: &NewMessage) -> rusqlite::Result<bool> {
    let Some(provider_id) = &message.provider_id else {
        return Ok(false);
    };
    conn.query_row(
        "SELECT 1 FROM messages WHERE provider_id = ?1",
        [provider_id],
        |_| Ok(()),
    )
    .optional()
    .map(|seen| seen.is_some())
}

pub(super) fn insert_interaction(
    conn: &Connection,
    row: &InteractionRow,
    contact_id: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO interactions (id, media_type, contact_id, contact_name, contact_address,
                                   our_address, state, agent_id, created_ms, done)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)",
        params![
            row.id,
            row.media_type,
            contact_id,
            row.contact_name,
            row.contact_address,
            row.our_address,
            row.state.name(),
            row.agent_id,
            row.created.0
        ],
    )?;
    for (key, value) in &row.case_data {
        conn.execute(
            "INSERT INTO case_data (interaction_id, key, value) VALUES (?1, ?2, ?3)",
            params![row.id, key, value],
        )?;
    }
    Ok(())
}

pub(super) fn insert_message(
    conn: &Connection,
    message: &NewMessage,
) -> rusqlite::Result<TranscriptEntry> {
    insert_message_as(conn, None, message)
}

/// Stores a message under `id`, or the next id no message and no reservation has.
pub(super) fn insert_message_as(
    conn: &Connection,
    id: Option<i64>,
    message: &NewMessage,
) -> rusqlite::Result<TranscriptEntry> {
    let (status, reason) = status_to_columns(&message.status);
    conn.execute(
        "INSERT INTO messages (id, interaction_id, role, author, author_key, time_ms, body,
                               status, status_reason, provider_id, parts)
         VALUES (COALESCE(?11, (SELECT MAX(
                     COALESCE((SELECT MAX(id) FROM messages), 0),
                     COALESCE((SELECT MAX(id) FROM message_id_reservations), 0)) + 1)),
                 ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            message.interaction,
            role_to_text(message.role),
            message.author,
            message.author_key,
            message.time.0,
            message.body,
            status,
            reason,
            message.provider_id,
            message.parts as i64,
            id
        ],
    )?;
    Ok(message.entry(conn.last_insert_rowid()))
}

/// Sets aside `count` ids after every stored and reserved one, for `agent`.
pub(super) fn reserve_message_ids(
    conn: &Connection,
    agent: &str,
    count: usize,
) -> rusqlite::Result<Vec<i64>> {
    let last: i64 = conn.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM messages), 0),
                    COALESCE((SELECT MAX(id) FROM message_id_reservations), 0))",
        [],
        |r| r.get(0),
    )?;
    let ids: Vec<i64> = (1..=count as i64).map(|n| last + n).collect();
    let mut insert =
        conn.prepare_cached("INSERT INTO message_id_reservations (id, agent) VALUES (?1, ?2)")?;
    for id in &ids {
        insert.execute(params![id, agent])?;
    }
    Ok(ids)
}

/// When the newest message of an interaction was stored, if it has one.
pub(super) fn latest_time(
    conn: &Connection,
    interaction: &str,
) -> rusqlite::Result<Option<Timestamp>> {
    let latest: Option<i64> = conn.query_row(
        "SELECT MAX(time_ms) FROM messages WHERE interaction_id = ?1",
        params![interaction],
        |r| r.get(0),
    )?;
    Ok(latest.map(Timestamp))
}

/// Takes the reservation of `id` by `agent`; whether there was one.
pub(super) fn take_reservation(conn: &Connection, agent: &str, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "DELETE FROM message_id_reservations WHERE id = ?1 AND agent = ?2",
        params![id, agent],
    )? == 1)
}

const INTERACTION_COLUMNS: &str = "id, media_type, contact_name, contact_address, our_address, \
                                   state, agent_id, created_ms, done";

fn interaction_from_row(row: &Row<'_>) -> rusqlite::Result<InteractionRow> {
    Ok(InteractionRow {
        id: row.get(0)?,
        media_type: row.get(1)?,
        contact_name: row.get(2)?,
        contact_address: row.get(3)?,
        our_address: row.get(4)?,
        state: InteractionState::from_name(&row.get::<_, String>(5)?)
            .unwrap_or(InteractionState::Closed),
        agent_id: row.get(6)?,
        created: Timestamp(row.get(7)?),
        done: row.get(8)?,
        case_data: Vec::new(),
    })
}

pub(super) fn interaction(conn: &Connection, id: &str) -> rusqlite::Result<Option<InteractionRow>> {
    conn.query_row(
        &format!("SELECT {INTERACTION_COLUMNS} FROM interactions WHERE id = ?1"),
        [id],
        interaction_from_row,
    )
    .optional()
}

pub(super) fn open_interaction_with(
    conn: &Connection,
    address: &str,
    media_type: &str,
) -> rusqlite::Result<Option<InteractionRow>> {
    conn.query_row(
        &format!(
            "SELECT {INTERACTION_COLUMNS} FROM interactions
             WHERE contact_address = ?1 AND media_type = ?2
               AND state NOT IN ('closed', 'ended', 'transferred') AND done = 0
             ORDER BY created_ms DESC LIMIT 1"
        ),
        params![address, media_type],
        interaction_from_row,
    )
    .optional()
}

pub(super) fn held_by(conn: &Connection, agent: &str) -> rusqlite::Result<Vec<InteractionRow>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {INTERACTION_COLUMNS} FROM interactions
         WHERE agent_id = ?1 AND state IN ('accepted', 'ended') AND done = 0
         ORDER BY created_ms"
    ))?;
    statement
        .query_map([agent], interaction_from_row)?
        .collect()
}

pub(super) fn interactions_in_states(
    conn: &Connection,
    states: &[InteractionState],
) -> rusqlite::Result<Vec<InteractionRow>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {INTERACTION_COLUMNS} FROM interactions WHERE state = ?1 ORDER BY created_ms"
    ))?;
    let mut rows = Vec::new();
    for state in states {
        for row in statement.query_map([state.name()], interaction_from_row)? {
            rows.push(row?);
        }
    }
    rows.sort_by_key(|r| r.created);
    Ok(rows)
}

pub(super) fn case_data(conn: &Connection, id: &str) -> rusqlite::Result<Vec<KeyValue>> {
    let mut statement = conn.prepare_cached(
        "SELECT key, value FROM case_data WHERE interaction_id = ?1 ORDER BY key",
    )?;
    statement
        .query_map([id], |r| {
            Ok(KeyValue {
                key: r.get::<_, String>(0)?.into(),
                value: r.get::<_, String>(1)?.into(),
            })
        })?
        .collect()
}

pub(super) fn transcript(conn: &Connection, id: &str) -> rusqlite::Result<Vec<TranscriptEntry>> {
    entries(conn, id, i64::MAX)
}

/// The first entry of an interaction, without reading the rest.
pub(super) fn first_entry(conn: &Connection, id: &str) -> rusqlite::Result<Vec<TranscriptEntry>> {
    entries(conn, id, 1)
}

fn entries(conn: &Connection, id: &str, limit: i64) -> rusqlite::Result<Vec<TranscriptEntry>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, interaction_id, role, author, author_key, time_ms, body, status,
                status_reason, provider_id
         FROM messages WHERE interaction_id = ?1 ORDER BY time_ms, id LIMIT ?2",
    )?;
    statement
        .query_map(params![id, limit], |r| {
            let provider_id: Option<String> = r.get(9)?;
            Ok(TranscriptEntry {
                id: r.get(0)?,
                interaction: r.get::<_, String>(1)?.into(),
                role: role_from_text(&r.get::<_, String>(2)?).into(),
                author: r.get::<_, String>(3)?.into(),
                author_key: r.get::<_, String>(4)?.into(),
                time: Timestamp(r.get(5)?),
                text: r.get::<_, String>(6)?.into(),
                attachments: RVec::new(),
                status: status_from_columns(&r.get::<_, String>(7)?, r.get(8)?).into(),
                provider_id: provider_id.map_or(ROption::RNone, |p| RSome(p.into())),
            })
        })?
        .collect()
}
