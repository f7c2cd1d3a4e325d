//! Tables kept beside the graph for answers that cover much of a dataset
//! (a `timeline` of all of it, or of a range of dates): every distinct citation numbered once per
//! dataset, and every dated entity and relation in timeline order. Both
//! are built on the first such question and kept, so an answer numbers its
//! citations by walking arrays of small integers, and a whole-dataset
//! timeline needs no sort.
//!
//! An item is an entity (its node index) or a relation (the number of
//! entities plus its edge index).

use foldhash::HashMap;
use petgraph::graph::{EdgeIndex, NodeIndex};

use super::date::Date;
use super::entity::Citation;
use super::graph::Dataset;

/// Every distinct (source, locator, quote) of a dataset as a small integer,
/// and each item's citations as those integers.
pub(crate) struct Cited {
    /// Where each item's citations start in `ids`; one more than the items.
    start: Vec<u32>,
    /// Each item's distinct citations, in the order it first cites them.
    ids: Vec<u32>,
    /// Where each distinct citation is first written: its item and its
    /// position in that item's list.
    first: Vec<(u32, u32)>,
    /// Each distinct citation's reference, as an index into `references`.
    slot: Vec<u32>,
    /// Each cited source's reference, formatted once ([`Dataset::reference`],
    /// or the source id for a source the dataset does not hold).
    references: Vec<String>,
}

impl Cited {
    pub(crate) fn build(ds: &Dataset) -> Cited {
        let g = ds.graph();
        let items = g.node_count() + g.edge_count();
        let total: usize = g.node_weights().map(|e| e.sources.len()).sum::<usize>()
            + g.edge_weights().map(|r| r.sources.len()).sum::<usize>();
        let mut seen: HashMap<(&str, &str, Option<&str>), u32> =
            HashMap::with_capacity_and_hasher(total, Default::default());
        let mut start = Vec::with_capacity(items + 1);
        start.push(0);
        let mut ids = Vec::with_capacity(total);
        let mut first = Vec::with_capacity(total);
        let mut slot = Vec::with_capacity(total);
        let mut references = Vec::new();
        let mut slots: HashMap<&str, u32> = HashMap::default();
        let lists = g
            .node_weights()
            .map(|e| e.sources.as_slice())
            .chain(g.edge_weights().map(|r| r.sources.as_slice()));
        for (item, cites) in lists.enumerate() {
            let from = ids.len();
            for (at, c) in cites.iter().enumerate() {
                // A quote is part of the citation: the same passage cited
                // with and without one is two citations, so no quote is lost.
                let key = (c.source.as_str(), c.at.as_str(), c.quote.as_deref());
                let id = *seen.entry(key).or_insert_with(|| {
                    let s = *slots.entry(c.source.as_str()).or_insert_with(|| {
                        references.push(
                            ds.reference(&c.source)
                                .unwrap_or_else(|| c.source.to_string()),
                        );
                        index(references.len() - 1)
                    });
                    slot.push(s);
                    first.push((index(item), index(at)));
                    index(first.len() - 1)
                });
                if !ids[from..].contains(&id) {
                    ids.push(id);
                }
            }
            start.push(index(ids.len()));
        }
        Cited {
            start,
            ids,
            first,
            slot,
            references,
        }
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
        let (item, at) = self.first[id as usize];
        let g = ds.graph();
        let n = g.node_count();
        let list = match (item as usize).checked_sub(n) {
            None => &g[NodeIndex::new(item as usize)].sources,
            Some(e) => &g[EdgeIndex::new(e)].sources,
        };
        &list[at as usize]
    }

    /// The formatted reference of citation `id`'s source.
    pub(crate) fn reference(&self, id: u32) -> &str {
        &self.references[self.slot[id as usize] as usize]
    }
}

/// A dated entity or relation, with its date's packed limits
/// ([`Date::packed_limits`]) so that a date range is tested without
/// reaching the record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dated {
    pub item: u32,
    pub limits: [i32; 4],
}

/// Every dated entity and relation in timeline order.
pub(crate) struct Chrono {
    /// Ordered by date ([`Date::chronological`]), then entities before
    /// relations, then an entity by id and a relation by its source's id,
    /// its type and its target's id, then in the order written.
    pub order: Vec<Dated>,
}

impl Chrono {
    pub(crate) fn build(ds: &Dataset) -> Chrono {
        let g = ds.graph();
        let dates = g
            .node_weights()
            .map(|e| e.date.as_ref())
            .chain(g.edge_weights().map(|r| r.date.as_ref()));
        let mut rows: Vec<(Dated, &Date)> = dates
            .enumerate()
            .filter_map(|(item, d)| {
                let d = d?;
                let dated = Dated {
                    item: index(item),
                    limits: d.packed_limits(),
                };
                Some((dated, d))
            })
            .collect();
        // The limits first, from the rows themselves: most pairs differ there.
        rows.sort_unstable_by(|(a, da), (b, db)| {
            a.limits
                .cmp(&b.limits)
                .then_with(|| da.chronological(db))
                .then_with(|| order_key(ds, a.item).cmp(&order_key(ds, b.item)))
                .then(a.item.cmp(&b.item))
        });
        Chrono {
            order: rows.into_iter().map(|(d, _)| d).collect(),
        }
    }
}

/// What orders items of the same date: entities before relations, an
/// entity by id, a relation by its source's id, type and target's id.
pub(crate) fn order_key(ds: &Dataset, item: u32) -> (u8, &str, &str, &str) {
    let g = ds.graph();
    match (item as usize).checked_sub(g.node_count()) {
        None => (0, &g[NodeIndex::new(item as usize)].id, "", ""),
        Some(e) => {
            let e = EdgeIndex::new(e);
            let (a, b) = g.edge_endpoints(e).expect("an edge of the graph");
            (1, &g[a].id, &g[e].kind, &g[b].id)
        }
    }
}

/// An item number: datasets hold fewer than four billion of anything.
fn index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 items")
}
