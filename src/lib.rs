//! detente: a time-aware knowledge graph of diplomatic dialogue mechanisms
//! and the actors around them, with every fact cited.
//!
//! Data flows one way: [`load`] reads YAML files ([`builtin_files`] or
//! [`read_dir`]) and reports every problem with its file, line and column
//! ([`Diagnostic`]); a [`Dataset`] holds the checked graph of [`Entity`]s
//! and [`Relation`]s; [`query`] answers questions of it; [`diagram`] draws
//! it. The `detente` binary is a thin layer on top.
//!
//! ```
//! let dataset = detente::load(&detente::builtin_files()).expect("bundled data is valid");
//! let card = detente::query::card(&dataset, "lecd").expect("lecd is in the bundled data");
//! assert_eq!(card.entity.kind, "mechanism");
//! ```
#![warn(missing_docs)]

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}
mod cli;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod load;
pub(crate) mod model;
pub mod query;
pub(crate) mod render;
pub(crate) mod site;
pub(crate) mod view;

/// Runs the `detente` command line on the process's arguments and returns
/// its exit code. This is what the `detente` binary does; it is here, and
/// not in the binary, so that the command line can use the library's
/// private parts. Not part of the library API.
#[doc(hidden)]
pub fn run_command_line() -> std::process::ExitCode {
    cli::main()
}

/// The problems of a dataset that did not load, drawn as `detente check`
/// prints them in text (without colour) for a terminal `width` columns
/// wide: each with the lines around its place, then a count. `files` are
/// the files given to [`load`], whose text is quoted.
///
/// ```
/// let files = vec![
///     detente::SourceFile::new("d/ontology.yaml", "kinds: [oops"),
/// ];
/// let problems = detente::load(&files).unwrap_err();
/// let text = detente::render_diagnostics(&files, &problems, 80);
/// assert!(text.contains("d/ontology.yaml:1:"), "{text}");
/// ```
pub fn render_diagnostics(files: &[SourceFile], problems: &[Diagnostic], width: usize) -> String {
    cli::report::render(files, problems, false, width)
}

// The library's surface. Everything else is `pub(crate)`: the modules
// can change shape without breaking anyone, and no petgraph, clap or miette
// type is part of the API.

// Loading a dataset.
pub use load::{
    builtin_files, load, read_dir, Diagnostic, Place, Pos, Problem, ReadError, SourceFile,
    MAX_FILE_BYTES,
};

// The checked data.
pub use model::date::{Date, DateError, Day, Limit, Truth, Window};
pub use model::entity::{Attribution, Citation, Entity, Names, Origin, Relation, Source, Stance};
pub use model::graph::{Dataset, Link};
pub use model::ontology::{
    EndRule, KindDef, Ontology, RelationDef, Role, RoleDef, SideDef, StatusDef,
};
pub use model::small::Text;

// Exports to other tools' formats, and importing spreadsheets.
pub use export::{exporter, references, select, CiteStyle, ExportFile, Exporter, FORMATS};
pub use import::{import_csv, RowProblem};

// Text folding, shared with the website's search.
pub use model::text::{fold, traditional_to_simplified};
pub use site::{site, SiteError, SiteFile, SiteOptions, SvgRenderer};

/// Diagrams: each view turns the dataset into a [`diagram::Scene`], which
/// [`diagram::to_dot`] (for Graphviz) or [`diagram::to_mermaid`] writes
/// as text. Options are validated by the query layer
/// ([`query::TimelineOptions::validate`] and the like), once.
///
/// ```
/// let ds = detente::load(&detente::builtin_files()).unwrap();
/// let lecd = detente::query::LineageOptions::default().validate(&ds, "lecd").unwrap();
/// let scene = detente::diagram::lineage(&ds, &lecd, &Default::default()).unwrap();
/// let dot = detente::diagram::to_dot(&detente::diagram::Scene::Graph(scene));
/// assert!(dot.starts_with("digraph"));
/// ```
///
/// A picture is sized for a medium ([`diagram::Size`]): [`diagram::Size::fit`]
/// applies the legibility rule every slide obeys (body text of
/// [`diagram::BODY_PT`] points, never drawn smaller than
/// [`diagram::MIN_TEXT_PX`] pixels).
///
/// Nodes link to entity pages only through a [`diagram::LinkBase`], which
/// accepts `http` and `https` URLs alone: a program cannot give the views a
/// `javascript:` link or a quote that breaks the SVG, any more than
/// `--link-base` can.
pub mod diagram {
    /// The text writers below behind the [`Exporter`](crate::Exporter)
    /// trait, by the names `--format` takes (`dot`, `mermaid`, `markdown`).
    pub use crate::export::{diagram_exporter, DIAGRAM_FORMATS};
    pub use crate::render::dot::{to_dot, PAD};
    pub use crate::render::mermaid::{sources_markdown, to_markdown, to_mermaid};
    pub use crate::view::{
        badge, ego, lineage, network, timeline, Band, DiagramOptions, Fit, GraphScene, KindKey,
        Legend, Line, LinkBase, LinkBaseError, Mark, Outline, Placement, Scene, SceneEdge,
        SceneNode, Shape, Size, SourceEntry, TimelineItem, TimelineScene, TooBig, BODY_PT,
        MIN_PRINT_PT, MIN_TEXT_PX, PAGE_PT, SLIDE_PX,
    };
}
