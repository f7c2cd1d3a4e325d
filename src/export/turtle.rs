//! `turtle`: the dataset as RDF (Turtle), for a SPARQL server or any RDF
//! tool. The vocabulary is documented in docs/export.md. Where a
//! Wikidata property means the same thing it is used beside ours: start
//! time (P580), end time (P582), follows (P155), followed by (P156),
//! participant (P710), stated in (P248). Every relation is asserted as a
//! triple and also reified as an `rdf:Statement` carrying its date, stance,
//! `claimedBy` and citations; sources are `dcterms:BibliographicResource`s.
//! Oxigraph's serializer (oxttl) writes the Turtle, so every literal and
//! IRI is escaped in one place: its serializer, fed only through
//! [`Graph::literal`] and [`Graph::iri`].

use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxttl::TurtleSerializer;

use super::{ExportFile, Exporter};
use crate::model::date::{Date, Limit};
use crate::model::entity::Citation;
use crate::model::graph::Dataset;
use crate::model::ontology::Role;

/// The `turtle` format.
pub struct Turtle;

/// Our vocabulary: properties and classes.
pub const VOCAB: &str = "https://w3id.org/detente/vocab#";
/// Entities.
pub const ID: &str = "https://w3id.org/detente/id/";
/// Sources.
pub const SOURCE: &str = "https://w3id.org/detente/source/";
/// Kinds of entity (classes).
pub const KIND: &str = "https://w3id.org/detente/kind/";
/// Relation types (properties).
pub const REL: &str = "https://w3id.org/detente/rel/";
/// Sides.
pub const SIDE: &str = "https://w3id.org/detente/side/";
/// Statuses.
pub const STATUS: &str = "https://w3id.org/detente/status/";
const WDT: &str = "http://www.wikidata.org/prop/direct/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const SCHEMA: &str = "https://schema.org/";

const PREFIXES: &[(&str, &str)] = &[
    ("dt", VOCAB),
    ("d", ID),
    ("src", SOURCE),
    ("kind", KIND),
    ("rel", REL),
    ("side", SIDE),
    ("status", STATUS),
    ("wdt", WDT),
    ("dcterms", DCTERMS),
    ("skos", SKOS),
    ("schema", SCHEMA),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The triples being built, with a counter for stable blank node names.
struct Graph {
    triples: Vec<Triple>,
    /// Triples about citation nodes, written after their subject's own
    /// so that each subject reads as one block.
    later: Vec<Triple>,
    blanks: usize,
}

impl Graph {
    /// An IRI in one of our namespaces; ids are already restricted by the
    /// loader, and anything else is percent-encoded.
    fn iri(base: &str, local: &str) -> NamedNode {
        let mut s = String::from(base);
        for b in local.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                s.push(b as char);
            } else {
                s.push_str(&format!("%{b:02X}"));
            }
        }
        NamedNode::new_unchecked(s)
    }

    /// Text from the data as a literal: the one door into the output.
    fn literal(s: &str) -> Term {
        Literal::new_simple_literal(s).into()
    }

    fn blank(&mut self, prefix: &str) -> BlankNode {
        self.blanks += 1;
        BlankNode::new_unchecked(format!("{prefix}{}", self.blanks))
    }

    /// Ends a subject's block: its citation nodes follow it.
    fn flush(&mut self) {
        self.triples.append(&mut self.later);
    }

    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNode, o: impl Into<Term>) {
        self.triples.push(Triple::new(s, p, o));
    }

    fn text(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNode, value: Option<&str>) {
        if let Some(v) = value {
            self.add(s, p, Self::literal(v));
        }
    }

    /// The EDTF text and the windows of a date, as `xsd:date`s; Wikidata's
    /// start and end time only where they are known to the day.
    fn date(&mut self, s: &NamedOrBlankNode, d: &Date) {
        self.add(s.clone(), v("edtf"), Self::literal(d.as_str()));
        for (name, limit) in [
            ("startEarliest", d.start().earliest),
            ("startLatest", d.start().latest),
            ("endEarliest", d.end().earliest),
            ("endLatest", d.end().latest),
        ] {
            if let Limit::Day(day) = limit {
                self.add(s.clone(), v(name), day_literal(&day.to_string()));
            }
        }
        let exact = !d.is_approximate() && !d.is_uncertain();
        if let (true, Limit::Day(a), Limit::Day(b)) = (exact, d.start().earliest, d.start().latest)
        {
            if a == b {
                self.add(s.clone(), wdt("P580"), day_literal(&a.to_string()));
            }
        }
        if let (true, Limit::Day(a), Limit::Day(b)) = (exact, d.end().earliest, d.end().latest) {
            if a == b && d.is_interval() {
                self.add(s.clone(), wdt("P582"), day_literal(&a.to_string()));
            }
        }
    }

    fn citations(&mut self, s: &NamedOrBlankNode, cites: &[Citation]) {
        for c in cites {
            let b = self.blank("c");
            self.add(s.clone(), v("citation"), b.clone());
            let start = self.triples.len();
            self.add(b.clone(), wdt("P248"), Graph::iri(SOURCE, &c.source));
            self.add(b.clone(), v("locator"), Self::literal(&c.at));
            self.text(b, v("quote"), c.quote.as_deref());
            let about_b: Vec<Triple> = self.triples.drain(start..).collect();
            self.later.extend(about_b);
        }
    }
}

fn v(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{VOCAB}{local}"))
}

fn wdt(p: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{WDT}{p}"))
}

fn dc(p: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{DCTERMS}{p}"))
}

fn day_literal(day: &str) -> Literal {
    Literal::new_typed_literal(day, xsd::DATE)
}

impl Exporter for Turtle {
    fn name(&self) -> &'static str {
        "turtle"
    }

    fn about(&self) -> &'static str {
        "RDF Turtle for a SPARQL server (Oxigraph, Virtuoso, GraphDB, …)"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let mut g = Graph {
            triples: Vec::new(),
            later: Vec::new(),
            blanks: 0,
        };
        let o = ds.ontology();
        for (k, d) in &o.kinds {
            let s = Graph::iri(KIND, k);
            g.add(s.clone(), rdf::TYPE.into_owned(), rdfs::CLASS.into_owned());
            g.add(
                s.clone(),
                rdfs::LABEL.into_owned(),
                Graph::literal(&d.label),
            );
            g.text(s, rdfs::COMMENT.into_owned(), d.description.as_deref());
        }
        for (k, d) in &o.relations {
            let s = Graph::iri(REL, k);
            g.add(
                s.clone(),
                rdf::TYPE.into_owned(),
                rdf::PROPERTY.into_owned(),
            );
            g.add(
                s.clone(),
                rdfs::LABEL.into_owned(),
                Graph::literal(&d.label),
            );
            g.add(s.clone(), v("inverseLabel"), Graph::literal(&d.inverse));
            g.text(
                s.clone(),
                rdfs::COMMENT.into_owned(),
                d.description.as_deref(),
            );
            if d.lineage {
                g.add(s.clone(), v("lineage"), Literal::from(true));
            }
            if let Some(r) = d.plays {
                g.add(s, v("plays"), Graph::literal(r.as_str()));
            }
        }
        for (k, d) in &o.sides {
            g.add(
                Graph::iri(SIDE, k),
                rdfs::LABEL.into_owned(),
                Graph::literal(&d.label),
            );
        }
        for (k, d) in &o.statuses {
            let s = Graph::iri(STATUS, k);
            g.add(
                s.clone(),
                rdfs::LABEL.into_owned(),
                Graph::literal(&d.label),
            );
            g.add(s, v("hypothetical"), Literal::from(d.hypothetical));
        }
        for src in ds.sources().values() {
            let s = Graph::iri(SOURCE, &src.id);
            let subject: NamedOrBlankNode = s.clone().into();
            g.add(
                s.clone(),
                rdf::TYPE.into_owned(),
                dc("BibliographicResource"),
            );
            g.add(s.clone(), dc("title"), Graph::literal(&src.title));
            for a in &src.authors {
                g.add(s.clone(), dc("creator"), Graph::literal(a));
            }
            g.text(s.clone(), dc("type"), src.kind.as_deref());
            g.text(s.clone(), dc("isPartOf"), src.container.as_deref());
            g.text(s.clone(), dc("publisher"), src.publisher.as_deref());
            g.text(s.clone(), dc("language"), src.language.as_deref());
            g.text(s.clone(), dc("license"), src.license.as_deref());
            g.text(s.clone(), rdfs::COMMENT.into_owned(), src.note.as_deref());
            if let Some(d) = &src.date {
                g.add(s.clone(), dc("date"), Graph::literal(d.as_str()));
                g.date(&subject, d);
            }
            if let Some(url) = &src.url {
                match NamedNode::new(url.as_str()) {
                    Ok(iri) => g.add(
                        s.clone(),
                        NamedNode::new_unchecked(format!("{SCHEMA}url")),
                        iri,
                    ),
                    Err(_) => g.text(
                        s.clone(),
                        NamedNode::new_unchecked(format!("{SCHEMA}url")),
                        Some(url),
                    ),
                }
            }
            if let Some(side) = &src.side {
                g.add(s, v("side"), Graph::iri(SIDE, side));
            }
        }
        for e in ds.entities() {
            let s = Graph::iri(ID, &e.id);
            let subject: NamedOrBlankNode = s.clone().into();
            g.add(s.clone(), rdf::TYPE.into_owned(), Graph::iri(KIND, &e.kind));
            g.add(s.clone(), rdfs::LABEL.into_owned(), Graph::literal(&e.name));
            g.add(s.clone(), v("id"), Graph::literal(&e.id));
            g.text(s.clone(), v("short"), e.short.as_deref());
            for (lang, name) in &e.names {
                let lit = Literal::new_language_tagged_literal(name.as_str(), lang.as_str())
                    .map(Term::from)
                    .unwrap_or_else(|_| Graph::literal(name));
                g.add(
                    s.clone(),
                    NamedNode::new_unchecked(format!("{SKOS}altLabel")),
                    lit,
                );
            }
            for a in &e.aliases {
                g.add(
                    s.clone(),
                    NamedNode::new_unchecked(format!("{SKOS}altLabel")),
                    Graph::literal(a),
                );
            }
            if let Some(side) = &e.side {
                g.add(s.clone(), v("side"), Graph::iri(SIDE, side));
            }
            if let Some(st) = &e.status {
                g.add(s.clone(), v("status"), Graph::iri(STATUS, st));
            }
            if let Some(d) = &e.date {
                g.date(&subject, d);
            }
            g.text(s.clone(), v("place"), e.place.as_deref());
            g.text(s.clone(), rdfs::COMMENT.into_owned(), e.summary.as_deref());
            if let Some(src) = &e.source {
                g.add(s.clone(), v("document"), Graph::iri(SOURCE, src));
            }
            g.citations(&subject, &e.sources);
            g.flush();
        }
        for (from, to, r) in ds.relations() {
            let (a, b, p) = (
                Graph::iri(ID, &from.id),
                Graph::iri(ID, &to.id),
                Graph::iri(REL, &r.kind),
            );
            g.add(a.clone(), p.clone(), b.clone());
            let def = o.relations.get(&r.kind);
            if def.is_some_and(|d| d.lineage) {
                g.add(a.clone(), wdt("P155"), b.clone());
                g.add(b.clone(), wdt("P156"), a.clone());
            }
            // "Probably the same thing under two names": our own property,
            // not owl:sameAs, which a reasoner would take as certain.
            if def.is_some_and(|d| d.identity) {
                g.add(a.clone(), v("sameAs"), b.clone());
                g.add(b.clone(), v("sameAs"), a.clone());
            }
            if o.plays(&r.kind, Role::Participation) {
                g.add(b.clone(), wdt("P710"), a.clone());
            }
            let st = g.blank("r");
            let subject: NamedOrBlankNode = st.clone().into();
            g.add(
                st.clone(),
                rdf::TYPE.into_owned(),
                rdf::STATEMENT.into_owned(),
            );
            g.add(st.clone(), rdf::SUBJECT.into_owned(), a);
            g.add(st.clone(), rdf::PREDICATE.into_owned(), p);
            g.add(st.clone(), rdf::OBJECT.into_owned(), b);
            g.add(st.clone(), v("stance"), Graph::literal(r.stance.as_str()));
            g.text(st.clone(), v("role"), r.role.as_deref());
            if let Some(c) = &r.claimed_by {
                g.add(st.clone(), v("claimedBy"), Graph::iri(ID, c));
            }
            g.text(st, rdfs::COMMENT.into_owned(), r.summary.as_deref());
            if let Some(d) = &r.date {
                g.date(&subject, d);
            }
            g.citations(&subject, &r.sources);
            g.flush();
        }
        let mut ser = TurtleSerializer::new();
        for (p, iri) in PREFIXES {
            ser = ser.with_prefix(*p, *iri).expect("valid prefix");
        }
        let mut w = ser.for_writer(Vec::new());
        for t in &g.triples {
            // Writing into memory cannot fail.
            w.serialize_triple(t).expect("in memory");
        }
        vec![ExportFile {
            name: "detente.ttl".into(),
            bytes: w.finish().expect("in memory"),
        }]
    }
}
