//! `detente neighbors ID`: the ego network — everything within `depth`
//! relations of an entity, optionally only through some relation types or
//! in one direction, with every relation among them.

use std::collections::{BTreeMap, VecDeque};

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use super::cite::{Brief, Cites, Fact, NumberedSource};
use super::{NeighborSettings, QueryError, Towards};
use crate::model::graph::Dataset;

/// The ego network.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Neighborhood<'a> {
    /// The entity at the centre.
    pub center: Brief<'a>,
    /// Every entity reached, nearest first, then by id.
    pub neighbors: Vec<Neighbor<'a>>,
    /// Every followed relation among the centre and its neighbours.
    pub relations: Vec<Fact<'a>>,
    /// The identifications crossed ("is probably the same as"); each
    /// entity beyond one counts as no further away than the one before it.
    /// Empty with `strict`, which does not cross them.
    pub identified: Vec<Fact<'a>>,
    /// Whether identifications were left uncrossed.
    pub strict: bool,
    /// Every citation used, numbered.
    pub sources: Vec<NumberedSource<'a>>,
}

/// An entity in the ego network.
#[derive(Debug, Serialize)]
pub struct Neighbor<'a> {
    /// The entity.
    pub entity: Brief<'a>,
    /// Relations away from the centre.
    pub distance: usize,
    /// The entity it was reached from.
    pub via: &'a str,
    /// How it reads from `via`: the relation's label or its inverse.
    pub reads: &'a str,
    /// The role on that relation, as labelled in the ontology.
    pub role: Option<&'a str>,
}

/// The neighbourhood `settings` ask for (checked by
/// [`super::NeighborOptions::validate`]).
pub fn neighbors<'a>(
    ds: &'a Dataset,
    settings: &NeighborSettings,
) -> Result<Neighborhood<'a>, QueryError> {
    let center = super::entity(ds, &settings.center)?;
    let opts = &settings.opts;
    let g = ds.graph();
    let o = ds.ontology();
    let identity = |r: &crate::model::entity::Relation| !opts.strict && o.identifies(&r.kind);
    // An identification is crossed whatever the filters: it joins two
    // names of one thing, not one thing to another.
    let follows = |r: &crate::model::entity::Relation| {
        if o.identifies(&r.kind) {
            return !opts.strict;
        }
        (opts.relations.is_empty() || opts.relations.iter().any(|v| v.as_str() == r.kind.as_str()))
            && (opts.roles.is_empty()
                || r.role
                    .as_ref()
                    .is_some_and(|x| opts.roles.iter().any(|v| v.as_str() == x.as_str())))
    };
    let dirs: &[Direction] = match opts.direction {
        Towards::Out => &[Direction::Outgoing],
        Towards::In => &[Direction::Incoming],
        Towards::Both => &[Direction::Outgoing, Direction::Incoming],
    };
    let start = ds.node(&center.id).expect("node");
    // Reached: node → (distance, from, edge, forward).
    let mut reached: BTreeMap<NodeIndex, (usize, NodeIndex, petgraph::graph::EdgeIndex, bool)> =
        BTreeMap::new();
    let mut queue = VecDeque::from([(start, 0usize)]);
    let mut edges = std::collections::BTreeSet::new();
    while let Some((n, d)) = queue.pop_front() {
        if reached.get(&n).is_some_and(|r| r.0 < d) {
            continue; // reached more closely through an identification
        }
        // Identifications go both ways whatever `direction` says: being
        // the same thing has no direction.
        let mut steps: Vec<_> = [Direction::Outgoing, Direction::Incoming]
            .iter()
            .flat_map(|&dir| {
                g.edges_directed(n, dir)
                    .filter(|e| follows(e.weight()))
                    .filter(move |e| identity(e.weight()) || dirs.contains(&dir))
                    .map(move |e| {
                        let out = dir == Direction::Outgoing;
                        (e.id(), if out { e.target() } else { e.source() }, out)
                    })
            })
            .collect();
        // Nodes are in id order (`Dataset` keeps them so).
        steps.sort_unstable_by_key(|s| (s.1, s.0));
        for (e, other, forward) in steps {
            let cost = usize::from(!identity(&g[e]));
            if d + cost > opts.depth {
                continue;
            }
            edges.insert(e);
            let closer = reached.get(&other).is_none_or(|r| r.0 > d + cost);
            if other != start && closer {
                reached.insert(other, (d + cost, n, e, forward));
                if cost == 0 {
                    queue.push_front((other, d));
                } else {
                    queue.push_back((other, d + 1));
                }
            }
        }
    }
    // Every followed relation among the entities reached, including those
    // between two entities at the outer ring, which the walk never crossed.
    // Found from the entities reached, not by scanning the whole graph:
    // on a big dataset that scan cost more than the rest of the query.
    let inside = |n| n == start || reached.contains_key(&n);
    for n in std::iter::once(start).chain(reached.keys().copied()) {
        for e in g.edges_directed(n, Direction::Outgoing) {
            if inside(e.target()) && follows(e.weight()) {
                edges.insert(e.id());
            }
        }
    }

    let mut cites = Cites::new(ds);
    let center_brief = cites.brief(center);
    let mut list: Vec<_> = reached.into_iter().collect();
    list.sort_by(|(a, x), (b, y)| x.0.cmp(&y.0).then_with(|| g[*a].id.cmp(&g[*b].id)));
    let neighbors = list
        .into_iter()
        .map(|(n, (distance, from, e, forward))| {
            let def = o.relations.get(&g[e].kind);
            let role = g[e]
                .role
                .as_deref()
                .map(|r| o.role_label(&g[e].kind, r).unwrap_or(r));
            Neighbor {
                role,
                entity: cites.brief(&g[n]),
                distance,
                via: &g[from].id,
                reads: def.map_or(g[e].kind.as_str(), |d| {
                    if forward {
                        d.label.as_str()
                    } else {
                        d.inverse.as_str()
                    }
                }),
            }
        })
        .collect();
    let relations: Vec<Fact> = edges
        .into_iter()
        .map(|e| {
            let (s, t) = g.edge_endpoints(e).expect("edge");
            cites.fact(&g[s], &g[t], &g[e])
        })
        .collect();
    let identified = relations
        .iter()
        .filter(|f| f.identity && !opts.strict)
        .cloned()
        .collect();
    Ok(Neighborhood {
        center: center_brief,
        neighbors,
        relations,
        identified,
        strict: opts.strict,
        sources: cites.finish(),
    })
}
