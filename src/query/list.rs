//! `detente list`: entities filtered by kind and side.

use super::ListSettings;
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
/// does not declare was refused by [`Filter::validate`]: a typo must not
/// look like "nothing there".
pub fn list<'a>(ds: &'a Dataset, settings: &ListSettings) -> Vec<&'a Entity> {
    let filter = settings.filter();
    ds.entities()
        .filter(|e| {
            filter.kinds.is_empty() || filter.kinds.iter().any(|v| v.as_str() == e.kind.as_str())
        })
        .filter(|e| {
            filter.sides.is_empty()
                || e.side
                    .as_ref()
                    .is_some_and(|s| filter.sides.iter().any(|v| v.as_str() == s.as_str()))
        })
        .collect()
}
