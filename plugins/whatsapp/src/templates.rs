//! The message templates this business has had approved: the only messages WhatsApp lets it
//! send once the customer-service window has closed.

/// An approved template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Id (the toolbar action is `template:<id>`).
    pub id: &'static str,
    /// Name shown on the action.
    pub name: &'static str,
    /// Text, with `{first_name}` filled from the contact.
    pub text: &'static str,
}

/// The approved templates.
pub const APPROVED: [Template; 3] = [
    Template {
        id: "follow-up",
        name: "Follow-up",
        text: "Hello {first_name}, this is a follow-up on your recent request. Reply to this \
               message to continue the conversation.",
    },
    Template {
        id: "order-update",
        name: "Order update",
        text: "Hello {first_name}, there is news about your order. Reply to this message and \
               we will share the details.",
    },
    Template {
        id: "satisfaction",
        name: "Satisfaction survey",
        text: "Hello {first_name}, how did we do? Reply with a number from 1 (poor) to \
               5 (excellent).",
    },
];

/// The prefix of template action ids.
pub const ACTION_PREFIX: &str = "template:";

/// The template an action id names.
pub fn by_action(action: &str) -> Option<&'static Template> {
    let id = action.strip_prefix(ACTION_PREFIX)?;
    APPROVED.iter().find(|t| t.id == id)
}

impl Template {
    /// The text sent to a contact called `contact_name`.
    pub fn filled(&self, contact_name: &str) -> String {
        let first = contact_name
            .split_whitespace()
            .next()
            .filter(|w| !w.contains(':') && !w.starts_with('+') && !w.contains('@'))
            .unwrap_or("there");
        self.text.replace("{first_name}", first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_greet_by_first_name_or_neutrally() {
        let template = by_action("template:order-update").expect("known");
        assert!(template.filled("Amira Haddad").starts_with("Hello Amira,"));
        assert!(
            template
                .filled("whatsapp:+447700900123")
                .starts_with("Hello there,")
        );
        assert!(by_action("template:unknown").is_none());
        assert!(by_action("done").is_none());
    }
}
