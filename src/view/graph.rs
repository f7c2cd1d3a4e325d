//! The node-and-edge views: a mechanism's lineage left to right, the network
//! clustered by side, and one entity's neighbourhood.

use std::collections::BTreeSet;

use super::{
    cite_marks, titled, wrap, Band, DiagramOptions, DocCites, GraphScene, Legend, Mark, Placement,
    SceneEdge, SceneNode, Size,
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
    fn new(ds: &'a Dataset, opts: &'a DiagramOptions, pinned: bool) -> Builder<'a> {
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
            dated_nodes: !pinned || opts.size == Size::Poster,
        }
    }

    fn mark(&mut self, m: Mark) {
        self.marks.insert(m as u8);
    }

    fn node(&mut self, e: &'a Entity, focus: bool) {
        if !self.seen.insert(e.id.clone()) {
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
        self.kinds.insert(e.kind.clone());
        self.sides.extend(e.side.clone());
        self.nodes.push(SceneNode {
            id: e.id.clone(),
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
                .map(|s| o.sides.get(s).map_or(s.clone(), |d| d.label.clone())),
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
        self.relations.insert((r.kind.clone(), word.to_string()));
        let (a, b) = if reverse { (to, from) } else { (from, to) };
        // In the pinned network, lines are told apart by colour and style
        // (see the legend); labels on dozens of crossing lines would collide.
        let label = if self.pinned { String::new() } else { label };
        self.edges.push(SceneEdge {
            from: a.id.clone(),
            to: b.id.clone(),
            label: wrap(
                &label,
                16usize
                    .saturating_sub(usize::from(self.opts.squeeze))
                    .max(10),
            ),
            style: if claimed {
                "dashed".into()
            } else {
                def.map_or("solid".into(), |d| d.style.clone())
            },
            color: def.map_or("#555555".into(), |d| d.color.clone()),
            tooltip,
            cites: citations,
            badge_at: None,
        });
    }

    fn finish(self, title: String, caption: Vec<String>, rankdir: &'static str) -> GraphScene {
        let (title, caption) = titled(self.ds, self.opts, title, caption);
        let o = self.ds.ontology();
        let mut nodes = self.nodes;
        // Kinds that share a shape in this picture are told apart by their
        // outline, and the legend says which is which.
        let kind_of = |n: &SceneNode| self.ds.entity(&n.id).map(|e| e.kind.clone());
        let mut drawn: Vec<(String, String, usize)> = Vec::new();
        for n in &nodes {
            let Some(k) = kind_of(n) else { continue };
            match drawn.iter_mut().find(|d| d.0 == k) {
                Some(d) => d.2 += 1,
                None => drawn.push((k, n.shape.clone(), 1)),
            }
        }
        let outlines = super::outlines(&drawn);
        for n in &mut nodes {
            if let Some(k) = kind_of(n) {
                n.outline = outlines.get(&k).copied().unwrap_or_default();
            }
        }
        let mut sides_used: Vec<(String, String)> = Vec::new();
        for (id, label, color) in side_order(self.ds) {
            if self.sides.contains(&id) {
                sides_used.push((label, color));
            }
        }
        let legend = Legend {
            width: super::text_budget(self.opts),
            sides: sides_used,
            sides_fill: false,
            kinds: self
                .kinds
                .iter()
                .filter_map(|k| o.kinds.get(k).map(|d| (k, d)))
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
                    .filter_map(|(r, word)| o.relations.get(r).map(|d| (word, d)))
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
        let (placement, bands) = if self.pinned {
            let bands = pin_by_side(self.ds, &mut nodes, &self.undated);
            place_badges(&nodes, &mut edges, &bands);
            (Placement::Pinned, bands)
        } else {
            (Placement::Dot, Vec::new())
        };
        GraphScene {
            placement,
            bands,
            title,
            caption,
            rankdir,
            nodes,
            edges,
            legend,
            sources: self.cites.finish(),
            list_sources: true,
        }
    }
}

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
        "ellipse" | "oval" => (tw * 1.3, th * 1.4),
        "hexagon" | "octagon" | "diamond" => (tw * 1.45, th * 1.6),
        "circle" | "doublecircle" => {
            let d = tw.max(th) * 1.15 + 10.0;
            (d, d)
        }
        // Roofs, folded corners and tabs need room beyond the text.
        "house" | "invhouse" | "note" | "tab" | "folder" | "component" | "box3d" => {
            (tw * 1.3, th * 1.3)
        }
        _ => (tw, th),
    }
}

/// Places nodes in a grid inside one band per side, left to right: China,
/// joint and multilateral sides, the United States, then the rest; nodes
/// without a side go in a band of their own, and so do `undated` ones (a
/// dated view's entities whose existence then is unknown). Within a band,
/// nodes are grouped by kind and then by id, filled column by column; each
/// column is as wide as its widest node, each row as tall as the tallest
/// node of its band. The number of rows is chosen so that the whole is
/// closest to the 16:9 of a slide.
fn pin_by_side(ds: &Dataset, nodes: &mut [SceneNode], undated: &BTreeSet<String>) -> Vec<Band> {
    let order = side_order(ds);
    let side_of = |n: &SceneNode| {
        if undated.contains(&n.id) {
            return Some("\u{0}undated".to_string());
        }
        ds.entity(&n.id).and_then(|e| e.side.clone())
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
        groups.push((
            "Undated: may or may not have existed".into(),
            "#777777".into(),
            dateless,
        ));
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
    // The frame the nodes should fill: a slide's width, and what its height
    // leaves after the title, the legend and the source list.
    const FRAME: (f64, f64) = (1400.0, 520.0);
    let longest = groups.iter().map(|(_, _, m)| m.len()).max().unwrap_or(1);
    let rows_max = (1..=longest.max(1))
        .map(|r| {
            let (w, h) = extent(r);
            (r, (FRAME.0 / w).min(FRAME.1 / h))
        })
        .fold((ROWS_MAX, 0.0), |best, (r, s)| {
            if s > best.1 + 1e-12 {
                (r, s)
            } else {
                best
            }
        })
        .0;
    let height = extent(rows_max).1;
    let mut bands = Vec::new();
    let mut x = 20.0;
    for (label, color, members) in groups {
        let start = x;
        for (col, w, _) in columns(&members, rows_max) {
            let mut y = BAND_HEAD;
            for i in col {
                nodes[i].pos = Some((x + w / 2.0, y + sizes[i].1 / 2.0));
                y += sizes[i].1 + ROW_GAP;
            }
            x += w + COL_GAP;
        }
        let w = (x - COL_GAP - start).max(label.chars().count() as f64 * 9.0);
        x = start + w;
        bands.push(Band {
            label,
            color,
            x: start,
            y: 0.0,
            w,
            h: height,
        });
        x += BAND_GAP;
    }
    bands
}

/// The size of a line's badge at 9 pt, generously.
fn badge_size(cites: &[usize]) -> (f64, f64) {
    (
        super::text_width(&super::badge(cites)) as f64 * 5.4 + 6.0,
        13.0,
    )
}

/// Places each cited line's badge on the line, clear of every box, band
/// heading and badge placed before it: the first free spot from the middle
/// outwards, then a little to either side of the line. Lines are straight
/// between node centres in a pinned scene, so the spot is on the line
/// Graphviz draws. A badge with no free spot goes at the line's middle.
fn place_badges(nodes: &[SceneNode], edges: &mut [SceneEdge], bands: &[Band]) {
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
    let mut taken: Vec<(f64, f64, f64, f64)> = nodes
        .iter()
        .filter_map(|n| {
            let (w, h) = node_size(n);
            let pad = match n.shape.as_str() {
                "hexagon" | "octagon" | "house" | "diamond" => 4.0 + 0.08 * w,
                // Graphviz draws a (double) circle round the whole label,
                // wider than the estimate; its outer ring adds more.
                "circle" | "doublecircle" => 8.0 + 0.12 * w,
                _ => 3.0,
            };
            n.pos.map(|p| rect(p, (w, h), pad))
        })
        .collect();
    // Band headings sit at the top of each band.
    taken.extend(
        bands
            .iter()
            .map(|b| (b.x, b.y, b.x + b.w, b.y + BAND_HEAD - 6.0)),
    );
    let hits = |r: (f64, f64, f64, f64), taken: &[(f64, f64, f64, f64)]| {
        taken
            .iter()
            .any(|t| r.0 < t.2 && t.0 < r.2 && r.1 < t.3 && t.1 < r.3)
    };
    let pos = |id: &str| nodes.iter().find(|n| n.id == id).and_then(|n| n.pos);
    // From the middle outwards, in steps of a twentieth of the line.
    let along: Vec<f64> = (0..=16)
        .map(|i| 0.5 + f64::from((i + 1) / 2) * 0.05 * if i % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    for e in edges.iter_mut().filter(|e| !e.cites.is_empty()) {
        let (Some(a), Some(b)) = (pos(&e.from), pos(&e.to)) else {
            continue;
        };
        let size = badge_size(&e.cites);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        // A unit step across the line, for spots beside it.
        let (nx, ny) = (-dy / len, dx / len);
        let along = &along;
        let spot = [
            0.0, 9.0, -9.0, 18.0, -18.0, 27.0, -27.0, 36.0, -36.0, 48.0, -48.0, 60.0, -60.0, 75.0,
            -75.0, 90.0, -90.0,
        ]
        .iter()
        .flat_map(|off| {
            along
                .iter()
                .map(move |t| (a.0 + dx * t + nx * off, a.1 + dy * t + ny * off))
        })
        .find(|&p| !hits(rect(p, size, 0.5), &taken))
        .unwrap_or(((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0));
        taken.push(rect(spot, size, 0.5));
        e.badge_at = Some(spot);
    }
}

/// The years the dates in a scene reach, for its caption: `2013–2018`,
/// with `onwards` when something is still going.
fn date_range<'e>(dates: impl Iterator<Item = &'e Date>) -> Option<String> {
    use crate::model::date::Limit;
    let mut years = Vec::new();
    let mut ongoing = false;
    for d in dates {
        for l in [
            d.start().earliest,
            d.start().latest,
            d.end().earliest,
            d.end().latest,
        ] {
            match l {
                Limit::Day(day) => years.push(day.ymd().0),
                Limit::Future => ongoing |= d.is_open_ended(),
                Limit::Past => {}
            }
        }
    }
    let (lo, hi) = (years.iter().min()?, years.iter().max()?);
    let span = if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    };
    Some(if ongoing {
        format!("{span} and onwards")
    } else {
        span
    })
}

/// The lineage of `id`, left to right: each mechanism with its dates, the
/// summits that founded it, its sessions and what suspended it.
pub fn lineage(ds: &Dataset, id: &str, opts: &DiagramOptions) -> Result<GraphScene, QueryError> {
    let l = query::lineage(ds, id)?;
    let mut b = Builder::new(ds, opts, false);
    let mut dates = Vec::new();
    for link in &l.links {
        let e = ds.entity(link.entity.id).expect("in dataset");
        b.node(e, e.id == l.id);
        dates.extend(e.date.as_ref());
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
            dates.extend(other.date.as_ref());
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
    let mut caption = Vec::new();
    if let Some(r) = date_range(dates.into_iter()) {
        caption.push(r);
    }
    Ok(b.finish(format!("Lineage of {name}"), caption, "LR"))
}

/// The most nodes a slide or handout network holds by default: about what
/// a class can read at once.
pub const NETWORK_NODES: usize = 40;
/// The most a slide network holds by default: what fits 1920 × 1080 at a
/// legible size with its legend and source list.
pub const SLIDE_NODES: usize = 24;

/// All or part of the network, clustered by side.
///
/// Without `--kind`, a slide or handout shows the actors and what they take
/// part in: the kinds at either end of the relation types whose role is
/// `participation` in the ontology (for the bundled data: bodies, people,
/// organisations and countries, and the mechanisms, rounds, summits and
/// events they take part in), leaving out entities with no relation to
/// another drawn one. When more than `--max-nodes` (default
/// `NETWORK_NODES`, 24 on a slide) remain, the most connected are kept: degree counted
/// on the relations that would be drawn, ties broken by id, so the choice
/// is stable. The caption says how many were left out and how to see them.
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
        let kind_ok = chosen_kinds.as_ref().is_none_or(|k| k.contains(&e.kind));
        let side_ok =
            filter.sides.is_empty() || e.side.as_ref().is_some_and(|s| filter.sides.contains(s));
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
                        undated.insert(e.id.clone());
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
            && (filter.relations.is_empty() || filter.relations.contains(&r.kind))
            && at.is_none_or(|d| r.date.as_ref().is_none_or(|x| x.covers(d) != Truth::Not))
    };
    let rel_ok = |from: &Entity, to: &Entity, r: &Relation| ends_ok(from, to, r) && !statement(r);
    let mut degree: std::collections::BTreeMap<&str, usize> =
        keep.iter().map(|id| (*id, 0)).collect();
    for (from, to, r) in ds.relations() {
        if rel_ok(from, to, r) && from.id != to.id {
            *degree.get_mut(from.id.as_str()).expect("kept") += 1;
            *degree.get_mut(to.id.as_str()).expect("kept") += 1;
        }
    }
    let candidates = degree.len();
    // The default selection leaves out what is connected to nothing drawn.
    let mut ranked: Vec<(&str, usize)> = degree
        .into_iter()
        .filter(|&(_, n)| n > 0 || poster || !filter.kinds.is_empty())
        .collect();
    let isolated = candidates - ranked.len();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    // A cap the user gave is kept (a picture too large is refused); the
    // default one shrinks by a fifth for each squeeze, until it fits.
    let cap = filter
        .max_nodes
        .unwrap_or_else(|| {
            let roomy = match opts.size {
                Size::Poster => return usize::MAX,
                Size::Handout => NETWORK_NODES,
                Size::Slide => SLIDE_NODES,
            };
            (roomy as f64 * 0.8f64.powi(i32::from(opts.squeeze))).round() as usize
        })
        .max(1);
    let mut cut = ranked.len().saturating_sub(cap);
    let ranked_all = ranked.len();
    ranked.truncate(cap);
    let mut drawn: BTreeSet<&str> = ranked.iter().map(|(id, _)| *id).collect();
    // What the cut left with no line to another drawn entity goes too: a
    // box standing alone says nothing about who takes part in what.
    if cut > 0 && !poster && filter.kinds.is_empty() {
        let mut linked: BTreeSet<&str> = BTreeSet::new();
        for (from, to, r) in ds.relations() {
            if from.id != to.id
                && rel_ok(from, to, r)
                && drawn.contains(from.id.as_str())
                && drawn.contains(to.id.as_str())
            {
                linked.insert(from.id.as_str());
                linked.insert(to.id.as_str());
            }
        }
        cut += drawn.len() - linked.len();
        drawn = linked;
    }

    let mut b = Builder::new(ds, opts, true);
    b.undated = undated;
    let mut dates = Vec::new();
    for e in ds.entities().filter(|e| drawn.contains(e.id.as_str())) {
        b.node(e, false);
        dates.extend(e.date.as_ref());
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
        None => caption.extend(date_range(dates.into_iter())),
    }
    if cut > 0 || isolated > 0 || statements > 0 {
        let mut left = Vec::new();
        if cut > 0 {
            left.push(format!(
                "the {} most connected of {ranked_all} entities are shown ({cut} left out)",
                drawn.len(),
            ));
        }
        if isolated > 0 {
            left.push(format!(
                "{isolated} with no relation to another drawn entity are left out"
            ));
        }
        if statements > 0 {
            left.push(format!(
                "{statements} claims and identifications between them are not drawn (--rel claims)"
            ));
        }
        let mut line = left.join("; ");
        if let Some(c) = line.get(..1) {
            line = c.to_uppercase() + &line[1..];
        }
        caption.push(format!(
            "{line}. See more with --max-nodes N, --kind, --side, --size poster, or `diagram ego ID`"
        ));
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
                .map(|k| o.kinds.get(k).map_or(k.clone(), |d| d.plural.clone()))
                .collect();
            if !what.is_empty() {
                caption.insert(0, wrap(&format!("Showing: {}", what.join(", ")), 150));
            }
            "Network".to_string()
        };
    if let Some(d) = at {
        title.push_str(&format!(", {}", d.human()));
    }
    Ok(b.finish(title, caption, "TB"))
}

/// One entity and everything within `depth` relations of it.
pub fn ego(
    ds: &Dataset,
    settings: &query::NeighborSettings,
    opts: &DiagramOptions,
) -> Result<GraphScene, QueryError> {
    let depth = settings.options().depth;
    let n = query::neighbors(ds, settings)?;
    let mut b = Builder::new(ds, opts, false);
    let center = ds.entity(n.center.id).expect("entity");
    b.node(center, true);
    let mut dates: Vec<&Date> = center.date.iter().collect();
    for x in &n.neighbors {
        let e = ds.entity(x.entity.id).expect("entity");
        b.node(e, false);
        dates.extend(e.date.as_ref());
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
    caption.extend(date_range(dates.into_iter()));
    Ok(b.finish(
        format!("{} and its neighbours", center.label()),
        caption,
        "LR",
    ))
}
