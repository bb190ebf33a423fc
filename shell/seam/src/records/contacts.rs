//! Contact records: names, several labelled phones and e-mails, language, custom fields, and
//! whether an agent made the record or it stands for an unknown sender; the rules for tidying
//! and checking an edit, and the key addresses are matched by.

/// A contact record.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ContactPoint {
    /// `mobile`, `home`, `work`, `other`.
    pub label: String,
    /// The number or address as the agent wrote it.
    pub value: String,
}

/// A named custom field.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
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
    /// The stable name stores keep (`phone`, `email`).
    pub fn as_str(self) -> &'static str {
        match self {
            PointKind::Phone => "phone",
            PointKind::Email => "email",
        }
    }
}

/// An address of the edited contact that another contact already has.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TakenAddress {
    /// The address.
    pub address: String,
    /// The name of the contact who has it.
    pub owner: String,
}
