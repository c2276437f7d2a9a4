//! Field-level validation messages shared by HTML forms and the JSON API.

use std::collections::BTreeMap;

/// Messages keyed by field name; empty means the input was valid.
#[derive(Debug, Default, Clone)]
pub(crate) struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    /// Records a message for a field (the first one wins).
    pub(crate) fn add(&mut self, field: &'static str, msg: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| msg.into());
    }

    /// Keeps an `Ok` value, or records the error under `field` and returns `None`.
    pub(crate) fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &'static str,
        r: Result<T, E>,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    /// The message for a field, or "" (templates test for emptiness).
    pub(crate) fn get(&self, field: &str) -> &str {
        self.0.get(field).map_or("", String::as_str)
    }

    /// Whether there are no messages.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All messages, for the API's problem document.
    pub(crate) fn as_map(&self) -> &BTreeMap<&'static str, String> {
        &self.0
    }
}

/// An optional text field: blank means absent.
pub(crate) fn blank_to_none(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// Deserializes a text field that JSON clients may also send as an integer (ids,
/// whole quantities) or null. Fractional JSON numbers are refused: they would pass
/// through a binary float, so decimals must be sent as strings to stay exact.
pub(crate) fn lenient_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string, an integer or null (send decimals as strings, e.g. \"50.25\")")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
    }
    d.deserialize_any(V)
}
