//! Tables kept beside the graph for answers that cover much of a dataset
//! (a `timeline` of all of it, or of a wide part of it): every
//! distinct citation numbered once per dataset, and every dated entity and
//! relation in timeline order. Both are built on the first such question
//! and kept, so an answer numbers its citations by walking arrays of small
//! integers, and a whole-dataset timeline needs no sort.
//!
//! An item is an entity (its node index) or a relation (the number of
//! entities plus its edge index): [`item`] numbers one, [`at`] finds it.

use std::hash::BuildHasher;

use foldhash::HashMap;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use rayon::prelude::*;

use super::date::Date;
use super::entity::{Citation, Entity, Relation};
use super::graph::Dataset;

/// Where item `item` is in the graph: an entity's node or a relation's edge.
pub(crate) fn at(g: &DiGraph<Entity, Relation>, item: u32) -> Result<NodeIndex, EdgeIndex> {
    match (item as usize).checked_sub(g.node_count()) {
        None => Ok(NodeIndex::new(item as usize)),
        Some(e) => Err(EdgeIndex::new(e)),
    }
}

/// The citations of item `item`, as written.
pub(crate) fn sources_of(g: &DiGraph<Entity, Relation>, item: u32) -> &[Citation] {
    match at(g, item) {
        Ok(n) => &g[n].sources,
        Err(e) => &g[e].sources,
    }
}

/// The date of item `item`, if it has one.
pub(crate) fn date_of(g: &DiGraph<Entity, Relation>, item: u32) -> Option<&Date> {
    match at(g, item) {
        Ok(n) => g[n].date.as_ref(),
        Err(e) => g[e].date.as_ref(),
    }
}

/// The item number of node or edge index `i` (see [`at`]): for an edge,
/// `i` is the number of nodes plus its index.
pub(crate) fn item(i: usize) -> u32 {
    index(i)
}

/// Every distinct (source, locator, quote) of a dataset as a small integer,
/// and each item's citations as those integers.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Cited {
    /// Where each item's citations start in `ids`; one more than the items.
    start: Vec<u32>,
    /// Each item's distinct citations, in the order it first cites them.
    ids: Vec<u32>,
    /// Where each distinct citation is first written: its item and its
    /// position in that item's list.
    first: Vec<(u32, u32)>,
}

impl Cited {
    pub(crate) fn build(ds: &Dataset) -> Cited {
        let g = ds.graph();
        let items = g.node_count() + g.edge_count();
        // Every citation, item by item, with its hash and the citation
        // itself, hashed on every core: reading each citation's strings
        // where its record holds them is most of the work. The citation is
        // held by reference, so telling two apart below reads the two
        // citations alone, not first the records that hold them.
        let hasher = foldhash::fast::FixedState::default();
        let hash = |c: &Citation| hasher.hash_one(key(c));
        let all: Vec<(u64, &Citation)> = (0..index(items))
            .into_par_iter()
            .flat_map_iter(|item| sources_of(g, item).iter().map(|c| (hash(c), c)))
            .collect();
        let written = |k: u32| all[k as usize].1;
        // Equal citations hash alike, so the hashes split them into parts
        // that are told apart each on its own core: in each part, every
        // citation's first equal (its own position if it is the first),
        // in the order of `all`. The distinct citations seen are held as
        // positions alone (4 bytes, where a map keyed by the three strings
        // took 56 a slot: tens of megabytes at 100k entities, each slot a
        // cache miss); one is compared by its place in `all`, which holds
        // its citation by reference.
        let parts = rayon::current_num_threads().max(1);
        let part = |h: u64| (h >> 32) as usize % parts;
        let firsts: Vec<Vec<u32>> = (0..parts)
            .into_par_iter()
            .map(|p| {
                let mut seen: hashbrown::HashTable<u32> =
                    hashbrown::HashTable::with_capacity(all.len() / parts + 1);
                let mut firsts = Vec::with_capacity(all.len() / parts + 1);
                for (k, &(h, ..)) in all.iter().enumerate().filter(|(_, c)| part(c.0) == p) {
                    let c = written(index(k));
                    let first =
                        match seen.entry(h, |&f| key(written(f)) == key(c), |&f| all[f as usize].0)
                        {
                            hashbrown::hash_table::Entry::Occupied(o) => *o.get(),
                            hashbrown::hash_table::Entry::Vacant(v) => *v.insert(index(k)).get(),
                        };
                    firsts.push(first);
                }
                firsts
            })
            .collect();
        // Numbered in the order first cited, item by item, as one pass
        // over every citation would number them.
        let mut next = vec![0usize; parts];
        let mut number = vec![0u32; all.len()];
        let mut start = Vec::with_capacity(items + 1);
        start.push(0);
        let mut ids = Vec::with_capacity(all.len());
        let mut first: Vec<(u32, u32)> = Vec::new();
        let mut k = 0;
        for item in 0..index(items) {
            let from = ids.len();
            // The citations of `item`, in the order `all` holds them.
            for at in 0..index(sources_of(g, item).len()) {
                let h = all[k].0;
                let p = part(h);
                let f = firsts[p][next[p]] as usize;
                next[p] += 1;
                let id = if f == k {
                    first.push((item, at));
                    index(first.len() - 1)
                } else {
                    number[f]
                };
                number[k] = id;
                if !ids[from..].contains(&id) {
                    ids.push(id);
                }
                k += 1;
            }
            start.push(index(ids.len()));
        }
        first.shrink_to_fit();
        Cited { start, ids, first }
    }

    /// Whether this table, read from a copy, can be the table of `g`:
    /// every number in range, each distinct citation first written where
    /// it says, in order. What it holds is the copy's to vouch for (its
    /// key and checksum); this is that nothing in it reaches outside the
    /// graph. Each check reads the records in the order they lie.
    pub(crate) fn fits(&self, g: &DiGraph<Entity, Relation>) -> bool {
        let items = g.node_count() + g.edge_count();
        let Cited { start, ids, first } = self;
        start.len() == items + 1
            && start.first() == Some(&0)
            && start.windows(2).all(|w| w[0] <= w[1])
            && start.last().is_some_and(|&end| end as usize == ids.len())
            && ids.iter().all(|&id| (id as usize) < first.len())
            && first.windows(2).all(|w| w[0] < w[1])
            && first.iter().all(|&(item, at)| {
                (item as usize) < items && (at as usize) < sources_of(g, item).len()
            })
    }

    /// How many distinct citations the dataset has.
    pub(crate) fn len(&self) -> usize {
        self.first.len()
    }

    /// The distinct citations of `item`, in the order it first cites them.
    pub(crate) fn of(&self, item: u32) -> &[u32] {
        let i = item as usize;
        &self.ids[self.start[i] as usize..self.start[i + 1] as usize]
    }

    /// Citation `id` as written.
    pub(crate) fn citation<'a>(&self, ds: &'a Dataset, id: u32) -> &'a Citation {
        let (item, pos) = self.first[id as usize];
        &sources_of(ds.graph(), item)[pos as usize]
    }
}

/// What makes two citations one: the source, the locator and the quote
/// (the same passage cited with and without a quote is two citations, so
/// no quote is lost).
fn key(c: &Citation) -> (&str, &str, Option<&str>) {
    (c.source.as_str(), c.at.as_str(), c.quote.as_deref())
}

/// A dated entity or relation, with its date's packed limits
/// ([`Date::packed_limits`]) so that a date range is tested without
/// reaching the record.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub(crate) struct Dated {
    pub item: u32,
    pub limits: [i32; 4],
}

/// Every dated entity and relation in timeline order.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Chrono {
    /// Ordered by date ([`Date::chronological`]), then entities before
    /// relations, then an entity by id and a relation by its source's id,
    /// its type and its target's id, then in the order written.
    pub order: Vec<Dated>,
}

impl Chrono {
    /// Whether this order, read from a copy, can be the order of `g`: it
    /// lists every dated entity and relation once, nothing else, each with
    /// its date's limits. The order itself is the copy's to vouch for (its
    /// key and checksum). The records are read in the order they lie.
    pub(crate) fn fits(&self, g: &DiGraph<Entity, Relation>) -> bool {
        let items = g.node_count() + g.edge_count();
        // Where each item is listed, `u32::MAX` for nowhere.
        let mut at = vec![u32::MAX; items];
        for (k, d) in self.order.iter().enumerate() {
            match at.get_mut(d.item as usize) {
                Some(slot) if *slot == u32::MAX => *slot = index(k),
                _ => return false,
            }
        }
        let dates = g
            .node_weights()
            .map(|e| e.date.as_ref())
            .chain(g.edge_weights().map(|r| r.date.as_ref()));
        dates.zip(at).all(|(date, k)| match (date, k) {
            (None, u32::MAX) => true,
            (Some(d), k) if k != u32::MAX => self.order[k as usize].limits == d.packed_limits(),
            _ => false,
        })
    }

    pub(crate) fn build(ds: &Dataset) -> Chrono {
        let g = ds.graph();
        // Every comparison is made on integers, never reaching a record:
        // a date's text by its rank among the dataset's date texts, an
        // entity's id by its node index (nodes are in id order), a
        // relation's type by its rank among the types.
        let mut texts = Ranks::default();
        let mut kinds = Ranks::default();
        let mut rows: Vec<Row> = Vec::new();
        for (i, e) in g.node_weights().enumerate() {
            if let Some(d) = &e.date {
                let text = texts.add(d.as_str());
                rows.push((d.packed_limits(), text, 0, index(i), 0, 0, index(i)));
            }
        }
        let n = g.node_count();
        for (i, edge) in g.raw_edges().iter().enumerate() {
            let r = &edge.weight;
            if let Some(d) = &r.date {
                let text = texts.add(d.as_str());
                let kind = kinds.add(&r.kind);
                let (a, b) = (edge.source().index(), edge.target().index());
                rows.push((
                    d.packed_limits(),
                    text,
                    1,
                    index(a),
                    kind,
                    index(b),
                    index(n + i),
                ));
            }
        }
        let (texts, kinds) = (texts.ranks(), kinds.ranks());
        for row in &mut rows {
            row.1 = texts[row.1 as usize];
            row.4 = kinds[row.4 as usize];
        }
        // Every row differs (the item is last): the order is one, on
        // however many threads it is found.
        rows.par_sort_unstable();
        Chrono {
            order: rows
                .into_iter()
                .map(|(limits, .., item)| Dated { item, limits })
                .collect(),
        }
    }
}

/// What a dated item sorts by: its date's limits, its date's text, 0 for
/// an entity and 1 for a relation, the (source) entity, the relation's
/// type, its target, the item (the order written).
type Row = ([i32; 4], u32, u8, u32, u32, u32, u32);

/// Distinct texts, each given a provisional number as it is first seen,
/// then ranked in text order.
#[derive(Default)]
struct Ranks<'a> {
    seen: HashMap<&'a str, u32>,
    texts: Vec<&'a str>,
}

impl<'a> Ranks<'a> {
    /// The provisional number of `text`.
    fn add(&mut self, text: &'a str) -> u32 {
        *self.seen.entry(text).or_insert_with(|| {
            self.texts.push(text);
            index(self.texts.len() - 1)
        })
    }

    /// The rank in text order of each provisional number.
    fn ranks(self) -> Vec<u32> {
        let mut by_text: Vec<u32> = (0..index(self.texts.len())).collect();
        by_text.sort_unstable_by_key(|&i| self.texts[i as usize]);
        let mut rank = vec![0; by_text.len()];
        for (r, i) in by_text.into_iter().enumerate() {
            rank[i as usize] = index(r);
        }
        rank
    }
}

/// What orders items of the same date: entities before relations, an
/// entity by id, a relation by its source's id, type and target's id.
pub(crate) fn order_key(ds: &Dataset, item: u32) -> (u8, &str, &str, &str) {
    let g = ds.graph();
    match at(g, item) {
        Ok(n) => (0, &g[n].id, "", ""),
        Err(e) => {
            let (a, b) = g.edge_endpoints(e).expect("an edge of the graph");
            (1, &g[a].id, &g[e].kind, &g[b].id)
        }
    }
}

/// An item number: datasets hold fewer than four billion of anything.
fn index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 items")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kept order is the order of the timeline's rule, compared on
    /// the records themselves: date, then entities before relations, then
    /// ids and type, then the order written.
    #[test]
    fn the_kept_order_is_the_timeline_order() {
        for dir in ["tests/fixtures/cli", "data"] {
            let files = crate::load::read_dir(std::path::Path::new(dir)).unwrap();
            let ds = crate::load::load(&files).unwrap();
            let g = ds.graph();
            let date = |item: u32| date_of(g, item);
            let mut expected: Vec<u32> = (0..index(g.node_count() + g.edge_count()))
                .filter(|&i| date(i).is_some())
                .collect();
            expected.sort_by(|&a, &b| {
                date(a)
                    .unwrap()
                    .chronological(date(b).unwrap())
                    .then_with(|| order_key(&ds, a).cmp(&order_key(&ds, b)))
            });
            let got: Vec<u32> = ds.chrono().order.iter().map(|d| d.item).collect();
            assert_eq!(got, expected, "{dir}");
            assert!(got.len() > 40, "{dir}: {}", got.len());
        }
    }

    /// Each item's citations are the distinct (source, locator, quote) it
    /// cites, in the order it first cites them, and equal citations share
    /// one number across the dataset.
    #[test]
    fn each_distinct_citation_has_one_number() {
        let files = crate::load::read_dir(std::path::Path::new("data")).unwrap();
        let ds = crate::load::load(&files).unwrap();
        let g = ds.graph();
        let cited = ds.cited();
        let lists = g
            .node_weights()
            .map(|e| &e.sources)
            .chain(g.edge_weights().map(|r| &r.sources));
        let key = |c: &Citation| (c.source.to_string(), c.at.to_string(), c.quote.clone());
        let mut numbers = std::collections::HashMap::new();
        for (item, list) in lists.enumerate() {
            let mut expected: Vec<_> = Vec::new();
            for c in list {
                if !expected.contains(&key(c)) {
                    expected.push(key(c));
                }
            }
            let got: Vec<_> = cited
                .of(index(item))
                .iter()
                .map(|&id| {
                    let c = cited.citation(&ds, id);
                    assert_eq!(*numbers.entry(key(c)).or_insert(id), id);
                    key(c)
                })
                .collect();
            assert_eq!(got, expected);
        }
        assert_eq!(numbers.len(), cited.len());
        // Numbered in the order first cited, item by item.
        let firsts: Vec<(u32, u32)> = (0..index(cited.len()))
            .map(|id| cited.first[id as usize])
            .collect();
        assert!(firsts.windows(2).all(|w| w[0] < w[1]), "{firsts:?}");
        for id in ds.sources().keys() {
            assert_eq!(ds.reference_str(id), ds.reference(id).as_deref());
        }
        let styled = ds.with_references([("x".to_string(), "X.".to_string())].into());
        assert_eq!(styled.reference_str("x"), Some("X."));
        assert_eq!(styled.reference_str("no-such-source"), None);
    }
}
