//! What every fuzz target checks, one function per target. The targets in
//! `fuzz_targets/` only hand libFuzzer's bytes to these; the stable test
//! `tests/fuzz_corpus.rs` compiles this same file and runs every file of
//! the committed corpus (`fuzz/corpus/<target>/`) through the same
//! function, so CI replays what the fuzzers found without nightly.
//!
//! A check fails by panicking, as libFuzzer expects: a panic in detente,
//! or an output that does not parse back, or parses back without the text
//! that went in.

use detente::{load, render_diagnostics, Dataset, Diagnostic, SourceFile};

/// The vocabulary and sources of the small fixture every target starts from.
const ONTOLOGY: &str = include_str!("../../tests/fixtures/minimal/ontology.yaml");
const SOURCES: &str = include_str!("../../tests/fixtures/minimal/sources.yaml");
const ENTITIES: &str = include_str!("../../tests/fixtures/minimal/entities.yaml");

/// A target's check: panics when a promise is broken.
pub type Check = fn(&[u8]);

/// Every fuzz target, by name: the name of its corpus directory and of its
/// file in `fuzz_targets/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("loader_data", loader_data),
    ("loader_ontology", loader_ontology),
    ("write_dot", write_dot),
    ("write_mermaid", write_mermaid),
    ("write_graphml", write_graphml),
    ("write_gexf", write_gexf),
    ("write_turtle", write_turtle),
    ("write_csv", write_csv),
    ("write_json", write_json),
    ("write_site", write_site),
    ("write_timelinejs", write_timelinejs),
    ("write_csljson", write_csljson),
    ("write_bibtex", write_bibtex),
    ("write_neo4j", write_neo4j),
];

mod writers;
pub use writers::{
    clean, write_bibtex, write_csljson, write_csv, write_dot, write_gexf, write_graphml,
    write_json, write_mermaid, write_neo4j, write_site, write_timelinejs, write_turtle, Texts,
};

/// Arbitrary bytes as a data file of entities beside a valid ontology and
/// sources; and, when they look like JSON, as a whole dataset in one JSON
/// file. Loading never panics; a refusal has problems, each at a real
/// place, which draw as text; what loads survives JSON export and reload.
pub fn loader_data(bytes: &[u8]) {
    let files = vec![
        SourceFile::new("d/ontology.yaml", ONTOLOGY),
        SourceFile::new("d/sources.yaml", SOURCES),
        SourceFile::from_bytes("d/entities.yaml", bytes.to_vec()),
    ];
    check_load(&files);
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        let text = String::from_utf8_lossy(bytes).into_owned();
        check_load(&[SourceFile::dataset_json("d/detente.json", text)]);
    }
}

/// Arbitrary bytes as the ontology, beside the fixture's sources and
/// entities: the same promises as [`loader_data`].
pub fn loader_ontology(bytes: &[u8]) {
    let files = vec![
        SourceFile::from_bytes("d/ontology.yaml", bytes.to_vec()),
        SourceFile::new("d/sources.yaml", SOURCES),
        SourceFile::new("d/entities.yaml", ENTITIES),
    ];
    check_load(&files);
}

/// Loads `files`; checks the problems of a refusal, or the JSON round trip
/// of a success.
fn check_load(files: &[SourceFile]) {
    match load(files) {
        Ok(ds) => {
            check_json_round_trip(&ds);
            writers::check_diagrams(&ds);
        }
        Err(problems) => check_problems(files, &problems),
    }
}

/// Every problem is in one of the files, at a line and column inside it
/// (a column may point just past the end of its line, a line just past
/// the last), and the whole report draws as text, with its count.
fn check_problems(files: &[SourceFile], problems: &[Diagnostic]) {
    assert!(!problems.is_empty(), "a refusal without a problem");
    for d in problems {
        let file = files
            .iter()
            .find(|f| f.path == d.place.file)
            .unwrap_or_else(|| panic!("{d}: not one of the files loaded"));
        assert!(d.place.line >= 1 && d.place.column >= 1, "{d}");
        // Lines as YAML counts them: a line feed, a carriage return and
        // line feed, or a carriage return alone ends one.
        let lines: Vec<&str> = file
            .text
            .split("\r\n")
            .flat_map(|l| l.split(['\n', '\r']))
            .collect();
        let line = d.place.line as usize;
        assert!(
            line <= lines.len() + 1,
            "{d}: the file has {} lines",
            lines.len()
        );
        if let Some(text) = lines.get(line - 1) {
            let chars = text.chars().count();
            assert!(
                d.place.column as usize <= chars + 2,
                "{d}: line {line} has {chars} characters"
            );
        }
        assert!(!d.message().is_empty());
    }
    let text = render_diagnostics(files, problems, 100);
    let n = problems.len();
    let count = format!("error: {n} problem{}", if n == 1 { "" } else { "s" });
    assert!(text.contains(&count), "no count in the report:\n{text}");
}

/// The dataset exported as JSON loads back into a dataset that exports to
/// the same bytes: nothing is lost or changed on the way.
pub(crate) fn check_json_round_trip(ds: &Dataset) {
    let json = export(ds, "json");
    let text = String::from_utf8(json.clone()).expect("JSON export is UTF-8");
    let again = match load(&[SourceFile::dataset_json("d/detente.json", text.clone())]) {
        Ok(ds) => ds,
        Err(problems) => {
            let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            panic!("the JSON export does not load back: {shown:#?}\n{text}")
        }
    };
    assert!(
        export(&again, "json") == json,
        "JSON export, reloaded, exports differently:\n{text}"
    );
}

/// The one file `format` exports `ds` to.
pub(crate) fn export(ds: &Dataset, format: &str) -> Vec<u8> {
    let mut files = detente::exporter(format)
        .unwrap_or_else(|| panic!("no exporter `{format}`"))
        .export(ds);
    assert_eq!(files.len(), 1, "{format} is one file");
    files.remove(0).bytes
}
