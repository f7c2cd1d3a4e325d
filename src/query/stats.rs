//! `detente stats`: counts by kind, relation type, side and stance, and the
//! most connected entities by degree and by betweenness centrality.
//!
//! Centrality treats relations as undirected: for "who sits between whom"
//! the direction a relation was written in does not matter.

use std::collections::BTreeMap;

use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

use crate::model::entity::Stance;
use crate::model::graph::Dataset;

/// The counts and rankings.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Stats<'a> {
    /// Entities.
    pub entities: usize,
    /// Relations.
    pub relations: usize,
    /// Entities by kind (every declared kind, zero included).
    pub by_kind: BTreeMap<&'a str, usize>,
    /// Relations by type (every declared type, zero included).
    pub by_type: BTreeMap<&'a str, usize>,
    /// Entities by side; `none` for entities without one.
    pub by_side: BTreeMap<&'a str, usize>,
    /// Relations by stance.
    pub by_stance: BTreeMap<&'static str, usize>,
    /// Most relations in and out, highest first.
    pub degree: Vec<Ranked<'a>>,
    /// Highest betweenness centrality (normalised to 0–1), highest first.
    pub betweenness: Vec<Ranked<'a>>,
    /// With more than [`EXACT_BETWEENNESS_UP_TO`] entities, betweenness is
    /// estimated from the shortest paths of this many of them (spread
    /// evenly over the id order); absent when it is exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betweenness_sources: Option<usize>,
}

/// Up to this many entities betweenness is exact. Exact betweenness
/// (Brandes) walks the whole graph once from every entity: a tenth of a
/// second at 1,000 entities, hours at 100,000.
pub const EXACT_BETWEENNESS_UP_TO: usize = 2_000;

/// How many entities an estimate of betweenness walks from (Brandes and
/// Pich's pivots, as networkx's `betweenness_centrality(k=…)`).
pub const BETWEENNESS_SOURCES: usize = 200;

/// An entity and its score.
#[derive(Debug, Serialize)]
pub struct Ranked<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Kind.
    pub kind: &'a str,
    /// The score: a count for degree, a fraction for betweenness.
    pub score: f64,
}

/// Betweenness rounded so output is stable across platforms.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Every entity's betweenness centrality (by node index, not yet rounded)
/// and, when it is an estimate, from how many pivots: the costly part of
/// [`stats`] (about half a second of CPU at 100k entities), which a caller may
/// keep for the dataset and give back to [`stats_from`].
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub(crate) struct Centrality {
    /// Per node, in node order.
    pub(crate) scores: Vec<f64>,
    /// [`Stats::betweenness_sources`].
    pub(crate) sources: Option<usize>,
}

impl Centrality {
    /// Whether these could be the scores of `ds`: one per entity, none
    /// negative or not a number, and estimated exactly when `ds` is as large as that. A
    /// kept copy is checked against the dataset, not trusted.
    pub(crate) fn fits(&self, ds: &Dataset) -> bool {
        let n = ds.graph().node_count();
        self.scores.len() == n
            && self.scores.iter().all(|x| x.is_finite() && *x >= 0.0)
            && self.sources == (n > EXACT_BETWEENNESS_UP_TO).then_some(BETWEENNESS_SOURCES)
    }
}

/// The betweenness centrality of every entity of `ds` (see [`stats`]).
pub(crate) fn centrality(ds: &Dataset) -> Centrality {
    let g = ds.graph();
    let n = g.node_count();
    // Exact: every entity a source, in node order, as rustworkx's
    // `betweenness_centrality` sums them on one thread (on several, the
    // order it added the sources in, and so the last bits, depended on
    // which thread came first).
    let sources: Vec<usize> = if n <= EXACT_BETWEENNESS_UP_TO {
        (0..n).collect()
    } else {
        pivots(n)
    };
    let table = Undirected::of(g);
    Centrality {
        scores: if n <= EXACT_BETWEENNESS_UP_TO {
            betweenness(&table, &sources)
        } else {
            betweenness_batched(&table, &sources)
        },
        sources: (n > EXACT_BETWEENNESS_UP_TO).then_some(BETWEENNESS_SOURCES),
    }
}

/// The [`BETWEENNESS_SOURCES`] pivots of an estimate over `n` nodes,
/// spread evenly over the node order (the id order).
fn pivots(n: usize) -> Vec<usize> {
    let step = n as f64 / BETWEENNESS_SOURCES as f64;
    (0..BETWEENNESS_SOURCES)
        .map(|i| (i as f64 * step) as usize)
        .collect()
}

/// Each node's sum of dependencies from `sources` pivots made a
/// betweenness: normalised (undirected, endpoints excluded) and scaled up
/// from the pivots to every node.
fn scaled(total: Vec<f64>, sources: usize) -> Vec<f64> {
    let n = total.len();
    let scale = if n > 2 {
        n as f64 / sources.max(1) as f64 / ((n - 1) * (n - 2)) as f64
    } else {
        0.0
    };
    total.into_iter().map(|x| x * scale).collect()
}

/// Statistics, with the `top` entities in each ranking.
pub fn stats(ds: &Dataset, top: usize) -> Stats<'_> {
    stats_from(ds, top, &centrality(ds))
}

/// [`stats`], given the [`centrality`] of `ds`.
pub(crate) fn stats_from<'a>(ds: &'a Dataset, top: usize, central: &Centrality) -> Stats<'a> {
    let o = ds.ontology();
    let g = ds.graph();
    let mut by_kind: BTreeMap<&str, usize> = o.kinds.keys().map(|k| (k.as_str(), 0)).collect();
    let mut by_side: BTreeMap<&str, usize> = BTreeMap::new();
    for e in ds.entities() {
        *by_kind.entry(&e.kind).or_default() += 1;
        *by_side
            .entry(e.side.as_deref().unwrap_or("none"))
            .or_default() += 1;
    }
    let mut by_type: BTreeMap<&str, usize> = o.relations.keys().map(|k| (k.as_str(), 0)).collect();
    let mut by_stance: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (_, _, r) in ds.relations() {
        *by_type.entry(&r.kind).or_default() += 1;
        *by_stance.entry(r.stance.as_str()).or_default() += 1;
    }

    let rank = |scores: Vec<(NodeIndex, f64)>| -> Vec<Ranked> {
        let mut v: Vec<_> = scores.into_iter().filter(|(_, s)| *s > 0.0).collect();
        // Highest first, then by id: nodes are in id order, so by index.
        let order = |a: &(NodeIndex, f64), b: &(NodeIndex, f64)| {
            b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0))
        };
        if top == 0 {
            v.clear();
        } else if v.len() > top {
            v.select_nth_unstable_by(top - 1, order);
            v.truncate(top);
        }
        v.sort_unstable_by(order);
        v.into_iter()
            .map(|(n, score)| Ranked {
                id: &g[n].id,
                name: &g[n].name,
                kind: &g[n].kind,
                score,
            })
            .collect()
    };
    // Each node's neighbours, relations taken both ways: a self-relation
    // counts once, as petgraph's `neighbors_undirected` counts it.
    let mut degrees = vec![0usize; g.node_count()];
    for e in g.raw_edges() {
        let (a, b) = (e.source().index(), e.target().index());
        degrees[a] += 1;
        if a != b {
            degrees[b] += 1;
        }
    }
    let degree = rank(
        g.node_indices()
            .map(|n| (n, degrees[n.index()] as f64))
            .collect(),
    );
    let betweenness = rank(
        g.node_indices()
            .map(|n| {
                (
                    n,
                    round(central.scores.get(n.index()).copied().unwrap_or(0.0)),
                )
            })
            .collect(),
    );
    let betweenness_sources = central.sources;
    Stats {
        entities: g.node_count(),
        relations: g.edge_count(),
        by_kind,
        by_type,
        by_side,
        by_stance,
        degree,
        betweenness,
        betweenness_sources,
    }
}

/// Closeness centrality of every node of `g`, undirected, scaled by the
/// share of the graph each node reaches (Wasserman and Faust, as networkx's
/// `closeness_centrality`): exact up to [`EXACT_BETWEENNESS_UP_TO`] nodes;
/// beyond that estimated from the distances to [`BETWEENNESS_SOURCES`]
/// nodes spread evenly over the node order (Eppstein and Wang), whose
/// number is returned with it. The default network ranks the entities it
/// may draw with it.
pub(crate) fn closeness(g: &UnGraph<(), ()>) -> (Vec<f64>, Option<usize>) {
    let n = g.node_count();
    if n <= EXACT_BETWEENNESS_UP_TO {
        let exact = rustworkx_core::centrality::closeness_centrality(g, true, 200);
        return (exact.into_iter().map(|x| x.unwrap_or(0.0)).collect(), None);
    }
    let k = BETWEENNESS_SOURCES;
    let sources = pivots(n);
    // For each node: how many of the pivots reach it, and how far they are.
    let (reached, total) = distances(&Undirected::of(g), &sources);
    let scale = n as f64 / k as f64;
    let out = (0..n)
        .map(|v| {
            let (r, sum) = (reached[v] as f64 * scale, total[v] as f64 * scale);
            if sum == 0.0 {
                0.0
            } else {
                (r / (n - 1) as f64) * (r / sum)
            }
        })
        .collect();
    (out, Some(k))
}

/// The relations of a graph taken both ways, as one compact table (each
/// node's neighbours side by side, by node index): what the searches for
/// betweenness and closeness walk, where petgraph's lists threaded through
/// the edge records cost a cache miss a step.
///
/// Each node's neighbours are in the order petgraph's `UnGraph` built from
/// the same edges in the same order gives them (the relations written from
/// the node, latest first, then those written to it, latest first, a
/// self-relation once): the breadth-first searches then visit nodes in the
/// same order and add up the same numbers in the same order.
pub(crate) struct Undirected {
    /// Where each node's neighbours start in `next`; one more than the nodes.
    start: Vec<u32>,
    next: Vec<u32>,
}

impl Undirected {
    /// The relations of `g`, both ways.
    pub(crate) fn of<N, E, Ty: petgraph::EdgeType>(
        g: &petgraph::graph::Graph<N, E, Ty>,
    ) -> Undirected {
        Undirected::from_edges(
            g.node_count(),
            g.raw_edges()
                .iter()
                .map(|e| (e.source().index() as u32, e.target().index() as u32)),
        )
    }

    fn from_edges(n: usize, edges: impl Iterator<Item = (u32, u32)> + Clone) -> Undirected {
        // Per node: how many relations written from it, and to it from
        // another node.
        let mut out = vec![0u32; n];
        let mut inc = vec![0u32; n];
        for (a, b) in edges.clone() {
            out[a as usize] += 1;
            if a != b {
                inc[b as usize] += 1;
            }
        }
        let mut start = Vec::with_capacity(n + 1);
        let mut at = 0u32;
        start.push(0);
        for v in 0..n {
            at += out[v] + inc[v];
            start.push(at);
        }
        // Filled from the back of each part: edges come first to last, and
        // the latest goes first.
        let mut out_end: Vec<u32> = (0..n).map(|v| start[v] + out[v]).collect();
        let mut inc_end: Vec<u32> = start[1..].to_vec();
        let mut next = vec![0u32; at as usize];
        for (a, b) in edges {
            out_end[a as usize] -= 1;
            next[out_end[a as usize] as usize] = b;
            if a != b {
                inc_end[b as usize] -= 1;
                next[inc_end[b as usize] as usize] = a;
            }
        }
        Undirected { start, next }
    }

    fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// The neighbours of node `v`, a node met once per relation.
    fn neighbors(&self, v: usize) -> &[u32] {
        &self.next[self.start[v] as usize..self.start[v + 1] as usize]
    }
}

/// The room one pivot's breadth-first search uses, reused from pivot to
/// pivot: exact betweenness (up to [`EXACT_BETWEENNESS_UP_TO`] entities,
/// every entity a pivot, summed as rustworkx sums them); an estimate
/// searches from several pivots at once ([`Batch`]). What the search asks
/// of every relation it follows (has the node at its other end been
/// reached, and is it one step further) is answered by two bits per node,
/// which stay in the processor's nearest cache; the rest is kept by the
/// place a node was reached in, not by node, so that the second pass reads
/// it in order.
struct Pivot {
    /// Per node, a bit: reached.
    seen: Vec<u64>,
    /// Per node, a bit: reached, and one step further than the level
    /// being searched.
    further: Vec<u64>,
    /// Per node: its place in the order reached (read only while it is
    /// `further`).
    place: Vec<u32>,
    /// The nodes reached, in the order reached.
    order: Vec<u32>,
    /// Per place: the number of shortest paths from the pivot; then, once
    /// its successors are done, its dependency plus one over that number
    /// (what each of its predecessors adds, times the predecessor's own
    /// number of paths).
    paths: Vec<f64>,
    /// Per place: where its successors start in `next`; one more than the
    /// places.
    first: Vec<u32>,
    /// The places of each place's successors (a node one step further
    /// along a relation, once per relation), in the order reached.
    next: Vec<u32>,
    /// Per node: the pivot's dependency on it (zero for the pivot itself
    /// and for nodes not reached).
    delta: Vec<f64>,
    /// The neighbours of the next [`GATHER`] nodes to search, one list
    /// after the other, and where each list ends.
    lists: Vec<u32>,
    ends: Vec<u32>,
}

/// How many nodes' neighbours a search gathers at a time.
const GATHER: usize = 128;

impl Pivot {
    fn new(g: &Undirected) -> Pivot {
        let n = g.len();
        Pivot {
            seen: vec![0; n.div_ceil(64)],
            further: vec![0; n.div_ceil(64)],
            place: vec![0; n],
            order: vec![0; n],
            paths: vec![0.0; n],
            first: vec![0; n + 1],
            // A successor per relation end at most.
            next: vec![0; g.next.len()],
            delta: vec![0.0; n],
            lists: Vec::new(),
            ends: Vec::with_capacity(GATHER),
        }
    }

    /// Brandes's search and accumulation from `s`, into `delta`. The sums
    /// are made in the order rustworkx and the search by predecessor lists
    /// make them, so they are the same to the last bit: a node's number of
    /// paths adds its predecessors' in the order they were reached, once
    /// per relation; its dependency adds the share of each successor in
    /// the reverse of the order they were reached, once per relation.
    fn run(&mut self, g: &Undirected, s: usize) {
        self.seen.fill(0);
        self.further.fill(0);
        self.delta.fill(0.0);
        // Slices, not vectors, from here on: the compiler then knows that
        // writing to one does not move another.
        let (seen, further) = (&mut self.seen[..], &mut self.further[..]);
        let (place, order) = (&mut self.place[..], &mut self.order[..]);
        let (paths, first) = (&mut self.paths[..], &mut self.first[..]);
        let (next, delta) = (&mut self.next[..], &mut self.delta[..]);
        let (lists, ends) = (&mut self.lists, &mut self.ends);
        seen[s / 64] |= 1 << (s % 64);
        order[0] = s as u32;
        paths[0] = 1.0;
        // Places before `head` are searched; the level being searched
        // ends at `end`; `tail` is the next free place; `next` is
        // written up to `written`.
        let (mut head, mut end, mut tail) = (0usize, 1usize, 1usize);
        let mut written = 0usize;
        while head < tail {
            // The neighbours of the next few nodes to search, gathered
            // first: each node's list is a cache miss, and gathered in a
            // loop that does nothing else they are fetched together.
            let stop = tail.min(head + GATHER);
            lists.clear();
            ends.clear();
            for &v in &order[head..stop] {
                lists.extend_from_slice(g.neighbors(v as usize));
                ends.push(lists.len() as u32);
            }
            let mut at = 0;
            for &to in ends.iter() {
                if head == end {
                    // The level found becomes the one searched.
                    for &w in &order[end..tail] {
                        further[w as usize / 64] &= !(1 << (w % 64));
                    }
                    end = tail;
                }
                let sigma = paths[head];
                first[head] = written as u32;
                let from = written;
                for &w in &lists[at..to as usize] {
                    let (word, bit) = (w as usize / 64, 1u64 << (w % 64));
                    if seen[word] & bit == 0 {
                        seen[word] |= bit;
                        further[word] |= bit;
                        place[w as usize] = tail as u32;
                        order[tail] = w;
                        // 0 + sigma, as a sum starting at zero makes it.
                        paths[tail] = sigma;
                        next[written] = tail as u32;
                        written += 1;
                        tail += 1;
                    } else if further[word] & bit != 0 {
                        let p = place[w as usize];
                        paths[p as usize] += sigma;
                        next[written] = p;
                        written += 1;
                    }
                }
                at = to as usize;
                // In the order reached (read backwards below). Those found
                // now are in order already, after those found from an
                // earlier node of the level: few moves, if any.
                let mine = &mut next[from..written];
                for k in 1..mine.len() {
                    let (x, mut j) = (mine[k], k);
                    while j > 0 && mine[j - 1] > x {
                        mine[j] = mine[j - 1];
                        j -= 1;
                    }
                    mine[j] = x;
                }
                head += 1;
            }
        }
        first[tail] = written as u32;
        for i in (0..tail).rev() {
            let sigma = paths[i];
            let mut dependency = 0.0;
            for &p in next[first[i] as usize..first[i + 1] as usize].iter().rev() {
                dependency += sigma * paths[p as usize];
            }
            paths[i] = (1.0 + dependency) / sigma;
            delta[order[i] as usize] = dependency;
        }
        delta[s] = 0.0;
    }
}

/// Betweenness as `rustworkx_core::centrality::betweenness_centrality`
/// computes it (undirected, normalised, endpoints excluded), from the
/// shortest paths that start at `sources` only, scaled up to all of them
/// (Brandes's accumulation, one breadth-first search per source). With
/// every node as a source, in node order, it is the exact value, to the
/// last bit the one rustworkx computes on one thread.
///
/// The searches run in parallel, a few at a time, and their dependencies
/// are added up in the order of `sources` whatever the number of threads,
/// so the sums, and the ranking, are the same on every machine.
fn betweenness(g: &Undirected, sources: &[usize]) -> Vec<f64> {
    use rayon::prelude::*;
    let n = g.len();
    // A few searches per thread at a time, more on a small graph, where
    // a search is over before threads could take turns at the next wave.
    let wave = (2 * rayon::current_num_threads())
        .max((1 << 16) / n.max(1))
        .clamp(1, sources.len().max(1));
    let mut pivots: Vec<Pivot> = (0..wave).map(|_| Pivot::new(g)).collect();
    let mut total = vec![0.0f64; n];
    for group in sources.chunks(wave) {
        let pivots = &mut pivots[..group.len()];
        pivots
            .par_iter_mut()
            .zip(group)
            .for_each(|(p, &s)| p.run(g, s));
        // Each node's sum in the order of the sources; nodes in parallel.
        let pivots = &*pivots;
        total
            .par_chunks_mut(1 << 14)
            .enumerate()
            .for_each(|(i, part)| {
                let from = i << 14;
                for p in pivots {
                    for (t, d) in part.iter_mut().zip(&p.delta[from..]) {
                        *t += d;
                    }
                }
            });
    }
    scaled(total, sources.len())
}

/// How many pivots a batched search for betweenness follows at once. Per
/// node it keeps a number per pivot, side by side: eight make a cache
/// line, and 100k nodes' lines (6.4 MB) stay in the processor's last
/// cache, where wider rows spill to memory (see docs/performance.md).
const BETWEENNESS_BATCH: usize = 8;

/// How many pivots a batched search for distances follows at once (a
/// bit each in a word per node; nothing else is kept per pivot).
const DISTANCE_BATCH: usize = 64;

/// The sources cut into batches of at most `most`, as even as they go
/// (200 pivots by at most 64: four of 50). The cut depends on the
/// sources alone, never on the number of threads, so the sums made batch
/// by batch are the same on every machine.
fn batches(sources: &[usize], most: usize) -> Vec<&[usize]> {
    let count = sources.len().div_ceil(most).max(1);
    sources
        .chunks(sources.len().div_ceil(count).max(1))
        .collect()
}

/// A word with a bit per pivot of a batch.
trait Word:
    Copy
    + Default
    + Eq
    + Send
    + std::ops::BitAnd<Output = Self>
    + std::ops::BitOr<Output = Self>
    + std::ops::BitOrAssign
    + std::ops::Not<Output = Self>
{
    /// How many pivots it has room for.
    const BITS: usize;
    /// Bit `i` alone.
    fn bit(i: usize) -> Self;
}

macro_rules! word {
    ($($t:ty),*) => {$(
        impl Word for $t {
            const BITS: usize = <$t>::BITS as usize;
            fn bit(i: usize) -> Self {
                1 << i
            }
        }
    )*};
}
word!(u8, u64);

/// The levels of a breadth-first search from up to `W::BITS` pivots at
/// once (a multi-source search: Then et al., "The More the Merrier",
/// VLDB 2014), and its room, reused from batch to batch. The search goes
/// level by level; each node of a level carries a bit per pivot that
/// reaches it at that distance. Each relation is followed once per level
/// for all the batch's pivots, where a search per pivot follows it once
/// per pivot, and the neighbour lists are read in node order.
struct Levels<W> {
    /// Per node, a bit per pivot: reached.
    seen: Vec<W>,
    /// Per node, a bit per pivot: first reached at the level being found.
    next: Vec<W>,
    /// A bit per node: reached first at the level being found.
    found: Vec<u64>,
    /// The words of `found` that are not zero, in the order they became
    /// so, up to `touched`; room for one more than there are words. A
    /// level is read from these words alone, so a search costs the
    /// relations it follows, not the nodes times the levels (a long chain
    /// of relations makes thousands of levels).
    words: Vec<u32>,
    touched: usize,
    /// The nodes of every level, level after level, each level in node
    /// order.
    nodes: Vec<u32>,
    /// Per entry of `nodes`: the pivots that reach it at its level.
    masks: Vec<W>,
    /// Where each level starts in `nodes`; one more than the levels.
    start: Vec<usize>,
}

impl<W: Word> Levels<W> {
    fn new(n: usize) -> Levels<W> {
        Levels {
            seen: vec![W::default(); n],
            next: vec![W::default(); n],
            found: vec![0; n.div_ceil(64)],
            words: vec![0; n.div_ceil(64) + 1],
            touched: 0,
            // A node is at a few levels, one per distinct distance from
            // the pivots: room for three each, grown if need be.
            nodes: Vec::with_capacity(3 * n),
            masks: Vec::with_capacity(3 * n),
            start: Vec::new(),
        }
    }

    /// The levels of the search from `pivots` (bit `i` for `pivots[i]`).
    fn search(&mut self, g: &Undirected, pivots: &[usize]) {
        self.search_with(g, pivots, |_, _, _, _| {});
    }

    /// [`Levels::search`], telling `step` of each relation followed from
    /// a node `v` of a level to a node `w` of the next: `step(v, w, m,
    /// first)`, where `m` holds the pivots that reach `w` one step further
    /// than `v` through it and `first` those of them that had not yet
    /// reached `w` through another node of `v`'s level. When `step` is
    /// told, every relation into `v` from the level before has been told.
    #[inline(always)]
    fn search_with(
        &mut self,
        g: &Undirected,
        pivots: &[usize],
        mut step: impl FnMut(usize, usize, W, W),
    ) {
        debug_assert!(pivots.len() <= W::BITS);
        let zero = W::default();
        let (seen, next, found) = (&mut self.seen[..], &mut self.next[..], &mut self.found[..]);
        let (nodes, masks, start) = (&mut self.nodes, &mut self.masks, &mut self.start);
        let (words, touched) = (&mut self.words[..], &mut self.touched);
        seen.fill(zero);
        nodes.clear();
        masks.clear();
        start.clear();
        start.push(0);
        for (i, &s) in pivots.iter().enumerate() {
            next[s] |= W::bit(i);
            mark(found, words, touched, s, 1);
        }
        loop {
            // The nodes found, in node order, become the next level.
            let from = nodes.len();
            let few = &mut words[..*touched];
            // In node order: the words noted, sorted, or every word when
            // most are (the same words either way).
            let all = few.len() * 8 > found.len();
            if !all {
                few.sort_unstable();
            }
            for k in (0..if all { found.len() } else { few.len() }).map(|i| {
                if all {
                    i
                } else {
                    few[i] as usize
                }
            }) {
                let mut m = std::mem::take(&mut found[k]);
                while m != 0 {
                    let w = k * 64 + m.trailing_zeros() as usize;
                    m &= m - 1;
                    seen[w] |= next[w];
                    nodes.push(w as u32);
                    masks.push(std::mem::take(&mut next[w]));
                }
            }
            *touched = 0;
            if nodes.len() == from {
                break;
            }
            start.push(nodes.len());
            for i in from..nodes.len() {
                let (v, reach) = (nodes[i] as usize, masks[i]);
                for &w in g.neighbors(v) {
                    let w = w as usize;
                    // The pivots that reach `v` here and had not reached
                    // `w` (`seen` is not changed until the level is done).
                    let m = reach & !seen[w];
                    step(v, w, m, m & !next[w]);
                    next[w] |= m;
                    mark(found, words, touched, w, u64::from(m != zero));
                }
            }
        }
    }

    /// How many levels (the pivots' own the first).
    fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// The entries of level `d`.
    fn level(&self, d: usize) -> std::ops::Range<usize> {
        self.start[d]..self.start[d + 1]
    }
}

/// Marks node `w` found if `bit` is one, noting its word in `words` (up
/// to `touched`) if it is the word's first. No branch: the word's place is
/// written either way, and kept only if the word was zero.
#[inline(always)]
fn mark(found: &mut [u64], words: &mut [u32], touched: &mut usize, w: usize, bit: u64) {
    let k = w / 64;
    words[*touched] = k as u32;
    *touched += usize::from(found[k] == 0 && bit != 0);
    found[k] |= bit << (w % 64);
}

/// Eight numbers, a cache line.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Line([f64; 8]);

/// Per byte, a mask per bit: all ones where the bit is set.
static LANES: [[u64; 8]; 256] = lanes();

const fn lanes() -> [[u64; 8]; 256] {
    let mut t = [[0u64; 8]; 256];
    let mut m = 0;
    while m < 256 {
        let mut p = 0;
        while p < 8 {
            if (m >> p) & 1 == 1 {
                t[m][p] = u64::MAX;
            }
            p += 1;
        }
        m += 1;
    }
    t
}

/// `x` where `lane` is all ones, zero where it is zero.
#[inline(always)]
fn keep(x: f64, lane: u64) -> f64 {
    f64::from_bits(x.to_bits() & lane)
}

/// `x` where `lane` is all ones, `y` where it is zero.
#[inline(always)]
fn choose(x: f64, y: f64, lane: u64) -> f64 {
    f64::from_bits((x.to_bits() & lane) | (y.to_bits() & !lane))
}

/// For each node of `g`, how many of `sources` reach it (itself not
/// counted) and the sum of their distances to it: batched searches of
/// [`DISTANCE_BATCH`] sources ([`Levels`]), in parallel; whole numbers,
/// so the same whatever the order they are added in.
fn distances(g: &Undirected, sources: &[usize]) -> (Vec<u64>, Vec<u64>) {
    use rayon::prelude::*;
    let n = g.len();
    batches(sources, DISTANCE_BATCH)
        .par_iter()
        .map_init(
            || Levels::<u64>::new(n),
            |levels, pivots| {
                levels.search(g, pivots);
                let (mut reached, mut total) = (vec![0u64; n], vec![0u64; n]);
                for d in 1..levels.len() {
                    for i in levels.level(d) {
                        let (w, m) = (levels.nodes[i] as usize, levels.masks[i]);
                        let count = u64::from(m.count_ones());
                        reached[w] += count;
                        total[w] += d as u64 * count;
                    }
                }
                (reached, total)
            },
        )
        .reduce(
            || (vec![0; n], vec![0; n]),
            |(mut r, mut t), (r2, t2)| {
                r.iter_mut().zip(&r2).for_each(|(a, b)| *a += b);
                t.iter_mut().zip(&t2).for_each(|(a, b)| *a += b);
                (r, t)
            },
        )
}

/// The room of a batched Brandes search ([`Batch::dependencies`]) for up
/// to [`BETWEENNESS_BATCH`] pivots, reused from batch to batch.
struct Batch {
    levels: Levels<u8>,
    /// Per node: a bit per pivot that reaches it at a level next to the
    /// one being worked on (the one before on the way out, the one after
    /// on the way back); zero elsewhere.
    near: Vec<u8>,
    /// Per node, a number per pivot, side by side in a cache line: the
    /// number of shortest paths from the pivot, then, once the node's
    /// dependency on it is known, that plus one over the number of paths
    /// (what each predecessor adds, times its own number of paths), as
    /// [`Pivot::run`] keeps them. Each is set when its node is reached by
    /// its pivot and read only after, so nothing is cleared between
    /// batches.
    lines: Vec<Line>,
}

impl Batch {
    fn new(n: usize) -> Batch {
        Batch {
            levels: Levels::new(n),
            near: vec![0; n],
            lines: vec![Line([0.0; 8]); n],
        }
    }

    /// The dependencies (Brandes) of every node on the pivots of the
    /// batch, added to its sum in `out` (levels from the last, then
    /// pivots in order). On the way out, during the search ([`Levels`]),
    /// level by level, each node's number of shortest paths from each
    /// pivot that reaches it there is the sum of its predecessors', added
    /// as each relation to it is followed; on the way back,
    /// from the last level, each node's dependency on each pivot is the
    /// sum over its successors (Then et al., "Efficient batched distance
    /// and centrality computation", 2016). Either way a node's relations
    /// are read once for all the batch's pivots, and its neighbours'
    /// numbers, a cache line each, are taken whole and masked by the bits
    /// of the pivots that count (adding zero changes no sum): no branch
    /// that depends on the bits, so the processor fetches many lines at
    /// once instead of stopping at each mispredicted branch.
    ///
    /// The terms added are those of [`Pivot::run`]; only the order of the
    /// sums of dependencies differs (a node's successors in the order of
    /// its relations, not in the order reached), so a score may differ
    /// from it in the last bits. The numbers of paths are whole, exact in
    /// any order below 2^53.
    fn dependencies(&mut self, g: &Undirected, pivots: &[usize], out: &mut [f64]) {
        debug_assert!(pivots.len() <= BETWEENNESS_BATCH);
        let lines = &mut self.lines[..];
        for (i, &s) in pivots.iter().enumerate() {
            lines[s].0[i] = 1.0;
        }
        // On the way out: each relation followed adds `v`'s numbers of
        // paths to `w`'s, for the pivots that reach `w` one step further
        // through it (a number set by the first such relation, added to
        // by the others).
        self.levels.search_with(g, pivots, |v, w, m, first| {
            let (add, set) = (&LANES[usize::from(m)], &LANES[usize::from(first)]);
            let theirs = lines[v].0;
            let ours = &mut lines[w].0;
            for p in 0..8 {
                ours[p] = keep(ours[p], !set[p]) + keep(theirs[p], add[p]);
            }
        });
        let levels = &self.levels;
        let near = &mut self.near[..];
        let (nodes, masks) = (&levels.nodes[..], &levels.masks[..]);
        for d in (0..levels.len()).rev() {
            for i in levels.level(d) {
                let (v, reach) = (nodes[i] as usize, masks[i]);
                let mut sum = [0.0f64; 8];
                let ours = lines[v].0;
                for &w in g.neighbors(v) {
                    let lane = &LANES[usize::from(reach & near[w as usize])];
                    let theirs = &lines[w as usize].0;
                    for p in 0..8 {
                        sum[p] += keep(ours[p] * theirs[p], lane[p]);
                    }
                }
                // For the pivots that reach `v` here, the dependency plus
                // one over the number of paths replaces the number of
                // paths, and the dependency is added to the node's total
                // (pivots in order; the others add zero).
                let lane = &LANES[usize::from(reach)];
                let ours = &mut lines[v].0;
                let mut total = out[v];
                for p in 0..8 {
                    ours[p] = choose((1.0 + sum[p]) / ours[p], ours[p], lane[p]);
                    total += keep(sum[p], lane[p]);
                }
                // A pivot does not depend on itself.
                if d > 0 {
                    out[v] = total;
                }
            }
            if d + 1 < levels.len() {
                for i in levels.level(d + 1) {
                    near[nodes[i] as usize] = 0;
                }
            }
            for i in levels.level(d) {
                near[nodes[i] as usize] = masks[i];
            }
        }
        for i in levels.level(0) {
            near[nodes[i] as usize] = 0;
        }
    }
}

/// How many sums of batches [`betweenness_batched`] keeps: the most
/// threads it can use.
const BATCH_SUMS: usize = 8;

/// [`betweenness`] from more sources than [`EXACT_BETWEENNESS_UP_TO`],
/// batched: the sources in [`batches`] of [`BETWEENNESS_BATCH`], dealt
/// in turn to [`BATCH_SUMS`] sums; each sum is made on one thread, its
/// batches in order ([`Batch::dependencies`]), and the sums are added in
/// their order. Neither the batches nor the sums depend on the number of
/// threads, so neither do the scores, to the last bit.
fn betweenness_batched(g: &Undirected, sources: &[usize]) -> Vec<f64> {
    use rayon::prelude::*;
    let n = g.len();
    let parts = batches(sources, BETWEENNESS_BATCH);
    let count = BATCH_SUMS.min(parts.len());
    // A room per thread, not per sum: each is 8 MB at 100k nodes, and
    // fresh memory costs a page fault per page.
    let threads = rayon::current_num_threads().clamp(1, count.max(1));
    let mut sums: Vec<(usize, Vec<f64>)> = (0..threads)
        .into_par_iter()
        .flat_map_iter(|thread| {
            let mut batch = Batch::new(n);
            (thread..count)
                .step_by(threads)
                .map(|first| {
                    let mut sum = vec![0.0f64; n];
                    for pivots in parts[first..].iter().step_by(BATCH_SUMS) {
                        batch.dependencies(g, pivots, &mut sum);
                    }
                    (first, sum)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    sums.sort_unstable_by_key(|(first, _)| *first);
    let sums = sums.into_iter().map(|(_, sum)| sum);
    let mut total = vec![0.0f64; n];
    for sum in sums {
        for (t, d) in total.iter_mut().zip(&sum) {
            *t += d;
        }
    }
    scaled(total, sources.len())
}

/// What `stats --by` groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum By {
    /// Entities by kind (every declared kind, zero included).
    Kind,
    /// Entities by side (every declared side, zero included; `none` last).
    Side,
    /// Relations by stance (every stance, zero included).
    Stance,
    /// Entities by status (every declared status, zero included; `none` last).
    Status,
    /// Citations by source document (every source, zero included).
    Source,
}

/// Counts in groups.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Counts<'a> {
    /// What was grouped by.
    pub by: By,
    /// What was counted: `entities`, `relations` or `citations`.
    pub counting: &'static str,
    /// The groups, in the ontology's order (sources by id).
    pub groups: Vec<Group<'a>>,
    /// The sum of the groups.
    pub total: usize,
}

/// One group.
#[derive(Debug, Serialize)]
pub struct Group<'a> {
    /// The term, id or stance; `none` for what has none.
    pub key: &'a str,
    /// Its label, from the ontology or the source's title.
    pub label: &'a str,
    /// How many.
    pub count: usize,
}

/// Counts of entities, relations or citations, grouped.
pub fn counts(ds: &Dataset, by: By) -> Counts<'_> {
    let o = ds.ontology();
    let mut groups: Vec<Group>;
    fn add(groups: &mut [Group<'_>], key: &str) {
        if let Some(g) = groups.iter_mut().find(|g| g.key == key) {
            g.count += 1;
        }
    }
    let counting = match by {
        By::Kind | By::Side | By::Status => {
            let terms: Vec<(&str, &str)> = match by {
                By::Kind => o
                    .kinds
                    .iter()
                    .map(|(k, d)| (k.as_str(), d.plural.as_str()))
                    .collect(),
                By::Side => o
                    .sides_in_order()
                    .into_iter()
                    .map(|(k, d)| (k, d.label.as_str()))
                    .collect(),
                _ => o
                    .statuses
                    .iter()
                    .map(|(k, d)| (k.as_str(), d.label.as_str()))
                    .collect(),
            };
            groups = terms
                .into_iter()
                .map(|(k, l)| Group {
                    key: k,
                    label: l,
                    count: 0,
                })
                .collect();
            groups.push(Group {
                key: "none",
                label: "none",
                count: 0,
            });
            for e in ds.entities() {
                let key = match by {
                    By::Kind => Some(&e.kind),
                    By::Side => e.side.as_ref(),
                    _ => e.status.as_ref(),
                };
                add(&mut groups, key.map_or("none", |k| k.as_str()));
            }
            // Every entity has a kind: no `none` group there.
            if by == By::Kind {
                groups.pop();
            }
            "entities"
        }
        By::Stance => {
            groups = Stance::ALL
                .iter()
                .map(|s| Group {
                    key: s.as_str(),
                    label: s.as_str(),
                    count: 0,
                })
                .collect();
            for (_, _, r) in ds.relations() {
                add(&mut groups, r.stance.as_str());
            }
            "relations"
        }
        By::Source => {
            groups = ds
                .sources()
                .values()
                .map(|s| Group {
                    key: &s.id,
                    label: &s.title,
                    count: 0,
                })
                .collect();
            let all = ds
                .entities()
                .flat_map(|e| &e.sources)
                .chain(ds.relations().flat_map(|(_, _, r)| &r.sources));
            for c in all {
                add(&mut groups, &c.source);
            }
            "citations"
        }
    };
    let total = groups.iter().map(|g| g.count).sum();
    Counts {
        by,
        counting,
        groups,
        total,
    }
}

#[cfg(test)]
mod tests {
    use petgraph::graph::UnGraph;

    /// Betweenness of every node of `edges` from every node, as `stats`
    /// computes it for a small dataset.
    fn exact(n: usize, edges: &[(u32, u32)]) -> Vec<f64> {
        let table = super::Undirected::from_edges(n, edges.iter().copied());
        super::betweenness(&table, &(0..n).collect::<Vec<_>>())
    }

    /// What rustworkx computes for the same graph, on one thread.
    fn rustworkx(n: usize, edges: &[(u32, u32)]) -> Vec<f64> {
        let mut g: UnGraph<(), ()> = UnGraph::from_edges(edges.iter().copied());
        while g.node_count() < n {
            g.add_node(());
        }
        rustworkx_core::centrality::betweenness_centrality(&g, false, true, usize::MAX)
            .into_iter()
            .map(|x| x.unwrap())
            .collect()
    }

    /// Betweenness on graphs whose answers are known by hand.
    #[test]
    fn betweenness_matches_hand_computed_values() {
        // A path a - b - c: b lies on the only shortest a–c path.
        assert_eq!(exact(3, &[(0, 1), (1, 2)]), vec![0.0, 1.0, 0.0]);
        // A star with centre 0 and four leaves: the centre is on all 6 leaf pairs.
        let star = exact(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
        assert_eq!(star, vec![1.0, 0.0, 0.0, 0.0, 0.0]);
    }

    /// Exact betweenness is rustworkx's to the last bit: the same sums in
    /// the same order, on a multigraph with self-relations and a node
    /// with none, and on a grid, whose numbers of shortest paths pass
    /// 2^53, where a float sum of whole numbers is no longer exact and
    /// its order shows.
    #[test]
    fn exact_betweenness_is_rustworkxs_to_the_last_bit() {
        let mut edges = vec![
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 0),
            (1, 3),
            (3, 4),
            (4, 5),
            (5, 6),
            (6, 4),
            (2, 7),
            (7, 8),
            (8, 5),
            (1, 2),
            (9, 10),
            (4, 4),
        ];
        edges.extend(random_edges(60, 120, 11));
        let ours = exact(61, &edges);
        assert_eq!(ours, rustworkx(61, &edges));
        assert!(ours.iter().any(|x| *x > 0.1));

        let (n, grid) = grid(32);
        assert_eq!(exact(n, &grid), rustworkx(n, &grid));
    }

    /// A square grid of `side` × `side` nodes, each related to the next in
    /// its row and the one above it (written both ways round): many
    /// shortest paths of equal length. Its nodes and relations.
    fn grid(side: u32) -> (usize, Vec<(u32, u32)>) {
        let mut grid = Vec::new();
        for r in 0..side {
            for c in 0..side {
                let v = r * side + c;
                if c + 1 < side {
                    grid.push((v, v + 1));
                }
                if r + 1 < side {
                    grid.push((v + side, v));
                }
            }
        }
        ((side * side) as usize, grid)
    }

    /// A pseudo-random multigraph of `n` nodes and `m` relations (self-
    /// relations and repeats included).
    fn random_edges(n: u32, m: usize, seed: u32) -> Vec<(u32, u32)> {
        let mut x = seed;
        let mut step = || {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 8) % n
        };
        (0..m).map(|_| (step(), step())).collect()
    }

    /// Whether two estimates agree within a relative 1e-12, score by
    /// score.
    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x - y).abs() <= 1e-12 * x.abs().max(y.abs()))
    }

    /// The batched estimate adds the same terms as one search per pivot,
    /// in another order: on a graph past the exact size, from the
    /// pivots `stats` takes, the scores agree within a relative 1e-12,
    /// and rounded as `stats` prints them they are the same; on a grid
    /// whose numbers of shortest paths pass 2^53 they agree as closely.
    #[test]
    fn batched_betweenness_is_the_per_pivot_estimate() {
        let n = 3_000;
        let edges = random_edges(n as u32, 9_000, 5);
        let table = super::Undirected::from_edges(n, edges.iter().copied());
        let sources = super::pivots(n);
        let ours = super::betweenness_batched(&table, &sources);
        let theirs = super::betweenness(&table, &sources);
        assert!(close(&ours, &theirs));
        let rounded = |v: &[f64]| v.iter().map(|x| super::round(*x)).collect::<Vec<_>>();
        assert_eq!(rounded(&ours), rounded(&theirs));
        assert!(ours.iter().any(|x| *x > 0.001));

        let (n, grid) = grid(40);
        let table = super::Undirected::from_edges(n, grid.iter().copied());
        let sources: Vec<usize> = (0..n).step_by(7).collect();
        assert!(close(
            &super::betweenness_batched(&table, &sources),
            &super::betweenness(&table, &sources)
        ));
    }

    /// A long chain of relations (a search of thousands of levels, each
    /// of a node or two) beside a well-connected part: the batched
    /// searches, which read only the words of the level found, give the
    /// per-pivot estimate and the plain distances.
    #[test]
    fn batched_searches_follow_a_long_chain() {
        let (n, chain) = (23_000usize, 20_000u32);
        let mut edges: Vec<(u32, u32)> = (1..chain).map(|v| (v - 1, v)).collect();
        edges.extend(
            random_edges(3_000, 9_000, 11)
                .into_iter()
                .map(|(a, b)| (a + chain, b + chain)),
        );
        // The chain's far end joins the rest.
        edges.push((chain - 1, chain));
        let table = super::Undirected::from_edges(n, edges.iter().copied());
        let sources: Vec<usize> = (0..n).step_by(n / 100).collect();
        let ours = super::betweenness_batched(&table, &sources);
        assert!(close(&ours, &super::betweenness(&table, &sources)));
        // The middle of the chain lies between its start and the rest.
        assert!(ours[chain as usize / 2] > 0.1);
        let (reached, total) = super::distances(&table, &sources);
        assert_eq!(reached[0], sources.len() as u64 - 1);
        // From the chain's start, 0, to each source along the chain and
        // beyond: the farthest is more than 20,000 steps away.
        assert!(total[0] > 100 * 20_000 / 2);
    }

    /// The batched estimate is the same to the last bit on one thread,
    /// two or four: the batches are cut by the sources alone and their
    /// sums added in order.
    #[test]
    fn batched_betweenness_does_not_depend_on_the_threads() {
        let n = 2_500;
        let edges = random_edges(n as u32, 7_000, 11);
        let table = super::Undirected::from_edges(n, edges.iter().copied());
        let sources: Vec<usize> = (0..n).step_by(13).collect();
        let on = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| super::betweenness_batched(&table, &sources))
                .into_iter()
                .map(f64::to_bits)
                .collect::<Vec<_>>()
        };
        let one = on(1);
        assert_eq!(one, on(2));
        assert_eq!(one, on(4));
    }

    use proptest::prelude::*;

    /// A graph of up to 90 nodes and some sources of it, distinct, in
    /// rising order, more than a batch's worth at times.
    fn graph_and_sources() -> impl Strategy<Value = (usize, Vec<(u32, u32)>, Vec<usize>)> {
        (3usize..90).prop_flat_map(|n| {
            (
                Just(n),
                proptest::collection::vec((0..n as u32, 0..n as u32), 0..4 * n),
                proptest::sample::subsequence((0..n).collect::<Vec<_>>(), 1..=n.min(40)),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// On any multigraph, from any sources, the batched estimate is
        /// the per-pivot one within a relative 1e-12.
        #[test]
        fn batched_betweenness_agrees_on_random_graphs((n, edges, sources) in graph_and_sources()) {
            let table = super::Undirected::from_edges(n, edges.iter().copied());
            let ours = super::betweenness_batched(&table, &sources);
            let theirs = super::betweenness(&table, &sources);
            prop_assert!(close(&ours, &theirs), "{ours:?}\n{theirs:?}");
        }

        /// The batched distances are those of one breadth-first search
        /// per source: for each node, how many sources reach it (itself
        /// not counted) and the sum of their distances.
        #[test]
        fn batched_distances_are_one_search_per_source((n, edges, sources) in graph_and_sources()) {
            let table = super::Undirected::from_edges(n, edges.iter().copied());
            let (mut reached, mut total) = (vec![0u64; n], vec![0u64; n]);
            for &s in &sources {
                let mut dist = vec![u64::MAX; n];
                dist[s] = 0;
                let mut queue = std::collections::VecDeque::from([s]);
                while let Some(v) = queue.pop_front() {
                    for &w in table.neighbors(v) {
                        if dist[w as usize] == u64::MAX {
                            dist[w as usize] = dist[v] + 1;
                            queue.push_back(w as usize);
                        }
                    }
                }
                for (v, d) in dist.into_iter().enumerate() {
                    if d != u64::MAX && d > 0 {
                        reached[v] += 1;
                        total[v] += d;
                    }
                }
            }
            prop_assert_eq!(super::distances(&table, &sources), (reached, total));
        }
    }

    /// The compact table lists each node's neighbours in the order
    /// petgraph's undirected graph of the same edges does (self-relations
    /// and repeated relations included), so the searches over it add up
    /// the same numbers in the same order.
    #[test]
    fn undirected_table_lists_neighbours_in_petgraphs_order() {
        let mut edges = vec![(0u32, 0u32), (3, 3), (2, 2), (1, 0), (0, 1)];
        edges.extend(random_edges(23, 300, 7));
        edges.push((5, 5));
        edges.push((4, 9));
        edges.push((4, 9));
        let mut g: UnGraph<(), ()> = UnGraph::from_edges(edges.iter().copied());
        g.add_node(()); // a node with no relation
        let table = super::Undirected::from_edges(g.node_count(), edges.iter().copied());
        for v in g.node_indices() {
            let theirs: Vec<u32> = g.neighbors(v).map(|w| w.index() as u32).collect();
            assert_eq!(
                table.neighbors(v.index()),
                &theirs[..],
                "node {}",
                v.index()
            );
        }
    }
}
