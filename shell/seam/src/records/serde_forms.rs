//! How record fields that are not plain data travel when a record is serialized (a networked
//! store carries records as JSON): timestamps as milliseconds, bytes as base64 text.

/// A [`switchboard_sdk::Timestamp`] as its milliseconds.
pub mod timestamp {
    use serde::{Deserialize, Deserializer, Serializer};
    use switchboard_sdk::Timestamp;

    /// Writes the milliseconds.
    pub fn serialize<S: Serializer>(time: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(time.0)
    }

    /// Reads the milliseconds.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        i64::deserialize(deserializer).map(Timestamp)
    }
}

/// Optional bytes as base64 text (a third of the size of a JSON array of numbers).
pub mod optional_bytes {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    /// Writes the bytes as base64, or null.
    pub fn serialize<S: Serializer>(
        bytes: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => {
                serializer.serialize_some(&base64::engine::general_purpose::STANDARD.encode(bytes))
            }
            None => serializer.serialize_none(),
        }
    }

    /// Reads base64 text, or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| {
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map_err(D::Error::custom)
            })
            .transpose()
    }
}
