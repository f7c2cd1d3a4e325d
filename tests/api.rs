//! The library's public surface stays small: `lib.rs` made every module
//! public (about 600 items, petgraph types among them).

use std::path::Path;

/// Only the curated facades are public modules; everything else is
/// re-exported item by item, so a module can change shape freely.
#[test]
fn lib_rs_makes_only_the_curated_modules_public() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let public_modules: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches([';', '{', ' ']))
        .collect();
    assert_eq!(public_modules, ["query", "diagram"]);
    // No type of a dependency is named in the re-exports.
    for dep in ["petgraph", "clap", "miette", "serde_saphyr", "rustworkx"] {
        assert!(
            !lib.lines()
                .filter(|l| l.trim_start().starts_with("pub use"))
                .any(|l| l.contains(dep)),
            "{dep} in the API"
        );
    }
}

/// The whole journey through the curated surface only: load, query, draw.
#[test]
fn load_query_and_draw_through_the_root_re_exports() {
    let ds = detente::load(&detente::builtin_files()).expect("bundled data is valid");
    let lineage = detente::query::lineage(&ds, "lecd").unwrap();
    assert!(lineage.links.iter().any(|l| l.entity.id == "hljd"));
    let settings = detente::query::TimelineOptions {
        about: Some("lecd".into()),
        ..Default::default()
    }
    .validate(&ds)
    .unwrap();
    let scene = detente::diagram::timeline(&ds, &settings, &Default::default()).unwrap();
    let mermaid = detente::diagram::to_mermaid(&detente::diagram::Scene::Timeline(scene));
    assert!(!mermaid.is_empty());
    assert_eq!(detente::fold("國際"), "国际");
}
