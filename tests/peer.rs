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
