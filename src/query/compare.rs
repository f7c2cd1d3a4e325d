//! `detente compare A B`: two entities side by side — typically a mechanism
//! and its successor. Each row is one aspect (period, founding venue,
//! participants on each side, sessions, topics…); items both share are
//! aligned under `both`, the rest under `only_a` and `only_b`. What the
//! sources claim of each is listed per entity.

use std::collections::BTreeMap;

use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use super::cite::{by_date, Brief, Cites, Fact, NumberedSource};
use super::QueryError;
use crate::model::date::Date;
use crate::model::entity::Entity;
use crate::model::graph::Dataset;
use crate::model::ontology::Role;

/// The comparison.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Comparison<'a> {
    /// The first entity.
    pub a: Brief<'a>,
    /// The second entity.
    pub b: Brief<'a>,
    /// One row per aspect; rows where both are empty are left out.
    pub rows: Vec<Row<'a>>,
    /// Claims (relations naming a claimant) touching `a`.
    pub claims_a: Vec<Fact<'a>>,
    /// Claims touching `b`.
    pub claims_b: Vec<Fact<'a>>,
    /// Every citation used, numbered.
    pub sources: Vec<NumberedSource<'a>>,
}

/// One aspect of the two.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    /// Machine name, e.g. `participants.china`.
    pub field: String,
    /// Label for people, e.g. `Participants: China`.
    pub label: String,
    /// Whether the two agree entirely on this aspect.
    pub same: bool,
    /// Items both have.
    pub both: Vec<RowItem<'a>>,
    /// Items only the first has.
    pub only_a: Vec<RowItem<'a>>,
    /// Items only the second has.
    pub only_b: Vec<RowItem<'a>>,
}

/// A value or a linked entity in a row.
#[derive(Debug, Clone, Serialize)]
pub struct RowItem<'a> {
    /// The entity, when the item is one.
    pub id: Option<&'a str>,
    /// What to show.
    pub text: String,
    /// The date of the item or of the linking relation.
    pub date: Option<&'a Date>,
    /// Numbers into the comparison's `sources`.
    pub citations: Vec<usize>,
}

struct Side<'a> {
    rows: BTreeMap<(usize, String), (String, Vec<RowItem<'a>>)>,
    claims: Vec<Fact<'a>>,
}

fn collect<'a>(ds: &'a Dataset, e: &'a Entity, cites: &mut Cites<'a>) -> Side<'a> {
    let g = ds.graph();
    let o = ds.ontology();
    let n = ds.node(&e.id).expect("node");
    let mut rows: BTreeMap<(usize, String), (String, Vec<RowItem>)> = BTreeMap::new();
    let mut put = |order: usize, field: String, label: String, item: RowItem<'a>| {
        rows.entry((order, field))
            .or_insert_with(|| (label, Vec::new()))
            .1
            .push(item);
    };
    let value = |text: String| RowItem {
        id: None,
        text,
        date: None,
        citations: Vec::new(),
    };
    put(
        0,
        "kind".into(),
        "Kind".into(),
        value(
            o.kinds
                .get(&e.kind)
                .map_or(e.kind.to_string(), |k| k.label.clone()),
        ),
    );
    if let Some(d) = &e.date {
        put(
            1,
            "period".into(),
            "Period".into(),
            value(d.human().to_string()),
        );
    }
    if let Some(s) = &e.status {
        put(
            2,
            "status".into(),
            "Status".into(),
            value(o.statuses.get(s).map_or(s.to_string(), |d| d.label.clone())),
        );
    }
    if let Some(s) = &e.side {
        put(
            3,
            "side".into(),
            "Side".into(),
            value(o.sides.get(s).map_or(s.to_string(), |d| d.label.clone())),
        );
    }
    let mut linked = |order: usize,
                      field: &str,
                      label: &str,
                      other: &'a Entity,
                      r: &'a crate::model::entity::Relation,
                      cites: &mut Cites<'a>| {
        let citations = cites.number(&r.sources);
        put(
            order,
            field.to_string(),
            label.to_string(),
            RowItem {
                id: Some(&other.id),
                // In what capacity, where the relation says: "Guo Shengkun, co-chair".
                text: match r.role.as_deref() {
                    Some(role) => format!(
                        "{}, {}",
                        other.label(),
                        o.role_label(&r.kind, role).unwrap_or(role)
                    ),
                    None => other.label().to_string(),
                },
                date: r.date.as_ref().or(other.date.as_ref()),
                citations,
            },
        );
    };
    // Participants are grouped by their side: one row per side.
    let participants_row = |other: &Entity| {
        let side = other.side.as_deref().unwrap_or("none");
        let label = o.sides.get(side).map_or(side, |s| s.label.as_str());
        (
            format!("participants.{side}"),
            format!("Participants: {label}"),
        )
    };
    let mut claims = Vec::new();
    let mut sessions = Vec::new();
    for dir in [Direction::Outgoing, Direction::Incoming] {
        for edge in g.edges_directed(n, dir) {
            let r = edge.weight();
            let out = dir == Direction::Outgoing;
            let other = if out {
                &g[edge.target()]
            } else {
                &g[edge.source()]
            };
            if r.claimed_by.is_some() {
                let (f, t) = if out { (e, other) } else { (other, e) };
                claims.push(cites.fact(f, t, r));
            }
            let def = o.relations.get(&r.kind);
            match (def.and_then(|d| d.plays), out) {
                (Some(Role::Founding), true) => linked(4, "founded", "Founded at", other, r, cites),
                (Some(Role::Ending), true) => {
                    linked(5, "ended", "Suspended or ended by", other, r, cites)
                }
                (Some(Role::Topic), true) => linked(8, "topics", "Topics", other, r, cites),
                (Some(Role::Session), false) => {
                    sessions.push(edge.source());
                    linked(7, "sessions", "Sessions", other, r, cites)
                }
                (Some(Role::Participation), false) => {
                    let (field, label) = participants_row(other);
                    linked(6, &field, &label, other, r, cites)
                }
                _ if def.is_some_and(|d| d.lineage) => {
                    let label = if out { "Succeeds" } else { "Succeeded by" };
                    let field = if out { "predecessors" } else { "successors" };
                    linked(9, field, label, other, r, cites)
                }
                _ => {}
            }
        }
    }
    // Who took part in its sessions counts as taking part in it.
    for s in sessions {
        for edge in g.edges_directed(s, Direction::Incoming) {
            if o.plays(&edge.weight().kind, Role::Participation) {
                let other = &g[edge.source()];
                let (field, label) = participants_row(other);
                linked(6, &field, &label, other, edge.weight(), cites);
            }
        }
    }
    claims.sort_by(|a, b| {
        by_date(a.date, b.date).then_with(|| (a.from, a.kind, a.to).cmp(&(b.from, b.kind, b.to)))
    });
    Side { rows, claims }
}

/// Compares `a` with `b`.
pub fn compare<'a>(ds: &'a Dataset, a: &str, b: &str) -> Result<Comparison<'a>, QueryError> {
    let (ea, eb) = (super::entity(ds, a)?, super::entity(ds, b)?);
    let mut cites = Cites::new(ds);
    let (ba, bb) = (cites.brief(ea), cites.brief(eb));
    let sa = collect(ds, ea, &mut cites);
    let sb = collect(ds, eb, &mut cites);
    let mut keys: Vec<_> = sa.rows.keys().chain(sb.rows.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    let key = |i: &RowItem| i.id.map_or_else(|| i.text.clone(), str::to_string);
    let rows = keys
        .into_iter()
        .map(|k| {
            let (la, ia) = sa.rows.get(&k).cloned().unwrap_or_default();
            let (lb, ib) = sb.rows.get(&k).cloned().unwrap_or_default();
            let label = if la.is_empty() { lb } else { la };
            let mut both = Vec::new();
            let mut only_a = Vec::new();
            for mut item in dedup(ia.clone(), key) {
                if let Some(other) = ib.iter().find(|x| key(x) == key(&item)) {
                    // Shared: the citations of both sides stay.
                    for c in &other.citations {
                        if !item.citations.contains(c) {
                            item.citations.push(*c);
                        }
                    }
                    both.push(item);
                } else {
                    only_a.push(item);
                }
            }
            let only_b: Vec<_> = dedup(ib, key)
                .into_iter()
                .filter(|x| !ia.iter().any(|y| key(y) == key(x)))
                .collect();
            Row {
                field: k.1,
                label,
                same: only_a.is_empty() && only_b.is_empty(),
                both,
                only_a,
                only_b,
            }
        })
        .collect();
    Ok(Comparison {
        a: ba,
        b: bb,
        rows,
        claims_a: sa.claims,
        claims_b: sb.claims,
        sources: cites.finish(),
    })
}

/// Keeps the first item per key, merging the citations of the others.
fn dedup<'a>(items: Vec<RowItem<'a>>, key: impl Fn(&RowItem) -> String) -> Vec<RowItem<'a>> {
    let mut out: Vec<RowItem> = Vec::new();
    for item in items {
        match out.iter_mut().find(|x| key(x) == key(&item)) {
            Some(x) => {
                for c in item.citations {
                    if !x.citations.contains(&c) {
                        x.citations.push(c);
                    }
                }
            }
            None => out.push(item),
        }
    }
    out
}
