//! Notes, dispositions and the contact's history with full-text search.

use rusqlite::{Connection, OptionalExtension, params};
use switchboard_sdk::Timestamp;
use switchboard_seam::records::{HistoryItem, HistoryQuery};

pub(super) fn set_note(
    conn: &Connection,
    id: &str,
    body: &str,
    now: Timestamp,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO notes (interaction_id, body, updated_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT(interaction_id) DO UPDATE SET body = excluded.body, updated_ms = excluded.updated_ms",
        params![id, body, now.0],
    )?;
    Ok(())
}

pub(super) fn note(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT body FROM notes WHERE interaction_id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
}

pub(super) fn set_disposition(
    conn: &Connection,
    id: &str,
    code: &str,
    now: Timestamp,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO dispositions (interaction_id, code, chosen_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT(interaction_id) DO UPDATE SET code = excluded.code, chosen_ms = excluded.chosen_ms",
        params![id, code, now.0],
    )?;
    Ok(())
}

pub(super) fn disposition(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT code FROM dispositions WHERE interaction_id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
}

/// Open interactions of the contact, or ones created since `since`, other than `exclude`.
pub(super) fn other_interactions(
    conn: &Connection,
    contact_id: i64,
    exclude: &str,
    since: Timestamp,
) -> rusqlite::Result<usize> {
    conn.query_row(
        "SELECT COUNT(*) FROM interactions
         WHERE contact_id = ?1 AND id <> ?2 AND (state <> 'closed' OR created_ms >= ?3)",
        params![contact_id, exclude, since.0],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as usize)
}

const HISTORY_SELECT: &str = "SELECT i.id, i.media_type, i.created_ms, i.state, d.code, n.body,
        (SELECT COUNT(*) FROM messages m WHERE m.interaction_id = i.id),
        COALESCE((SELECT body FROM messages m WHERE m.interaction_id = i.id ORDER BY m.id LIMIT 1), '')
    FROM interactions i
    LEFT JOIN dispositions d ON d.interaction_id = i.id
    LEFT JOIN notes n ON n.interaction_id = i.id";

fn history_item(r: &rusqlite::Row<'_>) -> rusqlite::Result<HistoryItem> {
    Ok(HistoryItem {
        interaction: r.get(0)?,
        media_type: r.get(1)?,
        created: Timestamp(r.get(2)?),
        state: r.get(3)?,
        disposition: r.get(4)?,
        note: r.get(5)?,
        messages: r.get::<_, i64>(6)? as usize,
        excerpt: r.get(7)?,
    })
}

pub(super) fn history(
    conn: &Connection,
    contact_id: i64,
    limit: usize,
) -> rusqlite::Result<Vec<HistoryItem>> {
    let mut statement = conn.prepare_cached(&format!(
        "{HISTORY_SELECT} WHERE i.contact_id = ?1 ORDER BY i.created_ms DESC LIMIT ?2"
    ))?;
    statement
        .query_map(params![contact_id, limit as i64], history_item)?
        .collect()
}

/// The FTS5 query: the contact's owner token and every whole word, each quoted.
fn fts(query: &HistoryQuery, contact_id: i64) -> String {
    let mut terms = vec![format!("owner : \"c{contact_id}\"")];
    terms.extend(query.whole().iter().map(|w| format!("body : \"{w}\"")));
    terms.join(" AND ")
}

pub(super) fn search_history(
    conn: &Connection,
    contact_id: i64,
    query: &str,
    limit: usize,
) -> rusqlite::Result<Vec<HistoryItem>> {
    let Some(query) = HistoryQuery::parse(query) else {
        return history(conn, contact_id, limit);
    };
    // Whole words intersect the contact's short doclist inside FTS5 (ranked by bm25); the
    // word being typed is checked on those few candidates, never expanded over the store.
    let mut statement = conn.prepare_cached(
        "SELECT interaction_id, body FROM history_fts WHERE history_fts MATCH ?1 ORDER BY rank",
    )?;
    let mut hits: Vec<(String, String)> = Vec::new();
    let mut rows = statement.query([fts(&query, contact_id)])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let body: String = row.get(1)?;
        if query.matches_prefix(&body) && !hits.iter().any(|(seen, _)| *seen == id) {
            hits.push((id, query.excerpt(&body)));
            if hits.len() == limit {
                break;
            }
        }
    }
    let mut items = Vec::with_capacity(hits.len());
    let mut one = conn.prepare_cached(&format!("{HISTORY_SELECT} WHERE i.id = ?1"))?;
    for (id, excerpt) in hits {
        if let Some(mut item) = one.query_row([&id], history_item).optional()? {
            item.excerpt = excerpt;
            items.push(item);
        }
    }
    Ok(items)
}
