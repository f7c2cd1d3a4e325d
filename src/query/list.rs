//! `detente list`: entities filtered by kind and side.

use super::{term, QueryError};
use crate::model::entity::Entity;
use crate::model::graph::Dataset;

/// Which entities to list; empty means all.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Keep entities of any of these kinds.
    pub kinds: Vec<String>,
    /// Keep entities on any of these sides.
    pub sides: Vec<String>,
}

/// Entities matching the filter, in id order. A kind or side the ontology
/// does not declare is an error, not an empty answer: a typo must not look
/// like "nothing there".
pub fn list<'a>(ds: &'a Dataset, filter: &Filter) -> Result<Vec<&'a Entity>, QueryError> {
    let o = ds.ontology();
    for k in &filter.kinds {
        term("kind", k, o.kinds.keys())?;
    }
    for s in &filter.sides {
        term("side", s, o.sides.keys())?;
    }
    Ok(ds
        .entities()
        .filter(|e| filter.kinds.is_empty() || filter.kinds.contains(&e.kind))
        .filter(|e| {
            filter.sides.is_empty() || e.side.as_ref().is_some_and(|s| filter.sides.contains(s))
        })
        .collect())
}
