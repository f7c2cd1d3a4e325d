//! The folded text of everything written about each entity, in one string:
//! what `detente search` looks through. Built once per dataset, on the
//! first search ([`super::graph::Dataset::folded`]), so that a search
//! neither folds every text again nor looks an entity up by id; a query is
//! then a substring scan of one string per word.
//!
//! Which texts are searched, and in what order, is decided here (the order
//! is the one an answer lists an entity's fields in); how a match is scored
//! and shown is the search query's business.

use std::sync::OnceLock;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};

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

/// One folded text in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    /// Where its folded text starts in [`Folded::text`]; it ends at the
    /// separator before the next field's start.
    pub(crate) start: u32,
    /// The entity it is written about.
    pub(crate) entity: NodeIndex,
    /// Which of its texts it is.
    pub(crate) part: Part,
}

/// Every searchable text of a dataset, folded
/// ([`super::text::fold`]) and laid end to end.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Folded {
    /// The folded fields, each followed by [`SEPARATOR`], which folding
    /// never produces: a folded word or phrase found in it lies within one
    /// field.
    text: String,
    /// The fields in order: entities in id order (the graph's node order),
    /// each entity's own texts as written, then those of the relations it
    /// states, in the order written. Texts that fold to nothing are left
    /// out: nothing can be found in them.
    fields: Vec<Field>,
}

/// Ends each field in [`Folded::text`].
const SEPARATOR: char = '\n';

impl Folded {
    /// Folds every text of `graph`.
    pub(crate) fn build(graph: &DiGraph<Entity, Relation>) -> Folded {
        let mut index = Folded {
            text: String::new(),
            fields: Vec::new(),
        };
        let mut stated = Vec::new();
        for n in graph.node_indices() {
            let e = &graph[n];
            index.push(n, Part::Name, &e.name);
            index.push(n, Part::Id, &e.id);
            if let Some(s) = &e.short {
                index.push(n, Part::Short, s);
            }
            for (i, a) in e.aliases.iter().enumerate() {
                index.push(n, Part::Alias(i as u32), a);
            }
            for (i, name) in e.names.values().enumerate() {
                index.push(n, Part::Language(i as u32), name);
            }
            if let Some(s) = &e.summary {
                index.push(n, Part::Summary, s);
            }
            if let Some(p) = &e.place {
                index.push(n, Part::Place, p);
            }
            index.citations(n, None, &e.sources);
            // Relations are searched as part of the entity that states them.
            stated.clear();
            stated.extend(graph.edges_directed(n, Direction::Outgoing).map(|x| x.id()));
            stated.sort_unstable();
            for &x in &stated {
                let r = &graph[x];
                if let Some(s) = &r.summary {
                    index.push(n, Part::RelationSummary(x), s);
                }
                index.citations(n, Some(x), &r.sources);
            }
        }
        index.text.shrink_to_fit();
        index.fields.shrink_to_fit();
        index
    }

    fn citations(&mut self, n: NodeIndex, relation: Option<EdgeIndex>, cites: &[Citation]) {
        for (i, c) in cites.iter().enumerate() {
            let i = i as u32;
            let at = Part::Citation {
                relation,
                i,
                quote: false,
            };
            self.push(n, at, &c.at);
            if let Some(q) = &c.quote {
                let quote = Part::Citation {
                    relation,
                    i,
                    quote: true,
                };
                self.push(n, quote, q);
            }
        }
    }

    fn push(&mut self, entity: NodeIndex, part: Part, text: &str) {
        let start = self.text.len();
        fold_into(text, &mut self.text);
        if self.text.len() == start {
            return;
        }
        self.text.push(SEPARATOR);
        self.fields.push(Field {
            start: u32::try_from(start).expect("under 4 GB of searchable text"),
            entity,
            part,
        });
    }

    /// All the folded text, fields separated by a character no folded
    /// query contains.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The fields, in order.
    pub(crate) fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The field that the byte at `at` of [`Folded::text`] belongs to.
    pub(crate) fn field_at(&self, at: usize) -> usize {
        self.fields.partition_point(|f| f.start as usize <= at) - 1
    }

    /// Where field `i` starts and ends in [`Folded::text`] (its separator
    /// excluded).
    pub(crate) fn span(&self, i: usize) -> (usize, usize) {
        let start = self.fields[i].start as usize;
        let end = self
            .fields
            .get(i + 1)
            .map_or(self.text.len(), |f| f.start as usize)
            - SEPARATOR.len_utf8();
        (start, end)
    }

    /// The folded text of field `i`.
    pub(crate) fn folded(&self, i: usize) -> &str {
        let (start, end) = self.span(i);
        &self.text[start..end]
    }
}

/// A [`Folded`] index as plain numbers, for a binary copy kept beside the
/// dataset's (`load::cache::encode_index`): a one-shot `detente search` on
/// a large dataset then reads the index instead of folding every text.
#[derive(Serialize, Deserialize)]
pub(crate) struct Stored<T> {
    text: T,
    fields: Vec<StoredField>,
}

#[derive(Serialize, Deserialize)]
struct StoredField {
    start: u32,
    entity: u32,
    part: StoredPart,
}

/// [`Part`], with edges as their index.
#[derive(Serialize, Deserialize)]
enum StoredPart {
    Name,
    Id,
    Short,
    Alias(u32),
    Language(u32),
    Summary,
    Place,
    Citation {
        relation: Option<u32>,
        i: u32,
        quote: bool,
    },
    RelationSummary(u32),
}

impl Folded {
    /// The index as [`Stored`] parts, borrowing its text.
    pub(crate) fn stored(&self) -> Stored<&str> {
        let edge = |x: EdgeIndex| x.index() as u32;
        let fields = self
            .fields
            .iter()
            .map(|f| StoredField {
                start: f.start,
                entity: f.entity.index() as u32,
                part: match f.part {
                    Part::Name => StoredPart::Name,
                    Part::Id => StoredPart::Id,
                    Part::Short => StoredPart::Short,
                    Part::Alias(i) => StoredPart::Alias(i),
                    Part::Language(i) => StoredPart::Language(i),
                    Part::Summary => StoredPart::Summary,
                    Part::Place => StoredPart::Place,
                    Part::Citation { relation, i, quote } => StoredPart::Citation {
                        relation: relation.map(edge),
                        i,
                        quote,
                    },
                    Part::RelationSummary(x) => StoredPart::RelationSummary(edge(x)),
                },
            })
            .collect();
        Stored {
            text: &self.text,
            fields,
        }
    }

    /// The index `stored` describes for `graph`, or `None` when it cannot
    /// be one: a copy read back is checked, never trusted. Every field must
    /// start on a character just after a separator, be non-empty and end at
    /// one, belong to an entity of `graph` (in order), and name a text that
    /// entity has: an alias, a name, a citation, a quote or a relation it
    /// states. Whether the folded text is that text folded is not checked
    /// (that is the folding the copy saves); the copy's key and checksum
    /// tie it to the files it was made from.
    pub(crate) fn from_stored(
        stored: Stored<String>,
        graph: &DiGraph<Entity, Relation>,
    ) -> Option<Folded> {
        let Stored { text, fields } = stored;
        let bytes = text.as_bytes();
        let sep = SEPARATOR as u8;
        let ends = fields
            .iter()
            .skip(1)
            .map(|f| f.start as usize)
            .chain([text.len()]);
        let mut last_entity = 0;
        let mut out = Vec::with_capacity(fields.len());
        let mut expected_start = 0;
        for (f, end) in fields.iter().zip(ends) {
            let start = f.start as usize;
            // Fields tile the text: each begins where the last one's
            // separator ended, holds something, and ends with a separator.
            if start != expected_start
                || end < start + 2
                || end > bytes.len()
                || bytes[end - 1] != sep
                || bytes[start..end - 1].contains(&sep)
            {
                return None;
            }
            expected_start = end;
            if f.entity < last_entity || f.entity as usize >= graph.node_count() {
                return None;
            }
            last_entity = f.entity;
            let entity = NodeIndex::new(f.entity as usize);
            let e = &graph[entity];
            // An edge the entity states.
            let stated = |x: u32| {
                let x = EdgeIndex::new(x as usize);
                graph
                    .edge_endpoints(x)
                    .filter(|(from, _)| *from == entity)
                    .map(|_| (x, &graph[x]))
            };
            let cited = |cites: &[Citation], i: u32, quote: bool| {
                cites
                    .get(i as usize)
                    .is_some_and(|c| !quote || c.quote.is_some())
            };
            let part = match f.part {
                StoredPart::Name => Part::Name,
                StoredPart::Id => Part::Id,
                StoredPart::Short if e.short.is_some() => Part::Short,
                StoredPart::Alias(i) if (i as usize) < e.aliases.len() => Part::Alias(i),
                StoredPart::Language(i) if (i as usize) < e.names.len() => Part::Language(i),
                StoredPart::Summary if e.summary.is_some() => Part::Summary,
                StoredPart::Place if e.place.is_some() => Part::Place,
                StoredPart::Citation {
                    relation: None,
                    i,
                    quote,
                } if cited(&e.sources, i, quote) => Part::Citation {
                    relation: None,
                    i,
                    quote,
                },
                StoredPart::Citation {
                    relation: Some(x),
                    i,
                    quote,
                } => {
                    let (x, r) = stated(x)?;
                    if !cited(&r.sources, i, quote) {
                        return None;
                    }
                    Part::Citation {
                        relation: Some(x),
                        i,
                        quote,
                    }
                }
                StoredPart::RelationSummary(x) => {
                    let (x, r) = stated(x)?;
                    r.summary.as_ref()?;
                    Part::RelationSummary(x)
                }
                _ => return None,
            };
            out.push(Field {
                start: f.start,
                entity,
                part,
            });
        }
        if expected_start != text.len() {
            return None;
        }
        Some(Folded { text, fields: out })
    }
}

/// A [`Folded`] index built when first asked for. A copy of a dataset
/// starts without one: it may be about to change.
#[derive(Default)]
pub(crate) struct Lazy(OnceLock<Folded>);

impl Lazy {
    /// The index of `graph`, built on the first call.
    pub(crate) fn get(&self, graph: &DiGraph<Entity, Relation>) -> &Folded {
        self.0.get_or_init(|| Folded::build(graph))
    }

    /// Takes `index` (read from a copy, and checked against the same
    /// graph) as the index, unless one is built already.
    pub(crate) fn set(&self, index: Folded) {
        let _ = self.0.set(index);
    }
}

impl Clone for Lazy {
    fn clone(&self) -> Lazy {
        Lazy::default()
    }
}

impl std::fmt::Debug for Lazy {
    // The index is megabytes of text: say whether it is built, not what it holds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let built = self.0.get().map(|i| i.fields.len());
        f.debug_struct("Folded").field("fields", &built).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field is found again where it starts and where it ends, ends
    /// at a separator, and is not empty: a match lies within one field.
    #[test]
    fn each_field_is_found_from_any_of_its_bytes() {
        let files = crate::load::read_dir(std::path::Path::new("tests/fixtures/cli")).unwrap();
        let ds = crate::load::load(&files).unwrap();
        let index = Folded::build(ds.graph());
        assert!(index.fields.len() > 100, "{}", index.fields.len());
        for i in 0..index.fields.len() {
            let (start, end) = index.span(i);
            assert_eq!(index.field_at(start), i);
            assert_eq!(index.field_at(end), i);
            assert_eq!(&index.text[end..=end], "\n");
            assert!(!index.folded(i).is_empty());
        }
        assert!(index.fields.windows(2).all(|w| w[0].entity <= w[1].entity));
    }

    fn fixture() -> crate::model::graph::Dataset {
        let files = crate::load::read_dir(std::path::Path::new("tests/fixtures/cli")).unwrap();
        crate::load::load(&files).unwrap()
    }

    /// The index as written to a copy and read back.
    fn round_trip(index: &Folded) -> Stored<String> {
        postcard::from_bytes(&postcard::to_stdvec(&index.stored()).unwrap()).unwrap()
    }

    #[test]
    fn a_stored_index_reads_back_as_the_same_index() {
        let ds = fixture();
        let index = Folded::build(ds.graph());
        assert_eq!(
            Folded::from_stored(round_trip(&index), ds.graph()),
            Some(index)
        );
    }

    /// A copy that passed its checksum is still checked before a search
    /// slices its text or looks its fields up: each of these would make a
    /// search panic or answer from the wrong text.
    #[test]
    fn a_stored_index_that_does_not_fit_its_dataset_is_refused() {
        let ds = fixture();
        let g = ds.graph();
        let index = Folded::build(g);
        type Mutation = Box<dyn Fn(&mut Stored<String>)>;
        let mutations: Vec<(&str, Mutation)> = vec![
            ("a start moved", Box::new(|s| s.fields[3].start += 1)),
            ("the first start not 0", Box::new(|s| s.fields[0].start = 1)),
            (
                "a field emptied",
                Box::new(|s| s.fields[4].start = s.fields[5].start - 1),
            ),
            (
                "the text cut",
                Box::new(|s| s.text.truncate(s.text.len() - 1)),
            ),
            (
                "text after the last field",
                Box::new(|s| s.text.push_str("x\n")),
            ),
            (
                "a separator inside a field",
                Box::new(|s| {
                    let at = s.fields[1].start as usize;
                    s.text.replace_range(at..=at, "\n");
                }),
            ),
            (
                "a start inside a character",
                Box::new(|s| {
                    s.text.insert(0, '國');
                    s.fields[0].start = 0;
                    for f in &mut s.fields[1..] {
                        f.start += '國'.len_utf8() as u32;
                    }
                    s.fields[1].start -= 1;
                }),
            ),
            (
                "an entity out of range",
                Box::new(|s| {
                    let last = s.fields.len() - 1;
                    s.fields[last].entity = u32::MAX;
                }),
            ),
            (
                "entities out of order",
                Box::new(|s| s.fields[0].entity = 5),
            ),
            (
                "an alias that is not there",
                Box::new(|s| {
                    s.fields[0].part = StoredPart::Alias(999);
                }),
            ),
            (
                "a name in a language that is not there",
                Box::new(|s| {
                    s.fields[0].part = StoredPart::Language(999);
                }),
            ),
            (
                "a citation that is not there",
                Box::new(|s| {
                    s.fields[0].part = StoredPart::Citation {
                        relation: None,
                        i: 999,
                        quote: false,
                    };
                }),
            ),
            (
                "an edge that does not exist",
                Box::new(|s| {
                    s.fields[0].part = StoredPart::RelationSummary(u32::MAX);
                }),
            ),
        ];
        for (what, mutate) in mutations {
            let mut stored = round_trip(&index);
            mutate(&mut stored);
            assert_eq!(Folded::from_stored(stored, g), None, "{what}");
        }
        // A relation stated by another entity than the field's.
        let (e0, x) = g
            .edge_indices()
            .map(|x| (g.edge_endpoints(x).unwrap().0, x))
            .find(|(from, _)| from.index() != 0)
            .unwrap();
        assert_ne!(e0.index(), 0);
        let mut stored = round_trip(&index);
        stored.fields[0].part = StoredPart::Citation {
            relation: Some(x.index() as u32),
            i: 0,
            quote: false,
        };
        assert_eq!(
            Folded::from_stored(stored, g),
            None,
            "another entity's relation"
        );
    }
}
