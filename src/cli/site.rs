//! `detente site -o DIR`: builds the pages with the library, draws their
//! diagrams with Graphviz (several `dot` processes at once), and writes the
//! directory whole or not at all through [`DirOutput`].

use std::path::Path;

use crate::site::{self, SiteOptions, SvgRenderer};

use super::exit::Exit;
use super::write::DirOutput;
use super::Failure;

fn usage(message: String) -> Failure {
    Failure::Error {
        exit: Exit::Usage,
        code: "usage",
        message,
        help: None,
    }
}

/// Graphviz, one `dot -Tsvg` per diagram, spread over the machine's cores.
struct Graphviz;

impl SvgRenderer for Graphviz {
    fn render_all(&self, dots: &[String]) -> Result<Vec<String>, String> {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let chunk = dots.len().div_ceil(workers).max(1);
        let parts: Vec<Result<Vec<String>, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = dots
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|d| match super::diagram::run_dot(d, "svg", &[]) {
                                Ok(bytes) => String::from_utf8(bytes)
                                    .map_err(|_| "`dot` wrote SVG that is not UTF-8".to_string()),
                                Err(Failure::Error { message, .. }) => Err(message),
                                Err(Failure::Reported) => Err("`dot` failed".to_string()),
                            })
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err("a drawing thread panicked".into()))
                })
                .collect()
        });
        let mut out = Vec::with_capacity(dots.len());
        for p in parts {
            out.extend(p?);
        }
        Ok(out)
    }
}

/// A base URL must be a web address; it gains a final `/` so page paths
/// can follow it.
fn base_url(url: &str) -> Result<String, Failure> {
    let ok = ["https://", "http://"]
        .iter()
        .any(|p| url.len() > p.len() && url.starts_with(p))
        && !url.contains(|c: char| c.is_whitespace() || c.is_control() || "\"<>`".contains(c));
    if !ok {
        return Err(usage(format!(
            "`{url}` is not a web address: give --base-url as http://… or https://…"
        )));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

pub(super) fn run(
    ds: &crate::Dataset,
    origin: &str,
    bundled: bool,
    output: &Path,
    title: Option<&str>,
    base: Option<&str>,
    force: bool,
) -> Result<(), Failure> {
    let opts = SiteOptions {
        title: match title {
            Some(t) => t.to_string(),
            None if bundled => "China–U.S. cyber dialogue mechanisms".to_string(),
            None => format!("Dialogue mechanisms: {origin}"),
        },
        base_url: base.map(base_url).transpose()?,
        data: origin.to_string(),
    };
    // Refuse before the diagrams are drawn, which takes a while.
    let mut dir = DirOutput::begin(output, force)?;
    let files = site::site(ds, &opts, &Graphviz).map_err(|e| match e {
        site::SiteError::Query(q) => Failure::from(q),
        e => Failure::Error {
            exit: Exit::Usage,
            code: "site",
            message: e.to_string(),
            help: None,
        },
    })?;
    for f in &files {
        dir.write(&f.path, &f.bytes)?;
    }
    dir.commit()?.announce("site", None);
    Ok(())
}
