//! Questions asked of a loaded [`Dataset`]. Each query is a pure function
//! from the dataset (and its arguments) to a serialisable answer; none of
//! them prints or formats text for a terminal. Answers keep their citations
//! so they can be quoted as they stand.

mod card;
mod find;
mod list;

pub use card::{card, Card, CardItem, Group, NumberedSource};
pub use find::{find, Match};
pub use list::{list, Filter};

use crate::load::suggest;
use crate::model::graph::Dataset;

/// A query that cannot be answered as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// No entity has this id.
    #[error("no entity has the id `{id}`{}", hint(suggestion))]
    UnknownEntity {
        /// The id asked for.
        id: String,
        /// The closest id, when one is close.
        suggestion: Option<String>,
    },
    /// A kind, side or other vocabulary term the ontology does not declare.
    #[error("unknown {what} `{value}`{}", hint(suggestion))]
    UnknownTerm {
        /// `kind`, `side`, …
        what: String,
        /// The term asked for.
        value: String,
        /// The closest declared term.
        suggestion: Option<String>,
    },
}

fn hint(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// Looks an entity up, with a suggestion when it is not there. Names and
/// aliases are suggested too: `show LECD` points at `lecd`.
pub(crate) fn entity<'a>(
    ds: &'a Dataset,
    id: &str,
) -> Result<&'a crate::model::entity::Entity, QueryError> {
    ds.entity(id).ok_or_else(|| {
        // A name or alias typed whole (`LECD`) beats an id typo (`hjld`),
        // which beats a name that merely looks alike.
        let best = find(ds, id, 1).into_iter().next();
        let (real, near): (Vec<_>, Vec<_>) = best.into_iter().partition(|m| m.how != "near");
        QueryError::UnknownEntity {
            id: id.to_string(),
            suggestion: real
                .into_iter()
                .next()
                .map(|m| m.id)
                .or_else(|| suggest(id, ds.entities().map(|e| e.id.as_str())))
                .or_else(|| near.into_iter().next().map(|m| m.id)),
        }
    })
}

/// Checks a vocabulary term against the declared ones.
pub(crate) fn term<'k>(
    what: &str,
    value: &str,
    declared: impl Iterator<Item = &'k String> + Clone,
) -> Result<(), QueryError> {
    if declared.clone().any(|d| d == value) {
        return Ok(());
    }
    Err(QueryError::UnknownTerm {
        what: what.into(),
        value: value.into(),
        suggestion: suggest(value, declared.map(String::as_str)),
    })
}
