//! The payload of a pushed change: the device's own JSON document.

use std::fmt;

/// `Payload` of a pushed change: base64-decoded, checked to be one JSON
/// document, and kept as its text.
///
/// Its shape is the device's data template, which the docs do not type,
/// so the stream does not build a tree of it: decode it into your own type
/// with [`deserialize`](Self::deserialize), or into a
/// `serde_json::Value` with [`value`](Self::value). Building a tree for
/// every change would cost about as much as reading the rest of the frame
/// twice over (see the `channel_decode` benchmark).
///
/// Two payloads are equal when their texts are: `{"a":1}` and `{ "a": 1 }`
/// differ (compare their [`value`](Self::value)s for that).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ChangePayload {
    text: Box<str>,
}

impl ChangePayload {
    /// `text` if it is one JSON document (leading and trailing white
    /// space allowed), as serde_json reads one.
    pub fn new(text: impl Into<Box<str>>) -> Result<ChangePayload, serde_json::Error> {
        let text = text.into();
        serde_json::from_str::<serde::de::IgnoredAny>(&text)?;
        Ok(ChangePayload { text })
    }

    /// The JSON text, as the device sent it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The payload decoded into `T`, a type of the device's data template.
    ///
    /// # Errors
    ///
    /// When the document does not have the shape of `T`.
    pub fn deserialize<'a, T: serde::Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.text)
    }

    /// The payload as a JSON tree.
    ///
    /// # Errors
    ///
    /// Only for a document nested deeper than serde_json builds trees
    /// (128 levels), which the stream still delivers as text.
    #[expect(
        clippy::disallowed_types,
        reason = "a tree on request, for a caller who wants one; the stream never builds it"
    )]
    pub fn value(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(&self.text)
    }
}

impl fmt::Debug for ChangePayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for ChangePayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
#[allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    reason = "the tests compare trees"
)]
mod tests {
    use super::ChangePayload;

    #[test]
    fn only_one_json_document_is_a_payload() {
        for good in [r#"{"a":1}"#, " [1, 2] ", "3", r#""text""#, "null"] {
            assert_eq!(ChangePayload::new(good).unwrap().as_str(), good);
        }
        for bad in ["", "{", r#"{"a":1} {"b":2}"#, "nope", "{\"a\":}"] {
            assert!(ChangePayload::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_payload_reads_into_a_type_or_a_tree() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Report {
            brightness: u8,
        }
        let p = ChangePayload::new(r#"{"brightness": 59}"#).unwrap();
        assert_eq!(
            p.deserialize::<Report>().unwrap(),
            Report { brightness: 59 }
        );
        assert!(p.deserialize::<Vec<u8>>().is_err());
        let tree = serde_json::json!({"brightness": 59});
        assert_eq!(p.value().unwrap(), tree);
        assert_eq!(format!("{p:?}"), r#"{"brightness": 59}"#);
        // Deeper than serde_json builds trees: still a payload, as text.
        let deep = "[".repeat(200) + &"]".repeat(200);
        let deep = ChangePayload::new(deep).unwrap();
        assert_eq!(deep.as_str().len(), 400);
        assert!(deep.value().is_err());
    }
}
