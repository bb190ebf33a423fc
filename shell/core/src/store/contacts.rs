//! Contact records: names, several labelled phones and e-mails, language, custom fields, and
//! whether an agent made the record or it stands for an unknown sender. Reading, finding by
//! address, searching, saving (with a check that no other contact owns an address).

use rusqlite::{Connection, OptionalExtension, params};
use switchboard_sdk::Timestamp;

/// A contact record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    /// Store id.
    pub id: i64,
    /// Name shown to agents: first and last names, or the first address when both are empty.
    pub display_name: String,
    /// Given name (`{contact.first_name}` in standard responses).
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Phone numbers, the first one preferred.
    pub phones: Vec<ContactPoint>,
    /// E-mail addresses, the first one preferred.
    pub emails: Vec<ContactPoint>,
    /// Preferred language (`en`, `fr`).
    pub language: Option<String>,
    /// Fields the contact center keeps on its customers (loyalty tier, account number...).
    pub fields: Vec<ContactField>,
    /// `false` while the record only stands for an unknown sender (made from their address
    /// when they first wrote); an agent creating or editing the contact makes it known.
    pub known: bool,
}

/// A labelled phone number or e-mail address.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactPoint {
    /// `mobile`, `home`, `work`, `other`.
    pub label: String,
    /// The number or address as the agent wrote it.
    pub value: String,
}

/// A named custom field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactField {
    /// The field's name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// Why an edited contact cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactProblem {
    /// Neither a name nor any address.
    #[error("give the contact a name, a phone number or an e-mail address")]
    Empty,
    /// A phone number without enough digits.
    #[error("phone number “{0}” needs at least 3 digits")]
    BadPhone(String),
    /// An e-mail address that is not `name@domain`.
    #[error("e-mail address “{0}” is not of the form name@domain")]
    BadEmail(String),
    /// A custom field with a value but no name, or the same name twice.
    #[error("custom field “{0}” needs a name of its own")]
    BadField(String),
}

/// The labels offered for phones and e-mails.
pub const POINT_LABELS: [&str; 4] = ["mobile", "work", "home", "other"];

impl Contact {
    /// The preferred phone number.
    pub fn phone(&self) -> Option<&str> {
        self.phones.first().map(|p| p.value.as_str())
    }

    /// The preferred e-mail address.
    pub fn email(&self) -> Option<&str> {
        self.emails.first().map(|p| p.value.as_str())
    }

    /// The value of a custom field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.value.as_str())
    }

    /// The record as it will be saved: blank entries dropped, values trimmed, and the display
    /// name made from the names (or the first address).
    pub fn tidied(&self) -> Contact {
        let points = |points: &[ContactPoint]| {
            points
                .iter()
                .filter(|p| !p.value.trim().is_empty())
                .map(|p| ContactPoint {
                    label: p.label.trim().to_owned(),
                    value: p.value.trim().to_owned(),
                })
                .collect::<Vec<_>>()
        };
        let mut tidy = Contact {
            first_name: self.first_name.trim().to_owned(),
            last_name: self.last_name.trim().to_owned(),
            phones: points(&self.phones),
            emails: points(&self.emails),
            language: self
                .language
                .as_deref()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned),
            fields: self
                .fields
                .iter()
                .filter(|f| !(f.name.trim().is_empty() && f.value.trim().is_empty()))
                .map(|f| ContactField {
                    name: f.name.trim().to_owned(),
                    value: f.value.trim().to_owned(),
                })
                .collect(),
            ..self.clone()
        };
        let names = format!("{} {}", tidy.first_name, tidy.last_name);
        tidy.display_name = match names.trim() {
            "" => tidy
                .phone()
                .or(tidy.email())
                .unwrap_or(&self.display_name)
                .to_owned(),
            names => names.to_owned(),
        };
        tidy
    }

    /// What stops this record from being saved, first problem first; empty when it can be.
    pub fn problems(&self) -> Vec<ContactProblem> {
        let tidy = self.tidied();
        let mut problems = Vec::new();
        if tidy.first_name.is_empty()
            && tidy.last_name.is_empty()
            && tidy.phones.is_empty()
            && tidy.emails.is_empty()
        {
            problems.push(ContactProblem::Empty);
        }
        for phone in &tidy.phones {
            if phone.value.chars().filter(char::is_ascii_digit).count() < 3
                || phone
                    .value
                    .chars()
                    .any(|c| !(c.is_ascii_digit() || " +-().".contains(c)))
            {
                problems.push(ContactProblem::BadPhone(phone.value.clone()));
            }
        }
        for email in &tidy.emails {
            let valid = email.value.split_once('@').is_some_and(|(name, domain)| {
                !name.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !email.value.contains(char::is_whitespace)
            });
            if !valid {
                problems.push(ContactProblem::BadEmail(email.value.clone()));
            }
        }
        for (index, field) in tidy.fields.iter().enumerate() {
            let repeated = tidy.fields[..index]
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case(&field.name));
            if field.name.is_empty() || repeated {
                problems.push(ContactProblem::BadField(field.value.clone()));
            }
        }
        problems
    }
}

/// What addresses are compared by: a phone's `+` and digits, an e-mail in lower case.
pub fn match_key(kind: PointKind, value: &str) -> String {
    match kind {
        PointKind::Phone => value
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect(),
        PointKind::Email => value.trim().to_lowercase(),
    }
}

/// Phone or e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    /// A phone number.
    Phone,
    /// An e-mail address.
    Email,
}

impl PointKind {
    fn as_str(self) -> &'static str {
        match self {
            PointKind::Phone => "phone",
            PointKind::Email => "email",
        }
    }
}

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

/// An address of the edited contact that another contact already has.
#[derive(Debug, Clone, PartialEq)]
pub struct TakenAddress {
    /// The address.
    pub address: String,
    /// The name of the contact who has it.
    pub owner: String,
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
