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
    std::fs::read_to_string("docs/gallery/views.txt")
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.split('|');
            let name = parts.next().unwrap().trim().to_string();
            let args = parts
                .next()
                .unwrap()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            (name, args)
        })
        .collect()
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
    if !graphviz() {
        return;
    }
    for (name, args) in views() {
        if args.iter().any(|a| a == "poster") {
            continue;
        }
        let g = layout(&dot_of(&args));
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
        assert!(BODY_PT * fit.dpi / 72.0 >= MIN_TEXT_PX - 0.6, "{name}");
        let bad = overlaps(&boxes(&g));
        assert!(bad.is_empty(), "{name}: overlapping: {bad:?}");
    }
}

#[test]
fn committed_gallery_pngs_fit_a_slide() {
    for (name, args) in views() {
        let png = Path::new("docs/gallery").join(format!("{name}.png"));
        let Ok(bytes) = std::fs::read(&png) else {
            continue;
        };
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
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
            let bytes = std::fs::read(dir.path().join(file)).unwrap();
            let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
            let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
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
    // The same picture on a poster is drawn, and quickly: straight lines.
    let start = std::time::Instant::now();
    detente()
        .args(["diagram", "network", "--size", "poster", "-o"])
        .arg(dir.path().join("all.svg"))
        .assert()
        .success();
    // Generous for a loaded machine; the full network took over a minute
    // when Graphviz routed curves.
    assert!(start.elapsed().as_secs() < 30);
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
    assert!(String::from_utf8_lossy(&dot).contains("Undated: may or may not have existed"));
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
