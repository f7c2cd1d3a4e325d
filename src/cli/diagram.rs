//! Writing diagrams: DOT and Mermaid as text, SVG/PNG/PDF through the
//! Graphviz `dot` program. Files are written by `super::write`.

use std::io::{self, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use detente::render::{dot::to_dot, mermaid};
use detente::view::Scene;

use super::Failure;

/// Output formats of `detente diagram`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dot,
    Svg,
    Png,
    Pdf,
    Mermaid,
    /// Mermaid in a Markdown page, with the source list under it.
    Markdown,
}

impl Kind {
    /// The format a file name asks for.
    pub fn from_path(p: &Path) -> Option<Kind> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "dot" | "gv" => Kind::Dot,
            "svg" => Kind::Svg,
            "png" => Kind::Png,
            "pdf" => Kind::Pdf,
            "mmd" | "mermaid" => Kind::Mermaid,
            "md" | "markdown" => Kind::Markdown,
            _ => return None,
        })
    }

    /// The format's name, for the line saying what was written.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Dot => "dot",
            Kind::Svg => "svg",
            Kind::Png => "png",
            Kind::Pdf => "pdf",
            Kind::Mermaid => "mermaid",
            Kind::Markdown => "markdown",
        }
    }

    fn graphviz(self) -> Option<&'static str> {
        match self {
            Kind::Svg => Some("svg"),
            Kind::Png => Some("png"),
            Kind::Pdf => Some("pdf"),
            _ => None,
        }
    }
}

fn fail(message: String, help: Option<&str>) -> Failure {
    Failure::Error {
        exit: super::Exit::Usage,
        code: "diagram",
        message,
        help: help.map(str::to_string),
    }
}

/// The bytes of the diagram in `kind`.
pub fn render(scene: &Scene, kind: Kind) -> Result<Vec<u8>, Failure> {
    match kind {
        Kind::Dot => Ok(to_dot(scene).into_bytes()),
        Kind::Mermaid => Ok(mermaid::to_mermaid(scene).into_bytes()),
        Kind::Markdown => Ok(mermaid::to_markdown(scene).into_bytes()),
        _ => {
            let format = kind.graphviz().expect("a Graphviz format");
            run_dot(&to_dot(scene), format)
        }
    }
}

/// Runs `dot -T<format>` on `source`.
pub(super) fn run_dot(source: &str, format: &str) -> Result<Vec<u8>, Failure> {
    let mut cmd = Command::new("dot");
    cmd.arg(format!("-T{format}"));
    if format == "png" {
        // Sharp on a projected slide.
        cmd.arg("-Gdpi=144");
    }
    let child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(fail(
                format!("rendering {format} needs Graphviz's `dot` program, which is not installed"),
                Some("install Graphviz (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew install graphviz`; Windows: `winget install graphviz`), or use `--format dot` or `--format mermaid`, which need nothing else"),
            ))
        }
        Err(e) => return Err(fail(format!("cannot run `dot`: {e}"), None)),
    };
    // Feed stdin on its own thread so a large drawing cannot deadlock on
    // full pipes.
    let mut stdin = child.stdin.take().expect("piped");
    let input = source.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| fail(format!("`dot` failed: {e}"), None))?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(fail(
            format!(
                "`dot` could not render the diagram: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            Some("this is a bug in detente: please report it with the output of `--format dot`"),
        ));
    }
    Ok(out.stdout)
}
