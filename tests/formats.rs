//! Every text format, read back with a real parser for its language.
//!
//! Property tests: any text used as a name, short name, summary, place,
//! locator, title, author, relation summary or kind label comes out of
//! every format (DOT, Mermaid, GraphML, GEXF, Turtle, CSV, JSON, the
//! website, TimelineJS, CSL-JSON, BibTeX, Neo4j) exactly as it went in, from the field it
//! was written to, without breaking the file; and any generated dataset
//! the loader accepts survives JSON export and reload unchanged. DOT as
//! Graphviz draws it is checked in tests/escaping.rs.
//!
//! And the fuzz corpus, replayed on stable Rust: every file under
//! `fuzz/corpus/<target>/` (what the fuzzers kept) and
//! `tests/fixtures/fuzz/<target>/` (every crash they found, kept as a
//! regression) goes through the same check its fuzz target runs, compiled
//! from the same file (`fuzz/src/lib.rs`). So CI runs what the fuzzers
//! found without nightly or libFuzzer; docs/fuzzing.md says how to fuzz.

// Not every check is used by every test here.
#[allow(dead_code, unused_imports)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::json;

/// The files of `dir`, sorted; none if it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.map(|e| e.expect("a directory entry").path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_fuzz_corpus_file_and_past_crash_passes_its_targets_checks() {
    let mut failures = Vec::new();
    for (target, check) in fuzz_checks::TARGETS {
        let corpus = files(&Path::new("fuzz/corpus").join(target));
        assert!(!corpus.is_empty(), "fuzz/corpus/{target} has no seeds");
        let crashes = files(&Path::new("tests/fixtures/fuzz").join(target));
        for path in corpus.iter().chain(&crashes) {
            let bytes = fs::read(path).expect("readable");
            if catch_unwind(AssertUnwindSafe(|| check(&bytes))).is_err() {
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "failed their target's check: {failures:#?}"
    );
}

#[test]
fn every_fuzz_target_has_its_file_its_binary_and_its_corpus() {
    let manifest = fs::read_to_string("fuzz/Cargo.toml").expect("fuzz/Cargo.toml");
    let mut names: Vec<&str> = fuzz_checks::TARGETS.iter().map(|(n, _)| *n).collect();
    for name in &names {
        let file = format!("fuzz_targets/{name}.rs");
        let source = fs::read_to_string(Path::new("fuzz").join(&file)).expect(&file);
        assert!(
            source.contains(&format!("detente_fuzz::{name}(data)")),
            "{file} does not run its check"
        );
        assert!(
            manifest.contains(&format!("name = \"{name}\"\npath = \"{file}\"")),
            "fuzz/Cargo.toml has no [[bin]] for {name}"
        );
    }
    // And nothing in fuzz_targets/ that is not listed.
    let mut on_disk: Vec<String> = files(Path::new("fuzz/fuzz_targets"))
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    names.sort();
    assert_eq!(on_disk, names);
}

/// Text a hostile or careless user might write: markup and quotes of every
/// output language, Graphviz's and Mermaid's escapes, CSV and Turtle
/// specials, line breaks and tabs, characters XML cannot carry, wide and
/// right-to-left scripts, emoji, and lone punctuation.
fn hostile() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just("\\N".to_string()),
        Just("\\G".to_string()),
        Just("\\E".to_string()),
        Just("\\L".to_string()),
        Just("\\n".to_string()),
        Just("\\\\".to_string()),
        Just("<script>x</script>".to_string()),
        Just("<br/>".to_string()),
        Just("&amp;".to_string()),
        Just("&".to_string()),
        Just("#quot;".to_string()),
        Just("#35;".to_string()),
        Just("]; x [label=\"pwned\"".to_string()),
        Just("{{ 7*7 }}".to_string()),
        Just(", \"a\"\"b\",".to_string()),
        Just("\"\"\" .\n<x> a <y> .".to_string()),
        Just("]]>".to_string()),
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just("\r\n".to_string()),
        Just("\u{ffff}".to_string()),
        Just("\u{fffe}".to_string()),
        Just("\u{2028}".to_string()),
        Just("\u{feff}".to_string()),
        Just("中美".to_string()),
        Just("حوار".to_string()),
        Just("🙂".to_string()),
        Just("=SUM(A1)".to_string()),
        Just("%%{init}%%".to_string()),
        "[a-zA-Z0-9]{1,6}",
        any::<String>(),
    ];
    prop::collection::vec(token, 1..5).prop_map(|v| v.join(" "))
}

/// Nine hostile texts, as the writer targets read them from bytes.
fn nine_texts() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(hostile(), 9).prop_map(|v| v.join("\0").into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn hostile_texts_come_out_of_every_text_format_exactly(bytes in nine_texts()) {
        for (target, check) in fuzz_checks::TARGETS {
            if target.starts_with("write_") {
                check(&bytes);
            }
        }
    }
}

// ------------------------------------------------- generated datasets

/// A text the loader accepts.
fn clean_text() -> impl Strategy<Value = String> {
    hostile().prop_map(|s| {
        let s = fuzz_checks::clean(&s);
        if s.is_empty() {
            "x".to_string()
        } else {
            s
        }
    })
}

/// A valid dataset in the one-file JSON form: a handful of entities of
/// each kind, optional fields present or not, dates from across the EDTF
/// the loader reads, hostile texts everywhere, and a relation of the type
/// the ontology allows between any two entities whose kinds allow one.
fn dataset_json() -> impl Strategy<Value = String> {
    let date = prop_oneof![
        Just(None),
        Just(Some("2015")),
        Just(Some("2015-09")),
        Just(Some("2015-09-25")),
        Just(Some("2010/2014")),
        Just(Some("2015/..")),
        Just(Some("2017~")),
        Just(Some("2017-04?/2018")),
    ];
    let text = prop_oneof![Just(None), clean_text().prop_map(Some)];
    let entity = (
        prop_oneof![Just("mechanism"), Just("summit"), Just("person")],
        clean_text(),
        (text.clone(), text.clone(), text.clone()),
        date.clone(),
        prop_oneof![Just(None), Just(Some("east")), Just(Some("west"))],
        prop_oneof![Just(None), Just(Some("proposed"))],
        prop::collection::vec(clean_text(), 0..2),
        clean_text(),
    );
    let relation = (0usize..6, 0usize..6, date, text);
    (
        prop::collection::vec(entity, 1..6),
        prop::collection::vec(relation, 0..6),
        clean_text(),
    )
        .prop_map(|(entities, relations, title)| {
            let n = entities.len();
            let id = |i: usize| format!("e{i}");
            let kinds: Vec<&str> = entities.iter().map(|e| e.0).collect();
            let mut out_entities = Vec::new();
            for (i, (kind, name, (short, summary, place), date, side, status, aliases, at)) in
                entities.into_iter().enumerate()
            {
                let mut e = json!({
                    "id": id(i), "kind": kind, "name": name,
                    "sources": [{ "source": "doc", "at": at }],
                });
                let o = e.as_object_mut().unwrap();
                for (k, v) in [("short", short), ("summary", summary), ("place", place)] {
                    if let Some(v) = v {
                        o.insert(k.into(), json!(v));
                    }
                }
                for (k, v) in [("date", date), ("side", side), ("status", status)] {
                    if let Some(v) = v {
                        o.insert(k.into(), json!(v));
                    }
                }
                if !aliases.is_empty() {
                    o.insert("aliases".into(), json!(aliases));
                }
                out_entities.push(e);
            }
            let mut seen = std::collections::BTreeSet::new();
            let out_relations: Vec<_> = relations
                .into_iter()
                .filter_map(|(a, b, date, summary)| {
                    let (a, b) = (a % n, b % n);
                    let kind = match (kinds[a], kinds[b]) {
                        _ if a == b => return None,
                        ("mechanism", "mechanism") => "succeeds",
                        ("mechanism", "summit") => "established_at",
                        ("person", _) => "claims",
                        _ => return None,
                    };
                    // One relation of a type between two entities, and no
                    // lineage cycle: succession only runs to a lower id.
                    if (kind == "succeeds" && b > a) || !seen.insert((a, b)) {
                        return None;
                    }
                    let mut r = json!({
                        "type": kind, "from": id(a), "to": id(b),
                        "sources": [{ "source": "doc", "at": "p. 1" }],
                    });
                    let o = r.as_object_mut().unwrap();
                    if let Some(d) = date {
                        o.insert("date".into(), json!(d));
                    }
                    if let Some(s) = summary {
                        o.insert("summary".into(), json!(s));
                    }
                    Some(r)
                })
                .collect();
            json!({
                "ontology": {
                    "kinds": {
                        "mechanism": { "label": "Mechanism", "timeline": true },
                        "summit": { "label": "Summit" },
                        "person": { "label": "Person" },
                    },
                    "relations": {
                        "succeeds": { "inverse": "succeeded by", "from": ["mechanism"], "to": ["mechanism"], "lineage": true },
                        "established_at": { "inverse": "established", "from": ["mechanism"], "to": ["summit"] },
                        "claims": { "inverse": "claimed by", "from": ["person"], "to": "*" },
                    },
                    "sides": { "east": { "label": "East" }, "west": { "label": "West" } },
                    "statuses": { "proposed": { "label": "Proposed", "hypothetical": true } },
                },
                "sources": [{ "id": "doc", "title": title, "date": "2020" }],
                "entities": out_entities,
                "relations": out_relations,
            })
            .to_string()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_dataset_the_loader_accepts_survives_json_export_and_reload(doc in dataset_json()) {
        let ds = detente::load(&[detente::SourceFile::dataset_json("gen.json", doc.clone())]);
        let ds = match ds {
            Ok(ds) => ds,
            Err(problems) => {
                let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                return Err(TestCaseError::fail(format!("refused: {shown:#?}\n{doc}")));
            }
        };
        // The same check the loader fuzz targets run: the JSON export
        // loads back and exports to the same bytes.
        fuzz_checks::check_json_round_trip(&ds);
    }
}

/// Found by `any_dataset_the_loader_accepts_survives_json_export_and_reload`:
/// a name holding U+FFFF, written as `\uFFFF` in YAML, loaded; the JSON
/// export then carried it raw, and the loader (which reads JSON as YAML)
/// refused its own export. Neither YAML nor XML can carry U+FFFE or U+FFFF,
/// so the loader refuses them in text, as it does control characters.
#[test]
fn a_noncharacter_in_a_text_is_refused_so_every_export_loads_back() {
    for c in ["\\uFFFF", "\\uFFFE"] {
        let files = vec![
            detente::SourceFile::new("d/ontology.yaml", include_str!("fixtures/minimal/ontology.yaml")),
            detente::SourceFile::new("d/sources.yaml", include_str!("fixtures/minimal/sources.yaml")),
            detente::SourceFile::new(
                "d/entities.yaml",
                format!("- id: a\n  kind: mechanism\n  name: \"A {c} B\"\n  sources: [{{ source: doc, at: p }}]\n"),
            ),
        ];
        let problems = detente::load(&files).expect_err(c);
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown.len(), 1, "{shown:#?}");
        assert!(
            shown[0].starts_with("d/entities.yaml:3:9: `name` contains"),
            "{shown:#?}"
        );
        assert!(shown[0].contains(&format!("U+{}", &c[2..])), "{shown:#?}");
    }
}
