//! Cross-file checks: every reference resolves, every relation's ends have
//! kinds the ontology allows, every fact is cited, lineage has no cycles.
//! Only when nothing is wrong is the graph built.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;
use std::sync::Arc;

// Maps keyed by every id of a dataset: foldhash, as in the queries; the
// standard SipHash was 4% of a 1M-entity load (docs/performance.md).
use foldhash::{HashMap, HashMapExt, HashSet};
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rayon::prelude::*;

use super::decode::{At, RawCitation, RawEntity, RawRelation, RawSource};
use super::problem::{Diagnostic, Place, Problem};
use super::suggest::suggest;
use crate::model::entity::{Attribution, Citation, Entity, Origin, Relation, Source, Stance};
use crate::model::graph::Dataset;
use crate::model::ontology::Ontology;
use crate::model::small::Text;

/// Everything decoded from one dataset, with the file each part came from.
pub(crate) struct Decoded {
    pub ontology: Ontology,
    /// Names that may be incomplete because a file that could define them
    /// did not parse (`kind`, `side`, `status`, `relation type`, `source`,
    /// `entity`), with that file. An unknown reference to one is still
    /// reported, but without a guess, naming the unread file.
    pub incomplete: Vec<(&'static str, String)>,
    pub sources: Vec<(Arc<Path>, RawSource)>,
    /// Each file's records as it decoded them: gathering them into one
    /// vector held them twice at the peak of a cold load.
    pub entities: Vec<(Arc<Path>, Vec<RawEntity>)>,
    pub relations: Vec<(Arc<Path>, Vec<RawRelation>)>,
}

/// Checks one part of the data (the sources, or one file's entities or
/// relations) and keeps what it finds; parts are checked side by side and
/// their problems put together by [`merge`] in the order one pass over the
/// data would have found them.
struct Checker<'a> {
    problems: Vec<Diagnostic>,
    incomplete: &'a [(&'static str, String)],
    /// Kinds of name already reported as possibly defined in an unread
    /// file: one such report each, since a broken `ontology.yaml` would
    /// otherwise bury its own syntax error under hundreds of them. Each
    /// part keeps its first; [`merge`] keeps the first of all.
    unread_reported: Vec<&'static str>,
}

impl<'a> Checker<'a> {
    fn new(incomplete: &'a [(&'static str, String)]) -> Checker<'a> {
        Checker {
            problems: Vec::new(),
            incomplete,
            unread_reported: Vec::new(),
        }
    }

    fn report(&mut self, file: &Path, pos: super::yaml::Pos, problem: Problem) {
        self.problems.push(Diagnostic {
            place: Place::new(file, pos),
            problem,
        });
    }

    /// Reports `id` unless it is `known`; returns whether it is. The
    /// membership test is the caller's (a map lookup); `candidates` are
    /// listed, for a suggestion, only when `id` is reported: scanning every
    /// known id for every reference made loading quadratic in the data.
    /// `field` is written out only then too (a `format_args!`): formatting
    /// each relation's field paths was three allocations per relation.
    fn known<'k, K: IntoIterator<Item = &'k str>>(
        &mut self,
        file: &Path,
        id: &At<Text>,
        what: &str,
        field: impl std::fmt::Display,
        known: bool,
        candidates: impl FnOnce() -> K,
    ) -> bool {
        if known {
            return true;
        }
        let unread = self.incomplete.iter().find(|(w, _)| *w == what);
        if let Some((w, _)) = unread {
            if self.unread_reported.contains(w) {
                return false;
            }
            self.unread_reported.push(w);
        }
        let unread = unread.map(|(_, f)| f.clone());
        self.report(
            file,
            id.pos,
            Problem::Unknown {
                what: what.into(),
                id: id.value.to_string(),
                field: field.to_string(),
                suggestion: unread
                    .is_none()
                    .then(|| suggest(&id.value, candidates()))
                    .flatten(),
                unread,
            },
        );
        false
    }

    /// Reports each citation whose source is unknown.
    fn citations(&mut self, file: &Path, raw: &[RawCitation], sources: &Sources) {
        for c in raw {
            self.known(
                file,
                &c.source,
                "source",
                &c.field,
                sources.places.contains_key(&c.source.value),
                || sources.all.keys().map(Text::as_str),
            );
        }
    }
}

/// The problems of `parts`, in the order given, appended to `out`: a
/// name possibly defined in an unread file is reported once in all, at
/// its first reference, as a single pass over the parts would have done
/// (`seen` holds the kinds of name already so reported).
fn merge(
    out: &mut Vec<Diagnostic>,
    seen: &mut Vec<String>,
    parts: impl IntoIterator<Item = Vec<Diagnostic>>,
) {
    for part in parts {
        for p in part {
            if let Problem::Unknown {
                what,
                unread: Some(_),
                ..
            } = &p.problem
            {
                if seen.contains(what) {
                    continue;
                }
                seen.push(what.clone());
            }
            out.push(p);
        }
    }
}

/// The sources read: in id order for the dataset and for suggestions, and
/// where each was defined, which is also the map a citation's source is
/// looked up in (a hash lookup; the ordered map's string comparisons were
/// a cost of every citation at 1M entities).
struct Sources {
    all: BTreeMap<Text, Source>,
    places: HashMap<Text, Place>,
}

/// What the one table of entity ids holds for each id: everything a
/// reference to it needs, found with one lookup.
#[derive(Clone, Copy)]
struct Slot {
    /// The entity's node in the graph: its rank in id order.
    node: u32,
    /// Its kind, as a position among the ontology's kinds, or [`NO_KIND`]
    /// when it has none the ontology declares.
    kind: u32,
}

const NO_KIND: u32 = u32::MAX;
/// The node of an entity left out of the graph (a second definition of
/// an id) or of a reference to no entity.
const NO_NODE: u32 = u32::MAX;

/// An entity id as sorted: its first 16 bytes ([`prefix`]), the id, and
/// the entity's number in file order.
type IdKey<'r> = ([u64; 2], &'r str, u32);

/// The nodes of a relation's ends.
type Ends = (u32, u32);

/// The first 16 bytes of an id as two numbers that order as the bytes do
/// (shorter ids padded with zeros, which order first, as a shorter string
/// does): the sort of a million ids compares these, in a vector of its
/// own, and reads the ids themselves only when the first 16 bytes tie.
fn prefix(id: &str) -> [u64; 2] {
    let mut b = [0u8; 16];
    let n = id.len().min(16);
    b[..n].copy_from_slice(&id.as_bytes()[..n]);
    let (hi, lo) = b.split_at(8);
    [
        u64::from_be_bytes(hi.try_into().unwrap_or_default()),
        u64::from_be_bytes(lo.try_into().unwrap_or_default()),
    ]
}

/// Checks references and builds the dataset, or returns every problem.
///
/// Entities are numbered in file order; their ids, sorted (in parallel),
/// give each entity its node in the graph, its rank in id order, and show
/// every duplicate beside the first definition, which is the one kept.
/// One table then maps each id to its node and kind, and every reference
/// is one lookup in it. The checks of each file's entities and relations
/// need nothing but that table, the sources and the ontology, so files are
/// checked side by side; what each finds is put together in file order.
pub(crate) fn resolve(d: Decoded, problems: &mut Vec<Diagnostic>) -> Option<Dataset> {
    let incomplete = &d.incomplete[..];
    let o = &d.ontology;
    let sides = || o.sides.keys().map(Text::as_str);
    let side_ok = |s: &At<Text>| o.sides.contains_key(s.value.as_str());
    let mut seen = Vec::new();

    // Sources.
    let mut ck = Checker::new(incomplete);
    let mut sources = Sources {
        all: BTreeMap::new(),
        places: HashMap::new(),
    };
    for (file, raw) in d.sources {
        if let Some(first) = sources.places.get(&raw.id.value) {
            ck.report(
                &file,
                raw.id.pos,
                Problem::DuplicateId {
                    what: "source".into(),
                    id: raw.id.value.to_string(),
                    first: first.clone(),
                },
            );
            continue;
        }
        if let Some(side) = &raw.side {
            ck.known(&file, side, "side", "side", side_ok(side), sides);
        }
        sources
            .places
            .insert(raw.id.value.clone(), Place::new(&file, raw.id.pos));
        sources.all.insert(raw.id.value, raw.source);
    }
    merge(problems, &mut seen, [ck.problems]);

    // Entities: ids first, so relations anywhere can refer to any of them.
    // Each entity's number is its place in file order.
    let starts: Vec<u32> = d
        .entities
        .iter()
        .scan(0u32, |n, (_, es)| {
            let start = *n;
            *n += u32::try_from(es.len()).unwrap_or(u32::MAX);
            Some(start)
        })
        .collect();
    let kinds: Vec<&str> = o.kinds.keys().map(Text::as_str).collect();
    let kind_of = |k: &str| kinds.binary_search(&k).ok().map(|i| i as u32);
    let read: Vec<(Vec<Diagnostic>, Vec<IdKey>, Vec<u32>)> = d
        .entities
        .par_iter()
        .zip(&starts)
        .map(|((file, raws), &start)| {
            let mut ck = Checker::new(incomplete);
            let mut keys = Vec::with_capacity(raws.len());
            let mut kinds = Vec::with_capacity(raws.len());
            for (i, raw) in raws.iter().enumerate() {
                let kind = raw
                    .kind
                    .as_ref()
                    .filter(|kind| {
                        ck.known(
                            file,
                            kind,
                            "kind",
                            "kind",
                            o.kinds.contains_key(kind.value.as_str()),
                            || o.kinds.keys().map(Text::as_str),
                        )
                    })
                    .and_then(|kind| kind_of(&kind.value));
                let id = raw.id.value.as_str();
                keys.push((prefix(id), id, start + i as u32));
                kinds.push(kind.unwrap_or(NO_KIND));
            }
            (ck.problems, keys, kinds)
        })
        .collect();
    let count: usize = read.iter().map(|(_, keys, _)| keys.len()).sum();
    let mut keys = Vec::with_capacity(count);
    let mut kind_by_number = Vec::with_capacity(count);
    let mut kind_problems = Vec::with_capacity(read.len());
    for (p, k, kinds) in read {
        kind_problems.push(p);
        keys.extend(k);
        kind_by_number.extend(kinds);
    }
    merge(problems, &mut seen, kind_problems);
    // Every key differs (the numbers do), so the order is the same
    // whichever sort and however many threads.
    keys.par_sort_unstable();
    let mut node_by_number = vec![NO_NODE; count];
    let mut ids: HashMap<Text, Slot> = HashMap::with_capacity(count);
    let mut duplicates: Vec<(u32, u32)> = Vec::new();
    let mut previous: Option<(&str, u32)> = None;
    for &(_, id, number) in &keys {
        match previous {
            Some((first, first_number)) if first == id => duplicates.push((number, first_number)),
            _ => {
                let node = ids.len() as u32;
                node_by_number[number as usize] = node;
                ids.insert(
                    Text::new(id),
                    Slot {
                        node,
                        kind: kind_by_number[number as usize],
                    },
                );
                previous = Some((id, number));
            }
        }
    }
    drop(keys);
    drop(kind_by_number);
    // A duplicate is reported at each later definition, naming the first
    // (in file order); it is still checked field by field below, and left
    // out of the graph.
    duplicates.sort_unstable();
    let at = |number: u32| {
        let f = starts.partition_point(|&s| s <= number) - 1;
        let (file, raws) = &d.entities[f];
        (file, &raws[(number - starts[f]) as usize].id)
    };
    let mut ck = Checker::new(incomplete);
    for &(number, first) in &duplicates {
        let (file, id) = at(number);
        let (first_file, first_id) = at(first);
        ck.report(
            file,
            id.pos,
            Problem::DuplicateId {
                what: "entity".into(),
                id: id.value.to_string(),
                first: Place::new(first_file, first_id.pos),
            },
        );
    }
    merge(problems, &mut seen, [ck.problems]);

    // Each file's entities and relations checked side by side, the records
    // only read: they are turned into the model's entities and relations
    // only when the whole dataset is good, one file at a time, each file's
    // records freed as they go into the graph (made in parallel, the
    // model's records and the decoded ones were both held at the peak).
    let entity_problems: Vec<Vec<Diagnostic>> = d
        .entities
        .par_iter()
        .map(|(file, raws)| {
            let mut ck = Checker::new(incomplete);
            for raw in raws {
                check_entity(&mut ck, file, raw, o, &ids, &sources);
            }
            ck.problems
        })
        .collect();
    merge(problems, &mut seen, entity_problems);
    let checked: Vec<(Vec<Diagnostic>, Vec<Ends>, Vec<Lineage>)> = d
        .relations
        .par_iter()
        .map(|(file, raws)| {
            let mut ck = Checker::new(incomplete);
            let mut lineage = Vec::new();
            let ends = raws
                .iter()
                .map(|raw| {
                    check_relation(&mut ck, file, raw, o, &kinds, &ids, &sources, &mut lineage)
                })
                .collect();
            (ck.problems, ends, lineage)
        })
        .collect();
    let mut ends = Vec::with_capacity(checked.len());
    let mut lineage = Vec::new();
    merge(
        problems,
        &mut seen,
        checked.into_iter().map(|(p, e, l)| {
            ends.push(e);
            lineage.extend(l);
            p
        }),
    );

    let mut ck = Checker::new(incomplete);
    lineage_cycles(&mut ck, &lineage);
    merge(problems, &mut seen, [ck.problems]);

    if !problems.is_empty() {
        return None;
    }
    // Nothing is wrong: every id is defined once, every reference and
    // citation resolves.
    let edges = d.relations.iter().map(|(_, rs)| rs.len()).sum();
    let mut graph = DiGraph::with_capacity(ids.len(), edges);
    for (file, raws) in d.entities {
        for raw in raws {
            graph.add_node(entity(&file, raw));
        }
    }
    // The entities went in in file order; each moves to its node, its
    // rank in id order, by swaps along the cycles of the permutation (each
    // swap puts one in its place), with no second copy of them all.
    let mut dest = node_by_number;
    for i in 0..dest.len() {
        while dest[i] as usize != i {
            let j = dest[i] as usize;
            let (a, b) = graph.index_twice_mut(NodeIndex::new(i), NodeIndex::new(j));
            std::mem::swap(a, b);
            dest.swap(i, j);
        }
    }
    for ((file, raws), ends) in d.relations.into_iter().zip(ends) {
        for (raw, (a, b)) in raws.into_iter().zip(ends) {
            let (a, b) = (NodeIndex::new(a as usize), NodeIndex::new(b as usize));
            graph.add_edge(a, b, relation(&file, raw));
        }
    }
    Some(Dataset::from_graph(d.ontology, sources.all, graph))
}

/// A lineage relation, for [`lineage_cycles`]: its ends, where it was
/// written (the file and the place of its `to`) and its type.
type Lineage = (Text, Text, Arc<Path>, super::yaml::Pos, Text);

/// Checks one entity's fields against the ontology, the table of ids and
/// the sources.
fn check_entity(
    ck: &mut Checker,
    file: &Path,
    raw: &RawEntity,
    o: &Ontology,
    ids: &HashMap<Text, Slot>,
    sources: &Sources,
) {
    let sides = || o.sides.keys().map(Text::as_str);
    let side_ok = |s: &At<Text>| o.sides.contains_key(s.value.as_str());
    if let Some(side) = &raw.side {
        ck.known(file, side, "side", "side", side_ok(side), sides);
    }
    if let Some(status) = &raw.status {
        let known = ck.known(
            file,
            status,
            "status",
            "status",
            o.statuses.contains_key(status.value.as_str()),
            || o.statuses.keys().map(Text::as_str),
        );
        if known {
            status_agrees_with_date(ck, file, status, raw.date.as_ref(), o);
        }
    }
    for (claim, field) in [(&raw.status_claim, "status"), (&raw.date_claim, "date")] {
        if let Some(c) = claim {
            ck.known(
                file,
                &c.claimed_by,
                "entity",
                format_args!("{field}.claimed_by"),
                ids.contains_key(&c.claimed_by.value),
                || ids.keys().map(Text::as_str),
            );
            ck.citations(file, &c.sources, sources);
        }
    }
    if let Some(src) = &raw.source {
        ck.known(
            file,
            src,
            "source",
            "source",
            sources.places.contains_key(&src.value),
            || sources.all.keys().map(Text::as_str),
        );
    }
    ck.citations(file, &raw.sources, sources);
}

/// An entity as the model holds it, from a record checked and found good.
fn entity(file: &Arc<Path>, raw: RawEntity) -> Entity {
    let attribution = |c: super::decode::RawAttribution| Attribution {
        claimed_by: c.claimed_by.value,
        stance: c.stance,
        sources: citations(c.sources),
    };
    Entity {
        kind: raw.kind.map(|k| k.value).unwrap_or_default(),
        name: raw.name,
        short: raw.short,
        names: raw.names,
        aliases: raw.aliases,
        side: raw.side.map(|s| s.value),
        date: raw.date.map(|d| d.value),
        date_claim: raw.date_claim.map(attribution),
        status: raw.status.map(|s| s.value),
        status_claim: raw.status_claim.map(attribution),
        place: raw.place,
        source: raw.source.map(|s| s.value),
        summary: raw.summary,
        sources: citations(raw.sources),
        origin: Origin {
            file: file.clone(),
            line: raw.pos.line,
        },
        id: raw.id.value,
    }
}

/// Citations as the model holds them, from citations checked and found
/// good.
fn citations(raw: Vec<RawCitation>) -> Vec<Citation> {
    // Sized as written: collected in place, the vector would keep the
    // room of the larger records it was read into.
    let mut out = Vec::with_capacity(raw.len());
    out.extend(raw.into_iter().map(|c| Citation {
        source: c.source.value,
        at: c.at,
        quote: c.quote,
    }));
    out
}

/// Checks one relation against the ontology, the table of ids and the
/// sources; returns the nodes of its ends ([`NO_NODE`] for an end that is
/// no entity), and notes it in `lineage` if it is a lineage relation with
/// both ends known.
#[allow(clippy::too_many_arguments)]
fn check_relation(
    ck: &mut Checker,
    file: &Arc<Path>,
    raw: &RawRelation,
    o: &Ontology,
    kinds: &[&str],
    ids: &HashMap<Text, Slot>,
    sources: &Sources,
    lineage: &mut Vec<Lineage>,
) -> Ends {
    let keys = || ids.keys().map(Text::as_str);
    let path = &raw.path;
    let type_ok = ck.known(
        file,
        &raw.kind,
        "relation type",
        format_args!("{path}.type"),
        o.relations.contains_key(raw.kind.value.as_str()),
        || o.relations.keys().map(Text::as_str),
    );
    // An inline relation's `from` is its entity, known to exist.
    let from = ids.get(&raw.from.value).copied();
    let to = ids.get(&raw.to.value).copied();
    let from_ok = ck.known(
        file,
        &raw.from,
        "entity",
        format_args!("{path}.from"),
        from.is_some(),
        keys,
    );
    let to_ok = ck.known(
        file,
        &raw.to,
        "entity",
        format_args!("{path}.to"),
        to.is_some(),
        keys,
    );
    if let Some(c) = &raw.claimed_by {
        ck.known(
            file,
            c,
            "entity",
            format_args!("{path}.claimed_by"),
            ids.contains_key(&c.value),
            keys,
        );
    }
    if raw.stance.value != Stance::Record && raw.claimed_by.is_none() {
        ck.report(
            file,
            raw.stance.pos,
            Problem::StanceWithoutClaimant {
                stance: raw.stance.value.as_str().into(),
            },
        );
    }
    if type_ok {
        let def = &o.relations[raw.kind.value.as_str()];
        if let Some(role) = &raw.role {
            if !def.roles.contains_key(role.value.as_str()) {
                ck.report(
                    file,
                    role.pos,
                    Problem::RoleNotAllowed {
                        relation: raw.kind.value.to_string(),
                        role: role.value.to_string(),
                        suggestion: suggest(&role.value, def.roles.keys().map(Text::as_str)),
                        allowed: def.roles.keys().map(Text::to_string).collect(),
                    },
                );
            }
        }
        for (end, slot, from, verb) in [
            (&raw.from, from, true, "come from"),
            (&raw.to, to, false, "point to"),
        ] {
            let Some(kind) = slot.and_then(|s| kinds.get(s.kind as usize)) else {
                continue;
            };
            if !def.allows(kind, from) {
                let allowed = if from { &def.from } else { &def.to };
                ck.report(
                    file,
                    end.pos,
                    Problem::KindNotAllowed {
                        relation: raw.kind.value.to_string(),
                        direction: verb.into(),
                        id: end.value.to_string(),
                        kind: kind.to_string(),
                        allowed: allowed.clone().unwrap_or_default(),
                    },
                );
            }
        }
        if def.lineage && from_ok && to_ok {
            lineage.push((
                raw.from.value.clone(),
                raw.to.value.clone(),
                file.clone(),
                raw.to.pos,
                raw.kind.value.clone(),
            ));
        }
    }
    ck.citations(file, &raw.sources, sources);
    (
        from.map_or(NO_NODE, |s| s.node),
        to.map_or(NO_NODE, |s| s.node),
    )
}

/// A relation as the model holds it, from a record checked and found good.
fn relation(file: &Arc<Path>, raw: RawRelation) -> Relation {
    Relation {
        kind: raw.kind.value,
        role: raw.role.map(|r| r.value),
        date: raw.date.map(|d| d.value),
        summary: raw.summary,
        sources: citations(raw.sources),
        claimed_by: raw.claimed_by.map(|c| c.value),
        stance: raw.stance.value,
        origin: Origin {
            file: file.clone(),
            line: raw.pos.line,
        },
    }
}

/// A status the ontology ties to the end of the date (`end: closed` for
/// `ended`, `end: open` for `active`) must agree with the entity's date, so
/// no answer shows an ended dialogue that never ends or an active one that
/// stopped.
fn status_agrees_with_date(
    ck: &mut Checker,
    file: &Path,
    status: &At<Text>,
    date: Option<&At<crate::model::date::Date>>,
    o: &Ontology,
) {
    use crate::model::ontology::EndRule;
    let Some(rule) = o.statuses.get(status.value.as_str()).and_then(|s| s.end) else {
        return;
    };
    let open = |d: &crate::model::date::Date| d.is_open_ended() || d.has_unknown_end();
    let bad = match (rule, date) {
        (EndRule::Closed, None) => Some(None),
        (EndRule::Closed, Some(d)) if open(&d.value) => Some(Some(d.value.as_str().to_string())),
        (EndRule::Open, Some(d)) if !open(&d.value) => Some(Some(d.value.as_str().to_string())),
        _ => None,
    };
    if let Some(date) = bad {
        ck.report(
            file,
            status.pos,
            Problem::StatusContradictsDate {
                status: status.value.to_string(),
                date,
                closed: rule == EndRule::Closed,
            },
        );
    }
}

/// Reports each cycle once, at the relation that closes it: the one
/// entering the alphabetically first member of the cycle, so the report is
/// stable. (Several cycles through one group of mechanisms are reported as
/// one; fixing it reveals the next.)
fn lineage_cycles(ck: &mut Checker, lineage: &[Lineage]) {
    let mut g: DiGraph<&str, usize> = DiGraph::new();
    let mut nodes = HashMap::new();
    for (i, (a, b, ..)) in lineage.iter().enumerate() {
        let na = *nodes
            .entry(a.as_str())
            .or_insert_with(|| g.add_node(a.as_str()));
        let nb = *nodes
            .entry(b.as_str())
            .or_insert_with(|| g.add_node(b.as_str()));
        g.add_edge(na, nb, i);
    }
    for scc in tarjan_scc(&g) {
        let self_loop = scc.len() == 1 && g.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let start = *scc.iter().min_by_key(|n| g[**n]).unwrap_or(&scc[0]);
        let inside: HashSet<NodeIndex> = scc.iter().copied().collect();
        // Breadth-first from the first member back to itself: the shortest
        // cycle through it, so the message names as few relations as it can.
        let mut prev: HashMap<NodeIndex, (NodeIndex, usize)> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        'search: while let Some(n) = queue.pop_front() {
            let mut edges: Vec<_> = g
                .edges(n)
                .filter(|e| inside.contains(&e.target()))
                .collect();
            edges.sort_by_key(|e| g[e.target()]);
            for e in edges {
                let t = e.target();
                if t == start {
                    prev.insert(start, (n, *e.weight()));
                    break 'search;
                }
                if let std::collections::hash_map::Entry::Vacant(v) = prev.entry(t) {
                    v.insert((n, *e.weight()));
                    queue.push_back(t);
                }
            }
        }
        let closing = prev.get(&start).map(|&(_, w)| w);
        let mut path = vec![g[start].to_string()];
        let mut cur = start;
        while let Some(&(p, _)) = prev.get(&cur) {
            path.push(g[p].to_string());
            if p == start || path.len() > scc.len() + 1 {
                break;
            }
            cur = p;
        }
        path.reverse();
        if let Some(i) = closing {
            let (_, _, file, pos, kind) = &lineage[i];
            ck.report(
                file,
                *pos,
                Problem::LineageCycle {
                    relation: kind.to_string(),
                    path,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load::{load, Diagnostic, Problem, SourceFile};

    /// Entity files checked side by side must give the problems one pass
    /// over them in file order gives, on any number of threads: the same
    /// list, a duplicate naming the first definition in file order, and a
    /// name an unread file may define reported once, at its first use.
    #[test]
    fn problems_found_file_by_file_are_the_same_on_one_thread_and_on_many() {
        let ontology = crate::builtin::FILES
            .iter()
            .find(|(rel, _)| *rel == "ontology.yaml")
            .map(|(_, text)| *text)
            .expect("the bundled data has an ontology");
        let mut files = vec![
            SourceFile::new("ontology.yaml", ontology),
            SourceFile::new("sources.yaml", "- { id: s1, title: S }\n"),
        ];
        for f in 0..40 {
            let mut text = String::new();
            for i in 0..30 {
                let n = f * 30 + i;
                // Every seventh id again, from ten files later; some kinds
                // and sources unknown, some relations to nothing.
                let id = if n % 7 == 3 && f >= 10 { n - 300 } else { n };
                let kind = if n % 11 == 5 {
                    "mechanismm"
                } else {
                    "mechanism"
                };
                let source = if n % 13 == 2 { "s2" } else { "s1" };
                let to = if n % 5 == 1 {
                    10_000 + n
                } else {
                    (n * 7) % 1200
                };
                text.push_str(&format!(
                    "- id: m-{id:04}\n  kind: {kind}\n  name: M {n}\n  \
                     sources: [{{ source: {source}, at: p. 1 }}]\n  \
                     relations:\n    - {{ type: part_of, to: m-{to:04}, sources: [{{ source: s1, at: p. 2 }}] }}\n"
                ));
            }
            files.push(SourceFile::new(format!("e{f:02}.yaml"), text));
        }
        let on = |threads: usize, files: &[SourceFile]| -> Vec<Diagnostic> {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| load(files))
                .expect_err("the data has problems")
        };
        let one = on(1, &files);
        assert_eq!(one, on(4, &files));
        let number = |f: &std::path::Path| -> usize { f.to_str().unwrap()[1..3].parse().unwrap() };
        let duplicates: Vec<(usize, usize)> = one
            .iter()
            .filter_map(|d| match &d.problem {
                Problem::DuplicateId { first, .. } => {
                    Some((number(&d.place.file), number(&first.file)))
                }
                _ => None,
            })
            .collect();
        assert!(duplicates.len() > 100, "{duplicates:?}");
        assert!(duplicates.iter().all(|(at, first)| at - first == 10));

        // A file that does not parse may define any entity: the first
        // reference to no entity is reported, naming it, and no other.
        files.push(SourceFile::new("e99.yaml", "- { id: broken\n"));
        let one = on(1, &files);
        assert_eq!(one, on(4, &files));
        let unread: Vec<&Diagnostic> = one
            .iter()
            .filter(|d| {
                matches!(
                    &d.problem,
                    Problem::Unknown {
                        unread: Some(_),
                        ..
                    }
                )
            })
            .collect();
        assert_eq!(unread.len(), 1, "{unread:?}");
        assert_eq!(unread[0].place.file.to_str(), Some("e00.yaml"));
        assert_eq!(unread[0].place.line, 12);
    }
}
