//! `gexf`: GEXF 1.3 for Gephi, with a spell on every dated node and edge so
//! that Gephi's timeline slider shows the graph changing year by year. An
//! uncertain or approximate date gets the widest window it allows (from
//! the earliest possible start to the latest possible end), and the
//! `window` attribute says so; an open end is a spell without an end.

use std::fmt::Write;

use super::csv::citations;
use super::escape::xml;
use super::{ExportFile, Exporter};
use crate::model::date::{Date, Limit};
use crate::model::graph::Dataset;

/// The `gexf` format.
pub struct Gexf;

const NODE_ATTRS: &[(&str, &str)] = &[
    ("kind", "string"),
    ("name", "string"),
    ("side", "string"),
    ("status", "string"),
    ("date", "string"),
    ("window", "string"),
    ("summary", "string"),
    ("citations", "string"),
];

const EDGE_ATTRS: &[(&str, &str)] = &[
    ("type", "string"),
    ("date", "string"),
    ("window", "string"),
    ("stance", "string"),
    ("claimed_by", "string"),
    ("summary", "string"),
    ("citations", "string"),
];

impl Exporter for Gexf {
    fn name(&self) -> &'static str {
        "gexf"
    }

    fn about(&self) -> &'static str {
        "GEXF 1.3 with time spells, for Gephi's timeline"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <gexf xmlns=\"http://gexf.net/1.3\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" \
             version=\"1.3\">\n\
             \x20 <meta>\n    <creator>detente</creator>\n  </meta>\n\
             \x20 <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\">\n",
        );
        for (class, attrs) in [("node", NODE_ATTRS), ("edge", EDGE_ATTRS)] {
            let _ = writeln!(s, "    <attributes class=\"{class}\" mode=\"static\">");
            for (name, ty) in attrs {
                let _ = writeln!(
                    s,
                    "      <attribute id=\"{name}\" title=\"{name}\" type=\"{ty}\"/>"
                );
            }
            s.push_str("    </attributes>\n");
        }
        s.push_str("    <nodes>\n");
        for e in ds.entities() {
            let _ = writeln!(
                s,
                "      <node id=\"{}\" label=\"{}\">",
                xml(&e.id),
                xml(e.label())
            );
            let window = e.date.as_ref().map(window);
            attvalues(
                &mut s,
                &[
                    ("kind", Some(e.kind.as_str())),
                    ("name", Some(e.name.as_str())),
                    ("side", e.side.as_deref()),
                    ("status", e.status.as_deref()),
                    ("date", e.date.as_ref().map(|d| d.as_str())),
                    ("window", window.as_deref()),
                    ("summary", e.summary.as_deref()),
                    ("citations", Some(&citations(ds, &e.sources))),
                ],
            );
            spells(&mut s, e.date.as_ref());
            s.push_str("      </node>\n");
        }
        s.push_str("    </nodes>\n    <edges>\n");
        for (i, (from, to, r)) in ds.relations().enumerate() {
            let label = ds
                .ontology()
                .relations
                .get(&r.kind)
                .map_or(r.kind.as_str(), |d| d.label.as_str());
            let _ = writeln!(
                s,
                "      <edge id=\"e{i}\" source=\"{}\" target=\"{}\" label=\"{}\">",
                xml(&from.id),
                xml(&to.id),
                xml(label)
            );
            let window = r.date.as_ref().map(window);
            attvalues(
                &mut s,
                &[
                    ("type", Some(r.kind.as_str())),
                    ("date", r.date.as_ref().map(|d| d.as_str())),
                    ("window", window.as_deref()),
                    ("stance", Some(r.stance.as_str())),
                    ("claimed_by", r.claimed_by.as_deref()),
                    ("summary", r.summary.as_deref()),
                    ("citations", Some(&citations(ds, &r.sources))),
                ],
            );
            spells(&mut s, r.date.as_ref());
            s.push_str("      </edge>\n");
        }
        s.push_str("    </edges>\n  </graph>\n</gexf>\n");
        vec![ExportFile {
            name: "detente.gexf".into(),
            bytes: s.into_bytes(),
        }]
    }
}

fn attvalues(s: &mut String, values: &[(&str, Option<&str>)]) {
    s.push_str("        <attvalues>\n");
    for (name, value) in values {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            let _ = writeln!(
                s,
                "          <attvalue for=\"{name}\" value=\"{}\"/>",
                xml(v)
            );
        }
    }
    s.push_str("        </attvalues>\n");
}

/// How the spell was drawn from the date.
fn window(d: &Date) -> String {
    let exact = d.start().earliest == d.start().latest && d.end().earliest == d.end().latest;
    if exact && !d.is_approximate() && !d.is_uncertain() {
        "exact".into()
    } else {
        format!(
            "widest: `{}` is imprecise, so the spell runs from its earliest possible start to its latest possible end",
            d.as_str()
        )
    }
}

/// One spell from the earliest possible start to the latest possible end;
/// an unbounded side is left open.
fn spells(s: &mut String, date: Option<&Date>) {
    let Some(d) = date else { return };
    let mut spell = String::from("          <spell");
    if let Limit::Day(day) = d.start().earliest {
        let _ = write!(spell, " start=\"{day}\"");
    }
    if let Limit::Day(day) = d.end().latest {
        let _ = write!(spell, " end=\"{day}\"");
    }
    let _ = writeln!(s, "        <spells>\n{spell}/>\n        </spells>");
}
