//! The entity card behind `detente show`: names, date, status, summary,
//! every relation in and out grouped by type, and numbered sources.

use serde::Serialize;

use super::cite::{by_date, Cites, NumberedSource};
use super::QueryError;
use crate::model::date::Date;
use crate::model::entity::{Entity, Stance};
use crate::model::graph::Dataset;

/// Everything known about one entity, ready to print or serialise.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Card<'a> {
    /// The entity itself.
    pub entity: &'a Entity,
    /// The kind's label, e.g. `Dialogue mechanism`.
    pub kind_label: &'a str,
    /// The side's label, e.g. `United States`.
    pub side_label: Option<&'a str>,
    /// The status's label.
    pub status_label: Option<&'a str>,
    /// Whether the status marks something that never existed (a proposal).
    pub hypothetical: bool,
    /// The status's meaning, as the ontology declares it.
    pub status_description: Option<&'a str>,
    /// When the status rests on someone's word: numbers (into `sources`)
    /// of where they say it.
    pub status_citations: Vec<usize>,
    /// When the date rests on someone's word: numbers (into `sources`) of
    /// where they give it.
    pub date_citations: Vec<usize>,
    /// Numbers (into `sources`) of the entity's own citations.
    pub citations: Vec<usize>,
    /// Relations, outgoing groups first, then incoming.
    pub groups: Vec<Group<'a>>,
    /// Every citation on the card, numbered from 1.
    pub sources: Vec<NumberedSource<'a>>,
}

/// The relations of one type in one direction.
#[derive(Debug, Serialize)]
pub struct Group<'a> {
    /// The relation type id, e.g. `succeeds`.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// `out` when written from this entity, `in` when written to it.
    pub direction: &'static str,
    /// How it reads from this entity: the label, or the inverse label.
    pub label: &'a str,
    /// Whether the ontology marks it as lineage.
    pub lineage: bool,
    /// The relations, in date order.
    pub items: Vec<CardItem<'a>>,
}

/// One relation as seen from the card's entity.
#[derive(Debug, Serialize)]
pub struct CardItem<'a> {
    /// The entity at the other end.
    pub id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its kind.
    pub kind: &'a str,
    /// The capacity in which the relation's source stands to its target.
    pub role: Option<&'a str>,
    /// The role's label, as the ontology declares it.
    pub role_label: Option<&'a str>,
    /// When the relation held.
    pub date: Option<&'a Date>,
    /// What is said.
    pub summary: Option<&'a str>,
    /// Who says so, if it is a claim.
    pub claimed_by: Option<&'a str>,
    /// What kind of statement it is.
    pub stance: Stance,
    /// Numbers into the card's `sources`.
    pub citations: Vec<usize>,
}

/// The card of the entity `id`.
pub fn card<'a>(ds: &'a Dataset, id: &str) -> Result<Card<'a>, QueryError> {
    let entity = super::entity(ds, id)?;
    let o = ds.ontology();
    let mut numberer = Cites::new(ds);
    let citations = numberer.number(&entity.sources);
    let status_citations = entity
        .status_claim
        .as_ref()
        .map(|c| numberer.number(&c.sources))
        .unwrap_or_default();
    let date_citations = entity
        .date_claim
        .as_ref()
        .map(|c| numberer.number(&c.sources))
        .unwrap_or_default();

    let mut links = ds.links(id);
    // Outgoing before incoming, then by type, then by date (undated last).
    links.sort_by(|a, b| {
        (!a.outgoing, &a.relation.kind)
            .cmp(&(!b.outgoing, &b.relation.kind))
            .then_with(|| by_date(a.relation.date.as_ref(), b.relation.date.as_ref()))
            .then_with(|| a.other.id.cmp(&b.other.id))
    });
    let mut groups: Vec<Group> = Vec::new();
    for link in links {
        let def = &o.relations[&link.relation.kind];
        let item = CardItem {
            id: &link.other.id,
            name: &link.other.name,
            kind: &link.other.kind,
            role: link.relation.role.as_deref(),
            role_label: link
                .relation
                .role
                .as_deref()
                .map(|r| o.role_label(&link.relation.kind, r).unwrap_or(r)),
            date: link.relation.date.as_ref(),
            summary: link.relation.summary.as_deref(),
            claimed_by: link.relation.claimed_by.as_deref(),
            stance: link.relation.stance,
            citations: numberer.number(&link.relation.sources),
        };
        let direction = if link.outgoing { "out" } else { "in" };
        match groups.last_mut() {
            Some(g) if g.kind == link.relation.kind && g.direction == direction => {
                g.items.push(item)
            }
            _ => groups.push(Group {
                kind: &link.relation.kind,
                direction,
                label: if link.outgoing {
                    &def.label
                } else {
                    &def.inverse
                },
                lineage: def.lineage,
                items: vec![item],
            }),
        }
    }

    let status = entity.status.as_ref().and_then(|s| o.statuses.get(s));
    Ok(Card {
        entity,
        kind_label: o.kinds.get(&entity.kind).map_or(&entity.kind, |k| &k.label),
        side_label: entity
            .side
            .as_ref()
            .map(|s| o.sides.get(s).map_or(s.as_str(), |d| d.label.as_str())),
        status_label: status.map(|s| s.label.as_str()),
        hypothetical: status.is_some_and(|s| s.hypothetical),
        status_description: status.and_then(|s| s.description.as_deref()),
        status_citations,
        date_citations,
        citations,
        groups,
        sources: numberer.finish(),
    })
}
