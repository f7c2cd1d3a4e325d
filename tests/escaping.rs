//! Escaping that holds: data text reaches every drawn place exactly as
//! written, whatever Graphviz escapes it contains; `--link-base` cannot
//! inject markup, through the binary or the library. Driven through the
//! binary on a generated dataset, and the library's diagram surface.

mod common;

use std::fs;
use std::path::Path;

use common::{detente, output};
use proptest::prelude::*;

/// YAML single-quoted scalar: only `'` needs doubling.
fn sq(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A dataset whose entity name, summary, citation locator and source title
/// are all `s`.
fn dataset(s: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        "tests/fixtures/minimal/ontology.yaml",
        dir.path().join("ontology.yaml"),
    )
    .unwrap();
    fs::write(
        dir.path().join("sources.yaml"),
        format!("- id: doc\n  title: {}\n  date: 2020\n", sq(s)),
    )
    .unwrap();
    fs::write(
        dir.path().join("entities.yaml"),
        format!(
            "- id: old\n  kind: mechanism\n  name: {q}\n  summary: {q}\n  date: 2010/2014\n  sources: [{{ source: doc, at: {q} }}]\n- id: new\n  kind: mechanism\n  name: New\n  date: 2015/..\n  sources: [{{ source: doc, at: p }}]\n  relations:\n    - {{ type: succeeds, to: old, date: 2015, sources: [{{ source: doc, at: p }}] }}\n",
            q = sq(s)
        ),
    )
    .unwrap();
    dir
}

/// Every drawn text and every tooltip of an SVG.
fn texts_and_tooltips(svg: &str) -> (Vec<String>, Vec<String>) {
    let drawn = common::svg_drawn(svg);
    (drawn.all_text(), drawn.tooltips)
}

fn svg_of(dir: &Path) -> String {
    common::stdout(
        detente()
            .arg("--data")
            .arg(dir)
            .args(["diagram", "lineage", "new", "--format", "svg"]),
    )
}

#[test]
fn graphviz_escapes_in_names_are_drawn_as_written_in_labels_tooltips_and_legends() {
    if !common::require("dot", &["-V"], "apt-get install graphviz") {
        return;
    }
    let name = r#"A \N \G \E \T \H \L \n \l \r \\ "q" &amp; <b>"#;
    let dir = dataset(name);
    let svg = svg_of(dir.path());
    let (texts, tips) = texts_and_tooltips(&svg);
    let all_text = texts.join("\n");
    // The node's label (perhaps wrapped) and the source list.
    let squashed: String = all_text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squashed.contains(name), "{squashed}");
    // Every tooltip that names the entity names it exactly.
    let tip = tips
        .iter()
        .find(|t| t.starts_with("A "))
        .expect("the node's tooltip");
    assert!(tip.starts_with(name), "{tip:?}");
    assert!(!tips
        .iter()
        .any(|t| t.contains("detente") && t.starts_with("A n_")));
}

#[test]
fn link_base_cannot_inject_markup_into_the_svg() {
    let lineage = ["diagram", "lineage", "lecd", "--format", "dot"];
    for bad in [
        r#"https://x/"><script>alert(1)</script>"#,
        "javascript:alert(1)//",
        "https://x/a b",
        "https://x/?a=1&b=",
        "file:///etc/",
        "https:///nohost",
    ] {
        let (code, out, err) = output(detente().args(lineage).args(["--link-base", bad]));
        assert_eq!(code, 2, "{bad}");
        assert!(out.is_empty(), "{bad}");
        assert!(err.contains("--link-base"), "{bad}: {err}");
    }
    let out = common::stdout(
        detente()
            .args(lineage)
            .args(["--link-base", "https://example.org/e/"]),
    );
    assert!(out.contains(r#"URL="https://example.org/e/lecd""#), "{out}");
}

/// The check is the library's, not the command line's: a program drawing
/// through `detente::diagram` can only give a link base that
/// `LinkBase::new` accepted, and gets the same refusals.
#[test]
fn link_base_is_checked_by_the_library_not_only_by_the_command_line() {
    use detente::diagram::{LinkBase, LinkBaseError};
    for (bad, why) in [
        ("javascript:alert(1)//", LinkBaseError::NotHttp),
        ("JaVaScRiPt:alert(1)//", LinkBaseError::NotHttp),
        ("data:text/html,<script>", LinkBaseError::NotHttp),
        ("file:///etc/", LinkBaseError::NotHttp),
        ("//example.org/", LinkBaseError::NotHttp),
        ("https:///nohost", LinkBaseError::NoHost),
        (r#"https://x/"><script>"#, LinkBaseError::Character('"')),
        ("https://x/a b", LinkBaseError::Character(' ')),
        ("https://x/?a=1&b=", LinkBaseError::Character('&')),
        ("https://x/<", LinkBaseError::Character('<')),
    ] {
        assert_eq!(LinkBase::new(bad), Err(why.clone()), "{bad}");
        assert_eq!(bad.parse::<LinkBase>(), Err(why), "{bad}");
    }
    let ds = detente::load(&detente::builtin_files()).expect("bundled data is valid");
    let opts = detente::diagram::DiagramOptions {
        link_base: Some(LinkBase::new("https://example.org/e/").unwrap()),
        ..Default::default()
    };
    let lecd = detente::query::LineageOptions::default()
        .validate(&ds, "lecd")
        .unwrap();
    let scene = detente::diagram::lineage(&ds, &lecd, &opts).unwrap();
    let scene = detente::diagram::Scene::Graph(scene);
    let dot = detente::diagram::to_dot(&scene);
    assert!(dot.contains(r#"URL="https://example.org/e/lecd""#), "{dot}");
    let mermaid = detente::diagram::to_mermaid(&scene);
    assert!(
        mermaid.contains(r#"href "https://example.org/e/lecd""#),
        "{mermaid}"
    );
}

fn hostile() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\\N".to_string()),
        Just("\\G".to_string()),
        Just("\\E".to_string()),
        Just("\\L".to_string()),
        Just("\\l".to_string()),
        Just("\\n".to_string()),
        Just("\\\\".to_string()),
        Just("<b>".to_string()),
        Just("&amp;".to_string()),
        Just("&".to_string()),
        Just("'".to_string()),
        Just("]; x [label=\"pwned\"".to_string()),
        Just("中美".to_string()),
        "[a-zA-Z0-9]{1,6}",
    ];
    prop::collection::vec(token, 1..4).prop_map(|v| format!("A {}", v.join(" ")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn hostile_names_summaries_locators_and_titles_come_out_of_svg_exactly(s in hostile()) {
        if !common::require("dot", &["-V"], "apt-get install graphviz") {
            return Ok(());
        }
        let dir = dataset(&s);
        let svg = svg_of(dir.path());
        let (texts, tips) = texts_and_tooltips(&svg);
        let squashed: String = texts.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        let want: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert!(squashed.contains(&want), "{:?} not in {:?}", want, squashed);
        let tip = tips.iter().find(|t| t.starts_with("A ")).cloned().unwrap_or_default();
        prop_assert!(tip.starts_with(&s), "{:?} vs {:?}", tip, s);
        // The summary rides in the tooltip too.
        prop_assert!(tip.contains(&format!("\n{s}")), "{:?}", tip);
        prop_assert!(!svg.contains("<title>x</title>"));
    }
}
