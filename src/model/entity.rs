//! Entities, the relations between them, and the sources they cite.
//! Plain data, already checked by the loader; this module must not parse.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::date::Date;

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
        #[derive(Deserialize)]
        struct Compact<'a> {
            file: &'a str,
            line: u32,
        }
        let c = Compact::deserialize(d)?;
        Ok(Origin {
            file: shared_path(c.file),
            line: c.line,
        })
    }
}

/// `path`, shared with the last origin read on this thread when it names
/// the same file.
fn shared_path(path: &str) -> Arc<Path> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<Arc<Path>>> = const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| {
        if let Some(p) = last.as_ref().filter(|p| p.as_os_str() == path) {
            return p.clone();
        }
        let p: Arc<Path> = Arc::from(Path::new(path));
        *last = Some(p.clone());
        p
    })
}

/// A thing in the graph: a mechanism, a person, a summit, a document…
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entity {
    /// Unique, stable id, e.g. `lecd`.
    pub id: String,
    /// A kind declared in the ontology.
    pub kind: String,
    /// Full name in English.
    pub name: String,
    /// Short label for tables and diagrams, e.g. `LECD`.
    pub short: Option<String>,
    /// Names in other languages, by language tag (`zh`, `zh-Hant`, …).
    pub names: BTreeMap<String, String>,
    /// Other names and abbreviations.
    pub aliases: Vec<String>,
    /// A side declared in the ontology.
    pub side: Option<String>,
    /// When it existed or happened (EDTF).
    pub date: Option<Date>,
    /// Who gives the date, when it rests on someone's word rather than the
    /// record (`date: {value: /2014, claimed_by: shen-yi}`).
    pub date_claim: Option<Attribution>,
    /// A status declared in the ontology.
    pub status: Option<String>,
    /// Who says the status holds, when it rests on someone's word rather
    /// than the record (`status: {value: suspended, claimed_by: shen-yi}`).
    pub status_claim: Option<Attribution>,
    /// Where it took place or sits.
    pub place: Option<String>,
    /// For documents: the bibliographic record in `sources.yaml`.
    pub source: Option<String>,
    /// One or two sentences in the dataset's own words.
    pub summary: Option<String>,
    /// Citations for what is said about it.
    pub sources: Vec<Citation>,
    /// Where it was defined.
    pub origin: Origin,
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
    pub claimed_by: String,
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
    pub kind: String,
    /// The capacity in which the source stands to the target (`co-chair`,
    /// `host`, `preface-author`…), one of the roles its type declares.
    pub role: Option<String>,
    /// When it held (EDTF).
    pub date: Option<Date>,
    /// What is said, in the dataset's own words.
    pub summary: Option<String>,
    /// Citations.
    pub sources: Vec<Citation>,
    /// The entity that asserts it, when it is someone's claim.
    pub claimed_by: Option<String>,
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
    pub source: String,
    /// Locator: section, paragraph, page, footnote.
    pub at: String,
    /// A short exact phrase from the source, where the wording matters.
    pub quote: Option<String>,
}

/// A document that facts are cited to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    /// Unique id, e.g. `siis-2021`.
    pub id: String,
    /// Report, article, op-ed, blog post, web page…
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Authors, in order.
    pub authors: Vec<String>,
    /// Title.
    pub title: String,
    /// Journal, blog, newspaper or series it appeared in.
    pub container: Option<String>,
    /// Publisher or institution.
    pub publisher: Option<String>,
    /// Publication date (EDTF).
    pub date: Option<Date>,
    /// Where it can be read.
    pub url: Option<String>,
    /// Language tag.
    pub language: Option<String>,
    /// The side whose point of view it takes.
    pub side: Option<String>,
    /// Licence, where it matters for reuse.
    pub license: Option<String>,
    /// Anything else a reader should know.
    pub note: Option<String>,
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
        parts.extend(self.publisher.iter().cloned());
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

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
