//! Attachments of messages (MMS images): stored with the message in one transaction, read back
//! with the transcript, and the provider ids of every SMS part sent, for delivery reports.

use rusqlite::{Connection, OptionalExtension, params};
use switchboard_sdk::{Attachment, TranscriptEntry};
use switchboard_seam::records::{NewAttachment, StoredAttachment};

pub(super) fn insert_attachments(
    conn: &Connection,
    entry: &mut TranscriptEntry,
    attachments: &[NewAttachment],
) -> rusqlite::Result<()> {
    for (position, item) in attachments.iter().enumerate() {
        conn.execute(
            "INSERT INTO attachments (message_id, position, media_type, name, size, data,
                                      thumbnail, problem)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                entry.id,
                position as i64,
                item.media_type,
                item.name,
                item.size as i64,
                item.data,
                item.thumbnail,
                item.problem
            ],
        )?;
        entry.attachments.push(Attachment {
            id: conn.last_insert_rowid(),
            media_type: item.media_type.as_str().into(),
            name: item.name.as_str().into(),
            size: item.size,
        });
    }
    Ok(())
}

/// Fills in the attachments of a transcript's entries (one query for the interaction).
pub(super) fn attach_to_transcript(
    conn: &Connection,
    interaction: &str,
    entries: &mut [TranscriptEntry],
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(
        "SELECT a.id, a.message_id, a.media_type, a.name, a.size
         FROM attachments a JOIN messages m ON m.id = a.message_id
         WHERE m.interaction_id = ?1 ORDER BY a.message_id, a.position",
    )?;
    let rows = statement.query_map([interaction], |r| {
        Ok((
            r.get::<_, i64>(1)?,
            Attachment {
                id: r.get(0)?,
                media_type: r.get::<_, String>(2)?.into(),
                name: r.get::<_, String>(3)?.into(),
                size: r.get::<_, i64>(4)?.max(0) as u64,
            },
        ))
    })?;
    for row in rows {
        let (message_id, attachment) = row?;
        if let Some(entry) = entries.iter_mut().find(|e| e.id == message_id) {
            entry.attachments.push(attachment);
        }
    }
    Ok(())
}

pub(super) fn attachment(conn: &Connection, id: i64) -> rusqlite::Result<Option<StoredAttachment>> {
    conn.query_row(
        "SELECT a.id, a.message_id, m.interaction_id, a.media_type, a.name, a.size,
                a.thumbnail, a.problem
         FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ?1",
        [id],
        |r| {
            Ok(StoredAttachment {
                id: r.get(0)?,
                message_id: r.get(1)?,
                interaction: r.get(2)?,
                media_type: r.get(3)?,
                name: r.get(4)?,
                size: r.get::<_, i64>(5)?.max(0) as u64,
                thumbnail: r.get(6)?,
                problem: r.get(7)?,
            })
        },
    )
    .optional()
}

pub(super) fn attachment_bytes(conn: &Connection, id: i64) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.query_row("SELECT data FROM attachments WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()
    .map(Option::flatten)
}

pub(super) fn record_part(
    conn: &Connection,
    provider_id: &str,
    message_id: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO provider_parts (provider_id, message_id) VALUES (?1, ?2)",
        params![provider_id, message_id],
    )?;
    Ok(())
}

pub(super) fn message_of_part(
    conn: &Connection,
    provider_id: &str,
) -> rusqlite::Result<Option<(i64, String)>> {
    conn.query_row(
        "SELECT m.id, m.interaction_id FROM provider_parts p JOIN messages m ON m.id = p.message_id
         WHERE p.provider_id = ?1",
        [provider_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}
