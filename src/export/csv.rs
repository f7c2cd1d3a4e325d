//! `csv`: `nodes.csv` and `edges.csv`, the two sheets Kumu (elements:
//! Label, Type; connections: From, To, Type) and Palladio read. Dates are
//! the EDTF as written plus the earliest and latest ISO day it allows;
//! citations are one readable column.

use std::fmt::Write;

use super::escape;
use super::table::{
    claim_citations, claim_stance, claimed_by, earliest, latest, record, sheet, written,
};
use super::{ExportFile, Exporter};
use crate::model::entity::{Citation, Entity, Relation};
use crate::model::graph::Dataset;

/// A relation with its two ends, as [`Dataset::relations`] gives it.
pub(super) type Edge<'a> = (&'a Entity, &'a Entity, &'a Relation);

/// The `csv` format.
pub struct Csv;

impl Exporter for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn about(&self) -> &'static str {
        "nodes.csv and edges.csv for Kumu, Palladio and spreadsheets"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let nodes = sheet(
            &[
                ("ID", &|e: &&Entity| e.id.to_string()),
                ("Label", &|e| e.label().to_string()),
                ("Type", &|e| kind_label(ds, &e.kind)),
                ("Name", &|e| e.name.to_string()),
                ("Short", &|e| {
                    e.short.as_deref().unwrap_or_default().to_string()
                }),
                ("Side", &|e| {
                    e.side.as_deref().unwrap_or_default().to_string()
                }),
                ("Status", &|e| {
                    e.status.as_deref().unwrap_or_default().to_string()
                }),
                // A status or date that rests on someone's word: whose,
                // what kind of statement, and where they say it.
                ("Status claimed by", &|e| {
                    claimed_by(e.status_claim.as_ref())
                }),
                ("Status stance", &|e| claim_stance(e.status_claim.as_ref())),
                ("Status citations", &|e| {
                    claim_citations(ds, e.status_claim.as_ref())
                }),
                ("Date", &|e| written(e.date.as_ref())),
                ("Earliest", &|e| earliest(e.date.as_ref())),
                ("Latest", &|e| latest(e.date.as_ref())),
                ("Date claimed by", &|e| claimed_by(e.date_claim.as_ref())),
                ("Date stance", &|e| claim_stance(e.date_claim.as_ref())),
                ("Date citations", &|e| {
                    claim_citations(ds, e.date_claim.as_ref())
                }),
                ("Place", &|e| {
                    e.place.as_deref().unwrap_or_default().to_string()
                }),
                ("Other names", &|e| {
                    e.names
                        .iter()
                        .map(|(lang, n)| format!("{lang}: {n}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
                ("Aliases", &|e| e.aliases.join("; ")),
                ("Description", &|e| {
                    e.summary.as_deref().unwrap_or_default().to_string()
                }),
                ("Record", &|e| record(ds, e.source.as_deref())),
                ("Citations", &|e| citations(ds, &e.sources)),
            ],
            ds.entities(),
        );
        let o = ds.ontology();
        let edges = sheet(
            &[
                ("From", &|(from, _, _): &Edge| from.id.to_string()),
                ("To", &|(_, to, _)| to.id.to_string()),
                ("Type", &|(_, _, r)| r.kind.to_string()),
                ("Role", &|(_, _, r)| {
                    r.role.as_deref().unwrap_or_default().to_string()
                }),
                ("Label", &|(_, _, r)| {
                    o.relations
                        .get(&r.kind)
                        .map_or_else(|| r.kind.to_string(), |d| d.label.clone())
                }),
                ("Date", &|(_, _, r)| written(r.date.as_ref())),
                ("Earliest", &|(_, _, r)| earliest(r.date.as_ref())),
                ("Latest", &|(_, _, r)| latest(r.date.as_ref())),
                ("Stance", &|(_, _, r)| r.stance.as_str().to_string()),
                ("Claimed by", &|(_, _, r)| {
                    r.claimed_by.as_deref().unwrap_or_default().to_string()
                }),
                ("Description", &|(_, _, r)| {
                    r.summary.as_deref().unwrap_or_default().to_string()
                }),
                ("Citations", &|(_, _, r)| citations(ds, &r.sources)),
            ],
            ds.relations(),
        );
        vec![
            ExportFile {
                name: "nodes.csv".into(),
                bytes: escape::csv(&nodes),
            },
            ExportFile {
                name: "edges.csv".into(),
                bytes: escape::csv(&edges),
            },
        ]
    }
}

fn kind_label(ds: &Dataset, kind: &str) -> String {
    ds.ontology()
        .kinds
        .get(kind)
        .map_or_else(|| kind.to_string(), |k| k.label.clone())
}

/// The reference of source `id` as the dataset prints it (formatted once
/// per source and kept, [`Dataset::reference_str`]: a source is cited at
/// many places, at 10k entities 65,000 citations of 500 sources), or the
/// id of a source the dataset does not hold.
pub(super) fn reference<'a>(ds: &'a Dataset, id: &'a str) -> &'a str {
    ds.reference_str(id).unwrap_or(id)
}

/// Citations as a reader cites them: the reference, then where in it.
pub(super) fn citations(ds: &Dataset, cites: &[Citation]) -> String {
    let mut out = String::new();
    for (i, c) in cites.iter().enumerate() {
        if i > 0 {
            out.push_str(" | ");
        }
        out.push_str(reference(ds, &c.source));
        match &c.quote {
            Some(q) => {
                let _ = write!(out, " ({}: \u{201c}{q}\u{201d})", c.at);
            }
            None => {
                let _ = write!(out, " ({})", c.at);
            }
        }
    }
    out
}
