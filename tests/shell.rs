//! The command line in the shell: completions, the man page, the
//! terminal's width and colour.

mod common;

use assert_cmd::Command;
use unicode_width::UnicodeWidthStr;

const FIXTURE: &str = "tests/fixtures/cli";

fn detente() -> Command {
    let mut c = Command::cargo_bin("detente").expect("binary built");
    c.env_remove("DETENTE_DATA")
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// There were no shell completions.
#[test]
fn completions_load_in_bash() {
    if !common::require("bash", &["--version"], "apt-get install bash") {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("detente");
    let out = std::process::Command::new("bash")
        .args([
            "-c",
            &format!(
                "source <('{}' completions bash) && complete -p detente",
                bin.display()
            ),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
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
    let out = std::process::Command::new("man")
        .arg(&page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NAME"), "{text}");
    assert!(text.contains("detente"), "{text}");
    assert!(text.contains("SUBCOMMANDS"), "{text}");
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
    // On a terminal, colour unless NO_COLOR says otherwise.
    if !common::require("script", &["--version"], "apt-get install bsdutils") {
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("detente");
    let on_terminal = |no_color: Option<&str>| -> String {
        let mut c = std::process::Command::new("script");
        c.args([
            "-qec",
            &format!("'{}' --data {FIXTURE} lineage lecd", bin.display()),
            "/dev/null",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        let out = c.output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(esc(&on_terminal(None)));
    assert!(!esc(&on_terminal(Some("1"))));
    // An empty NO_COLOR does not count (no-color.org).
    assert!(esc(&on_terminal(Some(""))));
}
