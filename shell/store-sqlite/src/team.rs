//! Team Communicator storage: favourites and recents per agent, and contact lookup.

use rusqlite::{Connection, params};
use switchboard_sdk::Timestamp;
use switchboard_seam::records::PersonalWord;

/// Adds or removes a favourite; returns whether it is a favourite afterwards.
pub(super) fn toggle_favourite(
    conn: &Connection,
    agent: &str,
    kind: &str,
    id: &str,
) -> rusqlite::Result<bool> {
    let removed = conn.execute(
        "DELETE FROM favourites WHERE agent_id = ?1 AND kind = ?2 AND target_id = ?3",
        params![agent, kind, id],
    )?;
    if removed > 0 {
        return Ok(false);
    }
    conn.execute(
        "INSERT INTO favourites (agent_id, kind, target_id) VALUES (?1, ?2, ?3)",
        params![agent, kind, id],
    )?;
    Ok(true)
}

pub(super) fn favourites(
    conn: &Connection,
    agent: &str,
) -> rusqlite::Result<Vec<(String, String)>> {
    let mut statement = conn.prepare_cached(
        "SELECT kind, target_id FROM favourites WHERE agent_id = ?1 ORDER BY kind, target_id",
    )?;
    statement
        .query_map([agent], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

pub(super) fn record_recent(
    conn: &Connection,
    agent: &str,
    kind: &str,
    id: &str,
    now: Timestamp,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO recents (agent_id, kind, target_id, used_ms) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(agent_id, kind, target_id) DO UPDATE SET used_ms = excluded.used_ms",
        params![agent, kind, id, now.0],
    )?;
    Ok(())
}

pub(super) fn recents(
    conn: &Connection,
    agent: &str,
    limit: usize,
) -> rusqlite::Result<Vec<(String, String)>> {
    let mut statement = conn.prepare_cached(
        "SELECT kind, target_id FROM recents WHERE agent_id = ?1 ORDER BY used_ms DESC LIMIT ?2",
    )?;
    statement
        .query_map(params![agent, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

pub(super) fn add_personal_word(
    conn: &Connection,
    agent: &str,
    language: &str,
    word: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO personal_words (agent_id, language, word) VALUES (?1, ?2, ?3)",
        params![agent, language, word],
    )?;
    Ok(())
}

pub(super) fn personal_words(
    conn: &Connection,
    agent: &str,
) -> rusqlite::Result<Vec<PersonalWord>> {
    let mut statement = conn.prepare_cached(
        "SELECT language, word FROM personal_words WHERE agent_id = ?1 ORDER BY word, language",
    )?;
    statement
        .query_map([agent], |r| {
            Ok(PersonalWord {
                language: r.get(0)?,
                word: r.get(1)?,
            })
        })?
        .collect()
}
