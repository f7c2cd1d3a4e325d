//! The timeline view, laid out here rather than by Graphviz: time runs left
//! to right on a year spine, one lane per side (China, joint and
//! multilateral, the United States), and each item gets a row in its lane
//! so that no bar, marker or label overlaps another. Graphviz only draws the
//! positioned shapes (its `neato` engine with pinned positions).
//!
//! A span (`A/B`) is a bar: solid where it certainly existed, thin and
//! dashed over the days its start or end may fall on, with an arrow where it
//! is still going or its end is unknown. A dated happening (a summit, a
//! round, an event) is a marker, with a thin line across its window when the
//! date is a month or coarser.

use super::{cite_marks, provenance, source_lines, DiagramOptions, Legend, Mark};
use crate::model::date::{Date, Day, Limit};
use crate::model::entity::Entity;
use crate::model::graph::Dataset;
use crate::query::cite::Cites;
use crate::query::{self, QueryError};

/// What to put on the timeline.
#[derive(Debug, Clone, Default)]
pub struct TimelineDiagramOptions {
    /// Start of the axis (default: the earliest item).
    pub from: Option<Date>,
    /// End of the axis (default: the latest item).
    pub to: Option<Date>,
    /// Kinds to show (default: mechanism, session, summit, event).
    pub kinds: Vec<String>,
    /// Only this entity and what it is directly related to.
    pub about: Option<String>,
}

/// A positioned timeline, in points, y growing downwards.
#[derive(Debug, Clone)]
pub struct TimelineScene {
    /// Title.
    pub title: String,
    /// Caption lines.
    pub caption: Vec<String>,
    /// Shapes to draw, back to front.
    pub shapes: Vec<Shape>,
    /// Lines between shapes.
    pub lines: Vec<Line>,
    /// Width and height of the drawing.
    pub size: (f64, f64),
    /// Legend.
    pub legend: Legend,
    /// Numbered sources.
    pub sources: Vec<String>,
    /// The items in time order, for formats without a canvas (Mermaid).
    pub items: Vec<TimelineItem>,
}

/// One dated item, plainly.
#[derive(Debug, Clone)]
pub struct TimelineItem {
    /// Year it starts in (or the year of the happening).
    pub year: String,
    /// The date as a reader writes it.
    pub when: String,
    /// Label.
    pub label: String,
    /// Lane label.
    pub lane: String,
}

/// A shape at a position.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Node id.
    pub id: String,
    /// Centre x.
    pub x: f64,
    /// Centre y (downwards).
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Graphviz shape (`point`, `plaintext`, `box`, …).
    pub shape: String,
    /// Text label (plain).
    pub label: String,
    /// Font size.
    pub font: f64,
    /// Fill colour, if filled.
    pub fill: Option<String>,
    /// Outline or text colour.
    pub color: String,
    /// Dashed outline.
    pub dashed: bool,
    /// Left-align the label within the shape.
    pub left: bool,
    /// Bold text.
    pub bold: bool,
    /// Hover text.
    pub tooltip: Option<String>,
    /// Link.
    pub url: Option<String>,
}

/// A straight line between two shapes.
#[derive(Debug, Clone)]
pub struct Line {
    /// From shape id.
    pub from: String,
    /// To shape id.
    pub to: String,
    /// Colour.
    pub color: String,
    /// Pen width.
    pub width: f64,
    /// `solid`, `dashed` or `dotted`.
    pub style: String,
    /// Arrowhead at the `to` end.
    pub arrow: bool,
    /// Hover text.
    pub tooltip: Option<String>,
}

const YEAR_W: f64 = 150.0;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 40.0;
const ROW_H: f64 = 34.0;
const LANE_PAD: f64 = 14.0;
const FONT: f64 = 11.0;
/// A generous average advance for an 11-pt sans-serif character; labels
/// are placed by this estimate, so it errs wide rather than overlap.
const CHAR_W: f64 = 6.4;

/// The width a label needs; mechanism labels are bold, which runs wider.
fn label_width(text: &str, bold: bool) -> f64 {
    let w = super::text_width(text) as f64 * CHAR_W;
    (if bold { w * 1.12 } else { w }) + 8.0
}

fn days(d: Day) -> f64 {
    d.since_epoch() as f64
}

struct Axis {
    last_year: i64,
    start: f64,
}

impl Axis {
    fn x(&self, l: Limit) -> f64 {
        let d = match l {
            Limit::Past => self.start,
            Limit::Future => days(Day::from_ymd(self.last_year + 1, 1, 1)),
            Limit::Day(d) => days(d),
        };
        let end = days(Day::from_ymd(self.last_year + 1, 1, 1));
        let d = d.clamp(self.start, end);
        LEFT + (d - self.start) / 365.2425 * YEAR_W
    }

    fn right(&self) -> f64 {
        self.x(Limit::Future)
    }
}

fn year_of(l: Limit) -> Option<i64> {
    match l {
        Limit::Day(d) => Some(d.ymd().0),
        _ => None,
    }
}

fn lane_of(e: &Entity) -> usize {
    match e.side.as_deref() {
        Some("china") => 0,
        Some("united-states") => 2,
        _ => 1,
    }
}

/// An item waiting for a row.
struct Pending<'a> {
    e: &'a Entity,
    d: &'a Date,
    lane: usize,
    x0: f64,
    x1: f64,
    label: String,
    extent: (f64, f64),
}

/// Builds the timeline.
pub fn timeline(
    ds: &Dataset,
    t: &TimelineDiagramOptions,
    opts: &DiagramOptions,
) -> Result<TimelineScene, QueryError> {
    let o = ds.ontology();
    let default_kinds = ["mechanism", "session", "summit", "event"];
    let kinds: Vec<String> = if t.kinds.is_empty() {
        default_kinds
            .iter()
            .filter(|k| o.kinds.contains_key(**k))
            .map(|k| k.to_string())
            .collect()
    } else {
        for k in &t.kinds {
            query::term("kind", k, o.kinds.keys())?;
        }
        t.kinds.clone()
    };
    let about = t
        .about
        .as_deref()
        .map(|id| query::card(ds, id))
        .transpose()?;
    let near: Option<Vec<&str>> = about.as_ref().map(|c| {
        let mut v: Vec<&str> = c
            .groups
            .iter()
            .flat_map(|g| g.items.iter().map(|i| i.id))
            .collect();
        v.push(&c.entity.id);
        v
    });
    let lo = t.from.as_ref().map(|d| d.start().earliest);
    let hi = t.to.as_ref().map(|d| d.end().latest);
    let mut chosen: Vec<(&Entity, &Date)> = ds
        .entities()
        .filter(|e| kinds.contains(&e.kind) && !ds.never_existed(e))
        .filter(|e| near.as_ref().is_none_or(|n| n.contains(&e.id.as_str())))
        .filter_map(|e| e.date.as_ref().map(|d| (e, d)))
        .filter(|(_, d)| {
            lo.is_none_or(|l| d.end().latest >= l) && hi.is_none_or(|h| d.start().earliest <= h)
        })
        .collect();
    chosen.sort_by(|a, b| a.1.chronological(b.1).then_with(|| a.0.id.cmp(&b.0.id)));

    // The axis: whole years from the first to the last finite day.
    let finite = chosen
        .iter()
        .flat_map(|(_, d)| {
            [
                d.start().earliest,
                d.start().latest,
                d.end().earliest,
                d.end().latest,
            ]
        })
        .filter_map(year_of);
    let (mut first_year, mut last_year) =
        finite.fold((i64::MAX, i64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    if let Some(y) = lo.and_then(year_of) {
        first_year = y;
    }
    if let Some(y) = hi.and_then(year_of) {
        last_year = y;
    }
    if first_year > last_year {
        first_year = 2000;
        last_year = 2001;
    }
    let axis = Axis {
        last_year,
        start: days(Day::from_ymd(first_year, 1, 1)),
    };

    let mut cites = Cites::new(ds);
    // Lay out each item's horizontal extent (bar or marker plus label).
    let mut pending: Vec<Pending> = Vec::new();
    for (e, d) in &chosen {
        let (x0, x1) = (axis.x(d.start().earliest), axis.x(d.end().latest));
        let label = format!("{} ({})", e.label(), d.human());
        let label_w = label_width(&label, e.kind == "mechanism");
        // Labels sit above the bar or marker, starting at its left end.
        let extent = (x0 - 6.0, (x0 + label_w).max(x1) + 10.0);
        pending.push(Pending {
            e,
            d,
            lane: lane_of(e),
            x0,
            x1,
            label,
            extent,
        });
    }
    // Rows: first fit, in time order, per lane.
    let mut rows: [Vec<f64>; 3] = Default::default();
    let mut placed: Vec<(usize, usize)> = Vec::new();
    for p in &pending {
        let lane = &mut rows[p.lane];
        let row = match lane.iter().position(|&end| end <= p.extent.0) {
            Some(r) => r,
            None => {
                lane.push(f64::MIN);
                lane.len() - 1
            }
        };
        lane[row] = p.extent.1;
        placed.push((p.lane, row));
    }
    let lane_rows: Vec<usize> = rows.iter().map(|r| r.len().max(1)).collect();

    let mut shapes = Vec::new();
    let mut lines = Vec::new();
    let width = axis.right() + RIGHT;
    let title_h = 70.0;
    let top = title_h + 24.0; // below the year labels
    let lane_labels = [
        o.sides
            .get("china")
            .map_or("China".to_string(), |s| s.label.clone()),
        "Joint and multilateral".to_string(),
        o.sides
            .get("united-states")
            .map_or("United States".to_string(), |s| s.label.clone()),
    ];
    let lane_colors = [
        o.sides
            .get("china")
            .map_or("#c8102e".to_string(), |s| s.color.clone()),
        o.sides
            .get("bilateral")
            .map_or("#6b4c9a".to_string(), |s| s.color.clone()),
        o.sides
            .get("united-states")
            .map_or("#1f4e9a".to_string(), |s| s.color.clone()),
    ];
    let mut lane_top = Vec::new();
    let mut y = top;
    for (i, n) in lane_rows.iter().enumerate() {
        let h = *n as f64 * ROW_H + 2.0 * LANE_PAD;
        lane_top.push(y);
        // The lane band, drawn first so everything sits on it.
        shapes.push(Shape {
            id: format!("lane{i}"),
            x: (10.0 + width - 10.0) / 2.0,
            y: y + h / 2.0,
            w: width - 20.0,
            h: h - 4.0,
            shape: "box".into(),
            label: String::new(),
            font: FONT,
            fill: Some(if i % 2 == 0 {
                "#f7f7f7".into()
            } else {
                "#efeff5".into()
            }),
            color: "#dddddd".into(),
            dashed: false,
            left: false,
            bold: false,
            tooltip: None,
            url: None,
        });
        let label = super::wrap(&lane_labels[i], 16);
        shapes.push(Shape {
            id: format!("lanelabel{i}"),
            x: 18.0 + (LEFT - 30.0) / 2.0,
            y: y + h / 2.0,
            w: LEFT - 30.0,
            h: label.lines().count() as f64 * 17.0 + 6.0,
            shape: "plaintext".into(),
            label,
            font: 13.0,
            fill: None,
            color: lane_colors[i].clone(),
            dashed: false,
            left: true,
            bold: true,
            tooltip: None,
            url: None,
        });
        y += h;
    }
    let bottom = y;

    // The year spine: a label at each year's middle, a gridline at its start.
    for year in first_year..=last_year + 1 {
        let gx = axis.x(Limit::Day(Day::from_ymd(year, 1, 1)));
        for (end, gy) in [("t", top - 4.0), ("b", bottom + 4.0)] {
            shapes.push(point(&format!("grid{year}{end}"), gx, gy));
        }
        lines.push(Line {
            from: format!("grid{year}t"),
            to: format!("grid{year}b"),
            color: "#c8c8c8".into(),
            width: 0.8,
            style: "dotted".into(),
            arrow: false,
            tooltip: None,
        });
        if year <= last_year {
            for (end, ly) in [("t", top - 14.0), ("b", bottom + 14.0)] {
                shapes.push(Shape {
                    id: format!("year{year}{end}"),
                    x: gx + YEAR_W / 2.0,
                    y: ly,
                    w: 40.0,
                    h: 14.0,
                    shape: "plaintext".into(),
                    label: year.to_string(),
                    font: 12.0,
                    fill: None,
                    color: "#444444".into(),
                    dashed: false,
                    left: false,
                    bold: true,
                    tooltip: None,
                    url: None,
                });
            }
        }
    }

    let mut any_approx = false;
    let mut any_open = false;
    let mut kinds_used = std::collections::BTreeSet::new();
    let mut items = Vec::new();
    for (p, (lane, row)) in pending.iter().zip(&placed) {
        let e = p.e;
        let d = p.d;
        kinds_used.insert(e.kind.clone());
        let cy = lane_top[*lane] + LANE_PAD + *row as f64 * ROW_H + ROW_H * 0.68;
        let color = e
            .side
            .as_ref()
            .and_then(|s| o.sides.get(s))
            .map_or(lane_colors[*lane].clone(), |s| s.color.clone());
        let citations = cites.number(&e.sources);
        let mut tip = format!(
            "{} — {}\n{} [{}]",
            e.name,
            o.kinds.get(&e.kind).map_or(e.kind.as_str(), |k| &k.label),
            d.human(),
            d.as_str()
        );
        if let Some(s) = &e.summary {
            tip.push_str(&format!("\n{s}"));
        }
        tip.push_str(&format!("\nSources: {}", cite_marks(&citations)));
        let url = opts.link_base.as_ref().map(|b| format!("{b}{}", e.id));
        let approx = d.is_approximate() || d.is_uncertain();
        any_approx |= approx;
        let id = super::escape::ident(&e.id);
        // A span of a few days (a round of talks) reads as a happening.
        let short = match (d.start().earliest, d.end().latest) {
            (Limit::Day(a), Limit::Day(b)) => b.since_epoch() - a.since_epoch() < 45,
            _ => false,
        };
        if d.is_interval() && !short {
            // The certain core, and whiskers over the uncertain ends.
            let (s, en) = (d.start(), d.end());
            let xs = [
                axis.x(s.earliest),
                axis.x(s.latest),
                axis.x(en.earliest),
                axis.x(en.latest),
            ];
            let core = xs[1] < xs[2];
            for (k, x) in xs.iter().enumerate() {
                shapes.push(point(&format!("{id}_{k}"), *x, cy));
            }
            let open = matches!(en.latest, Limit::Future);
            any_open |= open;
            if xs[0] < xs[1] || matches!(s.earliest, Limit::Past) {
                lines.push(whisker(&id, 1, 0, &color, false, &tip));
            }
            if core {
                lines.push(Line {
                    from: format!("{id}_1"),
                    to: format!("{id}_2"),
                    color: color.clone(),
                    width: 7.0,
                    style: "solid".into(),
                    arrow: open && xs[2] >= xs[3] - 0.5,
                    tooltip: Some(tip.clone()),
                });
            }
            if xs[2] < xs[3] {
                lines.push(whisker(&id, 2, 3, &color, open, &tip));
            }
        } else {
            // A marker at the middle of the window, a thin line across it.
            let (x0, x1) = (p.x0, p.x1);
            if x1 - x0 > 6.0 {
                shapes.push(point(&format!("{id}_0"), x0, cy));
                shapes.push(point(&format!("{id}_3"), x1, cy));
                lines.push(whisker(&id, 0, 3, &color, false, &tip));
            }
            let shape = match e.kind.as_str() {
                "summit" => "hexagon",
                "session" => "box",
                "event" => "diamond",
                _ => "circle",
            };
            shapes.push(Shape {
                id: format!("{id}_m"),
                x: (x0 + x1) / 2.0,
                y: cy,
                w: 11.0,
                h: 11.0,
                shape: shape.into(),
                label: String::new(),
                font: FONT,
                fill: Some(color.clone()),
                color: color.clone(),
                dashed: approx,
                left: false,
                bold: false,
                tooltip: Some(tip.clone()),
                url: url.clone(),
            });
        }
        let label_w = label_width(&p.label, e.kind == "mechanism");
        shapes.push(Shape {
            id: format!("{id}_l"),
            x: p.x0 + label_w / 2.0,
            y: cy - 13.0,
            w: label_w,
            h: 14.0,
            shape: "plaintext".into(),
            label: p.label.clone(),
            font: FONT,
            fill: None,
            color: "#222222".into(),
            dashed: false,
            left: true,
            bold: e.kind == "mechanism",
            tooltip: Some(tip),
            url,
        });
        items.push(TimelineItem {
            year: year_of(d.start().earliest)
                .or_else(|| year_of(d.end().latest))
                .map_or("undated".into(), |y| y.to_string()),
            when: d.human().to_string(),
            label: e.label().to_string(),
            lane: lane_labels[*lane].clone(),
        });
    }

    let mut caption = vec![format!(
        "{first_year}–{last_year} · {}",
        kinds
            .iter()
            .map(|k| o.kinds.get(k).map_or(k.clone(), |d| d.plural.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    )];
    if let Some(c) = &about {
        caption.push(format!(
            "Only {} and what it is directly related to",
            c.entity.label()
        ));
    }
    caption.push(provenance(ds, opts));
    let mut marks = vec![(
        "when a start, end or happening falls within this window (dashed line)".to_string(),
        Mark::Window,
    )];
    if any_approx {
        marks.push((
            "approximate or uncertain date (dashed outline)".to_string(),
            Mark::Approximate,
        ));
    }
    if any_open {
        marks.push((
            "still going, or end unknown (arrow)".to_string(),
            Mark::OpenEnd,
        ));
    }
    let legend = Legend {
        sides: Vec::new(),
        kinds: kinds_used
            .iter()
            .filter_map(|k| {
                o.kinds.get(k).map(|d| {
                    (
                        d.label.clone(),
                        timeline_shape(k).to_string(),
                        "#888888".to_string(),
                    )
                })
            })
            .collect(),
        relations: Vec::new(),
        marks,
    };
    let title = match &about {
        Some(c) => format!("Timeline: {}", c.entity.label()),
        None => "Timeline of dialogue mechanisms, summits and events".to_string(),
    };
    Ok(TimelineScene {
        title,
        caption,
        shapes,
        lines,
        size: (width, bottom + 40.0),
        legend,
        sources: source_lines(cites),
        items,
    })
}

/// The marker shape the timeline uses for a kind.
pub(crate) fn timeline_shape(kind: &str) -> &'static str {
    match kind {
        "summit" => "hexagon",
        "session" => "box",
        "event" => "diamond",
        "mechanism" => "bar",
        _ => "circle",
    }
}

fn point(id: &str, x: f64, y: f64) -> Shape {
    Shape {
        id: id.into(),
        x,
        y,
        w: 0.01,
        h: 0.01,
        shape: "point".into(),
        label: String::new(),
        font: FONT,
        fill: None,
        color: "#00000000".into(),
        dashed: false,
        left: false,
        bold: false,
        tooltip: None,
        url: None,
    }
}

fn whisker(id: &str, from: usize, to: usize, color: &str, arrow: bool, tip: &str) -> Line {
    Line {
        from: format!("{id}_{from}"),
        to: format!("{id}_{to}"),
        color: color.into(),
        width: 2.0,
        style: "dashed".into(),
        arrow,
        tooltip: Some(tip.into()),
    }
}
