//! The node-and-edge views: a mechanism's lineage left to right, the network
//! clustered by side, and one entity's neighbourhood.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    cite_marks, titled, wrap, Band, DiagramOptions, DocCites, GraphScene, Legend, Mark, Outline,
    Placement, SceneEdge, SceneNode, Size, SourceEntry,
};
use crate::model::date::{Date, Truth};
use crate::model::entity::{Entity, Relation, Stance};
use crate::model::graph::Dataset;
use crate::query::{self, QueryError};

/// Builds scenes: nodes once each, clusters by side, citations numbered.
struct Builder<'a> {
    ds: &'a Dataset,
    opts: &'a DiagramOptions,
    cites: DocCites<'a>,
    nodes: Vec<SceneNode>,
    seen: BTreeSet<String>,
    edges: Vec<SceneEdge>,
    /// Place nodes ourselves, in side bands (the network), or leave the
    /// layout to Graphviz (lineage, ego).
    pinned: bool,
    sides: BTreeSet<String>,
    /// Put relation dates on edge labels (the lineage); elsewhere they are
    /// in the tooltip, to keep a large network legible.
    dated_edges: bool,
    kinds: BTreeSet<String>,
    /// Relation types drawn, with the words their edges read (a lineage
    /// draws "succeeded by" where the type's label is "succeeds").
    relations: BTreeSet<(String, String)>,
    marks: BTreeSet<u8>,
    /// Put entity dates in node labels: everywhere but a slide or page
    /// network, which is about who takes part in what (its dates are in
    /// the tooltips and on the timeline).
    dated_nodes: bool,
    /// Entities whose existence at the view's date is unknown, drawn apart.
    undated: BTreeSet<String>,
    /// In a pinned scene, the line already drawn for each (from, to,
    /// relation type, claimed): its index in `edges`.
    merged: std::collections::HashMap<(String, String, String, bool), usize>,
    /// Each kind's outline ([`super::outlines`]): made once per picture,
    /// not once per count of entities a network tries.
    outlines: &'a BTreeMap<String, Outline>,
}

/// Sides in the order the ontology declares them, as (id, label, colour).
pub(crate) fn side_order(ds: &Dataset) -> Vec<(String, String, String)> {
    ds.ontology()
        .sides_in_order()
        .into_iter()
        .map(|(k, d)| (k.to_string(), d.label.clone(), d.color.clone()))
        .collect()
}

impl<'a> Builder<'a> {
    fn new(
        ds: &'a Dataset,
        opts: &'a DiagramOptions,
        pinned: bool,
        outlines: &'a BTreeMap<String, Outline>,
    ) -> Builder<'a> {
        Builder {
            ds,
            opts,
            cites: DocCites::new(ds),
            nodes: Vec::new(),
            seen: BTreeSet::new(),
            edges: Vec::new(),
            pinned,
            sides: BTreeSet::new(),
            dated_edges: !pinned,
            kinds: BTreeSet::new(),
            relations: BTreeSet::new(),
            marks: BTreeSet::new(),
            undated: BTreeSet::new(),
            merged: std::collections::HashMap::new(),
            dated_nodes: !pinned || opts.size == Size::Poster,
            outlines,
        }
    }

    fn mark(&mut self, m: Mark) {
        self.marks.insert(m as u8);
    }

    fn node(&mut self, e: &'a Entity, focus: bool) {
        if !self.seen.insert(e.id.to_string()) {
            if focus {
                if let Some(n) = self.nodes.iter_mut().find(|n| n.id == e.id) {
                    n.focus = true;
                }
            }
            return;
        }
        let o = self.ds.ontology();
        let kind = o.kinds.get(&e.kind);
        let proposed = self.ds.never_existed(e);
        let citations = self.cites.number(&e.sources);
        // Round and many-sided shapes grow in both directions with each
        // line, so their labels are wrapped wider and run to fewer lines.
        let shape = kind.map_or("box", |k| k.shape.as_str());
        let round = matches!(
            shape,
            "octagon" | "hexagon" | "doublecircle" | "circle" | "ellipse" | "oval"
        );
        // Each squeeze wraps two columns narrower, down to a dozen.
        let narrower = 2 * usize::from(self.opts.squeeze);
        let columns: usize = match (self.pinned, round) {
            (true, false) => 18,
            (true, true) => 26,
            // Left to right, width is what a chain runs out of first.
            (false, false) => 20,
            (false, true) => 18,
        };
        let mut label = wrap(e.label(), columns.saturating_sub(narrower).max(12));
        if proposed {
            label.push_str("\n(proposed)");
            self.mark(Mark::Proposed);
        } else if let (Some(d), true) = (&e.date, self.dated_nodes) {
            label.push('\n');
            label.push_str(d.human());
        }
        let mut tooltip = format!(
            "{} — {}",
            e.name,
            kind.map_or(e.kind.as_str(), |k| &k.label)
        );
        if let Some(d) = &e.date {
            tooltip.push_str(&format!("\nDate: {} [{}]", d.human(), d.as_str()));
        }
        if let Some(s) = &e.summary {
            tooltip.push_str(&format!("\n{s}"));
        }
        tooltip.push_str(&format!("\nSources: {}", cite_marks(&citations)));
        let side_color = e
            .side
            .as_ref()
            .and_then(|s| o.sides.get(s))
            .map_or("#555555".to_string(), |s| s.color.clone());
        if focus {
            self.mark(Mark::Focus);
        }
        self.kinds.insert(e.kind.to_string());
        self.sides.extend(e.side.as_ref().map(|s| s.to_string()));
        self.nodes.push(SceneNode {
            id: e.id.to_string(),
            label,
            shape: kind.map_or("box".into(), |k| k.shape.clone()),
            outline: super::Outline::Plain,
            fill: if proposed {
                "#ffffff".into()
            } else {
                kind.map_or("#f2f2f2".into(), |k| k.color.clone())
            },
            border: side_color,
            dashed: proposed,
            focus,
            tooltip,
            cites: citations,
            url: self.opts.link_base.as_ref().map(|b| b.to(&e.id)),
            pos: None,
            group: e
                .side
                .as_ref()
                .map(|s| o.sides.get(s).map_or(s.to_string(), |d| d.label.clone())),
        });
    }

    /// An edge for a relation, drawn from `from` to `to` as written unless
    /// `reverse`, when it reads with the inverse label.
    fn edge(&mut self, from: &'a Entity, to: &'a Entity, r: &'a Relation, reverse: bool) {
        let o = self.ds.ontology();
        let def = o.relations.get(&r.kind);
        let citations = self.cites.number(&r.sources);
        let word = def.map_or(r.kind.as_str(), |d| {
            if reverse {
                d.inverse.as_str()
            } else {
                d.label.as_str()
            }
        });
        let mut label = word.to_string();
        // The role says in what capacity: "participant (co-chair)".
        let role = r
            .role
            .as_deref()
            .map(|x| o.role_label(&r.kind, x).unwrap_or(x));
        if let Some(role) = role {
            label.push_str(&format!(" ({role})"));
        }
        // A relation dated as one of its ends (a round and its date, an
        // event and the suspension it caused) says nothing the box does not.
        let same_as_an_end = |d: &Date| {
            [&from.date, &to.date]
                .iter()
                .any(|x| x.as_ref().is_some_and(|x| x.as_str() == d.as_str()))
        };
        if let (Some(d), true) = (&r.date, self.dated_edges) {
            if !same_as_an_end(d) {
                label.push_str(&format!("\n{}", d.human()));
            }
        }
        let claimed = r.stance != Stance::Record;
        if claimed {
            label.push_str(&format!(
                "\n({} by {})",
                r.stance.as_str(),
                r.claimed_by.as_deref().unwrap_or("?")
            ));
            self.mark(Mark::Claimed);
        }
        let mut tooltip = format!(
            "{} {} {}",
            from.label(),
            def.map_or(r.kind.as_str(), |d| &d.label),
            to.label()
        );
        if let Some(role) = role {
            tooltip.push_str(&format!("\nRole: {role}"));
        }
        if let Some(d) = &r.date {
            tooltip.push_str(&format!("\nDate: {} [{}]", d.human(), d.as_str()));
        }
        if let Some(c) = &r.claimed_by {
            tooltip.push_str(&format!("\n{} by {c}", r.stance.as_str()));
        }
        if let Some(s) = &r.summary {
            tooltip.push_str(&format!("\n{s}"));
        }
        tooltip.push_str(&format!("\nSources: {}", cite_marks(&citations)));
        self.relations
            .insert((r.kind.to_string(), word.to_string()));
        let (a, b) = if reverse { (to, from) } else { (from, to) };
        // In the pinned network, lines are told apart by colour and style
        // (see the legend); labels on dozens of crossing lines would collide.
        let label = if self.pinned { String::new() } else { label };
        let style: String = if claimed {
            "dashed".into()
        } else {
            def.map_or("solid".into(), |d| d.style.clone())
        };
        let color: String = def.map_or("#555555".into(), |d| d.color.clone());
        // There, several relations of one type between the same two nodes,
        // drawn the same way round (two spells as chair of one committee),
        // are one line, whose hover text gives each and whose badge cites
        // them all: bowed parallel lines leave their badges no room beside
        // their own line. Relations of two types stay two lines, even when
        // the ontology draws the types alike, and a claim stays apart from
        // the record (it is drawn dashed).
        if self.pinned {
            let key = (
                a.id.to_string(),
                b.id.to_string(),
                r.kind.to_string(),
                claimed,
            );
            if let Some(&i) = self.merged.get(&key) {
                let e = &mut self.edges[i];
                e.tooltip.push_str(&format!("\n\n{tooltip}"));
                e.cites.extend(citations);
                e.cites.sort_unstable();
                e.cites.dedup();
                return;
            }
            self.merged.insert(key, self.edges.len());
        }
        self.edges.push(SceneEdge {
            from: a.id.to_string(),
            to: b.id.to_string(),
            label: wrap(
                &label,
                16usize
                    .saturating_sub(usize::from(self.opts.squeeze))
                    .max(10),
            ),
            style,
            color,
            tooltip,
            cites: citations,
            badge_at: None,
            via: Vec::new(),
        });
    }

    /// The caption's phrase for the dates of every entity drawn.
    fn dates(&self) -> Option<String> {
        date_range(
            self.nodes
                .iter()
                .map(|n| self.ds.entity(&n.id).and_then(|e| e.date.as_ref())),
        )
    }

    fn finish(self, title: String, caption: Vec<String>, rankdir: &'static str) -> GraphScene {
        self.finish_fit(title, caption, rankdir, LAYOUT_WORK).0
    }

    /// The scene, and for a pinned one how well its nodes fill their frame
    /// at the best row count (1 or more: they fit) and the cost of the
    /// arrangement found (see `THROUGH_COST`), with the search for
    /// the best order of each band given `work` to spend (0: none, for a
    /// quick look at whether a selection fits).
    fn finish_fit(
        self,
        title: String,
        caption: Vec<String>,
        rankdir: &'static str,
        work: usize,
    ) -> (GraphScene, f64, f64) {
        // A pinned network is squeezed by drawing fewer entities: its
        // nodes take the frame's width whatever the squeeze, and narrower
        // text under or over them would only make it taller.
        let text_width = if self.pinned {
            wide_text(self.opts.size)
        } else {
            super::text_budget(self.opts)
        };
        let claims = self.marks.contains(&(Mark::Claimed as u8));
        let (title, caption) = titled(self.ds, self.opts, title, caption, text_width, Some(claims));
        let o = self.ds.ontology();
        let mut nodes = self.nodes;
        // Kinds that share a shape are told apart by their outline, the
        // same in every picture, and the legend says which is which.
        let kind_of = |n: &SceneNode| self.ds.entity(&n.id).map(|e| e.kind.to_string());
        let outlines = self.outlines;
        for n in &mut nodes {
            if let Some(k) = kind_of(n) {
                n.outline = outlines.get(&k).copied().unwrap_or_default();
            }
        }
        let mut sides_used: Vec<(String, String)> = Vec::new();
        // A pinned network stands each entity under its side's heading,
        // written in the side's colour: the headings are the key to the
        // outlines, unless some entities stand apart (undated ones).
        let headed = self.pinned && self.undated.is_empty();
        for (id, label, color) in side_order(self.ds) {
            if self.sides.contains(&id) && !headed {
                sides_used.push((label, color));
            }
        }
        let legend = Legend {
            width: text_width,
            sides: sides_used,
            sides_fill: false,
            kinds: self
                .kinds
                .iter()
                .filter_map(|k| o.kinds.get(k.as_str()).map(|d| (k, d)))
                .map(|(k, d)| super::KindKey {
                    label: d.label.clone(),
                    fill: d.color.clone(),
                    forms: vec![(
                        d.shape.clone(),
                        outlines.get(k).copied().unwrap_or_default(),
                    )],
                })
                .collect(),
            // Types drawn alike (the same style and colour) cannot be told
            // apart in the picture, so they share one entry that says so.
            relations: {
                let mut alike: Vec<(String, String, String)> = Vec::new();
                for (word, d) in self
                    .relations
                    .iter()
                    .filter_map(|(r, word)| o.relations.get(r.as_str()).map(|d| (word, d)))
                {
                    match alike
                        .iter_mut()
                        .find(|(_, st, c)| *st == d.style && *c == d.color)
                    {
                        Some(entry) => {
                            entry.0.push_str(" or ");
                            entry.0.push_str(word);
                        }
                        None => alike.push((word.clone(), d.style.clone(), d.color.clone())),
                    }
                }
                alike
            },
            marks: [Mark::Proposed, Mark::Claimed, Mark::Focus]
                .into_iter()
                .filter(|m| self.marks.contains(&(*m as u8)))
                .map(|m| {
                    let text = match m {
                        Mark::Proposed => "proposed, never created",
                        Mark::Claimed => "a claim, not the record",
                        _ => "the entity this diagram is about",
                    };
                    (text.to_string(), m)
                })
                .collect(),
        };
        let mut edges = self.edges;
        let sources = self.cites.finish();
        let list_sources = !self.opts.sources_apart;
        let (placement, bands, fill, cost) = if self.pinned {
            let frame = frame(
                self.opts.size,
                &caption,
                &legend,
                list_sources.then_some(&sources[..]),
            );
            let (bands, fill, cost) = pin_by_side(
                self.ds,
                &mut nodes,
                &mut edges,
                &self.undated,
                (frame, self.opts.size),
                work,
            );
            if work > 0 {
                place_badges(&nodes, &mut edges, &bands);
            }
            (Placement::Pinned, bands, fill, cost)
        } else {
            (Placement::Dot, Vec::new(), 1.0, 0.0)
        };
        let scene = GraphScene {
            placement,
            bands,
            title,
            caption,
            rankdir,
            nodes,
            edges,
            legend,
            sources,
            list_sources,
        };
        (scene, fill, cost)
    }
}

/// What a line through a box it does not join costs an arrangement of a
/// pinned network: more than anything else the search weighs, so that any
/// cost below it means none does (by the view's estimate of the boxes).
const THROUGH_COST: f64 = 5000.0;

/// What two members of a poster's column too close to tell apart cost its
/// arrangement: more than any number of lines through boxes.
const CLASH_COST: f64 = 1e9;

/// The work the search for the best order of a pinned network's bands may
/// spend, in units of a line checked against a box or another line.
const LAYOUT_WORK: usize = 40_000_000;

/// Kinds in the order they are stacked within a side: those shown on a
/// timeline (mechanisms, rounds, meetings, events) first, then the rest, each
/// group by its label.
fn kind_rank(ds: &Dataset, kind: &str) -> (bool, String) {
    let def = ds.ontology().kinds.get(kind);
    (
        !def.is_some_and(|d| d.timeline),
        def.map_or(kind.to_string(), |d| d.label.clone()),
    )
}

const COL_GAP: f64 = 48.0;
const ROW_GAP: f64 = 34.0;
const BAND_GAP: f64 = 46.0;
const BAND_HEAD: f64 = 44.0;
const ROWS_MAX: usize = 6;

/// The drawn size of a node, estimated from its label and shape (11-pt
/// text), generously so that pinned nodes never touch.
fn node_size(n: &SceneNode) -> (f64, f64) {
    let badge = super::badge(&n.cites);
    let mut lines: Vec<&str> = n.label.lines().collect();
    if !badge.is_empty() {
        lines.push(&badge);
    }
    let chars = lines
        .iter()
        .map(|l| super::text_width(l))
        .max()
        .unwrap_or(1) as f64;
    let (tw, th) = (chars * 6.6 + 16.0, lines.len() as f64 * 14.0 + 12.0);
    match n.shape.as_str() {
        // Graphviz draws an ellipse round the label's box, about √2 as
        // wide; capitals run wider than the estimate's average character.
        "ellipse" | "oval" => (tw * 1.45, th * 1.4),
        // Graphviz fits the label's box inside a regular polygon: √2 wider,
        // then over the cosine of half a side's angle (π/6, π/8).
        "hexagon" => (tw * 1.65, th * 1.65),
        "octagon" => (tw * 1.55, th * 1.6),
        "diamond" => (tw * 1.45, th * 1.6),
        // A slanted box: the label's box widened by √2 and by the slant
        // (measured on Graphviz's layout).
        "parallelogram" | "trapezium" | "invtrapezium" => (tw * 1.45 + th * 1.3, th * 1.45),
        // Measured on Graphviz's layout: a (double) circle is about an
        // eighth wider than the label's box and ring.
        "circle" | "doublecircle" => {
            let d = (tw.max(th) * 1.15 + 10.0) * 1.12 + 4.0;
            (d, d)
        }
        // Roofs need room beyond the text (measured on Graphviz's layout).
        "house" | "invhouse" => (tw * 1.7, th * 1.3),
        // Folded corners and tabs.
        "note" | "tab" | "folder" | "component" | "box3d" => (tw * 1.3, th * 1.3),
        _ => (tw, th),
    }
}

/// The slide at its legible minimum, in points, less the pad: what a
/// drawing may take for its body text to be drawn at 14 px.
fn slide_room() -> (f64, f64) {
    let scale = super::BODY_PT / super::MIN_TEXT_PX;
    (
        super::SLIDE_PX.0 * scale - 30.0,
        super::SLIDE_PX.1 * scale - 30.0,
    )
}

/// How wide a pinned network's legend and source list may run: as wide as
/// its nodes may spread, so that they run to as few lines as they can.
fn wide_text(size: Size) -> f64 {
    match size {
        Size::Slide => slide_room().0 - 10.0,
        other => super::roomy_text(other),
    }
}

/// The frame a pinned network's nodes should fill, in points: on a slide,
/// the width and height that a drawing with body text at the legible
/// minimum leaves once the title and `caption` above and the `legend` and
/// `sources` list (if it is drawn) below have theirs; on a page, what a
/// landscape page holds at the smallest legible print (its narrower legend
/// runs to more lines); on a poster, a slide's proportions.
fn frame(
    size: Size,
    caption: &[String],
    legend: &Legend,
    sources: Option<&[SourceEntry]>,
) -> (f64, f64) {
    match size {
        Size::Handout => (1100.0, 560.0),
        Size::Poster => (1400.0, 520.0),
        Size::Slide => {
            let (w, h) = slide_room();
            // Measured on Graphviz's layout: the heading is centred 55
            // points above the bands, a title row of 34 points and caption
            // rows of about 20; legend rows of 23 points and source lines
            // of 14.5, with a gap of 14 above the list.
            let heading = 55.0 + (34.0 + 20.4 * caption.len() as f64) / 2.0;
            let mut foot = 23.0 * legend.rows() as f64 + 8.0;
            if let Some(s) = sources.filter(|s| !s.is_empty()) {
                foot += 14.0 + 14.5 * super::source_lines(s, legend.width).len() as f64;
            }
            (w - 10.0, (h - heading - foot).max(120.0))
        }
    }
}

/// Places nodes in a grid inside one band per side, left to right: China,
/// joint and multilateral sides, the United States, then the rest; nodes
/// without a side go in a band of their own, and so do `undated` ones (a
/// dated view's entities whose existence then is unknown). The number of
/// rows is chosen so that the whole is closest to the 16:9 of a slide;
/// within a band, the members start grouped by kind and then by id, and
/// are then moved between the band's slots until no straight line runs
/// through a box it does not join, if the search finds such an order
/// within its budget (see below); lines that still would are bent round
/// the box in their way (`bend_round`).
fn pin_by_side(
    ds: &Dataset,
    nodes: &mut [SceneNode],
    edges: &mut [SceneEdge],
    undated: &BTreeSet<String>,
    (frame, size): ((f64, f64), Size),
    work: usize,
) -> (Vec<Band>, f64, f64) {
    let order = side_order(ds);
    let side_of = |n: &SceneNode| {
        if undated.contains(&n.id) {
            return Some("\u{0}undated".to_string());
        }
        ds.entity(&n.id)
            .and_then(|e| e.side.as_ref().map(|s| s.to_string()))
    };
    let mut groups: Vec<(String, String, Vec<usize>)> = Vec::new();
    for (id, label, color) in &order {
        let members: Vec<usize> = (0..nodes.len())
            .filter(|&i| side_of(&nodes[i]).as_deref() == Some(id.as_str()))
            .collect();
        if !members.is_empty() {
            groups.push((label.clone(), color.clone(), members));
        }
    }
    let rest: Vec<usize> = (0..nodes.len())
        .filter(|&i| side_of(&nodes[i]).is_none())
        .collect();
    if !rest.is_empty() {
        groups.push(("No side".into(), "#777777".into(), rest));
    }
    let dateless: Vec<usize> = (0..nodes.len())
        .filter(|&i| undated.contains(&nodes[i].id))
        .collect();
    if !dateless.is_empty() {
        groups.push(("Not dated in the data".into(), "#777777".into(), dateless));
    }
    for (_, _, members) in &mut groups {
        members.sort_by(|&a, &b| {
            let rank = |i: usize| ds.entity(&nodes[i].id).map(|e| kind_rank(ds, &e.kind));
            rank(a)
                .cmp(&rank(b))
                .then_with(|| nodes[a].id.cmp(&nodes[b].id))
        });
    }
    let sizes: Vec<(f64, f64)> = nodes.iter().map(node_size).collect();
    // A band's columns of at most `max_rows` nodes, each node stacked under
    // the one above it: (members, width, height) per column.
    let columns = |m: &[usize], max_rows: usize| -> Vec<(Vec<usize>, f64, f64)> {
        let cols = m.len().div_ceil(max_rows).max(1);
        let rows = m.len().div_ceil(cols).max(1);
        m.chunks(rows)
            .map(|c| {
                let w = c.iter().map(|&i| sizes[i].0).fold(0.0, f64::max);
                let h = c.iter().map(|&i| sizes[i].1 + ROW_GAP).sum::<f64>();
                (c.to_vec(), w, h)
            })
            .collect()
    };
    let extent = |max_rows: usize| {
        let mut w = 0.0;
        let mut h: f64 = 0.0;
        for (label, _, m) in &groups {
            let cols = columns(m, max_rows);
            let bw = cols.iter().map(|c| c.1 + COL_GAP).sum::<f64>() - COL_GAP;
            w += bw.max(label.chars().count() as f64 * 9.0) + BAND_GAP;
            h = h.max(BAND_HEAD + cols.iter().map(|c| c.2).fold(0.0, f64::max));
        }
        (w, h)
    };
    let longest = groups.iter().map(|(_, _, m)| m.len()).max().unwrap_or(1);
    let scales: Vec<(usize, f64)> = (1..=longest.max(1))
        .map(|r| {
            let (w, h) = extent(r);
            (r, (frame.0 / w).min(frame.1 / h))
        })
        .collect();
    let best_scale = scales.iter().map(|s| s.1).fold(0.0, f64::max);
    // Each band is a grid of slots, filled column by column, with as many
    // columns as its members need at `rows` a column; a slot may stay
    // empty. A band with fewer members than the tallest has as many rows
    // as the drawing's height holds at its own tallest node's pitch, so
    // that it can put its members at more than one height. A band's rows
    // are spread evenly over the drawing's height; a column is as wide as
    // its widest member.
    type Slots = Vec<(usize, Vec<Option<usize>>)>;
    let height = |rows: usize| extent(rows).1;
    let slots = |rows: usize| -> Slots {
        let avail = height(rows) - BAND_HEAD;
        groups
            .iter()
            .map(|(_, _, m)| {
                let cols = m.len().div_ceil(rows).max(1);
                let per = m.len().div_ceil(cols).max(1);
                let pitch = m.iter().map(|&i| sizes[i].1).fold(0.0, f64::max) + ROW_GAP;
                let fit = (avail / pitch).floor() as usize;
                let band_rows = fit.clamp(per, rows.max(per));
                // Slots at every half row, members first on whole ones:
                // a member half a row up or down lets a line pass beside
                // it, where a member between two in a row would stop it.
                let sub = 2 * band_rows - 1;
                let mut s = Vec::new();
                for c in m.chunks(per) {
                    let mut col = vec![None; sub];
                    for (r, &i) in c.iter().enumerate() {
                        col[2 * r] = Some(i);
                    }
                    s.extend(col);
                }
                // And an empty column, taking no room unless a member is
                // moved there: a line between two members of one column
                // runs through those between them.
                if m.len() > 2 {
                    s.extend(std::iter::repeat_n(None, sub));
                }
                (band_rows, s)
            })
            .collect()
    };
    let arrange = |order: &Slots, rows: usize| {
        let mut pos = vec![(0.0, 0.0); sizes.len()];
        let height = height(rows);
        let mut bands = Vec::new();
        let mut x = 20.0;
        // Pairs of members of a column too close to tell apart.
        let mut clash = 0usize;
        // The foot of the lowest member, which a poster's bands reach down to.
        let mut lowest = height;
        for ((label, color, _), (band_rows, m)) in groups.iter().zip(order) {
            let step = (height - BAND_HEAD) / *band_rows as f64;
            let start = x;
            for col in m.chunks(2 * band_rows - 1) {
                let w = col
                    .iter()
                    .flatten()
                    .map(|&i| sizes[i].0)
                    .fold(0.0, f64::max);
                if w == 0.0 {
                    continue;
                }
                let mut above: Option<(f64, f64)> = None;
                for (r, i) in col.iter().enumerate() {
                    if let Some(i) = *i {
                        let mut y = BAND_HEAD + (r as f64 / 2.0 + 0.5) * step;
                        // On a poster, a member too close to the one above
                        // (a country's circle is far taller than the rest)
                        // moves down, the column growing, rather than the
                        // order being ruled out: there is no height to keep.
                        if let (Some((ya, ha)), true) = (above, size == Size::Poster) {
                            y = y.max(ya + (ha + sizes[i].1) / 2.0 + ROW_GAP / 2.0);
                        }
                        // Members narrower than their column stand to its
                        // left and right in turn: a line between two of
                        // them then passes beside the one between, which
                        // centred it would run through.
                        let slack = (w - sizes[i].0) / 2.0;
                        let side = if (r / 2) % 2 == 0 { -1.0 } else { 1.0 };
                        pos[i] = (x + w / 2.0 + side * slack, y);
                        lowest = lowest.max(y + sizes[i].1 / 2.0 + ROW_GAP / 2.0);
                        // (On a poster the member was moved down to
                        // exactly that gap: compared again, rounding would
                        // count a clash that is not there.)
                        if let (Some((ya, ha)), false) = (above, size == Size::Poster) {
                            clash += usize::from(y - ya < (ha + sizes[i].1) / 2.0 + ROW_GAP / 2.0);
                        }
                        above = Some((y, sizes[i].1));
                    }
                }
                x += w + COL_GAP;
            }
            let w = (x - COL_GAP - start).max(label.chars().count() as f64 * 9.0);
            x = start + w;
            bands.push(Band {
                label: label.clone(),
                color: color.clone(),
                x: start,
                y: 0.0,
                w,
                h: height,
            });
            x += BAND_GAP;
        }
        if size == Size::Poster {
            for b in &mut bands {
                b.h = b.h.max(lowest);
            }
        }
        (pos, bands, clash)
    };
    // Lines are drawn straight between centres, so a line may run through
    // a box it does not join. The slots are chosen to avoid that: moves of
    // a member to another slot of its band (swapping with whatever is
    // there) are kept while they lower the cost (lines through boxes
    // first, then lines crossing lines, then length), from more than one
    // start and for each row count that fills the frame nearly as well as
    // the best. The search is bounded by a budget of work, so a poster of
    // hundreds of nodes is drawn in its first order at once.
    let index: std::collections::BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    // Each line between two different drawn nodes, and the edge it draws.
    let (links, link_edge): (Vec<(usize, usize)>, Vec<usize>) = edges
        .iter()
        .enumerate()
        .filter_map(|(k, e)| {
            Some((
                (*index.get(e.from.as_str())?, *index.get(e.to.as_str())?),
                k,
            ))
        })
        .filter(|((a, b), _)| a != b)
        .unzip();
    let round: Vec<bool> = nodes.iter().map(|n| is_round(&n.shape)).collect();
    // How many lines join each line's two ends.
    let parallel: Vec<usize> = links
        .iter()
        .map(|&(a, b)| {
            links
                .iter()
                .filter(|&&(c, d)| (c, d) == (a, b) || (c, d) == (b, a))
                .count()
        })
        .collect();
    // Each node's half-size with its margin, the same for every trial
    // arrangement: worked out once, not at every swap the search tries.
    let halves: Vec<(f64, f64)> = nodes
        .iter()
        .zip(&sizes)
        .map(|(n, &size)| half_size(n, size))
        .collect();
    // Wider than the frame (or than the first arrangement, if that is
    // wider) is not allowed: the picture would be squeezed to fewer nodes.
    let widest = (frame.0
        * match size {
            Size::Handout | Size::Slide => 1.0,
            Size::Poster => 1.1,
        })
    .max(extent(1).0.min(extent(longest).0));
    // Each node's box at the positions `pos`.
    let footprints = |pos: &[(f64, f64)]| -> Vec<Footprint> {
        pos.iter()
            .zip(&halves)
            .zip(&round)
            .map(|((&c, &half), &round)| Footprint { c, half, round })
            .collect()
    };
    let cost = |(pos, bands, clash): (Vec<(f64, f64)>, Vec<Band>, usize)| {
        let pos = &pos;
        let right = bands.last().map_or(0.0, |b| b.x + b.w);
        // A poster has no width to keep to, and boxes too close cost more
        // than anything else rather than ruling the order out: where its
        // columns are long, every order the search starts from has some,
        // and with all of them ruled out alike it could not tell a better
        // order from a worse one (the whole network drew over a thousand
        // lines through boxes).
        let poster = size == Size::Poster;
        if !poster && (clash > 0 || right > widest + 20.0) {
            return f64::MAX / 4.0;
        }
        let clashes = clash as f64 * CLASH_COST;
        let feet = footprints(pos);
        let (mut through, mut crossed, mut length) = (0usize, 0usize, 0.0);
        // Lines too short between their boxes to hold the badges of all
        // the lines drawn between the same two (about 16 points each).
        let mut cramped = 0usize;
        for (k, &(a, b)) in links.iter().enumerate() {
            let (p, q) = (pos[a], pos[b]);
            let seen = (feet[b].exit(q, p) + feet[a].exit(p, q)).min(1.0);
            let gap = (q.0 - p.0).hypot(q.1 - p.1) * (1.0 - seen);
            if gap < 16.0 * parallel[k] as f64 + 6.0 {
                cramped += 1;
            }
            through += feet
                .iter()
                .enumerate()
                .filter(|&(i, f)| i != a && i != b && f.crosses(p, q))
                .count();
            crossed += links[k + 1..]
                .iter()
                .filter(|&&(c, d)| {
                    ![a, b].contains(&c) && ![a, b].contains(&d) && cross(p, q, pos[c], pos[d])
                })
                .count();
            length += ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt();
        }
        clashes
            + through as f64 * THROUGH_COST
            + cramped as f64 * 1000.0
            + crossed as f64 * 10.0
            + length / 1000.0
    };
    let mut budget = work / links.len().max(1) / (nodes.len() + links.len()).max(1);
    let mut rows_tried: Vec<usize> = scales
        .iter()
        .filter(|s| s.1 >= best_scale * 0.9)
        .map(|s| s.0)
        .collect();
    rows_tried.dedup();
    // Keeps every move that lowers the cost until none does; returns the
    // cost reached.
    let descend = |order: &mut Slots, rows: usize, budget: &mut usize| {
        let mut now = cost(arrange(order, rows));
        'search: loop {
            let mut better = false;
            for g in 0..order.len() {
                let n = order[g].1.len();
                for i in 0..n {
                    for j in i + 1..n {
                        if order[g].1[i].is_none() && order[g].1[j].is_none() {
                            continue;
                        }
                        if *budget == 0 {
                            break 'search;
                        }
                        *budget -= 1;
                        order[g].1.swap(i, j);
                        let c = cost(arrange(order, rows));
                        if c + 1e-9 < now {
                            now = c;
                            better = true;
                        } else {
                            order[g].1.swap(i, j);
                        }
                    }
                }
            }
            if !better {
                break;
            }
        }
        now
    };
    let mut best: Option<(f64, usize, Slots)> = None;
    for &rows in &rows_tried {
        let first = slots(rows);
        // Starts: each column's members at its top, and centred.
        let centred: Slots = first
            .iter()
            .map(|(band_rows, m)| {
                let sub = 2 * band_rows - 1;
                let mut out = Vec::new();
                for col in m.chunks(sub) {
                    let members: Vec<usize> = col.iter().flatten().copied().collect();
                    let lead = sub - (2 * members.len()).saturating_sub(1);
                    let mut c = vec![None; sub];
                    for (r, i) in members.into_iter().enumerate() {
                        c[lead / 2 + 2 * r] = Some(i);
                    }
                    out.extend(c);
                }
                (*band_rows, out)
            })
            .collect();
        // And the centred start with each column's members sorted by the
        // mean height of what they are joined to, a few times over (the
        // barycentre heuristic): lines then run across more than up and
        // down, where they would pass through a column's other members.
        let mut sorted = centred.clone();
        for _ in 0..4 {
            let (pos, _, _) = arrange(&sorted, rows);
            let mut near: Vec<(f64, usize)> = vec![(0.0, 0); pos.len()];
            for &(a, b) in &links {
                near[a].0 += pos[b].1;
                near[a].1 += 1;
                near[b].0 += pos[a].1;
                near[b].1 += 1;
            }
            let key = |i: usize| {
                if near[i].1 == 0 {
                    pos[i].1
                } else {
                    near[i].0 / near[i].1 as f64
                }
            };
            for (band_rows, m) in &mut sorted {
                for col in m.chunks_mut(2 * *band_rows - 1) {
                    let mut members: Vec<usize> = col.iter().flatten().copied().collect();
                    members.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
                    for (slot, i) in col.iter_mut().filter(|s| s.is_some()).zip(members) {
                        *slot = Some(i);
                    }
                }
            }
        }
        for mut order in [sorted, centred, first] {
            let now = descend(&mut order, rows, &mut budget);
            if best.as_ref().is_none_or(|b| now + 1e-9 < b.0) {
                best = Some((now, rows, order));
            }
        }
    }
    // Then, while the budget lasts and lines still cross boxes or lines:
    // shake the best found (a few swaps drawn by a fixed pseudo-random
    // sequence, so the same data gives the same picture) and descend
    // again, keeping what is better.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = |below: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % below.max(1) as u64) as usize
    };
    while let Some((now, rows, order)) = best.as_ref().filter(|b| b.0 >= 10.0 && budget > 0) {
        let (now, rows) = (*now, *rows);
        let mut shaken = order.clone();
        for _ in 0..3 {
            let g = random(shaken.len());
            let n = shaken[g].1.len();
            let (i, j) = (random(n), random(n));
            shaken[g].1.swap(i, j);
        }
        let before = budget;
        let c = descend(&mut shaken, rows, &mut budget);
        if c + 1e-9 < now {
            best = Some((c, rows, shaken));
        }
        // Where no band has two slots to swap, `descend` tries nothing and
        // spends nothing: shaking again cannot help, and would never end.
        if budget == before {
            break;
        }
    }
    let (mut cost, rows, order) = best.unwrap_or_else(|| (0.0, ROWS_MAX, slots(ROWS_MAX)));
    let (pos, bands, _) = arrange(&order, rows);
    if work > 0 {
        let feet = footprints(&pos);
        let area = (
            (bands.first().map_or(0.0, |b| b.x), BAND_HEAD),
            (bands.last().map_or(0.0, |b| b.x + b.w), height(rows)),
        );
        let (fixed, bent) = bend_round(&feet, &links, &link_edge, edges, area);
        cost += bent as f64 * BEND_COST - fixed as f64 * THROUGH_COST;
    }
    for (n, p) in nodes.iter_mut().zip(pos) {
        n.pos = Some(p);
    }
    (bands, best_scale, cost)
}

/// What a line bent round a box costs an arrangement: less than a line
/// through a box, more than anything else.
const BEND_COST: f64 = 500.0;

/// How far a bend stands off the corner or side of the box it goes round,
/// beyond the box's margin, in points.
const BEND_CLEAR: f64 = 12.0;

/// Bends each line (`links`, drawing `edges[link_edge[k]]`) that runs
/// straight through a box it does not join (`feet`) round it: by one
/// point beside a corner or side of some box, within `area` (top left,
/// bottom right), such that neither leg runs through a box, choosing the
/// shortest way round and, of those alike, the one crossing fewest other
/// lines. Lines between the same two nodes bend at different points.
/// Returns how many line-through-box meetings the bends removed, and how
/// many lines were bent.
fn bend_round(
    feet: &[Footprint],
    links: &[(usize, usize)],
    link_edge: &[usize],
    edges: &mut [SceneEdge],
    area: ((f64, f64), (f64, f64)),
) -> (usize, usize) {
    let through = |p: (f64, f64), q: (f64, f64), skip: &[usize]| {
        feet.iter()
            .enumerate()
            .filter(|(i, f)| !skip.contains(i) && f.crosses(p, q))
            .count()
    };
    let blocked = |p: (f64, f64), q: (f64, f64), skip: usize| {
        feet.iter()
            .enumerate()
            .any(|(i, f)| i != skip && f.crosses(p, q))
    };
    // Points standing off every corner and side of every box, clear of
    // all boxes themselves.
    let roomy: Vec<Footprint> = feet
        .iter()
        .map(|f| Footprint {
            half: (f.half.0 + BEND_CLEAR / 2.0, f.half.1 + BEND_CLEAR / 2.0),
            ..*f
        })
        .collect();
    let candidates: Vec<(f64, f64)> = feet
        .iter()
        .flat_map(|f| {
            let (hx, hy) = (f.half.0 + BEND_CLEAR, f.half.1 + BEND_CLEAR);
            [
                (-1.0, -1.0),
                (1.0, -1.0),
                (-1.0, 1.0),
                (1.0, 1.0),
                (0.0, -1.0),
                (0.0, 1.0),
                (-1.0, 0.0),
                (1.0, 0.0),
            ]
            .map(|(sx, sy)| (f.c.0 + sx * hx, f.c.1 + sy * hy))
        })
        .filter(|&(x, y)| x >= (area.0).0 && x <= (area.1).0 && y >= (area.0).1 && y <= (area.1).1)
        .filter(|&w| !roomy.iter().any(|f| f.crosses(w, w)))
        .collect();
    let (mut fixed, mut bent) = (0, 0);
    let mut taken: Vec<(f64, f64)> = Vec::new();
    for (k, &(a, b)) in links.iter().enumerate() {
        let (p, q) = (feet[a].c, feet[b].c);
        let before = through(p, q, &[a, b]);
        if before == 0 {
            continue;
        }
        let crossings = |u: (f64, f64), v: (f64, f64)| {
            links
                .iter()
                .filter(|&&(c, d)| ![a, b].contains(&c) && ![a, b].contains(&d))
                .filter(|&&(c, d)| cross(u, v, feet[c].c, feet[d].c))
                .count()
        };
        // The ways round, shortest first; of the first few that pass no
        // box (a poster has thousands of candidates), the one that is
        // short and crosses few lines.
        let straight = (q.0 - p.0).hypot(q.1 - p.1);
        let mut ways: Vec<(f64, (f64, f64))> = candidates
            .iter()
            .filter(|w| !taken.iter().any(|t| (t.0 - w.0).hypot(t.1 - w.1) < 10.0))
            .map(|&w| {
                (
                    (w.0 - p.0).hypot(w.1 - p.1) + (q.0 - w.0).hypot(q.1 - w.1),
                    w,
                )
            })
            .filter(|(long, _)| *long < straight * 1.5 + 200.0)
            .collect();
        ways.sort_by(|x, y| x.0.total_cmp(&y.0));
        let way = ways
            .iter()
            .filter(|&&(_, w)| !blocked(p, w, a) && !blocked(w, q, b))
            .take(8)
            .map(|&(long, w)| {
                (
                    long + 40.0 * (crossings(p, w) + crossings(w, q)) as f64,
                    vec![w],
                )
            })
            .min_by(|x, y| x.0.total_cmp(&y.0))
            .or_else(|| {
                // No one point will do: two, the first seen from this
                // end and the second from the other, with nothing between
                // them. Of the nearest few each way, the pair that is short
                // and crosses few lines.
                type Point = (f64, f64);
                let nearest = |seen: &dyn Fn(Point) -> bool| -> Vec<Point> {
                    ways.iter()
                        .map(|x| x.1)
                        .filter(|&w| seen(w))
                        .take(BEND_PAIRS)
                        .collect()
                };
                let from_p = nearest(&|w| !blocked(p, w, a));
                let to_q = nearest(&|w| !blocked(w, q, b));
                let mut pairs: Vec<(f64, Point, Point)> = from_p
                    .iter()
                    .flat_map(|&u| to_q.iter().map(move |&v| (u, v)))
                    .filter(|(u, v)| (u.0 - v.0).hypot(u.1 - v.1) > 1.0)
                    .map(|(u, v)| {
                        let long = (u.0 - p.0).hypot(u.1 - p.1)
                            + (v.0 - u.0).hypot(v.1 - u.1)
                            + (q.0 - v.0).hypot(q.1 - v.1);
                        (long, u, v)
                    })
                    .filter(|x| x.0 < straight * 2.0 + 300.0)
                    .collect();
                pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
                // Two legs in a row make a way easy to share: none may pass
                // close by another line's bend, where lines would run
                // together and could not be told apart.
                let apart = |x: (f64, f64), y: (f64, f64)| {
                    taken.iter().all(|&t| near_segment(t, x, y) > BEND_APART)
                };
                pairs
                    .into_iter()
                    .filter(|&(_, u, v)| !blocked(u, v, usize::MAX))
                    .filter(|&(_, u, v)| apart(p, u) && apart(u, v) && apart(v, q))
                    .take(8)
                    .map(|(long, u, v)| {
                        let crossed = crossings(p, u) + crossings(u, v) + crossings(v, q);
                        (long + 40.0 * crossed as f64, vec![u, v])
                    })
                    .min_by(|x, y| x.0.total_cmp(&y.0))
            });
        if let Some((_, points)) = way {
            taken.extend(points.iter().copied());
            edges[link_edge[k]].via = points;
            fixed += before;
            bent += 1;
        }
    }
    (fixed, bent)
}

/// How far, in points, a line bent twice keeps from every other line's
/// bends.
const BEND_APART: f64 = 24.0;

/// The distance from `t` to the segment `x`–`y`.
fn near_segment(t: (f64, f64), x: (f64, f64), y: (f64, f64)) -> f64 {
    let (dx, dy) = (y.0 - x.0, y.1 - x.1);
    let len2 = dx * dx + dy * dy;
    let s = if len2 > 0.0 {
        (((t.0 - x.0) * dx + (t.1 - x.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (x.0 + s * dx - t.0).hypot(x.1 + s * dy - t.1)
}

/// How many of the nearest bend points from each end of a line are paired
/// when no one point takes it round: enough to find a way past a column of
/// boxes, few enough that a poster's hundreds of such lines stay quick.
const BEND_PAIRS: usize = 30;

/// A pinned node's half-size (of estimated drawn `size`) with its margin:
/// what a line must clear not to run through it.
fn half_size(n: &SceneNode, (w, h): (f64, f64)) -> (f64, f64) {
    let (mx, my) = margin(&n.shape, w);
    (w / 2.0 + mx + 2.0, h / 2.0 + my + 2.0)
}

/// The lines of a pinned scene that still run through a box they do not
/// join (straight, or either leg of a bent one), as the indices in
/// `scene.nodes` of each line's two ends and of the box.
fn lines_through_boxes(scene: &GraphScene) -> Vec<[usize; 3]> {
    let feet: Vec<Option<Footprint>> = scene
        .nodes
        .iter()
        .map(|n| {
            n.pos.map(|c| Footprint {
                c,
                half: half_size(n, node_size(n)),
                round: is_round(&n.shape),
            })
        })
        .collect();
    let index: std::collections::HashMap<&str, usize> = scene
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for e in &scene.edges {
        let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) else {
            continue;
        };
        let (Some(fa), Some(fb)) = (feet[a], feet[b]) else {
            continue;
        };
        if a == b {
            continue;
        }
        let corners: Vec<(f64, f64)> = std::iter::once(fa.c)
            .chain(e.via.iter().copied())
            .chain(std::iter::once(fb.c))
            .collect();
        let legs: Vec<((f64, f64), (f64, f64))> =
            corners.windows(2).map(|w| (w[0], w[1])).collect();
        for (c, f) in feet.iter().enumerate() {
            let Some(f) = f else { continue };
            if c != a && c != b && legs.iter().any(|&(p, q)| f.crosses(p, q)) {
                out.push([a, b, c]);
            }
        }
    }
    out
}

/// The margins (across, up and down) to add round a node's estimated size
/// (of width `w`) to be sure of covering what Graphviz draws: a little, and
/// more across for shapes whose points reach beyond the estimate at the
/// sides.
fn margin(shape: &str, w: f64) -> (f64, f64) {
    match shape {
        "hexagon" | "octagon" | "diamond" => (4.0 + 0.08 * w, 4.0),
        "house" => (4.0 + 0.08 * w, 4.0 + 0.04 * w),
        "circle" | "doublecircle" => (5.0, 5.0),
        _ => (3.0, 3.0),
    }
}

/// Shapes Graphviz draws round the label: a line clears them closer to
/// their bounding box's corners.
fn is_round(shape: &str) -> bool {
    matches!(shape, "ellipse" | "oval" | "circle" | "doublecircle")
}

/// Where a pinned node stands, for deciding whether a line runs through
/// it: its centre and half-size, as an ellipse or a box.
#[derive(Debug, Clone, Copy)]
struct Footprint {
    c: (f64, f64),
    half: (f64, f64),
    round: bool,
}

impl Footprint {
    /// Whether the segment `p`–`q` runs through the node.
    fn crosses(&self, p: (f64, f64), q: (f64, f64)) -> bool {
        let (hx, hy) = (self.half.0.max(1e-6), self.half.1.max(1e-6));
        // In the node's own units: centre at the origin, half-size 1.
        let (a, b) = (
            ((p.0 - self.c.0) / hx, (p.1 - self.c.1) / hy),
            ((q.0 - self.c.0) / hx, (q.1 - self.c.1) / hy),
        );
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        if self.round {
            // The nearest point of the segment to the centre.
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (x, y) = (a.0 + t * dx, a.1 + t * dy);
            x * x + y * y < 1.0
        } else {
            // Liang–Barsky clipping against the square [-1, 1]².
            let (mut t0, mut t1) = (0.0f64, 1.0f64);
            for (d, o) in [
                (-dx, a.0 + 1.0),
                (dx, 1.0 - a.0),
                (-dy, a.1 + 1.0),
                (dy, 1.0 - a.1),
            ] {
                if d.abs() < 1e-12 {
                    if o < 0.0 {
                        return false;
                    }
                } else {
                    let t = o / d;
                    if d < 0.0 {
                        t0 = t0.max(t);
                    } else {
                        t1 = t1.min(t);
                    }
                }
            }
            t0 < t1
        }
    }

    /// How far along `p`–`q` (0 at `p`, 1 at `q`) the segment leaves the
    /// node, when `p` is its centre.
    fn exit(&self, p: (f64, f64), q: (f64, f64)) -> f64 {
        let (dx, dy) = (
            (q.0 - p.0) / self.half.0.max(1e-6),
            (q.1 - p.1) / self.half.1.max(1e-6),
        );
        let t = if self.round {
            1.0 / (dx * dx + dy * dy).sqrt().max(1e-9)
        } else {
            1.0 / dx.abs().max(dy.abs()).max(1e-9)
        };
        t.min(1.0)
    }
}

/// Whether segments `a`–`b` and `c`–`d` cross at a point inside both.
fn cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let side = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let (d1, d2) = (side(a, b, c), side(a, b, d));
    let (d3, d4) = (side(c, d, a), side(c, d, b));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// The size of a line's badge at 9 pt: Helvetica's digits are 5 pt wide,
/// brackets, commas and spaces about half that, and Graphviz adds a small
/// margin. Close, so that a badge placed beside its line is drawn there.
fn badge_size(cites: &[usize]) -> (f64, f64) {
    let text: f64 = super::badge(cites)
        .chars()
        .map(|c| if c.is_ascii_digit() { 5.5 } else { 3.0 })
        .sum();
    (text + 7.0, 13.0)
}

/// Places each cited line's badge on its line, clear of every box, band
/// heading and badge placed before it, so that a reader can tell which
/// line it belongs to. Lines are straight between node centres in a pinned
/// scene, and Graphviz draws only the part between the two boxes: the
/// badge goes on that visible part, from its middle outwards, on the line
/// or just beside it (its near edge 1.5 to 5.5 points away), preferring a spot
/// that no other line runs through. The shortest lines, which have the
/// fewest spots, choose first. A badge with no free spot still goes within
/// 5.5 points of its line, anywhere along it: where it meets the boxes
/// themselves (without their margins) least, then what is already placed.
fn place_badges(nodes: &[SceneNode], edges: &mut [SceneEdge], bands: &[Band]) {
    type Rect = (f64, f64, f64, f64);
    let rect = |(x, y): (f64, f64), (w, h): (f64, f64), pad: f64| {
        (
            x - w / 2.0 - pad,
            y - h / 2.0 - pad,
            x + w / 2.0 + pad,
            y + h / 2.0 + pad,
        )
    };
    // Node sizes are estimates: a small margin, and more for shapes whose
    // points Graphviz draws beyond the estimate.
    let rect_xy = |(x, y): (f64, f64), (w, h): (f64, f64), (px, py): (f64, f64)| {
        (
            x - w / 2.0 - px,
            y - h / 2.0 - py,
            x + w / 2.0 + px,
            y + h / 2.0 + py,
        )
    };
    let feet: Vec<Option<(Footprint, Rect)>> = nodes
        .iter()
        .map(|n| {
            let (w, h) = node_size(n);
            let p = margin(&n.shape, w);
            n.pos.map(|c| {
                (
                    Footprint {
                        c,
                        half: (w / 2.0 + p.0, h / 2.0 + p.1),
                        round: is_round(&n.shape),
                    },
                    rect_xy(c, (w, h), p),
                )
            })
        })
        .collect();
    let mut taken: Vec<Rect> = feet.iter().flatten().map(|f| f.1).collect();
    // The boxes without the safety margin: where a badge that finds no
    // free spot must still not land, since there it reads as the box's
    // citation.
    let inner: Vec<Rect> = nodes
        .iter()
        .filter_map(|n| n.pos.map(|c| rect(c, node_size(n), 0.0)))
        .collect();
    let boxes = taken.len();
    // Band headings sit at the top of each band.
    taken.extend(
        bands
            .iter()
            .map(|b| (b.x, b.y, b.x + b.w, b.y + BAND_HEAD - 6.0)),
    );
    let hits = |r: Rect, taken: &[Rect]| {
        taken
            .iter()
            .any(|t| r.0 < t.2 && t.0 < r.2 && r.1 < t.3 && t.1 < r.3)
    };
    let at = |id: &str| nodes.iter().position(|n| n.id == id);
    // Graphviz draws several lines between the same two nodes as curves
    // bowed apart (neato's `makeStraightEdges`): the first found, walking
    // the nodes and then each node's lines in the order written, and then
    // the others in reverse, bowed by 9 points, -9, … (half the default
    // node separation of 18 points each, about the middle) to the left of
    // the first one's direction; by `3s(1 - s)` times that at a fraction
    // `s` along. A badge follows the curve its line is drawn as.
    const NODESEP: f64 = 18.0;
    let mut bow = vec![(0.0, 0.0); edges.len()];
    let mut pairs: std::collections::BTreeMap<(usize, usize), Vec<(usize, usize)>> =
        std::collections::BTreeMap::new();
    for (k, e) in edges.iter().enumerate() {
        if let (Some(i), Some(j), true) = (at(&e.from), at(&e.to), e.via.is_empty()) {
            if i != j {
                pairs.entry((i.min(j), i.max(j))).or_default().push((i, k));
            }
        }
    }
    for list in pairs.values_mut().filter(|l| l.len() > 1) {
        list.sort_unstable();
        let lead = &edges[list[0].1];
        let (Some(Some((fa, _))), Some(Some((fb, _)))) = (
            at(&lead.from).map(|i| feet[i]),
            at(&lead.to).map(|i| feet[i]),
        ) else {
            continue;
        };
        let (dx, dy) = (fb.c.0 - fa.c.0, fb.c.1 - fa.c.1);
        let len = dx.hypot(dy).max(1e-9);
        // Left of the direction in Graphviz's upward y is right of it in
        // the scene's downward y.
        let perp = (dy / len, -dx / len);
        let first = NODESEP * (list.len() - 1) as f64 / 2.0;
        let chain = std::iter::once(list[0]).chain(list[1..].iter().rev().copied());
        for (n, (_, k)) in chain.enumerate() {
            let off = first - NODESEP * n as f64;
            bow[k] = (perp.0 * off, perp.1 * off);
        }
    }
    // Each drawn line: its index, its ends' centres, and the fractions of
    // the way from one to the other where it leaves the first box and
    // enters the second.
    type Point = (f64, f64);
    let mut visible: Vec<(usize, Point, Point, f64, f64)> = Vec::new();
    let mut segments: Vec<(usize, Point, Point)> = Vec::new();
    for (k, e) in edges.iter().enumerate() {
        let (Some(i), Some(j)) = (at(&e.from), at(&e.to)) else {
            continue;
        };
        let (Some((fa, _)), Some((fb, _))) = (feet[i], feet[j]) else {
            continue;
        };
        let (a, b) = (fa.c, fb.c);
        if !e.via.is_empty() {
            // A bent line: its badge goes on the longest leg, of which the
            // first and last show from where they leave their box.
            let corners: Vec<Point> = std::iter::once(a)
                .chain(e.via.iter().copied())
                .chain(std::iter::once(b))
                .collect();
            let last = corners.len() - 2;
            let legs: Vec<(usize, Point, Point, f64, f64)> = corners
                .windows(2)
                .enumerate()
                .map(|(n, w)| {
                    let t0 = if n == 0 { fa.exit(w[0], w[1]) } else { 0.0 };
                    let t1 = if n == last {
                        1.0 - fb.exit(w[1], w[0])
                    } else {
                        1.0
                    };
                    (k, w[0], w[1], t0, t1)
                })
                .collect();
            segments.extend(legs.iter().map(|l| (l.0, l.1, l.2)));
            let seen = |l: &(usize, Point, Point, f64, f64)| {
                (l.2 .0 - l.1 .0).hypot(l.2 .1 - l.1 .1) * (l.4 - l.3)
            };
            if !e.cites.is_empty() {
                // The first longest, as the two legs were weighed before.
                let mut best = legs[0];
                for l in &legs[1..] {
                    if seen(l) > seen(&best) {
                        best = *l;
                    }
                }
                visible.push(best);
            }
            continue;
        }
        let (t0, t1) = (fa.exit(a, b), 1.0 - fb.exit(b, a));
        let (t0, t1) = if t0 < t1 {
            (t0, t1)
        } else {
            // The boxes touch: the line shows, if at all, where they meet.
            let m = (t0 + t1) / 2.0;
            (m, m)
        };
        segments.push((k, a, b));
        if !e.cites.is_empty() {
            visible.push((k, a, b, t0, t1));
        }
    }
    let length = |v: &(usize, Point, Point, f64, f64)| {
        (v.2 .0 - v.1 .0).hypot(v.2 .1 - v.1 .1) * (v.4 - v.3)
    };
    visible.sort_by(|x, y| length(x).total_cmp(&length(y)).then(x.0.cmp(&y.0)));
    // Whether another line runs through a badge's box.
    let crossed = |r: Rect, own: usize| {
        let box_ = Footprint {
            c: ((r.0 + r.2) / 2.0, (r.1 + r.3) / 2.0),
            half: ((r.2 - r.0) / 2.0, (r.3 - r.1) / 2.0),
            round: false,
        };
        segments
            .iter()
            .any(|&(k, a, b)| k != own && box_.crosses(a, b))
    };
    for (k, a, b, t0, t1) in visible {
        let size = badge_size(&edges[k].cites);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy);
        // A unit step across the line (any, for a line of no length), and
        // how far a badge's centre must be from the line to clear it.
        let (nx, ny) = if len > 1e-9 {
            (-dy / len, dx / len)
        } else {
            (1.0, 0.0)
        };
        let clear = nx.abs() * size.0 / 2.0 + ny.abs() * size.1 / 2.0;
        // From the middle of the visible part outwards, in fortieths, to
        // near its ends.
        let along: Vec<f64> = (0..=28)
            .map(|i| {
                let t = 0.5 + f64::from((i + 1) / 2) * 0.025 * if i % 2 == 0 { 1.0 } else { -1.0 };
                t0 + (t1 - t0) * t
            })
            .collect();
        let (bx, by) = bow[k];
        let offsets = [
            0.0,
            clear + 1.5,
            -(clear + 1.5),
            clear + 4.0,
            -(clear + 4.0),
            clear + 5.5,
            -(clear + 5.5),
        ];
        let spots: Vec<(f64, f64)> = offsets
            .iter()
            .flat_map(|off| {
                along.iter().map(move |s| {
                    let curve = 3.0 * s * (1.0 - s);
                    (
                        a.0 + dx * s + bx * curve + nx * off,
                        a.1 + dy * s + by * curve + ny * off,
                    )
                })
            })
            .collect();
        let free = |s: &(f64, f64)| !hits(rect(*s, size, 0.5), &taken);
        // Where the line is too crowded for that, the badge still stays
        // within 5.5 points of its own line (further out it reads as
        // another line's): at the spot that overlaps the boxes, headings
        // and badges already placed least, the middle first on a tie.
        let overlap = |s: &(f64, f64)| {
            let r = rect(*s, size, 0.5);
            // A badge on a box reads as the box's citation: overlapping
            // boxes (the first `boxes` taken) costs far more than
            // overlapping another badge or a heading.
            taken
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let w = (r.2.min(t.2) - r.0.max(t.0)).max(0.0);
                    let h = (r.3.min(t.3) - r.1.max(t.1)).max(0.0);
                    w * h * if i < boxes { 100.0 } else { 1.0 }
                })
                .sum::<f64>()
        };
        // Where the margins leave no free spot (a line that runs past a
        // third box, on a poster), anywhere along the whole line, by how
        // much it meets the boxes themselves first.
        let on_box = |s: &(f64, f64)| {
            let r = rect(*s, size, 0.5);
            inner
                .iter()
                .map(|t| {
                    let w = (r.2.min(t.2) - r.0.max(t.0)).max(0.0);
                    let h = (r.3.min(t.3) - r.1.max(t.1)).max(0.0);
                    w * h
                })
                .sum::<f64>()
        };
        let spot = spots
            .iter()
            .find(|s| free(s) && !crossed(rect(**s, size, 0.5), k))
            .or_else(|| spots.iter().find(|s| free(s)))
            .copied()
            .unwrap_or_else(|| {
                let whole = (1..100).flat_map(|i| {
                    let s = f64::from(i) / 100.0;
                    let curve = 3.0 * s * (1.0 - s);
                    offsets.iter().map(move |off| {
                        (
                            a.0 + dx * s + bx * curve + nx * off,
                            a.1 + dy * s + by * curve + ny * off,
                        )
                    })
                });
                spots
                    .iter()
                    .copied()
                    .chain(whole)
                    .map(|s| (on_box(&s), overlap(&s), s))
                    .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)))
                    .map_or(spots[0], |m| m.2)
            });
        taken.push(rect(spot, size, 0.5));
        edges[k].badge_at = Some(spot);
    }
}

/// The years the entities drawn in a scene reach, for its caption, given
/// each drawn entity's date (`None` for an undated one): `Dates: 2015`,
/// `Dates: 2013–2018`, `Dates: 1960 to the present` when something drawn
/// is still going, with a note when some ends or starts are unknown and
/// how many of the entities drawn have no date at all (the range says
/// nothing about them). `None` when nothing is drawn.
fn date_range<'e>(dates: impl Iterator<Item = Option<&'e Date>>) -> Option<String> {
    date_phrase(dates, true)
}

/// [`date_range`], saying how many have no date only if `count_undated`
/// (not when the dates are those of some of the entities drawn).
fn date_phrase<'e>(
    dates: impl Iterator<Item = Option<&'e Date>>,
    count_undated: bool,
) -> Option<String> {
    use crate::model::date::Limit;
    let mut years = Vec::new();
    let (mut ongoing, mut end_unknown, mut start_unknown) = (false, false, false);
    let (mut drawn, mut undated) = (0usize, 0usize);
    for d in dates {
        drawn += 1;
        let Some(d) = d else {
            undated += 1;
            continue;
        };
        for l in [
            d.start().earliest,
            d.start().latest,
            d.end().earliest,
            d.end().latest,
        ] {
            if let Limit::Day(day) = l {
                years.push(day.ymd().0);
            }
        }
        ongoing |= d.is_open_ended();
        end_unknown |= d.has_unknown_end();
        start_unknown |= d.start().earliest == Limit::Past;
    }
    if drawn == 0 {
        return None;
    }
    let (Some(lo), Some(hi)) = (years.iter().min(), years.iter().max()) else {
        return Some("No dates: nothing drawn is dated".to_string());
    };
    let mut out = if ongoing {
        format!("Dates: {lo} to the present")
    } else if lo == hi {
        format!("Dates: {lo}")
    } else {
        format!("Dates: {lo}–{hi}")
    };
    match (start_unknown, end_unknown && !ongoing) {
        (true, true) => out.push_str(", some starts and ends unknown"),
        (true, false) => out.push_str(", some starts unknown"),
        (false, true) => out.push_str(", some ends unknown"),
        (false, false) => {}
    }
    if undated > 0 && count_undated {
        out.push_str(&format!(
            "; {undated} of the {drawn} entities drawn {} no date",
            if undated == 1 { "has" } else { "have" }
        ));
    }
    Some(out)
}

/// The lineage of `id`, left to right: each mechanism with its dates, the
/// summits that founded it, its sessions and what suspended it.
pub fn lineage(
    ds: &Dataset,
    settings: &query::LineageSettings,
    opts: &DiagramOptions,
) -> Result<GraphScene, QueryError> {
    let l = query::lineage_with(ds, settings)?;
    let outlines = super::outlines(ds);
    let mut b = Builder::new(ds, opts, false, &outlines);
    for link in &l.links {
        let e = ds.entity(link.entity.id).expect("in dataset");
        b.node(e, e.id == l.id);
    }
    for link in &l.links {
        let me = ds.entity(link.entity.id).expect("in dataset");
        for f in &link.predecessors {
            let (from, to) = (
                ds.entity(f.from).expect("entity"),
                ds.entity(f.to).expect("entity"),
            );
            let r = f.relation;
            // Drawn predecessor → successor so the chain reads left to right.
            b.edge(from, to, r, true);
        }
        for rel in link.founded.iter().chain(&link.ended) {
            let other = ds.entity(rel.entity.id).expect("entity");
            b.node(other, false);
            let r = rel.fact.relation;
            // Founding venues point into the mechanism; ruptures out of it.
            let founding = link.founded.iter().any(|x| std::ptr::eq(x, rel));
            b.edge(me, other, r, founding);
        }
        for rel in &link.sessions {
            let other = ds.entity(rel.entity.id).expect("entity");
            b.node(other, false);
            let r = rel.fact.relation;
            b.edge(other, me, r, true);
        }
    }
    // The identifications that joined members under two names: without
    // them a member would stand unconnected to the chain it belongs to.
    let member = |id: &str| l.links.iter().any(|m| m.entity.id == id);
    for f in l
        .identified
        .iter()
        .filter(|f| member(f.from) && member(f.to))
    {
        let (from, to) = (
            ds.entity(f.from).expect("entity"),
            ds.entity(f.to).expect("entity"),
        );
        b.edge(from, to, f.relation, true);
    }
    let name = ds.entity(l.id).map_or(l.id, |e| e.label());
    let caption = b.dates().into_iter().collect();
    Ok(b.finish(format!("Lineage of {name}"), caption, "LR"))
}

/// The `eligible` nodes of a graph of `n` nodes with these undirected
/// `ties`, in the order a selection of the most important takes them so
/// that what is drawn hangs together: importance is closeness centrality
/// on the ties (how near a node is, on average, to every other it can
/// reach, scaled by how many it reaches: the middle of the largest web of
/// relations ranks first), then degree, then id (`ids`), so the order is
/// stable. It starts at the most important node and goes on with the most
/// important node tied to one already taken; where nothing taken has an
/// untaken tie left, it starts again at the most important node not yet
/// taken, marked `true` (a new piece). The first `k` are the `k` to draw
/// (less a new piece's first node, if it comes last: alone it would say
/// nothing).
fn most_central(
    n: usize,
    ties: &BTreeSet<(u32, u32)>,
    degree: &[usize],
    eligible: &[usize],
    ids: &[&str],
) -> Vec<(usize, bool)> {
    let mut g: petgraph::graph::UnGraph<(), ()> =
        petgraph::graph::UnGraph::from_edges(ties.iter().copied());
    while g.node_count() < n {
        g.add_node(());
    }
    let (central, _) = query::closeness(&g);
    let mut order: Vec<usize> = eligible.to_vec();
    order.sort_by(|&a, &b| {
        central[b]
            .total_cmp(&central[a])
            .then(degree[b].cmp(&degree[a]))
            .then_with(|| ids[a].cmp(ids[b]))
    });
    let mut rank = vec![usize::MAX; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut chosen = Vec::new();
    let mut taken = vec![false; n];
    // Ranks of unchosen nodes tied to a chosen one.
    let mut frontier: BTreeSet<usize> = BTreeSet::new();
    let mut seeds = order.iter().copied();
    loop {
        let (pick, seed) = match frontier.pop_first() {
            Some(r) => (order[r], false),
            None => {
                let Some(i) = seeds.find(|&i| !taken[i]) else {
                    break;
                };
                (i, true)
            }
        };
        taken[pick] = true;
        chosen.push((pick, seed));
        for m in g.neighbors(petgraph::graph::NodeIndex::new(pick)) {
            let m = m.index();
            if !taken[m] && rank[m] != usize::MAX {
                frontier.insert(rank[m]);
            }
        }
    }
    chosen
}

/// The most nodes a slide or handout network holds by default: about what
/// a class can read at once.
pub const NETWORK_NODES: usize = 40;

/// All or part of the network, clustered by side.
///
/// Without `--kind`, a slide or handout shows the actors and what they take
/// part in: the kinds at either end of the relation types whose role is
/// `participation` in the ontology (for the bundled data: bodies, people,
/// organisations and countries, and the mechanisms, rounds, summits and
/// events they take part in), leaving out entities with no relation to
/// another drawn one. When more than `--max-nodes` (default
/// `NETWORK_NODES`, 40, fewer when that many do not fit the medium) remain,
/// the most central are kept, joined up: closeness centrality on the
/// relations that would be drawn, grown outwards from the most central
/// entity (see `most_central`), so the choice is stable and what is drawn
/// hangs together. The caption says how many were left out and how to see
/// them.
/// A poster shows every kind and every entity unless told otherwise.
///
/// With `--at`, only what existed then is drawn, by the rule of `detente
/// active` ([`crate::query::presence`]); undated entities are left out, or
/// with `include_undated` drawn in a band of their own.
pub fn network(
    ds: &Dataset,
    filter: &query::NetworkSettings,
    opts: &DiagramOptions,
) -> Result<GraphScene, QueryError> {
    use crate::model::ontology::Role;
    let o = ds.ontology();
    let filter = filter.options();
    let poster = opts.size == Size::Poster;
    // The teacher's default: actors and what they take part in.
    let chosen_kinds: Option<BTreeSet<String>> = if !filter.kinds.is_empty() {
        Some(filter.kinds.iter().cloned().collect())
    } else if poster {
        None
    } else {
        let mut k = BTreeSet::new();
        for r in o.with_role(Role::Participation) {
            if let Some(d) = o.relations.get(r) {
                k.extend(d.from.iter().flatten().cloned());
                k.extend(d.to.iter().flatten().cloned());
            }
        }
        // Without a participation relation, every kind.
        (!k.is_empty()).then_some(k)
    };
    let at = filter.at.as_ref();
    let mut undated: BTreeSet<String> = BTreeSet::new();
    let mut keep = BTreeSet::new();
    for e in ds.entities() {
        let kind_ok = chosen_kinds
            .as_ref()
            .is_none_or(|k| k.contains(e.kind.as_str()));
        let side_ok = filter.sides.is_empty()
            || e.side
                .as_ref()
                .is_some_and(|s| filter.sides.iter().any(|v| v.as_str() == s.as_str()));
        if !(kind_ok && side_ok) {
            continue;
        }
        let present = match at {
            None => true,
            Some(d) => match query::presence(ds, e, d) {
                Some(Truth::Definitely | Truth::Possibly) => true,
                Some(Truth::Not) => false,
                None => {
                    if filter.include_undated {
                        undated.insert(e.id.to_string());
                    }
                    filter.include_undated
                }
            },
        };
        if present {
            keep.insert(e.id.as_str());
        }
    }
    // The teacher's default draws ties, not statements about them: a
    // relation type that may point at any kind (a claim, an
    // identification) is left out unless asked for with --rel.
    let statement = |r: &Relation| {
        chosen_kinds.is_some()
            && filter.kinds.is_empty()
            && filter.relations.is_empty()
            && o.relations.get(&r.kind).is_some_and(|d| d.to.is_none())
    };
    let ends_ok = |from: &Entity, to: &Entity, r: &Relation| {
        keep.contains(from.id.as_str())
            && keep.contains(to.id.as_str())
            && (filter.relations.is_empty()
                || filter
                    .relations
                    .iter()
                    .any(|v| v.as_str() == r.kind.as_str()))
            && at.is_none_or(|d| r.date.as_ref().is_none_or(|x| x.covers(d) != Truth::Not))
    };
    let rel_ok = |from: &Entity, to: &Entity, r: &Relation| ends_ok(from, to, r) && !statement(r);
    // The entities that may be drawn and the ties that would be drawn
    // between them, as an undirected graph with one edge per pair; nodes
    // in id order.
    let ids: Vec<&str> = keep.iter().copied().collect();
    let index: std::collections::HashMap<&str, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut degree = vec![0usize; ids.len()];
    let mut ties: BTreeSet<(u32, u32)> = BTreeSet::new();
    for (from, to, r) in ds.relations() {
        if rel_ok(from, to, r) && from.id != to.id {
            let (a, b) = (index[from.id.as_str()], index[to.id.as_str()]);
            degree[a] += 1;
            degree[b] += 1;
            ties.insert((a.min(b) as u32, a.max(b) as u32));
        }
    }
    // The default selection leaves out what is connected to nothing drawn.
    let lone_ok = poster || !filter.kinds.is_empty();
    let eligible: Vec<usize> = (0..ids.len())
        .filter(|&i| degree[i] > 0 || lone_ok)
        .collect();
    let isolated = ids.len() - eligible.len();
    // The order in which entities are chosen, most central first, each
    // tied to one chosen before it unless it starts a new piece (`true`):
    // worked out once, for however many are drawn. Only a cut needs it.
    let cap_asked = match (filter.max_nodes, poster) {
        (Some(n), _) => n.max(1),
        (None, true) => usize::MAX,
        (None, false) => NETWORK_NODES,
    };
    let grown = if eligible.len() > cap_asked {
        most_central(ids.len(), &ties, &degree, &eligible, ids.as_slice())
    } else {
        eligible.iter().map(|&i| (i, false)).collect()
    };
    // The first `cap` in that order.
    let first = |cap: usize| -> Vec<usize> {
        let mut chosen: Vec<usize> = grown.iter().take(cap).map(|g| g.0).collect();
        // A new piece needs room for one of its ties.
        if grown.len() > cap && cap > 1 && grown[cap - 1].1 && degree[grown[cap - 1].0] > 0 {
            chosen.pop();
        }
        chosen
    };
    let outlines = super::outlines(ds);
    // The picture of the `chosen`, of whom `crossing` more central ones
    // were left out for their lines (see below).
    let draw = |chosen: &[usize], crossing: usize, work: usize| -> (GraphScene, f64, f64) {
        let cut = eligible.len() - chosen.len();
        let drawn: BTreeSet<&str> = chosen.iter().map(|&i| ids[i]).collect();

        let mut b = Builder::new(ds, opts, true, &outlines);
        b.undated = undated.clone();
        for e in ds.entities().filter(|e| drawn.contains(e.id.as_str())) {
            b.node(e, false);
        }
        let mut statements = 0;
        for (from, to, r) in ds.relations() {
            if !(drawn.contains(from.id.as_str()) && drawn.contains(to.id.as_str())) {
                continue;
            }
            if rel_ok(from, to, r) {
                b.edge(from, to, r, false);
            } else if ends_ok(from, to, r) && statement(r) {
                statements += 1;
            }
        }
        let mut caption = Vec::new();
        match at {
            Some(d) if filter.include_undated => caption.push(format!(
                "As of {}: what existed then, and (in their own band) undated entities that may have existed then",
                d.human()
            )),
            Some(d) => caption.push(format!(
                "As of {}: what existed then, as `detente active` finds it; undated entities are left out",
                d.human()
            )),
            None => {}
        }
        if cut > 0 || isolated > 0 || statements > 0 {
            let mut line = String::new();
            if cut > 0 {
                line.push_str(&format!(
                    "The {} most central of {}{} entities{} (closeness on the lines drawn){}. ",
                    drawn.len(),
                    if lone_ok { "" } else { "the " },
                    eligible.len(),
                    if lone_ok {
                        ""
                    } else {
                        " with a line to another"
                    },
                    match crossing {
                        0 => String::new(),
                        1 => ", less 1 whose line would run through a box".to_string(),
                        n => format!(", less {n} whose lines would run through boxes"),
                    },
                ));
            }
            let mut left = Vec::new();
            if cut > 0 {
                left.push(format!(
                    "{cut} {}",
                    if crossing > 0 {
                        "others"
                    } else {
                        "less central"
                    }
                ));
            }
            if isolated > 0 {
                left.push(format!(
                    "{isolated} with {}",
                    if cut > 0 {
                        "none"
                    } else {
                        "no line to another"
                    }
                ));
            }
            if statements > 0 {
                left.push(format!(
                    "{statements} claims and identifications (--rel claims)"
                ));
            }
            line.push_str(&format!(
                "Not shown: {}. More: --max-nodes N, --kind, --side, --size poster, `diagram ego ID`",
                left.join(", ")
            ));
            caption.push(line);
        }
        // The dates of what happens or meets (the kinds a timeline shows): a
        // committee founded in 1816 or a country's founding would stretch the
        // range of a picture about the dialogues of the 2010s. Actors' own
        // dates are in their tooltips.
        if at.is_none() {
            let on_timeline = |id: &str| {
                ds.entity(id)
                    .and_then(|e| o.kinds.get(&e.kind))
                    .is_some_and(|k| k.timeline)
            };
            let dates = date_phrase(
                b.nodes
                    .iter()
                    .filter(|n| on_timeline(&n.id))
                    .map(|n| ds.entity(&n.id).and_then(|e| e.date.as_ref())),
                false,
            );
            caption.extend(dates.or_else(|| b.dates()));
        }
        let mut title =
            if filter.kinds.is_empty() && filter.sides.is_empty() && filter.relations.is_empty() {
                if poster {
                    "Network of actors, mechanisms and sources".to_string()
                } else {
                    "Who takes part in what: actors and mechanisms".to_string()
                }
            } else {
                // What is shown goes in the caption, where a long list can wrap.
                let what: Vec<String> = filter
                    .kinds
                    .iter()
                    .map(|k| {
                        o.kinds
                            .get(k.as_str())
                            .map_or(k.to_string(), |d| d.plural.clone())
                    })
                    .collect();
                if !what.is_empty() {
                    caption.insert(0, wrap(&format!("Showing: {}", what.join(", ")), 150));
                }
                "Network".to_string()
            };
        if let Some(d) = at {
            title.push_str(&format!(", {}", d.human()));
        }
        b.finish_fit(title, caption, "TB", work)
    };
    // A cap the user gave is kept (a picture too large is refused). The
    // default one is the most, up to NETWORK_NODES, whose nodes fit the
    // medium by the view's own estimate of the picture (every count tried,
    // from the most down, so that one more or one less entity is never
    // skipped over), less a tenth for each squeeze (when Graphviz finds the
    // estimate too generous).
    let fixed = filter.max_nodes.is_some() || poster;
    let cap = if fixed {
        cap_asked
    } else {
        let most = cap_asked.min(eligible.len()).max(1);
        let cap = (1..=most)
            .rev()
            .find(|&k| k <= 2 || draw(&first(k), 0, 0).1 >= 1.0)
            .unwrap_or(1);
        ((cap as f64) * 0.9f64.powi(i32::from(opts.squeeze)))
            .round()
            .max(1.0) as usize
    };
    let mut chosen = first(cap);
    let mut drawn = draw(&chosen, 0, LAYOUT_WORK);
    // Where the layout still runs a line through a box it does not join (a
    // line through a box reads as a relation with it), the least central
    // of the three (the line's two ends and the box) is left out, and
    // anything left with no line to another drawn entity, until no line
    // does or a quarter of them are gone.
    if !fixed {
        let mut crossing = 0;
        while drawn.2 >= THROUGH_COST && chosen.len() * 4 > cap * 3 {
            let meets = lines_through_boxes(&drawn.0);
            let place = |id: &str| chosen.iter().position(|&i| ids[i] == id);
            let Some(worst) = meets
                .iter()
                .flatten()
                .filter_map(|&n| place(&drawn.0.nodes[n].id))
                .max()
            else {
                break;
            };
            let gone = chosen.remove(worst) as u32;
            crossing += 1;
            // What only the one left out tied in goes too; what had no tie
            // to it (an entity drawn alone, with --kind) stays.
            let set: BTreeSet<u32> = chosen.iter().map(|&i| i as u32).collect();
            chosen.retain(|&i| {
                let i = i as u32;
                !ties.contains(&(i.min(gone), i.max(gone)))
                    || ties
                        .iter()
                        .any(|&(a, b)| (a == i && set.contains(&b)) || (b == i && set.contains(&a)))
            });
            drawn = draw(&chosen, crossing, LAYOUT_WORK);
        }
    }
    Ok(drawn.0)
}

/// One entity and everything within `depth` relations of it.
pub fn ego(
    ds: &Dataset,
    settings: &query::NeighborSettings,
    opts: &DiagramOptions,
) -> Result<GraphScene, QueryError> {
    let depth = settings.options().depth;
    let n = query::neighbors(ds, settings)?;
    let outlines = super::outlines(ds);
    let mut b = Builder::new(ds, opts, false, &outlines);
    let center = ds.entity(n.center.id).expect("entity");
    b.node(center, true);
    for x in &n.neighbors {
        let e = ds.entity(x.entity.id).expect("entity");
        b.node(e, false);
    }
    for f in &n.relations {
        let r = f.relation;
        b.edge(
            ds.entity(f.from).expect("entity"),
            ds.entity(f.to).expect("entity"),
            r,
            false,
        );
    }
    let mut caption = vec![format!(
        "Everything within {} of {}",
        if depth == 1 {
            "one relation".to_string()
        } else {
            format!("{depth} relations")
        },
        center.label()
    )];
    caption.extend(b.dates());
    Ok(b.finish(
        format!("{} and its neighbours", center.label()),
        caption,
        "LR",
    ))
}

#[cfg(test)]
mod tests {
    use super::date_range;
    use crate::model::date::Date;

    fn phrase(dates: &[Option<&str>]) -> Option<String> {
        let parsed: Vec<Option<Date>> = dates
            .iter()
            .map(|d| d.map(|d| Date::parse(d).unwrap()))
            .collect();
        date_range(parsed.iter().map(Option::as_ref))
    }

    #[test]
    fn date_phrase_of_a_closed_range_names_first_and_last_year() {
        assert_eq!(
            phrase(&[Some("2013-06"), Some("2015/2018-03")]).unwrap(),
            "Dates: 2013–2018"
        );
    }

    #[test]
    fn date_phrase_of_one_year_is_that_year_alone() {
        assert_eq!(
            phrase(&[Some("2015-09-25"), Some("2015")]).unwrap(),
            "Dates: 2015"
        );
    }

    #[test]
    fn date_phrase_of_something_still_going_runs_to_the_present() {
        // Not "1960–2019 and onwards": the last known year says nothing
        // once something drawn is still going.
        assert_eq!(
            phrase(&[Some("1960"), Some("2017/.."), Some("2019-05")]).unwrap(),
            "Dates: 1960 to the present"
        );
        assert_eq!(
            phrase(&[Some("2017/..")]).unwrap(),
            "Dates: 2017 to the present"
        );
    }

    #[test]
    fn date_phrase_says_when_ends_or_starts_are_unknown() {
        assert_eq!(
            phrase(&[Some("2013"), Some("2016/")]).unwrap(),
            "Dates: 2013–2016, some ends unknown"
        );
        assert_eq!(
            phrase(&[Some("/2016"), Some("2018")]).unwrap(),
            "Dates: 2016–2018, some starts unknown"
        );
    }

    #[test]
    fn date_phrase_counts_the_undated_entities_drawn() {
        assert_eq!(
            phrase(&[Some("2013"), None, Some("2017/.."), None]).unwrap(),
            "Dates: 2013 to the present; 2 of the 4 entities drawn have no date"
        );
        assert_eq!(
            phrase(&[Some("2013"), None, Some("2014")]).unwrap(),
            "Dates: 2013–2014; 1 of the 3 entities drawn has no date"
        );
        assert_eq!(
            phrase(&[None, None]).unwrap(),
            "No dates: nothing drawn is dated"
        );
        assert_eq!(phrase(&[]), None);
    }
}

#[cfg(test)]
mod bend_tests {
    use super::{bend_round, Footprint};
    use crate::view::SceneEdge;

    fn edge(from: &str, to: &str) -> SceneEdge {
        SceneEdge {
            from: from.into(),
            to: to.into(),
            label: String::new(),
            style: "solid".into(),
            color: "#000000".into(),
            tooltip: String::new(),
            cites: Vec::new(),
            badge_at: None,
            via: Vec::new(),
        }
    }

    fn at(c: (f64, f64)) -> Footprint {
        Footprint {
            c,
            half: (40.0, 15.0),
            round: false,
        }
    }

    #[test]
    fn a_line_through_a_box_is_bent_round_it_and_a_clear_one_is_not() {
        // a, b, c in a row: a–c runs through b; a–b is clear.
        let feet = [at((50.0, 100.0)), at((200.0, 100.0)), at((350.0, 100.0))];
        let links = [(0, 2), (0, 1)];
        let mut edges = [edge("a", "c"), edge("a", "b")];
        let area = ((0.0, 0.0), (400.0, 300.0));
        let (fixed, bent) = bend_round(&feet, &links, &[0, 1], &mut edges, area);
        assert_eq!((fixed, bent), (1, 1));
        assert!(edges[1].via.is_empty());
        let w = *edges[0].via.first().expect("a bend");
        assert_eq!(edges[0].via.len(), 1, "one bend will do");
        let (p, q) = (feet[0].c, feet[2].c);
        assert!(!feet[1].crosses(p, w) && !feet[1].crosses(w, q), "{w:?}");
        assert!(!feet[2].crosses(p, w) && !feet[0].crosses(w, q), "{w:?}");
    }

    #[test]
    fn a_line_past_a_tall_box_is_bent_twice_over_it() {
        // a and c either side of a box too tall to pass with one bend:
        // every point seen from both ends is behind it.
        let feet = [
            at((50.0, 100.0)),
            Footprint {
                c: (250.0, 100.0),
                half: (40.0, 60.0),
                round: false,
            },
            at((450.0, 100.0)),
        ];
        let mut edges = [edge("a", "c")];
        let area = ((0.0, 0.0), (500.0, 200.0));
        assert_eq!(bend_round(&feet, &[(0, 2)], &[0], &mut edges, area), (1, 1));
        let via = &edges[0].via;
        assert_eq!(via.len(), 2, "{via:?}");
        let legs = [(feet[0].c, via[0]), (via[0], via[1]), (via[1], feet[2].c)];
        for (p, q) in legs {
            assert!(!feet[1].crosses(p, q), "{via:?}");
        }
    }

    #[test]
    fn a_line_with_no_way_round_inside_the_area_stays_straight() {
        // The area is the row itself: no point off b's corners is in it.
        let feet = [at((50.0, 100.0)), at((200.0, 100.0)), at((350.0, 100.0))];
        let mut edges = [edge("a", "c")];
        let area = ((0.0, 90.0), (400.0, 110.0));
        assert_eq!(bend_round(&feet, &[(0, 2)], &[0], &mut edges, area), (0, 0));
        assert!(edges[0].via.is_empty());
    }
}
