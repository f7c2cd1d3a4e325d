//! Scenes as Mermaid, for Markdown pages (GitHub renders it): graph views as
//! a `flowchart` with one subgraph per side, the timeline as a `timeline`.
//! Every label goes through `escape::mermaid`.

use std::fmt::Write as _;

use super::escape::{ident, markdown as md, mermaid as m, mermaid_url, yaml};
use crate::view::{badge, GraphScene, Placement, Scene, SourceEntry};

/// The Mermaid text of a scene. Same scene, same bytes.
pub fn to_mermaid(scene: &Scene) -> String {
    match scene {
        Scene::Graph(g) => flowchart(g),
        Scene::Timeline(t) => {
            let mut out = String::from("timeline\n");
            let _ = writeln!(out, "    title {}", m(&t.title));
            let mut year = String::new();
            for item in &t.items {
                if item.year != year {
                    year = item.year.clone();
                    let _ = writeln!(out, "    section {year}");
                }
                let _ = writeln!(
                    out,
                    "        {} : {} — {}",
                    m(&item.when),
                    m(&item.label),
                    m(&item.lane)
                );
            }
            footer(&mut out, &t.caption, &t.sources);
            out
        }
    }
}

/// A Markdown page: the Mermaid diagram in a fenced block, then its caption
/// and numbered sources as text, so the citations print under the diagram.
pub fn to_markdown(scene: &Scene) -> String {
    let (title, caption, sources) = match scene {
        Scene::Graph(g) => (&g.title, &g.caption, &g.sources),
        Scene::Timeline(t) => (&t.title, &t.caption, &t.sources),
    };
    let mut out = format!(
        "## {}

```mermaid
{}```

",
        md(title),
        to_mermaid(scene)
    );
    for c in caption {
        let _ = writeln!(out, "{}  ", md(c));
    }
    if scene.lists_sources() && !sources.is_empty() {
        out.push_str(
            "
**Sources**

",
        );
        for s in sources {
            let _ = writeln!(out, "{}. {}", s.n, md(&s.reference));
        }
    }
    out
}

/// The full numbered citations of a diagram, with the places in each
/// document it relies on, as a Markdown page: the companion file that
/// `--sources handout` writes beside a picture. The numbers are those on
/// the picture's nodes and lines.
pub fn sources_markdown(scene: &Scene) -> String {
    let mut out = format!("# Sources: {}\n\n", md(scene.title()));
    out.push_str(
        "The numbers in brackets on the diagram refer to these documents; \
         under each, the places in it that the diagram relies on.\n\n",
    );
    for s in scene.sources() {
        let _ = writeln!(out, "{}. {}", s.n, md(&s.reference));
        for l in &s.locators {
            let _ = writeln!(out, "   - {}", md(l));
        }
    }
    out
}

/// Mermaid node brackets for a Graphviz shape.
fn brackets(shape: &str) -> (&'static str, &'static str) {
    match shape {
        "hexagon" => ("{{", "}}"),
        "ellipse" | "oval" => ("([", "])"),
        "circle" | "doublecircle" => ("((", "))"),
        "diamond" => ("{", "}"),
        "octagon" => ("{{", "}}"),
        "note" | "tab" | "folder" => ("[/", "/]"),
        "house" => ("[\\", "/]"),
        "cylinder" => ("[(", ")]"),
        "component" | "box3d" => ("[[", "]]"),
        _ => ("[", "]"),
    }
}

fn flowchart(g: &GraphScene) -> String {
    let mut out = format!(
        "---\ntitle: {}\n---\nflowchart {}\n",
        yaml(&g.title),
        g.rankdir
    );
    let node_line = |out: &mut String, indent: &str, n: &crate::view::SceneNode| {
        let (open, close) = brackets(&n.shape);
        let cites = badge(&n.cites);
        let label = if cites.is_empty() {
            n.label.clone()
        } else {
            format!("{}\n{cites}", n.label)
        };
        let _ = writeln!(
            out,
            "{indent}{}{open}\"{}\"{close}",
            ident(&n.id),
            m(&label)
        );
    };
    // The network groups nodes by side, as its bands do; other views are flat.
    let grouped = g.placement == Placement::Pinned;
    let mut groups: Vec<&str> = Vec::new();
    for n in &g.nodes {
        match (&n.group, grouped) {
            (Some(s), true) => {
                if !groups.contains(&s.as_str()) {
                    groups.push(s);
                }
            }
            _ => node_line(&mut out, "    ", n),
        }
    }
    for (i, label) in groups.iter().enumerate() {
        let _ = writeln!(out, "    subgraph side{i}[\"{}\"]", m(label));
        for n in g
            .nodes
            .iter()
            .filter(|n| n.group.as_deref() == Some(*label))
        {
            node_line(&mut out, "        ", n);
        }
        let _ = writeln!(out, "    end");
    }
    for (i, e) in g.edges.iter().enumerate() {
        let arrow = match e.style.as_str() {
            "dashed" | "dotted" => "-.->",
            "bold" => "==>",
            _ => "-->",
        };
        let cites = badge(&e.cites);
        let label = match (e.label.is_empty(), cites.is_empty()) {
            (true, _) => cites,
            (false, true) => e.label.clone(),
            (false, false) => format!("{}\n{cites}", e.label),
        };
        if label.is_empty() {
            let _ = writeln!(out, "    {} {arrow} {}", ident(&e.from), ident(&e.to));
        } else {
            let _ = writeln!(
                out,
                "    {} {arrow}|\"{}\"| {}",
                ident(&e.from),
                m(&label),
                ident(&e.to)
            );
        }
        let _ = writeln!(out, "    linkStyle {i} stroke:{}", e.color);
    }
    for n in &g.nodes {
        let dash = if n.dashed {
            ",stroke-dasharray:4 3"
        } else {
            ""
        };
        let width = if n.focus { 3 } else { 1 };
        let _ = writeln!(
            out,
            "    style {} fill:{},stroke:{},stroke-width:{width}px{dash}",
            ident(&n.id),
            n.fill,
            n.border
        );
    }
    for n in g.nodes.iter().filter(|n| n.url.is_some()) {
        let _ = writeln!(
            out,
            "    click {} href \"{}\"",
            ident(&n.id),
            mermaid_url(n.url.as_deref().unwrap_or_default())
        );
    }
    footer(&mut out, &g.caption, &g.sources);
    out
}

/// Caption and sources as Mermaid comments: Mermaid has no footnotes, and
/// a Markdown page prints the source list under the diagram.
fn footer(out: &mut String, caption: &[String], sources: &[SourceEntry]) {
    // Escaped like labels: Mermaid reads `%%{…}%%` directives even in
    // comment lines, so data must not be able to write one.
    let sources = sources.iter().map(|s| format!("[{}] {}", s.n, s.reference));
    for line in caption.iter().cloned().chain(sources) {
        let _ = writeln!(out, "%% {}", m(&line.replace('\n', " ")));
    }
}
