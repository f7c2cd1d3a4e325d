//! Scenes as Graphviz DOT, built as graphviz-rust's syntax tree and printed
//! by its printer. Every piece of user text goes through `escape::dot` or
//! `escape::html`; nothing is formatted into DOT by hand.

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::escape::{dot as q, dot_tooltip as tip, dot_url as url, html, ident};
use crate::view::{
    badge, form_name, line_glyph, GraphScene, Legend, Outline, Placement, Scene, SourceEntry,
    TimelineScene,
};

const FONT: &str = "Helvetica";
/// The margin around every drawing, in inches.
pub const PAD: f64 = 0.2;

fn plain(s: &str) -> Id {
    Id::Plain(s.to_string())
}

fn attr(k: &str, v: Id) -> Attribute {
    Attribute(plain(k), v)
}

fn num(x: f64) -> Id {
    Id::Plain(format!("{x:.2}"))
}

fn node(id: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Node(Node::new(NodeId(plain(id), None), attrs))
}

fn edge(from: &str, to: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(
            Vertex::N(NodeId(plain(from), None)),
            Vertex::N(NodeId(plain(to), None)),
        ),
        attributes: attrs,
    })
}

/// An HTML-like label; `body` is already escaped HTML.
fn html_label(body: String) -> Id {
    Id::Html(format!("<{body}>"))
}

/// The DOT text of a scene. Same scene, same bytes.
pub fn to_dot(scene: &Scene) -> String {
    let graph = match scene {
        Scene::Graph(g) => graph_scene(g),
        Scene::Timeline(t) => timeline_scene(t),
    };
    let mut ctx = PrinterContext::default();
    let mut text = graph.print(&mut ctx);
    text.push('\n');
    text
}

/// Title and caption as an HTML table, for the top of a drawing.
fn heading(title: &str, caption: &[String]) -> String {
    let mut rows = format!(
        r#"<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="22"><B>{}</B></FONT></TD></TR>"#,
        html(title)
    );
    for c in caption {
        rows.push_str(&format!(
            r##"<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="12" COLOR="#444444">{}</FONT></TD></TR>"##,
            html(c)
        ));
    }
    format!(r#"<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2">{rows}</TABLE>"#)
}

/// The legend and the numbered sources as an HTML table, for the foot.
fn footer(legend: &Legend, sources: &[SourceEntry], list: bool) -> String {
    // Each key entry is a swatch cell and a label cell.
    let mut key: Vec<String> = Vec::new();
    for (label, color) in &legend.sides {
        // As drawn: the fill of bars and markers, or the border of boxes.
        key.push(if legend.sides_fill {
            format!(
                r#"<TD BORDER="0" BGCOLOR="{}" WIDTH="26"> </TD><TD ALIGN="LEFT">{}</TD>"#,
                html(color),
                html(label)
            )
        } else {
            format!(
                r##"<TD BORDER="2" COLOR="{}" BGCOLOR="#ffffff" WIDTH="26"> </TD><TD ALIGN="LEFT">{}</TD>"##,
                html(color),
                html(label)
            )
        });
    }
    for k in &legend.kinds {
        // A table cell cannot draw an octagon or a house, and a look-alike
        // character would be a lie (an octagon is no diamond): the swatch
        // shows the fill, and the words name the shape drawn, with the
        // outline that tells it from another kind's same shape.
        let forms: Vec<String> = k.forms.iter().map(|(s, o)| form_name(s, *o)).collect();
        key.push(format!(
            r##"<TD BORDER="1" COLOR="#888888" BGCOLOR="{}" WIDTH="26"> </TD><TD ALIGN="LEFT">{} <FONT COLOR="#666666">({})</FONT></TD>"##,
            html(&k.fill),
            html(&k.label),
            html(&forms.join(" or "))
        ));
    }
    for (label, style, color) in &legend.relations {
        key.push(format!(
            r#"<TD WIDTH="26"><FONT COLOR="{}">{}</FONT></TD><TD ALIGN="LEFT">{}</TD>"#,
            html(color),
            line_glyph(style),
            html(label)
        ));
    }
    for (label, mark) in &legend.marks {
        let g = mark.glyph();
        key.push(format!(
            r#"<TD WIDTH="26">{g}</TD><TD ALIGN="LEFT">{}</TD>"#,
            html(label)
        ));
    }
    let mut rows = String::new();
    // One grid, so that entries line up in columns (a nested table per
    // line would be stretched by Graphviz to the widest line); a short
    // last line is padded.
    let per_line = legend.columns();
    let mut grid = String::new();
    for chunk in key.chunks(per_line) {
        let mut cells = chunk.join(r#"<TD WIDTH="14"> </TD>"#);
        for _ in chunk.len()..per_line {
            cells.push_str(r#"<TD WIDTH="14"> </TD><TD> </TD><TD> </TD>"#);
        }
        grid.push_str(&format!("<TR>{cells}</TR>"));
    }
    if !grid.is_empty() {
        rows.push_str(&format!(
            r#"<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3">{grid}</TABLE></TD></TR>"#
        ));
    }
    if list && !sources.is_empty() {
        let lines = crate::view::source_lines(sources, legend.width);
        for l in lines {
            rows.push_str(&format!(
                r##"<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="#333333">{}</FONT></TD></TR>"##,
                html(&l)
            ));
        }
    }
    format!(r#"<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1">{rows}</TABLE>"#)
}

/// The Graphviz style words and `peripheries` of an outline.
fn outline_style(outline: Outline) -> (Option<&'static str>, Option<u8>) {
    match outline {
        Outline::Plain => (None, None),
        Outline::Rounded => (Some("rounded"), None),
        Outline::Diagonals => (Some("diagonals"), None),
        Outline::Double => (None, Some(2)),
    }
}

fn graph_scene(g: &GraphScene) -> Graph {
    let pinned = g.placement == Placement::Pinned;
    let mut graph_attrs = vec![
        attr("fontname", q(FONT)),
        // The legend's text.
        attr("fontsize", num(12.0)),
        attr("labelloc", plain("b")),
        attr("labeljust", plain("l")),
        attr(
            "label",
            html_label(footer(&g.legend, &g.sources, g.list_sources)),
        ),
        attr("pad", num(PAD)),
        attr("bgcolor", q("white")),
    ];
    if pinned {
        // Positions are ours; neato routes the edges around the nodes.
        graph_attrs.extend([
            attr("layout", plain("neato")),
            attr("inputscale", num(72.0)),
            // Straight lines: routing curves around hundreds of nodes is
            // what made the full network take minutes to draw.
            attr("splines", plain("line")),
            attr("overlap", plain("true")),
            // Lines pass behind the boxes they cross, not over their text.
            attr("outputorder", q("edgesfirst")),
        ]);
    } else {
        graph_attrs.extend([
            attr("rankdir", plain(g.rankdir)),
            attr("nodesep", num(0.3)),
            attr("ranksep", num(0.35)),
        ]);
    }
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(graph_attrs)),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", q(FONT)),
            attr("fontsize", num(11.0)),
            attr("style", q("filled")),
            attr("margin", q("0.12,0.06")),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", q(FONT)),
            attr("fontsize", num(9.0)),
            attr("arrowsize", num(0.7)),
        ])),
    ];
    // Pinned scenes: y grows downwards in the scene, upwards in Graphviz.
    let height = g.bands.iter().map(|b| b.y + b.h).fold(0.0, f64::max);
    let flip = |y: f64| height + 120.0 - y;
    let mut body = Vec::new();
    if pinned {
        let top = g
            .bands
            .iter()
            .map(|b| b.y)
            .fold(f64::MAX, f64::min)
            .min(0.0);
        body.push(node(
            "heading",
            vec![
                attr("shape", plain("plaintext")),
                attr("style", q("")),
                attr("label", html_label(heading(&g.title, &g.caption))),
                attr(
                    "pos",
                    q(&format!(
                        "{:.2},{:.2}!",
                        20.0 + heading_width(&g.title, &g.caption) / 2.0,
                        flip(top - 55.0)
                    )),
                ),
            ],
        ));
        // Bands are a heading and a rule either side, not boxes: a box
        // behind the nodes would be an obstacle the edge router cannot
        // avoid, and every line would be drawn straight through the nodes.
        for (i, b) in g.bands.iter().enumerate() {
            body.push(node(
                &format!("bandlabel{i}"),
                vec![
                    attr("shape", plain("plaintext")),
                    attr("style", q("")),
                    attr(
                        "label",
                        html_label(format!(
                            r#"<FONT POINT-SIZE="15" COLOR="{}"><B>{}</B></FONT>"#,
                            html(&b.color),
                            html(&b.label)
                        )),
                    ),
                    attr(
                        "pos",
                        q(&format!("{:.2},{:.2}!", b.x + b.w / 2.0, flip(b.y + 16.0))),
                    ),
                ],
            ));
            if i > 0 {
                let gap_x = b.x - 23.0;
                for (end, yy) in [("t", b.y), ("b", b.y + b.h)] {
                    body.push(node(
                        &format!("rule{i}{end}"),
                        vec![
                            attr("shape", plain("point")),
                            attr("style", q("invis")),
                            attr("width", num(0.01)),
                            attr("pos", q(&format!("{gap_x:.2},{:.2}!", flip(yy)))),
                        ],
                    ));
                }
                body.push(edge(
                    &format!("rule{i}t"),
                    &format!("rule{i}b"),
                    vec![
                        attr("style", q("dotted")),
                        attr("color", q("#bbbbbb")),
                        attr("arrowhead", plain("none")),
                    ],
                ));
            }
        }
    }
    for n in &g.nodes {
        let cites = badge(&n.cites);
        let label = if cites.is_empty() {
            html(&n.label)
        } else {
            format!(
                r##"{}<BR/><FONT POINT-SIZE="9" COLOR="#555555">{}</FONT>"##,
                html(&n.label),
                html(&cites)
            )
        };
        let mut a = vec![
            attr("id", q(&n.id)),
            attr("label", html_label(label)),
            attr("shape", q(&n.shape)),
            attr("fillcolor", q(&n.fill)),
            attr("color", q(&n.border)),
            attr("tooltip", tip(&n.tooltip)),
            attr("penwidth", num(if n.focus { 3.0 } else { 1.4 })),
        ];
        let (outline, peripheries) = outline_style(n.outline);
        let mut style = vec!["filled"];
        if n.dashed {
            style.push("dashed");
            a.push(attr("fontcolor", q("#444444")));
        }
        style.extend(outline);
        if style.len() > 1 {
            a.push(attr("style", q(&style.join(","))));
        }
        if let Some(p) = peripheries {
            a.push(attr("peripheries", plain(&p.to_string())));
        }
        if n.focus {
            a.push(attr("fontsize", num(13.0)));
        }
        if let Some(u) = &n.url {
            a.push(attr("URL", url(u)));
            a.push(attr("target", q("_top")));
        }
        if let Some((x, y)) = n.pos {
            a.push(attr("pos", q(&format!("{x:.2},{:.2}!", flip(y)))));
        }
        body.push(node(&ident(&n.id), a));
    }
    for (i, e) in g.edges.iter().enumerate() {
        let mut a = vec![attr("color", q(&e.color)), attr("tooltip", tip(&e.tooltip))];
        // The first leg of a bent line (below) carries no label.
        let mut leg = a.clone();
        // A network's lines are many and unlabelled: their badges are
        // placed by the view on the line, clear of the boxes, as nodes of
        // their own (below); elsewhere the badge is the line's label.
        let cites = if e.badge_at.is_some() {
            String::new()
        } else {
            badge(&e.cites)
        };
        let label = match (e.label.is_empty(), cites.is_empty()) {
            (true, _) => cites,
            (false, true) => e.label.clone(),
            (false, false) => format!("{}\n{cites}", e.label),
        };
        if !label.is_empty() {
            a.push(attr("label", q(&label)));
            a.push(attr("fontcolor", q(&e.color)));
            if e.label.is_empty() {
                // A badge alone: small, so that it marks the line without
                // crowding a network of them.
                a.push(attr("fontsize", num(8.0)));
            }
            a.push(attr("labeltooltip", tip(&e.tooltip)));
        }
        let pen = match e.style.as_str() {
            "bold" => vec![attr("penwidth", num(2.5))],
            s => vec![attr("style", q(s)), attr("penwidth", num(1.2))],
        };
        a.extend(pen.iter().cloned());
        leg.extend(pen);
        if e.via.is_empty() {
            body.push(edge(&ident(&e.from), &ident(&e.to), a));
        } else {
            // A line bent round a box: legs meeting at invisible points,
            // the arrowhead (and any label) on the last.
            leg.push(attr("arrowhead", plain("none")));
            let mut tail = ident(&e.from);
            for (n, &(x, y)) in e.via.iter().enumerate() {
                let bend = if n == 0 {
                    format!("bend{i}")
                } else {
                    format!("bend{i}_{n}")
                };
                body.push(node(
                    &bend,
                    vec![
                        attr("shape", plain("point")),
                        attr("style", q("invis")),
                        attr("width", num(0.01)),
                        attr("pos", q(&format!("{x:.2},{:.2}!", flip(y)))),
                    ],
                ));
                body.push(edge(&tail, &bend, leg.clone()));
                tail = bend;
            }
            body.push(edge(&tail, &ident(&e.to), a));
        }
    }
    for (i, e) in g.edges.iter().enumerate() {
        let Some((x, y)) = e.badge_at else { continue };
        body.push(node(
            &format!("badge{i}"),
            vec![
                // White behind the numbers, so the line under them (drawn
                // first) does not strike them through.
                attr("shape", plain("plaintext")),
                attr("style", q("filled")),
                attr("fillcolor", q("white")),
                attr("label", q(&badge(&e.cites))),
                attr("fontsize", num(9.0)),
                attr("fontcolor", q(&e.color)),
                attr("tooltip", tip(&e.tooltip)),
                attr("width", num(0.01)),
                attr("height", num(0.01)),
                attr("margin", q("0.02,0.01")),
                attr("pos", q(&format!("{x:.2},{:.2}!", flip(y)))),
            ],
        ));
    }
    if pinned {
        stmts.extend(body);
    } else {
        // The title sits in the label of a cluster around everything, so it
        // is at the top while the legend and sources are at the foot.
        let mut main = vec![
            attr_stmt("label", html_label(heading(&g.title, &g.caption))),
            attr_stmt("labelloc", plain("t")),
            attr_stmt("labeljust", plain("l")),
            attr_stmt("style", q("invis")),
        ];
        main.extend(body);
        stmts.push(Stmt::Subgraph(Subgraph {
            id: plain("cluster_main"),
            stmts: main,
        }));
    }
    Graph::DiGraph {
        id: plain("detente"),
        strict: false,
        stmts,
    }
}

fn attr_stmt(k: &str, v: Id) -> Stmt {
    Stmt::Attribute(attr(k, v))
}

fn timeline_scene(t: &TimelineScene) -> Graph {
    let (w, h) = t.size;
    // Graphviz's y grows upwards; the scene's grows downwards.
    let y = |v: f64| h + 150.0 - v;
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            // Positions are ours: neato draws them as given, in points.
            attr("layout", plain("neato")),
            attr("inputscale", num(72.0)),
            attr("splines", plain("line")),
            // Bars and gridlines are edges: drawn after the lane bands.
            attr("outputorder", q("nodesfirst")),
            attr("fontname", q(FONT)),
            // The legend's text.
            attr("fontsize", num(12.0)),
            attr("labelloc", plain("b")),
            attr("labeljust", plain("l")),
            attr(
                "label",
                html_label(footer(&t.legend, &t.sources, t.list_sources)),
            ),
            attr("pad", num(PAD)),
            attr("bgcolor", q("white")),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", q(FONT)),
            attr("fixedsize", plain("true")),
            attr("margin", num(0.0)),
        ])),
        node(
            "heading",
            vec![
                attr("shape", plain("plaintext")),
                attr("fixedsize", plain("false")),
                attr("label", html_label(heading(&t.title, &t.caption))),
                // Left edge of the heading at the drawing's left margin.
                attr(
                    "pos",
                    q(&format!(
                        "{:.2},{:.2}!",
                        10.0 + 0.5 * heading_width(&t.title, &t.caption),
                        y(8.0 + (30.0 + 16.0 * t.caption.len() as f64) / 2.0)
                    )),
                ),
            ],
        ),
    ];
    for s in &t.shapes {
        let mut a = vec![
            attr("shape", q(&s.shape)),
            attr("pos", q(&format!("{:.2},{:.2}!", s.x, y(s.y)))),
            attr("width", num(s.w / 72.0)),
            attr("height", num(s.h / 72.0)),
            attr("fontsize", num(s.font)),
            attr("color", q(&s.color)),
        ];
        if s.shape == "plaintext" {
            let text = if s.bold {
                format!("<B>{}</B>", html(&s.label))
            } else {
                html(&s.label)
            };
            a.push(attr("label", html_label(text)));
            a.push(attr("fontcolor", q(&s.color)));
            if s.left {
                a.push(attr("labeljust", plain("l")));
            }
        } else {
            a.push(attr("label", q(&s.label)));
        }
        let mut style = Vec::new();
        if let Some(f) = &s.fill {
            style.push("filled");
            a.push(attr("fillcolor", q(f)));
        }
        if s.dashed {
            style.push("dashed");
        }
        let (outline, peripheries) = outline_style(s.outline);
        style.extend(outline);
        if let Some(p) = peripheries {
            a.push(attr("peripheries", plain(&p.to_string())));
        }
        if !style.is_empty() {
            a.push(attr("style", q(&style.join(","))));
        }
        if let Some(t) = &s.tooltip {
            a.push(attr("tooltip", tip(t)));
        }
        if let Some(u) = &s.url {
            a.push(attr("URL", url(u)));
            a.push(attr("target", q("_top")));
        }
        stmts.push(node(&ident(&s.id), a));
    }
    for l in &t.lines {
        let mut a = vec![
            attr("color", q(&l.color)),
            attr("penwidth", num(l.width)),
            attr("style", q(&l.style)),
            attr(
                "arrowhead",
                plain(match (l.arrow, l.ticks) {
                    (true, _) => "normal",
                    (false, true) => "tee",
                    (false, false) => "none",
                }),
            ),
            attr("arrowsize", num(0.6)),
        ];
        if l.ticks {
            a.push(attr("arrowtail", plain("tee")));
            a.push(attr("dir", plain("both")));
        }
        if let Some(t) = &l.tooltip {
            a.push(attr("tooltip", tip(t)));
        }
        stmts.push(edge(&ident(&l.from), &ident(&l.to), a));
    }
    let _ = w;
    Graph::DiGraph {
        id: plain("detente_timeline"),
        strict: false,
        stmts,
    }
}

/// A width estimate for the heading, to place its left edge.
fn heading_width(title: &str, caption: &[String]) -> f64 {
    let title = title.chars().count() as f64 * 12.5;
    let caption = caption
        .iter()
        .map(|c| c.chars().count() as f64 * 6.6)
        .fold(0.0, f64::max);
    title.max(caption)
}

/// An A4 page, in inches: the handout's citations pages are printed on it.
const A4_IN: (f64, f64) = (8.27, 11.69);
/// Lines of citations a page holds at 10 pt.
const PAGE_LINES: usize = 60;
/// Columns a citation line holds on the page at 10 pt.
const PAGE_COLUMNS: usize = 100;

/// The full numbered citations of a scene, with the places in each
/// document its numbers rely on, as DOT sources of A4 pages (one graph a
/// page, to be drawn as PDF and put after the diagram's page): what
/// `--sources handout` prints with a PDF.
pub fn sources_pages(scene: &Scene) -> Vec<String> {
    let mut lines: Vec<(String, bool)> = Vec::new();
    for s in scene.sources() {
        let reference = page_wrap(&format!("[{}] {}", s.n, s.reference), PAGE_COLUMNS);
        for (i, l) in reference.lines().enumerate() {
            // Continuation lines are indented under the number.
            let l = if i == 0 {
                l.to_string()
            } else {
                format!("      {l}")
            };
            lines.push((l, true));
        }
        for loc in &s.locators {
            let loc = page_wrap(loc, PAGE_COLUMNS - 10);
            for (i, l) in loc.lines().enumerate() {
                let mark = if i == 0 { "      – " } else { "        " };
                lines.push((format!("{mark}{l}"), false));
            }
        }
    }
    let title = format!("Sources: {}", scene.title());
    let chunks: Vec<&[(String, bool)]> = if lines.is_empty() {
        vec![&[]]
    } else {
        lines.chunks(PAGE_LINES).collect()
    };
    let pages = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let mut rows = format!(
                r#"<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="14"><B>{}</B></FONT></TD></TR>"#,
                html(&title)
            );
            let intro = if i == 0 {
                "The numbers in brackets on the diagram refer to these documents; under each, the places in it that the diagram relies on."
                    .to_string()
            } else {
                format!("(continued, page {} of {pages})", i + 1)
            };
            for l in crate::view::wrap(&intro, PAGE_COLUMNS).lines() {
                rows.push_str(&format!(
                    r##"<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="#444444">{}</FONT></TD></TR>"##,
                    html(l)
                ));
            }
            rows.push_str(r#"<TR><TD> </TD></TR>"#);
            if chunk.is_empty() {
                rows.push_str(r#"<TR><TD ALIGN="LEFT">This diagram cites no sources.</TD></TR>"#);
            }
            for (l, reference) in chunk {
                let color = if *reference { "#000000" } else { "#444444" };
                rows.push_str(&format!(
                    r##"<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="{color}">{}</FONT></TD></TR>"##,
                    html(l)
                ));
            }
            let table = format!(
                r#"<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>"#
            );
            let graph = Graph::DiGraph {
                id: plain("detente_sources"),
                strict: false,
                stmts: vec![
                    Stmt::GAttribute(GraphAttributes::Graph(vec![
                        attr("fontname", q(FONT)),
                        // The printable area: scaled down (never up) to fit.
                        attr("size", q(&format!("{:.2},{:.2}", A4_IN.0 - 1.0, A4_IN.1 - 1.0))),
                        attr("pad", num(0.5)),
                        attr("bgcolor", q("white")),
                    ])),
                    node(
                        "sources",
                        vec![
                            attr("shape", plain("plaintext")),
                            attr("fontname", q(FONT)),
                            attr("label", html_label(table)),
                        ],
                    ),
                ],
            };
            let mut ctx = PrinterContext::default();
            let mut text = graph.print(&mut ctx);
            text.push('\n');
            text
        })
        .collect()
}

/// Wraps text for a printed page: between words, and within a word (a
/// long URL) that is wider than a line by itself.
fn page_wrap(s: &str, width: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in crate::view::wrap(s, width).lines() {
        let mut rest = line;
        while crate::view::text_width(rest) > width {
            let cut = rest
                .char_indices()
                .scan(0, |w, (i, c)| {
                    *w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    Some((i, *w))
                })
                .find(|&(_, w)| w > width)
                .map_or(rest.len(), |(i, _)| i);
            out.push(rest[..cut].to_string());
            rest = &rest[cut..];
        }
        out.push(rest.to_string());
    }
    out.join("\n")
}
