//! `detente check`: a clean summary on good data; on bad data every problem
//! at once, each at its exact file, line and column, and exit 1.

mod common;

use common::detente;
use serde_json::Value;

fn problems(dir: &str) -> Vec<(String, u64, u64, String)> {
    let out = detente()
        .args(["--data", dir, "check", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("JSON on stdout");
    assert_eq!(v["ok"], false);
    v["problems"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            let file = p["file"].as_str().unwrap();
            let name = file.rsplit('/').next().unwrap().to_string();
            (
                name,
                p["line"].as_u64().unwrap(),
                p["column"].as_u64().unwrap(),
                p["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_class_of_mistake_is_reported_at_its_place_in_one_run() {
    let got = problems("tests/fixtures/broken");
    let want: Vec<(String, u64, u64, String)> = [
        ("entities.yaml", 3, 3, "unknown-field"),      // nmae
        ("entities.yaml", 5, 9, "invalid-date"),       // 2017-02-30
        ("entities.yaml", 10, 3, "duplicate-key"),     // second `name`
        ("entities.yaml", 11, 9, "end-before-start"),  // 2019/2016
        ("entities.yaml", 12, 23, "unknown"),          // source `dco`
        ("entities.yaml", 15, 15, "unknown"),          // relation type `succeds`
        ("entities.yaml", 16, 35, "unknown"),          // entity `alpah`
        ("entities.yaml", 20, 9, "invalid-date"),      // early 2018
        ("entities.yaml", 23, 29, "lineage-cycle"),    // beta → gamma → beta
        ("entities.yaml", 24, 35, "kind-not-allowed"), // established_at → mechanism
        ("entities.yaml", 24, 49, "stance-without-claimant"),
        ("entities.yaml", 25, 7, "duplicate-id"), // second `alpha`
        ("entities.yaml", 26, 9, "unknown"),      // kind `summitt`
        ("entities.yaml", 29, 3, "uncited"),      // Delta, checked despite its bad id
        ("entities.yaml", 29, 7, "invalid-id"),   // Delta
        ("entities.yaml", 37, 7, "uncited"),      // relation without sources
        ("entities.yaml", 37, 46, "unknown"),     // claimed_by `epsilom`
        ("ontology.yaml", 14, 40, "unknown"),     // kind `mechanisn`
        ("ontology.yaml", 14, 76, "invalid-value"), // style `wavy`
        ("sources.yaml", 3, 7, "duplicate-id"),   // second `doc`
    ]
    .into_iter()
    .map(|(f, l, c, k)| (f.to_string(), l, c, k.to_string()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn text_report_names_places_suggests_fixes_and_counts() {
    let assert = detente()
        .args(["--data", "tests/fixtures/broken", "check"])
        .assert()
        .code(1);
    let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    for needle in [
        "tests/fixtures/broken/entities.yaml:16:35: unknown entity `alpah` in `relations[2].to` (did you mean `alpha`?)",
        "tests/fixtures/broken/entities.yaml:25:7: duplicate entity id `alpha` (first defined at tests/fixtures/broken/entities.yaml:1:7)",
        "tests/fixtures/broken/entities.yaml:23:29: lineage cycle through `succeeds`: beta → gamma → beta",
        "help: write `alpha`",
        "first here",
        "error: 20 problems in 3 files",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert!(assert.get_output().stdout.is_empty());
}

#[test]
fn bundled_data_checks_clean_with_counts() {
    let out = detente()
        .arg("check")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("ok: bundled dataset is valid"), "{text}");
    let json = detente()
        .args(["check", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["ok"], true);
    // Every declared kind and relation type is used by the starter data.
    for (k, n) in v["by_kind"].as_object().unwrap() {
        assert!(n.as_u64().unwrap() > 0, "no entity of kind {k}");
    }
    for (k, n) in v["by_type"].as_object().unwrap() {
        assert!(n.as_u64().unwrap() > 0, "no relation of type {k}");
    }
}

#[test]
fn a_dataset_of_another_relationship_with_its_own_ontology_loads() {
    detente()
        .args(["--data", "examples/transatlantic", "check"])
        .assert()
        .success();
}

#[test]
fn usage_and_io_errors_exit_2() {
    detente()
        .args(["--data", "tests/fixtures/does-not-exist", "check"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cannot read `tests/fixtures/does-not-exist`",
        ));
    detente()
        .args(["--data", "tests", "check"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("has no `ontology.yaml`"));
    detente().arg("frobnicate").assert().code(2);
    detente()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn data_dir_can_come_from_the_environment() {
    detente()
        .env("DETENTE_DATA", "tests/fixtures/minimal")
        .args(["show", "new"])
        .assert()
        .success()
        .stdout(predicates::str::contains("New Dialogue"));
}

/// Checks a dataset made of the minimal fixture's files (all three when
/// `with_entities`, else the ontology and sources only) plus `extra` files,
/// each `(relative path, contents)`. Returns the exit code and stderr.
fn check_dataset(with_entities: bool, extra: &[(&str, &[u8])]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let base: &[&str] = if with_entities {
        &["ontology.yaml", "sources.yaml", "entities.yaml"]
    } else {
        &["ontology.yaml", "sources.yaml"]
    };
    for f in base {
        std::fs::copy(format!("tests/fixtures/minimal/{f}"), dir.path().join(f)).unwrap();
    }
    for (name, text) in extra {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = detente()
        .args(["--data", dir.path().to_str().unwrap(), "check"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes a one-file dataset beside the minimal ontology and checks it.
fn check_entities(yaml: &[u8]) -> (i32, String) {
    check_dataset(false, &[("bad.yaml", yaml)])
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_not_guessed_around() {
    let (code, err) = check_entities(b"- id: zeta\n  kind: mechanism\n  name: \"Zeta\n");
    assert_eq!(code, 1);
    assert!(
        err.contains("bad.yaml:3:9: invalid YAML: unclosed quote"),
        "{err}"
    );
    // A reference into the broken file is still reported, without a guess.
    let refs = b"- { id: x, kind: mechanism, name: X, sources: [{ source: doc, at: p }], relations: [{ type: succeeds, to: zeta, sources: [{ source: doc, at: p }] }] }\n";
    let (code, err) = check_dataset(
        true,
        &[
            ("more.yaml", b"- id: zeta\n  kind: [\n"),
            ("refs.yaml", refs),
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("unknown entity `zeta` in `relations[0].to` (it may be defined in `"),
        "{err}"
    );
    assert!(
        err.contains("more.yaml`, which could not be read)"),
        "{err}"
    );
}

#[test]
fn a_nested_ontology_is_reported_not_swapped_in() {
    let (code, err) = check_dataset(true, &[("zz/ontology.yaml", b"kinds: {}\nrelations: {}\n")]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "ontology.yaml:1:1: `ontology.yaml` is only read at the top of the dataset directory"
        ),
        "{err}"
    );
    assert!(err.contains("error: 1 problem in 1 file"), "{err}");
}

/// One `sources.yaml` holds at most a million YAML values (about 40,000
/// sources); beyond that the loader says to split the file, so sources
/// may also be spread over files under a top-level `sources/` directory.
#[test]
fn sources_split_over_a_sources_directory_are_all_read() {
    let cites = b"- { id: a, kind: mechanism, name: A, sources: [{ source: doc, at: p }, { source: more-1, at: p }, { source: more-2, at: p }] }\n";
    let (code, err) = check_dataset(
        false,
        &[
            ("sources/one.yaml", b"- { id: more-1, title: One }\n"),
            ("sources/deeper/two.yml", b"- { id: more-2, title: Two }\n"),
            ("entities.yaml", cites),
        ],
    );
    assert_eq!(code, 0, "{err}");
    // A source defined twice, across files, is still a duplicate; an
    // ontology or a `sources.yaml` elsewhere in a sub-directory is still
    // misplaced; an entity file under `sources/` is read as sources.
    let (code, err) = check_dataset(
        false,
        &[
            ("sources/one.yaml", b"- { id: doc, title: Again }\n"),
            ("sources/ontology.yaml", b"kinds: {}\nrelations: {}\n"),
            ("elsewhere/sources.yaml", b"- { id: lost, title: Lost }\n"),
        ],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("duplicate source id `doc` (first defined at ")
            && err.contains("one.yaml:1:9)"),
        "{err}"
    );
    assert!(
        err.contains("ontology.yaml:1:1: `ontology.yaml` is only read at the top"),
        "{err}"
    );
    assert!(
        err.contains("sources.yaml:1:1: `sources.yaml` is only read at the top")
            && err.contains("or a file under `sources/`"),
        "{err}"
    );
}

#[test]
fn numbers_keep_their_text_and_control_characters_are_refused() {
    let (code, err) = check_entities(b"- { id: 007, kind: mechanism, name: 1.50, aliases: [NO], sources: [{ source: doc, at: p }] }\n- { id: b, kind: mechanism, name: \"evil \\e[31m red\", sources: [{ source: doc, at: p }] }\n");
    assert_eq!(code, 1);
    assert!(
        err.contains("bad.yaml:2:35: `name` contains the control character U+001B"),
        "{err}"
    );
    assert!(err.contains("error: 1 problem in 1 file"), "{err}");
}

#[test]
fn alias_bombs_are_refused_by_the_parser_budget() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..15 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let (code, err) = check_entities(bomb.as_bytes());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("bad.yaml:5:45: invalid YAML: aliases expand to too much data"),
        "{err}"
    );
}

#[test]
fn absurd_nesting_is_refused_by_the_parser_budget() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (code, err) = check_entities(deep.as_bytes());
    assert_eq!(code, 1);
    assert!(
        err.contains("bad.yaml:1:65: invalid YAML: nesting deeper than 64 levels"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_reported_at_its_place() {
    let (code, err) = check_entities(b"- id: a\n  name: caf\xe9\n");
    assert_eq!(code, 1);
    assert!(
        err.contains("bad.yaml:2:12: invalid YAML: the file is not UTF-8 text"),
        "{err}"
    );
}

#[test]
fn several_documents_in_one_file_are_refused() {
    let (code, err) = check_entities(b"- id: a\n---\n- id: b\n");
    assert_eq!(code, 1);
    assert!(err.contains("bad.yaml:2:1: invalid YAML: a file holds one YAML document, but a second one starts here"), "{err}");
}

#[test]
fn parallel_parsing_reports_the_same_problems_on_any_number_of_threads() {
    let run = |threads: &str| {
        detente()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "--data",
                "tests/fixtures/broken",
                "check",
                "--format",
                "json",
            ])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("8"));
}
