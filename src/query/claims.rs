//! `detente claims`: statements by who made them and their stance, and the
//! `--as-claimed-by` view that keeps only the plain record and what one
//! source asserts.
//!
//! A claimant is matched through authorship both ways: asking for Shen Yi
//! finds what is attributed to his op-ed, and asking for the op-ed finds
//! what is attributed to him.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::cite::{by_date, Cites, Fact, NumberedSource, Voices};
use super::{ClaimSettings, QueryError};
use crate::model::entity::{Relation, Stance};
use crate::model::graph::Dataset;
use crate::model::ontology::Role;

/// Which claims.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    /// Made by this person, body or document (or what they wrote, or who wrote it).
    pub by: Option<String>,
    /// Of these stances (all when empty).
    pub stances: Vec<Stance>,
    /// Touching this entity.
    pub about: Option<String>,
}

/// The claims found.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Claims<'a> {
    /// The claims, grouped by claimant (in id order), then by date.
    pub claims: Vec<Fact<'a>>,
    /// Statuses and dates of entities that rest on one voice's word, by
    /// claimant, then entity.
    pub attributed: Vec<AttributedFact<'a>>,
    /// Every citation used, numbered.
    pub sources: Vec<NumberedSource<'a>>,
}

/// An entity's status or date that one voice gives and the record does
/// not (`status: {value: ended, claimed_by: shen-yi}`).
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct AttributedFact<'a> {
    /// The entity.
    pub entity: &'a str,
    /// `status` or `date`.
    pub field: &'static str,
    /// The status id or the EDTF date, as written.
    pub value: &'a str,
    /// Who says so.
    pub claimed_by: &'a str,
    /// What kind of statement it is.
    pub stance: Stance,
    /// Numbers into the answer's `sources`.
    pub citations: Vec<usize>,
}

/// The ids that speak with `id`'s voice: itself, the documents it
/// authored, and the authors of it if it is a document. Found from `id`'s
/// own relations, so it costs what `id` has, not what the dataset has.
pub fn voices(ds: &Dataset, id: &str) -> BTreeSet<String> {
    voices_of(ds, id).into_iter().map(str::to_string).collect()
}

/// [`voices`], borrowed from the dataset, sorted, each once.
fn voices_of<'a>(ds: &'a Dataset, id: &'a str) -> Vec<&'a str> {
    match ds.node(id) {
        Some(n) => voices_at(ds, n),
        None => vec![id],
    }
}

/// The [`voices`] of entity `n`.
fn voices_at(ds: &Dataset, n: NodeIndex) -> Vec<&str> {
    let o = ds.ontology();
    let g = ds.graph();
    let mut out = vec![g[n].id.as_str()];
    for (dir, outgoing) in [(Direction::Outgoing, true), (Direction::Incoming, false)] {
        for e in g.edges_directed(n, dir) {
            if o.plays(&e.weight().kind, Role::Authorship) {
                let other = if outgoing { e.target() } else { e.source() };
                out.push(&g[other].id);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The document entities standing for the sources a relation cites (those
/// with `source: ID`), each once, in the order cited.
fn documents_citing(ds: &Dataset, r: &Relation) -> Vec<NodeIndex> {
    let mut out = Vec::new();
    for c in &r.sources {
        for n in ds.documents(&c.source) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// The witnesses of a claim: the cited documents whose voice is not the
/// claim's (`own`, the [`voices`] of its claimant). Xi Jinping's words
/// quoted in Shen Yi's op-ed have Xi as their voice and the op-ed as
/// witness; Shen Yi's own claims have none.
pub(crate) fn witnesses<'a>(ds: &'a Dataset, r: &Relation, own: &BTreeSet<String>) -> Vec<&'a str> {
    documents_citing(ds, r)
        .into_iter()
        .map(|n| ds.graph()[n].id.as_str())
        .filter(|d| !own.contains(*d))
        .collect()
}

/// [`witnesses`] of a claim by `voice`. A document speaks with the voice
/// of its claimant exactly when the claimant is one of the document's own
/// voices (each is the other's author, or they are one), so the documents
/// of each cited source and their voices are found once per answer (in
/// `known`, by source id): an answer cites a few thousand sources for
/// claims by tens of thousands of claimants, whose voices were found by
/// looking each one up, and the documents by a search per citation.
pub(crate) fn witnesses_of<'a>(
    ds: &'a Dataset,
    r: &'a Relation,
    voice: &str,
    known: &mut Voices<'a>,
) -> Vec<&'a str> {
    let g = ds.graph();
    let mut out: Vec<&str> = Vec::new();
    for c in &r.sources {
        let docs = known.entry(&c.source).or_insert_with(|| {
            ds.documents(&c.source)
                .map(|n| (g[n].id.as_str(), voices_at(ds, n)))
                .collect()
        });
        for (d, theirs) in docs.iter() {
            if theirs.binary_search(&voice).is_err() && !out.contains(d) {
                out.push(d);
            }
        }
    }
    out
}

/// Claims matching the settings: relations that name who makes them.
pub fn claims<'a>(ds: &'a Dataset, filter: &ClaimSettings) -> Claims<'a> {
    let by = filter.by.as_ref().map(|(_, voices)| voices);
    let about = filter.about();
    let mut found: Vec<_> = ds
        .relations()
        .filter(|(_, _, r)| r.claimed_by.is_some())
        .filter(|(_, _, r)| {
            by.as_ref().is_none_or(|v| {
                r.claimed_by
                    .as_ref()
                    .is_some_and(|c| v.contains(c.as_str()))
            })
        })
        .filter(|(_, _, r)| filter.stances.is_empty() || filter.stances.contains(&r.stance))
        .filter(|(f, t, _)| about.is_none_or(|a| a == f.id || a == t.id))
        .collect();
    found.sort_by(|a, b| {
        a.2.claimed_by
            .cmp(&b.2.claimed_by)
            .then_with(|| by_date(a.2.date.as_ref(), b.2.date.as_ref()))
            .then_with(|| (&a.0.id, &a.2.kind, &a.1.id).cmp(&(&b.0.id, &b.2.kind, &b.1.id)))
    });
    let mut cites = Cites::new(ds);
    let claims = found
        .into_iter()
        .map(|(f, t, r)| cites.fact(f, t, r))
        .collect();
    let mut attributed = Vec::new();
    for e in ds.entities() {
        if about.is_some_and(|a| a != e.id) {
            continue;
        }
        let fields = [
            ("status", e.status.as_deref(), e.status_claim.as_ref()),
            (
                "date",
                e.date.as_ref().map(|d| d.as_str()),
                e.date_claim.as_ref(),
            ),
        ];
        for (field, value, claim) in fields {
            let (Some(value), Some(c)) = (value, claim) else {
                continue;
            };
            let voice_ok = by
                .as_ref()
                .is_none_or(|v| v.contains(c.claimed_by.as_str()));
            let stance_ok = filter.stances.is_empty() || filter.stances.contains(&c.stance);
            if voice_ok && stance_ok {
                attributed.push(AttributedFact {
                    entity: &e.id,
                    field,
                    value,
                    claimed_by: &c.claimed_by,
                    stance: c.stance,
                    citations: cites.number(&c.sources),
                });
            }
        }
    }
    attributed
        .sort_by(|a, b| (a.claimed_by, a.entity, a.field).cmp(&(b.claimed_by, b.entity, b.field)));
    Claims {
        claims,
        attributed,
        sources: cites.finish(),
    }
}

/// The dataset as `id` sees it: the plain record (relations nobody is
/// named as claiming) plus what `id` (or what it wrote, or who wrote it)
/// claims, and the words of others that its documents report (it is their
/// witness). Entities are all kept; only relations are filtered.
pub fn as_claimed_by(ds: &Dataset, id: &str) -> Result<Dataset, QueryError> {
    let e = super::entity(ds, id)?;
    let v = voices(ds, &e.id);
    // Each claimant's voices once, not once per claim.
    let others: RefCell<HashMap<String, BTreeSet<String>>> = RefCell::default();
    let mut view = ds.keep_relations(|r| match &r.claimed_by {
        None => true,
        Some(c) if v.contains(c.as_str()) => true,
        Some(c) => {
            let mut others = others.borrow_mut();
            if !others.contains_key(c.as_str()) {
                others.insert(c.to_string(), voices(ds, c));
            }
            witnesses(ds, r, &others[c.as_str()])
                .iter()
                .any(|w| v.contains(*w))
        }
    });
    // A status or date on another voice's word is that voice's claim too.
    view.drop_attributed(|c| !v.contains(c.claimed_by.as_str()));
    Ok(view)
}
