//! `detente path A B`: how two entities connect. Relations are travelled in
//! either direction (a connection question does not care who wrote the
//! relation from which end); each hop says which way it goes and reads
//! accordingly ("succeeds" forwards, "succeeded by" backwards).
//!
//! With a date, only relations that may hold then are used: a dated
//! relation must possibly cover the date; an undated one may hold at any
//! date, so it counts as *possibly*. A path is as certain as its least
//! certain hop.

use std::collections::{BTreeSet, VecDeque};

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::Serialize;

use super::cite::{Brief, Cites, Fact, NumberedSource};
use super::{PathSettings, QueryError};
use crate::model::adjacency;
use crate::model::date::Truth;
use crate::model::graph::Dataset;

/// The answer: zero or more paths, shortest first.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Paths<'a> {
    /// Where the paths start.
    pub from: Brief<'a>,
    /// Where they end.
    pub to: Brief<'a>,
    /// The date asked about, as written.
    pub at: Option<String>,
    /// With `all`, the longest path considered.
    pub max_hops: Option<usize>,
    /// The paths found; empty when there is no connection.
    pub paths: Vec<Path<'a>>,
    /// True when the answer may be incomplete: `all` found more than
    /// `limit` paths, or the search used up its work budget
    /// ([`SEARCH_BUDGET`]) before finishing.
    pub truncated: bool,
    /// Whether identifications were left uncrossed.
    pub strict: bool,
    /// Every citation used, numbered.
    pub sources: Vec<NumberedSource<'a>>,
}

/// One path.
#[derive(Debug, Serialize)]
pub struct Path<'a> {
    /// The hops, in order of travel.
    pub hops: Vec<Hop<'a>>,
    /// How many hops cross an identification ("is probably the same as"):
    /// the path holds only if each of them does.
    pub identifications: usize,
    /// With a date: the least certain hop's answer.
    pub truth: Option<Truth>,
}

/// One step along a relation.
#[derive(Debug, Serialize)]
pub struct Hop<'a> {
    /// The entity the step leaves.
    pub from: Brief<'a>,
    /// The entity the step reaches.
    pub to: Brief<'a>,
    /// True when travelling the way the relation was written.
    pub forward: bool,
    /// How the step reads: the relation's label forwards, its inverse backwards.
    pub reads: &'a str,
    /// The relation, as written.
    pub fact: Fact<'a>,
    /// With a date: whether the relation holds then.
    pub truth: Option<Truth>,
}

type Step = (EdgeIndex, NodeIndex, bool);

/// How much searching one `path` question may do (neighbour expansions)
/// before it stops and says its answer may be incomplete, so that a dense
/// graph can never make it hang.
pub const SEARCH_BUDGET: usize = 200_000;

/// Enumerates simple paths of exactly `len` hops that `accept` allows.
struct Walker<'s, F: Fn(NodeIndex) -> Vec<Step>> {
    steps: &'s F,
    accept: &'s dyn Fn(&[Step]) -> bool,
    target: NodeIndex,
    len: usize,
    cap: usize,
    budget: &'s std::cell::Cell<usize>,
    stack: Vec<Step>,
    on_path: BTreeSet<NodeIndex>,
    found: Vec<Vec<Step>>,
}

impl<F: Fn(NodeIndex) -> Vec<Step>> Walker<'_, F> {
    fn walk(&mut self, n: NodeIndex) {
        if self.found.len() >= self.cap || self.stack.len() >= self.len || self.budget.get() == 0 {
            return;
        }
        self.budget.set(self.budget.get() - 1);
        for step in (self.steps)(n) {
            let next = step.1;
            if self.on_path.contains(&next) {
                continue;
            }
            self.stack.push(step);
            if next == self.target {
                if self.stack.len() == self.len && (self.accept)(&self.stack) {
                    self.found.push(self.stack.clone());
                }
            } else {
                self.on_path.insert(next);
                self.walk(next);
                self.on_path.remove(&next);
            }
            self.stack.pop();
        }
    }
}

/// How far a `via` search looks.
pub const VIA_MAX_HOPS: usize = 10;

/// Whether `b` cannot be reached from `a` at all, in a graph of `nodes`
/// nodes.
fn unreachable(
    steps: &dyn Fn(NodeIndex) -> Vec<Step>,
    nodes: usize,
    a: NodeIndex,
    b: NodeIndex,
) -> bool {
    let mut seen = vec![false; nodes];
    seen[a.index()] = true;
    let mut queue = VecDeque::from([a]);
    while let Some(n) = queue.pop_front() {
        if n == b {
            return false;
        }
        for s in steps(n) {
            if !std::mem::replace(&mut seen[s.1.index()], true) {
                queue.push_back(s.1);
            }
        }
    }
    true
}

/// Paths as `settings` ask (checked by [`super::PathOptions::validate`]).
pub fn path<'a>(ds: &'a Dataset, settings: &PathSettings) -> Result<Paths<'a>, QueryError> {
    let (ea, eb) = (
        super::entity(ds, &settings.from)?,
        super::entity(ds, &settings.to)?,
    );
    let opts = &settings.opts;
    let mut avoid = BTreeSet::new();
    for id in &opts.avoid {
        avoid.insert(ds.node(&super::entity(ds, id)?.id).expect("node"));
    }
    let g = ds.graph();
    let (na, nb) = (
        ds.node(&ea.id).expect("node"),
        ds.node(&eb.id).expect("node"),
    );

    // At a date, a hop is as certain as its least certain part: the
    // relation's own date and each end's existence. Something that never
    // existed (a proposal) rules the hop out; an undated relation or entity
    // may hold at any date, so it is at best "possibly".
    let truth_of = |e: EdgeIndex| -> Option<Truth> {
        let at = opts.at.as_ref()?;
        let (a, b) = g.edge_endpoints(e)?;
        let exists = |n: NodeIndex| {
            let ent = &g[n];
            if ds.never_existed(ent) {
                Truth::Not
            } else {
                ent.date.as_ref().map_or(Truth::Possibly, |d| d.covers(at))
            }
        };
        let relation = g[e].date.as_ref().map_or(Truth::Possibly, |d| d.covers(at));
        Some(relation.max(exists(a)).max(exists(b)))
    };
    // Neighbours in a fixed order (by id, then edge), so answers are
    // stable: the dataset's table of steps keeps them so (nodes are in id
    // order, so comparing indices orders by id without comparing strings).
    let table = ds.adjacency();
    let usable = |s: &&adjacency::Step| {
        !avoid.contains(&s.other)
            && truth_of(s.edge) != Some(Truth::Not)
            && !(opts.strict && ds.ontology().identifies(&g[s.edge].kind))
    };
    let next = |n: NodeIndex| {
        table
            .steps(n)
            .iter()
            .filter(usable)
            .map(|s| (s.edge, s.other, s.forward))
    };
    let steps = |n: NodeIndex| -> Vec<Step> { next(n).collect() };
    let counts_as_via = |n: NodeIndex| opts.via.iter().any(|v| v.as_str() == g[n].kind.as_str());
    // A path passes "via" a kind when an entity strictly inside it has it.
    let accept =
        |p: &[Step]| opts.via.is_empty() || p[..p.len() - 1].iter().any(|s| counts_as_via(s.1));
    let budget = std::cell::Cell::new(SEARCH_BUDGET);
    // Simple paths of exactly `len` hops, in neighbour (id) order.
    let walker = |len: usize, cap: usize| {
        let mut w = Walker {
            steps: &steps,
            accept: &accept,
            target: nb,
            len,
            cap,
            budget: &budget,
            stack: Vec::new(),
            on_path: BTreeSet::from([na]),
            found: Vec::new(),
        };
        w.walk(na);
        w.found
    };
    let by_ids = |x: &Vec<Step>, y: &Vec<Step>| {
        let ids = |p: &Vec<Step>| p.iter().map(|s| g[s.1].id.clone()).collect::<Vec<_>>();
        ids(x).cmp(&ids(y))
    };

    let mut found: Vec<Vec<Step>> = Vec::new();
    let mut truncated = false;
    if na == nb {
        found.push(Vec::new());
    } else if (opts.all || !opts.via.is_empty()) && unreachable(&steps, g.node_count(), na, nb) {
        // No connection at all: nothing to enumerate.
    } else if opts.all {
        // Length by length, so the list is shortest first however it ends:
        // at `limit` paths, or when the search budget runs out.
        for len in 1..=opts.max_hops {
            let mut batch = walker(len, opts.limit + 1 - found.len());
            batch.sort_by(by_ids);
            found.extend(batch);
            if found.len() > opts.limit || budget.get() == 0 {
                truncated = true;
                break;
            }
        }
        found.truncate(opts.limit);
    } else if opts.via.is_empty() {
        // Breadth-first: the shortest path, ties broken by neighbour order.
        // By node index: the search may reach most of a big graph.
        // The search stops when it first reaches the far end, not when it
        // would take it from the queue: how an entity was first reached
        // never changes, and the rest of the queue ahead of it (at 100k
        // entities, much of the last level searched) cannot change it.
        let mut prev: Vec<Option<Step>> = vec![None; g.node_count()];
        let mut queue = VecDeque::from([na]);
        let mut seen = vec![false; g.node_count()];
        seen[na.index()] = true;
        'search: while let Some(n) = queue.pop_front() {
            for step in next(n) {
                if !std::mem::replace(&mut seen[step.1.index()], true) {
                    prev[step.1.index()] = Some((step.0, n, step.2));
                    if step.1 == nb {
                        break 'search;
                    }
                    queue.push_back(step.1);
                }
            }
        }
        // Unreached: no connection at all.
        if seen[nb.index()] {
            let mut p = Vec::new();
            let mut at = nb;
            while at != na {
                let (e, before, forward) = prev[at.index()].expect("reached");
                p.push((e, at, forward));
                at = before;
            }
            p.reverse();
            found.push(p);
        }
    } else {
        // With `via`, breadth-first search over (entity, passed-via) states
        // could revisit an entity; deepening over simple paths cannot, and
        // the first path found at the smallest length is a shortest one.
        for len in 1..=VIA_MAX_HOPS.min(g.node_count()) {
            if let Some(p) = walker(len, 1).pop() {
                found.push(p);
                break;
            }
            if budget.get() == 0 {
                truncated = true;
                break;
            }
        }
    }

    let mut cites = Cites::new(ds);
    let from = cites.brief(ea);
    let to = cites.brief(eb);
    let mut paths = Vec::new();
    for p in found {
        let mut hops = Vec::new();
        let mut at = na;
        for (e, next, forward) in p {
            let (s, t) = g.edge_endpoints(e).expect("edge");
            let r = &g[e];
            let fact = cites.fact(&g[s], &g[t], r);
            let reads = if forward { fact.label } else { fact.inverse };
            hops.push(Hop {
                from: cites.brief(&g[at]),
                to: cites.brief(&g[next]),
                forward,
                reads,
                fact,
                truth: truth_of(e),
            });
            at = next;
        }
        let truth = opts.at.as_ref().map(|_| {
            hops.iter()
                .filter_map(|h| h.truth)
                .max()
                .unwrap_or(Truth::Definitely)
        });
        let identifications = hops.iter().filter(|h| h.fact.identity).count();
        paths.push(Path {
            hops,
            identifications,
            truth,
        });
    }
    Ok(Paths {
        from,
        to,
        at: opts.at.as_ref().map(|d| d.as_str().to_string()),
        max_hops: opts.all.then_some(opts.max_hops),
        paths,
        truncated,
        strict: opts.strict,
        sources: cites.finish(),
    })
}
