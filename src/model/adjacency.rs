//! Every entity's relations in both directions, in one compact table built
//! on the first question that walks the graph (`path`).
//!
//! petgraph keeps each node's relations as a linked list threaded through
//! the edges themselves, which hold the relations' data: walking one node's
//! list touches one far-apart edge record of hundreds of bytes per
//! relation. A search that reaches most of a 100k graph did little else
//! (a breadth-first `path` took 100 ms and more at 100k entities). Here
//! each node's steps lie side by side, already in the order answers need.

use std::sync::OnceLock;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use super::entity::{Entity, Relation};

/// One step from a node along a relation: the relation, the node at its
/// other end, and whether the step goes the way the relation was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    /// The relation.
    pub edge: EdgeIndex,
    /// The entity at the other end.
    pub other: NodeIndex,
    /// True when travelling from the relation's source to its target.
    pub forward: bool,
}

/// Each node's steps, by node index: outgoing and incoming alike, ordered
/// by the other end's index (nodes are in id order, so by its id), then by
/// edge (the order written), then forward before backward (a relation of a
/// node to itself is both).
pub(crate) struct Adjacency {
    /// Where each node's steps start in `steps`; one more than the nodes.
    start: Vec<u32>,
    steps: Vec<Step>,
}

impl Adjacency {
    fn build(graph: &DiGraph<Entity, Relation>) -> Adjacency {
        let n = graph.node_count();
        let mut start = vec![0u32; n + 1];
        let ends = || {
            graph
                .raw_edges()
                .iter()
                .map(|e| (e.source().index(), e.target().index()))
        };
        for (a, b) in ends() {
            start[a + 1] += 1;
            start[b + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill: Vec<u32> = start[..n].to_vec();
        let blank = Step {
            edge: EdgeIndex::end(),
            other: NodeIndex::end(),
            forward: false,
        };
        let mut steps = vec![blank; start[n] as usize];
        let mut put = |at: usize, step: Step| {
            steps[fill[at] as usize] = step;
            fill[at] += 1;
        };
        for (i, (a, b)) in ends().enumerate() {
            let edge = EdgeIndex::new(i);
            let (na, nb) = (NodeIndex::new(a), NodeIndex::new(b));
            put(
                a,
                Step {
                    edge,
                    other: nb,
                    forward: true,
                },
            );
            put(
                b,
                Step {
                    edge,
                    other: na,
                    forward: false,
                },
            );
        }
        for w in start.windows(2) {
            steps[w[0] as usize..w[1] as usize]
                .sort_unstable_by_key(|s| (s.other, s.edge, !s.forward));
        }
        Adjacency { start, steps }
    }

    /// The steps from `n`, in the order described on [`Adjacency`].
    pub(crate) fn steps(&self, n: NodeIndex) -> &[Step] {
        let i = n.index();
        &self.steps[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// An [`Adjacency`] built when first asked for. A copy of a dataset starts
/// without one: it may be about to change.
#[derive(Default)]
pub(crate) struct LazyAdjacency(OnceLock<Adjacency>);

impl LazyAdjacency {
    /// The table of `graph`, built on the first call.
    pub(crate) fn get(&self, graph: &DiGraph<Entity, Relation>) -> &Adjacency {
        self.0.get_or_init(|| Adjacency::build(graph))
    }
}

impl Clone for LazyAdjacency {
    fn clone(&self) -> LazyAdjacency {
        LazyAdjacency::default()
    }
}

impl std::fmt::Debug for LazyAdjacency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let built = self.0.get().map(|a| a.steps.len());
        f.debug_struct("Adjacency").field("steps", &built).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::visit::EdgeRef;
    use petgraph::Direction;

    /// The table holds exactly what petgraph's own lists hold, for every
    /// node, in (other end, relation) order.
    #[test]
    fn each_node_steps_are_its_relations_both_ways_in_order() {
        let files = crate::load::read_dir(std::path::Path::new("tests/fixtures/cli")).unwrap();
        let ds = crate::load::load(&files).unwrap();
        let g = ds.graph();
        let table = Adjacency::build(g);
        let mut total = 0;
        for n in g.node_indices() {
            let mut expected: Vec<Step> = g
                .edges_directed(n, Direction::Outgoing)
                .map(|e| Step {
                    edge: e.id(),
                    other: e.target(),
                    forward: true,
                })
                .chain(g.edges_directed(n, Direction::Incoming).map(|e| Step {
                    edge: e.id(),
                    other: e.source(),
                    forward: false,
                }))
                .collect();
            expected.sort_by_key(|s| (s.other, s.edge, !s.forward));
            assert_eq!(table.steps(n), expected.as_slice(), "{}", g[n].id);
            total += expected.len();
        }
        assert_eq!(total, 2 * g.edge_count());
        assert!(g.edge_count() > 50, "{}", g.edge_count());
    }
}
