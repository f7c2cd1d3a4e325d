//! The guides paste real output. This test runs every ```console block
//! that starts with `$ detente …` in them and fails when the output differs
//! from the current build, so the guides cannot go stale. To refresh them
//! after an intended change: `UPDATE_DOCS=1 cargo test --test docs`.

use assert_cmd::Command;

const GUIDES: &[&str] = &["README.md", "docs/researchers.md", "docs/dataset.md"];

/// Splits a command line on spaces, keeping "quoted words" together.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn run(args: &[String]) -> String {
    let out = Command::cargo_bin("detente")
        .unwrap()
        .env_remove("DETENTE_DATA")
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "`detente {}` failed", args.join(" "));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pasted_output_matches_the_current_build() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    for guide in GUIDES {
        let text = std::fs::read_to_string(guide).unwrap();
        let mut out = String::new();
        let mut rest = text.as_str();
        let mut blocks = 0;
        while let Some(i) = rest.find("```console\n$ detente ") {
            let (before, block) = rest.split_at(i);
            out.push_str(before);
            let body_start = "```console\n".len();
            let end = block[body_start..].find("```\n").expect("closed block") + body_start;
            let body = &block[body_start..end];
            let (cmd, pasted) = body.split_once('\n').unwrap_or((body, ""));
            let args = words(cmd.trim_start_matches("$ detente "));
            let actual = run(&args);
            if !update {
                assert_eq!(
                    pasted.trim_end(),
                    actual.trim_end(),
                    "{guide}: output of `{cmd}` changed; run UPDATE_DOCS=1 cargo test --test docs"
                );
            }
            out.push_str(&format!("```console\n{cmd}\n{}\n```\n", actual.trim_end()));
            rest = &block[end + "```\n".len()..];
            blocks += 1;
        }
        out.push_str(rest);
        assert!(blocks > 0, "{guide} has no console blocks");
        if update {
            std::fs::write(guide, out).unwrap();
        }
    }
}

/// Every command in a ```sh block of README.md and docs/*.md, run as a
/// reader would paste it (through bash, with the built `detente` first on
/// the PATH), in a scratch directory that sees the crate's data, examples
/// and fixtures, so files the commands write land nowhere else. Each must
/// succeed: a documented command that fails is a bug a reader finds.
#[cfg(unix)]
#[test]
fn every_documented_command_runs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    for d in ["data", "examples", "tests", "docs"] {
        std::os::unix::fs::symlink(root.join(d), scratch.path().join(d)).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("detente");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut docs: Vec<std::path::PathBuf> = vec![root.join("README.md")];
    for f in std::fs::read_dir(root.join("docs")).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "md") {
            docs.push(f);
        }
    }
    docs.sort();
    let mut ran = 0;
    for doc in docs {
        let text = std::fs::read_to_string(&doc).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("```sh\n") {
            let block = &rest[i + "```sh\n".len()..];
            let end = block.find("```").expect("closed block");
            for line in block[..end].lines() {
                let line = line.trim();
                // Commands of detente itself; `cargo …` lines set up the
                // build this test already has.
                if !(line.starts_with("detente ") || line.starts_with("source <(detente ")) {
                    continue;
                }
                let out = std::process::Command::new("bash")
                    .args(["-c", line])
                    .current_dir(scratch.path())
                    .env("PATH", &path)
                    .env_remove("DETENTE_DATA")
                    .env("NO_COLOR", "1")
                    .env("MANPAGER", "cat")
                    .env("PAGER", "cat")
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}: `{line}` failed:\n{}",
                    doc.display(),
                    String::from_utf8_lossy(&out.stderr)
                );
                ran += 1;
            }
            rest = &block[end + 3..];
        }
    }
    assert!(ran > 30, "only {ran} documented commands found");
}
