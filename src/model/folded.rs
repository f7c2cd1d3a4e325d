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
#[derive(Debug, Clone, Copy)]
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
#[derive(Debug)]
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

/// A [`Folded`] index built when first asked for. A copy of a dataset
/// starts without one: it may be about to change.
#[derive(Default)]
pub(crate) struct Lazy(OnceLock<Folded>);

impl Lazy {
    /// The index of `graph`, built on the first call.
    pub(crate) fn get(&self, graph: &DiGraph<Entity, Relation>) -> &Folded {
        self.0.get_or_init(|| Folded::build(graph))
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
