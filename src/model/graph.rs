//! The loaded dataset: an immutable petgraph `DiGraph` of entities and
//! relations, built once, its nodes in id order (so an id is found by a
//! binary search, with no map of copied ids beside the graph).
//!
//! Each relation is stored once, in the direction it was written; inverse
//! labels ("succeeded by", "has session") are derived from the ontology when
//! an answer is shown, never stored as a second edge.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::de::{DeserializeSeed, Error as _, SeqAccess, Visitor};
use serde::Serialize;

use super::adjacency::{Adjacency, LazyAdjacency};
use super::cited::{Chrono, Cited};
use super::entity::{Entity, Relation, Source};
use super::folded::{Folded, Lazy};
use super::kept::Kept;
use super::ontology::Ontology;
use super::small::Text;

/// A checked dataset, ready to query.
#[derive(Debug, Clone)]
pub struct Dataset {
    ontology: Ontology,
    sources: BTreeMap<Text, Source>,
    /// Nodes in id order, always: [`Dataset::node`] searches them.
    graph: DiGraph<Entity, Relation>,
    /// The document entities standing for a source of sources.yaml (those
    /// with `source: ID`), ordered by that source id, then by id: built
    /// with the graph so that a citation finds its documents without a
    /// scan, and without a copy of each source id.
    documents: Vec<NodeIndex>,
    /// Sources formatted in a citation style, by id, replacing
    /// [`Source::reference`] in answers (`--cite-style`); empty by default.
    references: BTreeMap<String, String>,
    /// The folded text `search` looks through, built on the first search.
    folded: Lazy,
    /// Each entity's relations both ways, side by side, built on the
    /// first question that walks the graph.
    adjacency: LazyAdjacency,
    /// Every distinct citation numbered, and each entity's and relation's
    /// citations by those numbers, built on the first timeline of the
    /// whole dataset or of a wide part of it.
    cited: Kept<Cited>,
    /// Every dated entity and relation in timeline order, built with
    /// [`Dataset::cited`]'s table.
    chrono: Kept<Chrono>,
    /// Each source's reference as answers print it, formatted when first
    /// asked for ([`Dataset::reference_str`]) and kept.
    formatted: Kept<Formatted>,
}

/// A cell for each source's formatted reference, by source id.
type Formatted = foldhash::HashMap<Text, std::sync::OnceLock<String>>;

/// A dataset as written to a binary copy (see `load::cache`).
pub(crate) struct Parts<'a> {
    ontology: &'a Ontology,
    sources: &'a BTreeMap<Text, Source>,
    graph: &'a DiGraph<Entity, Relation>,
}

/// How many entities, or relations, one frame of a copy holds: a copy is
/// read a frame at a time, never whole (at 100k entities the whole copy is
/// 80 MB, which a reader holding it pays for in memory and in fresh
/// pages), and a large one is decoded a few frames at a time on every
/// core ([`OwnedParts::read_parallel`]): frames of 4,096 entities held
/// 5 MB more at the peak in flight, and shared the work out more coarsely.
/// A reader takes frames of any size.
const FRAME: usize = 1024;

impl Parts<'_> {
    /// The copy's frames, each as its length (four bytes, little-endian)
    /// and its postcard bytes, appended to `out`: the head (the ontology,
    /// the sources, and how many entities and relations follow), then the
    /// entities in id order and each relation as the positions of its ends
    /// in that order with its data, [`FRAME`] at a time.
    pub(crate) fn write_frames(&self, out: &mut Vec<u8>) {
        self.write_frames_of(out, FRAME);
    }

    /// [`Parts::write_frames`] with `per` entities, or relations, a frame.
    pub(crate) fn write_frames_of(&self, out: &mut Vec<u8>, per: usize) {
        fn frame(out: &mut Vec<u8>, value: &impl Serialize) {
            let at = out.len();
            out.extend_from_slice(&[0; 4]);
            let taken = std::mem::take(out);
            *out = postcard::to_extend(value, taken).expect("a value in memory always serialises");
            let len = u32::try_from(out.len() - at - 4).expect("a frame under 4 GB");
            out[at..at + 4].copy_from_slice(&len.to_le_bytes());
        }
        let g = self.graph;
        let head = (
            self.ontology,
            self.sources,
            g.node_count() as u64,
            g.edge_count() as u64,
        );
        frame(out, &head);
        for chunk in g.raw_nodes().chunks(per) {
            let entities: Vec<&Entity> = chunk.iter().map(|n| &n.weight).collect();
            frame(out, &entities);
        }
        for chunk in g.raw_edges().chunks(per) {
            let relations: Vec<(u32, u32, &Relation)> = chunk
                .iter()
                .map(|e| {
                    (
                        e.source().index() as u32,
                        e.target().index() as u32,
                        &e.weight,
                    )
                })
                .collect();
            frame(out, &relations);
        }
    }
}

/// Relations added to the graph at a time when a copy is read (see
/// [`Edges`]).
const BATCH: usize = 64;

/// A frame of entities, added to the graph as they are decoded: no more
/// in all than `n`.
struct Nodes<'g> {
    graph: &'g mut DiGraph<Entity, Relation>,
    n: usize,
}

impl<'de> DeserializeSeed<'de> for Nodes<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Nodes<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("entities")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(e) = seq.next_element::<Entity>()? {
            if self.graph.node_count() == self.n {
                return Err(A::Error::custom("more entities than the copy says"));
            }
            if let Some(last) = self.graph.raw_nodes().last() {
                if last.weight.id >= e.id {
                    return Err(A::Error::custom("entities out of order"));
                }
            }
            self.graph.add_node(e);
        }
        Ok(())
    }
}

/// A frame of relations, added to the graph [`BATCH`] at a time: each
/// `add_edge` reads and writes both ends' nodes, two records of hundreds
/// of bytes far apart in a large graph, a cache miss each; touching the
/// ends of a whole batch first lets the processor fetch them side by side
/// rather than one after the other (a tenth of a warm query at 100k
/// entities went to these misses). No more in all than `m`; a relation
/// whose end is out of range fails the read.
struct Edges<'g> {
    graph: &'g mut DiGraph<Entity, Relation>,
    m: usize,
    batch: &'g mut Vec<(NodeIndex, NodeIndex, Relation)>,
}

impl Edges<'_> {
    fn flush(&mut self) {
        touch_ends(self.graph, self.batch);
        for (a, b, r) in self.batch.drain(..) {
            self.graph.add_edge(a, b, r);
        }
    }
}

/// Reads the node records at both ends of every relation of `batch`, about
/// to be added to `graph`, so the processor fetches them side by side
/// before `add_edge` needs them one after the other ([`Edges`]).
fn touch_ends(graph: &DiGraph<Entity, Relation>, batch: &[(NodeIndex, NodeIndex, Relation)]) {
    let nodes = graph.raw_nodes();
    let touched = batch.iter().fold(0, |t, (a, b, _)| {
        t ^ nodes[a.index()].next_edge(Direction::Outgoing).index()
            ^ nodes[b.index()].next_edge(Direction::Incoming).index()
    });
    std::hint::black_box(touched);
}

impl<'de> DeserializeSeed<'de> for Edges<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Edges<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("relations")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let n = self.graph.node_count();
        while let Some((a, b, r)) = seq.next_element::<(u32, u32, Relation)>()? {
            let (a, b) = (a as usize, b as usize);
            if a >= n || b >= n {
                return Err(A::Error::custom("a relation's end is out of range"));
            }
            if self.graph.edge_count() + self.batch.len() == self.m {
                return Err(A::Error::custom("more relations than the copy says"));
            }
            self.batch.push((NodeIndex::new(a), NodeIndex::new(b), r));
            if self.batch.len() == BATCH {
                self.flush();
            }
        }
        self.flush();
        Ok(())
    }
}

/// Where the frames of a copy come from, one after the other.
pub(crate) trait Frames {
    /// The next frame's bytes, or `None` when there is none (or it cannot
    /// be read); decoded before the next is asked for.
    fn next_frame(&mut self) -> Option<&[u8]>;

    /// The next frame's bytes in `buf` (what it held replaced), or `None`
    /// as [`Frames::next_frame`]: for a frame decoded while the next ones
    /// are read ([`OwnedParts::read_parallel`]).
    fn next_frame_into(&mut self, buf: &mut Vec<u8>) -> Option<()>;
}

/// What a frame read by [`OwnedParts::read_parallel`] holds, decoded on
/// its own: entities in id order, or relations whose ends are in range.
enum Decoded {
    Entities(Vec<Entity>),
    Relations(Vec<(NodeIndex, NodeIndex, Relation)>),
}

/// What the frames read so far say is coming: each frame begins with the
/// number of entities or relations it holds (postcard writes a sequence's
/// length first), so the reader knows which a frame holds before it is
/// decoded. Entities come first, until the head's count of them is
/// reached, then relations until theirs is.
struct Announced {
    n: usize,
    m: usize,
    entities: usize,
    relations: usize,
}

impl Announced {
    fn done(&self) -> bool {
        self.entities == self.n && self.relations == self.m
    }

    /// Whether `frame` holds entities (else relations) and how many, if it
    /// holds at least one and no more than are still to come.
    fn take(&mut self, frame: &[u8]) -> Option<(bool, usize)> {
        let (count, _) = postcard::take_from_bytes::<u64>(frame).ok()?;
        let count = usize::try_from(count).ok().filter(|&c| c > 0)?;
        if self.entities < self.n {
            self.entities += count;
            (self.entities <= self.n).then_some((true, count))
        } else {
            self.relations += count;
            (self.relations <= self.m).then_some((false, count))
        }
    }
}

/// A sequence of `len` values (no more), room made for them at once (but
/// never for more than the frame could hold, one byte each at least, nor
/// for more than four frames of today's size: a value takes hundreds of
/// bytes in memory, and the count is read before the copy's seal is
/// checked, so a spoilt count could otherwise ask for gigabytes).
struct Exactly<T> {
    len: usize,
    room: usize,
    item: std::marker::PhantomData<T>,
}

impl<'de, T: serde::Deserialize<'de>> DeserializeSeed<'de> for Exactly<T> {
    type Value = Vec<T>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: serde::Deserialize<'de>> Visitor<'de> for Exactly<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} values", self.len)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(self.len.min(self.room).min(4 * FRAME));
        while let Some(v) = seq.next_element::<T>()? {
            out.push(v);
        }
        if out.len() != self.len {
            return Err(A::Error::custom("not the number of values announced"));
        }
        Ok(out)
    }
}

/// The frame `bytes`, announced as `count` entities (else relations) of a
/// dataset of `n` entities, decoded whole, or `None` if it does not decode
/// to that, leaves bytes over, has entities out of order or repeated, or a
/// relation's end out of range.
fn decode_frame(bytes: &[u8], entities: bool, count: usize, n: usize) -> Option<Decoded> {
    fn whole<'de, T: serde::Deserialize<'de>>(bytes: &'de [u8], len: usize) -> Option<Vec<T>> {
        let mut d = postcard::Deserializer::from_bytes(bytes);
        let seed = Exactly {
            len,
            room: bytes.len(),
            item: std::marker::PhantomData,
        };
        let v = seed.deserialize(&mut d).ok()?;
        d.finalize().ok().filter(|rest| rest.is_empty())?;
        Some(v)
    }
    if entities {
        let es: Vec<Entity> = whole(bytes, count)?;
        es.windows(2)
            .all(|w| w[0].id < w[1].id)
            .then_some(Decoded::Entities(es))
    } else {
        let rs: Vec<(u32, u32, Relation)> = whole(bytes, count)?;
        let in_range = |i: u32| (i as usize) < n;
        if !rs.iter().all(|(a, b, _)| in_range(*a) && in_range(*b)) {
            return None;
        }
        Some(Decoded::Relations(
            rs.into_iter()
                .map(|(a, b, r)| (NodeIndex::new(a as usize), NodeIndex::new(b as usize), r))
                .collect(),
        ))
    }
}

/// Adds decoded frames to `graph`, in order: entities after the last one
/// there (or `None` if one is not after it: out of order or repeated),
/// relations [`BATCH`] at a time, the ends of each batch touched first
/// (see [`Edges`]).
fn add_frames(graph: &mut DiGraph<Entity, Relation>, frames: Vec<Decoded>) -> Option<()> {
    for frame in frames {
        match frame {
            Decoded::Entities(es) => {
                let last = graph.raw_nodes().last().map(|l| &l.weight.id);
                if last.zip(es.first()).is_some_and(|(l, f)| *l >= f.id) {
                    return None;
                }
                for e in es {
                    graph.add_node(e);
                }
            }
            Decoded::Relations(rs) => {
                let mut rs = rs.into_iter();
                loop {
                    let next = rs.as_slice();
                    if next.is_empty() {
                        break;
                    }
                    touch_ends(graph, &next[..next.len().min(BATCH)]);
                    for (a, b, r) in rs.by_ref().take(BATCH) {
                        graph.add_edge(a, b, r);
                    }
                }
            }
        }
    }
    Some(())
}

/// A dataset as read back from a binary copy: the parts of [`Parts`], its
/// entities and relations read straight into the graph frame by frame,
/// with no vector of them all beside it (at 100k entities, over a hundred
/// megabytes held and copied once more).
pub(crate) struct OwnedParts {
    ontology: Ontology,
    sources: BTreeMap<Text, Source>,
    graph: DiGraph<Entity, Relation>,
}

/// What the first frame of a copy holds: the ontology, the sources, and
/// how many entities and relations follow, with an empty graph for them.
type Head = (
    Ontology,
    BTreeMap<Text, Source>,
    usize,
    usize,
    DiGraph<Entity, Relation>,
);

impl OwnedParts {
    /// The first frame of `frames` ([`Head`]), the graph's room reserved
    /// for what it says is coming, up to a bound: a corrupt count must not
    /// reserve the machine's memory.
    fn head(frames: &mut dyn Frames) -> Option<Head> {
        const AHEAD: usize = 1 << 20;
        let (ontology, sources, n, m): (Ontology, BTreeMap<Text, Source>, u64, u64) =
            postcard::from_bytes(frames.next_frame()?).ok()?;
        let (n, m) = (usize::try_from(n).ok()?, usize::try_from(m).ok()?);
        let graph = DiGraph::with_capacity(n.min(AHEAD), m.min(AHEAD));
        Some((ontology, sources, n, m, graph))
    }

    /// The parts in `frames` ([`Parts::write_frames`]), or `None` if they
    /// are not there, do not decode, hold more or fewer entities or
    /// relations than the head says, or a relation's end is out of range.
    /// Whether the frames are the copy's own (its checksum) is for the
    /// caller to check once they are read.
    pub(crate) fn read(frames: &mut dyn Frames) -> Option<OwnedParts> {
        let (ontology, sources, n, m, mut graph) = Self::head(frames)?;
        // Each frame read straight into the graph: no vector of its
        // entities or relations is made and dropped.
        while graph.node_count() < n {
            let before = graph.node_count();
            let mut d = postcard::Deserializer::from_bytes(frames.next_frame()?);
            Nodes {
                graph: &mut graph,
                n,
            }
            .deserialize(&mut d)
            .ok()?;
            d.finalize().ok().filter(|rest| rest.is_empty())?;
            if graph.node_count() == before {
                return None;
            }
        }
        let mut batch = Vec::with_capacity(BATCH);
        while graph.edge_count() < m {
            let before = graph.edge_count();
            let mut d = postcard::Deserializer::from_bytes(frames.next_frame()?);
            Edges {
                graph: &mut graph,
                m,
                batch: &mut batch,
            }
            .deserialize(&mut d)
            .ok()?;
            d.finalize().ok().filter(|rest| rest.is_empty())?;
            if graph.edge_count() == before {
                return None;
            }
        }
        Some(OwnedParts {
            ontology,
            sources,
            graph,
        })
    }

    /// [`OwnedParts::read`] on every core: the frames are read (and hashed,
    /// by `frames`) a round at a time, one frame a thread, and decoded each
    /// on its own, while the round decoded before is added to the graph,
    /// in order. What is read and refused is the same as
    /// [`OwnedParts::read`]'s; in memory it holds, beyond the graph, the
    /// frames of two rounds (one decoding, one being added). Stops, giving
    /// `None`, at the first round after `stop` is set.
    pub(crate) fn read_parallel(
        frames: &mut (dyn Frames + Send),
        stop: &std::sync::atomic::AtomicBool,
    ) -> Option<OwnedParts> {
        use rayon::prelude::*;
        let (ontology, sources, n, m, mut graph) = Self::head(frames)?;
        let round = rayon::current_num_threads().max(1);
        let mut announced = Announced {
            n,
            m,
            entities: 0,
            relations: 0,
        };
        // Frames' buffers, given back once decoded, for the next frames.
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let mut decoded: Vec<Decoded> = Vec::new();
        loop {
            let ready = std::mem::take(&mut decoded);
            let (added, next) = rayon::join(
                || add_frames(&mut graph, ready),
                || {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        return None;
                    }
                    let mut read = Vec::with_capacity(round);
                    while read.len() < round && !announced.done() {
                        let mut buf = spare.pop().unwrap_or_default();
                        frames.next_frame_into(&mut buf)?;
                        let (entities, count) = announced.take(&buf)?;
                        read.push((entities, count, buf));
                    }
                    let out: Vec<Option<(Decoded, Vec<u8>)>> = read
                        .into_par_iter()
                        .map(|(entities, count, buf)| {
                            Some((decode_frame(&buf, entities, count, n)?, buf))
                        })
                        .collect();
                    let mut next = Vec::with_capacity(out.len());
                    for frame in out {
                        let (frame, buf) = frame?;
                        spare.push(buf);
                        next.push(frame);
                    }
                    Some(next)
                },
            );
            added?;
            decoded = next?;
            if decoded.is_empty() {
                break;
            }
        }
        if graph.node_count() != n || graph.edge_count() != m {
            return None;
        }
        Some(OwnedParts {
            ontology,
            sources,
            graph,
        })
    }
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
}

impl Dataset {
    /// Builds the graph (for a part of a dataset already loaded; the
    /// loader builds its own, see `load::resolve`). Every relation's ends
    /// exist; entities are inserted in id order so indices are stable.
    pub(crate) fn build(
        ontology: Ontology,
        sources: BTreeMap<Text, Source>,
        mut entities: Vec<Entity>,
        relations: Vec<(Text, Text, Relation)>,
    ) -> Dataset {
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        let mut graph = DiGraph::with_capacity(entities.len(), relations.len());
        for e in drain_freeing(entities) {
            graph.add_node(e);
        }
        // The ends of every relation, found through a map made for the
        // purpose: a binary search per end (two cache misses a step, twenty
        // steps at 1M entities) took most of a 1M load.
        let ends: Vec<Option<(NodeIndex, NodeIndex)>> = {
            let index: foldhash::HashMap<&str, NodeIndex> = graph
                .node_indices()
                .map(|n| (graph[n].id.as_str(), n))
                .collect();
            relations
                .iter()
                .map(|(from, to, _)| Some((*index.get(from.as_str())?, *index.get(to.as_str())?)))
                .collect()
        };
        for ((_, _, rel), ends) in drain_freeing(relations).zip(ends) {
            if let Some((a, b)) = ends {
                graph.add_edge(a, b, rel);
            }
        }
        Dataset::from_graph(ontology, sources, graph)
    }

    /// The dataset of a graph whose nodes are in id order, each id once
    /// (the loader sorts them so, and checks every relation's ends).
    pub(crate) fn from_graph(
        ontology: Ontology,
        sources: BTreeMap<Text, Source>,
        graph: DiGraph<Entity, Relation>,
    ) -> Dataset {
        debug_assert!(graph
            .raw_nodes()
            .windows(2)
            .all(|w| w[0].weight.id < w[1].weight.id));
        Dataset {
            ontology,
            sources,
            documents: documents(&graph),
            graph,
            references: BTreeMap::new(),
            folded: Lazy::default(),
            adjacency: LazyAdjacency::default(),
            cited: Kept::default(),
            chrono: Kept::default(),
            formatted: Kept::default(),
        }
    }

    /// The parts a binary copy is made of: the ontology, the sources, the
    /// entities in id order, and each relation as the positions of its
    /// ends in that order.
    pub(crate) fn parts(&self) -> Parts<'_> {
        Parts {
            ontology: &self.ontology,
            sources: &self.sources,
            graph: &self.graph,
        }
    }

    /// The dataset [`Dataset::parts`] describes, or `None` if the parts do
    /// not make one (a source filed under another id): a copy read back is
    /// checked, never trusted. Entities out of order or repeated and
    /// relations' ends out of range are refused by the readers, frame by
    /// frame, before the parts are made ([`OwnedParts::read`]).
    pub(crate) fn from_parts(parts: OwnedParts) -> Option<Dataset> {
        let OwnedParts {
            ontology,
            sources,
            graph,
        } = parts;
        // Entities in id order, each once, were checked as they were read.
        debug_assert!(graph
            .raw_nodes()
            .windows(2)
            .all(|w| w[0].weight.id < w[1].weight.id));
        if !sources.iter().all(|(id, s)| *id == s.id) {
            return None;
        }
        Some(Dataset::from_graph(ontology, sources, graph))
    }

    /// The vocabulary the data was checked against.
    pub fn ontology(&self) -> &Ontology {
        &self.ontology
    }

    /// All sources, by id.
    pub fn sources(&self) -> &BTreeMap<Text, Source> {
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

    /// [`Dataset::reference`], formatted once per source and kept: a source
    /// is cited at many places, and an answer at 100k entities cites
    /// thousands of sources.
    pub(crate) fn reference_str(&self, id: &str) -> Option<&str> {
        // Every id [`Dataset::reference`] knows, each cell empty until asked.
        let cells = self.formatted.get(|| {
            self.sources
                .keys()
                .map(|id| id.as_str())
                .chain(self.references.keys().map(String::as_str))
                .map(|id| (Text::from(id), std::sync::OnceLock::new()))
                .collect()
        });
        let cell = cells.get(id)?;
        Some(cell.get_or_init(|| self.reference(id).unwrap_or_default()))
    }

    /// The same dataset, its answers printing sources as `references`
    /// gives them (by source id): the formatted references of a citation
    /// style.
    pub fn with_references(mut self, references: BTreeMap<String, String>) -> Dataset {
        self.references = references;
        // The table of distinct citations is of the graph's citations, which
        // do not change: only the formatted references do.
        self.formatted.reset();
        self
    }

    /// One entity.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.node(id).map(|i| &self.graph[i])
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

    /// The nodes of the document entities standing for source `id` of
    /// sources.yaml (those with `source: ID`), in id order.
    pub(crate) fn documents(&self, id: &str) -> impl Iterator<Item = NodeIndex> + '_ {
        let source = |n: &NodeIndex| self.graph[*n].source.as_deref().unwrap_or_default();
        let start = self.documents.partition_point(|n| source(n) < id);
        let end = start + self.documents[start..].partition_point(|n| source(n) == id);
        self.documents[start..end].iter().copied()
    }

    /// Every relation touching `id`, outgoing first, each in the order written.
    pub fn links(&self, id: &str) -> Vec<Link<'_>> {
        let Some(n) = self.node(id) else {
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
            documents: self.documents.clone(),
            references: self.references.clone(),
            folded: Lazy::default(),
            adjacency: LazyAdjacency::default(),
            cited: Kept::default(),
            chrono: Kept::default(),
            formatted: Kept::default(),
        }
    }

    /// Removes every status and date that rests on a claim `drop` picks:
    /// the entity stays, without that status or date. Used with
    /// [`Dataset::keep_relations`] for views such as "as claimed by".
    pub fn drop_attributed(&mut self, drop: impl Fn(&super::entity::Attribution) -> bool) {
        self.chrono.reset();
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
        // Only sources nothing cites go: the graph's citations, and so the
        // table of distinct citations, stay as they were.
        self.formatted.reset();
        self
    }

    /// Whether an entity never existed: its status is one the ontology
    /// marks `hypothetical` (a proposal). Such an entity has no time of
    /// existence, so no query may treat it as present at any date.
    pub fn never_existed(&self, e: &Entity) -> bool {
        e.status
            .as_ref()
            .and_then(|s| self.ontology.statuses.get(s.as_str()))
            .is_some_and(|s| s.hypothetical)
    }

    /// The petgraph graph, for algorithms.
    pub(crate) fn graph(&self) -> &DiGraph<Entity, Relation> {
        &self.graph
    }

    /// Every searchable text, folded: read from a copy
    /// ([`Dataset::set_folded`]), or built on the first call and kept for
    /// the next.
    pub(crate) fn folded(&self) -> &Folded {
        self.folded.get(&self.graph)
    }

    /// Each entity's relations both ways, in the order of the other end's
    /// id: built on the first call, kept for the next.
    pub(crate) fn adjacency(&self) -> &Adjacency {
        self.adjacency.get(&self.graph)
    }

    /// Every distinct citation numbered once for the dataset: built on the
    /// first call, kept for the next.
    pub(crate) fn cited(&self) -> &Cited {
        self.cited.get(|| Cited::build(self))
    }

    /// Every dated entity and relation in timeline order: built on the
    /// first call, kept for the next.
    pub(crate) fn chrono(&self) -> &Chrono {
        self.chrono.get(|| Chrono::build(self))
    }

    /// The timeline's two tables, if both are built: what a copy keeps.
    pub(crate) fn timeline_tables(&self) -> Option<(&Cited, &Chrono)> {
        Some((self.cited.built()?, self.chrono.built()?))
    }

    /// Takes the timeline's two tables read from a copy
    /// ([`Dataset::cited`], [`Dataset::chrono`]), if they fit the graph
    /// (see their `fits`) and are not built yet; returns whether they did.
    pub(crate) fn set_timeline_tables(&self, (cited, chrono): (Cited, Chrono)) -> bool {
        if self.chrono_built() || self.cited.is_built() {
            return false;
        }
        let fit = rayon::join(|| cited.fits(&self.graph), || chrono.fits(&self.graph));
        if fit != (true, true) {
            return false;
        }
        self.cited.set(cited);
        self.chrono.set(chrono);
        true
    }

    /// Whether [`Dataset::chrono`] is built.
    pub(crate) fn chrono_built(&self) -> bool {
        self.chrono.is_built()
    }

    /// Takes the search index kept in a copy (at byte `at` of `copy`, a
    /// copy read back whose header checked out) as this dataset's, if its
    /// table fits the graph ([`Folded::from_copy`]); returns whether it
    /// did. Each entity's fields are checked when a search uses them, and
    /// an index that fails is refused ([`Dataset::refuse_folded`]).
    pub(crate) fn set_folded(&self, copy: Vec<u8>, at: usize) -> bool {
        match Folded::from_copy(copy, at, &self.graph) {
            Some(index) => {
                self.folded.set(index);
                true
            }
            None => false,
        }
    }

    /// Refuses the search index read from a copy (a search found it does
    /// not fit the graph): [`Dataset::folded`] builds the index instead.
    pub(crate) fn refuse_folded(&self) {
        self.folded.refuse();
    }

    /// Whether a search refused the index read from a copy, which is then
    /// to be written again.
    pub(crate) fn folded_refused(&self) -> bool {
        self.folded.refused()
    }

    /// The node index of an entity.
    pub(crate) fn node(&self, id: &str) -> Option<NodeIndex> {
        node_of(&self.graph, id)
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

/// The items of `v` in order, its memory given back as they are taken:
/// moving hundreds of megabytes of records from a vector into the graph
/// (or from one stage of loading to the next) would otherwise hold both
/// copies at once at the peak. Large vectors live in their own mapping,
/// which shrinks in place.
pub(crate) fn drain_freeing<T>(mut v: Vec<T>) -> impl Iterator<Item = T> {
    const STEP: usize = 1 << 14;
    v.reverse();
    std::iter::from_fn(move || {
        let item = v.pop()?;
        if v.capacity() - v.len() >= STEP {
            v.shrink_to_fit();
        }
        Some(item)
    })
}

/// The node of entity `id` in a graph whose nodes are in id order.
fn node_of(graph: &DiGraph<Entity, Relation>, id: &str) -> Option<NodeIndex> {
    graph
        .raw_nodes()
        .binary_search_by(|n| n.weight.id.as_str().cmp(id))
        .ok()
        .map(NodeIndex::new)
}

/// The index behind [`Dataset::documents`]: nodes are in id order, so each
/// list is too.
fn documents(graph: &DiGraph<Entity, Relation>) -> Vec<NodeIndex> {
    let mut out: Vec<NodeIndex> = graph
        .node_indices()
        .filter(|&n| graph[n].source.is_some())
        .collect();
    // Stable: the documents of one source stay in id order.
    out.sort_by(|a, b| graph[*a].source.cmp(&graph[*b].source));
    out
}
