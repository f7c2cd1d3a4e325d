//! `detente timeline`: dated entities and relations in chronological order.
//!
//! Order: by earliest possible start, then latest possible start, then end
//! (so `2017` comes before `2017-10-04`, which comes before `2017-10-05`);
//! at the same date entities before relations, then by id.

use std::ops::Range;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use super::cite::{brief, fact, Brief, Cites, Fact, NumberedSources, Numbering, Voices};
use super::{QueryError, TimelineSettings};
use crate::model::cited::{at, date_of, item, order_key, sources_of};
use crate::model::date::{packed_limit, Date, Limit};
use crate::model::entity::{Entity, Relation};
use crate::model::graph::Dataset;

/// The timeline.
///
/// Its citations are numbered when it is made; each entry and each
/// numbered source is made when it is read ([`Entries::iter`],
/// [`NumberedSources::iter`]), from the dataset it borrows: a timeline of a
/// whole dataset of 100,000 entities has hundreds of thousands of both.
/// A timeline of the whole dataset (or of a wide part of it) walks the
/// dataset's kept date order and numbers its citations through its table
/// of distinct citations, both built on the first such timeline and kept;
/// one `--about` an entity is made from that entity's relations alone, and
/// a narrow part, until the tables are built, from one pass over the
/// records.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Timeline<'a> {
    /// The entries, in chronological order.
    pub entries: Entries<'a>,
    /// Every citation used, numbered.
    pub sources: NumberedSources<'a>,
}

/// The entries of a [`Timeline`], in chronological order, read from the
/// dataset as they are listed ([`Entries::items`]) or made into
/// [`Entry`] answers ([`Entries::iter`]); serialised as a list of
/// [`Entry`].
pub struct Entries<'a> {
    ds: &'a Dataset,
    /// The entities and relations listed (see `model::cited`), in order.
    items: Vec<u32>,
    /// Their citations' numbers.
    numbers: Numbered,
}

/// How the entries' citations are numbered.
enum Numbered {
    /// The number of each distinct citation of the dataset's table (0 for
    /// those the timeline does not cite).
    Table(Vec<u32>),
    /// Each entry's numbers, one list after the other in the order of the
    /// entries, and where each entry's list starts (one more than the
    /// entries).
    Listed(Vec<usize>, Vec<u32>),
}

impl<'a> Entries<'a> {
    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing dated matches.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The entries, in chronological order, as the dataset holds them:
    /// each its record, its date and its citations' numbers, borrowed,
    /// nothing copied or allocated (what printing a whole timeline reads).
    pub fn items(&self) -> impl ExactSizeIterator<Item = Dated<'a, '_>> + '_ {
        self.read(0..self.items.len())
    }

    /// The entries at positions `range`, as [`Entries::items`] reads them.
    pub(crate) fn read(
        &self,
        range: Range<usize>,
    ) -> impl ExactSizeIterator<Item = Dated<'a, '_>> + '_ {
        let ds = self.ds;
        let g = ds.graph();
        let first = range.start;
        self.items[range].iter().enumerate().map(move |(i, &item)| {
            let i = first + i;
            let numbers = match &self.numbers {
                Numbered::Table(number) => Numbers::Table {
                    ids: ds.cited().of(item),
                    number,
                },
                Numbered::Listed(all, start) => {
                    Numbers::Listed(&all[start[i] as usize..start[i + 1] as usize])
                }
            };
            let (what, date) = match at(g, item) {
                Ok(n) => (What::Entity(&g[n]), g[n].date.as_ref()),
                Err(e) => {
                    let (a, b) = g.edge_endpoints(e).expect("an edge of the graph");
                    let relation = &g[e];
                    let what = What::Relation {
                        from: &g[a],
                        to: &g[b],
                        relation,
                    };
                    (what, relation.date.as_ref())
                }
            };
            Dated {
                ds,
                date: date.expect("a timeline lists dated things only"),
                what,
                numbers,
            }
        })
    }

    /// The entries, in chronological order, each made into the answer
    /// with its citations' numbers (an [`Entry`] per [`Dated`]).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Entry<'a>> + '_ {
        let mut voices = Voices::default();
        self.items().map(move |item| item.made(&mut voices))
    }

    /// Each entry's date, in order: what the entries are sorted by, without
    /// reading the entries.
    pub fn dates(&self) -> impl ExactSizeIterator<Item = &'a Date> + '_ {
        let g = self.ds.graph();
        self.items
            .iter()
            .map(move |&item| date_of(g, item).expect("a timeline lists dated things only"))
    }
}

/// One entry of a [`Timeline`] as the dataset holds it: its date, the
/// entity or relation dated, and its citations' numbers, all borrowed
/// from the dataset and the timeline. [`Dated::entry`] makes the [`Entry`]
/// an answer shows.
#[derive(Clone, Copy)]
pub struct Dated<'a, 't> {
    ds: &'a Dataset,
    /// The date it is listed at.
    pub date: &'a Date,
    /// What is dated.
    pub what: What<'a>,
    numbers: Numbers<'a, 't>,
}

/// What a [`Dated`] dates.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum What<'a> {
    /// An entity.
    Entity(&'a Entity),
    /// A relation, in the direction it was written.
    Relation {
        /// Its source entity.
        from: &'a Entity,
        /// Its target entity.
        to: &'a Entity,
        /// The relation.
        relation: &'a Relation,
    },
}

/// An item's citations' numbers, found when read.
#[derive(Clone, Copy)]
enum Numbers<'a, 't> {
    /// The item's distinct citations ([`Cited::of`](crate::model::cited))
    /// and the number of each distinct citation of the dataset.
    Table { ids: &'a [u32], number: &'t [u32] },
    /// The numbers themselves.
    Listed(&'t [usize]),
}

impl<'a, 't> Dated<'a, 't> {
    /// The numbers of its citations (into the timeline's `sources`), in
    /// the order it first cites them: an [`Entry`]'s `citations`.
    pub fn citations(&self) -> impl ExactSizeIterator<Item = usize> + 't
    where
        'a: 't,
    {
        let (ids, number, listed): (&'t [u32], &'t [u32], &'t [usize]) = match self.numbers {
            Numbers::Table { ids, number } => (ids, number, &[]),
            Numbers::Listed(listed) => (&[], &[], listed),
        };
        Citations {
            ids: ids.iter(),
            number,
            listed: listed.iter(),
        }
    }

    /// Whether an entity never existed ([`Dataset::never_existed`]); false
    /// for a relation.
    pub fn hypothetical(&self) -> bool {
        match self.what {
            What::Entity(e) => self.ds.never_existed(e),
            What::Relation { .. } => false,
        }
    }

    /// How it reads, as an [`Entry`] shows it: an entity's label (its
    /// short name, else its name) and no role; a relation's label (how it
    /// reads from `from` to `to`) and its role's label, if it has a role.
    pub fn labels(&self) -> (&'a str, Option<&'a str>) {
        match self.what {
            What::Entity(e) => (e.label(), None),
            What::Relation { relation: r, .. } => {
                let o = self.ds.ontology();
                let def = o.relations.get(&r.kind);
                let role = r
                    .role
                    .as_deref()
                    .map(|x| def.and_then(|d| d.role_label(x)).unwrap_or(x));
                (def.map_or(&r.kind, |d| &d.label), role)
            }
        }
    }

    /// The answer for this entry: an entity in brief or a relation as a
    /// fact, with its citations' numbers.
    pub fn entry(&self) -> Entry<'a> {
        self.made(&mut Voices::default())
    }

    fn made(&self, voices: &mut Voices<'a>) -> Entry<'a> {
        self.answer(self.citations().collect(), voices)
    }

    /// [`Dated::entry`] with these citation numbers (an empty list for a
    /// writer that writes [`Dated::citations`] itself), with a cache of
    /// claimants' voices.
    pub(crate) fn answer(&self, citations: Vec<usize>, voices: &mut Voices<'a>) -> Entry<'a> {
        match self.what {
            What::Entity(e) => Entry::Entity {
                date: self.date,
                entity: brief(e, self.ds.never_existed(e), citations),
            },
            What::Relation { from, to, relation } => Entry::Relation {
                date: self.date,
                fact: fact(self.ds, from, to, relation, citations, voices),
            },
        }
    }
}

/// [`Dated::citations`]: one of the two lists is empty.
struct Citations<'t> {
    ids: std::slice::Iter<'t, u32>,
    number: &'t [u32],
    listed: std::slice::Iter<'t, usize>,
}

impl Iterator for Citations<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        match self.ids.next() {
            Some(&c) => Some(self.number[c as usize] as usize),
            None => self.listed.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.ids.len() + self.listed.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for Citations<'_> {}

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl std::fmt::Debug for Entries<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
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
    let (lo, hi) = (packed_limit(lo), packed_limit(hi));
    let in_range = |d: &Date| {
        let l = d.packed_limits();
        l[0] <= hi && lo <= l[3]
    };
    let every_entity = opts.kinds.is_empty() && opts.sides.is_empty();
    let whole = opts.from.is_none() && opts.to.is_none() && every_entity;
    let entity_ok = |e: &Entity| {
        (opts.kinds.is_empty() || opts.kinds.iter().any(|v| v.as_str() == e.kind.as_str()))
            && (opts.sides.is_empty()
                || e.side
                    .as_ref()
                    .is_some_and(|s| opts.sides.iter().any(|v| v.as_str() == s.as_str())))
    };
    let g = ds.graph();
    let nodes = g.node_count();
    let items: Vec<u32> = match about {
        // About one entity: it, what it is linked to and those links,
        // found from its own relations rather than the whole dataset.
        Some(a) => {
            let n = ds.node(&a.id).expect("the entity was found");
            let mut rows: Vec<(&Date, u32)> = Vec::new();
            let add_entity = |x: NodeIndex, rows: &mut Vec<(&'a Date, u32)>| {
                let e = &g[x];
                if let Some(d) = &e.date {
                    if entity_ok(e) && in_range(d) {
                        rows.push((d, item(x.index())));
                    }
                }
            };
            add_entity(n, &mut rows);
            let mut near: Vec<NodeIndex> = g.neighbors_undirected(n).filter(|&o| o != n).collect();
            near.sort_unstable();
            near.dedup();
            for x in near {
                add_entity(x, &mut rows);
            }
            for dir in [Direction::Outgoing, Direction::Incoming] {
                for e in g.edges_directed(n, dir) {
                    // A relation of `a` to itself is listed both ways: once.
                    if dir == Direction::Incoming && e.source() == n {
                        continue;
                    }
                    let r = e.weight();
                    if let Some(d) = &r.date {
                        let (from, to) = (&g[e.source()], &g[e.target()]);
                        if (entity_ok(from) || entity_ok(to)) && in_range(d) {
                            rows.push((d, item(nodes + e.id().index())));
                        }
                    }
                }
            }
            return Ok(listed(ds, rows));
        }
        // Part of the dataset, before any timeline has built the tables: a
        // narrow range (or a few kinds or sides) is found by one pass over
        // the records and numbered as any answer numbers its citations,
        // as cheap for a one-shot question as it was before the tables; a
        // wide one is left to the tables (below), as the whole dataset is.
        None if !(whole || ds.chrono_built()) => {
            let mut rows: Vec<(&Date, u32)> = Vec::new();
            for (i, e) in g.node_weights().enumerate() {
                if let Some(d) = &e.date {
                    if in_range(d) && entity_ok(e) {
                        rows.push((d, item(i)));
                    }
                }
            }
            for (i, edge) in g.raw_edges().iter().enumerate() {
                if let Some(d) = &edge.weight.date {
                    if in_range(d) && (entity_ok(&g[edge.source()]) || entity_ok(&g[edge.target()]))
                    {
                        rows.push((d, item(nodes + i)));
                    }
                }
            }
            if rows.len() <= (nodes + g.edge_count()) / NARROW {
                return Ok(listed(ds, rows));
            }
            kept(ds, lo, hi, every_entity, &entity_ok)
        }
        // The whole dataset, or a wide part of it: the kept order, narrowed.
        None => kept(ds, lo, hi, every_entity, &entity_ok),
    };
    let cited = ds.cited();
    let mut numbering = Numbering::new(cited);
    for &i in &items {
        numbering.number(cited.of(i));
    }
    let (numbers, order) = numbering.into_parts();
    Ok(Timeline {
        entries: Entries {
            ds,
            items,
            numbers: Numbered::Table(numbers),
        },
        sources: NumberedSources::from_table(ds, order),
    })
}

/// A part narrower than this fraction of all entities and relations is
/// answered without the kept tables when they are not built yet.
const NARROW: usize = 8;

/// The items of the kept order in the range `lo..=hi` (packed limits)
/// whose entities `entity_ok` accepts (all when `every_entity`).
fn kept(
    ds: &Dataset,
    lo: i32,
    hi: i32,
    every_entity: bool,
    entity_ok: &dyn Fn(&Entity) -> bool,
) -> Vec<u32> {
    // The two tables do not depend on each other: on the first such
    // timeline they are built side by side, on two threads when there are.
    if !ds.chrono_built() {
        rayon::join(|| ds.chrono(), || ds.cited());
    }
    let g = ds.graph();
    ds.chrono()
        .order
        .iter()
        .filter(|d| d.limits[0] <= hi && lo <= d.limits[3])
        .filter(|d| {
            every_entity
                || match at(g, d.item) {
                    Ok(n) => entity_ok(&g[n]),
                    Err(e) => {
                        let (a, b) = g.edge_endpoints(e).expect("an edge of the graph");
                        entity_ok(&g[a]) || entity_ok(&g[b])
                    }
                }
        })
        .map(|d| d.item)
        .collect()
}

/// A timeline of these rows (a date and an item each, in any order): put
/// in timeline order and numbered as any answer numbers its citations,
/// without the dataset's tables.
fn listed<'a>(ds: &'a Dataset, mut rows: Vec<(&'a Date, u32)>) -> Timeline<'a> {
    let g = ds.graph();
    rows.sort_unstable_by(|a, b| {
        a.0.chronological(b.0)
            .then_with(|| order_key(ds, a.1).cmp(&order_key(ds, b.1)))
            .then(a.1.cmp(&b.1))
    });
    let items: Vec<u32> = rows.into_iter().map(|(_, i)| i).collect();
    let mut cites = Cites::new(ds);
    let mut numbers = Vec::new();
    let mut start = Vec::with_capacity(items.len() + 1);
    start.push(0);
    for &i in &items {
        numbers.extend(cites.number(sources_of(g, i)));
        start.push(item(numbers.len()));
    }
    Timeline {
        entries: Entries {
            ds,
            items,
            numbers: Numbered::Listed(numbers, start),
        },
        sources: NumberedSources::made(ds, cites.finish()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{NumberedSource, TimelineOptions};

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

    /// A timeline numbered through the dataset's table of citations gives
    /// the numbers and sources that numbering its entries' citations one by
    /// one, in order, gives (as `--about` and every other answer do).
    #[test]
    fn table_numbers_are_those_of_numbering_the_entries_in_order() {
        let files = crate::load::read_dir(std::path::Path::new("tests/fixtures/cli")).unwrap();
        let ds = crate::load::load(&files).unwrap();
        for (from, to) in [(None, None), (Some("2016"), Some("2018-06"))] {
            let opts = TimelineOptions {
                from: from.map(|d| Date::parse(d).unwrap()),
                to: to.map(|d| Date::parse(d).unwrap()),
                ..Default::default()
            }
            .validate(&ds)
            .unwrap();
            let t = timeline(&ds, &opts).unwrap();
            assert!(t.entries.len() > 20, "{}", t.entries.len());
            let mut cites = Cites::new(&ds);
            for e in t.entries.iter() {
                let (cited, got) = match &e {
                    Entry::Entity { entity, .. } => {
                        (&ds.entity(entity.id).unwrap().sources, &entity.citations)
                    }
                    Entry::Relation { fact, .. } => (&fact.relation.sources, &fact.citations),
                };
                assert_eq!(&cites.number(cited), got);
            }
            let expected = cites.finish();
            let got: Vec<NumberedSource> = t.sources.iter().collect();
            assert_eq!(format!("{expected:?}"), format!("{got:?}"));
            assert_eq!(
                serde_json::to_string(&expected).unwrap(),
                serde_json::to_string(&t.sources).unwrap()
            );
        }
    }

    /// A part of the dataset is answered the same, byte for byte, whether
    /// the kept tables are built (answered from them) or not (a pass over
    /// the records, numbered per answer).
    #[test]
    fn a_part_reads_the_same_with_and_without_the_tables() {
        let files = crate::load::read_dir(std::path::Path::new("tests/fixtures/cli")).unwrap();
        let ds = crate::load::load(&files).unwrap();
        // Each under an eighth of the fixture's 102 entities and relations.
        let parts = [
            (Some("2016-01"), Some("2016-06"), vec![]),
            (None, Some("2013"), vec![]),
            (None, None, vec!["country".to_string()]),
            (Some("2014"), None, vec!["document".to_string()]),
        ];
        let json = |ds: &Dataset| {
            parts
                .iter()
                .map(|(from, to, kinds)| {
                    let opts = TimelineOptions {
                        from: from.map(|d| Date::parse(d).unwrap()),
                        to: to.map(|d| Date::parse(d).unwrap()),
                        kinds: kinds.clone(),
                        ..Default::default()
                    }
                    .validate(ds)
                    .unwrap();
                    serde_json::to_string(&timeline(ds, &opts).unwrap()).unwrap()
                })
                .collect::<Vec<_>>()
        };
        let fresh = ds.clone();
        let without = json(&fresh);
        // Each part was narrow enough to be answered without the tables.
        assert!(!fresh.chrono_built());
        let whole = TimelineOptions::default().validate(&ds).unwrap();
        timeline(&ds, &whole).unwrap();
        assert!(ds.chrono_built());
        assert_eq!(json(&ds), without);
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
                .map(|x| key(&x))
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
                .map(|x| key(&x))
                .collect();
            assert_eq!(got, expected, "timeline --about {}", e.id);
            checked += usize::from(!got.is_empty());
        }
        assert!(checked > 10, "only {checked} entities have a timeline");
    }
}
