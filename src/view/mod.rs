//! Views: the queries' answers turned into a renderer-neutral [`Scene`]
//! (nodes, edges, lanes, a legend built from what is drawn, citation marks).
//! A view decides *what* is drawn and, for the timeline and the network,
//! *where*; it knows no output language. The writers in [`crate::render`]
//! turn a scene into DOT or Mermaid text. Nothing here escapes text, runs
//! a program or writes a file.

mod graph;
mod link;
mod timeline;

pub use graph::{ego, lineage, network};
pub use link::{LinkBase, LinkBaseError};
pub(crate) use timeline::{refuse_unreadable, Crowded};
pub use timeline::{timeline, Line, Shape, TimelineItem, TimelineScene};

use std::collections::BTreeMap;

use crate::model::entity::Citation;
use crate::model::graph::Dataset;

/// Options every view takes.
#[derive(Debug, Clone, Default)]
pub struct DiagramOptions {
    /// Where the data came from, for the caption.
    pub data: String,
    /// The `--as-claimed-by` entity, if the dataset was narrowed to one voice.
    pub claimed_by: Option<String>,
    /// Base URL of entity pages: nodes link to `BASE` + id. Checked when
    /// made ([`LinkBase::new`]), so no view or writer sees an unchecked one.
    pub link_base: Option<LinkBase>,
    /// The medium the picture is for.
    pub size: Size,
    /// A title instead of the view's own.
    pub title: Option<String>,
    /// A caption instead of the view's own description (the line naming
    /// the data and its point of view stays).
    pub caption: Option<String>,
    /// How hard to squeeze the picture into its medium: 0 draws it as
    /// roomily as the medium allows; each step draws fewer nodes (where the
    /// view chooses them) and narrower labels. The binary raises it until
    /// the picture fits.
    pub squeeze: u8,
    /// The numbered sources go elsewhere (a companion file, or nowhere),
    /// not in a list under the drawing, which then has more room.
    pub sources_apart: bool,
}

/// The medium a diagram is drawn for, and so how much it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Size {
    /// A 1920 × 1080 px slide, body text at least [`MIN_TEXT_PX`] px.
    #[default]
    Slide,
    /// An A4 or US Letter page, body text at least [`MIN_PRINT_PT`] pt.
    Handout,
    /// Unbounded: everything asked for, at its natural size.
    Poster,
}

/// The smallest body text a slide may have, in pixels of a 1920 × 1080
/// picture: what a projector at the back of a classroom still shows.
pub const MIN_TEXT_PX: f64 = 14.0;
/// The smallest body text a printed handout may have, in points.
pub const MIN_PRINT_PT: f64 = 7.0;
/// The body text size of every diagram, in points.
pub const BODY_PT: f64 = 11.0;
/// A slide, in pixels.
pub const SLIDE_PX: (f64, f64) = (1920.0, 1080.0);
/// The printable area of a page that both A4 and US Letter hold (the
/// narrower width of Letter, the shorter height of A4, less 1.5 cm
/// margins), in points, portrait.
pub const PAGE_PT: (f64, f64) = (569.0, 799.0);

/// How a drawing of `w` × `h` points is to be scaled for its medium.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// Pixels per inch for a raster picture (72 = one pixel a point).
    pub dpi: f64,
    /// Scale of the drawing on the page (1 = natural size).
    pub scale: f64,
    /// The page is landscape (handouts).
    pub landscape: bool,
}

/// Why a drawing cannot be shown on its medium.
#[derive(Debug, Clone, PartialEq)]
pub struct TooBig {
    /// The medium.
    pub size: Size,
    /// How large the body text would have to be drawn, in the medium's
    /// unit (`px` for a slide, `pt` on paper).
    pub text: f64,
}

impl Size {
    /// How to draw a `w` × `h` point drawing on this medium: a slide at the
    /// highest resolution up to 144 dpi that fits 1920 × 1080 px, a page
    /// scaled down (never up) to fit, portrait or landscape as the drawing's
    /// shape suits. Refused when the body text would come out smaller than
    /// the medium's minimum.
    pub fn fit(self, w: f64, h: f64) -> Result<Fit, TooBig> {
        match self {
            Size::Poster => Ok(Fit {
                dpi: 96.0,
                scale: 1.0,
                landscape: false,
            }),
            Size::Slide => {
                let dpi = (SLIDE_PX.0 / w * 72.0)
                    .min(SLIDE_PX.1 / h * 72.0)
                    .min(144.0);
                let text = BODY_PT * dpi / 72.0;
                if text + 1e-9 < MIN_TEXT_PX {
                    return Err(TooBig {
                        size: self,
                        text: (text * 10.0).floor() / 10.0,
                    });
                }
                Ok(Fit {
                    dpi: dpi.floor(),
                    scale: 1.0,
                    landscape: false,
                })
            }
            Size::Handout => {
                let landscape = w > h;
                let (pw, ph) = if landscape {
                    (PAGE_PT.1, PAGE_PT.0)
                } else {
                    PAGE_PT
                };
                let scale = (pw / w).min(ph / h).min(1.0);
                let text = BODY_PT * scale;
                if text + 1e-9 < MIN_PRINT_PT {
                    return Err(TooBig {
                        size: self,
                        text: (text * 10.0).floor() / 10.0,
                    });
                }
                Ok(Fit {
                    dpi: 144.0,
                    scale,
                    landscape,
                })
            }
        }
    }

    /// The size's name, as `--size` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Size::Slide => "slide",
            Size::Handout => "handout",
            Size::Poster => "poster",
        }
    }
}

/// A diagram ready to be written in any language.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Scene {
    /// Nodes and edges laid out by Graphviz.
    Graph(GraphScene),
    /// Items placed on a time axis by us.
    Timeline(timeline::TimelineScene),
}

impl Scene {
    /// The title.
    pub fn title(&self) -> &str {
        match self {
            Scene::Graph(g) => &g.title,
            Scene::Timeline(t) => &t.title,
        }
    }

    /// The documents cited, numbered as the badges are.
    pub fn sources(&self) -> &[SourceEntry] {
        match self {
            Scene::Graph(g) => &g.sources,
            Scene::Timeline(t) => &t.sources,
        }
    }

    /// What the legend shows.
    pub fn legend(&self) -> &Legend {
        match self {
            Scene::Graph(g) => &g.legend,
            Scene::Timeline(t) => &t.legend,
        }
    }

    /// Whether the source list is drawn under the diagram.
    pub fn lists_sources(&self) -> bool {
        match self {
            Scene::Graph(g) => g.list_sources,
            Scene::Timeline(t) => t.list_sources,
        }
    }

    /// Draws the source list under the diagram, or not.
    pub fn set_list_sources(&mut self, on: bool) {
        match self {
            Scene::Graph(g) => g.list_sources = on,
            Scene::Timeline(t) => t.list_sources = on,
        }
    }
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
    /// The documents cited, numbered as the badges are.
    pub sources: Vec<SourceEntry>,
    /// Whether the drawing lists the sources under it.
    pub list_sources: bool,
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
    /// How the shape is told from another kind's with the same shape.
    pub outline: Outline,
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
    /// Numbers of the documents it cites, for its badge.
    pub cites: Vec<usize>,
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
    /// Numbers of the documents it cites, for its badge.
    pub cites: Vec<usize>,
    /// Where the badge goes, in points (downwards), when the scene is
    /// pinned: a place on the line clear of every box and other badge.
    /// Elsewhere the badge is the line's label, placed by Graphviz.
    pub badge_at: Option<(f64, f64)>,
    /// Where a pinned scene's line bends, in points (downwards), in order
    /// from `from` to `to`: a line drawn straight would run through a box it
    /// does not join, so it goes round it by these points (one, or two where
    /// one will not do) instead. Empty: straight.
    pub via: Vec<(f64, f64)>,
}

/// The legend.
#[derive(Debug, Clone, Default)]
pub struct Legend {
    /// Sides used: (label, colour).
    pub sides: Vec<(String, String)>,
    /// Sides are told by the fill of bars and markers (the timeline), not
    /// by the border of boxes (the graph views).
    pub sides_fill: bool,
    /// Kinds used, each with the forms it is drawn in.
    pub kinds: Vec<KindKey>,
    /// Relation types used: (label, style, colour).
    pub relations: Vec<(String, String, String)>,
    /// Other marks used: (label, what it looks like).
    pub marks: Vec<(String, Mark)>,
    /// The widest a line of the legend, the source list or the caption may
    /// run, in points: what the medium leaves, less each squeeze.
    pub width: f64,
}

/// A kind of entity as a legend shows it: its fill and every form its
/// entities take in the picture (a timeline draws an event that lasts as
/// a bar, a one-day event as an octagon).
#[derive(Debug, Clone, PartialEq)]
pub struct KindKey {
    /// The kind's label.
    pub label: String,
    /// Fill colour.
    pub fill: String,
    /// Graphviz shape (or `bar`) and outline of each form drawn.
    pub forms: Vec<(String, Outline)>,
}

/// How a kind's shape is told from another kind's drawn with the same
/// shape in the same picture: the ontology gives mechanisms, rounds and
/// proposals all a box, and a reader must still tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Outline {
    /// The shape as the ontology gives it.
    #[default]
    Plain,
    /// Rounded corners.
    Rounded,
    /// Corners cut by a short diagonal.
    Diagonals,
    /// A second outline around the shape.
    Double,
}

impl Outline {
    /// The `n`th way (0 = plain) to tell kinds that share `shape` apart:
    /// corners can be rounded or cut only on shapes that have them.
    pub(crate) fn nth(shape: &str, n: usize) -> Outline {
        let cornered = !matches!(
            shape,
            "ellipse"
                | "oval"
                | "circle"
                | "doublecircle"
                | "point"
                | "plaintext"
                | "plain"
                | "none"
        );
        let ways: &[Outline] = if cornered {
            &[
                Outline::Plain,
                Outline::Rounded,
                Outline::Diagonals,
                Outline::Double,
            ]
        } else {
            &[Outline::Plain, Outline::Double]
        };
        ways[n.min(ways.len() - 1)]
    }
}

/// Which outline each kind gets, so that kinds the ontology gives one
/// shape look different, and look the same in every picture of a dataset
/// (a mechanism is not a plain box in one view and a rounded box in the
/// next): of the kinds sharing a shape, the one with most entities in the
/// dataset keeps it plain (ties by kind id); the others are rounded, cut
/// or doubled in turn. A picture draws only some of them; its legend names
/// the outlines it uses.
pub(crate) fn outlines(ds: &Dataset) -> BTreeMap<String, Outline> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for e in ds.entities() {
        *count.entry(e.kind.as_str()).or_default() += 1;
    }
    let mut by_shape: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for (kind, def) in &ds.ontology().kinds {
        let n = count.get(kind.as_str()).copied().unwrap_or(0);
        by_shape
            .entry(def.shape.as_str())
            .or_default()
            .push((kind.as_str(), n));
    }
    ranked(by_shape)
}

/// Outlines for a timeline's markers, from the kinds drawn as markers in
/// that picture (`drawn`: kind, shape, how many): of the kinds sharing a
/// shape, the most drawn keeps it plain (ties by kind id). A marker is a
/// small filled shape on which a rounded or cut corner hardly shows, so
/// the dataset-wide ranking of [`outlines`] would name in the legend an
/// outline the reader cannot see; here the plain shape goes to what is
/// there, and only a second kind of the same shape is told apart.
pub(crate) fn marker_outlines(drawn: &[(String, String, usize)]) -> BTreeMap<String, Outline> {
    let mut by_shape: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for (kind, shape, n) in drawn {
        by_shape.entry(shape).or_default().push((kind, *n));
    }
    ranked(by_shape)
}

/// Of the kinds sharing each shape (with how many of each), the most
/// numerous keeps the shape plain (ties by kind id); the others are
/// rounded, cut or doubled in turn.
fn ranked(by_shape: BTreeMap<&str, Vec<(&str, usize)>>) -> BTreeMap<String, Outline> {
    let mut out = BTreeMap::new();
    for (shape, mut kinds) in by_shape {
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        for (i, (kind, _)) in kinds.into_iter().enumerate() {
            out.insert(kind.to_string(), Outline::nth(shape, i));
        }
    }
    out
}

/// Marks a legend may explain besides kinds and relation types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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

/// A Graphviz shape in a reader's words, for the legend.
pub(crate) fn shape_name(shape: &str) -> String {
    match shape {
        "box" | "rect" | "rectangle" => "box".into(),
        "doublecircle" => "double circle".into(),
        "plaintext" | "plain" | "none" => "text only".into(),
        "component" => "box with tabs".into(),
        "note" => "page with folded corner".into(),
        "house" => "house".into(),
        "bar" => "bar".into(),
        other => other.into(),
    }
}

/// A shape with its outline, in a reader's words: `rounded box`.
pub(crate) fn form_name(shape: &str, outline: Outline) -> String {
    // A timeline's bars: solid, hollow, or ticked across each end.
    if shape == "bar" {
        return match outline {
            Outline::Plain | Outline::Rounded => "bar",
            Outline::Double => "hollow bar",
            Outline::Diagonals => "bar with end ticks",
        }
        .into();
    }
    let name = shape_name(shape);
    match outline {
        Outline::Plain => name,
        Outline::Rounded => format!("rounded {name}"),
        Outline::Diagonals => format!("{name} with cut corners"),
        Outline::Double => format!("double-outlined {name}"),
    }
}

/// The short line a legend draws for a relation type's style.
pub(crate) fn line_glyph(style: &str) -> &'static str {
    match style {
        "dashed" => "╌╌▸",
        "dotted" => "┈┈▸",
        "bold" => "━━▶",
        _ => "──▸",
    }
}

impl Mark {
    /// The characters a legend draws for the mark.
    pub(crate) fn glyph(self) -> &'static str {
        match self {
            Mark::Proposed => "┄▭┄",
            Mark::Claimed => "╌╌▸",
            Mark::Focus => "▣",
            // A marker with a dashed outline, not the dashes of a window.
            Mark::Approximate => "◌",
            Mark::Window => "┄┄",
            Mark::OpenEnd => "━━▶",
        }
    }
}

impl Legend {
    /// The text of each entry, in the order a legend draws them: sides,
    /// kinds with the forms they take, relation types, marks.
    fn entry_texts(&self) -> Vec<String> {
        let mut out: Vec<String> = self.sides.iter().map(|(l, _)| l.clone()).collect();
        for k in &self.kinds {
            let forms: Vec<String> = k.forms.iter().map(|(s, o)| form_name(s, *o)).collect();
            out.push(format!("{} ({})", k.label, forms.join(" or ")));
        }
        for (label, style, _) in &self.relations {
            out.push(format!("{}{label}", line_glyph(style)));
        }
        for (label, mark) in &self.marks {
            out.push(format!("{}{label}", mark.glyph()));
        }
        out
    }

    /// How many entries a line of the legend holds: as many columns as
    /// fit its width, each as wide as its widest entry, estimated at 12 pt,
    /// about 7 pt a character, plus the swatch.
    pub(crate) fn columns(&self) -> usize {
        let widths: Vec<f64> = self
            .entry_texts()
            .iter()
            .map(|t| text_width(t.trim()) as f64 * 7.0 + 26.0 + 20.0)
            .collect();
        (1..=widths.len().max(1))
            .rev()
            .find(|&n| {
                let total: f64 = (0..n)
                    .map(|c| {
                        widths
                            .iter()
                            .skip(c)
                            .step_by(n)
                            .fold(0.0, |a: f64, &w| a.max(w))
                    })
                    .sum();
                total <= self.width
            })
            .unwrap_or(1)
    }

    /// How many lines the legend runs to.
    pub(crate) fn rows(&self) -> usize {
        self.entry_texts().len().div_ceil(self.columns())
    }
}

/// The numbered source list as the lines printed under a drawing:
/// `Sources:` and the entries run on as a paragraph, packed into lines of
/// `width` points without being split, so that the list takes the width of
/// a slide, not its height. The list is 10 pt, about 5.4 pt a character.
pub(crate) fn source_lines(sources: &[SourceEntry], width: f64) -> Vec<String> {
    let line_columns = (width / 5.4) as usize;
    let mut lines: Vec<String> = vec!["Sources:".to_string()];
    for s in sources {
        let entry = format!("[{}] {}", s.n, s.short);
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() && text_width(line) + 4 + text_width(&entry) > line_columns {
            lines.push(entry);
        } else {
            if !line.is_empty() {
                line.push_str("    ");
            }
            line.push_str(&entry);
        }
    }
    lines
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

/// One document a diagram cites, with the number its badges carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    /// The number printed on the nodes and lines that cite it.
    pub n: usize,
    /// The reference, without its URL: what a slide lists.
    pub short: String,
    /// The full reference, with its URL when it has one.
    pub reference: String,
    /// The places in it the diagram relies on: locator and quote.
    pub locators: Vec<String>,
}

/// Numbers the documents a diagram cites, in the order they are first
/// cited. A diagram numbers documents, not passages: a badge must stay
/// short enough to sit on a box, and the handout lists the passages under
/// each document's number.
pub(crate) struct DocCites<'a> {
    ds: &'a Dataset,
    docs: Vec<(&'a str, Vec<String>)>,
}

impl<'a> DocCites<'a> {
    pub(crate) fn new(ds: &'a Dataset) -> DocCites<'a> {
        DocCites {
            ds,
            docs: Vec::new(),
        }
    }

    /// The numbers of the documents these citations are in, ascending.
    pub(crate) fn number(&mut self, cites: &'a [Citation]) -> Vec<usize> {
        let mut out = Vec::new();
        for c in cites {
            let quote = c.quote.as_ref().map(|q| format!(" \u{201c}{q}\u{201d}"));
            let loc = format!("{}{}", c.at, quote.unwrap_or_default());
            let i = match self.docs.iter().position(|(s, _)| *s == c.source) {
                Some(i) => i,
                None => {
                    self.docs.push((&c.source, Vec::new()));
                    self.docs.len() - 1
                }
            };
            if !self.docs[i].1.contains(&loc) {
                self.docs[i].1.push(loc);
            }
            if !out.contains(&(i + 1)) {
                out.push(i + 1);
            }
        }
        out.sort_unstable();
        out
    }

    pub(crate) fn finish(self) -> Vec<SourceEntry> {
        let ds = self.ds;
        self.docs
            .into_iter()
            .enumerate()
            .map(|(i, (id, locators))| {
                let (short, reference) = match ds.source(id) {
                    Some(s) => (short_reference(s), s.reference()),
                    None => (id.to_string(), id.to_string()),
                };
                SourceEntry {
                    n: i + 1,
                    short,
                    reference,
                    locators,
                }
            })
            .collect()
    }
}

/// A reference short enough for one line of a slide's source list: who
/// (authors, else publisher, else container), the title cut to a few
/// words, the year. The handout has the full reference.
fn short_reference(s: &crate::model::entity::Source) -> String {
    const TITLE: usize = 32;
    let who = match s.authors.as_slice() {
        [] => s
            .publisher
            .as_ref()
            .or(s.container.as_ref())
            .map(|t| t.to_string()),
        [one] => Some(one.to_string()),
        [first, ..] => Some(format!("{first} et al.")),
    };
    let mut title = String::new();
    for c in s.title.chars() {
        if text_width(&title) >= TITLE {
            title = title.trim_end().to_string();
            title.push('…');
            break;
        }
        title.push(c);
    }
    let year = s.date.as_ref().and_then(|d| match d.start().earliest {
        crate::model::date::Limit::Day(day) => Some(day.ymd().0),
        _ => None,
    });
    let mut out = String::new();
    if let Some(w) = who {
        out.push_str(&w);
        out.push_str(", ");
    }
    out.push_str(&format!("\u{201c}{title}\u{201d}"));
    if let Some(y) = year {
        out.push_str(&format!(", {y}"));
    }
    out
}

/// `[1, 3]`: the badge on a node or line.
pub fn badge(ns: &[usize]) -> String {
    if ns.is_empty() {
        return String::new();
    }
    let list: Vec<String> = ns.iter().map(usize::to_string).collect();
    format!("[{}]", list.join(", "))
}

/// `[1][3]`.
pub(crate) fn cite_marks(ns: &[usize]) -> String {
    let mut ns = ns.to_vec();
    ns.sort_unstable();
    ns.iter().map(|n| format!("[{n}]")).collect()
}

/// The widest a line of text under or over a drawing may run, in points:
/// a slide's legible width (1920 px at 14 px for 11-pt text is 1508 pt)
/// or a landscape page's (7-pt text on 799 pt is 1255 pt), with room to
/// spare, narrower by a tenth for each squeeze.
pub(crate) fn text_budget(opts: &DiagramOptions) -> f64 {
    roomy_text(opts.size) * 0.9f64.powi(i32::from(opts.squeeze))
}

/// [`text_budget`] before any squeeze.
pub(crate) fn roomy_text(size: Size) -> f64 {
    match size {
        Size::Handout => 1000.0,
        Size::Slide | Size::Poster => 1200.0,
    }
}

/// The title and caption a view ends with, wrapped to `width` points: its own, or the user's
/// `--title` and `--caption`. The lines of `caption` saying what is not
/// drawn (`omitted`, copies) follow a user's caption too, and the line
/// naming the data and its point of view is always kept: a picture never
/// loses its provenance, nor hides that it is not the whole answer.
/// `claims` is whether the picture draws claims as dashed lines: `None` for
/// a view that does not tell them apart.
pub(crate) fn titled(
    ds: &Dataset,
    opts: &DiagramOptions,
    title: String,
    caption: Vec<String>,
    omitted: &[String],
    width: f64,
    claims: Option<bool>,
) -> (String, Vec<String>) {
    let title = opts.title.clone().unwrap_or(title);
    let mut caption = match &opts.caption {
        Some(c) => std::iter::once(c.clone())
            .chain(omitted.iter().cloned())
            .collect(),
        None => caption,
    };
    // The provenance shares the last line when there is room: a slide's
    // height is the scarcer dimension. Caption text is 12 pt, about 6.6 pt
    // a character.
    let columns = (width / 6.6) as usize;
    let prov = provenance(ds, opts, claims);
    match caption.last_mut() {
        Some(last) if text_width(last) + text_width(&prov) + 3 < columns => {
            last.push_str(" · ");
            last.push_str(&prov);
        }
        _ => caption.push(prov),
    }
    let caption = caption
        .iter()
        .flat_map(|c| {
            wrap(c, columns)
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    (title, caption)
}

/// The caption line naming the data and the point of view; what it says of
/// dashed lines depends on whether the picture draws `claims` that way
/// (see `titled`), so that it never points at lines that are not there.
pub(crate) fn provenance(ds: &Dataset, opts: &DiagramOptions, claims: Option<bool>) -> String {
    let voice = opts.claimed_by.as_ref().map(|c| {
        let name = ds.entity(c).map_or(c.as_str(), |e| e.label());
        match claims {
            Some(true) => {
                format!(" · as claimed by {name} (plus the plain record; dashed lines are claims)")
            }
            Some(false) => {
                format!(" · as claimed by {name}: no claim of its own here, only the plain record")
            }
            None => format!(" · as claimed by {name} (plus the plain record)"),
        }
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
