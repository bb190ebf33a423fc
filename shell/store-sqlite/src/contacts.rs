//! Contact records: names, several labelled phones and e-mails, language, custom fields, and
//! whether an agent made the record or it stands for an unknown sender. Reading, finding by
//! address, searching, saving (with a check that no other contact owns an address).

use rusqlite::{Connection, OptionalExtension, params};
use switchboard_sdk::Timestamp;
use switchboard_seam::records::{
    Contact, ContactField, ContactPoint, PointKind, TakenAddress, match_key,
};

const CONTACT_COLUMNS: &str =
    "c.id, c.display_name, c.first_name, c.last_name, c.phone, c.email, c.language, c.known";

/// A contact from a row selected with [`CONTACT_COLUMNS`], with its addresses and fields.
fn contact_from_row(conn: &Connection, r: &rusqlite::Row<'_>) -> rusqlite::Result<Contact> {
    let id: i64 = r.get(0)?;
    let mut contact = Contact {
        id,
        display_name: r.get(1)?,
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        language: r.get(6)?,
        known: r.get(7)?,
        ..Contact::default()
    };
    let mut points = conn.prepare_cached(
        "SELECT kind, label, value FROM contact_points WHERE contact_id = ?1 ORDER BY kind, position",
    )?;
    for point in points.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            ContactPoint {
                label: r.get(1)?,
                value: r.get(2)?,
            },
        ))
    })? {
        let (kind, point) = point?;
        if kind == PointKind::Phone.as_str() {
            contact.phones.push(point);
        } else {
            contact.emails.push(point);
        }
    }
    // Records written before addresses had their own table (or by bulk loads) keep theirs on
    // the row.
    for (list, column, label) in [
        (&mut contact.phones, 4, "mobile"),
        (&mut contact.emails, 5, "work"),
    ] {
        if list.is_empty()
            && let Some(value) = r
                .get::<_, Option<String>>(column)?
                .filter(|v| !v.is_empty())
        {
            list.push(ContactPoint {
                label: label.into(),
                value,
            });
        }
    }
    let mut fields = conn.prepare_cached(
        "SELECT name, value FROM contact_fields WHERE contact_id = ?1 ORDER BY position",
    )?;
    contact.fields = fields
        .query_map([id], |r| {
            Ok(ContactField {
                name: r.get(0)?,
                value: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(contact)
}

fn query_contacts(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<Vec<Contact>> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let mut contacts = Vec::new();
    while let Some(row) = rows.next()? {
        contacts.push(contact_from_row(conn, row)?);
    }
    Ok(contacts)
}

pub(super) fn contact(conn: &Connection, id: i64) -> rusqlite::Result<Option<Contact>> {
    query_contacts(
        conn,
        &format!("SELECT {CONTACT_COLUMNS} FROM contacts c WHERE c.id = ?1"),
        [id],
    )
    .map(|found| found.into_iter().next())
}

pub(super) fn contact_of_interaction(
    conn: &Connection,
    id: &str,
) -> rusqlite::Result<Option<Contact>> {
    query_contacts(
        conn,
        &format!(
            "SELECT {CONTACT_COLUMNS} FROM interactions i JOIN contacts c ON c.id = i.contact_id
             WHERE i.id = ?1"
        ),
        [id],
    )
    .map(|found| found.into_iter().next())
}

/// Known contacts whose names or any of whose addresses contain `query`.
pub(super) fn search_contacts(
    conn: &Connection,
    query: &str,
    limit: usize,
) -> rusqlite::Result<Vec<Contact>> {
    let pattern = format!("%{}%", query.trim().replace(['%', '_'], ""));
    query_contacts(
        conn,
        &format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts c
             WHERE c.known = 1 AND (c.display_name LIKE ?1 OR c.phone LIKE ?1 OR c.email LIKE ?1
                OR c.id IN (SELECT contact_id FROM contact_points WHERE value LIKE ?1)
                OR c.id IN (SELECT contact_id FROM contact_fields WHERE value LIKE ?1))
             ORDER BY c.display_name LIMIT ?2"
        ),
        params![pattern, limit as i64],
    )
}

/// The contact with this address, other than `except`.
fn owner_of(
    conn: &Connection,
    kind: PointKind,
    value: &str,
    except: Option<i64>,
) -> rusqlite::Result<Option<i64>> {
    let column = match kind {
        PointKind::Phone => "phone",
        PointKind::Email => "email",
    };
    conn.query_row(
        &format!(
            "SELECT contact_id FROM contact_points
                 WHERE kind = ?1 AND match_key = ?2 AND contact_id IS NOT ?4
             UNION ALL
             SELECT id FROM contacts WHERE {column} = ?3 AND id IS NOT ?4
             LIMIT 1"
        ),
        params![kind.as_str(), match_key(kind, value), value, except],
        |r| r.get(0),
    )
    .optional()
}

/// The contact who owns `phone`, or a new record standing for that unknown sender.
pub(super) fn find_or_create_contact(
    conn: &Connection,
    phone: &str,
    name: &str,
    now: Timestamp,
) -> rusqlite::Result<i64> {
    if let Some(id) = owner_of(conn, PointKind::Phone, phone, None)? {
        return Ok(id);
    }
    let name = name.trim();
    let known =
        !name.is_empty() && match_key(PointKind::Phone, name) != match_key(PointKind::Phone, phone);
    let (first, last) = if known {
        name.split_once(' ').unwrap_or((name, ""))
    } else {
        ("", "")
    };
    conn.execute(
        "INSERT INTO contacts (display_name, first_name, last_name, phone, known, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            if known { name } else { phone },
            first,
            last.trim(),
            phone,
            known,
            now.0
        ],
    )?;
    let id = conn.last_insert_rowid();
    insert_point(conn, id, PointKind::Phone, 0, "mobile", phone)?;
    Ok(id)
}

fn insert_point(
    conn: &Connection,
    contact: i64,
    kind: PointKind,
    position: usize,
    label: &str,
    value: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO contact_points (contact_id, kind, position, label, value, match_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        contact,
        kind.as_str(),
        position as i64,
        label,
        value,
        match_key(kind, value)
    ])?;
    Ok(())
}

/// Saves an agent's edit of a contact (which makes it known), replacing its addresses and
/// fields, unless another contact already has one of its addresses.
pub(super) fn save_contact(
    tx: &rusqlite::Transaction<'_>,
    contact: &Contact,
) -> rusqlite::Result<Result<(), TakenAddress>> {
    let contact = contact.tidied();
    for (kind, points) in [
        (PointKind::Phone, &contact.phones),
        (PointKind::Email, &contact.emails),
    ] {
        for point in points {
            if let Some(owner) = owner_of(tx, kind, &point.value, Some(contact.id))? {
                let owner = tx.query_row(
                    "SELECT display_name FROM contacts WHERE id = ?1",
                    [owner],
                    |r| r.get(0),
                )?;
                return Ok(Err(TakenAddress {
                    address: point.value.clone(),
                    owner,
                }));
            }
        }
    }
    tx.execute(
        "UPDATE contacts SET display_name = ?1, first_name = ?2, last_name = ?3, phone = ?4,
             email = ?5, language = ?6, known = 1 WHERE id = ?7",
        params![
            contact.display_name,
            contact.first_name,
            contact.last_name,
            contact.phone(),
            contact.email(),
            contact.language,
            contact.id
        ],
    )?;
    tx.execute(
        "DELETE FROM contact_points WHERE contact_id = ?1",
        [contact.id],
    )?;
    tx.execute(
        "DELETE FROM contact_fields WHERE contact_id = ?1",
        [contact.id],
    )?;
    for (kind, points) in [
        (PointKind::Phone, &contact.phones),
        (PointKind::Email, &contact.emails),
    ] {
        for (position, point) in points.iter().enumerate() {
            insert_point(tx, contact.id, kind, position, &point.label, &point.value)?;
        }
    }
    for (position, field) in contact.fields.iter().enumerate() {
        tx.execute(
            "INSERT INTO contact_fields (contact_id, position, name, value) VALUES (?1, ?2, ?3, ?4)",
            params![contact.id, position as i64, field.name, field.value],
        )?;
    }
    Ok(Ok(()))
}
