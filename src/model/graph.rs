//! The loaded dataset: an immutable petgraph `DiGraph` of entities and
//! relations, built once, with an id → index map.
//!
//! Each relation is stored once, in the direction it was written; inverse
//! labels ("succeeded by", "has session") are derived from the ontology when
//! an answer is shown, never stored as a second edge.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};

use super::entity::{Entity, Relation, Source};
use super::folded::{Folded, Lazy};
use super::ontology::Ontology;

/// A checked dataset, ready to query.
#[derive(Debug, Clone)]
pub struct Dataset {
    ontology: Ontology,
    sources: BTreeMap<String, Source>,
    graph: DiGraph<Entity, Relation>,
    index: HashMap<String, NodeIndex>,
    /// The document entities standing for each source of sources.yaml
    /// (those with `source: ID`), by source id, in id order: built with
    /// the graph so that a citation finds its documents without a scan.
    documents: HashMap<String, Vec<NodeIndex>>,
    /// Sources formatted in a citation style, by id, replacing
    /// [`Source::reference`] in answers (`--cite-style`); empty by default.
    references: BTreeMap<String, String>,
    /// The folded text `search` looks through, built on the first search.
    folded: Lazy,
}

/// A dataset as written to a binary copy (see `load::cache`).
#[derive(Serialize)]
pub(crate) struct Parts<'a> {
    ontology: &'a Ontology,
    sources: &'a BTreeMap<String, Source>,
    entities: Vec<&'a Entity>,
    relations: Vec<(u32, u32, &'a Relation)>,
}

/// A dataset as read back from a binary copy: the same fields as [`Parts`],
/// owned.
#[derive(Deserialize)]
pub(crate) struct OwnedParts {
    ontology: Ontology,
    sources: BTreeMap<String, Source>,
    entities: Vec<Entity>,
    relations: Vec<(u32, u32, Relation)>,
}

/// A relation seen from one of its ends.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    /// The relation.
    pub relation: &'a Relation,
    /// The entity at the other end.
    pub other: &'a Entity,
    /// True when the relation was written from this entity to `other`.
    pub outgoing: bool,
    /// The edge, for graph algorithms.
    pub edge: EdgeIndex,
}

impl Dataset {
    /// Builds the graph. The caller has checked that every relation's ends
    /// exist; entities are inserted in id order so indices are stable.
    pub(crate) fn build(
        ontology: Ontology,
        sources: BTreeMap<String, Source>,
        mut entities: Vec<Entity>,
        relations: Vec<(String, String, Relation)>,
    ) -> Dataset {
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        let mut graph = DiGraph::with_capacity(entities.len(), relations.len());
        let mut index = HashMap::with_capacity(entities.len());
        for e in entities {
            let id = e.id.clone();
            index.insert(id, graph.add_node(e));
        }
        for (from, to, rel) in relations {
            if let (Some(&a), Some(&b)) = (index.get(&from), index.get(&to)) {
                graph.add_edge(a, b, rel);
            }
        }
        Dataset {
            ontology,
            sources,
            documents: documents(&graph),
            graph,
            index,
            references: BTreeMap::new(),
            folded: Lazy::default(),
        }
    }

    /// The parts a binary copy is made of: the ontology, the sources, the
    /// entities in id order, and each relation as the positions of its
    /// ends in that order.
    pub(crate) fn parts(&self) -> Parts<'_> {
        Parts {
            ontology: &self.ontology,
            sources: &self.sources,
            entities: self.graph.node_weights().collect(),
            relations: self
                .graph
                .edge_references()
                .map(|e| {
                    (
                        e.source().index() as u32,
                        e.target().index() as u32,
                        e.weight(),
                    )
                })
                .collect(),
        }
    }

    /// The dataset [`Dataset::parts`] describes, or `None` if the parts do
    /// not make one (entities out of order or repeated, a relation's end
    /// out of range): a copy read back is checked, never trusted.
    pub(crate) fn from_parts(parts: OwnedParts) -> Option<Dataset> {
        let OwnedParts {
            ontology,
            sources,
            entities,
            relations,
        } = parts;
        if !entities.windows(2).all(|w| w[0].id < w[1].id)
            || !sources.iter().all(|(id, s)| *id == s.id)
        {
            return None;
        }
        let n = entities.len();
        let mut graph = DiGraph::with_capacity(n, relations.len());
        let mut index = HashMap::with_capacity(n);
        for e in entities {
            let id = e.id.clone();
            index.insert(id, graph.add_node(e));
        }
        for (from, to, rel) in relations {
            let (a, b) = (from as usize, to as usize);
            if a >= n || b >= n {
                return None;
            }
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), rel);
        }
        Some(Dataset {
            ontology,
            sources,
            documents: documents(&graph),
            graph,
            index,
            references: BTreeMap::new(),
            folded: Lazy::default(),
        })
    }

    /// The vocabulary the data was checked against.
    pub fn ontology(&self) -> &Ontology {
        &self.ontology
    }

    /// All sources, by id.
    pub fn sources(&self) -> &BTreeMap<String, Source> {
        &self.sources
    }

    /// One source.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id)
    }

    /// How answers print a source: in the citation style given by
    /// [`Dataset::with_references`], else [`Source::reference`].
    pub fn reference(&self, id: &str) -> Option<String> {
        match self.references.get(id) {
            Some(r) => Some(r.clone()),
            None => self.sources.get(id).map(Source::reference),
        }
    }

    /// The same dataset, its answers printing sources as `references`
    /// gives them (by source id): the formatted references of a citation
    /// style.
    pub fn with_references(mut self, references: BTreeMap<String, String>) -> Dataset {
        self.references = references;
        self
    }

    /// One entity.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.index.get(id).map(|&i| &self.graph[i])
    }

    /// All entities, in id order.
    pub fn entities(&self) -> impl Iterator<Item = &Entity> {
        // Nodes were inserted in id order and the graph is never mutated.
        self.graph.node_weights()
    }

    /// All relations as (from, to, relation), in the order written.
    pub fn relations(&self) -> impl Iterator<Item = (&Entity, &Entity, &Relation)> {
        self.graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
    }

    /// The document entities standing for source `id` of sources.yaml
    /// (those with `source: ID`), in id order.
    pub(crate) fn documents(&self, id: &str) -> impl Iterator<Item = &Entity> {
        self.documents
            .get(id)
            .into_iter()
            .flatten()
            .map(|&n| &self.graph[n])
    }

    /// Every relation touching `id`, outgoing first, each in the order written.
    pub fn links(&self, id: &str) -> Vec<Link<'_>> {
        let Some(&n) = self.index.get(id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (dir, outgoing) in [(Direction::Outgoing, true), (Direction::Incoming, false)] {
            let mut edges: Vec<_> = self.graph.edges_directed(n, dir).collect();
            edges.sort_by_key(|e| e.id());
            for e in edges {
                let other = if outgoing { e.target() } else { e.source() };
                out.push(Link {
                    relation: e.weight(),
                    other: &self.graph[other],
                    outgoing,
                    edge: e.id(),
                });
            }
        }
        out
    }

    /// A copy keeping every entity but only the relations `keep` accepts:
    /// the basis of views such as "as claimed by".
    pub fn keep_relations(&self, keep: impl Fn(&Relation) -> bool) -> Dataset {
        let mut graph = self.graph.clone();
        graph.retain_edges(|g, e| keep(&g[e]));
        Dataset {
            ontology: self.ontology.clone(),
            sources: self.sources.clone(),
            graph,
            index: self.index.clone(),
            documents: self.documents.clone(),
            references: self.references.clone(),
            folded: Lazy::default(),
        }
    }

    /// Removes every status and date that rests on a claim `drop` picks:
    /// the entity stays, without that status or date. Used with
    /// [`Dataset::keep_relations`] for views such as "as claimed by".
    pub fn drop_attributed(&mut self, drop: impl Fn(&super::entity::Attribution) -> bool) {
        for e in self.graph.node_weights_mut() {
            if e.status_claim.as_ref().is_some_and(&drop) {
                e.status = None;
                e.status_claim = None;
            }
            if e.date_claim.as_ref().is_some_and(&drop) {
                e.date = None;
                e.date_claim = None;
            }
        }
    }

    /// A copy keeping only the entities `keep_entity` accepts, the
    /// relations between them that `keep_relation` accepts, and the sources
    /// these cite (see [`Dataset::cited_sources_only`]): the basis of
    /// filtered exports. The ontology is kept whole, and so are the
    /// formatted references ([`Dataset::with_references`]) of the sources
    /// kept. Only what is kept is copied.
    pub fn subset(
        &self,
        keep_entity: impl Fn(&Entity) -> bool,
        keep_relation: impl Fn(&Entity, &Entity, &Relation) -> bool,
    ) -> Dataset {
        let entities: Vec<Entity> = self
            .entities()
            .filter(|e| keep_entity(e))
            .cloned()
            .collect();
        let relations = self
            .relations()
            .filter(|(a, b, r)| keep_entity(a) && keep_entity(b) && keep_relation(a, b, r))
            .map(|(a, b, r)| (a.id.clone(), b.id.clone(), r.clone()))
            .collect();
        let mut part = Dataset::build(self.ontology.clone(), BTreeMap::new(), entities, relations);
        let (sources, references) = {
            let cited = cited(&part.graph);
            let sources = cited
                .iter()
                .filter_map(|id| self.sources.get_key_value(*id))
                .map(|(id, s)| (id.clone(), s.clone()))
                .collect();
            let references = cited
                .iter()
                .filter_map(|id| self.references.get_key_value(*id))
                .map(|(id, r)| (id.clone(), r.clone()))
                .collect();
            (sources, references)
        };
        part.sources = sources;
        part.references = references;
        part
    }

    /// The same dataset with only the sources something in it cites: an
    /// entity's or relation's citations, those of a claimed date or status,
    /// a document's own record. What a filtered export's bibliography
    /// holds: the part it selected, and every source that part rests on.
    /// Takes the dataset and drops the other sources from it, so nothing
    /// is copied.
    pub fn cited_sources_only(mut self) -> Dataset {
        let cited = cited(&self.graph);
        self.sources.retain(|id, _| cited.contains(id.as_str()));
        self.references.retain(|id, _| cited.contains(id.as_str()));
        self
    }

    /// Whether an entity never existed: its status is one the ontology
    /// marks `hypothetical` (a proposal). Such an entity has no time of
    /// existence, so no query may treat it as present at any date.
    pub fn never_existed(&self, e: &Entity) -> bool {
        e.status
            .as_ref()
            .and_then(|s| self.ontology.statuses.get(s))
            .is_some_and(|s| s.hypothetical)
    }

    /// The petgraph graph, for algorithms.
    pub(crate) fn graph(&self) -> &DiGraph<Entity, Relation> {
        &self.graph
    }

    /// Every searchable text, folded: built on the first call, kept for
    /// the next.
    pub(crate) fn folded(&self) -> &Folded {
        self.folded.get(&self.graph)
    }

    /// The node index of an entity.
    pub(crate) fn node(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }
}

/// The ids of the sources something in `graph` cites: an entity's or
/// relation's citations, those of a claimed date or status, a document's
/// own record.
fn cited(graph: &DiGraph<Entity, Relation>) -> BTreeSet<&str> {
    let mut cited = BTreeSet::new();
    for e in graph.node_weights() {
        let claims = [&e.date_claim, &e.status_claim].into_iter().flatten();
        cited.extend(
            e.sources
                .iter()
                .chain(claims.flat_map(|a| &a.sources))
                .map(|c| c.source.as_str()),
        );
        cited.extend(e.source.as_deref());
    }
    for r in graph.edge_weights() {
        cited.extend(r.sources.iter().map(|c| c.source.as_str()));
    }
    cited
}

/// The index behind [`Dataset::documents`]: nodes are in id order, so each
/// list is too.
fn documents(graph: &DiGraph<Entity, Relation>) -> HashMap<String, Vec<NodeIndex>> {
    let mut out: HashMap<String, Vec<NodeIndex>> = HashMap::new();
    for n in graph.node_indices() {
        if let Some(s) = &graph[n].source {
            out.entry(s.clone()).or_default().push(n);
        }
    }
    out
}
