//! The sheets of the table-shaped exports (`csv`, `neo4j`): a header row,
//! then a row per entity or relation, each cell made by its column. Each
//! format says only which columns it has, in its own order and names.

use super::csv::reference;
use crate::model::date::Date;
use crate::model::entity::Attribution;
use crate::model::graph::Dataset;

/// A column: its header, and how a row's cell is made from the item.
pub(super) type Column<'f, T> = (&'f str, &'f dyn Fn(&T) -> String);

/// The header row, then a row per item.
pub(super) fn sheet<T>(
    columns: &[Column<'_, T>],
    items: impl IntoIterator<Item = T>,
) -> Vec<Vec<String>> {
    let mut rows = vec![columns
        .iter()
        .map(|(header, _)| header.to_string())
        .collect()];
    rows.extend(
        items
            .into_iter()
            .map(|item| columns.iter().map(|(_, cell)| cell(&item)).collect()),
    );
    rows
}

/// A date as written (EDTF), or nothing.
pub(super) fn written(date: Option<&Date>) -> String {
    date.map(|d| d.as_str().to_string()).unwrap_or_default()
}

/// The earliest day a date may start (ISO), or nothing.
pub(super) fn earliest(date: Option<&Date>) -> String {
    super::dates(date).0
}

/// The latest day a date may end (ISO), or nothing.
pub(super) fn latest(date: Option<&Date>) -> String {
    super::dates(date).1
}

/// Who says an entity's date or status holds, when it rests on someone's
/// word (`date: {value, claimed_by, …}`), or nothing.
pub(super) fn claimed_by(claim: Option<&Attribution>) -> String {
    claim.map(|c| c.claimed_by.to_string()).unwrap_or_default()
}

/// What kind of statement that word is, or nothing.
pub(super) fn claim_stance(claim: Option<&Attribution>) -> String {
    claim
        .map(|c| c.stance.as_str().to_string())
        .unwrap_or_default()
}

/// Where they say it, as [`super::csv::citations`] writes citations.
pub(super) fn claim_citations(ds: &Dataset, claim: Option<&Attribution>) -> String {
    claim
        .map(|c| super::csv::citations(ds, &c.sources))
        .unwrap_or_default()
}

/// A document's own bibliographic record, as a reference, or nothing.
pub(super) fn record(ds: &Dataset, source: Option<&str>) -> String {
    source
        .map(|id| reference(ds, id).to_string())
        .unwrap_or_default()
}
