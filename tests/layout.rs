//! Diagrams as a teacher meets them, checked against Graphviz's own layout:
//! every gallery view fits a slide at a legible size with no two boxes or
//! labels on top of each other; every example in docs/teachers.md writes a
//! readable file in a few seconds; a view too large for its medium is
//! refused with advice; a dated network draws exactly what `detente active`
//! reports.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use detente::diagram::{Size, BODY_PT, MIN_TEXT_PX};
use predicates::prelude::*;
use serde_json::Value;

fn detente() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("detente").unwrap();
    c.env_remove("DETENTE_DATA");
    c
}

fn graphviz() -> bool {
    common::require(
        "dot",
        &["-V"],
        "install Graphviz (apt-get install graphviz)",
    )
}

/// The gallery's views: (name, arguments to `detente diagram`).
fn views() -> Vec<(String, Vec<String>)> {
    common::gallery_views()
        .into_iter()
        .map(|v| (v.name, v.args))
        .collect()
}

/// Graphviz's layout of each gallery view that `keep` accepts (given its
/// arguments to `detente diagram`), by name; `None` where Graphviz is not
/// installed, when the checks on drawings have nothing to read.
fn gallery_layouts(keep: impl Fn(&[String]) -> bool) -> Option<Vec<(String, Value)>> {
    if !graphviz() {
        return None;
    }
    Some(
        views()
            .into_iter()
            .filter(|(_, args)| keep(args))
            .map(|(name, args)| (name, layout(&dot_of(&args))))
            .collect(),
    )
}

/// Every gallery network view (the poster too) with Graphviz's layout of it.
fn network_layouts() -> Option<Vec<(String, Value)>> {
    gallery_layouts(|args| args[0] == "network")
}

/// Fails, naming the view and what is wrong, where `problems` finds any in
/// one of `layouts`.
fn assert_none_in(layouts: &[(String, Value)], problems: impl Fn(&Value) -> Vec<String>) {
    for (name, g) in layouts {
        let bad = problems(g);
        assert!(bad.is_empty(), "{name}: {bad:?}");
    }
}

/// Graphviz's layout of `dot_source`, as `dot -Tjson` gives it.
fn layout(dot_source: &[u8]) -> Value {
    let mut child = Command::new("dot")
        .arg("-Tjson")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = dot_source.to_vec();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(&input).unwrap();
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A box in points: (name, x0, y0, x1, y1).
type Rect = (String, f64, f64, f64, f64);

fn num(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or(0.0)
}

/// The boxes of the drawn nodes (not the invisible anchors, lane bands or
/// the heading, which hold other things by design), and of the edge labels.
fn boxes(g: &Value) -> Vec<Rect> {
    let mut out = Vec::new();
    for o in g["objects"].as_array().into_iter().flatten() {
        let name = o["name"].as_str().unwrap_or_default().to_string();
        let shape = o["shape"].as_str().unwrap_or_default();
        let style = o["style"].as_str().unwrap_or_default();
        if o["nodes"].is_array()
            || shape == "point"
            || style.contains("invis")
            || name == "heading"
            || name.starts_with("n_lane")
            || name.starts_with("bandlabel")
        {
            continue;
        }
        let Some(pos) = o["pos"].as_str() else {
            continue;
        };
        let mut xy = pos
            .split(',')
            .map(|v| v.trim_end_matches('!').parse::<f64>());
        let (Some(Ok(x)), Some(Ok(y))) = (xy.next(), xy.next()) else {
            continue;
        };
        let (w, h) = (num(&o["width"]) * 72.0, num(&o["height"]) * 72.0);
        out.push((name, x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0));
    }
    // Edge labels: Graphviz's text drawing ops give their place and width.
    for (i, e) in g["edges"].as_array().into_iter().flatten().enumerate() {
        for op in e["_ldraw_"].as_array().into_iter().flatten() {
            if op["op"] == "T" {
                let p = &op["pt"];
                let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
                let w = op["width"].as_f64().unwrap();
                out.push((
                    format!("edge label {i}"),
                    x - w / 2.0,
                    y - 2.0,
                    x + w / 2.0,
                    y + 8.0,
                ));
            }
        }
    }
    out
}

fn overlaps(rects: &[Rect]) -> Vec<String> {
    let mut bad = Vec::new();
    for (i, a) in rects.iter().enumerate() {
        for b in &rects[i + 1..] {
            // A point of slack: boxes that merely touch are fine.
            let ox = a.3.min(b.3) - a.1.max(b.1);
            let oy = a.4.min(b.4) - a.2.max(b.2);
            if ox > 1.0 && oy > 1.0 {
                bad.push(format!("{} and {}", a.0, b.0));
            }
        }
    }
    bad
}

fn dot_of(args: &[String]) -> Vec<u8> {
    let out = detente()
        .arg("diagram")
        .args(args)
        .args(["--format", "dot"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn gallery_views_fit_a_slide_with_no_overlaps() {
    let Some(layouts) = gallery_layouts(|args| !args.iter().any(|a| a == "poster")) else {
        return;
    };
    assert_none_in(&layouts, |g| overlaps(&boxes(g)));
    for (name, g) in layouts {
        // The drawing's extent (plus its pad) must fit a slide with body
        // text at least the legible minimum.
        let bb: Vec<f64> = g["bb"]
            .as_str()
            .unwrap()
            .split(',')
            .map(|v| v.parse().unwrap())
            .collect();
        let pad = 2.0 * detente::diagram::PAD * 72.0;
        let (w, h) = (bb[2] - bb[0] + pad, bb[3] - bb[1] + pad);
        let fit = Size::Slide.fit(w, h);
        assert!(
            fit.is_ok(),
            "{name} is {w:.0} × {h:.0} pt: too large for a slide"
        );
        let fit = fit.unwrap();
        assert!(w * fit.dpi / 72.0 <= 1920.5 && h * fit.dpi / 72.0 <= 1080.5);
        assert!(BODY_PT * fit.dpi / 72.0 >= MIN_TEXT_PX - 0.15, "{name}");
    }
}

/// A PNG's width and height in pixels, from its header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    (
        u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
        u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
    )
}

#[test]
fn committed_gallery_pngs_fit_a_slide() {
    for (name, args) in views() {
        let png = Path::new("docs/gallery").join(format!("{name}.png"));
        let Ok(bytes) = std::fs::read(&png) else {
            continue;
        };
        let (w, h) = png_size(&bytes);
        if args.iter().any(|a| a == "poster") {
            continue;
        }
        assert!(w <= 1920 && h <= 1080, "{name}.png is {w} × {h}");
    }
}

/// Every `detente diagram` line in docs/teachers.md's shell blocks.
fn teacher_examples() -> Vec<String> {
    let text = std::fs::read_to_string("docs/teachers.md").unwrap();
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line.trim() == "```sh";
            continue;
        }
        if in_sh && line.starts_with("detente diagram") {
            out.push(line.trim().to_string());
        }
    }
    out
}

#[test]
fn teachers_examples_write_readable_pictures_that_fit() {
    if !graphviz() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("detente");
    let examples = teacher_examples();
    assert!(examples.len() >= 6, "{examples:?}");
    for ex in examples {
        // Under the usual umask, as a teacher's shell has it.
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask 022; exec {} {}",
                bin.display(),
                ex.trim_start_matches("detente ")
            ))
            .current_dir(dir.path())
            .env_remove("DETENTE_DATA")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "`{ex}`: {stderr}");
        let file = ex
            .split_whitespace()
            .skip_while(|w| *w != "-o")
            .nth(1)
            .unwrap();
        assert!(
            stderr.contains(&format!("wrote {file} (")),
            "`{ex}` says what it wrote: {stderr}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o644, "`{ex}` wrote mode {:o}", mode & 0o777);
        }
        if file.ends_with(".png") && !ex.contains("poster") {
            let (w, h) = png_size(&std::fs::read(dir.path().join(file)).unwrap());
            assert!(w <= 1920 && h <= 1080, "`{ex}`: {w} × {h}");
        }
    }
}

#[test]
fn too_large_for_a_slide_is_refused_with_advice_and_writes_nothing() {
    if !graphviz() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big.png");
    detente()
        .args(["diagram", "network", "--max-nodes", "200", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("below the legible 14 px"))
        .stderr(predicates::str::contains("--size poster"));
    assert!(!out.exists());
    // The same picture on a poster is drawn, with straight lines: the full
    // network took over a minute when Graphviz routed curves. How long it
    // takes is measured by benches/gallery.sh (docs/performance.md), not
    // here: a timed test fails on a loaded machine, not on slow code.
    detente()
        .args(["diagram", "network", "--size", "poster", "-o"])
        .arg(dir.path().join("all.svg"))
        .assert()
        .success();
    let dot = detente()
        .args(["diagram", "network", "--size", "poster", "--format", "dot"])
        .output()
        .unwrap();
    assert!(dot.status.success());
    assert!(String::from_utf8_lossy(&dot.stdout).contains("splines=line"));
}

/// The entity ids a network draws, from the `id` attribute of its nodes.
fn drawn_ids(dot: &[u8]) -> BTreeSet<String> {
    String::from_utf8_lossy(dot)
        .split("id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

fn active_ids(date: &str) -> BTreeSet<String> {
    let out = detente()
        .args(["active", date, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    ["definitely", "possibly"]
        .iter()
        .flat_map(|k| v[k].as_array().unwrap().clone())
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_dated_network_draws_exactly_what_active_reports() {
    for date in ["2013", "2014-05", "2016-06", "2017-10-04", "2019", "2021"] {
        let args: Vec<String> = ["network", "--at", date, "--size", "poster"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let drawn = drawn_ids(&dot_of(&args));
        let active = active_ids(date);
        assert_eq!(drawn, active, "network --at {date} against active {date}");
    }
    // Undated entities appear only when asked for, in a band of their own.
    let with: Vec<String> = [
        "network",
        "--at",
        "2016-06",
        "--size",
        "poster",
        "--include-undated",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let dot = dot_of(&with);
    assert!(String::from_utf8_lossy(&dot).contains("Not dated in the data"));
    assert!(drawn_ids(&dot).len() > active_ids("2016-06").len());
}

#[test]
fn sources_go_where_asked_and_badges_match_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("lineage.mmd");
    detente()
        .args(["diagram", "lineage", "lecd", "--sources", "handout", "-o"])
        .arg(&svg)
        .assert()
        .success();
    let handout = std::fs::read_to_string(dir.path().join("lineage.sources.md")).unwrap();
    let mermaid = std::fs::read_to_string(&svg).unwrap();
    // Every number on the drawing is a numbered document in the handout,
    // which carries the locators; the drawing lists none itself.
    let n_docs = handout
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .count();
    assert!(n_docs >= 2);
    assert!(handout.contains("   - "), "locators under each document");
    for badge in mermaid.split("#91;").skip(1) {
        let inner = badge.split("#93;").next().unwrap();
        // Brackets in names are not badges.
        let Ok(ns) = inner
            .split(", ")
            .map(str::parse::<usize>)
            .collect::<Result<Vec<_>, _>>()
        else {
            continue;
        };
        for n in ns {
            assert!(n >= 1 && n <= n_docs, "badge {n} of {n_docs}");
        }
    }
    assert!(!mermaid.contains("%% [1]"), "no list on the drawing");
    // --title and --caption replace the defaults; the data line stays.
    let dot = dot_of(
        &[
            "lineage",
            "lecd",
            "--title",
            "Where the LECD came from",
            "--caption",
            "For week 3",
            "--sources",
            "none",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>(),
    );
    let dot = String::from_utf8(dot).unwrap();
    assert!(dot.contains("Where the LECD came from") && dot.contains("For week 3"));
    assert!(dot.contains("Data: detente"));
    assert!(!dot.contains("Sources:    ["), "no list under the drawing");
}

/// The kind-to-shape table of docs/teachers.md, as (kind label, shape).
fn documented_shapes() -> Vec<(String, String)> {
    let text = std::fs::read_to_string("docs/teachers.md").unwrap();
    let table = text
        .split("| kind | shape |")
        .nth(1)
        .expect("docs/teachers.md has a `| kind | shape |` table");
    table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            (cells[0].to_string(), cells[1].to_string())
        })
        .collect()
}

#[test]
fn teachers_legend_table_matches_the_drawing() {
    // The poster network draws every kind; each node's tooltip starts with
    // `Name — Kind label`, and its shape is what the picture shows.
    let dot =
        String::from_utf8(dot_of(&["network", "--size", "poster"].map(str::to_string))).unwrap();
    let mut drawn: BTreeSet<(String, String)> = BTreeSet::new();
    for line in dot
        .lines()
        .filter(|l| l.contains("tooltip=") && l.contains("shape="))
    {
        let shape = line
            .split("shape=\"")
            .nth(1)
            .and_then(|r| r.split('"').next());
        let kind = line
            .split("tooltip=\"")
            .nth(1)
            .and_then(|r| r.split("\\n").next())
            .and_then(|first| first.rsplit(" — ").next());
        if let (Some(shape), Some(kind)) = (shape, kind) {
            drawn.insert((kind.to_string(), shape.to_string()));
        }
    }
    let documented = documented_shapes();
    assert!(documented.len() >= 8);
    for (kind, shape) in &documented {
        assert!(
            drawn.contains(&(kind.clone(), shape.clone())),
            "docs/teachers.md says {kind} is a {shape}; drawn: {drawn:?}"
        );
    }
}

/// The text between `key="` and the next unescaped `"` on a DOT line.
fn quoted<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line
        .find(&format!(" {key}=\""))
        .or_else(|| line.find(&format!("[{key}=\"")))?
        + key.len()
        + 3;
    let rest = &line[start..];
    let mut end = 0;
    let bytes = rest.as_bytes();
    while end < bytes.len() {
        match bytes[end] {
            b'\\' => end += 2,
            b'"' => return Some(&rest[..end]),
            _ => end += 1,
        }
    }
    None
}

/// The numbers in `[1][3]` or `[1, 3]`.
fn numbers(s: &str) -> Vec<usize> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter_map(|t| t.parse().ok())
        .collect()
}

/// The document numbers a tooltip's `Sources: [1][3]` line cites.
fn tooltip_cites(tooltip: &str) -> Vec<usize> {
    tooltip
        .rsplit("Sources: ")
        .next()
        .filter(|_| tooltip.contains("Sources: "))
        .map(numbers)
        .unwrap_or_default()
}

fn badge_text(ns: &[usize]) -> String {
    let list: Vec<String> = ns.iter().map(usize::to_string).collect();
    format!("[{}]", list.join(", "))
}

#[test]
fn every_cited_box_and_line_shows_numbers_that_are_in_the_list() {
    for (name, args) in views() {
        let dot = String::from_utf8(dot_of(&args)).unwrap();
        // The list under the drawing: `[n] reference` entries after `Sources:`.
        let footer = dot
            .lines()
            .find(|l| l.contains("Sources:    ["))
            .unwrap_or_else(|| panic!("{name}: no source list"));
        let listed: BTreeSet<usize> = footer
            .split("Sources:")
            .nth(1)
            .unwrap()
            .split('[')
            .skip(1)
            .filter_map(|t| t.split(']').next()?.parse().ok())
            .collect();
        let timeline = dot.starts_with("digraph detente_timeline");
        let lines: Vec<&str> = dot.lines().collect();
        let mut checked = 0;
        for line in &lines {
            // A line's badge is checked with its line.
            if line.trim_start().starts_with("badge") {
                continue;
            }
            let Some(tooltip) = quoted(line, "tooltip") else {
                continue;
            };
            let cites = tooltip_cites(tooltip);
            if cites.is_empty() {
                continue;
            }
            for n in &cites {
                assert!(listed.contains(n), "{name}: [{n}] is not in the list");
            }
            let badge = badge_text(&cites);
            let is_edge = line.contains(" -> ");
            let shown = if timeline {
                // A bar or marker's numbers are on its label, beside it.
                lines
                    .iter()
                    .any(|l| quoted(l, "tooltip") == Some(tooltip) && l.contains(&badge))
            } else if is_edge {
                // On the line's label, or a badge placed on the line.
                line.contains(&format!("{badge}\""))
                    || lines.iter().any(|l| {
                        l.trim_start().starts_with("badge")
                            && quoted(l, "tooltip") == Some(tooltip)
                            && quoted(l, "label") == Some(badge.as_str())
                    })
            } else {
                line.contains(&format!(">{badge}</FONT>"))
            };
            assert!(shown, "{name}: `{badge}` is not drawn for: {line}");
            checked += 1;
        }
        assert!(checked > 0, "{name}: nothing cited");
    }
}

/// A Graphviz shape in the legend's words, as a reader would name it.
fn shape_words(shape: &str) -> &str {
    match shape {
        "doublecircle" => "double circle",
        "component" => "box with tabs",
        "note" => "page with folded corner",
        other => other,
    }
}

/// The legend's kind entries of a DOT drawing: label → the forms named.
fn legend_kinds(dot: &str) -> Vec<(String, String)> {
    dot.split(r#"<TD ALIGN="LEFT">"#)
        .skip(1)
        .filter_map(|cell| {
            let (label, rest) = cell.split_once(r##" <FONT COLOR="#666666">("##)?;
            let forms = rest.split(")</FONT>").next()?;
            let label = label
                .replace("&#39;", "'")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            (!label.contains('<')).then_some((label, forms.to_string()))
        })
        .collect()
}

#[test]
fn legends_name_what_is_drawn_and_tell_kinds_apart() {
    for (name, args) in views() {
        let dot = String::from_utf8(dot_of(&args)).unwrap();
        let legend = legend_kinds(&dot);
        let timeline = dot.starts_with("digraph detente_timeline");
        let mut drawn: BTreeSet<String> = BTreeSet::new();
        for line in dot.lines() {
            let Some(tooltip) = quoted(line, "tooltip") else {
                continue;
            };
            // `Name — Kind` heads the tooltip of every entity drawn.
            let Some(kind) = tooltip
                .split("\\n")
                .next()
                .and_then(|first| first.rsplit_once(" — "))
                .map(|(_, k)| k.to_string())
            else {
                continue;
            };
            let shape = quoted(line, "shape").unwrap_or("box");
            let form = if line.contains(" -> ") {
                // A timeline's dashed line is the window in which something
                // may have existed (all there is of an agreement whose end
                // no source gives, on a slide of later years): its kind is
                // drawn, in the form its legend names.
                if timeline && line.contains(r#"style="dashed""#) {
                    drawn.insert(kind);
                    continue;
                }
                // A timeline's bar; a graph's lines are relations, not kinds.
                if !(timeline && line.contains("penwidth=7.00")) {
                    continue;
                }
                // Hollow: a white line down its middle, with its tooltip.
                let hollow = dot.lines().any(|l| {
                    l.contains(" -> ")
                        && quoted(l, "tooltip") == Some(tooltip)
                        && l.contains(r##"color="#ffffff""##)
                });
                if hollow {
                    "hollow bar".to_string()
                } else if line.contains("arrowtail=tee") {
                    "bar with end ticks".to_string()
                } else {
                    "bar".to_string()
                }
            } else if line.trim_start().starts_with("badge") {
                continue; // a line's citation numbers
            } else if shape == "plaintext" {
                // A timeline's labels are text beside their marker or bar;
                // in a graph, text alone is a kind's shape (a topic).
                if timeline {
                    continue;
                }
                "text only".to_string()
            } else {
                let style = quoted(line, "style").unwrap_or("");
                let words = shape_words(shape);
                if style.contains("rounded") {
                    format!("rounded {words}")
                } else if style.contains("diagonals") {
                    format!("{words} with cut corners")
                } else if line.contains("peripheries=2") {
                    format!("double-outlined {words}")
                } else {
                    words.to_string()
                }
            };
            let (_, forms) = legend
                .iter()
                .find(|(l, _)| *l == kind)
                .unwrap_or_else(|| panic!("{name}: {kind} is drawn but not in the legend"));
            assert!(
                forms.split(" or ").any(|f| f == form),
                "{name}: {kind} is drawn as a {form}, the legend says ({forms})"
            );
            drawn.insert(kind);
        }
        let listed: BTreeSet<String> = legend.iter().map(|(l, _)| l.clone()).collect();
        assert_eq!(listed, drawn, "{name}: the legend lists what is drawn");
        // No two kinds are drawn alike, bars included: a mechanism's bar
        // and a lasting event's must be told apart at a glance.
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (kind, forms) in &legend {
            for f in forms.split(" or ") {
                assert!(
                    seen.insert(f),
                    "{name}: {kind} shares the {f} of another kind"
                );
            }
        }
    }
}

/// The number of pages of a PDF and the size of each, in points.
fn pdf_pages(bytes: &[u8]) -> Vec<(f64, f64)> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    doc.get_pages()
        .values()
        .map(|id| {
            let page = doc.get_dictionary(*id).unwrap();
            let b: Vec<f64> = page
                .get(b"MediaBox")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| f64::from(v.as_float().unwrap()))
                .collect();
            (b[2] - b[0], b[3] - b[1])
        })
        .collect()
}

#[test]
fn a_pdf_with_sources_handout_carries_the_citations_on_a4_pages_after_the_diagram() {
    if !graphviz() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("lineage.pdf");
    detente()
        .args(["diagram", "lineage", "lecd", "--sources", "handout", "-o"])
        .arg(&pdf)
        .assert()
        .success()
        .stderr(predicates::str::contains("of sources"));
    let bytes = std::fs::read(&pdf).unwrap();
    let pages = pdf_pages(&bytes);
    assert!(pages.len() >= 2, "{pages:?}");
    for (w, h) in &pages[1..] {
        assert!(
            (w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0,
            "A4: {w} × {h}"
        );
    }
    // The same numbered references as the companion file, in the PDF's text.
    let companion = std::fs::read_to_string(dir.path().join("lineage.sources.md")).unwrap();
    let documents = companion
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .count();
    assert!(documents >= 2);
    if common::require(
        "pdftotext",
        &["-v"],
        "install poppler-utils (apt-get install poppler-utils)",
    ) {
        let out = Command::new("pdftotext")
            .args(["-f", "2", "-layout"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Sources: Lineage of LECD"), "{text}");
        for n in 1..=documents {
            assert!(
                text.contains(&format!("[{n}] ")),
                "[{n}] on the sources pages"
            );
        }
    }
    // Without --sources handout a PDF is the diagram alone; a handout PDF
    // is set on an A4 page.
    let one = dir.path().join("ego.pdf");
    detente()
        .args([
            "diagram",
            "network",
            "--kind",
            "mechanism",
            "--size",
            "handout",
            "-o",
        ])
        .arg(&one)
        .assert()
        .success();
    let pages = pdf_pages(&std::fs::read(&one).unwrap());
    assert_eq!(pages.len(), 1);
    let (w, h) = pages[0];
    assert!(
        (w.max(h) - 841.9).abs() < 1.0 && (w.min(h) - 595.3).abs() < 1.0,
        "{w} × {h}"
    );
}

#[test]
fn the_default_network_is_squeezed_to_fit_not_refused() {
    if !graphviz() {
        return;
    }
    // A handout holds less than a slide's width: the default selection is
    // cut until it fits, and the caption says how many are shown.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("n.pdf");
    detente()
        .args(["diagram", "network", "--size", "handout", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    let dot = String::from_utf8(dot_of(
        &["network", "--size", "handout"].map(str::to_string),
    ))
    .unwrap();
    assert!(
        dot.contains("most central of"),
        "the caption says what was cut"
    );
    // A lineage is squeezed (narrower labels and legend) onto the page.
    detente()
        .args(["diagram", "lineage", "lecd", "--size", "handout", "-o"])
        .arg(dir.path().join("l.pdf"))
        .assert()
        .success();
    // An ego diagram two relations deep cannot be cut: refused, with advice
    // that fits it, not the network's.
    detente()
        .args(["diagram", "ego", "lecd", "--depth", "2", "-o"])
        .arg(dir.path().join("e.png"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--depth 1"))
        .stderr(predicates::str::contains("--max-nodes").not());
    assert!(!dir.path().join("e.png").exists());
}

#[test]
fn teachers_guide_describes_every_legend_entry_the_gallery_shows() {
    let guide = std::fs::read_to_string("docs/teachers.md").unwrap();
    for (name, args) in views() {
        let dot = String::from_utf8(dot_of(&args)).unwrap();
        // Kinds: every way a form is told apart is explained.
        for (kind, forms) in legend_kinds(&dot) {
            for form in forms.split(" or ") {
                for words in [
                    "rounded",
                    "with cut corners",
                    "double-outlined",
                    "bar",
                    "hollow bar",
                    "bar with end ticks",
                ] {
                    if form.contains(words) {
                        assert!(
                            guide.contains(words),
                            "{name}: the legend draws {kind} as a {form}; docs/teachers.md does not say what `{words}` means"
                        );
                    }
                }
            }
        }
        // Marks: each is named in the guide in the legend's own words.
        for cell in dot.split(r#"<TD WIDTH="26">"#).skip(1) {
            let Some((glyph, rest)) = cell.split_once(r#"</TD><TD ALIGN="LEFT">"#) else {
                continue;
            };
            if glyph.contains("<FONT") {
                continue; // a relation type: its words are the ontology's
            }
            let label = rest.split("</TD>").next().unwrap();
            assert!(
                guide.contains(&format!("`{label}`")),
                "{name}: docs/teachers.md does not explain the legend's `{label}`"
            );
        }
    }
}

/// A drawn node's outline as Graphviz draws it: polygons and ellipses
/// (centre and radii), from its `_draw_` operations.
#[derive(Debug)]
enum Outline {
    Polygon(Vec<(f64, f64)>),
    Ellipse((f64, f64), (f64, f64)),
}

fn point(v: &Value) -> (f64, f64) {
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

fn outlines(o: &Value) -> Vec<Outline> {
    let mut out = Vec::new();
    for op in o["_draw_"].as_array().into_iter().flatten() {
        match op["op"].as_str() {
            Some("p" | "P") => out.push(Outline::Polygon(
                op["points"].as_array().unwrap().iter().map(point).collect(),
            )),
            Some("e" | "E") => {
                let r: Vec<f64> = op["rect"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect();
                out.push(Outline::Ellipse((r[0], r[1]), (r[2], r[3])));
            }
            _ => {}
        }
    }
    out
}

/// Whether `p` lies inside the outline, more than about a point from its
/// edge (a line ending on a box touches it).
fn inside(outline: &Outline, p: (f64, f64)) -> bool {
    match outline {
        Outline::Ellipse(c, r) => {
            let (x, y) = ((p.0 - c.0) / (r.0 - 1.0), (p.1 - c.1) / (r.1 - 1.0));
            x * x + y * y < 1.0
        }
        Outline::Polygon(pts) => {
            // Shrunk by a point towards its centre, then ray casting.
            let n = pts.len() as f64;
            let c = pts
                .iter()
                .fold((0.0, 0.0), |a, q| (a.0 + q.0 / n, a.1 + q.1 / n));
            let pts: Vec<(f64, f64)> = pts
                .iter()
                .map(|q| {
                    let (dx, dy) = (q.0 - c.0, q.1 - c.1);
                    let l = dx.hypot(dy).max(1e-9);
                    (q.0 - dx / l, q.1 - dy / l)
                })
                .collect();
            let mut inside = false;
            for i in 0..pts.len() {
                let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
                if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0
                {
                    inside = !inside;
                }
            }
            inside
        }
    }
}

/// Points every point or so along a drawn line: its Bézier pieces sampled.
fn line_points(e: &Value) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for op in e["_draw_"].as_array().into_iter().flatten() {
        if op["op"] != "b" {
            continue;
        }
        let c: Vec<(f64, f64)> = op["points"].as_array().unwrap().iter().map(point).collect();
        for w in c.windows(4).step_by(3) {
            let len = (w[3].0 - w[0].0).hypot(w[3].1 - w[0].1);
            let steps = (len.ceil() as usize).max(8);
            for s in 0..=steps {
                let t = s as f64 / steps as f64;
                let u = 1.0 - t;
                let f = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                out.push((
                    (0..4).map(|i| f[i] * w[i].0).sum(),
                    (0..4).map(|i| f[i] * w[i].1).sum(),
                ));
            }
        }
    }
    out
}

/// The lines of a layout that run through a drawn box they do not join:
/// (line's ends, box), by Graphviz's own drawing of both.
fn lines_through_boxes(g: &Value) -> Vec<String> {
    let objects = g["objects"].as_array().cloned().unwrap_or_default();
    let name = |id: &Value| {
        let i = id.as_u64().unwrap() as usize;
        objects[i]["name"].as_str().unwrap_or_default().to_string()
    };
    // Entities are the nodes that carry an entity id.
    let drawn: Vec<(usize, String, Vec<Outline>)> = objects
        .iter()
        .enumerate()
        .filter(|(_, o)| o["id"].is_string() && o["nodes"].is_null())
        .map(|(i, o)| (i, o["name"].as_str().unwrap().to_string(), outlines(o)))
        .collect();
    let mut bad = Vec::new();
    for e in g["edges"].as_array().into_iter().flatten() {
        let ends = [
            e["tail"].as_u64().unwrap() as usize,
            e["head"].as_u64().unwrap() as usize,
        ];
        if !drawn.iter().any(|d| ends.contains(&d.0)) {
            continue; // a rule between bands, not a relation
        }
        let points = line_points(e);
        for (i, box_name, outline) in &drawn {
            if ends.contains(i) {
                continue;
            }
            if points.iter().any(|p| outline.iter().any(|o| inside(o, *p))) {
                bad.push(format!(
                    "{} -> {} through {box_name}",
                    name(&e["tail"]),
                    name(&e["head"])
                ));
            }
        }
    }
    bad
}

#[test]
fn gallery_lines_run_through_no_box_they_do_not_join() {
    // The network is pinned by detente, which chooses each band's order to
    // keep straight lines out of boxes; lineage and ego views are laid out
    // by dot, whose curved edges go round boxes. Either way a line through
    // a box reads as a relation with it, so the bound is none.
    let Some(layouts) =
        gallery_layouts(|args| !args.iter().any(|a| a == "poster") && args[0] != "timeline")
    else {
        return;
    };
    assert_none_in(&layouts, lines_through_boxes);
    assert!(
        layouts.len() >= 4,
        "network, network-2017, ego and lineage views"
    );
}

#[test]
fn lines_through_boxes_are_seen_when_there_are_some() {
    if !graphviz() {
        return;
    }
    // The check itself: three boxes in a row and a line from the first to
    // the last, straight through the middle one.
    let dot = br#"digraph { layout=neato; splines=line;
        a [id="a" shape=box pos="0,0!"]; b [id="b" shape=ellipse pos="150,0!"];
        c [id="c" shape=box pos="300,0!"]; a -> c; a -> b }"#;
    let bad = lines_through_boxes(&layout(dot));
    assert_eq!(bad, vec!["a -> c through b".to_string()]);
}

#[test]
fn network_badges_sit_on_or_right_beside_their_own_line() {
    let Some(layouts) = network_layouts() else {
        return;
    };
    // A badge further than this from its line (about 11 px on a slide)
    // reads as belonging to another; one sat 80 points away before.
    const NEAR: f64 = 8.0;
    let mut checked = 0;
    for (name, g) in layouts {
        let edges = g["edges"].as_array().cloned().unwrap_or_default();
        for o in g["objects"].as_array().into_iter().flatten() {
            if !o["name"].as_str().unwrap_or_default().starts_with("badge") {
                continue;
            }
            let pos: Vec<f64> = o["pos"]
                .as_str()
                .unwrap()
                .split(',')
                .map(|v| v.trim_end_matches('!').parse().unwrap())
                .collect();
            let (w, h) = (num(&o["width"]) * 72.0, num(&o["height"]) * 72.0);
            let tooltip = &o["tooltip"];
            let own: Vec<&Value> = edges.iter().filter(|e| &e["tooltip"] == tooltip).collect();
            assert!(!own.is_empty(), "{name}: a badge with no line: {tooltip}");
            // From the badge's box to the nearest point of its line.
            let gap = own
                .iter()
                .flat_map(|e| line_points(e))
                .map(|p| {
                    let dx = ((p.0 - pos[0]).abs() - w / 2.0).max(0.0);
                    let dy = ((p.1 - pos[1]).abs() - h / 2.0).max(0.0);
                    dx.hypot(dy)
                })
                .fold(f64::MAX, f64::min);
            assert!(
                gap <= NEAR,
                "{name}: badge {} is {gap:.1} pt from its line: {tooltip}",
                o["label"]
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} badges checked");
}

#[test]
fn the_whole_timeline_fits_a_slide_once_its_source_list_is_a_handout() {
    if !graphviz() {
        return;
    }
    // What docs/teachers.md says of 2013–2021: with the list under it the
    // text would be too small, and the refusal says how to get it on one
    // slide; without the list it is one slide, with the list beside it.
    let dir = tempfile::tempdir().unwrap();
    let with_list = dir.path().join("with-list.png");
    detente()
        .args([
            "diagram", "timeline", "--from", "2013", "--to", "2021", "-o",
        ])
        .arg(&with_list)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("below the legible 14 px"))
        .stderr(predicates::str::contains("--sources handout"));
    assert!(!with_list.exists());
    let png = dir.path().join("all.png");
    detente()
        .args(["diagram", "timeline", "--from", "2013", "--to", "2021"])
        .args(["--sources", "handout", "-o"])
        .arg(&png)
        .assert()
        .success();
    let (w, h) = png_size(&std::fs::read(&png).unwrap());
    assert!(w <= 1920 && h <= 1080, "{w} × {h}");
    assert!(dir.path().join("all.sources.md").exists());
}

/// The bundled data in a temporary directory, with `extra` as one more file.
fn data_with(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir("data").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.path().join("zz-added.yaml"), extra).unwrap();
    dir
}

#[test]
fn the_whole_timeline_leaves_rows_out_and_says_so_when_true_events_are_added() {
    if !graphviz() {
        return;
    }
    // The 2013–2021 handout timeline fitted a slide only just: one more
    // U.S. event in its last years, and it was refused. Now the most
    // crowded rows give way and the caption names what they held.
    // Plausible events, in test data only.
    let events = [
        (
            "eo-13873-2019",
            "Executive Order 13873 on the ICT supply chain",
            "2019-05-15",
        ),
        (
            "clean-network-2020",
            "Clean Network program announced",
            "2020-08-05",
        ),
        (
            "eo-14028-2021",
            "Executive Order 14028 on improving the nation's cybersecurity",
            "2021-05-12",
        ),
    ];
    for added in 1..=events.len() {
        let mut extra = String::from("entities:\n");
        for (id, name, date) in &events[..added] {
            extra.push_str(&format!(
                "  - {{ id: {id}, kind: event, name: \"{name}\", side: united-states, date: {date}, sources: [{{ source: siis-2021, at: \"test data\" }}] }}\n"
            ));
        }
        let data = data_with(&extra);
        let out = tempfile::tempdir().unwrap();
        let draw = |file: &str| {
            let path = out.path().join(file);
            detente()
                .arg("--data")
                .arg(data.path())
                .args(["diagram", "timeline", "--from", "2013", "--to", "2021"])
                .args(["--sources", "handout", "-o"])
                .arg(&path)
                .assert()
                .success();
            std::fs::read(path).unwrap()
        };
        let (w, h) = png_size(&draw("all.png"));
        assert!(w <= 1920 && h <= 1080, "{added} added: {w} × {h}");
        let drawn = common::svg_drawn(&String::from_utf8(draw("all.svg")).unwrap());
        // Each item's label is drawn in the group `n_<id>__l`; all else
        // (title, caption, legend) is read as one text.
        let labels: Vec<&String> = drawn
            .texts
            .iter()
            .filter(|(group, _)| group.ends_with("__l"))
            .map(|(_, text)| text)
            .collect();
        let rest: String = drawn
            .texts
            .iter()
            .filter(|(group, _)| !group.ends_with("__l"))
            .map(|(_, text)| text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let (_, left_out) = rest
            .split_once("Not drawn for want of room (--size poster draws them): ")
            .unwrap_or_else(|| panic!("{added} added: nothing said to be left out: {rest}"));
        // Every item the timeline answers is drawn or named in the
        // caption with its citations, never both.
        let mut args = vec!["--data", data.path().to_str().unwrap()];
        args.extend(
            "timeline --from 2013 --to 2021 --kind mechanism --kind session --kind summit --kind event --format json"
                .split(' '),
        );
        let answer = common::json(&args);
        let mut named = 0;
        for entry in answer["entries"].as_array().unwrap() {
            let Some(label) = entry["entity"]["label"].as_str() else {
                continue;
            };
            let on_it = labels.iter().any(|l| l.starts_with(&format!("{label} [")));
            let in_caption = rest.contains(&format!("{label} ["));
            assert!(
                on_it != in_caption,
                "{added} added: `{label}` drawn: {on_it}, in the caption: {in_caption}"
            );
            named += usize::from(left_out.contains(&format!("{label} [")));
        }
        assert!(named >= 1, "{added} added: {left_out}");
    }
}

#[test]
fn network_draws_parallel_relations_of_one_kind_as_one_line() {
    let Some(layouts) = network_layouts() else {
        return;
    };
    // Biden chaired the Senate Foreign Relations Committee twice: one
    // line whose hover text gives both spells, not two bowed lines whose
    // badges have no room beside their own line.
    let mut checked = 0;
    for (name, g) in layouts {
        let mut seen = std::collections::BTreeSet::new();
        for e in g["edges"].as_array().into_iter().flatten() {
            // A line's tooltip starts `From relation To` for the first
            // relation it draws: two lines alike of one relation type
            // between the same two would start the same.
            let first = e["tooltip"]
                .as_str()
                .unwrap_or_default()
                .split("\\n")
                .next()
                .and_then(|l| l.lines().next())
                .unwrap_or_default()
                .to_string();
            let key = (
                e["tail"].to_string(),
                e["head"].to_string(),
                e["style"].to_string(),
                first,
            );
            assert!(
                seen.insert(key),
                "{name}: a second line alike: {}",
                e["tooltip"]
            );
            checked += 1;
        }
        if name == "network-all" {
            // A line bent round a box is drawn as two legs, the second
            // ending at an entity: count the lines by that leg.
            let objects = g["objects"].as_array().cloned().unwrap_or_default();
            let ends_at_entity =
                |e: &Value| objects[e["head"].as_u64().unwrap() as usize]["id"].is_string();
            let both = g["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| ends_at_entity(e))
                .filter(|e| {
                    e["tooltip"]
                        .as_str()
                        .unwrap_or_default()
                        .matches("Role: chair")
                        .count()
                        == 2
                })
                .count();
            assert_eq!(
                both, 1,
                "{name}: Biden's two spells as SFRC chair on one line"
            );
        }
    }
    assert!(checked >= 20, "{checked} lines checked");
}

/// The badges of a layout as boxes: (name, x0, y0, x1, y1).
fn badge_boxes(g: &Value) -> Vec<Rect> {
    g["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["name"].as_str().unwrap_or_default().starts_with("badge"))
        .map(|o| {
            let pos: Vec<f64> = o["pos"]
                .as_str()
                .unwrap()
                .split(',')
                .map(|v| v.trim_end_matches('!').parse().unwrap())
                .collect();
            let (w, h) = (num(&o["width"]) * 72.0, num(&o["height"]) * 72.0);
            (
                o["name"].as_str().unwrap().to_string(),
                pos[0] - w / 2.0,
                pos[1] - h / 2.0,
                pos[0] + w / 2.0,
                pos[1] + h / 2.0,
            )
        })
        .collect()
}

/// Whether a box and a node's outline share more than a point: a point of
/// the box (on a grid of about a point) inside the outline, or a corner of
/// the outline inside the box.
fn box_meets_outline(r: &Rect, outline: &Outline) -> bool {
    let (x0, y0, x1, y1) = (r.1 + 0.5, r.2 + 0.5, r.3 - 0.5, r.4 - 0.5);
    let steps = |a: f64, b: f64| ((b - a).max(0.0).ceil() as usize).max(1);
    let (nx, ny) = (steps(x0, x1), steps(y0, y1));
    for i in 0..=nx {
        for j in 0..=ny {
            let p = (
                x0 + (x1 - x0) * i as f64 / nx as f64,
                y0 + (y1 - y0) * j as f64 / ny as f64,
            );
            if inside(outline, p) {
                return true;
            }
        }
    }
    match outline {
        Outline::Polygon(pts) => pts
            .iter()
            .any(|p| p.0 > x0 && p.0 < x1 && p.1 > y0 && p.1 < y1),
        Outline::Ellipse(..) => false,
    }
}

/// Badges that overlap another badge, or a node as Graphviz draws it (its
/// real outline: a parallelogram's slant, an ellipse's curve, not its
/// bounding box).
fn badge_overlaps(g: &Value) -> Vec<String> {
    let badges = badge_boxes(g);
    let mut bad = overlaps(&badges);
    let nodes: Vec<(String, Vec<Outline>)> = g["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["id"].is_string() && o["nodes"].is_null())
        .map(|o| (o["name"].as_str().unwrap().to_string(), outlines(o)))
        .collect();
    for b in &badges {
        for (name, outline) in &nodes {
            if outline.iter().any(|o| box_meets_outline(b, o)) {
                bad.push(format!("{} on {name}", b.0));
            }
        }
    }
    bad
}

#[test]
fn network_badges_overlap_no_node_and_no_other_badge() {
    // Every gallery network, the poster too: a badge on a box or on
    // another badge cannot be read, or reads as the box's citation.
    let Some(layouts) = network_layouts() else {
        return;
    };
    assert_none_in(&layouts, badge_overlaps);
    let checked: usize = layouts.iter().map(|(_, g)| badge_boxes(g).len()).sum();
    assert!(checked >= 50, "{checked} badges checked");
}

#[test]
fn badge_overlaps_are_seen_when_there_are_some() {
    if !graphviz() {
        return;
    }
    // The check itself: a badge inside a parallelogram's slanted corner
    // (outside the box its label needs, inside its outline), and two
    // badges on top of each other.
    let dot = br#"digraph { layout=neato; splines=line; inputscale=72;
        p [id="p" shape=parallelogram label="A long initiative name" pos="0,0!"];
        e [id="e" shape=ellipse label="Someone" pos="300,0!"];
        badge1 [shape=plaintext label="[1]" width=0.01 height=0.01 margin="0.02,0.01" pos="-70,0!"];
        badge2 [shape=plaintext label="[2]" width=0.01 height=0.01 margin="0.02,0.01" pos="150,100!"];
        badge3 [shape=plaintext label="[3]" width=0.01 height=0.01 margin="0.02,0.01" pos="152,101!"];
        badge4 [shape=plaintext label="[4]" width=0.01 height=0.01 margin="0.02,0.01" pos="150,-100!"] }"#;
    let bad = badge_overlaps(&layout(dot));
    assert!(bad.contains(&"badge1 on p".to_string()), "{bad:?}");
    assert!(bad.contains(&"badge2 and badge3".to_string()), "{bad:?}");
    assert!(!bad.iter().any(|b| b.contains("badge4")), "{bad:?}");
}

/// What the default network must draw of the bundled data, whatever true
/// data is added: the HLJD and the LECD, the summits that set them up,
/// their rounds, the leaders and both countries, and a government body
/// that takes part; not a think tank and its researchers (ranked first
/// when the network counted relations) or a 1972 naval agreement (which
/// betweenness would favour).
fn assert_default_network_core(ids: &BTreeSet<String>) {
    for id in [
        "hljd",
        "lecd",
        "china",
        "united-states",
        "xi-jinping",
        "guo-shengkun",
        "barack-obama",
        "donald-trump",
        "xi-obama-2015",
        "mar-a-lago-2017",
        "lecd-2017-10",
    ] {
        assert!(ids.contains(id), "{id} is not drawn: {ids:?}");
    }
    let rounds = ids.iter().filter(|i| i.starts_with("hljd-round")).count();
    assert!(rounds >= 2, "{ids:?}");
    assert!(
        ["mps", "dhs", "doj", "state-dept"]
            .iter()
            .any(|b| ids.contains(*b)),
        "no government body is drawn: {ids:?}"
    );
    assert!(ids.len() >= 18, "only {} drawn: {ids:?}", ids.len());
    for id in ["siis", "incsea-1972", "fudan-university"] {
        assert!(!ids.contains(id), "{id} is drawn: {ids:?}");
    }
}

#[test]
fn default_network_draws_the_dialogues_and_their_actors() {
    let dot = String::from_utf8(dot_of(&["network".to_string()])).unwrap();
    let ids = drawn_ids(dot.as_bytes());
    assert_default_network_core(&ids);
    // The caption says how many were chosen, by what, and how to see more.
    assert!(dot.contains(&format!("The {} most central of", ids.len())));
    assert!(dot.contains("closeness on the lines drawn"));
    assert!(dot.contains("--size poster"));
    // Dates of the mechanisms and meetings, not a committee's founding.
    assert!(dot.contains("Dates: 201"), "{dot}");
}

/// `text` (a data file) with `date` given to every entity of one of
/// `kinds` that has none, on the line after its `kind`.
fn date_every(text: &str, kinds: &[&str], date: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some(dash) = line.find("- id: ").filter(|&d| line[..d].trim().is_empty()) else {
            out.push(line.to_string());
            i += 1;
            continue;
        };
        // The entity's own keys, indented two past its dash.
        let indent = format!("{}  ", &line[..dash]);
        let mut end = i + 1;
        while end < lines.len() {
            let l = lines[end];
            let own =
                l.starts_with(&indent) || l.trim().is_empty() || l.trim_start().starts_with('#');
            if !own || l.trim_start().starts_with("- id: ") {
                break;
            }
            end += 1;
        }
        let block = &lines[i..end];
        let key = |k: &str| {
            block.iter().position(|l| {
                l.strip_prefix(indent.as_str())
                    .is_some_and(|r| r.starts_with(k))
            })
        };
        let actor = key("kind:").filter(|&k| {
            let kind = block[k][indent.len() + 5..].trim();
            kinds.contains(&kind)
        });
        for (n, l) in block.iter().enumerate() {
            out.push(l.to_string());
            if Some(n) == actor && key("date:").is_none() {
                out.push(format!("{indent}date: {date}"));
            }
        }
        i = end;
    }
    out.join("\n") + "\n"
}

#[test]
fn default_network_keeps_its_core_when_true_data_is_added() {
    // The perturbations that once shrank the default slide and dropped
    // China from it: dates on actors (a country's founding, a ministry's,
    // a person's years), and more participants in the rounds. Each is
    // true of the world or harmless to the picture's meaning; none may
    // take the dialogues' core out of the default network.
    let dir = tempfile::tempdir().unwrap();
    let mut dated = 0;
    for entry in std::fs::read_dir("data").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap();
        let text = if name == "ontology.yaml" || name == "sources.yaml" {
            text
        } else {
            let out = date_every(
                &text,
                &["agency", "person", "organization", "country"],
                "1901-01-01/..",
            );
            dated += out.matches("date: 1901-01-01/..").count();
            out
        };
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    assert!(dated > 25, "only {dated} actors dated");
    // The heads of DOJ, DHS and the MPS co-chaired the first and third
    // rounds (doj-hljd-2015, peoples-daily-2016-12), so their departments
    // took part in them too.
    let mut extra = String::from("relations:\n");
    for (from, to, source) in [
        ("doj", "hljd-round-1", "doj-hljd-2015"),
        ("dhs", "hljd-round-1", "doj-hljd-2015"),
        ("mps", "hljd-round-1", "doj-hljd-2015"),
        ("doj", "hljd-round-3", "peoples-daily-2016-12"),
        ("dhs", "hljd-round-3", "peoples-daily-2016-12"),
        ("mps", "hljd-round-2", "ecns-2016-06"),
    ] {
        extra.push_str(&format!(
            "  - {{ type: participant_in, from: {from}, to: {to}, sources: [{{ source: {source}, at: \"first paragraph\" }}] }}\n"
        ));
    }
    std::fs::write(dir.path().join("zz-added.yaml"), extra).unwrap();
    common::stdout(detente().arg("--data").arg(dir.path()).arg("check"));
    let dot = common::stdout(
        detente()
            .arg("--data")
            .arg(dir.path())
            .args(["diagram", "network", "--format", "dot"]),
    );
    assert_default_network_core(&drawn_ids(dot.as_bytes()));
}

/// The ids a network of the data at `data` draws with `args` (after
/// `diagram network`, which must succeed), and its DOT.
fn network_of(data: &str, args: &[&str]) -> (BTreeSet<String>, String) {
    let out = detente()
        .args(["--data", data, "diagram", "network", "--format", "dot"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}");
    (
        drawn_ids(&out.stdout),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn ids(of: &[&str]) -> BTreeSet<String> {
    of.iter().map(|s| s.to_string()).collect()
}

#[test]
fn leaving_out_an_entity_whose_line_crosses_a_box_keeps_those_drawn_alone() {
    // tests/fixtures/lone: six countries (the bundled data's, frozen) and
    // the two claims between China and the United States. With --kind
    // country a claim's line runs through a box, so the network leaves out
    // the least central of the three, the Soviet Union. The European
    // Union, Japan and Russia are tied to nothing drawn and never were to
    // the Soviet Union: they stay (once, leaving one entity out took every
    // entity drawn alone with it, and only China and the United States
    // were left).
    let (drawn, dot) = network_of("tests/fixtures/lone/countries.json", &["--kind", "country"]);
    let want = ids(&[
        "china",
        "european-union",
        "japan",
        "russia",
        "united-states",
    ]);
    assert_eq!(drawn, want);
    assert!(dot.contains("Not shown: 1 others"));
}

#[test]
fn network_keeps_the_most_central_joined_up_on_a_frozen_fixture() {
    // Closeness centrality on the lines the default network draws, as
    // networkx computes it for tests/fixtures/cli (`closeness_centrality`
    // on the participation kinds, claims and identifications left out):
    // hljd .367, dhs .340, lecd .340, cac-dhs-liaison .305, xi-obama-2015
    // .300, doj .295, united-states .290, …; grown from the HLJD by the
    // most central entity with a line to one already chosen.
    let (drawn, _) = network_of("tests/fixtures/cli", &["--max-nodes", "6"]);
    let want = ids(&[
        "cac-dhs-liaison",
        "dhs",
        "doj",
        "hljd",
        "lecd",
        "xi-obama-2015",
    ]);
    assert_eq!(drawn, want);
    // Seven: the United States joins through DHS and DOJ.
    let (drawn, _) = network_of("tests/fixtures/cli", &["--max-nodes", "7"]);
    assert!(drawn.contains("united-states"), "{drawn:?}");
}
