//! The command line in the shell: completions, the man page, the
//! terminal's width and colour.

mod common;

use assert_cmd::Command;
use common::stdout;
use unicode_width::UnicodeWidthStr;

const FIXTURE: &str = "tests/fixtures/cli";

/// The shared runner, with `NO_COLOR` unset: these tests decide colour.
fn detente() -> Command {
    let mut c = common::detente();
    c.env_remove("NO_COLOR");
    c
}

/// Stdout of `script` run by bash after loading detente's completions;
/// the script must succeed.
fn bash(script: &str) -> String {
    stdout(common::program("bash").arg("-c").arg(format!(
        "source <(\"$DETENTE\" completions bash) && {script}"
    )))
}

/// There were no shell completions.
#[test]
fn completions_load_in_bash() {
    if !common::require("bash", &["--version"], "apt-get install bash") {
        return;
    }
    let said = bash("complete -p detente");
    assert!(said.contains("-F _detente detente"), "{said}");
    // Subcommands are completed.
    let script = stdout(detente().args(["completions", "bash"]));
    for sub in ["search", "lineage", "diagram", "completions"] {
        assert!(script.contains(sub), "{sub} missing");
    }
    for shell in ["zsh", "fish", "powershell"] {
        assert!(!stdout(detente().args(["completions", shell])).is_empty());
    }
}

/// There was no man page.
#[test]
fn man_page_renders() {
    if !common::require("man", &["--version"], "apt-get install man-db") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("detente.1");
    std::fs::write(&page, stdout(detente().arg("man"))).unwrap();
    let text = stdout(
        common::program("man")
            .arg(&page)
            .env("MANWIDTH", "80")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat"),
    );
    assert!(text.contains("NAME"), "{text}");
    assert!(text.contains("detente"), "{text}");
    // One page: every command has its section with its own options, and
    // no page it points at is missing.
    assert!(!text.contains("detente-show(1)"), "{text}");
    for command in ["detente show", "detente diagram lineage", "detente export"] {
        assert!(
            text.lines().any(|l| l.trim() == command),
            "no section for `{command}`:\n{text}"
        );
    }
    // `--format` is listed with each command's own values only.
    let section = |name: &str| -> String {
        text.lines()
            .skip_while(|l| l.trim() != name)
            .skip(1)
            .take_while(|l| !l.starts_with("   detente "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let show = section("detente show");
    assert!(show.contains("--format") && show.contains("json"), "{show}");
    assert!(!show.contains("mermaid"), "{show}");
    let diagram = section("detente diagram");
    assert!(diagram.contains("--format") && diagram.contains("mermaid"));
    assert!(!diagram.contains("json"), "{diagram}");
    assert!(!section("detente export").contains("--format"));
}

/// The commands that answer in text or JSON, and those that draw; every
/// other command has no `--format`.
const ANSWERS: &[&str] = &[
    "check",
    "show",
    "list",
    "find",
    "search",
    "lineage",
    "path",
    "neighbors",
    "active",
    "timeline",
    "diff",
    "compare",
    "claims",
    "stats",
];
const DIAGRAMS: &[&str] = &["timeline", "lineage", "network", "ego"];
const NO_FORMAT: &[&str] = &["diagram", "export", "site", "completions", "man", "import"];

/// The names under `Commands:` in a help text.
fn commands_in(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        // A command's line starts two spaces in; a long description
        // wraps onto lines indented further, which name no command.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// The global `--format` listed seven values for every command and each
/// command refused the wrong ones at run time.
#[test]
fn format_is_per_command_and_lists_only_what_the_command_accepts() {
    let top = stdout(detente().arg("--help"));
    assert!(!top.contains("--format"), "{top}");
    let mut all = commands_in(&top);
    all.sort();
    let mut expected: Vec<String> = ANSWERS
        .iter()
        .chain(NO_FORMAT)
        .map(|s| s.to_string())
        .collect();
    expected.sort();
    assert_eq!(
        all, expected,
        "a new command: decide which formats it takes"
    );
    let mut views = commands_in(&stdout(detente().args(["diagram", "--help"])));
    views.sort();
    let mut expected_views: Vec<String> = DIAGRAMS.iter().map(|s| s.to_string()).collect();
    expected_views.sort();
    assert_eq!(views, expected_views);

    for command in ANSWERS {
        // Help is wrapped to the width: compare it with its line breaks
        // as spaces.
        let help = one_line(&stdout(detente().args([command, "-h"])));
        assert!(
            help.contains("--format <FORMAT>") && help.contains("[possible values: text, json]"),
            "{command}: {help}"
        );
        assert!(!help.contains("mermaid"), "{command}: {help}");
        // A diagram's format is refused by clap, before any data is read.
        detente()
            .args([command, "--format", "svg"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains(
                "invalid value 'svg' for '--format <FORMAT>'",
            ));
    }
    for view in DIAGRAMS {
        let help = one_line(&stdout(detente().args(["diagram", view, "-h"])));
        assert!(
            help.contains("[possible values: dot, svg, png, pdf, mermaid]"),
            "{view}: {help}"
        );
        assert!(!help.contains("json"), "{view}: {help}");
        detente()
            .args(["diagram", view, "--format", "json"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains(
                "invalid value 'json' for '--format <FORMAT>'",
            ));
    }
    for command in NO_FORMAT.iter().filter(|c| **c != "diagram") {
        let help = stdout(detente().args([command, "-h"]));
        assert!(!help.contains("--format"), "{command}: {help}");
    }
    let export = stdout(detente().args(["export", "-h"]));
    assert!(
        export.contains("[possible values: json, csv, graphml"),
        "{export}"
    );
    detente()
        .args(["export", "json", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unexpected argument '--format'"));
    // Where users type it, after the command, it works as before.
    let json = stdout(detente().args(["--data", FIXTURE, "show", "lecd", "--format", "json"]));
    assert!(json.starts_with('{'), "{json}");
    let mermaid = stdout(detente().args([
        "--data", FIXTURE, "diagram", "lineage", "lecd", "--format", "mermaid",
    ]));
    assert!(mermaid.contains("flowchart"), "{mermaid}");
    let dot = stdout(detente().args([
        "--data", FIXTURE, "diagram", "--format", "dot", "lineage", "lecd",
    ]));
    assert!(
        dot.starts_with("digraph") || dot.contains("digraph"),
        "{dot}"
    );
}

/// `--cite-style` was global: `export`, `diagram`, `site`, `import`,
/// `completions` and `man` listed it in their help and accepted it, and
/// nothing changed.
#[test]
fn cite_style_belongs_to_the_answering_commands_only() {
    for command in ANSWERS {
        let help = stdout(detente().args([command, "-h"]));
        assert!(help.contains("--cite-style <STYLE>"), "{command}: {help}");
    }
    for command in NO_FORMAT {
        let help = stdout(detente().args([command, "-h"]));
        assert!(!help.contains("--cite-style"), "{command}: {help}");
    }
    for view in DIAGRAMS {
        let help = stdout(detente().args(["diagram", view, "-h"]));
        assert!(!help.contains("--cite-style"), "{view}: {help}");
    }
    for args in [
        &["export", "json", "--cite-style", "apa"][..],
        &["diagram", "lineage", "lecd", "--cite-style", "apa"],
        &["--cite-style", "apa", "export", "json"],
    ] {
        detente()
            .args(["--data", FIXTURE])
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains(
                "unexpected argument '--cite-style'",
            ));
    }
    // Where an answer takes it, it changes the sources.
    let plain = stdout(detente().args(["--data", FIXTURE, "lineage", "lecd"]));
    let apa = stdout(detente().args(["--data", FIXTURE, "lineage", "lecd", "--cite-style", "apa"]));
    assert_ne!(plain, apa);
    assert!(apa.contains("Shen Yi. (2017, October 5)."), "{apa}");
}

/// Completion offered every format to every command.
#[test]
fn completions_offer_each_command_only_its_formats() {
    if !common::require("bash", &["--version"], "apt-get install bash") {
        return;
    }
    let complete = |words: &str| -> Vec<String> {
        let said = bash(&format!(
            "COMP_WORDS=({words} '') && COMP_CWORD=${{#COMP_WORDS[@]}}-1 && COMP_LINE=\"{words} \" && COMP_POINT=${{#COMP_LINE}} && _detente detente '' \"${{COMP_WORDS[COMP_CWORD-1]}}\" && printf '%s\\n' \"${{COMPREPLY[@]}}\""
        ));
        let mut v: Vec<String> = said.split_whitespace().map(str::to_string).collect();
        v.sort();
        v
    };
    assert_eq!(complete("detente show lecd --format"), ["json", "text"]);
    assert_eq!(
        complete("detente diagram lineage lecd --format"),
        ["dot", "mermaid", "pdf", "png", "svg"]
    );
    assert!(!complete("detente export json").contains(&"--format".to_string()));
    // `export` names its format as its argument: those are completed.
    let exports = complete("detente export");
    for format in ["json", "graphml", "turtle"] {
        assert!(exports.contains(&format.to_string()), "{exports:?}");
    }
}

/// Help text with every run of white space as one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `--help` ignored the terminal's width too: clap's help is wrapped to the
/// width the answers are, `COLUMNS` or the terminal's, else 100.
#[test]
fn help_width_follows_columns() {
    for args in [vec!["--help"], vec!["diagram", "network", "--help"]] {
        let narrow = stdout(detente().env("COLUMNS", "60").args(&args));
        for line in narrow.lines() {
            assert!(
                line.width() <= 60,
                "{args:?}: {} columns: {line}",
                line.width()
            );
        }
        let piped = stdout(detente().env_remove("COLUMNS").args(&args));
        assert!(piped.lines().all(|l| l.width() <= 100), "{args:?}");
        assert!(piped.lines().any(|l| l.width() > 60), "{args:?}");
    }
}

/// Output ignored the terminal's width.
#[test]
fn text_width_follows_columns() {
    let wide = stdout(detente().args(["--data", FIXTURE, "show", "lecd"]));
    let narrow = stdout(
        detente()
            .env("COLUMNS", "60")
            .args(["--data", FIXTURE, "show", "lecd"]),
    );
    assert_ne!(wide, narrow);
    // Wrapped text (the summary and the source list) fits in 60 columns;
    // tables keep names whole, so they may not.
    let summary = narrow
        .lines()
        .skip_while(|l| !l.starts_with("  summary"))
        .take_while(|l| !l.is_empty());
    let sources = narrow.lines().skip_while(|l| *l != "Sources");
    // A single word (a URL) cannot be wrapped.
    for line in summary.chain(sources).filter(|l| l.trim().contains(' ')) {
        assert!(line.width() <= 60, "{} columns: {line}", line.width());
    }
    assert!(wide.lines().any(|l| l.width() > 60));
    // Piped output without COLUMNS is 100 wide, the same everywhere.
    assert!(wide
        .lines()
        .all(|l| l.width() <= 100 || !l.starts_with("  summary")));
}

/// Output ignored `NO_COLOR`; there was no `--color`.
#[test]
fn colour_follows_the_color_flag_and_no_color() {
    let esc = |s: &str| s.contains('\u{1b}');
    let args = ["--data", FIXTURE, "lineage", "lecd"];
    // Piped: no colour unless asked.
    assert!(!esc(&stdout(detente().args(args))));
    assert!(esc(&stdout(
        detente().args(args).args(["--color", "always"])
    )));
    assert!(!esc(&stdout(
        detente().args(args).args(["--color", "never"])
    )));
    // JSON is never coloured.
    assert!(!esc(&stdout(
        detente()
            .args(args)
            .args(["--color", "always", "--format", "json"])
    )));
    // Nor are exports, diagrams, completions or the manual page: only text
    // answers are (an export was once painted, its lines made bold).
    for other in [
        &["export", "json"][..],
        &["export", "graphml"],
        &["diagram", "lineage", "lecd"],
        &["completions", "bash"],
        &["man"],
    ] {
        let (code, out, err) = common::output(
            detente()
                .args(["--data", FIXTURE, "--color", "always"])
                .args(other),
        );
        assert_eq!(code, 0, "{other:?}: {err}");
        assert!(!esc(&out), "{other:?} is coloured");
    }
    // On a terminal, colour unless NO_COLOR says otherwise.
    if !common::require("script", &["--version"], "apt-get install bsdutils") {
        return;
    }
    let on_terminal = |no_color: Option<&str>| -> String {
        // `script` runs the command through a shell, which expands $DETENTE.
        let mut c = common::program("script");
        c.args([
            "-qec",
            &format!("\"$DETENTE\" --data {FIXTURE} lineage lecd"),
            "/dev/null",
        ])
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        stdout(&mut c)
    };
    assert!(esc(&on_terminal(None)));
    assert!(!esc(&on_terminal(Some("1"))));
    // An empty NO_COLOR does not count (no-color.org).
    assert!(esc(&on_terminal(Some(""))));
}

/// A JSON answer is written to standard output as it is made, not held
/// whole first: a reader that stops early ends it quietly (exit 0, nothing
/// on stderr), and an output that cannot take it is an error (exit 2), as
/// when the whole answer was written at once.
#[test]
fn a_json_answer_ends_quietly_on_a_closed_pipe_and_fails_on_a_full_disk() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    for args in [
        &["timeline", "--format", "json"][..],
        &["list", "--format", "json"],
    ] {
        // The bundled dataset's answers, of hundreds of kilobytes: more
        // than a pipe holds.
        let mut child = Command::new(common::bin())
            .env_remove("DETENTE_DATA")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe is closed here, long before the answer ends.
        let out = child.wait_with_output().unwrap();
        assert!(matches!(first[0], b'{' | b'['), "{args:?}");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
        let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            continue;
        };
        let out = Command::new(common::bin())
            .env_remove("DETENTE_DATA")
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.starts_with("error: cannot write output: "), "{said}");
    }
}
