//! Dataset → data files other tools read: JSON, CSV, GraphML, GEXF and
//! more, one format per file behind the [`Exporter`] trait (the way
//! hyperfine's `src/export/` is built). Every exporter is a pure function
//! from a [`Dataset`] to bytes; writing files is the CLI's job. The
//! diagram writers (DOT, Mermaid) stand behind the same trait, taking a
//! drawn [`Scene`](crate::view::Scene) instead (`diagram.rs`). Every
//! string from the data reaches an output through the one escaping
//! function of that output's language.

mod bibtex;
mod cite;
mod csljson;
mod csv;
mod diagram;
mod escape;
mod gexf;
mod graphml;
mod json;
mod neo4j;
mod schema;
mod table;
mod timelinejs;
mod turtle;

use std::collections::BTreeSet;

use crate::model::date::{Date, Limit, Truth};
use crate::model::entity::{Entity, Relation};
use crate::model::graph::Dataset;
use crate::query;

pub use bibtex::Bibtex;
pub use cite::{references, CiteStyle};
pub use csljson::CslJson;
pub use csv::Csv;
pub use diagram::{diagram_exporter, DIAGRAM_FORMATS};
pub use gexf::Gexf;
pub use graphml::GraphMl;
pub use json::Json;
pub use neo4j::Neo4j;
pub use schema::Schema;
pub use timelinejs::TimelineJs;
pub use turtle::Turtle;

/// One file an exporter produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// Its name inside the output directory, e.g. `nodes.csv`; for a
    /// single-file format, the name it would have by default.
    pub name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// A format detente writes: of the dataset (`detente export`, the
/// default), or of a drawn diagram (`Exporter<Scene>`: DOT, Mermaid).
pub trait Exporter<In: ?Sized = Dataset>: Sync {
    /// The name on the command line, e.g. `graphml`.
    fn name(&self) -> &'static str;
    /// What it is for, one line (shown by `detente export --help`).
    fn about(&self) -> &'static str;
    /// The files of the export: one, or several for formats that are a
    /// set of files (CSV, Neo4j), written into a directory.
    fn export(&self, input: &In) -> Vec<ExportFile>;
}

/// Every format, in the order `--help` lists them.
pub const FORMATS: &[&dyn Exporter] = &[
    &Json,
    &Csv,
    &GraphMl,
    &Gexf,
    &Turtle,
    &Neo4j,
    &TimelineJs,
    &Bibtex,
    &CslJson,
    &Schema,
];

/// The exporter called `name`.
pub fn exporter(name: &str) -> Option<&'static dyn Exporter> {
    FORMATS.iter().copied().find(|f| f.name() == name)
}

/// The part of `ds` that `selection` keeps (checked by
/// [`query::SelectionOptions::validate`]): entities that pass every filter,
/// the relations between them that pass too, and the sources these cite
/// (so a filtered BibTeX or CSL-JSON export is the bibliography of that
/// part). The ontology is kept whole, so the result is still a dataset
/// that loads. Selecting everything keeps every source, cited or not:
/// nothing the user wrote is left out.
pub fn select(ds: &Dataset, selection: &query::SelectionSettings) -> Dataset {
    if selection.is_everything() {
        return ds.clone();
    }
    let s = selection.options();
    let at = s.at.as_ref();
    let selected = |e: &Entity| {
        (s.kinds.is_empty() || s.kinds.iter().any(|v| v.as_str() == e.kind.as_str()))
            && (s.sides.is_empty()
                || e.side
                    .as_ref()
                    .is_some_and(|x| s.sides.iter().any(|v| v.as_str() == x.as_str())))
            && at.is_none_or(|d| {
                !ds.never_existed(e) && e.date.as_ref().is_none_or(|x| x.covers(d) != Truth::Not)
            })
    };
    let keep_relation = |r: &Relation| {
        (s.relations.is_empty() || s.relations.iter().any(|v| v.as_str() == r.kind.as_str()))
            && at.is_none_or(|d| r.date.as_ref().is_none_or(|x| x.covers(d) != Truth::Not))
    };
    // Who claims a kept relation is part of it: its claimant is kept
    // whatever its kind, so the relation keeps its voice and the
    // selection is still a dataset that loads.
    let mut kept: BTreeSet<&str> = ds
        .entities()
        .filter(|e| selected(e))
        .map(|e| e.id.as_str())
        .collect();
    let claimants: Vec<&str> = ds
        .relations()
        .filter(|(a, b, r)| {
            kept.contains(a.id.as_str()) && kept.contains(b.id.as_str()) && keep_relation(r)
        })
        .filter_map(|(_, _, r)| r.claimed_by.as_deref())
        .collect();
    kept.extend(claimants);
    ds.subset(
        |e| kept.contains(e.id.as_str()),
        |a, b, r| selected(a) && selected(b) && keep_relation(r),
    )
}

/// The earliest day a date may start and the latest it may end, as ISO
/// days; empty where the date is open or absent.
pub(crate) fn dates(date: Option<&Date>) -> (String, String) {
    let day = |l: Limit| match l {
        Limit::Day(d) => d.to_string(),
        Limit::Past | Limit::Future => String::new(),
    };
    date.map_or_else(Default::default, |d| {
        (day(d.start().earliest), day(d.end().latest))
    })
}
