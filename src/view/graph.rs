//! The node-and-edge views: a mechanism's lineage left to right, the network
//! clustered by side, and one entity's neighbourhood.

use std::collections::BTreeSet;

use super::{
    cite_marks, provenance, source_lines, wrap, Band, DiagramOptions, GraphScene, Legend, Mark,
    Placement, SceneEdge, SceneNode,
};
use crate::model::date::{Date, Truth};
use crate::model::entity::{Entity, Relation, Stance};
use crate::model::graph::Dataset;
use crate::query::cite::Cites;
use crate::query::{self, QueryError};

/// Builds scenes: nodes once each, clusters by side, citations numbered.
struct Builder<'a> {
    ds: &'a Dataset,
    opts: &'a DiagramOptions,
    cites: Cites<'a>,
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
            cites: Cites::new(ds),
            nodes: Vec::new(),
            seen: BTreeSet::new(),
            edges: Vec::new(),
            pinned,
            sides: BTreeSet::new(),
            dated_edges: !pinned,
            kinds: BTreeSet::new(),
            relations: BTreeSet::new(),
            marks: BTreeSet::new(),
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
        let mut label = wrap(e.label(), 22);
        if proposed {
            label.push_str("\n(proposed)");
            self.mark(Mark::Proposed);
        } else if let Some(d) = &e.date {
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
            fill: if proposed {
                "#ffffff".into()
            } else {
                kind.map_or("#f2f2f2".into(), |k| k.color.clone())
            },
            border: side_color,
            dashed: proposed,
            focus,
            tooltip,
            url: self.opts.link_base.as_ref().map(|b| format!("{b}{}", e.id)),
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
        if let (Some(d), true) = (&r.date, self.dated_edges) {
            label.push_str(&format!("\n{}", d.human()));
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
            label: wrap(&label, 24),
            style: if claimed {
                "dashed".into()
            } else {
                def.map_or("solid".into(), |d| d.style.clone())
            },
            color: def.map_or("#555555".into(), |d| d.color.clone()),
            tooltip,
        });
    }

    fn finish(self, title: String, caption: Vec<String>, rankdir: &'static str) -> GraphScene {
        let o = self.ds.ontology();
        let mut sides_used: Vec<(String, String)> = Vec::new();
        for (id, label, color) in side_order(self.ds) {
            if self.sides.contains(&id) {
                sides_used.push((label, color));
            }
        }
        let legend = Legend {
            sides: sides_used,
            kinds: self
                .kinds
                .iter()
                .filter_map(|k| o.kinds.get(k))
                .map(|k| (k.label.clone(), k.shape.clone(), k.color.clone()))
                .collect(),
            relations: self
                .relations
                .iter()
                .filter_map(|(r, word)| o.relations.get(r).map(|d| (word, d)))
                .map(|(word, d)| (word.clone(), d.style.clone(), d.color.clone()))
                .collect(),
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
        let mut nodes = self.nodes;
        let (placement, bands) = if self.pinned {
            (Placement::Pinned, pin_by_side(self.ds, &mut nodes))
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
            edges: self.edges,
            legend,
            sources: source_lines(self.cites),
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
    let lines: Vec<&str> = n.label.lines().collect();
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
/// without a side go in a last band. Within a band, nodes are grouped by
/// kind and then by id, filled column by column; each column is as wide as
/// its widest node, each row as tall as the tallest node of its band.
fn pin_by_side(ds: &Dataset, nodes: &mut [SceneNode]) -> Vec<Band> {
    let order = side_order(ds);
    let side_of = |n: &SceneNode| ds.entity(&n.id).and_then(|e| e.side.clone());
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
    let row_h = |nodes: &[SceneNode], members: &[usize]| {
        members
            .iter()
            .map(|&i| node_size(&nodes[i]).1)
            .fold(0.0, f64::max)
            + ROW_GAP
    };
    let height = groups
        .iter()
        .map(|(_, _, m)| {
            let rows = m.len().div_ceil(m.len().div_ceil(ROWS_MAX).max(1));
            BAND_HEAD + rows as f64 * row_h(nodes, m)
        })
        .fold(0.0, f64::max);
    let mut bands = Vec::new();
    let mut x = 20.0;
    for (label, color, mut members) in groups {
        members.sort_by(|&a, &b| {
            let rank = |i: usize| ds.entity(&nodes[i].id).map(|e| kind_rank(ds, &e.kind));
            let (ka, kb) = (rank(a), rank(b));
            ka.cmp(&kb).then_with(|| nodes[a].id.cmp(&nodes[b].id))
        });
        let cols = members.len().div_ceil(ROWS_MAX).max(1);
        let rows = members.len().div_ceil(cols);
        let row_h = row_h(nodes, &members);
        let start = x;
        for col in members.chunks(rows) {
            let w = col
                .iter()
                .map(|&i| node_size(&nodes[i]).0)
                .fold(0.0, f64::max);
            for (r, &i) in col.iter().enumerate() {
                nodes[i].pos = Some((x + w / 2.0, BAND_HEAD + (r as f64 + 0.5) * row_h));
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
    caption.push(provenance(ds, opts));
    Ok(b.finish(format!("Lineage of {name}"), caption, "LR"))
}

/// All or part of the network, clustered by side.
pub fn network(
    ds: &Dataset,
    filter: &query::NetworkSettings,
    opts: &DiagramOptions,
) -> Result<GraphScene, QueryError> {
    let o = ds.ontology();
    let filter = filter.options();
    let at = filter.at.as_ref();
    let keep = |e: &Entity| {
        (filter.kinds.is_empty() || filter.kinds.contains(&e.kind))
            && (filter.sides.is_empty()
                || e.side.as_ref().is_some_and(|s| filter.sides.contains(s)))
            && at.is_none_or(|d| {
                !ds.never_existed(e) && e.date.as_ref().is_none_or(|x| x.covers(d) != Truth::Not)
            })
    };
    let mut b = Builder::new(ds, opts, true);
    let mut dates = Vec::new();
    for e in ds.entities().filter(|e| keep(e)) {
        b.node(e, false);
        dates.extend(e.date.as_ref());
    }
    for (from, to, r) in ds.relations() {
        if keep(from)
            && keep(to)
            && (filter.relations.is_empty() || filter.relations.contains(&r.kind))
            && at.is_none_or(|d| r.date.as_ref().is_none_or(|x| x.covers(d) != Truth::Not))
        {
            b.edge(from, to, r, false);
        }
    }
    let mut caption = Vec::new();
    match at {
        Some(d) => caption.push(format!("As of {} (what may have existed then)", d.human())),
        None => caption.extend(date_range(dates.into_iter())),
    }
    caption.push(provenance(ds, opts));
    let title = if filter.kinds.is_empty() && filter.sides.is_empty() && filter.relations.is_empty()
    {
        "Network of actors and mechanisms".to_string()
    } else {
        let what: Vec<String> = filter
            .kinds
            .iter()
            .map(|k| o.kinds.get(k).map_or(k.clone(), |d| d.plural.clone()))
            .collect();
        if what.is_empty() {
            "Network".to_string()
        } else {
            format!("Network: {}", what.join(", "))
        }
    };
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
    caption.push(provenance(ds, opts));
    Ok(b.finish(
        format!("{} and its neighbours", center.label()),
        caption,
        "LR",
    ))
}
