//! Questions asked of a loaded [`Dataset`]. Each query is a pure function
//! from the dataset (and its arguments) to a serialisable answer; none of
//! them prints or formats text for a terminal. Answers keep their citations
//! so they can be quoted as they stand.

mod active;
mod card;
pub(crate) mod cite;
mod claims;
mod compare;
mod diff;
mod find;
mod lineage;
mod list;
mod neighbors;
mod path;
mod search;
mod settings;
mod stats;
mod summary;
mod timeline;

pub use active::{active, explain, presence, Active, Explanation};
pub use card::{card, Card, CardItem, Group};
pub use cite::{Brief, Fact, NumberedSource, NumberedSources};
pub use claims::{as_claimed_by, claims, voices, AttributedFact, ClaimFilter, Claims};
pub use compare::{compare, Comparison, Row, RowItem};
pub use diff::{diff, Change, Diff};
pub use find::{find, Found, Match};
pub use lineage::{lineage, lineage_with, Lineage, LineageOptions, Link, Related};
pub use list::{list, Filter};
pub use neighbors::{neighbors, Neighbor, Neighborhood};
pub use path::{path, Hop, Path, Paths, SEARCH_BUDGET, VIA_MAX_HOPS};
pub use search::{search, FieldMatch, Search, SearchOptions, SearchResult, SearchSettings};
pub use settings::{
    ActiveOptions, ActiveSettings, ClaimSettings, DiffOptions, DiffSettings, ExplainOptions,
    ExplainSettings, FindOptions, FindSettings, LineageSettings, ListSettings, NeighborOptions,
    NeighborSettings, NetworkOptions, NetworkSettings, PathOptions, PathSettings, SelectionOptions,
    SelectionSettings, TimelineOptions, TimelineSettings, Towards,
};
pub(crate) use stats::{centrality, closeness, stats_from, Centrality};
pub use stats::{
    counts, stats, By, Counts, Group as CountGroup, Ranked, Stats, BETWEENNESS_SOURCES,
    EXACT_BETWEENNESS_UP_TO,
};
pub use summary::{summary, Summary};
pub use timeline::{timeline, Dated, Entries, Entry, Timeline, What};

use crate::load::{did_you_mean, suggest};
use crate::model::graph::Dataset;

/// A query that cannot be answered as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// No entity has this id.
    #[error("no entity has the id `{id}`{}", did_you_mean(suggestion))]
    UnknownEntity {
        /// The id asked for.
        id: String,
        /// The closest id, when one is close.
        suggestion: Option<String>,
    },
    /// Two dates given in the wrong order.
    #[error(
        "`{from}` does not end before `{to}` begins: give two dates in order that do not overlap"
    )]
    DatesOutOfOrder {
        /// The first date given.
        from: String,
        /// The second date given.
        to: String,
    },
    /// An answer or drawing that would be too large to be useful.
    #[error("the {what} would span {span}, more than {limit}: narrow it with --from and --to")]
    TooLong {
        /// What would be too long.
        what: String,
        /// The span it would cover.
        span: String,
        /// The limit.
        limit: String,
    },
    /// A count below its least useful value, such as `--max-hops 0`.
    #[error("`{option} {value}` asks for nothing: it must be at least {min}")]
    TooFew {
        /// The option, as the command line spells it.
        option: String,
        /// The value given.
        value: usize,
        /// The least value accepted.
        min: usize,
    },
    /// A search for nothing: no letter or digit in the query.
    #[error("`{text}` has nothing to search for: give a word, a name or a \"quoted phrase\"")]
    NothingToSearch {
        /// The query, as given.
        text: String,
    },
    /// A path asked to avoid one of its own ends.
    #[error(
        "`--avoid {id}` names an end of the path: a path cannot avoid where it starts or ends"
    )]
    AvoidsAnEnd {
        /// The end named.
        id: String,
    },
    /// A lineage asked of something no lineage relation can join.
    #[error(
        "`{id}` is a {kind}, and no lineage relation ({}) joins a {kind}: lineage relations join {}",
        backticked(relations),
        kinds.join(", ")
    )]
    NotInLineage {
        /// The entity asked about.
        id: String,
        /// Its kind.
        kind: String,
        /// The relation types marked `lineage: true`.
        relations: Vec<String>,
        /// The kinds those relation types join.
        kinds: Vec<String>,
    },
    /// A kind, side or other vocabulary term the ontology does not declare.
    #[error("unknown {what} `{value}`{}", did_you_mean(suggestion))]
    UnknownTerm {
        /// `kind`, `side`, …
        what: String,
        /// The term asked for.
        value: String,
        /// The closest declared term.
        suggestion: Option<String>,
    },
}

/// Looks an entity up, with a suggestion when it is not there. Names and
/// aliases are suggested too: `show LECD` points at `lecd`.
pub(crate) fn entity<'a>(
    ds: &'a Dataset,
    id: &str,
) -> Result<&'a crate::model::entity::Entity, QueryError> {
    ds.entity(id).ok_or_else(|| {
        // A name, short name or alias typed whole (`LECD`) beats an id typo
        // (`hjld`); a name that merely looks alike is no suggestion.
        let exact = find::all(ds, id)
            .into_iter()
            .next()
            .filter(|m| m.how == "exact")
            .map(|m| m.id);
        QueryError::UnknownEntity {
            id: id.to_string(),
            suggestion: exact.or_else(|| suggest(id, ds.entities().map(|e| e.id.as_str()))),
        }
    })
}

/// Checks a vocabulary term against the declared ones.
pub(crate) fn term<'k>(
    what: &str,
    value: &str,
    declared: impl Iterator<Item = &'k crate::model::small::Text> + Clone,
) -> Result<(), QueryError> {
    if declared.clone().any(|d| d == value) {
        return Ok(());
    }
    Err(QueryError::UnknownTerm {
        what: what.into(),
        value: value.into(),
        suggestion: suggest(value, declared.map(|d| d.as_str())),
    })
}

/// `` `a`, `b` `` — or "none declared".
fn backticked(items: &[String]) -> String {
    if items.is_empty() {
        return "none is declared".into();
    }
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
