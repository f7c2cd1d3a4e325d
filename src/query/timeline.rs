//! `detente timeline`: dated entities and relations in chronological order.
//!
//! Order: by earliest possible start, then latest possible start, then end
//! (so `2017` comes before `2017-10-04`, which comes before `2017-10-05`);
//! at the same date entities before relations, then by id.

use serde::Serialize;

use super::cite::{Brief, Cites, Fact, NumberedSource};
use super::{QueryError, TimelineSettings};
use crate::model::date::{Date, Limit};
use crate::model::entity::{Entity, Relation};
use crate::model::graph::Dataset;

/// The timeline.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Timeline<'a> {
    /// The entries, in chronological order.
    pub entries: Vec<Entry<'a>>,
    /// Every citation used, numbered.
    pub sources: Vec<NumberedSource<'a>>,
}

/// One dated thing.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Entry<'a> {
    /// An entity with a date.
    Entity {
        /// Its date.
        date: &'a Date,
        /// The entity.
        entity: Brief<'a>,
    },
    /// A relation with a date.
    Relation {
        /// Its date.
        date: &'a Date,
        /// The relation.
        fact: Fact<'a>,
    },
}

impl<'a> Entry<'a> {
    /// The entry's date.
    pub fn date(&self) -> &'a Date {
        match self {
            Entry::Entity { date, .. } | Entry::Relation { date, .. } => date,
        }
    }
}

/// The timeline for `opts` (checked by [`super::TimelineOptions::validate`]).
/// Settings made for another dataset that lacks their `--about` entity are
/// refused as an unknown entity.
pub fn timeline<'a>(ds: &'a Dataset, opts: &TimelineSettings) -> Result<Timeline<'a>, QueryError> {
    let about = opts
        .about
        .as_deref()
        .map(|id| super::entity(ds, id))
        .transpose()?;
    let lo = opts
        .from
        .as_ref()
        .map(|d| d.start().earliest)
        .unwrap_or(Limit::Past);
    let hi = opts
        .to
        .as_ref()
        .map(|d| d.end().latest)
        .unwrap_or(Limit::Future);
    let in_range = |d: &Date| d.start().earliest <= hi && lo <= d.end().latest;
    let entity_ok = |e: &Entity| {
        (opts.kinds.is_empty() || opts.kinds.iter().any(|v| v.as_str() == e.kind.as_str()))
            && (opts.sides.is_empty()
                || e.side
                    .as_ref()
                    .is_some_and(|s| opts.sides.iter().any(|v| v.as_str() == s.as_str())))
    };

    enum Row<'a> {
        Entity(&'a Entity),
        Relation(&'a Entity, &'a Entity, &'a Relation),
    }
    let mut rows: Vec<(&Date, Row)> = Vec::new();
    let add_entity = |e: &'a Entity, rows: &mut Vec<(&'a Date, Row<'a>)>| {
        if let Some(d) = &e.date {
            if entity_ok(e) && in_range(d) {
                rows.push((d, Row::Entity(e)));
            }
        }
    };
    let add_relation =
        |from: &'a Entity, to: &'a Entity, r: &'a Relation, rows: &mut Vec<(&'a Date, Row<'a>)>| {
            if let Some(d) = &r.date {
                if (entity_ok(from) || entity_ok(to)) && in_range(d) {
                    rows.push((d, Row::Relation(from, to, r)));
                }
            }
        };
    match about {
        // About one entity: it, what it is linked to and those links,
        // found from its own relations rather than the whole dataset.
        Some(a) => {
            add_entity(a, &mut rows);
            let links = ds.links(&a.id);
            let mut near: Vec<&Entity> = links
                .iter()
                .map(|l| l.other)
                .filter(|o| o.id != a.id)
                .collect();
            near.sort_by(|x, y| x.id.cmp(&y.id));
            near.dedup_by(|x, y| x.id == y.id);
            for e in near {
                add_entity(e, &mut rows);
            }
            // A relation of `a` to itself is listed both ways: once.
            for l in links.iter().filter(|l| l.outgoing || l.other.id != a.id) {
                let (from, to) = if l.outgoing {
                    (a, l.other)
                } else {
                    (l.other, a)
                };
                add_relation(from, to, l.relation, &mut rows);
            }
        }
        None => {
            for e in ds.entities() {
                add_entity(e, &mut rows);
            }
            for (from, to, r) in ds.relations() {
                add_relation(from, to, r, &mut rows);
            }
        }
    }
    // Same date: entities before relations, then by id.
    fn key<'r>(row: &Row<'r>) -> (u8, &'r str, &'r str, &'r str) {
        match row {
            Row::Entity(e) => (0, &e.id, "", ""),
            Row::Relation(f, t, r) => (1, &f.id, &r.kind, &t.id),
        }
    }
    rows.sort_by(|a, b| {
        a.0.chronological(b.0)
            .then_with(|| key(&a.1).cmp(&key(&b.1)))
    });

    let mut cites = Cites::new(ds);
    let entries = rows
        .into_iter()
        .map(|(date, row)| match row {
            Row::Entity(e) => Entry::Entity {
                date,
                entity: cites.brief(e),
            },
            Row::Relation(f, t, r) => Entry::Relation {
                date,
                fact: cites.fact(f, t, r),
            },
        })
        .collect();
    Ok(Timeline {
        entries,
        sources: cites.finish(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::TimelineOptions;

    /// What an entry is about, without its citation numbers.
    fn key(e: &Entry) -> (String, String) {
        match e {
            Entry::Entity { date, entity } => (date.as_str().into(), entity.id.into()),
            Entry::Relation { date, fact } => (
                date.as_str().into(),
                format!("{} {} {}", fact.from, fact.kind, fact.to),
            ),
        }
    }

    /// `--about` is answered from the entity's own relations; it must list
    /// exactly what the whole timeline lists about it, in the same order.
    #[test]
    fn timeline_about_one_entity_is_the_whole_timeline_narrowed_to_it() {
        let files = crate::load::read_dir(std::path::Path::new("tests/fixtures/cli")).unwrap();
        let ds = crate::load::load(&files).unwrap();
        let whole = TimelineOptions::default().validate(&ds).unwrap();
        let whole = timeline(&ds, &whole).unwrap();
        let mut checked = 0;
        for e in ds.entities() {
            let mut near: Vec<&str> = ds
                .links(&e.id)
                .iter()
                .map(|l| l.other.id.as_str())
                .collect();
            near.push(&e.id);
            let expected: Vec<_> = whole
                .entries
                .iter()
                .filter(|x| match x {
                    Entry::Entity { entity, .. } => near.contains(&entity.id),
                    Entry::Relation { fact, .. } => fact.from == e.id || fact.to == e.id,
                })
                .map(key)
                .collect();
            let about = TimelineOptions {
                about: Some(e.id.to_string()),
                ..Default::default()
            }
            .validate(&ds)
            .unwrap();
            let got: Vec<_> = timeline(&ds, &about)
                .unwrap()
                .entries
                .iter()
                .map(key)
                .collect();
            assert_eq!(got, expected, "timeline --about {}", e.id);
            checked += usize::from(!got.is_empty());
        }
        assert!(checked > 10, "only {checked} entities have a timeline");
    }
}
