//! Helpers shared by the integration tests: the one way to run the binary
//! ([`detente`], [`run`], [`ok`], [`json`]), and [`require`] for tests that
//! need a program from outside Rust (Graphviz, Python packages, Chromium, a
//! SPARQL server).
//!
//! On CI (`CI` set) a missing tool is a failure: `.ci/run` installs every one
//! of them, so a missing one means the script is wrong. On a developer's
//! machine the test says loudly what it skipped and how to install it.
#![allow(dead_code)]

use std::process::Command;

/// Whether `program --version`-style probing (`args`) runs successfully.
/// Panics on CI when it does not; prints a skip notice elsewhere.
pub fn require(program: &str, args: &[&str], install: &str) -> bool {
    let ok = Command::new(program)
        .args(args)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("`{program}` is needed by this test and CI installs it: {install}");
        }
        eprintln!("SKIPPED: `{program}` is not available here; {install}");
    }
    ok
}

/// Whether Python can import every module named (e.g. `["networkx", "rdflib"]`).
/// Same policy as [`require`]: fatal on CI, a loud skip elsewhere.
pub fn require_python(modules: &[&str]) -> bool {
    let code = format!("import {}", modules.join(", "));
    require(
        "python3",
        &["-c", &code],
        "pip install -r tests/requirements.txt",
    )
}

/// One diagram of the gallery, as `docs/gallery/views.txt` lists it.
pub struct GalleryView {
    /// The file name, without extension.
    pub name: String,
    /// The arguments to `detente diagram`.
    pub args: Vec<String>,
    /// Formats rendered besides .dot, .mmd and .svg (e.g. `png`).
    pub extra: Vec<String>,
}

impl GalleryView {
    /// Whether the view is drawn at `--size poster` (not fitted to a slide).
    pub fn poster(&self) -> bool {
        self.args.iter().any(|a| a == "poster")
    }
}

/// The gallery's views, from `docs/gallery/views.txt`: one a line,
/// `name | arguments | extra formats`, `#` comments and blank lines skipped.
pub fn gallery_views() -> Vec<GalleryView> {
    std::fs::read_to_string("docs/gallery/views.txt")
        .expect("docs/gallery/views.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.split('|');
            let mut field = || parts.next().unwrap_or_default();
            let name = field().trim().to_string();
            let args = field().split_whitespace().map(str::to_string).collect();
            let extra = field().split_whitespace().map(str::to_string).collect();
            GalleryView { name, args, extra }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Running the binary. One runner for every test file, so a change of
// environment (a new variable that alters output) is made once.

/// `detente` as a user runs it, in a known environment: the bundled dataset
/// (`DETENTE_DATA` unset), no colour (`NO_COLOR`), the piped width
/// (`COLUMNS` unset), from the crate root so `tests/fixtures/…` resolve.
pub fn detente() -> assert_cmd::Command {
    known_environment(assert_cmd::Command::new(bin()))
}

/// The built binary's path, for a test that must start it through another
/// program (a shell that sets a umask or loads completions, `script` for a
/// terminal); [`program`] runs those.
pub fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("detente")
}

/// `name` (a shell, `script`) in the environment [`detente`] gets, with the
/// binary's path in `$DETENTE`, so the detente it starts runs as
/// [`detente`]'s does.
pub fn program(name: &str) -> assert_cmd::Command {
    let mut c = known_environment(assert_cmd::Command::new(name));
    c.env("DETENTE", bin());
    c
}

fn known_environment(mut c: assert_cmd::Command) -> assert_cmd::Command {
    c.env_remove("DETENTE_DATA")
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Exit code, stdout and stderr of a finished command.
pub fn output(c: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = c.output().expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

/// Stdout of a finished command, which must succeed (stderr in the panic).
pub fn stdout(c: &mut assert_cmd::Command) -> String {
    let (code, out, err) = output(c);
    assert_eq!(code, 0, "{c:?} failed: {err}");
    out
}

/// Exit code, stdout and stderr of `detente ARGS`.
pub fn run(args: &[&str]) -> (i32, String, String) {
    output(detente().args(args))
}

/// Stdout of `detente ARGS`, which must succeed (stderr in the panic).
pub fn ok(args: &[&str]) -> String {
    stdout(detente().args(args))
}

/// Stdout of `detente ARGS` parsed as JSON; the command must succeed and
/// ask for JSON itself (`--format json`, or an export).
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("detente {args:?}: not JSON ({e}): {out}"))
}

/// What Graphviz drew in an SVG, read with quick-xml (so a document that
/// is not well-formed XML fails the test that reads it).
#[derive(Debug, Default)]
pub struct Drawn {
    /// Every `<text>`, in document order, with the `<title>` of the node
    /// or edge group it is in (the DOT id, e.g. `n_old`; empty outside
    /// any). Entities are resolved; a no-break space reads as a space.
    pub texts: Vec<(String, String)>,
    /// Every tooltip (`xlink:title`), resolved.
    pub tooltips: Vec<String>,
}

impl Drawn {
    /// The text lines drawn inside the group titled `title`.
    pub fn texts_of(&self, title: &str) -> Vec<String> {
        self.texts
            .iter()
            .filter(|(t, _)| t == title)
            .map(|(_, s)| s.clone())
            .collect()
    }

    /// Every drawn text, one per line.
    pub fn all_text(&self) -> Vec<String> {
        self.texts.iter().map(|(_, s)| s.clone()).collect()
    }
}

/// Reads the texts and tooltips of an SVG that Graphviz wrote; panics if
/// it is not well-formed XML.
pub fn svg_drawn(svg: &str) -> Drawn {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut drawn = Drawn::default();
    // The open elements, each with the title of its group so far.
    let mut open: Vec<(String, String)> = Vec::new();
    let mut text: Option<String> = None;
    let mut in_title = false;
    let group_title = |open: &[(String, String)]| {
        open.iter()
            .rev()
            .find(|(name, title)| name == "g" && !title.is_empty())
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("the SVG is not well-formed XML: {e}"));
        let piece = match &event {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                for a in e.attributes() {
                    let a = a.expect("a well-formed attribute");
                    if a.key.as_ref() == b"xlink:title" {
                        let v = a.unescape_value().expect("known entities");
                        drawn.tooltips.push(v.replace('\u{a0}', " "));
                    }
                }
                match name.as_str() {
                    "text" if matches!(event, Event::Start(_)) => text = Some(String::new()),
                    "title" if matches!(event, Event::Start(_)) => in_title = true,
                    _ => {}
                }
                if matches!(event, Event::Start(_)) {
                    open.push((name, String::new()));
                }
                None
            }
            Event::End(e) => {
                match e.name().as_ref() {
                    b"text" => {
                        let t = text.take().expect("an open <text>");
                        drawn.texts.push((group_title(&open), t));
                    }
                    b"title" => in_title = false,
                    _ => {}
                }
                open.pop();
                None
            }
            Event::Text(e) => Some(e.decode().expect("UTF-8").into_owned()),
            Event::GeneralRef(e) => Some(if e.is_char_ref() {
                e.resolve_char_ref()
                    .expect("a valid character reference")
                    .expect("a character")
                    .to_string()
            } else {
                let name = e.decode().expect("UTF-8");
                quick_xml::escape::resolve_predefined_entity(&name)
                    .unwrap_or_else(|| panic!("an unknown entity &{name};"))
                    .to_string()
            }),
            Event::Eof => break,
            _ => None,
        };
        if let Some(piece) = piece {
            let piece = piece.replace('\u{a0}', " ");
            if let Some(t) = text.as_mut() {
                t.push_str(&piece);
            } else if in_title {
                // The title belongs to the group that holds it.
                let n = open.len();
                if n >= 2 && open[n - 2].0 == "g" {
                    open[n - 2].1.push_str(&piece);
                }
            }
        }
    }
    drawn
}
