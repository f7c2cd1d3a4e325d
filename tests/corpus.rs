//! The benchmark corpus generator (`benches/corpus/`): what it writes is a
//! valid dataset in the bundled ontology, the same for the same seed, and
//! holds what the benchmarks claim it holds. Small sizes only: the big ones
//! are for `cargo bench` and `benches/peer/`, never for `cargo test`.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use assert_cmd::Command;
use serde_json::Value;

fn detente() -> Command {
    let mut cmd = Command::cargo_bin("detente").expect("binary built");
    cmd.env_remove("DETENTE_DATA").env("NO_COLOR", "1");
    cmd
}

#[test]
fn generated_corpus_loads_without_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 600, 3).unwrap();
    let out = detente()
        .arg("--data")
        .arg(dir.path())
        .args(["check", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["entities"], 600);
    // Every kind and every relation type the ontology declares is used.
    for (what, counts) in [("kind", &v["by_kind"]), ("type", &v["by_type"])] {
        for (name, n) in counts.as_object().unwrap() {
            assert!(
                n.as_u64().unwrap() > 0,
                "no {what} `{name}` generated: teach `outgoing` in benches/corpus/mod.rs about it"
            );
        }
    }
    // About three relations per entity.
    let relations = v["relations"].as_u64().unwrap();
    assert!((1500..=2400).contains(&relations), "{relations} relations");
}

#[test]
fn generated_corpus_is_the_same_for_the_same_seed() {
    assert_eq!(corpus::generate(300, 5), corpus::generate(300, 5));
    assert_ne!(corpus::generate(300, 5), corpus::generate(300, 6));
}

#[test]
fn generated_corpus_has_every_date_form_and_non_ascii_names() {
    let text: String = corpus::generate(2000, 1)
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    for form in ["~", "?", "%", "..", "/"] {
        assert!(
            text.lines()
                .any(|l| l.contains("date: ") && l.contains(form)),
            "no date with `{form}`"
        );
    }
    for needle in [
        "claimed_by:",
        "stance: prediction",
        "type: succeeds",
        "中",
        "ü",
        "quote:",
    ] {
        assert!(text.contains(needle), "no `{needle}` in the corpus");
    }
}

#[test]
fn generated_corpus_is_about_a_megabyte_per_thousand_entities() {
    let bytes: usize = corpus::generate(2000, 1).iter().map(|(_, t)| t.len()).sum();
    assert!((1_400_000..=2_600_000).contains(&bytes), "{bytes} bytes");
}

#[test]
fn generated_corpus_keeps_sources_in_files_under_the_sources_directory() {
    // One `sources.yaml` for a 1M corpus (50,000 sources) held more than
    // the million YAML values a file may, and 1M did not load.
    let files = corpus::generate(60_000, 1);
    let sources: Vec<_> = files
        .iter()
        .filter(|(p, _)| p.starts_with("sources"))
        .collect();
    assert_eq!(sources.len(), 3, "3,000 sources in files of 1,000");
    assert!(files
        .iter()
        .all(|(p, _)| p != std::path::Path::new("sources.yaml")));
    for (path, text) in &files {
        assert!(
            text.len() < 2_000_000,
            "`{}` is {} bytes",
            path.display(),
            text.len()
        );
    }
}

/// A slide timeline of thousands of entities is refused before it is laid
/// out, in the words of a drawing refused once measured, with what to draw
/// instead, and nothing is written: even DOT, which is otherwise never
/// refused for legibility.
#[test]
fn a_timeline_of_thousands_is_refused_before_it_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 4_000, 1).unwrap();
    let picture = dir.path().join("timeline.svg");
    for args in [
        vec!["diagram", "timeline", "--format", "dot"],
        vec!["diagram", "timeline", "-o", picture.to_str().unwrap()],
    ] {
        let out = detente()
            .arg("--data")
            .arg(dir.path())
            .args(&args)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            err.contains("dated entities cannot be drawn on a 1920 × 1080 slide: its text would be under half the legible 14 px"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("--from and --to") && err.contains("--size poster"),
            "{args:?}: {err}"
        );
    }
    assert!(!picture.exists());
}
