//! Writers: a [`Scene`](crate::view::Scene) from [`crate::view`] as text in
//! one output language each: [`dot`] (Graphviz, from which `dot` makes SVG,
//! PNG and PDF) and [`mermaid`]. Each is a pure function from a scene to
//! text; running Graphviz and writing files happen in the binary; [`pdf`]
//! joins the PDF pages Graphviz draws into one handout. All user
//! text passes through the one escaping function of its language, in
//! `escape`.

mod escape;

pub mod dot;
pub mod mermaid;
pub mod pdf;
