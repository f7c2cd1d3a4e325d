//! `detente site`: the dataset as a static website — a page per entity,
//! overview pages (timeline, lineages, actors, claims, sources, "as of a
//! date"), a search index and the diagrams inlined as clickable SVG.
//!
//! Everything here returns values: [`site`] gives the files as (relative
//! path, bytes) pairs and never touches the disk or spawns a program. SVG
//! comes from the caller through [`SvgRenderer`], so the binary can run
//! Graphviz while tests and this module stay pure.
//!
//! HTML escaping happens in one place: minijinja's autoescape for `.html`
//! templates. The only markup that bypasses it is the SVG Graphviz drew from
//! our own DOT, whose labels went through the DOT escaping function.

mod diagrams;
mod pages;
mod search;

use std::collections::BTreeMap;

use minijinja::Environment;

use crate::model::graph::Dataset;
use crate::query::QueryError;

/// How the site is titled and where it will live.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// The title shown on every page.
    pub title: String,
    /// Where the site will be published (`https://example.org/detente/`),
    /// for canonical links and "cite this page"; `None` when unknown.
    pub base_url: Option<String>,
    /// Where the data came from, for captions.
    pub data: String,
}

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Path relative to the site's root, `/`-separated (`entity/lecd/index.html`).
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Turns DOT into SVG. The binary runs Graphviz; the library only asks.
pub trait SvgRenderer {
    /// The SVG of each DOT source, in the same order.
    fn render_all(&self, dots: &[String]) -> Result<Vec<String>, String>;
}

/// Why a site could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A query or view refused the data.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The SVG renderer failed.
    #[error("cannot draw the diagrams: {0}")]
    Render(String),
    /// A template failed; a bug in detente.
    #[error("cannot fill the page template `{name}`: {message}")]
    Template {
        /// The template.
        name: String,
        /// minijinja's message.
        message: String,
    },
}

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("index.html", include_str!("templates/index.html")),
    ("entity.html", include_str!("templates/entity.html")),
    ("timeline.html", include_str!("templates/timeline.html")),
    ("mechanisms.html", include_str!("templates/mechanisms.html")),
    ("actors.html", include_str!("templates/actors.html")),
    ("claims.html", include_str!("templates/claims.html")),
    ("sources.html", include_str!("templates/sources.html")),
    ("as-of.html", include_str!("templates/as-of.html")),
    ("search.html", include_str!("templates/search.html")),
];

const ASSETS: &[(&str, &str)] = &[
    ("assets/style.css", include_str!("assets/style.css")),
    ("assets/site.js", include_str!("assets/site.js")),
];

/// The one HTML escaping function: text and attribute values alike.
/// (minijinja's own escaper also turns `/` into `&#x2f;`, which is safe but
/// makes dates and addresses unreadable in the page source.)
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The template environment: autoescape for every `.html` template
/// through [`escape_html`]; undefined values are errors, not empty text.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_formatter(|out, state, value| {
        if state.auto_escape() == minijinja::AutoEscape::Html && !value.is_safe() {
            let text = match value.as_str() {
                Some(s) => s.to_string(),
                None => value.to_string(),
            };
            out.write_str(&escape_html(&text))?;
            Ok(())
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .expect("the bundled templates parse");
    }
    env
}

/// Every file of the site, sorted by path. The same dataset and options
/// give the same bytes.
pub fn site(
    ds: &Dataset,
    opts: &SiteOptions,
    svg: &dyn SvgRenderer,
) -> Result<Vec<SiteFile>, SiteError> {
    let drawn = diagrams::draw(ds, opts, svg)?;
    let env = environment();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for page in pages::pages(ds, opts, &drawn)? {
        let tmpl = env
            .get_template(page.template)
            .expect("every page names a bundled template");
        let html = tmpl
            .render(&page.context)
            .map_err(|e| SiteError::Template {
                name: page.template.to_string(),
                message: format!("{e:#}"),
            })?;
        files.insert(page.path, html.into_bytes());
    }
    for (path, text) in ASSETS {
        files.insert(path.to_string(), text.as_bytes().to_vec());
    }
    files.insert(
        "assets/search-index.js".into(),
        search::index_script(ds).into_bytes(),
    );
    Ok(files
        .into_iter()
        .map(|(path, bytes)| SiteFile { path, bytes })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escaping_neutralises_markup_and_quotes_but_keeps_slashes() {
        assert_eq!(
            escape_html(r#"<script>alert("x" & 'y')</script> 2017-04/"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt; 2017-04/"
        );
    }
}
