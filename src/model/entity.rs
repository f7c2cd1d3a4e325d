//! Entities, the relations between them, and the sources they cite.
//! Plain data, already checked by the loader; this module must not parse.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::date::Date;
use super::small::Text;

/// Where a definition was written, for messages and for `show --where`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// The file, shared by every definition in it: a dataset of 100,000
    /// entities has 400,000 origins in a few hundred files.
    pub file: Arc<Path>,
    /// 1-based line.
    pub line: u32,
}

impl Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Origin", 2)?;
        st.serialize_field("file", &*self.file)?;
        st.serialize_field("line", &self.line)?;
        st.end()
    }
}

/// Readable formats give the path as it is; a binary copy (the cache) is
/// read from memory, and consecutive origins of one file share its path.
impl<'de> Deserialize<'de> for Origin {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Origin, D::Error> {
        if d.is_human_readable() {
            #[derive(Deserialize)]
            struct Written {
                file: PathBuf,
                line: u32,
            }
            let w = Written::deserialize(d)?;
            return Ok(Origin {
                file: w.file.into(),
                line: w.line,
            });
        }
        // The path as bytes (postcard writes a string as it writes bytes):
        // checked as UTF-8 only when it is not the last path read.
        #[derive(Deserialize)]
        struct Compact<'a> {
            file: &'a [u8],
            line: u32,
        }
        let c = Compact::deserialize(d)?;
        Ok(Origin {
            file: shared_path(c.file).map_err(serde::de::Error::custom)?,
            line: c.line,
        })
    }
}

/// The path in `bytes`, shared with the last origin read on this thread
/// when it names the same file; an error if it is not UTF-8. The same
/// bytes as a path already checked need no check: a copy at 100k entities
/// holds 400,000 origins in a few hundred files, and checking each path
/// anew was a twentieth of reading it.
fn shared_path(bytes: &[u8]) -> Result<Arc<Path>, std::str::Utf8Error> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<Arc<Path>>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| {
        if let Some(p) = last
            .as_ref()
            .filter(|p| p.as_os_str().as_encoded_bytes() == bytes)
        {
            return Ok(p.clone());
        }
        let p: Arc<Path> = Arc::from(Path::new(std::str::from_utf8(bytes)?));
        *last = Some(p.clone());
        Ok(p)
    })
}

/// A thing in the graph: a mechanism, a person, a summit, a document…
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entity {
    /// Unique, stable id, e.g. `lecd`.
    pub id: Text,
    /// A kind declared in the ontology.
    pub kind: Text,
    /// Full name in English.
    pub name: Text,
    /// Short label for tables and diagrams, e.g. `LECD`.
    pub short: Option<Text>,
    /// Names in other languages, by language tag (`zh`, `zh-Hant`, …).
    pub names: Names,
    /// Other names and abbreviations.
    pub aliases: Vec<Text>,
    /// A side declared in the ontology.
    pub side: Option<Text>,
    /// When it existed or happened (EDTF).
    pub date: Option<Date>,
    /// Who gives the date, when it rests on someone's word rather than the
    /// record (`date: {value: /2014, claimed_by: shen-yi}`).
    pub date_claim: Option<Attribution>,
    /// A status declared in the ontology.
    pub status: Option<Text>,
    /// Who says the status holds, when it rests on someone's word rather
    /// than the record (`status: {value: suspended, claimed_by: shen-yi}`).
    pub status_claim: Option<Attribution>,
    /// Where it took place or sits.
    pub place: Option<Text>,
    /// For documents: the bibliographic record in `sources.yaml`.
    pub source: Option<Text>,
    /// One or two sentences in the dataset's own words.
    pub summary: Option<Text>,
    /// Citations for what is said about it.
    pub sources: Vec<Citation>,
    /// Where it was defined.
    pub origin: Origin,
}

/// An entity's names in other languages, by language tag, in tag order.
///
/// A small sorted list, not a map: most entities have one such name or
/// none, and a map took a node of over 500 bytes for a single name. Read
/// it as a map ([`Names::get`], [`Names::iter`]); it serialises as one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names(Vec<(Text, Text)>);

impl Names {
    /// The name in language `tag`, if there is one.
    pub fn get(&self, tag: &str) -> Option<&Text> {
        self.0
            .binary_search_by(|(t, _)| t.as_str().cmp(tag))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Sets the name in language `tag`, returning the one it replaces.
    pub fn insert(&mut self, tag: impl Into<Text>, name: impl Into<Text>) -> Option<Text> {
        let (tag, name) = (tag.into(), name.into());
        match self.0.binary_search_by(|(t, _)| t.cmp(&tag)) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, name)),
            Err(i) => {
                self.0.insert(i, (tag, name));
                None
            }
        }
    }

    /// Each language tag with its name, in tag order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Text, &Text)> + '_ {
        self.0.iter().map(|(t, n)| (t, n))
    }

    /// The language tags, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Text> + '_ {
        self.0.iter().map(|(t, _)| t)
    }

    /// The names, in the order of their tags.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Text> + '_ {
        self.0.iter().map(|(_, n)| n)
    }

    /// How many names there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<Text>, V: Into<Text>> FromIterator<(K, V)> for Names {
    /// Later names for a tag replace earlier ones, as in a map.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Names {
        let mut names = Names::default();
        for (k, v) in items {
            names.insert(k, v);
        }
        names.0.shrink_to_fit();
        names
    }
}

impl<'a> IntoIterator for &'a Names {
    type Item = (&'a Text, &'a Text);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Text, Text)>,
        fn(&'a (Text, Text)) -> (&'a Text, &'a Text),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(t, n)| (t, n))
    }
}

impl Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Names, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Names;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("names by language tag")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Names, A::Error> {
                let mut names = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = map.next_entry::<Text, Text>()? {
                    names.push(entry);
                }
                // Names written by detente come in tag order, each once
                // (the cache's copies): kept as read, where sorting them
                // into a new list took three more allocations an entity.
                if names.windows(2).all(|w| w[0].0 < w[1].0) {
                    names.shrink_to_fit();
                    return Ok(Names(names));
                }
                Ok(names.into_iter().collect())
            }
        }
        d.deserialize_map(Visit)
    }
}

impl Entity {
    /// The short label if there is one, else the name.
    pub fn label(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

/// Whose word an entity's status or date rests on, and where they say it:
/// a status or date that one voice gives and the record does not.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attribution {
    /// The person, body or document that says so.
    pub claimed_by: Text,
    /// What kind of statement it is (default `assertion`).
    pub stance: Stance,
    /// Where they say it.
    pub sources: Vec<Citation>,
}

/// A directed, dated, cited statement linking two entities.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Relation {
    /// A relation type declared in the ontology.
    #[serde(rename = "type")]
    pub kind: Text,
    /// The capacity in which the source stands to the target (`co-chair`,
    /// `host`, `preface-author`…), one of the roles its type declares.
    pub role: Option<Text>,
    /// When it held (EDTF).
    pub date: Option<Date>,
    /// What is said, in the dataset's own words.
    pub summary: Option<Text>,
    /// Citations.
    pub sources: Vec<Citation>,
    /// The entity that asserts it, when it is someone's claim.
    pub claimed_by: Option<Text>,
    /// What kind of statement it is.
    pub stance: Stance,
    /// Where it was defined.
    pub origin: Origin,
}

/// What kind of statement a relation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// What happened, as the record shows.
    Record,
    /// What someone asserts to be so.
    Assertion,
    /// What someone expects to happen.
    Prediction,
    /// What someone says should happen.
    Recommendation,
}

impl Stance {
    /// Every stance, in order.
    pub const ALL: [Stance; 4] = [
        Stance::Record,
        Stance::Assertion,
        Stance::Prediction,
        Stance::Recommendation,
    ];

    /// The name used in YAML and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Record => "record",
            Stance::Assertion => "assertion",
            Stance::Prediction => "prediction",
            Stance::Recommendation => "recommendation",
        }
    }
}

/// A pointer into a source: which document, and where in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Citation {
    /// A source id from `sources.yaml`.
    pub source: Text,
    /// Locator: section, paragraph, page, footnote.
    pub at: Text,
    /// A short exact phrase from the source, where the wording matters.
    pub quote: Option<Text>,
}

/// A document that facts are cited to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    /// Unique id, e.g. `siis-2021`.
    pub id: Text,
    /// Report, article, op-ed, blog post, web page…
    #[serde(rename = "type")]
    pub kind: Option<Text>,
    /// Authors, in order.
    pub authors: Vec<Text>,
    /// Title.
    pub title: Text,
    /// Journal, blog, newspaper or series it appeared in.
    pub container: Option<Text>,
    /// Publisher or institution.
    pub publisher: Option<Text>,
    /// Publication date (EDTF).
    pub date: Option<Date>,
    /// Where it can be read.
    pub url: Option<Text>,
    /// Language tag.
    pub language: Option<Text>,
    /// The side whose point of view it takes.
    pub side: Option<Text>,
    /// Licence, where it matters for reuse.
    pub license: Option<Text>,
    /// Anything else a reader should know.
    pub note: Option<Text>,
    /// Where it was defined.
    pub origin: Origin,
}

impl Source {
    /// A reference in author–title style, e.g.
    /// `Lorand Laskai, "What Will …", Net Politics, Council on Foreign Relations, Oct 2017.`
    pub fn reference(&self) -> String {
        let mut parts = Vec::new();
        if !self.authors.is_empty() {
            parts.push(join_names(&self.authors));
        }
        parts.push(format!("\u{201c}{}\u{201d}", self.title));
        parts.extend(self.container.iter().map(|c| c.to_string()));
        parts.extend(self.publisher.iter().map(|p| p.to_string()));
        parts.extend(self.date.iter().map(|d| d.human().to_string()));
        let mut s = parts.join(", ");
        s.push('.');
        if let Some(url) = &self.url {
            s.push(' ');
            s.push_str(url);
        }
        s
    }
}

fn join_names(names: &[Text]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(|n| n.as_str()).collect();
            format!("{} and {last}", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names read in tag order are kept as read; in any other order they
    /// are sorted, a later name for a tag replacing an earlier one.
    #[test]
    fn names_read_in_any_order_come_out_in_tag_order() {
        let read = |json: &str| serde_json::from_str::<Names>(json).unwrap();
        let tags = |n: &Names| {
            n.iter()
                .map(|(t, v)| format!("{t}={v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(tags(&read(r#"{"en": "a", "zh": "b"}"#)), ["en=a", "zh=b"]);
        assert_eq!(tags(&read(r#"{"zh": "b", "en": "a"}"#)), ["en=a", "zh=b"]);
        assert_eq!(tags(&read(r#"{"zh": "b", "zh": "c"}"#)), ["zh=c"]);
        let sorted = read(r#"{"en": "a", "ru": "r", "zh": "b"}"#);
        let bytes = postcard::to_stdvec(&sorted).unwrap();
        assert_eq!(postcard::from_bytes::<Names>(&bytes).unwrap(), sorted);
    }

    /// An origin read from a binary copy: the same path as the last one
    /// shares it, a new one is read, and one that is not UTF-8 is refused
    /// (even right after a path it begins like).
    #[test]
    fn a_binary_origin_shares_its_path_and_must_be_utf8() {
        let origin = |file: &str, line| Origin {
            file: Arc::from(Path::new(file)),
            line,
        };
        let (a, b) = (origin("data/a.yaml", 3), origin("data/b.yaml", 9));
        let read = |bytes: &[u8]| postcard::from_bytes::<Origin>(bytes);
        let first = read(&postcard::to_stdvec(&a).unwrap()).unwrap();
        let again = read(&postcard::to_stdvec(&a).unwrap()).unwrap();
        assert_eq!((&first, &again), (&a, &a));
        assert!(Arc::ptr_eq(&first.file, &again.file), "shared");
        assert_eq!(read(&postcard::to_stdvec(&b).unwrap()).unwrap(), b);
        let mut bad = postcard::to_stdvec(&b).unwrap();
        let at = bad.iter().position(|&c| c == b'b').unwrap();
        bad[at] = 0xff;
        assert!(read(&bad).is_err());
    }
}
