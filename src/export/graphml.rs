//! `graphml`: the graph with typed, declared attributes (GraphML keys), for
//! Gephi, yEd, Cytoscape, igraph and networkx. Every attribute is declared
//! once with its type; empty values are left out rather than written empty.

use std::fmt::Write;

use super::csv::citations;
use super::escape::xml;
use super::{dates, ExportFile, Exporter};
use crate::model::graph::Dataset;

/// The `graphml` format.
pub struct GraphMl;

/// A declared attribute: key id, what it belongs to, name, GraphML type.
const KEYS: &[(&str, &str, &str, &str)] = &[
    ("n_label", "node", "label", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_name", "node", "name", "string"),
    ("n_side", "node", "side", "string"),
    ("n_status", "node", "status", "string"),
    ("n_date", "node", "date", "string"),
    ("n_earliest", "node", "earliest", "string"),
    ("n_latest", "node", "latest", "string"),
    ("n_uncertain", "node", "uncertain", "boolean"),
    ("n_place", "node", "place", "string"),
    ("n_summary", "node", "summary", "string"),
    ("n_citations", "node", "citations", "string"),
    ("n_cited", "node", "cited", "int"),
    ("e_type", "edge", "type", "string"),
    ("e_label", "edge", "label", "string"),
    ("e_date", "edge", "date", "string"),
    ("e_earliest", "edge", "earliest", "string"),
    ("e_latest", "edge", "latest", "string"),
    ("e_uncertain", "edge", "uncertain", "boolean"),
    ("e_stance", "edge", "stance", "string"),
    ("e_claimed_by", "edge", "claimed_by", "string"),
    ("e_summary", "edge", "summary", "string"),
    ("e_citations", "edge", "citations", "string"),
    ("e_cited", "edge", "cited", "int"),
];

impl Exporter for GraphMl {
    fn name(&self) -> &'static str {
        "graphml"
    }

    fn about(&self) -> &'static str {
        "GraphML with typed attributes for Gephi, yEd, igraph and networkx"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
             http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        );
        for (id, on, name, ty) in KEYS {
            let _ = writeln!(
                s,
                "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
            );
        }
        s.push_str("  <graph id=\"detente\" edgedefault=\"directed\">\n");
        for e in ds.entities() {
            let (earliest, latest) = dates(e.date.as_ref());
            let _ = writeln!(s, "    <node id=\"{}\">", xml(&e.id));
            let uncertain = e
                .date
                .as_ref()
                .map(|d| (d.is_approximate() || d.is_uncertain()).to_string());
            let cited = e.sources.len().to_string();
            for (key, value) in [
                ("n_label", Some(e.label())),
                ("n_kind", Some(e.kind.as_str())),
                ("n_name", Some(e.name.as_str())),
                ("n_side", e.side.as_deref()),
                ("n_status", e.status.as_deref()),
                ("n_date", e.date.as_ref().map(|d| d.as_str())),
                ("n_earliest", Some(earliest.as_str())),
                ("n_latest", Some(latest.as_str())),
                ("n_uncertain", uncertain.as_deref()),
                ("n_place", e.place.as_deref()),
                ("n_summary", e.summary.as_deref()),
                ("n_citations", Some(citations(ds, &e.sources).as_str())),
                ("n_cited", Some(cited.as_str())),
            ] {
                data(&mut s, key, value);
            }
            s.push_str("    </node>\n");
        }
        let o = ds.ontology();
        for (i, (from, to, r)) in ds.relations().enumerate() {
            let (earliest, latest) = dates(r.date.as_ref());
            let _ = writeln!(
                s,
                "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
                xml(&from.id),
                xml(&to.id)
            );
            let uncertain = r
                .date
                .as_ref()
                .map(|d| (d.is_approximate() || d.is_uncertain()).to_string());
            let cited = r.sources.len().to_string();
            let label = o.relations.get(&r.kind).map(|d| d.label.as_str());
            for (key, value) in [
                ("e_type", Some(r.kind.as_str())),
                ("e_label", label),
                ("e_date", r.date.as_ref().map(|d| d.as_str())),
                ("e_earliest", Some(earliest.as_str())),
                ("e_latest", Some(latest.as_str())),
                ("e_uncertain", uncertain.as_deref()),
                ("e_stance", Some(r.stance.as_str())),
                ("e_claimed_by", r.claimed_by.as_deref()),
                ("e_summary", r.summary.as_deref()),
                ("e_citations", Some(citations(ds, &r.sources).as_str())),
                ("e_cited", Some(cited.as_str())),
            ] {
                data(&mut s, key, value);
            }
            s.push_str("    </edge>\n");
        }
        s.push_str("  </graph>\n</graphml>\n");
        vec![ExportFile {
            name: "detente.graphml".into(),
            bytes: s.into_bytes(),
        }]
    }
}

/// One `<data>` element, left out when there is no value.
fn data(s: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        let _ = writeln!(s, "      <data key=\"{key}\">{}</data>", xml(v));
    }
}
