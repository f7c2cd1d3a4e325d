//! [`Text`], the string of every entity, relation, citation and source.
//!
//! A dataset of 100,000 entities holds millions of strings, most of them
//! short: ids, kinds, sides, statuses, relation types, roles, source ids,
//! locators, dates. Each as a `String` was an allocation of its own (with
//! the allocator's overhead, at least 32 bytes for a word of five letters),
//! and together they made the model more than three times the YAML it was
//! read from. A [`Text`] is the same size as a `String` and holds up to 24
//! bytes inline, with no allocation; longer texts are allocated as before.
//! It reads as a `str` ([`std::ops::Deref`]), compares with `str` and
//! `String`, prints, and serialises as a string.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// A string of the data, held inline when it is short (up to 24 bytes).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(CompactString);

impl Text {
    /// A text of `s`.
    pub fn new(s: &str) -> Text {
        Text(CompactString::from(s))
    }

    /// The text as a `str`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(CompactString::from(s))
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text::new(s)
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0.into_string()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_no_bigger_than_a_string_and_short_texts_stay_inline() {
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<String>());
        assert_eq!(
            std::mem::size_of::<Option<Text>>(),
            std::mem::size_of::<String>()
        );
        let id = Text::new("mechanism-0091998");
        assert!(!id.0.is_heap_allocated());
        assert!(Text::new(&"x".repeat(25)).0.is_heap_allocated());
    }

    #[test]
    fn a_text_reads_compares_and_serialises_as_a_string() {
        let t = Text::from("lecd");
        assert_eq!(t, "lecd");
        assert_eq!("lecd", t);
        assert_eq!(t, "lecd".to_string());
        assert_eq!(t.len(), 4);
        assert_eq!(format!("{t} {t:?}"), "lecd \"lecd\"");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"lecd\"");
        let back: Text = serde_json::from_str("\"lecd\"").unwrap();
        assert_eq!(back, t);
        let bytes = postcard::to_stdvec(&t).unwrap();
        assert_eq!(postcard::from_bytes::<Text>(&bytes).unwrap(), t);
    }
}
