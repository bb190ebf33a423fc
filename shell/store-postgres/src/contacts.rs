//! Contact records in PostgreSQL: reading one with its addresses and fields, finding the owner
//! of an address, creating the record of an unknown sender, searching, saving an agent's edit.

use postgres::GenericClient;
use switchboard_sdk::Timestamp;
use switchboard_seam::records::{
    Contact, ContactField, ContactPoint, PointKind, TakenAddress, match_key,
};

const CONTACT_COLUMNS: &str =
    "c.id, c.display_name, c.first_name, c.last_name, c.language, c.known";

fn read_contacts(
    client: &mut impl GenericClient,
    sql: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
) -> Result<Vec<Contact>, postgres::Error> {
    let rows = client.query(sql, params)?;
    let mut contacts = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.get(0);
        let mut contact = Contact {
            id,
            display_name: row.get(1),
            first_name: row.get(2),
            last_name: row.get(3),
            language: row.get(4),
            known: row.get(5),
            ..Contact::default()
        };
        for point in client.query(
            "SELECT kind, label, value FROM contact_points WHERE contact_id = $1
             ORDER BY kind, position",
            &[&id],
        )? {
            let kind: String = point.get(0);
            let entry = ContactPoint {
                label: point.get(1),
                value: point.get(2),
            };
            if kind == PointKind::Phone.as_str() {
                contact.phones.push(entry);
            } else {
                contact.emails.push(entry);
            }
        }
        contact.fields = client
            .query(
                "SELECT name, value FROM contact_fields WHERE contact_id = $1 ORDER BY position",
                &[&id],
            )?
            .into_iter()
            .map(|f| ContactField {
                name: f.get(0),
                value: f.get(1),
            })
            .collect();
        contacts.push(contact);
    }
    Ok(contacts)
}

pub(crate) fn contact(
    client: &mut impl GenericClient,
    id: i64,
) -> Result<Option<Contact>, postgres::Error> {
    read_contacts(
        client,
        &format!("SELECT {CONTACT_COLUMNS} FROM contacts c WHERE c.id = $1"),
        &[&id],
    )
    .map(|found| found.into_iter().next())
}

pub(crate) fn contact_of_interaction(
    client: &mut impl GenericClient,
    interaction: &str,
) -> Result<Option<Contact>, postgres::Error> {
    read_contacts(
        client,
        &format!(
            "SELECT {CONTACT_COLUMNS} FROM interactions i JOIN contacts c ON c.id = i.contact_id
             WHERE i.id = $1"
        ),
        &[&interaction],
    )
    .map(|found| found.into_iter().next())
}

/// Known contacts whose name, any address or any field contains `query`.
pub(crate) fn search(
    client: &mut impl GenericClient,
    query: &str,
    limit: usize,
) -> Result<Vec<Contact>, postgres::Error> {
    let pattern = format!(
        "%{}%",
        query.trim().replace(['%', '_', '\\'], "").to_lowercase()
    );
    read_contacts(
        client,
        &format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts c
             WHERE c.known AND (lower(c.display_name) LIKE $1
                OR c.id IN (SELECT contact_id FROM contact_points WHERE lower(value) LIKE $1)
                OR c.id IN (SELECT contact_id FROM contact_fields WHERE lower(value) LIKE $1))
             ORDER BY c.display_name LIMIT $2"
        ),
        &[&pattern, &(limit as i64)],
    )
}

/// The contact with this address, other than `except`.
/// The contact a platform address stands for (`agent:grace`), found by that exact address
/// only (never by number: such addresses have no digits to match), created unknown under
/// `name` the first time.
pub(crate) fn platform_contact(
    client: &mut impl GenericClient,
    address: &str,
    name: &str,
    now: Timestamp,
) -> Result<i64, postgres::Error> {
    if let Some(row) = client.query_opt(
        "SELECT id FROM contacts WHERE platform_id = $1",
        &[&address],
    )? {
        return Ok(row.get(0));
    }
    Ok(client
        .query_one(
            "INSERT INTO contacts (display_name, platform_id, known, created_ms)
             VALUES ($1, $2, FALSE, $3)
             ON CONFLICT (platform_id) DO UPDATE SET platform_id = EXCLUDED.platform_id
             RETURNING id",
            &[&name, &address, &now.0],
        )?
        .get(0))
}

fn owner_of(
    client: &mut impl GenericClient,
    kind: PointKind,
    value: &str,
    except: Option<i64>,
) -> Result<Option<i64>, postgres::Error> {
    Ok(client
        .query_opt(
            "SELECT contact_id FROM contact_points
             WHERE kind = $1 AND match_key = $2 AND contact_id IS DISTINCT FROM $3 LIMIT 1",
            &[&kind.as_str(), &match_key(kind, value), &except],
        )?
        .map(|row| row.get(0)))
}

fn insert_point(
    client: &mut impl GenericClient,
    contact: i64,
    kind: PointKind,
    position: usize,
    point: &ContactPoint,
) -> Result<(), postgres::Error> {
    client.execute(
        "INSERT INTO contact_points (contact_id, kind, position, label, value, match_key)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &contact,
            &kind.as_str(),
            &(position as i32),
            &point.label,
            &point.value,
            &match_key(kind, &point.value),
        ],
    )?;
    Ok(())
}

/// The contact who owns `phone`, or a new record standing for that unknown sender (known when
/// the platform gave a name that is not the number).
pub(crate) fn find_or_create(
    client: &mut impl GenericClient,
    phone: &str,
    name: &str,
    now: Timestamp,
) -> Result<i64, postgres::Error> {
    if let Some(id) = owner_of(client, PointKind::Phone, phone, None)? {
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
    let id: i64 = client
        .query_one(
            "INSERT INTO contacts (display_name, first_name, last_name, known, created_ms)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[
                &if known { name } else { phone },
                &first,
                &last.trim(),
                &known,
                &now.0,
            ],
        )?
        .get(0);
    let point = ContactPoint {
        label: "mobile".into(),
        value: phone.to_owned(),
    };
    insert_point(client, id, PointKind::Phone, 0, &point)?;
    Ok(id)
}

/// Saves an agent's edit of a contact (which makes it known), replacing its addresses and
/// fields, unless another contact already has one of its addresses.
pub(crate) fn save(
    client: &mut impl GenericClient,
    contact: &Contact,
) -> Result<Result<(), TakenAddress>, postgres::Error> {
    let contact = contact.tidied();
    for (kind, points) in [
        (PointKind::Phone, &contact.phones),
        (PointKind::Email, &contact.emails),
    ] {
        for point in points {
            if let Some(owner) = owner_of(client, kind, &point.value, Some(contact.id))? {
                let owner: String = client
                    .query_one("SELECT display_name FROM contacts WHERE id = $1", &[&owner])?
                    .get(0);
                return Ok(Err(TakenAddress {
                    address: point.value.clone(),
                    owner,
                }));
            }
        }
    }
    client.execute(
        "UPDATE contacts SET display_name = $1, first_name = $2, last_name = $3, language = $4,
             known = TRUE WHERE id = $5",
        &[
            &contact.display_name,
            &contact.first_name,
            &contact.last_name,
            &contact.language,
            &contact.id,
        ],
    )?;
    client.execute(
        "DELETE FROM contact_points WHERE contact_id = $1",
        &[&contact.id],
    )?;
    client.execute(
        "DELETE FROM contact_fields WHERE contact_id = $1",
        &[&contact.id],
    )?;
    for (kind, points) in [
        (PointKind::Phone, &contact.phones),
        (PointKind::Email, &contact.emails),
    ] {
        for (position, point) in points.iter().enumerate() {
            insert_point(client, contact.id, kind, position, point)?;
        }
    }
    for (position, field) in contact.fields.iter().enumerate() {
        client.execute(
            "INSERT INTO contact_fields (contact_id, position, name, value)
             VALUES ($1, $2, $3, $4)",
            &[&contact.id, &(position as i32), &field.name, &field.value],
        )?;
    }
    Ok(Ok(()))
}
