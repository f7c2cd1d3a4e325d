//! `csv`: `nodes.csv` and `edges.csv`, the two sheets Kumu (elements:
//! Label, Type; connections: From, To, Type) and Palladio read. Dates are
//! the EDTF as written plus the earliest and latest ISO day it allows;
//! citations are one readable column.

use super::escape;
use super::{dates, ExportFile, Exporter};
use crate::model::entity::Citation;
use crate::model::graph::Dataset;

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
        let mut nodes = vec![[
            "ID",
            "Label",
            "Type",
            "Name",
            "Side",
            "Status",
            "Date",
            "Earliest",
            "Latest",
            "Place",
            "Other names",
            "Aliases",
            "Description",
            "Citations",
        ]
        .map(String::from)
        .to_vec()];
        for e in ds.entities() {
            let (earliest, latest) = dates(e.date.as_ref());
            nodes.push(vec![
                e.id.clone(),
                e.label().to_string(),
                kind_label(ds, &e.kind),
                e.name.clone(),
                e.side.clone().unwrap_or_default(),
                e.status.clone().unwrap_or_default(),
                e.date
                    .as_ref()
                    .map(|d| d.as_str().to_string())
                    .unwrap_or_default(),
                earliest,
                latest,
                e.place.clone().unwrap_or_default(),
                e.names
                    .iter()
                    .map(|(lang, n)| format!("{lang}: {n}"))
                    .collect::<Vec<_>>()
                    .join("; "),
                e.aliases.join("; "),
                e.summary.clone().unwrap_or_default(),
                citations(ds, &e.sources),
            ]);
        }
        let mut edges = vec![[
            "From",
            "To",
            "Type",
            "Label",
            "Date",
            "Earliest",
            "Latest",
            "Stance",
            "Claimed by",
            "Description",
            "Citations",
        ]
        .map(String::from)
        .to_vec()];
        let o = ds.ontology();
        for (from, to, r) in ds.relations() {
            let (earliest, latest) = dates(r.date.as_ref());
            edges.push(vec![
                from.id.clone(),
                to.id.clone(),
                r.kind.clone(),
                o.relations
                    .get(&r.kind)
                    .map_or_else(|| r.kind.clone(), |d| d.label.clone()),
                r.date
                    .as_ref()
                    .map(|d| d.as_str().to_string())
                    .unwrap_or_default(),
                earliest,
                latest,
                r.stance.as_str().to_string(),
                r.claimed_by.clone().unwrap_or_default(),
                r.summary.clone().unwrap_or_default(),
                citations(ds, &r.sources),
            ]);
        }
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

/// Citations as a reader cites them: the reference, then where in it.
pub(super) fn citations(ds: &Dataset, cites: &[Citation]) -> String {
    cites
        .iter()
        .map(|c| {
            let reference = ds
                .source(&c.source)
                .map_or_else(|| c.source.clone(), |s| s.reference());
            match &c.quote {
                Some(q) => format!("{reference} ({}: \u{201c}{q}\u{201d})", c.at),
                None => format!("{reference} ({})", c.at),
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}
