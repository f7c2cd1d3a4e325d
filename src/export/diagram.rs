//! The diagram writers of [`crate::render`] behind the same [`Exporter`]
//! trait as the data formats: DOT (from which Graphviz makes SVG, PNG and
//! PDF), Mermaid, and Mermaid in a Markdown page with the sources under it.
//! Their input is a drawn [`Scene`] rather than the whole dataset; each is
//! an adapter that calls the renderer and changes nothing in its output.

use super::{ExportFile, Exporter};
use crate::render::{dot, mermaid};
use crate::view::Scene;

/// One text writer of a diagram: its name, what it is for, the name of
/// the file it would write, and the renderer that writes it.
pub struct DiagramWriter {
    name: &'static str,
    about: &'static str,
    file: &'static str,
    write: fn(&Scene) -> String,
}

impl Exporter<Scene> for DiagramWriter {
    fn name(&self) -> &'static str {
        self.name
    }

    fn about(&self) -> &'static str {
        self.about
    }

    fn export(&self, scene: &Scene) -> Vec<ExportFile> {
        vec![ExportFile {
            name: self.file.into(),
            bytes: (self.write)(scene).into_bytes(),
        }]
    }
}

/// Every text format of a diagram, in the order `--help` lists them.
pub const DIAGRAM_FORMATS: &[&dyn Exporter<Scene>] = &[
    &DiagramWriter {
        name: "dot",
        about: "the diagram as Graphviz DOT",
        file: "diagram.dot",
        write: dot::to_dot,
    },
    &DiagramWriter {
        name: "mermaid",
        about: "the diagram as Mermaid",
        file: "diagram.mmd",
        write: mermaid::to_mermaid,
    },
    &DiagramWriter {
        name: "markdown",
        about: "the diagram as Mermaid in a Markdown page, with its sources",
        file: "diagram.md",
        write: mermaid::to_markdown,
    },
];

/// The diagram writer called `name`.
pub fn diagram_exporter(name: &str) -> Option<&'static dyn Exporter<Scene>> {
    DIAGRAM_FORMATS.iter().copied().find(|f| f.name() == name)
}
