//! `detente stats`: counts by kind, relation type, side and stance, and the
//! most connected entities by degree and by betweenness centrality.
//!
//! Centrality treats relations as undirected: for "who sits between whom"
//! the direction a relation was written in does not matter.

use std::collections::BTreeMap;

use petgraph::graph::UnGraph;
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

/// Statistics, with the `top` entities in each ranking.
pub fn stats(ds: &Dataset, top: usize) -> Stats<'_> {
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

    let rank = |scores: Vec<(petgraph::graph::NodeIndex, f64)>| -> Vec<Ranked> {
        let mut v: Vec<_> = scores.into_iter().filter(|(_, s)| *s > 0.0).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| g[a.0].id.cmp(&g[b.0].id)));
        v.truncate(top);
        v.into_iter()
            .map(|(n, score)| Ranked {
                id: &g[n].id,
                name: &g[n].name,
                kind: &g[n].kind,
                score,
            })
            .collect()
    };
    let degree = rank(
        g.node_indices()
            .map(|n| (n, g.neighbors_undirected(n).count() as f64))
            .collect(),
    );
    // Same node indices as the directed graph: nodes are copied in order.
    let undirected: UnGraph<(), ()> = UnGraph::from_edges(
        g.edge_indices()
            .filter_map(|e| g.edge_endpoints(e))
            .map(|(a, b)| (a.index() as u32, b.index() as u32)),
    );
    let mut undirected = undirected;
    while undirected.node_count() < g.node_count() {
        undirected.add_node(());
    }
    let n = g.node_count();
    let (central, betweenness_sources) = if n <= EXACT_BETWEENNESS_UP_TO {
        (
            rustworkx_core::centrality::betweenness_centrality(&undirected, false, true, 200),
            None,
        )
    } else {
        let step = n as f64 / BETWEENNESS_SOURCES as f64;
        let sources: Vec<usize> = (0..BETWEENNESS_SOURCES)
            .map(|i| (i as f64 * step) as usize)
            .collect();
        (
            estimated_betweenness(&undirected, &sources),
            Some(BETWEENNESS_SOURCES),
        )
    };
    let betweenness = rank(
        g.node_indices()
            .map(|n| {
                (
                    n,
                    round(central.get(n.index()).copied().flatten().unwrap_or(0.0)),
                )
            })
            .collect(),
    );
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
    let step = n as f64 / k as f64;
    // For each node: how many of the pivots reach it, and how far they are.
    let mut reached = vec![0usize; n];
    let mut total = vec![0usize; n];
    for i in 0..k {
        let s = (i as f64 * step) as usize;
        let mut dist = vec![usize::MAX; n];
        dist[s] = 0;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            for w in g.neighbors(petgraph::graph::NodeIndex::new(v)) {
                let w = w.index();
                if dist[w] == usize::MAX {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
            }
        }
        for (v, d) in dist.into_iter().enumerate() {
            if d != usize::MAX && d > 0 {
                reached[v] += 1;
                total[v] += d;
            }
        }
    }
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

/// Betweenness as `rustworkx_core::centrality::betweenness_centrality`
/// computes it (undirected, normalised, endpoints excluded), from the
/// shortest paths that start at `sources` only, scaled up to all of them
/// (Brandes's accumulation, one breadth-first search per source, in
/// parallel). With every node as a source it is the exact value.
fn estimated_betweenness(g: &UnGraph<(), ()>, sources: &[usize]) -> Vec<Option<f64>> {
    use rayon::prelude::*;
    let n = g.node_count();
    let partial = |s: usize| -> Vec<f64> {
        let mut sigma = vec![0.0f64; n];
        let mut dist = vec![usize::MAX; n];
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut order = Vec::with_capacity(n);
        let mut queue = std::collections::VecDeque::from([s]);
        (sigma[s], dist[s]) = (1.0, 0);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            for w in g.neighbors(petgraph::graph::NodeIndex::new(v)) {
                let w = w.index();
                if dist[w] == usize::MAX {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        let mut delta = vec![0.0f64; n];
        for &w in order.iter().rev() {
            let coeff = (1.0 + delta[w]) / sigma[w];
            for &v in &preds[w] {
                delta[v] += sigma[v] * coeff;
            }
        }
        delta[s] = 0.0;
        delta
    };
    let total = sources.par_iter().map(|&s| partial(s)).reduce(
        || vec![0.0; n],
        |mut a, b| {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            a
        },
    );
    let scale = if n > 2 {
        n as f64 / sources.len().max(1) as f64 / ((n - 1) * (n - 2)) as f64
    } else {
        0.0
    };
    total.into_iter().map(|x| Some(x * scale)).collect()
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

    /// Betweenness on graphs whose answers are known by hand, so a change
    /// of crate or of options shows here.
    #[test]
    fn betweenness_matches_hand_computed_values() {
        // A path a - b - c: b lies on the only shortest a–c path.
        let path: UnGraph<(), ()> = UnGraph::from_edges([(0, 1), (1, 2)]);
        let c = rustworkx_core::centrality::betweenness_centrality(&path, false, true, 200);
        assert_eq!(c, vec![Some(0.0), Some(1.0), Some(0.0)]);
        // A star with centre 0 and four leaves: the centre is on all 6 leaf pairs.
        let star: UnGraph<(), ()> = UnGraph::from_edges([(0, 1), (0, 2), (0, 3), (0, 4)]);
        let c = rustworkx_core::centrality::betweenness_centrality(&star, false, true, 200);
        assert_eq!(c[0], Some(1.0));
        assert_eq!(c[1], Some(0.0));
    }

    /// The estimate of big datasets, given every node as a source, is the
    /// exact betweenness rustworkx computes for small ones.
    #[test]
    fn estimated_betweenness_from_every_source_is_the_exact_one() {
        let edges = [
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
        ];
        let g: UnGraph<(), ()> = UnGraph::from_edges(edges);
        let exact = rustworkx_core::centrality::betweenness_centrality(&g, false, true, 200);
        let all: Vec<usize> = (0..g.node_count()).collect();
        let estimate = super::estimated_betweenness(&g, &all);
        for (i, (a, b)) in exact.iter().zip(&estimate).enumerate() {
            let (a, b) = (a.unwrap(), b.unwrap());
            assert!((a - b).abs() < 1e-9, "node {i}: exact {a}, estimate {b}");
        }
        assert!(exact.iter().any(|x| x.unwrap() > 0.1));
    }
}
