//! Regression tests for issue 13's list of faults, each named after the
//! fault it guards: a dataset from someone else must never crash detente,
//! hang it, exhaust memory, or flood or restyle the terminal.
//! (Writes are in tests/safe_writes.rs, escaping in tests/escaping.rs, the
//! catalogue of bad inputs in tests/bad_inputs.rs.)

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

fn detente() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("detente").unwrap();
    c.env_remove("DETENTE_DATA");
    c
}

/// A temporary dataset: the minimal fixture plus `extra` files.
fn dataset(extra: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["ontology.yaml", "sources.yaml", "entities.yaml"] {
        fs::copy(
            Path::new("tests/fixtures/minimal").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    for (name, text) in extra {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn check(dir: &Path, args: &[&str]) -> Output {
    detente()
        .arg("--data")
        .arg(dir)
        .arg("check")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_problem_beyond_column_65535_is_reported_not_a_panic() {
    let line = format!(
        "- {{id: zz, kind: mechanism, name: N, {}bad: 1, sources: [{{source: doc, at: p}}]}}\n",
        " ".repeat(70_000)
    );
    let dir = dataset(&[("x.yaml", line.as_bytes())]);
    let out = check(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("x.yaml:1:70038: unknown field `bad`"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.len() < 2_000,
        "the line is abbreviated: {} bytes",
        err.len()
    );
}

#[test]
fn a_long_line_is_abbreviated_around_the_column_not_echoed_whole() {
    let line = format!(
        "- {{id: zz, kind: mechanism, name: {}, sources: [{{source: doc, at: p}}], bad: 1}}\n",
        "n".repeat(5_000_000)
    );
    let dir = dataset(&[("x.yaml", line.as_bytes())]);
    let out = check(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("unknown field `bad`"), "{err}");
    assert!(err.contains("…nnnn"), "{err}");
    assert!(err.contains("bad: 1}"), "the place is shown: {err}");
    assert!(err.len() < 2_000, "{} bytes", err.len());
    assert!(out.stdout.is_empty());
}

#[test]
fn a_symlink_to_dev_zero_is_refused_not_read_until_memory_runs_out() {
    let dir = dataset(&[]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yaml")).unwrap();
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("zero.yaml`: it is a symbolic link to `/dev/zero`, outside the dataset"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_fifo_named_yaml_is_refused_not_waited_on() {
    let dir = dataset(&[]);
    let fifo = dir.path().join("x.yaml");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    let out = check(dir.path(), &[]);
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("x.yaml`: it is a FIFO (named pipe), not a regular file"));
}

#[test]
fn the_size_limit_is_enforced_before_reading_the_whole_file() {
    let dir = dataset(&[]);
    // Sparse: 80 MB of size without 80 MB of disk.
    let f = fs::File::create(dir.path().join("big.yaml")).unwrap();
    f.set_len(80 * 1024 * 1024).unwrap();
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("big.yaml`: it is larger than the 64 MiB a data file may be"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_dangling_symlink_is_reported_against_the_link_not_the_directory() {
    let dir = dataset(&[]);
    std::os::unix::fs::symlink("gone.yaml", dir.path().join("link.yaml")).unwrap();
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("link.yaml`: it is a broken symbolic link: `gone.yaml` does not exist"),
        "{err}"
    );
}

/// `n` entities, each with an unknown kind: `n` problems in one file.
fn many_problems(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!("- {{id: e{i}, kind: mechansm, name: N, sources: [{{source: doc, at: p}}]}}\n")
        })
        .collect()
}

#[test]
fn twenty_thousand_problems_print_in_linear_time_as_text_and_json() {
    // Quadratic rendering took minutes for this; linear takes seconds even
    // in a debug build on a busy machine.
    let dir = dataset(&[("x.yaml", many_problems(20_000).as_bytes())]);
    let started = Instant::now();
    let out = check(dir.path(), &[]);
    let text_time = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.ends_with(
            "error: 20000 problems in 1 file (the first 1000 shown; `--format json` lists every one)\n"
        ),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );
    let started = Instant::now();
    let out = check(dir.path(), &["--format", "json"]);
    let json_time = started.elapsed();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["problems"].as_array().unwrap().len(), 20_000);
    assert!(text_time < Duration::from_secs(90), "{text_time:?}");
    assert!(json_time < Duration::from_secs(90), "{json_time:?}");
}

#[test]
fn control_and_bidi_characters_in_names_are_refused() {
    let dir = dataset(&[(
        "x.yaml",
        "- id: zz\n  kind: mechanism\n  name: N\n  names: { zh: \"a\\u202Eb\", \"\\e[2J\": x }\n  sources: [{source: doc, at: p}]\n"
            .as_bytes(),
    )]);
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("x.yaml:4:16: `names.zh` contains the control character U+202E"),
        "{err}"
    );
    assert!(
        err.contains("x.yaml:4:28: `names` contains the control character U+001B"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err}"
    );
}

#[test]
fn show_never_prints_raw_control_characters() {
    // Data that tries: refused at load, and the refusal itself shows the
    // characters as visible escapes, never raw.
    let dir = dataset(&[(
        "x.yaml",
        "- id: zz\n  kind: mechanism\n  name: N\n  names: { \"\\e]0;pwned\\a\": x }\n  sources: [{source: doc, at: p}]\n"
            .as_bytes(),
    )]);
    let out = detente()
        .arg("--data")
        .arg(dir.path())
        .args(["show", "zz"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    for stream in [&out.stdout, &out.stderr] {
        let s = String::from_utf8_lossy(stream);
        assert!(!s.chars().any(|c| c == '\u{1b}' || c == '\u{7}'), "{s:?}");
    }
    assert!(stderr(&out).contains("U+001B"));
}

#[test]
fn a_broken_ontology_does_not_bury_its_cause_under_follow_on_problems() {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir("data").unwrap() {
        let p = entry.unwrap().path();
        fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let mut ontology = fs::read_to_string(dir.path().join("ontology.yaml")).unwrap();
    ontology.push_str("kinds: [\n");
    fs::write(dir.path().join("ontology.yaml"), ontology).unwrap();
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("ontology.yaml:"), "{err}");
    assert!(err.contains("invalid YAML"), "{err}");
    // The syntax error and at most one follow-on per kind of name it
    // defines (kind, side, status, relation type).
    let count = err.matches("  × ").count();
    assert!(count <= 5, "{count} problems:\n{err}");
}

#[test]
fn a_broken_sources_file_does_not_bury_its_cause_under_follow_on_problems() {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir("data").unwrap() {
        let p = entry.unwrap().path();
        fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    fs::write(dir.path().join("sources.yaml"), "- id: [\n").unwrap();
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "sources.yaml:1:7: invalid YAML: this `[` opens a flow list that is never closed\n"
        ),
        "{err}"
    );
    assert_eq!(err.matches("  × ").count(), 2, "{err}");
}

#[test]
fn a_dot_that_runs_too_long_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let dot = dir.path().join("dot");
    fs::write(&dot, "#!/bin/sh\nexec sleep 60\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&dot, fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap()
    );
    let started = Instant::now();
    let out = detente()
        .env("PATH", path)
        .env("DETENTE_DOT_TIMEOUT", "1")
        .args(["diagram", "lineage", "lecd", "--format", "svg"])
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`dot` did not finish within 1 s and was stopped"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    let out = detente()
        .env("DETENTE_DOT_TIMEOUT", "soon")
        .args(["diagram", "lineage", "lecd", "--format", "svg"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("must be a whole number of seconds, not `soon`"));
}
