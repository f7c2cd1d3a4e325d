//! detente: a time-aware knowledge graph of diplomatic dialogue mechanisms
//! and the actors around them, with every fact cited.
//!
//! Data flows one way: [`mod@load`] reads YAML and reports every problem with
//! its file, line and column; [`model`] holds the checked graph; [`query`]
//! answers questions of it. The `detente` binary is a thin layer on top.
//!
//! ```
//! let dataset = detente::load::load(&detente::load::builtin_files()).expect("bundled data is valid");
//! let card = detente::query::card(&dataset, "lecd").expect("lecd is in the bundled data");
//! assert_eq!(card.entity.kind, "mechanism");
//! ```
#![warn(missing_docs)]

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}
pub mod load;
pub mod model;
pub mod query;
pub mod render;
pub mod site;
pub mod view;

pub use load::{load, Diagnostic};
pub use model::date::Date;
pub use model::graph::Dataset;
pub use model::text::{fold, traditional_to_simplified};
pub use site::{site, SiteError, SiteFile, SiteOptions, SvgRenderer};

/// Diagrams: the medium a picture is sized for, and the legibility rule
/// every slide obeys (body text in points, the smallest it may be drawn in
/// pixels). See [`view::Size::fit`].
pub use view::{Size, BODY_PT, MIN_TEXT_PX};
