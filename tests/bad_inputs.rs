//! The catalogue of bad inputs (`tests/bad_inputs/`): one directory per
//! case, each with a manifest (`case.yaml`) saying what detente must answer,
//! run here by one test against the real binary.
//!
//! Each case is built in a temporary directory: the base dataset it names
//! (`tests/fixtures/NAME`), then the case's own `data/` files on top, then
//! what git cannot hold (FIFOs, links to devices, 50 MB files, unreadable
//! files), made from the recipe in `make:`. detente then runs there as
//! `detente --data data check`, once with `--format json` (every problem
//! compared exactly: file, line, column, code, message) and once as text
//! (each problem printed at its place, stdout empty), each under a time
//! limit and a memory limit, and must never panic. `README.md` in the
//! catalogue describes the manifest.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Deserialize;

const CATALOGUE: &str = "tests/bad_inputs";

/// A case's manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case is, in a line.
    about: String,
    /// A dataset under `tests/fixtures/` copied first.
    #[serde(default)]
    base: Option<String>,
    /// What the test makes before running.
    #[serde(default)]
    make: Vec<Make>,
    /// `--data` (default `data`).
    #[serde(default)]
    data: Option<String>,
    /// The outcome.
    #[serde(flatten)]
    outcome: Outcome,
    /// Texts the text report must contain (a long line abbreviated around
    /// its column, for example).
    #[serde(default)]
    shown: Vec<String>,
    /// Time limit per run, in seconds (default 60).
    #[serde(default)]
    seconds: Option<u64>,
    /// The outcome when a file made unreadable can still be read (the test
    /// runs as root, whom permissions do not stop).
    #[serde(default)]
    when_readable: Option<Outcome>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Outcome {
    exit: i32,
    /// Every problem reported, in order (exit 1).
    #[serde(default)]
    problems: Vec<Expected>,
    /// The one error that stopped the run (exit 2).
    #[serde(default)]
    error: Option<Error>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// `FILE:LINE:COLUMN`.
    at: String,
    code: String,
    message: String,
    /// The `help:` line (none when the problem has none).
    #[serde(default)]
    help: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Error {
    code: String,
    message: String,
}

/// Things git cannot hold, made in the case's directory.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum Make {
    /// A FIFO at this path.
    Fifo(String),
    /// A directory at this path.
    Dir(String),
    /// A symbolic link.
    Symlink { path: String, to: String },
    /// An existing file made unreadable (mode 000).
    Unreadable(String),
    /// A file of `size` bytes that holds nothing (sparse).
    Sparse { path: String, size: u64 },
    /// A file written from parts, each repeated `times` (in a part, `{n}`
    /// becomes the repetition's number).
    Write { path: String, parts: Vec<Part> },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Part {
    text: String,
    #[serde(default = "once")]
    times: usize,
}

fn once() -> usize {
    1
}

/// Memory a run may use (`RLIMIT_DATA`: heap and other private writable
/// mappings). A 50 MB file needs about 200 MiB (read, parsed, its long
/// texts held once more in the tree); an unbounded read of `/dev/zero`, or
/// the 12 bytes of memory per byte of a long line that the first renderer
/// took, would not fit.
const MEMORY_LIMIT: u64 = 384 * 1024 * 1024;

fn cases() -> Vec<(String, Case)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(CATALOGUE).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(dir.join("case.yaml"))
            .unwrap_or_else(|e| panic!("{name}: no case.yaml: {e}"));
        let case: Case =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
        out.push((name, case));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Builds a case's dataset under `root/data`; says whether a file made
/// unreadable can still be read.
fn build(name: &str, case: &Case, root: &Path) -> bool {
    let data = root.join("data");
    fs::create_dir_all(&data).unwrap();
    if let Some(base) = &case.base {
        copy_tree(&Path::new("tests/fixtures").join(base), &data);
    }
    let own = Path::new(CATALOGUE).join(name).join("data");
    if own.is_dir() {
        copy_tree(&own, &data);
    }
    let mut readable_anyway = false;
    for make in &case.make {
        match make {
            Make::Fifo(p) => {
                let made = std::process::Command::new("mkfifo")
                    .arg(data.join(p))
                    .status()
                    .unwrap();
                assert!(made.success(), "{name}: mkfifo");
            }
            Make::Dir(p) => fs::create_dir_all(data.join(p)).unwrap(),
            Make::Symlink { path, to } => std::os::unix::fs::symlink(to, data.join(path)).unwrap(),
            Make::Unreadable(p) => {
                use std::os::unix::fs::PermissionsExt;
                let path = data.join(p);
                fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
                readable_anyway = fs::File::open(&path).is_ok();
            }
            Make::Sparse { path, size } => {
                fs::File::create(data.join(path))
                    .unwrap()
                    .set_len(*size)
                    .unwrap();
            }
            Make::Write { path, parts } => {
                use std::io::Write;
                let mut f = std::io::BufWriter::new(fs::File::create(data.join(path)).unwrap());
                for part in parts {
                    if part.text.contains("{n}") {
                        for n in 0..part.times {
                            f.write_all(part.text.replace("{n}", &n.to_string()).as_bytes())
                                .unwrap();
                        }
                    } else {
                        let chunk = part.text.repeat(part.times.min(1 << 16));
                        let mut left = part.times;
                        while left > 0 {
                            let k = left.min(1 << 16);
                            f.write_all(&chunk.as_bytes()[..k * part.text.len()])
                                .unwrap();
                            left -= k;
                        }
                    }
                }
                f.flush().unwrap();
            }
        }
    }
    readable_anyway
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    took: Duration,
}

/// Who runs detente.
#[derive(Clone, Copy, PartialEq)]
enum As {
    /// Whoever runs the test.
    Tester,
    /// `nobody`, when the tester is root: permissions then stop reads.
    Nobody,
}

/// `detente ARGS` in `root`, under the memory limit and a time limit.
fn run(root: &Path, args: &[&str], seconds: u64, who: As) -> Run {
    let started = Instant::now();
    let out = detente_as(who)
        .args(args)
        .current_dir(root)
        .env_remove("DETENTE_DATA")
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .timeout(Duration::from_secs(seconds))
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: started.elapsed(),
    }
}

/// The command that runs detente as `who` under the memory limit: `prlimit`,
/// itself started by `setpriv` for `nobody`, so that `nobody` is who has to
/// reach the binary (`setpriv` may still hold root's rights when it starts
/// its own child).
fn detente_as(who: As) -> assert_cmd::Command {
    let mut cmd = if who == As::Nobody {
        let mut c = assert_cmd::Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            "prlimit",
        ]);
        c
    } else {
        assert_cmd::Command::new("prlimit")
    };
    cmd.arg(format!("--data={MEMORY_LIMIT}"))
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin("detente"));
    cmd
}

/// Every way the case's two runs can disagree with its manifest.
fn check_case(name: &str, case: &Case) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut fail = |what: String| wrong.push(format!("{name}: {what}"));
    let tmp = tempfile::tempdir().unwrap();
    let readable_anyway = build(name, case, tmp.path());
    // Root reads a file of mode 000 all the same. Then the case runs as
    // `nobody` where `setpriv` can switch to it (as on CI), and otherwise
    // checks what a reader who can read it gets, saying so.
    let mut who = As::Tester;
    let outcome = match (&case.when_readable, readable_anyway) {
        (Some(_), true) if can_run_as_nobody(tmp.path()) => {
            who = As::Nobody;
            case.outcome.clone()
        }
        (Some(o), true) => {
            eprintln!(
                "NOTE {name}: a file of mode 000 can still be read here (running as \
                 root?) and `setpriv` cannot run detente as nobody, so the case checks \
                 its outcome `when_readable` instead"
            );
            o.clone()
        }
        _ => case.outcome.clone(),
    };
    let data = case.data.as_deref().unwrap_or("data");
    let seconds = case.seconds.unwrap_or(60);

    // JSON: the exact list.
    let json = run(
        tmp.path(),
        &["--data", data, "check", "--format", "json"],
        seconds,
        who,
    );
    let text = run(tmp.path(), &["--data", data, "check"], seconds, who);
    for (mode, r) in [("json", &json), ("text", &text)] {
        if r.code != Some(outcome.exit) {
            fail(format!(
                "{mode}: exit {:?}, not {} (after {:?}); stderr:\n{}",
                r.code,
                outcome.exit,
                r.took,
                cut(&r.stderr)
            ));
        }
        if r.stderr.contains("panicked") || r.stderr.contains("overflowed its stack") {
            fail(format!("{mode}: crashed:\n{}", cut(&r.stderr)));
        }
        // A report is made of lines a terminal can show: long lines of the
        // data are abbreviated around the column, values cut.
        if let Some(line) = r.stderr.lines().find(|l| l.chars().count() > 1_200) {
            fail(format!(
                "{mode}: a line of {} characters on stderr",
                line.chars().count()
            ));
        }
    }
    let v: serde_json::Value = match serde_json::from_slice(&json.stdout) {
        Ok(v) => v,
        Err(e) => {
            fail(format!(
                "json: stdout is not one JSON document ({e}): {}",
                cut(&String::from_utf8_lossy(&json.stdout))
            ));
            return wrong;
        }
    };
    match outcome.exit {
        0 => {
            if v["ok"] != true {
                fail(format!("json: not ok: {}", cut(&v.to_string())));
            }
            if !text.stderr.is_empty() {
                fail(format!("text: stderr on success:\n{}", cut(&text.stderr)));
            }
        }
        1 => {
            let got: Vec<Expected> = v["problems"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .map(|p| Expected {
                            at: format!(
                                "{}:{}:{}",
                                p["file"].as_str().unwrap_or("?"),
                                p["line"],
                                p["column"]
                            ),
                            code: p["code"].as_str().unwrap_or("?").into(),
                            message: p["message"].as_str().unwrap_or("?").into(),
                            help: p["help"].as_str().map(String::from),
                        })
                        .collect()
                })
                .unwrap_or_default();
            if got != outcome.problems {
                fail(format!(
                    "json: problems differ; expected\n{}\ngot\n{}",
                    as_manifest(&outcome.problems),
                    as_manifest(&got)
                ));
            }
            for p in &outcome.problems {
                let line = format!("× {}: {}", p.at, p.message);
                if !text.stderr.contains(&line) {
                    fail(format!("text: no line `{line}` in:\n{}", cut(&text.stderr)));
                }
            }
        }
        _ => match &outcome.error {
            Some(e) => {
                let got = Error {
                    code: v["error"]["code"].as_str().unwrap_or("?").into(),
                    message: v["error"]["message"].as_str().unwrap_or("?").into(),
                };
                if &got != e {
                    fail(format!("json: error {got:?}, not {e:?}"));
                }
                if !text.stderr.starts_with(&format!("error: {}\n", e.message)) {
                    fail(format!("text: stderr is\n{}", cut(&text.stderr)));
                }
            }
            None => fail("exit 2 needs `error:` in the manifest".into()),
        },
    }
    if outcome.exit != 0 && !text.stdout.is_empty() {
        fail(format!(
            "text: stdout is not empty: {}",
            cut(&String::from_utf8_lossy(&text.stdout))
        ));
    }
    for s in &case.shown {
        if !text.stderr.contains(s.as_str()) {
            fail(format!(
                "text: `{s}` is not shown in:\n{}",
                cut(&text.stderr)
            ));
        }
    }
    if case.about.trim().is_empty() {
        fail("`about` is empty".into());
    }
    wrong
}

/// Problems as a manifest lists them, so a difference reads like the file.
fn as_manifest(problems: &[Expected]) -> String {
    let q = |s: &str| serde_json::Value::from(s).to_string();
    let mut out = String::from("problems:\n");
    for p in problems {
        out.push_str(&format!(
            "  - at: {}\n    code: {}\n    message: {}\n",
            p.at,
            p.code,
            q(&p.message)
        ));
        if let Some(h) = &p.help {
            out.push_str(&format!("    help: {}\n", q(h)));
        }
    }
    out
}

/// Whether `nobody` can run detente in `root` (made readable to it): the
/// binary must be reachable by `nobody` (a checkout under a directory of
/// mode 0700 is not), and `setpriv` able to switch users (root). Probed
/// through the very command the cases run.
fn can_run_as_nobody(root: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(root, fs::Permissions::from_mode(0o755));
    detente_as(As::Nobody)
        .arg("--version")
        .current_dir(root)
        .timeout(Duration::from_secs(60))
        .output()
        .is_ok_and(|o| o.status.success())
}

fn cut(s: &str) -> String {
    if s.len() <= 4_000 {
        return s.to_string();
    }
    let mut end = 4_000;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &s[..end], s.len())
}

#[test]
fn every_bad_input_in_the_catalogue_gets_its_clear_error() {
    if !common::require("prlimit", &["--version"], "apt-get install util-linux") {
        return;
    }
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    // Two at a time: the big cases take a while in a debug build.
    let queue = std::sync::Mutex::new(cases.iter());
    let wrong: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut wrong = Vec::new();
                    loop {
                        let next = queue.lock().unwrap().next();
                        let Some((name, case)) = next else { break };
                        wrong.extend(check_case(name, case));
                    }
                    wrong
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// The issue's list of cases, each of which must have a directory here.
#[test]
fn the_catalogue_covers_every_case_the_issue_lists() {
    let names: Vec<PathBuf> = fs::read_dir(CATALOGUE)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let has = |n: &str| names.iter().any(|p| p.file_name().unwrap() == n);
    for required in REQUIRED {
        assert!(has(required), "no case `{required}` in {CATALOGUE}");
    }
}

const REQUIRED: &[&str] = &[
    "syntax-unclosed-quote",
    "syntax-unclosed-bracket",
    "syntax-unclosed-brace",
    "syntax-bad-indentation",
    "tab-in-indentation",
    "alias-bomb",
    "nesting-20000-lists-in-data",
    "nesting-20000-maps-in-data",
    "nesting-20000-block-lists-in-data",
    "nesting-20000-lists-in-ontology",
    "nesting-20000-maps-in-ontology",
    "file-50-mb",
    "file-over-the-size-limit",
    "line-50-mb",
    "symlink-to-dev-zero",
    "fifo",
    "directory-named-yaml",
    "duplicate-keys",
    "same-id-in-two-files",
    "unknown-field",
    "unknown-kind",
    "unknown-relation-type",
    "unknown-source",
    "dangling-reference",
    "invalid-edtf",
    "february-30",
    "end-before-start",
    "lineage-cycle",
    "lineage-self-loop",
    "wrong-top-level-type",
    "wrong-top-level-type-ontology",
    "empty-file",
    "empty-ontology",
    "only-comments",
    "utf8-bom",
    "not-utf8",
    "yaml-tag-binary",
    "yaml-tag-custom",
    "merge-keys",
    "name-1-mb",
    "control-characters-in-names",
    "bidi-override-in-names",
    "symlink-loop",
    "broken-symlink",
    "symlink-outside-the-dataset",
    "unreadable-file",
    "data-path-missing",
    "data-path-is-a-file",
];

// ---------------------------------------------------------------------------
// docs/errors.md takes its examples from this catalogue and from commands on
// the bundled dataset; these tests keep it true.

const ERRORS_MD: &str = "docs/errors.md";

/// The ```text blocks of a Markdown text, each with the line before it.
fn text_blocks(md: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut before = String::new();
    let mut lines = md.lines();
    while let Some(line) = lines.next() {
        if line == "```text" {
            let body: Vec<String> = lines
                .by_ref()
                .take_while(|l| *l != "```")
                .map(String::from)
                .collect();
            out.push((before.clone(), body));
        } else if !line.trim().is_empty() {
            before = line.to_string();
        }
    }
    out
}

#[test]
fn every_catalogue_example_in_docs_errors_md_is_what_its_case_reports() {
    let md = fs::read_to_string(ERRORS_MD).unwrap();
    let cases: std::collections::BTreeMap<String, Case> = cases().into_iter().collect();
    let mut checked = 0;
    for (before, body) in text_blocks(&md) {
        let Some(name) = before
            .strip_prefix("Catalogue: `")
            .and_then(|r| r.split('`').next())
        else {
            continue;
        };
        let case = cases
            .get(name)
            .unwrap_or_else(|| panic!("{ERRORS_MD}: no catalogue case `{name}`"));
        let shown = body.join("\n");
        let found = case.outcome.problems.iter().any(|p| {
            let mut text = format!("{}: {}", p.at, p.message);
            if let Some(h) = &p.help {
                text.push_str(&format!("\n  help: {h}"));
            }
            text == shown
        });
        assert!(
            found,
            "{ERRORS_MD}: the example of `{name}` is not one of its problems:\n{shown}\n\nit reports:\n{}",
            as_manifest(&case.outcome.problems)
        );
        checked += 1;
    }
    // The table of datasets that cannot be read: `| code | message (`case`) | fix |`.
    for row in md.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        let Some(message) = cells.get(1).and_then(|m| m.strip_suffix("`)")) else {
            continue;
        };
        let (message, name) = message.rsplit_once(" (`").unwrap();
        let case = &cases[name];
        let e = case.outcome.error.as_ref().unwrap();
        assert_eq!(
            (cells[0].trim_start_matches("| "), message),
            (format!("`{}`", e.code).as_str(), e.message.as_str()),
            "{ERRORS_MD}: the row of `{name}`"
        );
        checked += 1;
    }
    assert!(checked > 40, "only {checked} examples found in {ERRORS_MD}");
}

/// The guides whose ```text blocks may hold a command example: `$ detente …`
/// (after environment settings such as `DETENTE_DOT_TIMEOUT=soon`), what
/// it prints on stderr, then `$ echo $?` and its exit code.
fn command_examples() -> Vec<(String, Vec<String>)> {
    let mut docs: Vec<PathBuf> = vec![PathBuf::from("README.md")];
    for f in fs::read_dir("docs").unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "md") {
            docs.push(f);
        }
    }
    docs.sort();
    let mut out = Vec::new();
    for doc in docs {
        let md = fs::read_to_string(&doc).unwrap();
        for (before, body) in text_blocks(&md) {
            let is_command = body.first().is_some_and(|l| {
                l.strip_prefix("$ ").is_some_and(|cmd| {
                    cmd.split(' ')
                        .find(|w| !w.contains('='))
                        .is_some_and(|w| w == "detente")
                })
            });
            if is_command {
                out.push((format!("{}: {before}", doc.display()), body));
            }
        }
    }
    out
}

/// Runs a command example as a reader would paste it, in a scratch
/// directory that sees the crate's data, examples and tests; returns its
/// exit code, stdout and stderr.
fn run_example(scratch: &Path, line: &str) -> (Option<i32>, String, String) {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(line)
        .current_dir(scratch)
        .env(
            "PATH",
            format!(
                "{}:{}",
                assert_cmd::cargo::cargo_bin("detente")
                    .parent()
                    .unwrap()
                    .display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env_remove("DETENTE_DATA")
        .env_remove("DETENTE_DOT_TIMEOUT")
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch_with_the_crate() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    for d in ["data", "examples", "tests"] {
        std::os::unix::fs::symlink(root.join(d), scratch.path().join(d)).unwrap();
    }
    scratch
}

/// Every command example in the guides (most in docs/errors.md) prints
/// exactly what it shows on stderr, nothing on stdout, and exits as shown.
#[test]
fn every_command_example_in_the_guides_prints_what_it_shows() {
    let scratch = scratch_with_the_crate();
    let mut checked = 0;
    let mut dot = None;
    for (place, body) in command_examples() {
        let line = &body[0][2..];
        let n = body.len();
        assert!(
            n >= 3 && body[n - 2] == "$ echo $?",
            "{place}: `{line}` must end with `$ echo $?` and the exit code"
        );
        // A picture is measured with Graphviz.
        if [".svg", ".png", ".pdf", " site "]
            .iter()
            .any(|x| line.contains(x))
            && !*dot.get_or_insert_with(|| {
                common::require(
                    "dot",
                    &["-V"],
                    "install Graphviz (apt-get install graphviz)",
                )
            })
        {
            continue;
        }
        let (code, stdout, stderr) = run_example(scratch.path(), line);
        assert_eq!(
            stderr.trim_end(),
            body[1..n - 2].join("\n"),
            "{place}: stderr of `{line}`"
        );
        assert_eq!(
            code.map(|c| c.to_string()),
            Some(body[n - 1].clone()),
            "{place}: exit code of `{line}`"
        );
        assert!(stdout.is_empty(), "{place}: `{line}` printed on stdout");
        checked += 1;
    }
    assert!(
        checked >= 20,
        "only {checked} command examples in the guides"
    );
    // Nothing a refused command names was written.
    let mut left: Vec<_> = fs::read_dir(scratch.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["data", "examples", "tests"],
        "a refused command wrote"
    );
}

/// The codes of the table of errors that stop a command, with their exits.
fn command_error_codes(md: &str) -> Vec<(String, String)> {
    let table = md
        .split("## Errors that stop a command")
        .nth(1)
        .and_then(|t| t.split("\n## ").next())
        .expect("the section on errors that stop a command");
    table
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let code = cells.first()?.strip_prefix("| `")?.strip_suffix('`')?;
            Some((code.to_string(), cells.get(1)?.to_string()))
        })
        .collect()
}

/// Every code of the table of errors that stop a command has a worked
/// example: a command example after `Code: `CODE``, exiting as the table
/// says (where the command answers in JSON, its `--format json` error
/// carries that code), or a row of the table of datasets that cannot be
/// read, which `every_catalogue_example_in_docs_errors_md_is_what_its_case_reports`
/// checks against the catalogue.
#[test]
fn every_command_error_code_has_a_worked_example_in_docs_errors_md() {
    let md = fs::read_to_string(ERRORS_MD).unwrap();
    let codes = command_error_codes(&md);
    assert!(codes.len() >= 15, "{codes:?}");
    let scratch = scratch_with_the_crate();
    let blocks = text_blocks(&md);
    for (code, exit) in &codes {
        let examples: Vec<&Vec<String>> = blocks
            .iter()
            .filter(|(before, _)| *before == format!("Code: `{code}`"))
            .map(|(_, body)| body)
            .collect();
        let in_the_table = md.lines().any(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            cells.len() >= 3 && cells[0] == format!("| `{code}`") && cells[1].ends_with("`)")
        });
        assert!(
            !examples.is_empty() || in_the_table,
            "{ERRORS_MD}: no example of `{code}`"
        );
        for body in examples {
            let line = body[0].strip_prefix("$ ").expect("a command example");
            assert_eq!(
                body.last().map(String::as_str),
                Some(exit.as_str()),
                "{ERRORS_MD}: `{line}` exits otherwise than the table says of `{code}`"
            );
            // Answers that have `--format json` name the code there.
            let (_, stdout, _) = run_example(scratch.path(), &format!("{line} --format json"));
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&stdout) {
                assert_eq!(v["error"]["code"], code.as_str(), "`{line} --format json`");
            }
        }
    }
}

/// Every code `check --format json` or a refused query can report has its
/// section: a new kind of problem cannot go undocumented. Every code the
/// command line can stop with is a row of the table of errors that stop a
/// command (which
/// `every_command_error_code_has_a_worked_example_in_docs_errors_md`
/// holds to an example each).
#[test]
fn docs_errors_md_names_every_code() {
    let md = fs::read_to_string(ERRORS_MD).unwrap();
    let problems = problem_codes();
    let missing: Vec<&String> = problems
        .iter()
        .filter(|c| !md.contains(&format!("`{c}`")))
        .collect();
    assert!(missing.is_empty(), "{ERRORS_MD} does not name {missing:?}");
    let tabled: Vec<String> = command_error_codes(&md)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let codes = cli_codes();
    assert!(codes.len() >= 15, "{codes:?}");
    let missing: Vec<&String> = codes.iter().filter(|c| !tabled.contains(c)).collect();
    assert!(
        missing.is_empty(),
        "{ERRORS_MD}: the table of errors that stop a command has no row for {missing:?}"
    );
}

/// The codes the command line stops with: every `code: "…"` in `src/cli/`,
/// the arms of its `let code = match` and `let (code, help) = match`, and
/// the codes `exit.rs` gives refused queries.
fn cli_codes() -> Vec<String> {
    let quoted = |s: &str| -> Option<String> {
        let start = s.find('"')? + 1;
        let code = &s[start..start + s[start..].find('"')?];
        (!code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .then(|| code.to_string())
    };
    let mut codes = Vec::new();
    for f in fs::read_dir("src/cli").unwrap() {
        let text = fs::read_to_string(f.unwrap().path()).unwrap();
        for (i, _) in text.match_indices("code: \"") {
            codes.extend(quoted(&text[i..]));
        }
        for head in ["let code = match", "let (code, help) = match"] {
            for (i, _) in text.match_indices(head) {
                let block = &text[i..];
                let block = &block[..block.find("\n        };").or(block.find("};")).unwrap()];
                for (j, _) in block.match_indices("=> ") {
                    codes.extend(quoted(
                        &block[j..block[j..].find('\n').map_or(block.len(), |k| j + k)],
                    ));
                }
            }
        }
        for (i, _) in text
            .match_indices("Usage, \"")
            .chain(text.match_indices("Data, \""))
        {
            codes.extend(quoted(&text[i..]));
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

/// The codes the loader can report: the variants of `Problem`, in
/// kebab-case as the JSON reports them.
fn problem_codes() -> Vec<String> {
    let source = fs::read_to_string("src/load/problem.rs").unwrap();
    let body = source
        .split("pub enum Problem {")
        .nth(1)
        .and_then(|b| b.split("\n}\n").next())
        .expect("enum Problem");
    let codes: Vec<String> = body
        .lines()
        .filter_map(|l| {
            let l = l.strip_prefix("    ")?;
            let name = l.split([' ', '{', ',']).next()?;
            (name.chars().next()?.is_ascii_uppercase()).then(|| kebab(name))
        })
        .collect();
    assert!(codes.len() >= 20, "{codes:?}");
    codes
}

/// Each code the loader can report has a section of its own, headed with
/// the code, that shows an example (a ```text block, which
/// `every_catalogue_example_in_docs_errors_md_is_what_its_case_reports`
/// checks against the catalogue) and says the fix: the example's `help:`
/// line, or a sentence starting `Fix:` where the problem has no help.
#[test]
fn every_loader_code_has_a_section_in_docs_errors_md_with_an_example_and_its_fix() {
    let md = fs::read_to_string(ERRORS_MD).unwrap();
    for code in problem_codes() {
        let head = format!("### `{code}` — ");
        let section = md
            .split("\n### ")
            .map(|s| format!("### {s}"))
            .find(|s| s.starts_with(&head))
            .unwrap_or_else(|| panic!("{ERRORS_MD} has no section `{head}…`"));
        let section = section.split("\n## ").next().unwrap();
        let examples = text_blocks(section);
        assert!(
            examples
                .iter()
                .any(|(before, _)| before.starts_with("Catalogue: `")),
            "{ERRORS_MD}: the section of `{code}` shows no example from the catalogue"
        );
        assert!(
            examples
                .iter()
                .any(|(_, body)| body.iter().any(|l| l.starts_with("  help: ")))
                || section.contains("\nFix: "),
            "{ERRORS_MD}: the section of `{code}` says no fix"
        );
    }
}

fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
