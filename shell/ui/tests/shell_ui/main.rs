//! The real shell UI driven by accessible labels, one module per screen: sign in, go Ready,
//! accept, reply, the side panels, colleagues, administration and the agent's language.

#[path = "../common/mod.rs"]
mod common;

mod administration;
mod colleagues;
mod composer;
mod language;
mod offers;
mod side_panels;
mod workspace;
