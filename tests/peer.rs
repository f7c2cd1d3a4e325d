//! The Python baseline of `benches/peer/` answers like detente, and the
//! comparison script refuses to report timings when the answers differ: a
//! small generated corpus, one run each. The timings themselves belong to
//! `docs/performance.md`, never to a test.

mod common;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::process::Command;

fn compare(detente: &std::path::Path, dir: &std::path::Path) -> std::process::Output {
    Command::new("python3")
        .arg("benches/peer/compare.py")
        .arg(detente)
        .arg(dir)
        .args(["--runs", "1"])
        .output()
        .expect("python3 runs")
}

#[test]
fn python_baseline_agrees_with_detente_on_every_task() {
    if !common::require_python(&["yaml", "networkx"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 400, 2).unwrap();
    let out = compare(&assert_cmd::cargo::cargo_bin("detente"), dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for task in ["check", "lineage", "path", "active", "neighbors"] {
        assert!(
            stdout.contains(&format!("| {task} |")),
            "no `{task}` row:\n{stdout}"
        );
    }
}

#[test]
fn comparison_fails_when_the_answers_differ() {
    if !common::require_python(&["yaml", "networkx"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    corpus::write(dir.path(), 50, 2).unwrap();
    // A "detente" that miscounts: the comparison must refuse it.
    let fake = dir.path().join("fake-detente");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho '{\"entities\": 1, \"relations\": 0, \"sources\": 0, \"citations\": 0}'\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = compare(&fake, dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("answers differ on"));
}

#[test]
fn load_curve_script_prints_a_row_per_size() {
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (dir.path().join("a"), dir.path().join("b"));
    corpus::write(&small, 60, 2).unwrap();
    corpus::write(&large, 120, 2).unwrap();
    let out = Command::new("python3")
        .arg("benches/peer/curve.py")
        .arg(assert_cmd::cargo::cargo_bin("detente"))
        .args([&small, &large])
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The entity counts come from detente's own `check`, not the names.
    assert!(
        stdout.contains("| 60 |") && stdout.contains("| 120 |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| 1.00× |"),
        "the first size is the unit:\n{stdout}"
    );
}
