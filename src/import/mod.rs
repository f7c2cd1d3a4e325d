//! Data files → a dataset: the reverse of [`crate::export`]. Each importer
//! checks every row against the dataset it joins and either returns the
//! YAML to write or every problem it found; it never writes anything
//! itself.

mod csv;

pub use self::csv::{import_csv, RowProblem};
