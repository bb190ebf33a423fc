//! Contacts, notes, dispositions and the contact's history with full-text search.

use rusqlite::{Connection, OptionalExtension, params};
use switchboard_sdk::Timestamp;

/// A contact record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    /// Store id.
    pub id: i64,
    /// Name shown to agents.
    pub display_name: String,
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Preferred language (`en`, `fr`).
    pub language: Option<String>,
}

/// One past or open interaction of a contact.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryItem {
    /// Interaction id.
    pub interaction: String,
    /// Media type.
    pub media_type: String,
    /// When it was created.
    pub created: Timestamp,
    /// `queued`, `offered`, `accepted`, `closed`.
    pub state: String,
    /// Disposition code chosen.
    pub disposition: Option<String>,
    /// The agent's note.
    pub note: Option<String>,
    /// Number of messages.
    pub messages: usize,
    /// A matching excerpt when searching, else the first message.
    pub excerpt: String,
}

pub(super) fn contact_of_interaction(
    conn: &Connection,
    id: &str,
) -> rusqlite::Result<Option<Contact>> {
    conn.query_row(
        "SELECT c.id, c.display_name, c.phone, c.email, c.language
         FROM interactions i JOIN contacts c ON c.id = i.contact_id WHERE i.id = ?1",
        [id],
        |r| {
            Ok(Contact {
                id: r.get(0)?,
                display_name: r.get(1)?,
                phone: r.get(2)?,
                email: r.get(3)?,
                language: r.get(4)?,
            })
        },
    )
    .optional()
}

pub(super) fn update_contact(conn: &Connection, contact: &Contact) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE contacts SET display_name = ?1, phone = ?2, email = ?3, language = ?4 WHERE id = ?5",
        params![contact.display_name, contact.phone, contact.email, contact.language, contact.id],
    )?;
    Ok(())
}

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

/// Turns what an agent types into an FTS5 query: each word a quoted prefix term, all required.
pub(super) fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

pub(super) fn search_history(
    conn: &Connection,
    contact_id: i64,
    query: &str,
    limit: usize,
) -> rusqlite::Result<Vec<HistoryItem>> {
    let Some(fts) = fts_query(query) else {
        return history(conn, contact_id, limit);
    };
    let mut statement = conn.prepare_cached(
        "WITH hits AS (
            SELECT m.interaction_id AS id, snippet(messages_fts, 0, '[', ']', '…', 8) AS excerpt,
                   bm25(messages_fts) AS rank
            FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
            JOIN interactions i ON i.id = m.interaction_id
            WHERE messages_fts MATCH ?1 AND i.contact_id = ?2
            UNION ALL
            SELECT notes_fts.interaction_id, snippet(notes_fts, 1, '[', ']', '…', 8), bm25(notes_fts)
            FROM notes_fts JOIN interactions i ON i.id = notes_fts.interaction_id
            WHERE notes_fts MATCH ?1 AND i.contact_id = ?2
         )
         SELECT id, MIN(rank), excerpt FROM hits GROUP BY id ORDER BY MIN(rank) LIMIT ?3",
    )?;
    let hits: Vec<(String, String)> = statement
        .query_map(params![fts, contact_id, limit as i64], |r| {
            Ok((r.get(0)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
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
