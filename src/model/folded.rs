//! The folded text of everything written about each entity, in one string:
//! what `detente search` looks through. Built once per dataset, on the
//! first search ([`super::graph::Dataset::folded`]), or read back from a
//! copy kept beside the dataset's (`load::cache`), so that a search
//! neither folds every text again nor looks an entity up by id; a query is
//! then a substring scan of one string per word.
//!
//! Which texts are searched, and in what order, is decided here (the order
//! is the one an answer lists an entity's fields in); how a match is scored
//! and shown is the search query's business.
//!
//! The index is the text and, for each entity, where its fields start:
//! every text of an entity has a field, in the order [`each_text`] gives
//! them (a text that folds to nothing an empty one), so which text a field
//! is follows from the entity and the field's place among its own, and
//! a copy holds nothing else (an index built in the process keeps a table
//! of it too). A copy read back is then a few checks on
//! its entities' starts, and the text used where it lies in the bytes read; an
//! entity's fields are checked against the graph when a search first uses
//! them ([`Folded::fields`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::entity::{Citation, Entity, Relation};
use super::text::fold_into;

/// Which text of an entity a field is, by position, so that the index
/// borrows nothing from the dataset it was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// `name`.
    Name,
    /// `id`.
    Id,
    /// `short`.
    Short,
    /// `aliases[I]`.
    Alias(u32),
    /// The I-th of `names`, in language order.
    Language(u32),
    /// `summary`.
    Summary,
    /// `place`.
    Place,
    /// `sources[I].at` (`quote: false`) or `sources[I].quote`, of the
    /// entity (`relation: None`) or of a relation it states.
    Citation {
        relation: Option<EdgeIndex>,
        i: u32,
        quote: bool,
    },
    /// The `summary` of a relation the entity states.
    RelationSummary(EdgeIndex),
}

/// One folded text of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    /// Where its folded text starts in [`Folded::text`].
    pub(crate) start: u32,
    /// Where it ends: at the separator after it.
    pub(crate) end: u32,
    /// Which of the entity's texts it is.
    pub(crate) part: Part,
}

/// Every searchable text of a dataset, folded ([`super::text::fold`]) and
/// laid end to end.
pub(crate) struct Folded {
    /// The folded text from byte `at` on: each field followed by
    /// [`SEPARATOR`], which folding never produces, so a folded word or
    /// phrase found in it lies within one field. Fields are in order:
    /// entities in id order (the graph's node order), each entity's texts
    /// as [`each_text`] gives them. Built, `buf` is the text alone; read
    /// back, it is the whole copy, so the text is not copied out of it.
    buf: Vec<u8>,
    at: usize,
    /// Where each entity's fields start in the text, in node order, and
    /// the text's length last.
    entities: Vec<u32>,
    /// Read from a copy: each entity's fields are checked against the
    /// graph before a search uses them.
    read: bool,
    /// Built: which text each field is, in order, and where each entity's
    /// start among them (and their number last), so that a search of an
    /// index built in the process (a program searching a loaded dataset
    /// again and again) need not walk an entity's relations to know; a
    /// copy read back has neither, and its entities are checked instead.
    parts: Vec<Part>,
    firsts: Vec<u32>,
}

/// Ends each field in [`Folded::text`].
const SEPARATOR: u8 = b'\n';

/// Every text of entity `n` that search looks through, with which text it
/// is, in the order the index lays them out and answers list them: its
/// own, as written, then those of the relations it states, in the order
/// written. `stated` is room for the relations.
fn each_text<'g>(
    graph: &'g DiGraph<Entity, Relation>,
    n: NodeIndex,
    stated: &mut Vec<EdgeIndex>,
    f: impl FnMut(Part, &'g str),
) {
    stated.clear();
    stated.extend(graph.edges_directed(n, Direction::Outgoing).map(|x| x.id()));
    stated.sort_unstable();
    texts_of(graph, n, stated, f);
}

/// [`each_text`], given the relations `n` states (`stated`, in the order
/// written: by edge index).
fn texts_of<'g>(
    graph: &'g DiGraph<Entity, Relation>,
    n: NodeIndex,
    stated: &[EdgeIndex],
    mut f: impl FnMut(Part, &'g str),
) {
    let e = &graph[n];
    f(Part::Name, &e.name);
    f(Part::Id, &e.id);
    if let Some(s) = &e.short {
        f(Part::Short, s);
    }
    for (i, a) in e.aliases.iter().enumerate() {
        f(Part::Alias(i as u32), a);
    }
    for (i, name) in e.names.values().enumerate() {
        f(Part::Language(i as u32), name);
    }
    if let Some(s) = &e.summary {
        f(Part::Summary, s);
    }
    if let Some(p) = &e.place {
        f(Part::Place, p);
    }
    citations(None, &e.sources, &mut f);
    // Relations are searched as part of the entity that states them.
    for &x in stated {
        let r = &graph[x];
        if let Some(s) = &r.summary {
            f(Part::RelationSummary(x), s);
        }
        citations(Some(x), &r.sources, &mut f);
    }
}

/// The locators and quotes of `cites`, of the entity or of relation
/// `relation`.
fn citations<'g>(
    relation: Option<EdgeIndex>,
    cites: &'g [Citation],
    f: &mut impl FnMut(Part, &'g str),
) {
    for (i, c) in cites.iter().enumerate() {
        let i = i as u32;
        let at = Part::Citation {
            relation,
            i,
            quote: false,
        };
        f(at, &c.at);
        if let Some(q) = &c.quote {
            let quote = Part::Citation {
                relation,
                i,
                quote: true,
            };
            f(quote, q);
        }
    }
}

/// `n` as a position in the text: the text is under 4 GB.
fn position(n: usize) -> u32 {
    u32::try_from(n).expect("under 4 GB of searchable text")
}

/// Entities folded in one piece, on one thread: enough that a piece's
/// work dwarfs handing it to a thread, few enough at 100k entities that
/// both cores stay busy to the end.
const PIECE: usize = 2048;

/// The folded texts of a run of entities, laid out as [`Folded`] lays out
/// all of them, its starts counted from the piece's own beginning.
#[derive(Default)]
struct Piece {
    text: String,
    entities: Vec<u32>,
    parts: Vec<Part>,
    firsts: Vec<u32>,
}

/// The relations each entity states, by edge index, found in one pass
/// over the relations in the order they are kept: for entity `n`,
/// `edges[starts[n]..starts[n + 1]]`. An entity's own list of relations
/// (`edges_directed`) is a chain through the relations, each link a read
/// that waits on the one before; here every relation an entity states is
/// known at once.
struct Stated {
    starts: Vec<u32>,
    edges: Vec<EdgeIndex>,
}

impl Stated {
    fn of(graph: &DiGraph<Entity, Relation>) -> Stated {
        let mut starts = vec![0u32; graph.node_count() + 1];
        for e in graph.raw_edges() {
            starts[e.source().index() + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut edges = vec![EdgeIndex::end(); graph.edge_count()];
        for (i, e) in graph.raw_edges().iter().enumerate() {
            let at = &mut next[e.source().index()];
            edges[*at as usize] = EdgeIndex::new(i);
            *at += 1;
        }
        Stated { starts, edges }
    }

    fn by(&self, n: NodeIndex) -> &[EdgeIndex] {
        &self.edges[self.starts[n.index()] as usize..self.starts[n.index() + 1] as usize]
    }
}

impl Piece {
    /// Folds every text of the entities `nodes` of `graph`, which state
    /// the relations `stated`.
    fn fold(
        graph: &DiGraph<Entity, Relation>,
        stated: &Stated,
        nodes: std::ops::Range<usize>,
    ) -> Piece {
        let mut piece = Piece {
            entities: Vec::with_capacity(nodes.len()),
            firsts: Vec::with_capacity(nodes.len()),
            ..Piece::default()
        };
        for n in nodes.map(NodeIndex::new) {
            piece.entities.push(position(piece.text.len()));
            piece.firsts.push(position(piece.parts.len()));
            texts_of(graph, n, stated.by(n), |part, s| {
                fold_into(s, &mut piece.text);
                piece.text.push(SEPARATOR as char);
                piece.parts.push(part);
            });
        }
        piece
    }
}

impl Folded {
    /// Folds every text of `graph`: pieces of its entities each on one of
    /// rayon's threads, then laid end to end in entity order, so the
    /// index is the one a single pass makes, byte for byte.
    pub(crate) fn build(graph: &DiGraph<Entity, Relation>) -> Folded {
        Folded::build_in(graph, PIECE)
    }

    /// [`Folded::build`] in pieces of `piece` entities.
    fn build_in(graph: &DiGraph<Entity, Relation>, piece: usize) -> Folded {
        use rayon::prelude::*;
        let nodes = graph.node_count();
        let stated = Stated::of(graph);
        let pieces: Vec<Piece> = if nodes <= piece {
            // A small dataset (the bundled one): no thread is woken.
            vec![Piece::fold(graph, &stated, 0..nodes)]
        } else {
            (0..nodes.div_ceil(piece))
                .into_par_iter()
                .map(|k| Piece::fold(graph, &stated, k * piece..((k + 1) * piece).min(nodes)))
                .collect()
        };
        let text_len: usize = pieces.iter().map(|p| p.text.len()).sum();
        let parts_len: usize = pieces.iter().map(|p| p.parts.len()).sum();
        let mut pieces = pieces.into_iter();
        // The first piece's buffers grown to hold the rest, each piece
        // freed once copied: the text is never held twice.
        let first = pieces.next().unwrap_or_default();
        let mut text = first.text.into_bytes();
        text.reserve_exact(text_len - text.len());
        let mut parts = first.parts;
        parts.reserve_exact(parts_len - parts.len());
        let mut entities = first.entities;
        entities.reserve_exact(nodes + 1 - entities.len());
        let mut firsts = first.firsts;
        firsts.reserve_exact(nodes + 1 - firsts.len());
        for p in pieces {
            let (at, first_part) = (position(text.len()), position(parts.len()));
            entities.extend(p.entities.iter().map(|&s| at + s));
            firsts.extend(p.firsts.iter().map(|&f| first_part + f));
            text.extend_from_slice(p.text.as_bytes());
            parts.extend_from_slice(&p.parts);
        }
        entities.push(position(text.len()));
        firsts.push(position(parts.len()));
        Folded {
            buf: text,
            at: 0,
            entities,
            read: false,
            parts,
            firsts,
        }
    }

    /// All the folded text, fields separated by a character no folded
    /// query contains.
    pub(crate) fn text(&self) -> &[u8] {
        &self.buf[self.at..]
    }

    /// Whether the index was read from a copy, not built from the graph.
    pub(crate) fn is_read(&self) -> bool {
        self.read
    }

    /// The entity whose fields hold byte `at` of [`Folded::text`].
    pub(crate) fn entity_at(&self, at: usize) -> NodeIndex {
        NodeIndex::new(self.entities.partition_point(|&s| s as usize <= at) - 1)
    }

    /// Where the fields of entity `n` start and end in [`Folded::text`].
    pub(crate) fn span(&self, n: NodeIndex) -> (usize, usize) {
        let i = n.index();
        (self.entities[i] as usize, self.entities[i + 1] as usize)
    }

    /// The fields of entity `n` of `graph`, in order, or `None` when the
    /// index does not fit the graph there: the entity's span of text must
    /// be UTF-8 (when the index was read back) and hold one field for each
    /// of its texts, no more, no fewer. Whether a field is that text folded
    /// is not checked (that is the folding a copy saves); the copy's key
    /// and checksum tie it to the files it was made from.
    pub(crate) fn fields(
        &self,
        graph: &DiGraph<Entity, Relation>,
        n: NodeIndex,
    ) -> Option<Vec<Field>> {
        let (start, end) = self.span(n);
        let span = &self.text()[start..end];
        if self.read && std::str::from_utf8(span).is_err() {
            return None;
        }
        let mut ends = span
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == SEPARATOR)
            .map(|(i, _)| start + i);
        let mut out = Vec::new();
        let mut at = start;
        if !self.read {
            let parts =
                &self.parts[self.firsts[n.index()] as usize..self.firsts[n.index() + 1] as usize];
            for (&part, e) in parts.iter().zip(ends) {
                out.push(Field {
                    start: position(at),
                    end: position(e),
                    part,
                });
                at = e + 1;
            }
            return Some(out);
        }
        let mut fits = true;
        each_text(graph, n, &mut Vec::new(), |part, _| match ends.next() {
            Some(e) => {
                out.push(Field {
                    start: position(at),
                    end: position(e),
                    part,
                });
                at = e + 1;
            }
            None => fits = false,
        });
        (fits && at == end).then_some(out)
    }

    /// The folded text of `field`, one of [`Folded::fields`].
    pub(crate) fn folded(&self, field: &Field) -> &str {
        std::str::from_utf8(&self.text()[field.start as usize..field.end as usize])
            .expect("a field's entity's text is checked when its fields are read")
    }

    /// The index as kept in a copy (`load::cache::write_index`): its table
    /// (below), then the text.
    #[cfg(test)]
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        self.write_table(out);
        out.extend_from_slice(self.text());
    }

    /// The table of the index as kept in a copy, before the text: the
    /// number of entities, where each one's fields start and the text's
    /// length (four bytes each, little-endian).
    pub(crate) fn write_table(&self, out: &mut Vec<u8>) {
        let entities = position(self.entities.len() - 1);
        out.reserve(4 * (self.entities.len() + 1));
        out.extend_from_slice(&entities.to_le_bytes());
        for s in &self.entities {
            out.extend_from_slice(&s.to_le_bytes());
        }
    }

    /// The index written by `load::cache::write_index` at byte `at` of `buf` (a
    /// copy read back, checked against its header), if it can be an index
    /// of `graph`: one entry per entity, starting at 0, each entity's
    /// fields after the last one's separator and holding something (an
    /// entity has at least a name and an id), ending with the text. What
    /// each entity's fields are is checked when a search first uses them
    /// ([`Folded::fields`]); the text is used where it lies in `buf`.
    pub(crate) fn from_copy(
        buf: Vec<u8>,
        at: usize,
        graph: &DiGraph<Entity, Relation>,
    ) -> Option<Folded> {
        let payload = buf.get(at..)?;
        let (count, rest) = payload.split_first_chunk::<4>()?;
        let count = u32::from_le_bytes(*count) as usize;
        if count != graph.node_count() {
            return None;
        }
        let table = rest.get(..4 * (count + 1))?;
        let text = &rest[table.len()..];
        let mut entities = Vec::with_capacity(count + 1);
        let mut last = None;
        for s in table.chunks_exact(4) {
            let s = u32::from_le_bytes(s.try_into().expect("four bytes"));
            let sound = match last {
                None => s == 0,
                Some(l) => s > l && text.get(s as usize - 1) == Some(&SEPARATOR),
            };
            if !sound {
                return None;
            }
            entities.push(s);
            last = Some(s);
        }
        if entities.last().map(|&s| s as usize) != Some(text.len()) {
            return None;
        }
        let at = at + 4 + table.len();
        Some(Folded {
            buf,
            at,
            entities,
            read: true,
            parts: Vec::new(),
            firsts: Vec::new(),
        })
    }
}

impl PartialEq for Folded {
    fn eq(&self, other: &Folded) -> bool {
        self.text() == other.text() && self.entities == other.entities
    }
}

impl Eq for Folded {}

impl std::fmt::Debug for Folded {
    // The index is megabytes of text: say how big, not what it holds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Folded")
            .field("entities", &(self.entities.len() - 1))
            .field("text", &self.text().len())
            .field("read", &self.read)
            .finish()
    }
}

/// A [`Folded`] index, built when first asked for unless one was read
/// from a copy; a copy found not to fit the graph when a search used it is
/// refused, and the index built instead. A copy of a dataset starts
/// without one: it may be about to change.
#[derive(Default)]
pub(crate) struct Lazy {
    read: OnceLock<Folded>,
    built: OnceLock<Folded>,
    refused: AtomicBool,
}

impl Lazy {
    /// The index of `graph`: the one read from a copy, unless refused,
    /// else the one built (on the first call that needs it).
    pub(crate) fn get(&self, graph: &DiGraph<Entity, Relation>) -> &Folded {
        match self.read.get() {
            Some(index) if !self.refused.load(Ordering::Relaxed) => index,
            _ => self.built.get_or_init(|| Folded::build(graph)),
        }
    }

    /// Takes `index` (read from a copy, its table checked against the
    /// same graph) as the index, unless one is built already.
    pub(crate) fn set(&self, index: Folded) {
        if self.built.get().is_none() {
            let _ = self.read.set(index);
        }
    }

    /// Refuses the index read from a copy: a search found that it does
    /// not fit the graph.
    pub(crate) fn refuse(&self) {
        self.refused.store(true, Ordering::Relaxed);
    }

    /// Whether an index read from a copy was refused.
    pub(crate) fn refused(&self) -> bool {
        self.refused.load(Ordering::Relaxed)
    }
}

impl Clone for Lazy {
    fn clone(&self) -> Lazy {
        Lazy::default()
    }
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lazy")
            .field("read", &self.read.get())
            .field("built", &self.built.get())
            .field("refused", &self.refused())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> crate::model::graph::Dataset {
        let files = crate::load::read_dir(std::path::Path::new("tests/fixtures/cli")).unwrap();
        crate::load::load(&files).unwrap()
    }

    /// Every entity's fields tile its span of the text, one for each of
    /// its texts, each found again from any of its bytes.
    #[test]
    fn each_entity_has_a_field_for_each_of_its_texts() {
        let ds = fixture();
        let g = ds.graph();
        let index = Folded::build(g);
        let mut fields = 0;
        for n in g.node_indices() {
            let (start, end) = index.span(n);
            let mut texts = 0;
            each_text(g, n, &mut Vec::new(), |_, _| texts += 1);
            let f = index.fields(g, n).expect("a built index fits its graph");
            assert_eq!(f.len(), texts);
            assert_eq!(f[0].start as usize, start);
            assert_eq!(f.last().unwrap().end as usize + 1, end);
            for (a, b) in f.iter().zip(&f[1..]) {
                assert_eq!(a.end + 1, b.start);
            }
            for x in &f {
                assert_eq!(index.entity_at(x.start as usize), n);
                assert_eq!(index.entity_at(x.end as usize), n);
                assert_eq!(index.text()[x.end as usize], SEPARATOR);
                assert!(!index.folded(x).contains('\n'));
            }
            fields += f.len();
        }
        assert!(fields > 100, "{fields}");
    }

    /// Folded in pieces on several threads, the index is the one a single
    /// pass makes: the same text, starts and parts, in every piece size.
    #[test]
    fn an_index_built_in_pieces_is_the_one_built_whole() {
        let ds = fixture();
        let g = ds.graph();
        let whole = Folded::build_in(g, usize::MAX);
        assert!(g.node_count() > 10);
        for piece in [1, 2, 3, 7, g.node_count() - 1, g.node_count(), PIECE] {
            let pieces = Folded::build_in(g, piece);
            assert_eq!(pieces, whole, "pieces of {piece}");
            assert_eq!(pieces.parts, whole.parts, "pieces of {piece}");
            assert_eq!(pieces.firsts, whole.firsts, "pieces of {piece}");
        }
    }

    /// The index as written to a copy, behind `prefix` bytes (the header).
    fn copy(index: &Folded, prefix: usize) -> Vec<u8> {
        let mut out = vec![0xee; prefix];
        index.write(&mut out);
        out
    }

    #[test]
    fn an_index_reads_back_as_the_same_index() {
        let ds = fixture();
        let g = ds.graph();
        let index = Folded::build(g);
        let back = Folded::from_copy(copy(&index, 52), 52, g).expect("read back");
        assert!(back.is_read());
        assert_eq!(back, index);
        for n in g.node_indices() {
            assert_eq!(back.fields(g, n), index.fields(g, n));
        }
    }

    /// A copy whose table cannot be an index of the dataset is refused
    /// when read: each of these would make a search slice outside the
    /// text or give a hit to the wrong entity.
    #[test]
    fn a_copy_whose_table_does_not_fit_is_refused() {
        let ds = fixture();
        let g = ds.graph();
        let index = Folded::build(g);
        let sound = copy(&index, 0);
        let n = g.node_count();
        fn entry(i: usize) -> usize {
            4 + 4 * i
        }
        fn set(bytes: &mut [u8], i: usize, v: u32) {
            bytes[entry(i)..entry(i) + 4].copy_from_slice(&v.to_le_bytes());
        }
        fn get(bytes: &[u8], i: usize) -> u32 {
            u32::from_le_bytes(bytes[entry(i)..entry(i) + 4].try_into().unwrap())
        }
        type Mutation = Box<dyn Fn(&mut Vec<u8>)>;
        let mutations: Vec<(&str, Mutation)> = vec![
            (
                "one entity more",
                Box::new(move |b| b[..4].copy_from_slice(&(n as u32 + 1).to_le_bytes())),
            ),
            (
                "one entity fewer",
                Box::new(move |b| b[..4].copy_from_slice(&(n as u32 - 1).to_le_bytes())),
            ),
            ("the first start not 0", Box::new(move |b| set(b, 0, 1))),
            (
                "a start not after a separator",
                Box::new(move |b| {
                    let s = get(b, 3);
                    set(b, 3, s + 1)
                }),
            ),
            (
                "starts out of order",
                Box::new(move |b| {
                    let s = get(b, 2);
                    set(b, 3, s)
                }),
            ),
            (
                "a start past the text",
                Box::new(move |b| set(b, 3, u32::MAX)),
            ),
            ("the text cut", Box::new(|b| b.truncate(b.len() - 1))),
            (
                "text after the last field",
                Box::new(|b| b.extend_from_slice(b"x\n")),
            ),
            ("the table cut", Box::new(move |b| b.truncate(entry(n)))),
            ("nothing", Box::new(|b| b.clear())),
        ];
        for (what, mutate) in mutations {
            let mut bytes = sound.clone();
            mutate(&mut bytes);
            assert_eq!(Folded::from_copy(bytes, 0, g), None, "{what}");
        }
        assert!(Folded::from_copy(sound, 0, g).is_some());
    }

    /// A copy whose table is sound but whose text does not fit an entity
    /// is read, and that entity's fields are refused when a search asks
    /// for them (the search then builds the index: `query::search`); the
    /// other entities' are given.
    #[test]
    fn an_entity_whose_text_does_not_fit_is_refused_when_used() {
        let ds = fixture();
        let g = ds.graph();
        let index = Folded::build(g);
        let sound = copy(&index, 0);
        let text_at = 4 + 4 * (g.node_count() + 1);
        let n = NodeIndex::new(2);
        let (start, end) = index.span(n);
        let name = index.fields(g, n).unwrap()[0];
        assert!(name.end > name.start, "a name that folds to something");
        let at = text_at + name.start as usize;
        type Mutation = Box<dyn Fn(&mut Vec<u8>)>;
        let mutations: Vec<(&str, Mutation)> = vec![
            ("a field too many", Box::new(move |b| b[at] = SEPARATOR)),
            (
                "a field too few",
                Box::new(move |b| b[text_at + name.end as usize] = b'x'),
            ),
            ("not UTF-8", Box::new(move |b| b[at] = 0xff)),
        ];
        for (what, mutate) in mutations {
            let mut bytes = sound.clone();
            mutate(&mut bytes);
            let read = Folded::from_copy(bytes, 0, g).expect(what);
            assert_eq!(read.fields(g, n), None, "{what}");
            for m in g.node_indices().filter(|&m| m != n) {
                assert_eq!(read.fields(g, m), index.fields(g, m), "{what}");
            }
        }
        // Fields of another entity's texts, in this one's place: the spans
        // of two entities swapped would be caught by their numbers of
        // fields, unless those are equal; here one entity's span is given
        // one field more and its neighbour's one fewer.
        let mut bytes = sound.clone();
        let next = 4 + 4 * (n.index() + 1);
        let moved = index.fields(g, NodeIndex::new(n.index() + 1)).unwrap()[0].end + 1;
        bytes[next..next + 4].copy_from_slice(&moved.to_le_bytes());
        let read = Folded::from_copy(bytes, 0, g).expect("a sound table");
        assert_eq!(read.fields(g, n), None);
        assert_eq!(read.fields(g, NodeIndex::new(n.index() + 1)), None);
        assert!(end > start);
    }
}
