//! Diagrams as a user meets them: hostile labels survive Graphviz intact,
//! files are written whole or not at all, and a missing Graphviz is
//! explained.

mod common;

use std::process::Command;

use detente::diagram::{
    to_dot, to_mermaid, GraphScene, KindKey, Legend, Outline, Placement, Scene, SceneEdge,
    SceneNode, SourceEntry,
};
use proptest::prelude::*;

fn scene(label: &str) -> Scene {
    Scene::Graph(GraphScene {
        placement: Placement::Dot,
        bands: Vec::new(),
        title: label.into(),
        caption: vec![label.into()],
        rankdir: "LR",
        nodes: ["a", "b"]
            .iter()
            .map(|id| SceneNode {
                id: id.to_string(),
                label: label.into(),
                shape: "box".into(),
                outline: Outline::Plain,
                fill: "#ffffff".into(),
                border: "#000000".into(),
                dashed: false,
                focus: false,
                tooltip: label.into(),
                cites: Vec::new(),
                url: None,
                pos: None,
                group: None,
            })
            .collect(),
        edges: vec![SceneEdge {
            from: "a".into(),
            to: "b".into(),
            label: label.into(),
            style: "solid".into(),
            color: "#000000".into(),
            tooltip: label.into(),
            cites: Vec::new(),
            badge_at: None,
            via: Vec::new(),
        }],
        legend: Legend {
            kinds: vec![KindKey {
                label: label.into(),
                fill: "#ffffff".into(),
                forms: vec![("box".into(), Outline::Plain)],
            }],
            width: 1200.0,
            ..Legend::default()
        },
        sources: vec![SourceEntry {
            n: 1,
            short: label.into(),
            reference: label.into(),
            locators: vec![label.into()],
        }],
        list_sources: true,
    })
}

/// The text lines Graphviz drew for node `id` in an SVG.
fn node_text(svg: &str, id: &str) -> Vec<String> {
    common::svg_drawn(svg).texts_of(id)
}

/// Text a hostile user might put in a name: quotes, backslashes and
/// Graphviz's own escapes, HTML and XML specials, braces, CJK, emoji.
fn hostile() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\\N".to_string()),
        Just("\\G".to_string()),
        Just("\\l".to_string()),
        Just("\\n".to_string()),
        Just("<b>".to_string()),
        Just("&amp;".to_string()),
        Just("&".to_string()),
        Just("]; x [label=\"pwned\"".to_string()),
        Just("{|}".to_string()),
        Just("'".to_string()),
        Just("中美执法".to_string()),
        Just("Café".to_string()),
        Just("%%".to_string()),
        "[a-zA-Z0-9]{1,6}",
    ];
    prop::collection::vec(token, 1..6).prop_map(|v| v.join(" "))
}

fn dot_svg(source: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` is needed for this test (apt-get install graphviz)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "dot refused:\n{source}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn hostile_labels_reach_the_drawing_unchanged(label in hostile()) {
        let svg = dot_svg(&to_dot(&scene(&label)));
        prop_assert_eq!(node_text(&svg, "n_a"), vec![label.clone()]);
        // Nothing escaped its quotes to become a node of its own.
        prop_assert!(!svg.contains("<title>x</title>"));
        // And Mermaid output keeps the label inside its quotes.
        let mm = to_mermaid(&scene(&label));
        for line in mm.lines().filter(|l| l.trim_start().starts_with("n_a[")) {
            prop_assert_eq!(line.matches('"').count(), 2, "{}", line);
        }
    }
}

#[test]
fn multi_line_labels_keep_their_lines() {
    let svg = dot_svg(&to_dot(&scene("first line\nsecond \"line\"")));
    assert_eq!(node_text(&svg, "n_a"), ["first line", "second \"line\""]);
}

fn detente() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("detente").unwrap();
    c.env_remove("DETENTE_DATA");
    c
}

#[test]
fn formats_follow_the_file_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (ext, magic) in [
        ("svg", &b"<?xml"[..]),
        ("png", &b"\x89PNG"[..]),
        ("pdf", &b"%PDF"[..]),
        ("dot", &b"digraph"[..]),
        ("mmd", &b"---"[..]),
        ("md", &b"## "[..]),
    ] {
        let file = dir.path().join(format!("l.{ext}"));
        detente()
            .args(["diagram", "lineage", "lecd", "-o"])
            .arg(&file)
            .assert()
            .success();
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            bytes.starts_with(magic),
            "{ext}: {:?}",
            &bytes[..8.min(bytes.len())]
        );
    }
}

#[test]
fn a_missing_graphviz_is_explained_and_text_formats_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.svg");
    detente()
        .env("PATH", "/nonexistent")
        .args(["diagram", "timeline", "-o"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("needs Graphviz's `dot` program"))
        .stderr(predicates::str::contains("apt-get install graphviz"))
        .stderr(predicates::str::contains(
            "`--format dot` or `--format mermaid`",
        ));
    assert!(!file.exists(), "nothing half-written");
    detente()
        .env("PATH", "/nonexistent")
        .args(["diagram", "timeline", "--format", "mermaid"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("timeline\n"));
}

#[test]
fn bad_requests_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    detente()
        .args(["diagram", "lineage", "lecd", "-o"])
        .arg(dir.path().join("x.jpeg"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot tell the format from"));
    detente()
        .args(["diagram", "lineage", "lecd", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "[possible values: dot, svg, png, pdf, mermaid]",
        ));
    detente()
        .args(["show", "lecd", "--format", "svg"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("[possible values: text, json]"));
    detente()
        .args(["diagram", "lineage", "lecdd"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("did you mean `lecd`"));
    let missing = dir.path().join("no/such/dir/x.svg");
    detente()
        .args(["diagram", "lineage", "lecd", "-o"])
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot write"));
}

#[test]
fn proposals_and_claims_are_drawn_differently() {
    let out = detente()
        .args([
            "diagram", "network", "--kind", "proposal", "--kind", "document", "--kind", "agency",
        ])
        .output()
        .unwrap();
    let dot = String::from_utf8(out.stdout).unwrap();
    let liaison = dot
        .lines()
        .find(|l| l.contains("n_cac_h_dhs_h_liaison["))
        .unwrap();
    assert!(
        liaison.contains("filled,dashed") && liaison.contains("(proposed)"),
        "{liaison}"
    );
    // The line's last leg (a line bent round a box is drawn in legs).
    let proposes = dot
        .lines()
        .find(|l| {
            l.contains("-> n_cac_h_dhs_h_liaison")
                && l.contains("SIIS report (2021) proposes CAC–DHS liaison mechanism")
        })
        .unwrap();
    assert!(proposes.contains("style=\"dashed\""), "{proposes}");
}

/// A network whose sides each hold one entity, with a line from the first
/// band to the third through the middle one, once made the layout search
/// shake for ever: with no two slots to swap it spent none of its budget.
#[test]
fn network_with_one_entity_per_side_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli");
    for f in ["ontology.yaml", "sources.yaml"] {
        std::fs::copy(fixture.join(f), dir.path().join(f)).unwrap();
    }
    let src = r#"{ source: siis-2021, at: "title" }"#;
    std::fs::write(
        dir.path().join("x.yaml"),
        format!(
            "- {{ id: a, kind: agency, name: Agency A, side: china, sources: [{src}], relations: [\
             {{ type: associated_with, to: b, sources: [{src}] }}, \
             {{ type: participant_in, to: m, sources: [{src}] }}] }}\n\
             - {{ id: b, kind: agency, name: Agency B, side: united-states, sources: [{src}] }}\n\
             - {{ id: m, kind: mechanism, name: A dialogue, side: bilateral, sources: [{src}] }}\n"
        ),
    )
    .unwrap();
    detente()
        .arg("--data")
        .arg(dir.path())
        .args(["diagram", "network", "--format", "dot"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success()
        .stdout(predicates::str::contains("Agency B"));
}

/// The network once merged parallel lines by how they look: two relations
/// of different types that the ontology draws alike (a person who leads a
/// summit and takes part in it: both solid grey) became one line, and a
/// reader lost one of them. One line per relation type and direction;
/// two relations of one type between the same two are still one line.
#[test]
fn network_merges_parallel_lines_by_relation_type_not_by_look() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli");
    for f in ["ontology.yaml", "sources.yaml"] {
        std::fs::copy(fixture.join(f), dir.path().join(f)).unwrap();
    }
    let src = r#"{ source: siis-2021, at: "title" }"#;
    let other = r#"{ source: laskai-2017, at: "paragraph 1" }"#;
    std::fs::write(
        dir.path().join("x.yaml"),
        format!(
            "- {{ id: p, kind: person, name: A Leader, side: china, sources: [{src}], relations: [\
             {{ type: leads, to: s, sources: [{src}] }}, \
             {{ type: participant_in, to: s, date: 2015, sources: [{src}] }}, \
             {{ type: participant_in, to: s, date: 2016, sources: [{other}] }}] }}\n\
             - {{ id: s, kind: summit, name: A Summit, side: bilateral, date: 2015, sources: [{src}] }}\n"
        ),
    )
    .unwrap();
    let out = detente()
        .arg("--data")
        .arg(dir.path())
        .args(["diagram", "network", "--format", "dot"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dot = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = dot.lines().filter(|l| l.contains("n_p -> n_s")).collect();
    assert_eq!(lines.len(), 2, "one line per relation type: {lines:?}");
    let leads = lines.iter().filter(|l| l.contains("leads")).count();
    assert_eq!(leads, 1, "{lines:?}");
    // The two spells of taking part are one line citing both documents.
    let part = lines
        .iter()
        .find(|l| l.contains("participant in"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(part.matches("participant in").count(), 2, "{part}");
}

/// A slide timeline drawn again because it was too large (`squeeze` 1)
/// leaves out the bars that run the whole width of the window asked for,
/// and names them in its caption with their citation numbers: the 1972
/// INCSEA agreement runs through 2013–2021, the HLJD (2015–2017) does not.
#[test]
fn a_squeezed_timeline_names_what_runs_through_it_instead_of_drawing_it() {
    let files = detente::read_dir(std::path::Path::new("data")).unwrap();
    let ds = detente::load(&files).unwrap_or_else(|p| panic!("{p:?}"));
    let settings = detente::query::TimelineOptions {
        from: Some(detente::Date::parse("2013").unwrap()),
        to: Some(detente::Date::parse("2021").unwrap()),
        ..Default::default()
    }
    .validate(&ds)
    .unwrap();
    let draw = |squeeze: u8| {
        let opts = detente::diagram::DiagramOptions {
            squeeze,
            ..Default::default()
        };
        detente::diagram::timeline(&ds, &settings, &opts).unwrap()
    };
    let drawn =
        |t: &detente::diagram::TimelineScene, label: &str| t.items.iter().any(|i| i.label == label);
    let first = draw(0);
    assert!(drawn(&first, "INCSEA 1972") && drawn(&first, "HLJD"));
    assert!(!first.caption.iter().any(|c| c.contains("Under way before")));
    let again = draw(1);
    assert!(!drawn(&again, "INCSEA 1972") && drawn(&again, "HLJD"));
    let line = again
        .caption
        .iter()
        .find(|c| c.starts_with("Under way before 2013 and perhaps after 2021, not drawn:"))
        .unwrap_or_else(|| panic!("{:?}", again.caption));
    assert!(
        line.contains("INCSEA 1972 [") && line.contains("--size poster"),
        "{line}"
    );
    // The numbers in the caption are in the list under the drawing.
    let listed = again.sources.len();
    for n in line
        .split(['[', ']', ','])
        .filter_map(|w| w.trim().parse::<usize>().ok())
    {
        assert!((1..=listed).contains(&n), "{n} of {listed}: {line}");
    }
}
