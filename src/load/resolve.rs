//! Cross-file checks: every reference resolves, every relation's ends have
//! kinds the ontology allows, every fact is cited, lineage has no cycles.
//! Only when nothing is wrong is the graph built.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;
use std::sync::Arc;

// Maps keyed by every id of a dataset: foldhash, as in the queries; the
// standard SipHash was 4% of a 1M-entity load (docs/performance.md).
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::decode::{At, RawCitation, RawEntity, RawRelation, RawSource};
use super::problem::{Diagnostic, Place, Problem};
use super::suggest::suggest;
use crate::model::entity::{Attribution, Citation, Entity, Origin, Relation, Source, Stance};
use crate::model::graph::{drain_freeing, Dataset};
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

struct Checker<'a> {
    problems: &'a mut Vec<Diagnostic>,
    incomplete: &'a [(&'static str, String)],
    /// Kinds of name already reported as possibly defined in an unread
    /// file: one such report each, since a broken `ontology.yaml` would
    /// otherwise bury its own syntax error under hundreds of them.
    unread_reported: HashSet<&'static str>,
}

impl Checker<'_> {
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
            if !self.unread_reported.insert(w) {
                return false;
            }
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

    fn citations(
        &mut self,
        file: &Path,
        raw: Vec<RawCitation>,
        sources: &Sources,
    ) -> Vec<Citation> {
        // Sized as written (a filtered `collect` would reserve room for four).
        let mut out = Vec::with_capacity(raw.len());
        for c in raw {
            if self.known(
                file,
                &c.source,
                "source",
                &c.field,
                sources.places.contains_key(&c.source.value),
                || sources.all.keys().map(Text::as_str),
            ) {
                out.push(Citation {
                    source: c.source.value,
                    at: c.at,
                    quote: c.quote,
                });
            }
        }
        out
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

/// Each record with its file, each file's vector freed once its records
/// have moved on.
fn per_file<T>(files: Vec<(Arc<Path>, Vec<T>)>) -> impl Iterator<Item = (Arc<Path>, T)> {
    files
        .into_iter()
        .flat_map(|(file, records)| records.into_iter().map(move |r| (file.clone(), r)))
}

/// Checks references and builds the dataset, or returns every problem.
pub(crate) fn resolve(d: Decoded, problems: &mut Vec<Diagnostic>) -> Option<Dataset> {
    let mut ck = Checker {
        problems,
        incomplete: &d.incomplete,
        unread_reported: HashSet::new(),
    };
    let o = &d.ontology;
    let sides = || o.sides.keys().map(Text::as_str);
    let side_ok = |s: &At<Text>| o.sides.contains_key(s.value.as_str());

    // Sources.
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

    // Entities: ids first, so relations anywhere can refer to any of them.
    let mut kinds_by_id: HashMap<Text, Text> = HashMap::new();
    // Where each id was defined, as the file shared by its origins and a
    // position: a `Place` holds a copy of the path, one allocation per
    // entity, and is made only for a problem reported.
    let mut entity_places: HashMap<Text, (Arc<Path>, super::yaml::Pos)> = HashMap::new();
    let mut entities = Vec::with_capacity(d.entities.iter().map(|(_, es)| es.len()).sum());
    for (file, raw) in per_file(d.entities) {
        let kind_ok = raw.kind.as_ref().is_some_and(|kind| {
            ck.known(
                &file,
                kind,
                "kind",
                "kind",
                o.kinds.contains_key(kind.value.as_str()),
                || o.kinds.keys().map(Text::as_str),
            )
        });
        // A duplicate is reported, still checked field by field below, and
        // left out of the graph.
        let duplicate = entity_places
            .get(&raw.id.value)
            .map(|(f, pos)| Place::new(f, *pos));
        if let Some(first) = &duplicate {
            ck.report(
                &file,
                raw.id.pos,
                Problem::DuplicateId {
                    what: "entity".into(),
                    id: raw.id.value.to_string(),
                    first: first.clone(),
                },
            );
        } else {
            entity_places.insert(raw.id.value.clone(), (file.clone(), raw.id.pos));
            if let (true, Some(kind)) = (kind_ok, &raw.kind) {
                kinds_by_id.insert(raw.id.value.clone(), kind.value.clone());
            }
        }
        entities.push((file, raw, duplicate.is_some()));
    }

    let mut model_entities = Vec::with_capacity(entities.len());
    for (file, raw, duplicate) in drain_freeing(entities) {
        if let Some(side) = &raw.side {
            ck.known(&file, side, "side", "side", side_ok(side), sides);
        }
        if let Some(status) = &raw.status {
            let known = ck.known(
                &file,
                status,
                "status",
                "status",
                o.statuses.contains_key(status.value.as_str()),
                || o.statuses.keys().map(Text::as_str),
            );
            if known {
                status_agrees_with_date(&mut ck, &file, status, raw.date.as_ref(), o);
            }
        }
        let mut attribution = |c: super::decode::RawAttribution, field: &str| {
            ck.known(
                &file,
                &c.claimed_by,
                "entity",
                format_args!("{field}.claimed_by"),
                entity_places.contains_key(&c.claimed_by.value),
                || entity_places.keys().map(Text::as_str),
            );
            Attribution {
                claimed_by: c.claimed_by.value,
                stance: c.stance,
                sources: ck.citations(&file, c.sources, &sources),
            }
        };
        let status_claim = raw.status_claim.map(|c| attribution(c, "status"));
        let date_claim = raw.date_claim.map(|c| attribution(c, "date"));
        if let Some(src) = &raw.source {
            ck.known(
                &file,
                src,
                "source",
                "source",
                sources.places.contains_key(&src.value),
                || sources.all.keys().map(Text::as_str),
            );
        }
        let citations = ck.citations(&file, raw.sources, &sources);
        if duplicate {
            continue;
        }
        model_entities.push(Entity {
            kind: raw.kind.map(|k| k.value).unwrap_or_default(),
            name: raw.name,
            short: raw.short,
            names: raw.names,
            aliases: raw.aliases,
            side: raw.side.map(|s| s.value),
            date: raw.date.map(|d| d.value),
            date_claim,
            status: raw.status.map(|s| s.value),
            status_claim,
            place: raw.place,
            source: raw.source.map(|s| s.value),
            summary: raw.summary,
            sources: citations,
            origin: Origin {
                file: file.clone(),
                line: raw.pos.line,
            },
            id: raw.id.value,
        });
    }

    // Relations.
    let ids = || entity_places.keys().map(Text::as_str);
    let mut model_relations = Vec::with_capacity(d.relations.iter().map(|(_, rs)| rs.len()).sum());
    let mut lineage: Vec<(Text, Text, Arc<Path>, super::yaml::Pos, Text)> = Vec::new();
    for (file, raw) in per_file(d.relations) {
        let path = &raw.path;
        let type_ok = ck.known(
            &file,
            &raw.kind,
            "relation type",
            format_args!("{path}.type"),
            o.relations.contains_key(raw.kind.value.as_str()),
            || o.relations.keys().map(Text::as_str),
        );
        // An inline relation's `from` is its entity, known to exist.
        let known = |id: &At<Text>| entity_places.contains_key(&id.value);
        let from_ok = ck.known(
            &file,
            &raw.from,
            "entity",
            format_args!("{path}.from"),
            known(&raw.from),
            ids,
        );
        let to_ok = ck.known(
            &file,
            &raw.to,
            "entity",
            format_args!("{path}.to"),
            known(&raw.to),
            ids,
        );
        if let Some(c) = &raw.claimed_by {
            ck.known(
                &file,
                c,
                "entity",
                format_args!("{path}.claimed_by"),
                known(c),
                ids,
            );
        }
        if raw.stance.value != Stance::Record && raw.claimed_by.is_none() {
            ck.report(
                &file,
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
                        &file,
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
            for (end, from, verb) in [(&raw.from, true, "come from"), (&raw.to, false, "point to")]
            {
                let Some(kind) = kinds_by_id.get(&end.value) else {
                    continue;
                };
                if !def.allows(kind, from) {
                    let allowed = if from { &def.from } else { &def.to };
                    ck.report(
                        &file,
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
        let citations = ck.citations(&file, raw.sources, &sources);
        model_relations.push((
            raw.from.value,
            raw.to.value,
            Relation {
                kind: raw.kind.value,
                role: raw.role.map(|r| r.value),
                date: raw.date.map(|d| d.value),
                summary: raw.summary,
                sources: citations,
                claimed_by: raw.claimed_by.map(|c| c.value),
                stance: raw.stance.value,
                origin: Origin {
                    file,
                    line: raw.pos.line,
                },
            },
        ));
    }

    lineage_cycles(&mut ck, &lineage);

    if !ck.problems.is_empty() {
        return None;
    }
    Some(Dataset::build(
        d.ontology,
        sources.all,
        model_entities,
        model_relations,
    ))
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
fn lineage_cycles(ck: &mut Checker, lineage: &[(Text, Text, Arc<Path>, super::yaml::Pos, Text)]) {
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
