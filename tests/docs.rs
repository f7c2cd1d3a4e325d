//! The guides paste real output. This test runs every ```console block
//! that starts with `$ detente …` in them and fails when the output differs
//! from the current build, so the guides cannot go stale. To refresh them
//! after an intended change: `UPDATE_DOCS=1 cargo test --test docs`.

mod common;

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
    let (code, out, err) = common::output(common::detente().args(args));
    assert_eq!(code, 0, "`detente {}` failed: {err}", args.join(" "));
    out
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

/// Numbers in the guides' prose that the tool prints, each with the command
/// that prints it and where in its JSON answer the number is (a JSON
/// pointer; `#` after it counts the items of a list; empty for the bare
/// number `--count` prints). `{}` in the sentence stands for the number,
/// in digits or in words. A data edit that changes one fails here, instead
/// of leaving the sentence stale.
const PROSE_NUMBERS: &[(&str, &str, &[&str], &str)] = &[
    (
        "README.md",
        "one mistake of every kind; all {} are reported in one run",
        &[
            "--data",
            "tests/fixtures/broken",
            "check",
            "--format",
            "json",
        ],
        "/problems#",
    ),
    (
        "docs/teachers.md",
        "Every one of the {} entities",
        &["list", "--count"],
        "",
    ),
    (
        "docs/teachers.md",
        "entities and {} relations is on the poster",
        &["check", "--format", "json"],
        "/relations",
    ),
    (
        "docs/researchers.md",
        "lists the {} dialogues the sources themselves chain together",
        &["lineage", "lecd", "--strict", "--format", "json"],
        "/links#",
    ),
];

/// Numbers before a word the tool counts that are not counts of a
/// dataset: limits of a view, sizes of a benchmark corpus.
const NOT_COUNTS: &[&str] = &["up to 40 entities"];

/// Guides whose numbers are not the tool's current output: generated
/// from the data by a test of their own (claims, coverage), or records of
/// a moment (decisions, benchmark runs).
const NOT_CHECKED_HERE: &[&str] = &[
    "docs/claims.md",
    "docs/coverage.md",
    "docs/decisions.md",
    "docs/performance.md",
];

/// Words a guide may spell a small number with.
const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// README.md and docs/*.md, as (path relative to the crate root, text).
fn guides() -> Vec<(String, String)> {
    let mut paths = vec!["README.md".to_string()];
    for f in std::fs::read_dir("docs").unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "md") {
            paths.push(f.to_str().unwrap().to_string());
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// The prose of a guide, code blocks blanked out (so positions still
/// match) and line breaks made spaces (so a sentence reads across them).
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut code = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("```") {
            code = !code;
        }
        if code || line.starts_with("```") {
            out.extend(line.chars().map(|_| ' '));
        } else {
            out.push_str(&line.replace('\n', " "));
        }
    }
    out
}

/// The number at the start of `s`, in digits (`1,000`) or a word, and its
/// length in bytes.
fn number_at(s: &str) -> Option<(u64, usize)> {
    let digits = s
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == ',')
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let digits = s[..digits].trim_end_matches(',').len();
    if digits > 0 {
        return Some((s[..digits].replace(',', "").parse().ok()?, digits));
    }
    let word: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let n = NUMBER_WORDS
        .iter()
        .position(|w| w.eq_ignore_ascii_case(&word))?;
    Some((n as u64, word.len()))
}

/// What the tool says the number of `sentence` is.
fn tool_number(args: &[&str], pointer: &str) -> u64 {
    let (_, out, err) = common::run(args);
    if pointer.is_empty() {
        return out.trim().parse().unwrap_or_else(|_| {
            panic!("`detente {}` printed no number: {out}{err}", args.join(" "))
        });
    }
    let v: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("`detente {}`: {e}: {out}{err}", args.join(" ")));
    let (path, count) = match pointer.strip_suffix('#') {
        Some(p) => (p, true),
        None => (pointer, false),
    };
    let at = v
        .pointer(path)
        .unwrap_or_else(|| panic!("`detente {}` has no {path}", args.join(" ")));
    if count {
        at.as_array().expect("a list").len() as u64
    } else {
        at.as_u64().expect("a number")
    }
}

/// The README's sample and several numbers in docs/ no longer matched what
/// the tool prints.
#[test]
fn numbers_in_the_guides_prose_match_the_tool() {
    let guides = guides();
    let mut checked: Vec<(String, usize)> = Vec::new();
    for (guide, sentence, args, pointer) in PROSE_NUMBERS {
        let text = prose(&guides.iter().find(|(p, _)| p == guide).expect("a guide").1);
        let (before, after) = sentence.split_once("{}").expect("`{}` in the sentence");
        let at = text
            .find(before)
            .unwrap_or_else(|| panic!("{guide}: `{sentence}` is gone; update PROSE_NUMBERS"));
        let start = at + before.len();
        let (written, len) = number_at(&text[start..])
            .unwrap_or_else(|| panic!("{guide}: no number in `{sentence}`"));
        assert!(
            text[start + len..].starts_with(after),
            "{guide}: `{sentence}` is gone; update PROSE_NUMBERS"
        );
        let actual = tool_number(args, pointer);
        assert_eq!(
            written,
            actual,
            "{guide}: `{}` says {written}; `detente {}` says {actual}",
            sentence.replace("{}", &written.to_string()),
            args.join(" ")
        );
        checked.push((guide.to_string(), start));
    }
    // Every other "N entities" (relations, sources, …) in the prose is a
    // number nobody checks: put it in PROSE_NUMBERS or write it as a
    // console block, which the test above runs.
    const COUNTED: &[&str] = &[
        "entities",
        "entity",
        "relations",
        "sources",
        "citations",
        "claims",
        "problems",
        "mechanisms",
        "members",
        "passages",
        "paths",
        "files",
    ];
    let mut unchecked = Vec::new();
    for (guide, text) in &guides {
        if NOT_CHECKED_HERE.contains(&guide.as_str()) {
            continue;
        }
        let text = prose(text);
        // Words with their byte offsets.
        let mut words = Vec::new();
        let mut offset = 0;
        for w in text.split(' ') {
            if !w.is_empty() {
                words.push((offset, w));
            }
            offset += w.len() + 1;
        }
        for pair in words.windows(2) {
            let ((at, n), (next_at, next)) = (pair[0], pair[1]);
            let n = n.trim_start_matches(['(', '[', '“', '"']);
            let at = at + (pair[0].1.len() - n.len());
            let noun = next.trim_end_matches(|c: char| !c.is_alphanumeric());
            if !n.starts_with(|c: char| c.is_ascii_digit())
                || !n.chars().all(|c| c.is_ascii_digit() || c == ',')
                || !COUNTED.contains(&noun)
                || checked.contains(&(guide.clone(), at))
                || NOT_COUNTS
                    .iter()
                    .any(|x| text[..next_at + noun.len()].ends_with(x))
            {
                continue;
            }
            unchecked.push(format!("{guide}: `{n} {noun}`"));
        }
    }
    assert!(
        unchecked.is_empty(),
        "numbers of the tool's output in prose that no test checks:\n{}",
        unchecked.join("\n")
    );
}

/// Output quoted as an excerpt in a ```text block, after the sentence that
/// names its command: every line of the block is in what the command
/// prints (stdout then stderr), in order.
const EXCERPTS: &[(&str, &[&str])] =
    &[("README.md", &["--data", "tests/fixtures/broken", "check"])];

#[test]
fn quoted_excerpts_of_output_match_the_tool() {
    for (guide, args) in EXCERPTS {
        let text = std::fs::read_to_string(guide).unwrap();
        let named = format!("`detente {}`", args.join(" "));
        let at = text
            .find(&named)
            .unwrap_or_else(|| panic!("{guide} no longer names {named}"));
        let block = &text[at..];
        let start = block.find("```text\n").expect("a text block after it") + "```text\n".len();
        let block = &block[start..];
        let block = &block[..block.find("```").expect("closed")];
        let (_, out, err) = common::run(args);
        let printed = out + &err;
        let mut rest = printed.as_str();
        for line in block.lines() {
            match rest.find(line) {
                Some(i) => rest = &rest[i + line.len()..],
                None => panic!("{guide}: the excerpt of {named} has `{line}`, which it no longer prints (in this order):\n{printed}"),
            }
        }
    }
}
