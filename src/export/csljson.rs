//! `csl-json`: the sources as CSL-JSON, the citation data Zotero, pandoc
//! (`--citeproc`), Mendeley and every citeproc read. Names are written as
//! `literal` names: the data does not say which part of "Chen Dongxiao" or
//! "Lorand Laskai" is the family name, and guessing would misfile one of
//! them.

use serde::Serialize;

use super::{ExportFile, Exporter};
use crate::model::date::{Date, Limit};
use crate::model::entity::Source;
use crate::model::graph::Dataset;

/// The `csl-json` format.
pub struct CslJson;

#[derive(Serialize)]
pub(super) struct Item<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Name<'a>>,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<Issued>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct Name<'a> {
    literal: &'a str,
}

#[derive(Serialize)]
struct Issued {
    #[serde(rename = "date-parts")]
    parts: Vec<Vec<i64>>,
    /// Approximate or uncertain dates say so (`circa`).
    #[serde(skip_serializing_if = "Option::is_none")]
    circa: Option<bool>,
}

/// The CSL item type for a source's free-text `type`.
pub(super) fn csl_type(kind: Option<&str>) -> &'static str {
    match kind.map(str::to_lowercase).as_deref() {
        Some("report") => "report",
        Some("blog post") => "post-weblog",
        Some("news report" | "op-ed" | "newspaper article") => "article-newspaper",
        Some("article" | "journal article") => "article-journal",
        Some("web page") => "webpage",
        Some("speech") => "speech",
        Some("treaty text" | "treaty") => "treaty",
        Some("encyclopedia article") => "entry-encyclopedia",
        Some("book") => "book",
        Some("chapter") => "chapter",
        _ => "document",
    }
}

/// Year, month, day as far as the date is precise (by its earliest start).
pub(super) fn date_parts(d: &Date) -> Option<Vec<i64>> {
    let (Limit::Day(a), Limit::Day(b)) = (d.start().earliest, d.start().latest) else {
        return None;
    };
    let ((y, m, dd), (y2, m2, d2)) = (a.ymd(), b.ymd());
    Some(if (y, m, dd) == (y2, m2, d2) {
        vec![y, i64::from(m), i64::from(dd)]
    } else if (y, m) == (y2, m2) {
        vec![y, i64::from(m)]
    } else {
        vec![y]
    })
}

pub(super) fn item(s: &Source) -> Item<'_> {
    Item {
        id: &s.id,
        kind: csl_type(s.kind.as_deref()),
        title: &s.title,
        author: s.authors.iter().map(|a| Name { literal: a }).collect(),
        container: s.container.as_deref(),
        publisher: s.publisher.as_deref(),
        issued: s.date.as_ref().and_then(|d| {
            date_parts(d).map(|p| Issued {
                parts: vec![p],
                circa: (d.is_approximate() || d.is_uncertain()).then_some(true),
            })
        }),
        url: s.url.as_deref(),
        language: s.language.as_deref(),
        genre: s.kind.as_deref(),
        license: s.license.as_deref(),
        note: s.note.as_deref(),
    }
}

impl Exporter for CslJson {
    fn name(&self) -> &'static str {
        "csl-json"
    }

    fn about(&self) -> &'static str {
        "the sources as CSL-JSON for Zotero, pandoc and citeproc"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let items: Vec<Item> = ds.sources().values().map(item).collect();
        let mut bytes = serde_json::to_vec_pretty(&items).expect("serialisable");
        bytes.push(b'\n');
        vec![ExportFile {
            name: "sources.json".into(),
            bytes,
        }]
    }
}
