//! Views: the queries' answers turned into a renderer-neutral [`Scene`]
//! (nodes, edges, lanes, a legend built from what is drawn, citation marks).
//! A view decides *what* is drawn and, for the timeline and the network,
//! *where*; it knows no output language. The writers in [`crate::render`]
//! turn a scene into DOT or Mermaid text. Nothing here escapes text, runs
//! a program or writes a file.

mod graph;
mod timeline;

pub use graph::{ego, lineage, network};
pub use timeline::{timeline, Line, Shape, TimelineItem, TimelineScene};

use crate::model::graph::Dataset;
use crate::query::cite::Cites;

/// Options every view takes.
#[derive(Debug, Clone, Default)]
pub struct DiagramOptions {
    /// Where the data came from, for the caption.
    pub data: String,
    /// The `--as-claimed-by` entity, if the dataset was narrowed to one voice.
    pub claimed_by: Option<String>,
    /// Base URL of entity pages: nodes link to `BASE` + id.
    pub link_base: Option<String>,
}

/// A diagram ready to be written in any language.
#[derive(Debug, Clone)]
pub enum Scene {
    /// Nodes and edges laid out by Graphviz.
    Graph(GraphScene),
    /// Items placed on a time axis by us.
    Timeline(timeline::TimelineScene),
}

/// Who places the nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Graphviz's `dot` lays the graph out.
    Dot,
    /// Nodes carry positions; Graphviz only routes the edges.
    Pinned,
}

/// A background band behind pinned nodes: one side of the network.
#[derive(Debug, Clone)]
pub struct Band {
    /// Label, drawn at the band's top.
    pub label: String,
    /// Colour of the label and outline.
    pub color: String,
    /// Left edge, in points.
    pub x: f64,
    /// Top edge, in points (downwards).
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// A node-and-edge diagram.
#[derive(Debug, Clone)]
pub struct GraphScene {
    /// Who places the nodes.
    pub placement: Placement,
    /// Side bands behind pinned nodes.
    pub bands: Vec<Band>,
    /// The title, at the top.
    pub title: String,
    /// Caption lines: date range, data source, point of view.
    pub caption: Vec<String>,
    /// `LR` or `TB`.
    pub rankdir: &'static str,
    /// Nodes.
    pub nodes: Vec<SceneNode>,
    /// Edges.
    pub edges: Vec<SceneEdge>,
    /// What the shapes, colours and lines mean.
    pub legend: Legend,
    /// The numbered source list.
    pub sources: Vec<String>,
}

/// A node.
#[derive(Debug, Clone)]
pub struct SceneNode {
    /// Entity id.
    pub id: String,
    /// Label lines.
    pub label: String,
    /// Graphviz shape.
    pub shape: String,
    /// Fill colour.
    pub fill: String,
    /// Border colour.
    pub border: String,
    /// Dashed border: proposed, never created.
    pub dashed: bool,
    /// Drawn heavier: the entity a view is about.
    pub focus: bool,
    /// Hover text: name, kind, date, summary, citation numbers.
    pub tooltip: String,
    /// Link to the entity's page.
    pub url: Option<String>,
    /// Centre, in points (downwards), when the scene is pinned.
    pub pos: Option<(f64, f64)>,
    /// The label of the entity's side, for formats that group by it.
    pub group: Option<String>,
}

/// An edge.
#[derive(Debug, Clone)]
pub struct SceneEdge {
    /// Source node id.
    pub from: String,
    /// Target node id.
    pub to: String,
    /// Label.
    pub label: String,
    /// `solid`, `dashed`, `dotted` or `bold`.
    pub style: String,
    /// Colour.
    pub color: String,
    /// Hover text: relation, dates, who claims it, citation numbers.
    pub tooltip: String,
}

/// The legend.
#[derive(Debug, Clone, Default)]
pub struct Legend {
    /// Sides used: (label, colour of borders).
    pub sides: Vec<(String, String)>,
    /// Kinds used: (label, shape, fill).
    pub kinds: Vec<(String, String, String)>,
    /// Relation types used: (label, style, colour).
    pub relations: Vec<(String, String, String)>,
    /// Other marks used: (label, what it looks like).
    pub marks: Vec<(String, Mark)>,
}

/// Marks a legend may explain besides kinds and relation types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A dashed node border: proposed, never created.
    Proposed,
    /// A dashed edge: someone's claim, not the record.
    Claimed,
    /// A heavy border: the entity the view is about.
    Focus,
    /// A `~` or dashed bar: approximate or uncertain date.
    Approximate,
    /// A thin dashed line: the window in which a start, an end or a
    /// happening falls.
    Window,
    /// An arrow at a bar's end: still going, or end unknown.
    OpenEnd,
}

/// Display width in columns: a Chinese or other wide character takes two,
/// as it does on the page. Layout estimates are made in these columns.
pub(crate) fn text_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Wraps a label to about `width` columns a line: between words, and also
/// between wide (CJK) characters, since Chinese has no spaces to break at.
pub(crate) fn wrap(s: &str, width: usize) -> String {
    // Line breaks already in the text stay; each line is wrapped on its own.
    if s.contains('\n') {
        return s
            .lines()
            .map(|l| wrap(l, width))
            .collect::<Vec<_>>()
            .join("\n");
    }
    // Pieces to place: text and whether a space goes before it.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for word in s.split_whitespace() {
        let mut first = true;
        let mut run = String::new();
        for c in word.chars() {
            if unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > 1 {
                if !run.is_empty() {
                    pieces.push((std::mem::take(&mut run), first));
                    first = false;
                }
                pieces.push((c.to_string(), first));
                first = false;
            } else {
                run.push(c);
            }
        }
        if !run.is_empty() {
            pieces.push((run, first));
        }
    }
    let mut lines: Vec<String> = vec![String::new()];
    for (piece, spaced) in pieces {
        let line = lines.last_mut().expect("never empty");
        let extra = usize::from(spaced && !line.is_empty());
        if !line.is_empty() && text_width(line) + extra + text_width(&piece) > width {
            lines.push(piece);
        } else {
            if extra == 1 {
                line.push(' ');
            }
            line.push_str(&piece);
        }
    }
    lines.join("\n")
}

/// The numbered source list of a diagram: each document once, followed by
/// its numbered locators, documents in order of their first number.
pub(crate) fn source_lines(cites: Cites) -> Vec<String> {
    let mut docs: Vec<(String, Vec<String>)> = Vec::new();
    for s in cites.finish() {
        let quote = s.quote.map(|q| format!(" “{q}”")).unwrap_or_default();
        let loc = format!("[{}] {}{quote}", s.n, s.at);
        match docs.iter_mut().find(|(r, _)| *r == s.reference) {
            Some((_, locs)) => locs.push(loc),
            None => docs.push((s.reference, vec![loc])),
        }
    }
    docs.into_iter()
        .map(|(r, locs)| format!("{r} — {}", locs.join("; ")))
        .collect()
}

/// `[1][3]`.
pub(crate) fn cite_marks(ns: &[usize]) -> String {
    let mut ns = ns.to_vec();
    ns.sort_unstable();
    ns.iter().map(|n| format!("[{n}]")).collect()
}

/// The caption line naming the data and the point of view.
pub(crate) fn provenance(ds: &Dataset, opts: &DiagramOptions) -> String {
    let voice = opts.claimed_by.as_ref().map(|c| {
        let name = ds.entity(c).map_or(c.as_str(), |e| e.label());
        format!(" · as claimed by {name} (plus the plain record; dashed lines are claims)")
    });
    format!("Data: detente, {}{}", opts.data, voice.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_words_and_chinese() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("国家互联网信息办公室", 8), "国家互联\n网信息办\n公室");
        assert_eq!(wrap("CAC 国家互联网", 8), "CAC 国家\n互联网");
        assert_eq!(wrap("succeeded by\nSep 2015", 30), "succeeded by\nSep 2015");
    }
}
