//! The sheets of the table-shaped exports (`csv`, `neo4j`): a header row,
//! then a row per entity or relation, each cell made by its column. Each
//! format says only which columns it has, in its own order and names.

use crate::model::date::Date;

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
