//! `detente export`: every format read back by the tool researchers use to
//! open it, agreeing with detente on counts and on sample attributes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin;
use serde_json::Value;

fn detente() -> Command {
    Command::new(cargo_bin("detente"))
}

/// Runs detente and returns stdout; panics with stderr on failure.
fn run(args: &[&str]) -> String {
    let out = detente().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "detente {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&run(args)).unwrap()
}

/// Runs a Python script with arguments; returns its stdout as JSON.
fn python(script: &str, args: &[&Path]) -> Value {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Exports `format` (with `extra` arguments) into a fresh directory and
/// returns (the directory, the path written).
fn export(format: &str, name: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let mut args = vec!["export", format, "-o", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args);
    (dir, path)
}

/// Removes where things were written (file and line), which differs
/// between the YAML files and one JSON file by design.
fn strip_origins(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("origin");
            m.values_mut().for_each(strip_origins);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_origins),
        _ => {}
    }
}

fn check_summary() -> Value {
    json(&["check", "--format", "json"])
}

// ---------------------------------------------------------------------------
// json

#[test]
fn json_export_loads_back_through_data_with_the_same_answers() {
    let (_dir, path) = export("json", "all.json", &[]);
    let p = path.to_str().unwrap();
    // Same counts, same cards, same answers to queries.
    let mut a = check_summary();
    let mut b = json(&["--data", p, "check", "--format", "json"]);
    a["data"] = Value::Null;
    a["files"] = Value::Null;
    b["data"] = Value::Null;
    b["files"] = Value::Null;
    assert_eq!(a, b);
    for args in [
        vec!["lineage", "lecd"],
        vec!["active", "2016-06-01"],
        vec!["claims", "--by", "shen-yi"],
        vec!["neighbors", "lecd-2017-10"],
        vec!["show", "lecd"],
    ] {
        let mut bundled = args.clone();
        bundled.extend(["--format", "json"]);
        let mut reloaded = vec!["--data", p];
        reloaded.extend(&bundled);
        let (mut x, mut y) = (json(&bundled), json(&reloaded));
        strip_origins(&mut x);
        strip_origins(&mut y);
        assert_eq!(x, y, "{args:?} answers differently from the JSON file");
    }
    // Exporting the reloaded dataset gives the same bytes.
    assert_eq!(
        run(&["--data", p, "export", "json"]),
        std::fs::read_to_string(&path).unwrap()
    );
}

#[test]
fn json_export_is_read_by_python_with_every_entity_and_relation() {
    if !common::require_python(&["json"]) {
        return;
    }
    let (_dir, path) = export("json", "all.json", &[]);
    let got = python(
        "import json, sys\n\
         d = json.load(open(sys.argv[1], encoding='utf-8'))\n\
         lecd = next(e for e in d['entities'] if e['id'] == 'lecd')\n\
         print(json.dumps({'entities': len(d['entities']), 'relations': len(d['relations']),\n\
           'sources': len(d['sources']), 'kinds': len(d['ontology']['kinds']), 'lecd': lecd}))",
        &[&path],
    );
    let summary = check_summary();
    assert_eq!(got["entities"], summary["entities"]);
    assert_eq!(got["relations"], summary["relations"]);
    assert_eq!(
        got["kinds"].as_u64().unwrap() as usize,
        summary["by_kind"].as_object().unwrap().len()
    );
    assert_eq!(got["lecd"]["kind"], "mechanism");
    assert_eq!(
        got["lecd"]["date"],
        json(&["show", "lecd", "--format", "json"])["entity"]["date"]["edtf"]
    );
}

#[test]
fn json_export_with_filters_keeps_claimants_and_still_loads() {
    let (_dir, path) = export(
        "json",
        "part.json",
        &["--kind", "mechanism", "--kind", "proposal"],
    );
    let p = path.to_str().unwrap();
    let s = json(&["--data", p, "check", "--format", "json"]);
    assert_eq!(s["ok"], true);
    assert_eq!(
        s["by_kind"]["mechanism"],
        check_summary()["by_kind"]["mechanism"]
    );
    // Claimants (documents, people) come along with the claims they make.
    assert!(s["by_kind"].as_object().unwrap().len() > 2, "{s}");
}

#[test]
fn json_data_file_with_a_mistake_is_reported_at_its_line_and_column() {
    let (dir, path) = export("json", "all.json", &[]);
    let text = std::fs::read_to_string(&path).unwrap();
    let bad = text.replacen("\"to\": \"hljd\"", "\"to\": \"hjld\"", 1);
    assert_ne!(bad, text);
    let line = bad.lines().position(|l| l.contains("hjld")).unwrap() + 1;
    let bad_path = dir.path().join("bad.json");
    std::fs::write(&bad_path, &bad).unwrap();
    let out = detente()
        .args(["--data", bad_path.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("bad.json:{line}:")) && err.contains("hjld"),
        "{err}"
    );
}

#[test]
fn unknown_export_format_is_refused_with_the_list_of_formats() {
    let out = detente().args(["export", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("json"));
}
