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
