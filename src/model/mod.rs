//! The data model: dates, the ontology, entities and relations, and the
//! graph they are assembled into, and the folding that makes two texts
//! the same for search. Everything here is already checked; the
//! model never reads files and never reports user errors.

pub(crate) mod adjacency;
pub(crate) mod cited;
pub mod date;
pub mod entity;
pub(crate) mod folded;
pub mod graph;
pub(crate) mod kept;
pub mod ontology;
pub mod small;
pub mod text;
