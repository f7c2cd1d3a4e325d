//! Writing diagrams: DOT and Mermaid as text, SVG/PNG/PDF through the
//! Graphviz `dot` program. Files are written by `super::write`.

use std::io::{self, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::render::dot::{to_dot, PAD};
use crate::view::{Scene, Size, TooBig, MIN_PRINT_PT, MIN_TEXT_PX};

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

/// A rendered diagram and a few words on what it is, for the "wrote"
/// line: its format and its size in pixels or on the page.
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// Pixel or page size, for pictures.
    pub detail: Option<String>,
}

/// How many times a view too large for its medium is drawn again, each
/// time squeezed harder, before it is refused.
pub const MAX_SQUEEZE: u8 = 8;

/// A diagram drawn, or the refusal of one too large for its medium (with
/// `advice` on what to leave out), to be squeezed and tried again.
pub enum Outcome {
    Drawn(Rendered),
    /// The refusal, and how much of the legible minimum the text reaches
    /// (0.5: half as large as it must be).
    TooBig(Failure, f64),
}

/// The bytes of the diagram in `kind`, sized for `size`. Pictures made by
/// Graphviz are laid out once to measure them; a drawing whose body text
/// would be illegible on its medium is refused with `advice`. DOT is
/// measured too when Graphviz is there, so that it is the DOT of the
/// picture detente would draw. A PDF with `sources_pages` carries the full
/// numbered citations on the pages after the diagram's.
pub fn render(
    scene: &Scene,
    kind: Kind,
    size: Size,
    sources_pages: bool,
    advice: &str,
) -> Result<Outcome, Failure> {
    let text = |bytes: Vec<u8>| {
        Ok(Outcome::Drawn(Rendered {
            detail: None,
            bytes,
        }))
    };
    // DOT, Mermaid and Markdown are written by the export layer's diagram
    // writers; DOT is measured too when Graphviz is there, so that it is
    // the DOT of the picture detente would draw.
    if let Some(writer) = crate::export::diagram_exporter(kind.name()) {
        let file = writer.export(scene).remove(0);
        if matches!(kind, Kind::Dot) && size != Size::Poster {
            // Without Graphviz there is nothing to measure with, and DOT
            // needs nothing else: it is written as it is.
            if let Ok((w, h)) = measure(&String::from_utf8_lossy(&file.bytes)) {
                if let Err(e) = size.fit(w, h) {
                    return Ok(Outcome::TooBig(too_big(scene, &e, w, h, advice), reach(&e)));
                }
            }
        }
        return text(file.bytes);
    }
    let source = to_dot(scene);
    let (w, h) = measure(&source)?;
    let fit = match size.fit(w, h) {
        Ok(fit) => fit,
        Err(e) => return Ok(Outcome::TooBig(too_big(scene, &e, w, h, advice), reach(&e))),
    };
    let mut extra: Vec<String> = Vec::new();
    match (kind, size) {
        (Kind::Png, _) => extra.push(format!("-Gdpi={}", fit.dpi)),
        // Graphviz's PDF adds a half-inch margin of its own around the
        // drawing's pad: without it the page is the drawing, as in SVG.
        (Kind::Pdf, _) if size != Size::Handout => extra.push("-Gmargin=0".into()),
        (Kind::Pdf, Size::Handout) => {
            extra.push("-Gmargin=0".into());
            // The drawing scaled down to the printable area of A4; the
            // page around it is set when the PDF is put together (Graphviz's
            // `page` would cut a drawing into tiles, where it does anything).
            extra.push(format!(
                "-Gsize={:.3},{:.3}",
                w * fit.scale / 72.0,
                h * fit.scale / 72.0
            ));
        }
        _ => {}
    }
    let format = kind.graphviz().expect("a Graphviz format");
    let mut bytes = run_dot(&source, format, &extra)?;
    let mut pages = 1;
    if kind == Kind::Pdf && (sources_pages || size == Size::Handout) {
        use crate::render::pdf::{join_pages, PageBox, A4_PT};
        // Graphviz sets each page to its drawing's size: a handout's is
        // set on A4, the right way round, and so are the sources' pages.
        let a4 = |top: bool, landscape: bool| {
            Some(PageBox {
                size: if landscape { (A4_PT.1, A4_PT.0) } else { A4_PT },
                top,
            })
        };
        let mut docs = vec![(
            bytes,
            (size == Size::Handout)
                .then(|| a4(false, fit.landscape))
                .flatten(),
        )];
        if sources_pages {
            for page in crate::render::dot::sources_pages(scene) {
                docs.push((run_dot(&page, "pdf", &[])?, a4(true, false)));
            }
        }
        pages = docs.len();
        bytes = join_pages(&docs).map_err(|e| {
            fail(
                format!("cannot add the sources pages to the PDF: {e}"),
                Some("this is a bug in detente: please report it; `--sources handout` with a .png or .svg writes the sources beside the picture"),
            )
        })?;
    }
    let then_sources = if pages > 1 {
        format!(
            ", then {} page{} of sources",
            pages - 1,
            if pages > 2 { "s" } else { "" }
        )
    } else {
        String::new()
    };
    let detail = match kind {
        Kind::Png => png_size(&bytes).map(|(pw, ph)| format!("{pw} × {ph} px, {}", size.name())),
        Kind::Pdf if size == Size::Handout => Some(format!(
            "one A4 page, {}{then_sources}",
            if fit.landscape {
                "landscape"
            } else {
                "portrait"
            }
        )),
        Kind::Pdf => Some(format!("{w:.0} × {h:.0} pt, {}{then_sources}", size.name())),
        _ => Some(format!(
            "{:.0} × {:.0} px at natural size, {}",
            w * 96.0 / 72.0,
            h * 96.0 / 72.0,
            size.name()
        )),
    };
    Ok(Outcome::Drawn(Rendered { bytes, detail }))
}

/// The size of the drawing in points, from Graphviz's own layout.
fn measure(source: &str) -> Result<(f64, f64), Failure> {
    let plain = run_dot(source, "plain", &[])?;
    let first = String::from_utf8_lossy(&plain);
    let first = first.lines().next().unwrap_or_default();
    // `graph SCALE WIDTH HEIGHT`, in inches.
    let nums: Vec<f64> = first
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    match nums[..] {
        // Plus the drawing's pad on every side, which `-Tplain` leaves out
        // and every picture has.
        [scale, w, h] => {
            let pad = 2.0 * PAD * 72.0;
            Ok((w * scale * 72.0 + pad, h * scale * 72.0 + pad))
        }
        _ => Err(fail(
            format!("cannot read the size of the layout from `dot -Tplain`: `{first}`"),
            Some("this is a bug in detente: please report it with the output of `--format dot`"),
        )),
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

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let w = bytes.get(16..20)?;
    let h = bytes.get(20..24)?;
    Some((
        u32::from_be_bytes(w.try_into().ok()?),
        u32::from_be_bytes(h.try_into().ok()?),
    ))
}

/// How much of its medium's legible minimum a refused drawing's text reaches.
fn reach(e: &TooBig) -> f64 {
    e.text / legible(e.size).2
}

/// A medium as a refusal names it, the unit of its text sizes, and its
/// least legible text size.
fn legible(size: Size) -> (&'static str, &'static str, f64) {
    match size {
        Size::Slide => ("a 1920 × 1080 slide", "px", MIN_TEXT_PX),
        _ => ("an A4 or Letter page", "pt", MIN_PRINT_PT),
    }
}

/// The refusal of a drawing too large for its medium, with what to do.
fn too_big(scene: &Scene, e: &TooBig, w: f64, h: f64, narrow: &str) -> Failure {
    let (medium, unit, min) = legible(e.size);
    fail(
        format!(
            "`{}` is {:.0} × {:.0} pt: on {medium} its text would be {} {unit}, below the legible {min} {unit}",
            scene.title(),
            w,
            h,
            e.text
        ),
        Some(&format!("{narrow}; or use --size poster for an unbounded picture")),
    )
}

/// The refusal of a slide or page timeline found, before it is laid out,
/// to hold more than its medium could show at half the legible text size;
/// in the words of [`too_big`], which refuses a drawing once measured. Its
/// advice is only what draws fewer entities: the check counts entities,
/// so taking the source list off the picture would not help.
pub(super) fn crowded(c: crate::view::Crowded) -> Failure {
    let (medium, unit, min) = legible(c.size);
    fail(
        format!(
            "a timeline of {} dated entities cannot be drawn on {medium}: its text would be under half the legible {min} {unit}",
            c.drawn
        ),
        Some("draw less: a shorter range with --from and --to, fewer kinds with --kind, or one mechanism with --about ID; or use --size poster for an unbounded picture"),
    )
}

/// Runs `dot -T<format>` on `source`, with extra arguments, for at most
/// [`dot_time_limit`].
pub(super) fn run_dot(source: &str, format: &str, extra: &[String]) -> Result<Vec<u8>, Failure> {
    let limit = dot_time_limit()?;
    let mut cmd = Command::new("dot");
    cmd.arg(format!("-T{format}"));
    cmd.args(extra);
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

/// `NAME.sources.md` beside `NAME.EXT`: where `--sources handout` puts the
/// full citations.
pub fn companion(path: &Path) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "diagram".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}.sources.md"))
}

/// `--link-base`, checked by the library ([`crate::view::LinkBase`]), its
/// refusal as a usage error.
pub fn link_base(s: &str) -> Result<crate::view::LinkBase, Failure> {
    crate::view::LinkBase::new(s).map_err(|why| Failure::Error {
        exit: super::Exit::Usage,
        code: "usage",
        message: format!("`--link-base {s}` {why}"),
        help: Some("give an absolute web address such as `https://example.org/entities/`; percent-encode other characters (a space is `%20`)".into()),
    })
}
