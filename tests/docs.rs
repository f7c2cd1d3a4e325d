//! The guides paste real output. This test runs every ```console block
//! that starts with `$ detente …` in them and fails when the output differs
//! from the current build, so the guides cannot go stale. To refresh them
//! after an intended change: `UPDATE_DOCS=1 cargo test --test docs`.

use assert_cmd::Command;

const GUIDES: &[&str] = &["docs/researchers.md", "docs/dataset.md"];

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
