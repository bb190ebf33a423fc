//! The customer's web chat page: its protocol, the rooms that tie a page to its interaction,
//! and the hardened page server that hands what a page asks to a [`ChatDoor`] (the embedded
//! platform, or a cluster gateway).

pub mod protocol;
pub mod rooms;
pub mod server;

pub use rooms::{ChatRooms, Connection};
pub use server::{ChatDoor, ChatPageServer, ChatPageSettings, PageSender};
