//! The data model: dates, the ontology, entities and relations, and the
//! graph they are assembled into. Everything here is already checked; the
//! model never reads files and never reports user errors.

pub mod date;
pub mod entity;
pub mod graph;
pub mod ontology;
