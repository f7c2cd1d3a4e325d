//! `detente lineage ID`: the whole chain of a mechanism, backwards and
//! forwards through the relation types the ontology marks `lineage: true`,
//! in time order, each link with what founded it, its sessions and what
//! suspended or ended it.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use super::cite::{by_date, Brief, Cites, Fact, NumberedSource};
use super::{LineageSettings, QueryError};
use crate::model::graph::Dataset;
use crate::model::ontology::Role;

/// How to follow a chain.
#[derive(Debug, Clone, Default)]
pub struct LineageOptions {
    /// Do not cross identifications (relation types marked `identity`,
    /// "is probably the same as"): the chain stops at them.
    pub strict: bool,
}

/// The chain a mechanism belongs to.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Lineage<'a> {
    /// The entity asked about.
    pub id: &'a str,
    /// Every member of the chain, predecessors before successors, then by date.
    pub links: Vec<Link<'a>>,
    /// Identifications touching the chain: crossed (their other end is a
    /// member), or, with `strict`, where the chain stopped.
    pub identified: Vec<Fact<'a>>,
    /// Whether the chain stopped at identifications instead of crossing them.
    pub strict: bool,
    /// Every citation used, numbered.
    pub sources: Vec<NumberedSource<'a>>,
}

/// One member of a chain.
#[derive(Debug, Serialize)]
pub struct Link<'a> {
    /// The mechanism.
    pub entity: Brief<'a>,
    /// Lineage relations to its predecessors (written from this member).
    pub predecessors: Vec<Fact<'a>>,
    /// Lineage relations from its successors (written to this member).
    pub successors: Vec<Fact<'a>>,
    /// Where or by what it was created, renamed or agreed.
    pub founded: Vec<Related<'a>>,
    /// Its rounds and meetings.
    pub sessions: Vec<Related<'a>>,
    /// What suspended, disrupted or ended it.
    pub ended: Vec<Related<'a>>,
}

/// An entity linked to a chain member, with the linking fact.
#[derive(Debug, Serialize)]
pub struct Related<'a> {
    /// The other entity.
    pub entity: Brief<'a>,
    /// The relation.
    pub fact: Fact<'a>,
}

/// The lineage of `id`, crossing identifications. A mechanism with no
/// lineage relations is a chain of one; an entity that no lineage relation
/// can join (a person) is refused.
pub fn lineage<'a>(ds: &'a Dataset, id: &str) -> Result<Lineage<'a>, QueryError> {
    lineage_with(ds, &LineageOptions::default().validate(ds, id)?)
}

/// The lineage `settings` asks for ([`LineageOptions::validate`]).
/// Settings made for another dataset that lacks their entity are refused
/// as an unknown entity.
pub fn lineage_with<'a>(
    ds: &'a Dataset,
    settings: &LineageSettings,
) -> Result<Lineage<'a>, QueryError> {
    let opts = settings.options();
    let start = super::entity(ds, settings.id())?;
    let g = ds.graph();
    let o = ds.ontology();
    let is_lineage = |kind: &str| o.relations.get(kind).is_some_and(|d| d.lineage);
    // Membership crosses identifications too (one mechanism under two
    // names belongs to one chain); order follows lineage relations only.
    let joins = |kind: &str| is_lineage(kind) || (!opts.strict && o.identifies(kind));

    // The connected component through lineage edges, either direction.
    let first = ds.node(&start.id).expect("entity has a node");
    let mut members = BTreeSet::from([first]);
    let mut queue = VecDeque::from([first]);
    while let Some(n) = queue.pop_front() {
        for dir in [Direction::Outgoing, Direction::Incoming] {
            for e in g.edges_directed(n, dir).filter(|e| joins(&e.weight().kind)) {
                let other = if dir == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                if members.insert(other) {
                    queue.push_back(other);
                }
            }
        }
    }

    // Predecessors first (A succeeds B puts B before A); among members free
    // to go next, the earliest-dated, then by id. Lineage has no cycles:
    // the loader refuses them.
    let mut waiting: BTreeMap<_, usize> = members.iter().map(|&m| (m, 0)).collect();
    for &m in &members {
        for e in g
            .edges_directed(m, Direction::Outgoing)
            .filter(|e| is_lineage(&e.weight().kind))
        {
            if members.contains(&e.target()) {
                *waiting.get_mut(&m).expect("member") += 1;
            }
        }
    }
    struct Next<'a>(&'a crate::model::entity::Entity, petgraph::graph::NodeIndex);
    // Ids are unique, so equal nodes and equal order agree.
    impl PartialEq for Next<'_> {
        fn eq(&self, other: &Self) -> bool {
            self.1 == other.1
        }
    }
    impl Eq for Next<'_> {}
    impl Ord for Next<'_> {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            // BinaryHeap pops the greatest: reverse for earliest first.
            by_date(other.0.date.as_ref(), self.0.date.as_ref())
                .then_with(|| other.0.id.cmp(&self.0.id))
        }
    }
    impl PartialOrd for Next<'_> {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    let mut ready: BinaryHeap<Next> = waiting
        .iter()
        .filter(|(_, &w)| w == 0)
        .map(|(&m, _)| Next(&g[m], m))
        .collect();
    let mut order = Vec::with_capacity(members.len());
    while let Some(Next(_, m)) = ready.pop() {
        order.push(m);
        for e in g
            .edges_directed(m, Direction::Incoming)
            .filter(|e| is_lineage(&e.weight().kind))
        {
            if let Some(w) = waiting.get_mut(&e.source()) {
                *w -= 1;
                if *w == 0 {
                    ready.push(Next(&g[e.source()], e.source()));
                }
            }
        }
    }

    let mut cites = Cites::new(ds);
    let mut links = Vec::with_capacity(order.len());
    for m in order {
        let entity = cites.brief(&g[m]);
        let mut link = Link {
            entity,
            predecessors: Vec::new(),
            successors: Vec::new(),
            founded: Vec::new(),
            sessions: Vec::new(),
            ended: Vec::new(),
        };
        // Outgoing first, then incoming; each by date, then the other end.
        let mut touching = ds.links(&g[m].id);
        touching.sort_by(|a, b| {
            b.outgoing
                .cmp(&a.outgoing)
                .then_with(|| by_date(a.relation.date.as_ref(), b.relation.date.as_ref()))
                .then_with(|| a.other.id.cmp(&b.other.id))
        });
        for l in touching {
            let r = l.relation;
            let (from, to) = if l.outgoing {
                (&g[m], l.other)
            } else {
                (l.other, &g[m])
            };
            let related = |cites: &mut Cites<'a>| Related {
                entity: cites.brief(l.other),
                fact: cites.fact(from, to, r),
            };
            match (l.outgoing, is_lineage(&r.kind)) {
                (true, true) => link.predecessors.push(cites.fact(from, to, r)),
                (false, true) => link.successors.push(cites.fact(from, to, r)),
                (true, false) if o.plays(&r.kind, Role::Founding) => {
                    link.founded.push(related(&mut cites))
                }
                (true, false) if o.plays(&r.kind, Role::Ending) => {
                    link.ended.push(related(&mut cites))
                }
                (false, false) if o.plays(&r.kind, Role::Session) => {
                    link.sessions.push(related(&mut cites))
                }
                _ => {}
            }
        }
        links.push(link);
    }
    // After the links, so citation numbers run in reading order.
    // Found from the members' own relations, in the order written (edge
    // order), not by scanning every relation of the dataset.
    let touching: BTreeSet<_> = members
        .iter()
        .flat_map(|&m| {
            [Direction::Outgoing, Direction::Incoming]
                .into_iter()
                .flat_map(move |dir| g.edges_directed(m, dir))
        })
        .filter(|e| o.identifies(&e.weight().kind))
        .map(|e| e.id())
        .collect();
    let mut identified = Vec::new();
    for e in touching {
        let (a, b) = g.edge_endpoints(e).expect("edge");
        identified.push(cites.fact(&g[a], &g[b], &g[e]));
    }
    Ok(Lineage {
        id: &start.id,
        links,
        identified,
        strict: opts.strict,
        sources: cites.finish(),
    })
}
