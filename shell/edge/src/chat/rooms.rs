//! The chat rooms a page server keeps: each customer's open pages (their sockets), the name
//! they gave, the conversation the room is in, and whether it ended. Shared by the embedded
//! platform and the cluster's gateway, which differ only in where a customer's words are
//! stored and who is told.

use std::collections::HashMap;

use switchboard_sdk::Target;
use tokio::sync::mpsc::UnboundedSender;

use super::protocol::ToCustomer;

/// A page's connection to a room, as the server keeps it.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The room.
    pub token: String,
    /// This page.
    pub socket: u64,
}

/// One customer's chat: their open pages and the conversation.
#[derive(Debug)]
struct Room {
    name: String,
    interaction: Option<String>,
    sockets: Vec<(u64, UnboundedSender<String>)>,
    ended: bool,
    conference: Vec<Target>,
}

/// The rooms of one page server.
#[derive(Debug, Default)]
pub struct ChatRooms {
    rooms: HashMap<String, Room>,
    by_interaction: HashMap<String, String>,
    next_socket: u64,
}

impl ChatRooms {
    /// A page opens a chat under `name`; its messages go to `page`, which is told it started.
    pub fn open(&mut self, name: &str, page: UnboundedSender<String>) -> Connection {
        // A room token is a secret: 122 random bits, nothing from the clock.
        let token = switchboard_seam::ids::new_secret_id("CH");
        self.next_socket += 1;
        let socket = self.next_socket;
        let name = name.trim().to_owned();
        let _ = page.send(ToCustomer::Started { name: name.clone() }.to_json());
        self.rooms.insert(
            token.clone(),
            Room {
                name,
                interaction: None,
                sockets: vec![(socket, page)],
                ended: false,
                conference: Vec::new(),
            },
        );
        Connection { token, socket }
    }

    /// A page closed: the room's conversation when it was the last page open.
    pub fn close(&mut self, connection: &Connection) -> Option<String> {
        let room = self.rooms.get_mut(&connection.token)?;
        room.sockets.retain(|(id, _)| *id != connection.socket);
        room.sockets
            .is_empty()
            .then(|| room.interaction.clone())
            .flatten()
    }

    /// The customer's name and the room's conversation, when the customer may still write
    /// there; else what the page says.
    pub fn writable(&self, token: &str) -> Result<(String, Option<String>), String> {
        let room = self.rooms.get(token).ok_or("This chat is closed.")?;
        if room.ended {
            return Err("This chat has ended.".into());
        }
        Ok((room.name.clone(), room.interaction.clone()))
    }

    /// The room's conversation is now `interaction`.
    pub fn attach(&mut self, token: &str, interaction: &str) {
        if let Some(room) = self.rooms.get_mut(token) {
            if let Some(old) = room.interaction.replace(interaction.to_owned()) {
                self.by_interaction.remove(&old);
            }
            self.by_interaction
                .insert(interaction.to_owned(), token.to_owned());
        }
    }

    /// The room's conversation.
    pub fn interaction_of(&self, token: &str) -> Option<String> {
        self.rooms.get(token).and_then(|r| r.interaction.clone())
    }

    /// The customer ended the chat: their pages are told; the name and conversation are
    /// returned (`None` for an unknown room).
    pub fn customer_ends(&mut self, token: &str) -> Option<(String, Option<String>)> {
        let room = self.rooms.get_mut(token)?;
        room.ended = true;
        let json = ToCustomer::Ended {
            text: "You ended the chat.".into(),
        }
        .to_json();
        room.sockets.retain(|(_, s)| s.send(json.clone()).is_ok());
        Some((room.name.clone(), room.interaction.clone()))
    }

    fn room_of(&mut self, interaction: &str) -> Option<&mut Room> {
        let token = self.by_interaction.get(interaction)?;
        self.rooms.get_mut(token)
    }

    /// Whether the interaction is one of these rooms' conversations.
    pub fn has(&self, interaction: &str) -> bool {
        self.by_interaction
            .get(interaction)
            .is_some_and(|token| self.rooms.contains_key(token))
    }

    /// Sends `message` to every open page of the interaction's room: `None` when it is no
    /// room's conversation, else whether a page got it. A message from the agent makes an
    /// ended chat live again; an end makes it ended.
    pub fn relay(&mut self, interaction: &str, message: &ToCustomer) -> Option<bool> {
        let room = self.room_of(interaction)?;
        match message {
            ToCustomer::Message { .. } | ToCustomer::Link { .. } => room.ended = false,
            ToCustomer::Ended { .. } => room.ended = true,
            _ => {}
        }
        let json = message.to_json();
        room.sockets
            .retain(|(_, socket)| socket.send(json.clone()).is_ok());
        Some(!room.sockets.is_empty())
    }

    /// Whether the room `token` is one of these (open pages or not).
    pub fn holds(&self, token: &str) -> bool {
        self.rooms.contains_key(token)
    }

    /// A new conversation in the room `token` while a page is still open there (the agent
    /// writes first); refused when every page closed.
    pub fn join(&mut self, token: &str, interaction: &str) -> Result<(), String> {
        let room = self
            .rooms
            .get_mut(token)
            .filter(|r| !r.sockets.is_empty())
            .ok_or("the customer's chat page is closed; write to them by SMS")?;
        room.ended = false;
        self.attach(token, interaction);
        Ok(())
    }

    /// A colleague joined the interaction's conference.
    pub fn add_to_conference(&mut self, interaction: &str, colleague: &Target) {
        if let Some(room) = self.room_of(interaction) {
            room.conference.push(colleague.clone());
        }
    }

    /// Whether `agent` is in the interaction's conference.
    pub fn in_conference(&self, interaction: &str, agent: &str) -> bool {
        self.by_interaction
            .get(interaction)
            .and_then(|token| self.rooms.get(token))
            .is_some_and(|r| r.conference.iter().any(|t| t.id == agent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> (
        UnboundedSender<String>,
        tokio::sync::mpsc::UnboundedReceiver<String>,
    ) {
        tokio::sync::mpsc::unbounded_channel()
    }

    #[test]
    fn a_room_relays_to_its_open_pages_and_ends_and_lives_again() {
        let mut rooms = ChatRooms::default();
        let (sender, mut received) = page();
        let connection = rooms.open(" Ana ", sender);
        assert!(received.try_recv().expect("started").contains("\"Ana\""));
        assert_eq!(
            rooms.writable(&connection.token),
            Ok(("Ana".to_owned(), None))
        );
        rooms.attach(&connection.token, "CI-1");
        let hello = ToCustomer::Message {
            author: "Ada".into(),
            text: "Hello".into(),
        };
        assert_eq!(rooms.relay("CI-1", &hello), Some(true));
        assert_eq!(rooms.relay("CI-9", &hello), None, "no room's conversation");
        assert!(received.try_recv().expect("message").contains("Hello"));

        let end = ToCustomer::Ended { text: "Bye".into() };
        rooms.relay("CI-1", &end);
        assert!(rooms.writable(&connection.token).is_err(), "ended");
        rooms.relay("CI-1", &hello);
        assert!(rooms.writable(&connection.token).is_ok(), "live again");

        assert_eq!(rooms.close(&connection), Some("CI-1".to_owned()));
        assert_eq!(rooms.relay("CI-1", &hello), Some(false), "no page open");
        assert!(
            rooms.join(&connection.token, "CI-2").is_err(),
            "page closed"
        );
    }
}
