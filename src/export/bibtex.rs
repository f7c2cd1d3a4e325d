//! `bibtex`: the sources as BibTeX records for JabRef, Zotero, pandoc and
//! LaTeX. Each record is built as a `biblatex::Entry` — the crate's entry
//! types, its BibLaTeX → BibTeX type mapping (`report` → `techreport`,
//! `online` → `misc`) and its field names — and printed here, because the
//! crate's own printer escapes braces as `\{`, which BibTeX and
//! bibtexparser count as braces and so lose the end of the value. Every
//! value goes through [`escape::bibtex`](super::escape::bibtex).
//!
//! Authors are written as braced literal names, `{Chen Dongxiao}`, for the
//! reason CSL-JSON names are literal: the data does not say which part is
//! the family name, and BibTeX would otherwise split "U.S. Department of
//! Justice" into a given name and a surname.

use std::fmt::Write as _;

use biblatex::{Chunk, Entry, EntryType, Spanned};

use super::csljson::{csl_type, date_parts};
use super::escape;
use super::{ExportFile, Exporter};
use crate::model::entity::Source;
use crate::model::graph::Dataset;

/// The `bibtex` format.
pub struct Bibtex;

/// The BibLaTeX entry type for a source's CSL type.
fn entry_type(csl: &str) -> EntryType {
    match csl {
        "report" => EntryType::Report,
        "article-journal" | "article-newspaper" => EntryType::Article,
        "book" => EntryType::Book,
        "chapter" => EntryType::InCollection,
        "post-weblog" | "webpage" => EntryType::Online,
        _ => EntryType::Misc,
    }
}

/// Fields BibTeX reads without LaTeX (addresses).
fn verbatim(field: &str) -> bool {
    matches!(field, "url" | "doi")
}

fn text(s: &str) -> Vec<Spanned<Chunk>> {
    vec![Spanned::detached(Chunk::Normal(s.to_string()))]
}

/// A source as a BibLaTeX entry (authors aside: they are literal names,
/// which the crate's person model would split).
fn entry(s: &Source) -> Entry {
    let ty = entry_type(csl_type(s.kind.as_deref())).to_bibtex();
    let mut e = Entry::new(s.id.to_string(), ty.clone());
    e.set("title", text(&s.title));
    if let Some(c) = &s.container {
        let field = match ty {
            EntryType::Article => "journal",
            EntryType::InCollection => "booktitle",
            _ => "howpublished",
        };
        e.set(field, text(c));
    }
    if let Some(p) = &s.publisher {
        let field = if ty == EntryType::TechReport {
            "institution"
        } else {
            "publisher"
        };
        e.set(field, text(p));
    }
    if let Some(parts) = s.date.as_ref().and_then(date_parts) {
        e.set("year", text(&parts[0].to_string()));
        if let Some(m) = parts.get(1) {
            e.set("month", text(&m.to_string()));
        }
    }
    if let Some(k) = &s.kind {
        e.set("type", text(k));
    }
    for (field, value) in [
        ("url", &s.url),
        ("language", &s.language),
        ("note", &s.note),
        ("license", &s.license),
    ] {
        if let Some(v) = value {
            e.set(field, text(v));
        }
    }
    e
}

/// One record, in BibTeX's syntax: braced values, one field a line.
fn record(s: &Source) -> String {
    let e = entry(s);
    let mut out = String::new();
    let _ = writeln!(out, "@{}{{{},", e.entry_type, e.key);
    if !s.authors.is_empty() {
        let names: Vec<String> = s
            .authors
            .iter()
            .map(|a| format!("{{{}}}", escape::bibtex(a, false)))
            .collect();
        let _ = writeln!(out, "  author = {{{}}},", names.join(" and "));
    }
    for (field, chunks) in &e.fields {
        let value: String = chunks.iter().map(|c| c.v.get()).collect();
        let _ = writeln!(
            out,
            "  {field} = {{{}}},",
            escape::bibtex(&value, verbatim(field))
        );
    }
    out.push_str("}\n");
    out
}

impl Exporter for Bibtex {
    fn name(&self) -> &'static str {
        "bibtex"
    }

    fn about(&self) -> &'static str {
        "the sources as BibTeX for JabRef, Zotero, pandoc and LaTeX"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let records: Vec<String> = ds.sources().values().map(record).collect();
        vec![ExportFile {
            name: "sources.bib".into(),
            bytes: records.join("\n").into_bytes(),
        }]
    }
}
