//! The diagram writers of [`crate::render`] behind the same [`Exporter`]
//! trait as the data formats: DOT (from which Graphviz makes SVG, PNG and
//! PDF), Mermaid, and Mermaid in a Markdown page with the sources under it.
//! Their input is a drawn [`Scene`] rather than the whole dataset; each is
//! an adapter that calls the renderer and changes nothing in its output.

use super::{ExportFile, Exporter};
use crate::render::{dot, mermaid};
use crate::view::Scene;

/// DOT, for Graphviz.
pub struct Dot;

/// A Mermaid diagram.
pub struct Mermaid;

/// A Markdown page: the Mermaid diagram, its caption and numbered sources.
pub struct MermaidMarkdown;

fn one(name: &str, text: String) -> Vec<ExportFile> {
    vec![ExportFile {
        name: name.into(),
        bytes: text.into_bytes(),
    }]
}

impl Exporter<Scene> for Dot {
    fn name(&self) -> &'static str {
        "dot"
    }

    fn about(&self) -> &'static str {
        "the diagram as Graphviz DOT"
    }

    fn export(&self, scene: &Scene) -> Vec<ExportFile> {
        one("diagram.dot", dot::to_dot(scene))
    }
}

impl Exporter<Scene> for Mermaid {
    fn name(&self) -> &'static str {
        "mermaid"
    }

    fn about(&self) -> &'static str {
        "the diagram as Mermaid"
    }

    fn export(&self, scene: &Scene) -> Vec<ExportFile> {
        one("diagram.mmd", mermaid::to_mermaid(scene))
    }
}

impl Exporter<Scene> for MermaidMarkdown {
    fn name(&self) -> &'static str {
        "markdown"
    }

    fn about(&self) -> &'static str {
        "the diagram as Mermaid in a Markdown page, with its sources"
    }

    fn export(&self, scene: &Scene) -> Vec<ExportFile> {
        one("diagram.md", mermaid::to_markdown(scene))
    }
}

/// Every text format of a diagram, in the order `--help` lists them.
pub const DIAGRAM_FORMATS: &[&dyn Exporter<Scene>] = &[&Dot, &Mermaid, &MermaidMarkdown];

/// The diagram writer called `name`.
pub fn diagram_exporter(name: &str) -> Option<&'static dyn Exporter<Scene>> {
    DIAGRAM_FORMATS.iter().copied().find(|f| f.name() == name)
}
