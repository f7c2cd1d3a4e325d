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

/// The environment variable that sets how long `dot` may run, in seconds.
pub const DOT_TIMEOUT_ENV: &str = "DETENTE_DOT_TIMEOUT";

/// How long `dot` may run: [`DOT_TIMEOUT_ENV`] seconds, else two minutes
/// (the bundled dataset's largest diagram takes about two seconds).
fn dot_time_limit() -> Result<std::time::Duration, Failure> {
    let Some(v) = std::env::var_os(DOT_TIMEOUT_ENV) else {
        return Ok(std::time::Duration::from_secs(120));
    };
    v.to_str()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map(std::time::Duration::from_secs)
        .ok_or_else(|| {
            fail(
                format!(
                    "`{DOT_TIMEOUT_ENV}` must be a whole number of seconds, not `{}`",
                    v.to_string_lossy()
                ),
                None,
            )
        })
}

/// Runs `dot -T<format>` on `source`, for at most [`dot_time_limit`].
fn run_dot(source: &str, format: &str) -> Result<Vec<u8>, Failure> {
    let limit = dot_time_limit()?;
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
    // Feed stdin and drain stdout and stderr on their own threads, so a
    // large drawing cannot deadlock on full pipes and the wait below can
    // give up on time.
    let mut stdin = child.stdin.take().expect("piped");
    let input = source.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let drain = |pipe: Option<Box<dyn io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= limit => {
                // A crafted drawing can keep Graphviz's layout busy for
                // hours; a user waiting for a slide deserves an answer.
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(
                    format!(
                        "`dot` did not finish within {} s and was stopped",
                        limit.as_secs()
                    ),
                    Some(&format!(
                        "draw less (fewer kinds, a shorter period, a smaller depth), use `--format dot` or `--format mermaid`, or allow more time with {DOT_TIMEOUT_ENV}=SECONDS"
                    )),
                ));
            }
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(20)),
            Err(e) => return Err(fail(format!("`dot` failed: {e}"), None)),
        }
    };
    let _ = writer.join();
    let out = std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
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
