//! The library's public surface stays small: `lib.rs` made every module
//! public (about 600 items, petgraph types among them), and a public field
//! can leak a dependency's type even when every module is private. So the
//! check reads what `cargo doc` generates, which is what a user sees.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates whose types may appear in the documented API outside the
/// blanket implementations every type gets: the standard library, and serde
/// (answers are serialisable by design). Primitive types are the standard
/// library's too: `detente::Text` reads as a `str`, so its page lists the
/// methods of `str` (rustdoc titles them `method str::find`, naming the
/// primitive where a crate would be).
const ALLOWED_CRATES: &[&str] = &[
    "detente",
    "core",
    "alloc",
    "std",
    "serde",
    "serde_core",
    "str",
    "char",
    "u8",
];

/// Builds the library's documentation as `.ci/run` does and returns its
/// directory. The flags match CI's `cargo doc` step, so that step reuses it.
fn rustdoc() -> PathBuf {
    // Integration tests get `CARGO_TARGET_TMPDIR` = TARGET/tmp.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "doc",
            "--locked",
            "--no-deps",
            "--lib",
            "--quiet",
            "--target-dir",
        ])
        .arg(target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo doc failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target.join("doc/detente")
}

/// Every item rustdoc's "All items" page lists, as `kind path`
/// (`struct query::Search`), sorted.
fn documented_items(doc: &Path) -> BTreeSet<String> {
    let html = std::fs::read_to_string(doc.join("all.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    let link = scraper::Selector::parse("ul.all-items li a").unwrap();
    page.select(&link)
        .map(|a| {
            let href = a.value().attr("href").unwrap();
            let file = href.rsplit('/').next().unwrap();
            let kind = file.split('.').next().unwrap();
            format!("{kind} {}", a.text().collect::<String>())
        })
        .collect()
}

/// Every type, trait or function of another crate that a documented page
/// names outside its auto-trait and blanket implementations (which every
/// type gets and no one chose), as `page: kind path`.
fn foreign_names(doc: &Path) -> Vec<String> {
    let main = scraper::Selector::parse("#main-content [title]").unwrap();
    let mut found = Vec::new();
    let mut pages = vec![doc.to_path_buf()];
    while let Some(dir) = pages.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pages.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let page = scraper::Html::parse_document(&std::fs::read_to_string(&path).unwrap());
            for el in page.select(&main) {
                let in_blanket = el.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .and_then(|e| e.id())
                        .is_some_and(|id| {
                            id == "synthetic-implementations-list"
                                || id == "blanket-implementations-list"
                        })
                });
                let title = el.value().attr("title").unwrap();
                // Links to items carry `title="struct crate::path::Name"`
                // (or `associated function crate::…`).
                let Some((kind, item)) = title.rsplit_once(' ') else {
                    continue;
                };
                let Some((krate, _)) = item.split_once("::") else {
                    continue;
                };
                if !in_blanket && !ALLOWED_CRATES.contains(&krate) {
                    let page = path.strip_prefix(doc).unwrap().display();
                    found.push(format!("{page}: {kind} {item}"));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// `cargo doc` of the library shows the curated surface and nothing else:
/// the items in `tests/api-surface.txt`, and no type of petgraph, clap,
/// miette or any other dependency but serde. A public field of type
/// `petgraph::graph::EdgeIndex` on `Link` slipped through a check of
/// `lib.rs` alone. To accept an intended change of the surface:
/// `UPDATE_API=1 cargo test --test api`.
#[test]
fn rustdoc_shows_only_the_curated_surface() {
    let doc = rustdoc();
    let frozen_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api-surface.txt");
    let items = documented_items(&doc);
    if std::env::var_os("UPDATE_API").is_some() {
        let text: String = items.iter().map(|i| format!("{i}\n")).collect();
        std::fs::write(&frozen_path, text).unwrap();
    }
    let frozen: BTreeSet<String> = std::fs::read_to_string(&frozen_path)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let extra: Vec<_> = items.difference(&frozen).collect();
    let missing: Vec<_> = frozen.difference(&items).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "the documented API changed; if that is intended, run UPDATE_API=1 cargo test --test api\n\
         new: {extra:#?}\ngone: {missing:#?}"
    );
    // Only the curated facades are modules.
    let modules: BTreeSet<&str> = items
        .iter()
        .filter_map(|i| i.split_once(' ')?.1.rsplit_once("::"))
        .map(|(m, _)| m)
        .collect();
    assert_eq!(modules, BTreeSet::from(["diagram", "query"]));
    let foreign = foreign_names(&doc);
    assert!(
        foreign.is_empty(),
        "dependencies' types in the API: {foreign:#?}"
    );
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
