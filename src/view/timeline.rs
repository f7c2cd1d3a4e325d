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

use super::{
    badge, cite_marks, titled, DiagramOptions, DocCites, KindKey, Legend, Mark, Outline,
    SourceEntry,
};
use crate::model::date::{Date, Day, Limit};
use crate::model::entity::Entity;
use crate::model::graph::Dataset;
use crate::query::{self, QueryError};

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
    /// The documents cited, numbered as the badges are.
    pub sources: Vec<SourceEntry>,
    /// Whether the drawing lists the sources under it.
    pub list_sources: bool,
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
    /// How a marker's shape is told from another kind's same shape.
    pub outline: Outline,
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
    /// A short bar across each end (where there is no arrowhead): one of
    /// the ways a kind's bars are told from another kind's.
    pub ticks: bool,
    /// Hover text.
    pub tooltip: Option<String>,
}

/// The widest a year is drawn, in points.
const YEAR_W: f64 = 150.0;
/// The narrowest: below this a year's label and its items' labels crowd.
const YEAR_W_MIN: f64 = 70.0;
/// The width the axis aims at on a slide or a handout: what is left of a
/// 1920 px slide at 96 dpi (1440 pt) after the lane labels and a margin
/// for the labels of items near the end.
const AXIS_W: f64 = 1040.0;
/// The longest axis drawn, in years: beyond this the picture is a sliver
/// that helps nobody, and the user is asked to narrow it.
pub const MAX_YEARS: i64 = 80;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 40.0;
const ROW_H: f64 = 26.0;
const LANE_PAD: f64 = 10.0;
const FONT: f64 = 11.0;
/// A generous average advance for an 11-pt sans-serif character; labels
/// are placed by this estimate, so it errs wide rather than overlap.
const CHAR_W: f64 = 6.1;

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
    /// Points per year.
    year_w: f64,
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
        LEFT + (d - self.start) / 365.2425 * self.year_w
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

/// The points a year gets on a slide: at least `aimed` (the axis's usual
/// share of the width), and more, up to what the slide's width holds,
/// where labels that then share rows let the picture fit the slide at a
/// larger scale: a slide's height is its scarcer dimension, and narrowing
/// a timeline that is too tall only makes it taller. `measure(year_w)`
/// gives the right end of the furthest item, the rows of all lanes and
/// the number of lanes drawn; `sources`, the most documents cited.
fn slide_year_w(
    aimed: f64,
    years: f64,
    sources: Option<usize>,
    opts: &DiagramOptions,
    measure: impl Fn(f64) -> (f64, usize, usize),
) -> f64 {
    let scale = super::BODY_PT / super::MIN_TEXT_PX;
    let room = (
        super::SLIDE_PX.0 * scale - 30.0,
        super::SLIDE_PX.1 * scale - 30.0,
    );
    // The height besides the lanes: title and caption, the year labels,
    // the foot, the legend (about three rows) and the source list, if it
    // is drawn (about four documents a line).
    let list = if opts.sources_apart {
        0.0
    } else {
        14.0 + 14.5 * (sources.unwrap_or(0) as f64 / 4.0).ceil()
    };
    let fixed = 72.0 + 24.0 + 40.0 + 3.0 * 23.0 + list;
    let widest = ((room.0 - LEFT - RIGHT - 20.0) / years).min(YEAR_W);
    let need = |w: f64| {
        let (right, rows, lanes) = measure(w);
        let h = fixed + rows as f64 * ROW_H + lanes as f64 * 2.0 * LANE_PAD;
        ((right + RIGHT) / room.0).max(h / room.1)
    };
    let mut best = (need(aimed), aimed);
    let mut w = aimed;
    while w * 1.05 <= widest {
        w *= 1.05;
        let n = need(w);
        if n + 1e-9 < best.0 {
            best = (n, w);
        }
    }
    best.1
}

/// The timeline's lanes, top to bottom: one per distinct `lane` of the
/// declared sides, in the ontology's order, and a last one for entities
/// without a side. Returns (label, colour) per lane and a function from
/// an entity to its lane.
fn lanes(ds: &Dataset) -> (Vec<(String, String)>, impl Fn(&Entity) -> usize + '_) {
    let mut lanes: Vec<(String, String)> = Vec::new();
    for (_, d) in ds.ontology().sides_in_order() {
        if !lanes.iter().any(|(l, _)| *l == d.lane) {
            lanes.push((d.lane.clone(), d.color.clone()));
        }
    }
    let names: Vec<String> = lanes.iter().map(|(l, _)| l.clone()).collect();
    let unsided = names.len();
    lanes.push(("No side".into(), "#777777".into()));
    let lane_of = move |e: &Entity| {
        e.side
            .as_ref()
            .and_then(|s| ds.ontology().sides.get(s))
            .and_then(|d| names.iter().position(|l| *l == d.lane))
            .unwrap_or(unsided)
    };
    (lanes, lane_of)
}

/// An item waiting for a row.
struct Pending<'a> {
    e: &'a Entity,
    d: &'a Date,
    /// Drawn as a bar (a span of more than a few weeks), not a marker.
    span: bool,
    lane: usize,
    x0: f64,
    x1: f64,
    label: &'a str,
    /// Width of the label.
    label_w: f64,
    /// Left end of the label.
    label_x: f64,
    extent: (f64, f64),
    /// Numbers of the documents it cites.
    citations: &'a [usize],
}

/// The entities a timeline draws: those of the answer, less anything that
/// never existed.
fn drawn<'a>(ds: &'a Dataset, answer: &query::Timeline<'a>) -> Vec<(&'a Entity, &'a Date)> {
    answer
        .entries
        .items()
        .filter_map(|item| match item.what {
            query::What::Entity(e) => (!ds.never_existed(e)).then_some((e, item.date)),
            query::What::Relation { .. } => None,
        })
        .collect()
}

/// A slide or page timeline that could only be drawn at under half the
/// legible text size (see [`refuse_unreadable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Crowded {
    /// How many dated entities the drawing would show.
    pub(crate) drawn: usize,
    /// The medium it was asked for (a slide or a page).
    pub(crate) size: super::Size,
}

/// Whether a slide or page timeline has so many entities that it could
/// only be drawn at under half the legible text size, found before
/// anything is laid out: `detente diagram` asks this first and refuses
/// such a drawing. No squeeze recovers it (the renderer refuses it at
/// once, and writes its DOT unmeasured), and laying out and measuring
/// tens of thousands of items took seconds and gigabytes only for that
/// (100k entities). [`timeline`] itself draws whatever it is asked (the
/// site's pages scroll).
pub(crate) fn refuse_unreadable(
    ds: &Dataset,
    t: &query::TimelineSettings,
    opts: &DiagramOptions,
) -> Result<Option<Crowded>, QueryError> {
    if opts.size == super::Size::Poster {
        return Ok(None);
    }
    let t = t.or_drawn_kinds(ds);
    let answer = query::timeline(ds, &t)?;
    let lo = t.from().map(|d| d.start().earliest);
    let hi = t.to().map(|d| d.end().latest);
    Ok(hopeless(&drawn(ds, &answer), lo, hi, opts.size).err())
}

/// Whether `chosen` could be drawn legibly on `size` at all (see
/// [`refuse_unreadable`]).
///
/// Each entity drawn takes a row's height across at least its label's
/// width (a lane's row holds labels side by side, never overlapping), so
/// the drawing is at least the sum of those areas. More than four times
/// the area the medium holds legibly means that at least one side is over
/// twice the legible one: the text would be under half the legible size.
/// What a squeezed drawing leaves out (a span under way from before `lo`
/// to after `hi`, named in the caption instead) is not counted.
fn hopeless(
    chosen: &[(&Entity, &Date)],
    lo: Option<Limit>,
    hi: Option<Limit>,
    size: super::Size,
) -> Result<(), Crowded> {
    use super::{Size, BODY_PT, MIN_PRINT_PT, MIN_TEXT_PX, PAGE_PT, SLIDE_PX};
    let legible = match size {
        Size::Poster => return Ok(()),
        Size::Slide => {
            let k = BODY_PT / MIN_TEXT_PX;
            SLIDE_PX.0 * k * SLIDE_PX.1 * k
        }
        Size::Handout => {
            let k = BODY_PT / MIN_PRINT_PT;
            PAGE_PT.0 * k * PAGE_PT.1 * k
        }
    };
    let (drawn, area) = least_area(chosen, lo, hi);
    if area > 4.0 * legible {
        return Err(Crowded { drawn, size });
    }
    Ok(())
}

/// How many of `chosen` any drawing of them shows, and the least area
/// (square points) that drawing takes: a row's height across each one's
/// label and the margins around it. A span under way from before `lo` to
/// after `hi` is not counted: a squeezed drawing names it in the caption.
fn least_area(chosen: &[(&Entity, &Date)], lo: Option<Limit>, hi: Option<Limit>) -> (usize, f64) {
    let left_out = |d: &Date| match (lo, hi) {
        (Some(lo), Some(hi)) => d.start().latest < lo && d.end().latest > hi,
        _ => false,
    };
    let mut drawn = 0usize;
    let mut area = 0.0;
    for (e, d) in chosen {
        if !left_out(d) {
            drawn += 1;
            // An item's extent is its label and 6 + 10 points around it.
            area += (label_width(e.label().trim_end(), false) + 16.0) * ROW_H;
        }
    }
    (drawn, area)
}

/// Builds the timeline.
pub fn timeline(
    ds: &Dataset,
    t: &query::TimelineSettings,
    opts: &DiagramOptions,
) -> Result<TimelineScene, QueryError> {
    let o = ds.ontology();
    // Drawn by default: the kinds the ontology marks `timeline: true`.
    let t = t.or_drawn_kinds(ds);
    // Checked by the settings: looked up, not judged again.
    let about = t.about().and_then(|id| ds.entity(id));
    let lo = t.from().map(|d| d.start().earliest);
    let hi = t.to().map(|d| d.end().latest);
    // What to draw is what the timeline query answers (same range, kinds
    // and --about rules), less anything that never existed.
    let answer = query::timeline(ds, &t)?;
    let chosen = drawn(ds, &answer);

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
    // The axis covers the items, within --from and --to; never empty
    // decades on either side of the data.
    let (mut first_year, mut last_year) =
        finite.fold((i64::MAX, i64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    if let Some(y) = lo.and_then(year_of) {
        first_year = first_year.max(y);
    }
    if let Some(y) = hi.and_then(year_of) {
        last_year = last_year.min(y);
    }
    if first_year > last_year {
        // Nothing dated in range: an axis for the range asked, or this year's.
        first_year = lo
            .and_then(year_of)
            .or(hi.and_then(year_of))
            .unwrap_or(2000);
        last_year = hi.and_then(year_of).unwrap_or(first_year).max(first_year);
    }
    if last_year - first_year >= MAX_YEARS {
        return Err(QueryError::TooLong {
            what: "timeline".into(),
            span: format!("{first_year}–{last_year}"),
            limit: format!("{MAX_YEARS} years"),
        });
    }
    let (all_lanes, lane_of) = lanes(ds);
    let mut cites = DocCites::new(ds);
    let mut citations: Vec<Vec<usize>> = chosen
        .iter()
        .map(|(e, _)| cites.number(&e.sources))
        .collect();
    // A slide or page that was too large when first drawn (squeezed) does
    // without the bars that run the whole width of a window asked for:
    // what began before it and may go on after it (a 1972 agreement, a
    // standing UN group) says only that it was there throughout, and each
    // takes a row. The caption names them, with their citations.
    let mut chosen = chosen;
    let mut throughout: Vec<String> = Vec::new();
    if opts.size != super::Size::Poster && opts.squeeze > 0 {
        if let (Some(lo), Some(hi)) = (lo, hi) {
            let mut keep = Vec::new();
            for (item, cited) in chosen.into_iter().zip(std::mem::take(&mut citations)) {
                let (_, d) = item;
                if d.start().latest < lo && d.end().latest > hi {
                    throughout.push(
                        format!("{} {}", item.0.label(), badge(&cited))
                            .trim_end()
                            .to_string(),
                    );
                } else {
                    keep.push(item);
                    citations.push(cited);
                }
            }
            chosen = keep;
        }
    }
    // Squeezed again, a slide or a page leaves out a row a time, from
    // the lane with most rows: its items are named in the caption, with
    // their citations, and a poster draws them.
    let cut_rows = if opts.size == super::Size::Poster {
        0
    } else {
        opts.squeeze.saturating_sub(1)
    };
    let start = days(Day::from_ymd(first_year, 1, 1));
    // Each item's label, its width and whether it is a bar do not depend
    // on the axis: made once, not once per width the slide search tries.
    let labels: Vec<(String, f64, bool)> = chosen
        .iter()
        .zip(&citations)
        .map(|((e, d), citations)| {
            // On a slide or a page the axis tells the date; a poster spells
            // it out as well.
            let label = if opts.size == super::Size::Poster {
                format!("{} ({}) {}", e.label(), d.human(), badge(citations))
            } else {
                format!("{} {}", e.label(), badge(citations))
            }
            .trim_end()
            .to_string();
            // A span of a few days (a round of talks) reads as a happening.
            let short = match (d.start().earliest, d.end().latest) {
                (Limit::Day(a), Limit::Day(b)) => b.since_epoch() - a.since_epoch() < 45,
                _ => false,
            };
            let span = d.is_interval() && !short;
            let label_w = label_width(&label, span);
            (label, label_w, span)
        })
        .collect();
    // Each item's horizontal extent (bar or marker plus label) on an axis
    // of `year_w` points a year, and its row in its lane: each lane's items
    // taken by the left end of their extent, each into the first row free
    // by then, which takes as few rows as the extents allow.
    let place = |year_w: f64| {
        let axis = Axis {
            last_year,
            start,
            year_w,
        };
        let mut pending: Vec<Pending> = Vec::new();
        for (((e, d), citations), (label, label_w, span)) in
            chosen.iter().zip(&citations).zip(&labels)
        {
            let (x0, x1) = (axis.x(d.start().earliest), axis.x(d.end().latest));
            // Labels sit above the bar or marker, starting at its left end;
            // near the end of the axis they end there instead, so a late item's
            // label does not widen the picture.
            let label_x = x0.min(axis.right() - label_w).max(LEFT - 10.0);
            let extent = (label_x.min(x0) - 6.0, (label_x + label_w).max(x1) + 10.0);
            pending.push(Pending {
                e,
                d,
                span: *span,
                lane: lane_of(e),
                x0,
                x1,
                label,
                label_w: *label_w,
                label_x,
                extent,
                citations,
            });
        }
        let mut order: Vec<usize> = (0..pending.len()).collect();
        order.sort_by(|&a, &b| pending[a].extent.0.total_cmp(&pending[b].extent.0));
        let mut rows: Vec<Vec<f64>> = vec![Vec::new(); all_lanes.len()];
        let mut placed: Vec<(usize, usize)> = vec![(0, 0); pending.len()];
        for i in order {
            let p = &pending[i];
            let lane = &mut rows[p.lane];
            let row = match lane.iter().position(|&end| end <= p.extent.0) {
                Some(r) => r,
                None => {
                    lane.push(f64::MIN);
                    lane.len() - 1
                }
            };
            lane[row] = p.extent.1;
            placed[i] = (p.lane, row);
        }
        // The rows taken off, the lane with most rows first: their items
        // are left out, and named in the caption. The items of the other
        // rows were placed before them and keep their places.
        let mut left_out = Vec::new();
        for _ in 0..cut_rows {
            // The last row of a crowded lane (at least half as many rows
            // as the most; every lane keeps its first row, and a lane of a
            // few items keeps them): of those, the one with fewest items,
            // then with fewest relations (a summit that founded a dialogue
            // stays before a lone event), then the taller lane's, then
            // the lower lane's.
            let most = rows.iter().map(Vec::len).max().unwrap_or(0);
            let Some((lane, cut)) = (0..rows.len())
                .filter(|&l| rows[l].len() >= 2 && 2 * rows[l].len() >= most)
                .map(|l| {
                    let last = rows[l].len() - 1;
                    let cut: Vec<usize> = (0..pending.len())
                        .filter(|&i| placed[i] == (l, last))
                        .collect();
                    (l, cut)
                })
                .min_by_key(|(l, cut)| {
                    let ties: usize = cut.iter().map(|&i| ds.links(&pending[i].e.id).len()).sum();
                    (cut.len(), ties, std::cmp::Reverse((rows[*l].len(), *l)))
                })
            else {
                break;
            };
            // At most a quarter of the items are left out: a picture
            // missing more misleads more than a refusal that says what to
            // narrow.
            if 4 * (left_out.len() + cut.len()) > pending.len() {
                break;
            }
            rows[lane].pop();
            left_out.extend(cut);
        }
        if !left_out.is_empty() {
            left_out.sort_unstable();
            let mut i = 0;
            pending.retain(|_| {
                i += 1;
                left_out.binary_search(&(i - 1)).is_err()
            });
            let mut i = 0;
            placed.retain(|_| {
                i += 1;
                left_out.binary_search(&(i - 1)).is_err()
            });
        }
        (axis, pending, rows, placed, left_out)
    };
    // A poster gives every year its full width; a slide or a page shares
    // a fixed width among the years, down to a legible minimum.
    let years = (last_year - first_year + 1) as f64;
    let year_w = if opts.size == super::Size::Poster {
        YEAR_W
    } else {
        // Each squeeze narrows the axis by a tenth.
        let axis_w = AXIS_W * 0.9f64.powi(i32::from(opts.squeeze));
        let aimed = (axis_w / years).clamp(YEAR_W_MIN, YEAR_W);
        if opts.size == super::Size::Slide {
            slide_year_w(
                aimed,
                years,
                citations.iter().flatten().max().copied(),
                opts,
                |w| {
                    let (_, pending, rows, _, _) = place(w);
                    let right = pending.iter().map(|p| p.extent.1).fold(LEFT, f64::max);
                    (
                        right,
                        rows.iter().map(|r| r.len()).sum(),
                        rows.iter().filter(|r| !r.is_empty()).count(),
                    )
                },
            )
        } else {
            aimed
        }
    };
    let (axis, pending, rows, placed, left_out) = place(year_w);
    // Lanes with nothing in them are left out, except that an empty
    // timeline keeps its lanes so it still reads as one.
    let keep: Vec<usize> = (0..all_lanes.len())
        .filter(|&i| !rows[i].is_empty() || (pending.is_empty() && i + 1 < all_lanes.len()))
        .collect();
    let lane_rows: Vec<usize> = keep.iter().map(|&i| rows[i].len().max(1)).collect();

    let mut shapes = Vec::new();
    let mut lines = Vec::new();
    // Wide enough for the axis and for the furthest label.
    let width = pending
        .iter()
        .map(|p| p.extent.1)
        .fold(axis.right(), f64::max)
        + RIGHT;
    // The title has the years; the caption says what is shown.
    let mut caption = vec![format!(
        "Showing: {}",
        t.kinds()
            .iter()
            .map(|k| o
                .kinds
                .get(k.as_str())
                .map_or(k.to_string(), |d| d.plural.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    )];
    // What is not drawn: said under a user's `--caption` too.
    let mut omitted = Vec::new();
    if !throughout.is_empty() {
        omitted.push(format!(
            "Under way before {first_year} and perhaps after {last_year}, not drawn: {} (--size poster draws them)",
            throughout.join(", ")
        ));
    }
    if !left_out.is_empty() {
        let named: Vec<String> = left_out
            .iter()
            .map(|&i| {
                format!("{} {}", chosen[i].0.label(), badge(&citations[i]))
                    .trim_end()
                    .to_string()
            })
            .collect();
        omitted.push(format!(
            "Not drawn for want of room (--size poster draws them): {}",
            named.join(", ")
        ));
    }
    caption.extend(omitted.iter().cloned());
    if let Some(e) = about {
        caption.push(format!(
            "Only {} and what it is directly related to",
            e.label()
        ));
    }
    let title = match &about {
        Some(e) => format!("Timeline: {}", e.label()),
        None if first_year == last_year => format!("Timeline, {first_year}"),
        None => format!("Timeline, {first_year}–{last_year}"),
    };
    // On a slide, where height runs out first, text narrower than the first
    // squeeze makes only more lines: later squeezes leave rows out instead.
    let text_w = if opts.size == super::Size::Slide {
        super::text_budget(&DiagramOptions {
            squeeze: opts.squeeze.min(1),
            ..opts.clone()
        })
    } else {
        super::text_budget(opts)
    };
    let (title, caption) = titled(ds, opts, title, caption, &omitted, text_w, None);
    // Room for the title (22 pt) and each caption line (12 pt).
    let title_h = 40.0 + 16.0 * caption.len() as f64;
    let top = title_h + 24.0; // below the year labels
    let lane_labels: Vec<String> = keep.iter().map(|&i| all_lanes[i].0.clone()).collect();
    let lane_colors: Vec<String> = keep.iter().map(|&i| all_lanes[i].1.clone()).collect();
    // Lane index among the drawn lanes.
    let drawn = |lane: usize| keep.iter().position(|&k| k == lane).unwrap_or(0);
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
            outline: Outline::Plain,
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
            outline: Outline::Plain,
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
            shapes.push(point(&format!("grid{}{end}", year_id(year)), gx, gy));
        }
        lines.push(Line {
            from: format!("grid{}t", year_id(year)),
            to: format!("grid{}b", year_id(year)),
            color: "#c8c8c8".into(),
            width: 0.8,
            style: "dotted".into(),
            arrow: false,
            ticks: false,
            tooltip: None,
        });
        // The years are labelled above the lanes only: a slide's height
        // is the scarcer dimension.
        if year <= last_year {
            shapes.push(Shape {
                id: format!("year{}t", year_id(year)),
                x: gx + axis.year_w / 2.0,
                y: top - 14.0,
                w: 40.0,
                h: 14.0,
                shape: "plaintext".into(),
                label: year.to_string(),
                font: 12.0,
                fill: None,
                color: "#444444".into(),
                dashed: false,
                outline: Outline::Plain,
                left: false,
                bold: true,
                tooltip: None,
                url: None,
            });
        }
    }

    let mut any_approx = false;
    let mut any_open = false;
    let mut any_window = false;
    let mut sides_used: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // Kinds shown, and whether any of their items was drawn as a bar,
    // and whether any as a marker.
    let mut kinds_used: std::collections::BTreeMap<String, (bool, bool)> =
        std::collections::BTreeMap::new();
    // Markers of kinds that share a shape are told apart by outline.
    let mut markers: Vec<(String, String, usize)> = Vec::new();
    for p in pending.iter().filter(|p| !p.span) {
        let shape = o
            .kinds
            .get(&p.e.kind)
            .map_or("circle", |k| k.shape.as_str());
        match markers.iter_mut().find(|m| m.0 == p.e.kind) {
            Some(m) => m.2 += 1,
            None => markers.push((p.e.kind.to_string(), shape.to_string(), 1)),
        }
    }
    let outlines = super::marker_outlines(&markers);
    // Bars of different kinds are told apart too (a mechanism from an
    // event that lasted): the kind with most bars has them solid, the next
    // hollow, any others solid with a tick across each end.
    let mut bar_kinds: Vec<(String, usize)> = Vec::new();
    for p in pending.iter().filter(|p| p.span) {
        match bar_kinds.iter_mut().find(|b| b.0 == p.e.kind) {
            Some(b) => b.1 += 1,
            None => bar_kinds.push((p.e.kind.to_string(), 1)),
        }
    }
    bar_kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let bar_form = |kind: &str| match bar_kinds.iter().position(|b| b.0 == kind) {
        Some(0) | None => Outline::Plain,
        Some(1) => Outline::Double,
        Some(_) => Outline::Diagonals,
    };
    let mut items = Vec::new();
    for (p, (lane, row)) in pending.iter().zip(&placed) {
        let e = p.e;
        let d = p.d;
        let used = kinds_used.entry(e.kind.to_string()).or_default();
        used.0 |= p.span;
        used.1 |= !p.span;
        let cy = lane_top[drawn(*lane)] + LANE_PAD + *row as f64 * ROW_H + ROW_H * 0.68;
        let color = e
            .side
            .as_ref()
            .and_then(|s| o.sides.get(s))
            .map_or(lane_colors[drawn(*lane)].clone(), |s| s.color.clone());
        let citations = p.citations;
        sides_used.extend(e.side.as_ref().map(|s| s.to_string()));
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
        tip.push_str(&format!("\nSources: {}", cite_marks(citations)));
        let url = opts.link_base.as_ref().map(|b| b.to(&e.id));
        let approx = d.is_approximate() || d.is_uncertain();
        any_approx |= approx;
        // Shape ids are made from entity ids; the writer maps them to its own
        // identifiers.
        let id = e.id.clone();
        if p.span {
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
            let form = bar_form(&e.kind);
            let hollowed = form == Outline::Double;
            // A hollow kind's window is a hollow dashed line, so that a
            // span known only within its windows still shows its kind.
            let window = |from: usize, to: usize, arrow: bool, shapes: &mut Vec<Shape>| {
                let mut l = whisker(&id, from, to, &color, arrow, &tip);
                let mut out = Vec::new();
                if hollowed {
                    l.width = 5.0;
                    let (a, b) = (xs[from].min(xs[to]), xs[from].max(xs[to]));
                    let end = if arrow { 7.0 } else { 1.5 };
                    out.push(l);
                    if b - a > end + 3.0 {
                        out.push(hollow(
                            &id,
                            &format!("w{from}"),
                            (a + 1.5, b - end, cy),
                            1.6,
                            &tip,
                            shapes,
                        ));
                    }
                } else {
                    out.push(l);
                }
                out
            };
            if xs[0] < xs[1] || matches!(s.earliest, Limit::Past) {
                any_window = true;
                lines.extend(window(1, 0, false, &mut shapes));
            }
            if core {
                let arrow = open && xs[2] >= xs[3] - 0.5;
                lines.push(Line {
                    from: format!("{id}_1"),
                    to: format!("{id}_2"),
                    color: color.clone(),
                    width: 7.0,
                    style: "solid".into(),
                    arrow,
                    ticks: form == Outline::Diagonals,
                    tooltip: Some(tip.clone()),
                });
                if hollowed && xs[2] - xs[1] > 8.0 {
                    let end = if arrow { 8.0 } else { 2.0 };
                    lines.push(hollow(
                        &id,
                        "c",
                        (xs[1] + 2.0, xs[2] - end, cy),
                        3.0,
                        &tip,
                        &mut shapes,
                    ));
                }
            }
            if xs[2] < xs[3] {
                any_window = true;
                lines.extend(window(2, 3, open, &mut shapes));
            }
        } else {
            // A marker at the middle of the window, a thin line across it.
            let (x0, x1) = (p.x0, p.x1);
            if x1 - x0 > 6.0 {
                shapes.push(point(&format!("{id}_0"), x0, cy));
                shapes.push(point(&format!("{id}_3"), x1, cy));
                any_window = true;
                lines.push(whisker(&id, 0, 3, &color, false, &tip));
            }
            let shape = o.kinds.get(&e.kind).map_or("circle", |k| k.shape.as_str());
            shapes.push(Shape {
                id: format!("{id}_m"),
                x: (x0 + x1) / 2.0,
                y: cy,
                w: 12.0,
                h: 12.0,
                shape: shape.into(),
                label: String::new(),
                font: FONT,
                fill: Some(color.clone()),
                color: color.clone(),
                dashed: approx,
                outline: outlines.get(e.kind.as_str()).copied().unwrap_or_default(),
                left: false,
                bold: false,
                tooltip: Some(tip.clone()),
                url: url.clone(),
            });
        }
        let label_w = p.label_w;
        shapes.push(Shape {
            id: format!("{id}_l"),
            x: p.label_x + label_w / 2.0,
            y: cy - 13.0,
            w: label_w,
            h: 14.0,
            shape: "plaintext".into(),
            label: p.label.to_string(),
            font: FONT,
            fill: None,
            color: "#222222".into(),
            dashed: false,
            outline: Outline::Plain,
            left: true,
            bold: p.span,
            tooltip: Some(tip),
            url,
        });
        items.push(TimelineItem {
            // Items are in order of earliest start, so sections by that year
            // run in order; an unknown start sorts first, as "Earlier".
            year: year_of(d.start().earliest).map_or("Earlier".into(), |y| y.to_string()),
            when: d.human().to_string(),
            label: e.label().to_string(),
            lane: lane_labels[drawn(*lane)].clone(),
        });
    }

    let mut marks = Vec::new();
    if any_window {
        // Said as a teacher would: the dashes are where the date may lie,
        // not a period during which anything happened.
        marks.push((
            "the date lies somewhere along the dashes".to_string(),
            Mark::Window,
        ));
    }
    if any_approx {
        marks.push((
            "approximate or uncertain date".to_string(),
            Mark::Approximate,
        ));
    }
    if any_open {
        marks.push(("still going, or end unknown".to_string(), Mark::OpenEnd));
    }
    let legend = Legend {
        width: text_w,
        // Bars and markers take their side's colour.
        sides: super::graph::side_order(ds)
            .into_iter()
            .filter(|(id, _, _)| sides_used.contains(id))
            .map(|(_, label, color)| (label, color))
            .collect(),
        sides_fill: true,
        kinds: kinds_used
            .iter()
            .filter_map(|(k, (bar, marker))| {
                o.kinds.get(k.as_str()).map(|d| {
                    let mut forms = Vec::new();
                    if *marker {
                        forms.push((
                            d.shape.clone(),
                            outlines.get(k).copied().unwrap_or_default(),
                        ));
                    }
                    if *bar {
                        forms.push(("bar".to_string(), bar_form(k)));
                    }
                    // Bars and markers take their side's colour, not the
                    // kind's: the swatch is neutral.
                    KindKey {
                        label: d.label.clone(),
                        fill: "#888888".to_string(),
                        forms,
                    }
                })
            })
            .collect(),
        relations: Vec::new(),
        marks,
    };
    Ok(TimelineScene {
        title,
        caption,
        shapes,
        lines,
        size: (width, bottom + 40.0),
        legend,
        sources: cites.finish(),
        list_sources: !opts.sources_apart,
        items,
    })
}

/// A year as part of a node id (ids cannot hold a minus sign).
fn year_id(year: i64) -> String {
    if year < 0 {
        format!("m{}", -year)
    } else {
        year.to_string()
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
        outline: Outline::Plain,
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
        ticks: false,
        tooltip: Some(tip.into()),
    }
}

/// The white line down the middle of a hollow bar, between points of its
/// own (two lines between the same points would be drawn bowed apart):
/// from `x0` to `x1` at `y`, `width` wide.
fn hollow(
    id: &str,
    part: &str,
    (x0, x1, y): (f64, f64, f64),
    width: f64,
    tip: &str,
    shapes: &mut Vec<Shape>,
) -> Line {
    shapes.push(point(&format!("{id}_{part}a"), x0, y));
    shapes.push(point(&format!("{id}_{part}b"), x1, y));
    Line {
        from: format!("{id}_{part}a"),
        to: format!("{id}_{part}b"),
        color: "#ffffff".into(),
        width,
        style: "solid".into(),
        arrow: false,
        ticks: false,
        tooltip: Some(tip.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::TimelineOptions;
    use crate::view::Size;

    fn dataset(dir: &str) -> Dataset {
        let files = crate::load::read_dir(std::path::Path::new(dir)).unwrap();
        crate::load::load(&files).unwrap()
    }

    /// The settings of a timeline from `from` to `to` (years, or open).
    fn window(ds: &Dataset, from: Option<&str>, to: Option<&str>) -> query::TimelineSettings {
        TimelineOptions {
            from: from.map(|d| Date::parse(d).unwrap()),
            to: to.map(|d| Date::parse(d).unwrap()),
            ..Default::default()
        }
        .validate(ds)
        .unwrap()
    }

    /// The entities a timeline of `t` draws, as [`timeline`] chooses them.
    fn chosen<'a>(ds: &'a Dataset, t: &query::TimelineSettings) -> Vec<(&'a Entity, &'a Date)> {
        let t = t.or_drawn_kinds(ds);
        drawn(ds, &query::timeline(ds, &t).unwrap())
    }

    /// The area [`hopeless`] judges by is never more than the drawing
    /// takes, whatever the medium and the squeeze: a timeline it refuses
    /// could not have been drawn legibly.
    #[test]
    fn the_least_area_is_never_more_than_the_drawing_takes() {
        let mut checked = 0;
        for dir in ["data", "tests/fixtures/cli"] {
            let ds = dataset(dir);
            for (from, to) in [
                (None, None),
                (Some("2013"), Some("2021")),
                (Some("2017"), None),
            ] {
                let t = window(&ds, from, to);
                let chosen = chosen(&ds, &t);
                let lo = t.from().map(|d| d.start().earliest);
                let hi = t.to().map(|d| d.end().latest);
                let (_, area) = least_area(&chosen, lo, hi);
                for size in [Size::Slide, Size::Handout, Size::Poster] {
                    for squeeze in [0, 1, 3] {
                        let opts = DiagramOptions {
                            size,
                            squeeze,
                            ..Default::default()
                        };
                        let scene = timeline(&ds, &t, &opts).unwrap();
                        let (w, h) = scene.size;
                        assert!(area <= w * h, "{dir} {from:?}–{to:?}: {area} > {w} × {h}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 54);
    }

    /// A slide or page timeline of far more entities than the medium holds
    /// is refused before it is laid out, saying how many and what to do; a
    /// poster draws them.
    #[test]
    fn a_timeline_no_slide_could_show_is_refused_before_it_is_laid_out() {
        let ds = dataset("data");
        let t = TimelineOptions::default().validate(&ds).unwrap();
        let once = chosen(&ds, &t);
        assert!(hopeless(&once, None, None, Size::Slide).is_ok());
        let many: Vec<_> = once
            .iter()
            .copied()
            .cycle()
            .take(once.len() * 100)
            .collect();
        for size in [Size::Slide, Size::Handout] {
            let crowded = hopeless(&many, None, None, size).unwrap_err();
            assert_eq!(
                crowded,
                Crowded {
                    drawn: many.len(),
                    size
                }
            );
        }
        assert!(hopeless(&many, None, None, Size::Poster).is_ok());
    }

    /// `detente diagram` asks before drawing; the bundled dataset's
    /// timelines are all drawn.
    #[test]
    fn the_bundled_timelines_are_not_refused() {
        let ds = dataset("data");
        for (from, to) in [
            (None, None),
            (Some("2013"), Some("2016")),
            (Some("2019"), None),
        ] {
            let t = window(&ds, from, to);
            for size in [Size::Slide, Size::Handout, Size::Poster] {
                let opts = DiagramOptions {
                    size,
                    ..Default::default()
                };
                assert_eq!(refuse_unreadable(&ds, &t, &opts), Ok(None));
            }
        }
    }
}
