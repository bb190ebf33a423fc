//! Serialization of the non-exhaustive enum wrappers (`Tone_NE`, `Event_NE`...) as the enum
//! they hold, for hosts that carry SDK values across a process boundary (a plugin isolated in
//! a child process). A variant this build does not know cannot be written.

use abi_stable::nonexhaustive_enum::{GetEnumInfo, GetVTable, NonExhaustive, NonExhaustiveFor};
use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::Error as _};

/// Writes the enum a wrapper holds.
pub fn serialize<E, S, I, Z>(
    value: &NonExhaustive<E, S, I>,
    serializer: Z,
) -> Result<Z::Ok, Z::Error>
where
    E: GetEnumInfo + Serialize,
    Z: Serializer,
{
    match value.as_enum() {
        Ok(known) => known.serialize(serializer),
        Err(_) => Err(Z::Error::custom(
            "a variant newer than this SDK cannot cross a process boundary",
        )),
    }
}

/// Reads an enum and wraps it.
pub fn deserialize<'de, E, D>(deserializer: D) -> Result<NonExhaustiveFor<E>, D::Error>
where
    E: GetEnumInfo + GetVTable<E::DefaultStorage, E::DefaultInterface> + Deserialize<'de>,
    D: Deserializer<'de>,
{
    E::deserialize(deserializer).map(NonExhaustive::new)
}
