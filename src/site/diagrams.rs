//! The diagrams of the site: each entity's ego network, each lineage chain
//! and the timeline, made by the existing views, drawn once through the
//! caller's [`SvgRenderer`], and adapted for inlining in a page: unique
//! element ids per diagram and links to the entity pages relative to the
//! page that shows them.

use std::collections::{BTreeMap, BTreeSet};

use super::{SiteError, SiteOptions, SvgRenderer};
use crate::model::date::{Date, Limit};
use crate::model::graph::Dataset;
use crate::query::{LineageOptions, NeighborOptions, TimelineOptions};
use crate::render::dot::to_dot;
use crate::view::{self, DiagramOptions, LinkBase, Scene};

/// Links in the drawn SVG point at `MARK` + id until a page puts its own
/// relative path in. Ids are plain ASCII (`[a-z0-9._-]`), so the mark and
/// the id are found exactly.
const MARK: &str = "detente-site:";

/// The drawn diagrams, by key: `ego:ID`, `lineage:FIRST-MEMBER-ID`, `timeline`.
pub(super) type Drawn = BTreeMap<String, String>;

/// The members of every lineage chain with more than one member, each chain
/// in the order `lineage` gives, chains in the order of their first member.
pub(super) fn chains(ds: &Dataset) -> Result<Vec<Vec<String>>, SiteError> {
    let o = ds.ontology();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (from, _, r) in ds.relations() {
        if !o.relations.get(&r.kind).is_some_and(|d| d.lineage) || seen.contains(from.id.as_str()) {
            continue;
        }
        let l = crate::query::lineage(ds, &from.id)?;
        let members: Vec<String> = l.links.iter().map(|m| m.entity.id.to_string()).collect();
        seen.extend(members.iter().cloned());
        out.push(members);
    }
    out.sort_by(|a, b| {
        let date = |c: &Vec<String>| ds.entity(&c[0]).and_then(|e| e.date.clone());
        crate::query::cite::by_date(date(a).as_ref(), date(b).as_ref()).then_with(|| a.cmp(b))
    });
    Ok(out)
}

/// The year the site's timeline diagram starts: where nine in ten of the
/// items it draws have begun, so that one early outlier (a 1972 agreement
/// cited as a model) does not squeeze forty years of empty axis into the
/// page. `None` when the data is too small for that to matter. The page's
/// list below the diagram still has every date.
pub(super) fn timeline_start(ds: &Dataset) -> Option<i64> {
    let o = ds.ontology();
    let mut years: Vec<i64> = ds
        .entities()
        .filter(|e| o.kinds.get(&e.kind).is_some_and(|k| k.timeline) && !ds.never_existed(e))
        .filter_map(|e| match e.date.as_ref()?.start().earliest {
            Limit::Day(d) => Some(d.ymd().0),
            _ => None,
        })
        .collect();
    years.sort_unstable();
    if years.len() < 10 {
        return None;
    }
    let y = years[years.len() / 10];
    (y > years[0]).then_some(y)
}

pub(super) fn draw(
    ds: &Dataset,
    opts: &SiteOptions,
    svg: &dyn SvgRenderer,
) -> Result<Drawn, SiteError> {
    let dopts = DiagramOptions {
        data: opts.data.clone(),
        claimed_by: None,
        link_base: Some(LinkBase::placeholder(MARK)),
        // Sized as for a slide, like `detente diagram`: a page scrolls, but
        // a diagram is only useful while its labels can be read.
        ..DiagramOptions::default()
    };
    let mut keys = Vec::new();
    let mut dots = Vec::new();
    for e in ds.entities() {
        if ds.links(&e.id).is_empty() {
            continue;
        }
        keys.push(format!("ego:{}", e.id));
        dots.push(to_dot(&Scene::Graph(view::ego(
            ds,
            &NeighborOptions::default().validate(ds, &e.id)?,
            &dopts,
        )?)));
    }
    for chain in chains(ds)? {
        keys.push(format!("lineage:{}", chain[0]));
        let settings = LineageOptions::default().validate(ds, &chain[0])?;
        dots.push(to_dot(&Scene::Graph(view::lineage(ds, &settings, &dopts)?)));
    }
    keys.push("timeline".into());
    dots.push(to_dot(&Scene::Timeline(view::timeline(
        ds,
        &TimelineOptions {
            from: timeline_start(ds).and_then(|y| Date::parse(&format!("{y:04}")).ok()),
            ..TimelineOptions::default()
        }
        .validate(ds)?,
        &dopts,
    )?)));
    let svgs = svg.render_all(&dots).map_err(SiteError::Render)?;
    if svgs.len() != dots.len() {
        return Err(SiteError::Render(format!(
            "asked for {} drawings, got {}",
            dots.len(),
            svgs.len()
        )));
    }
    Ok(keys.into_iter().zip(svgs).collect())
}

/// The SVG ready to sit inside a page at `root` (`../../` for an entity
/// page): no XML prologue, ids prefixed with `prefix`, entity links
/// relative to the page, sized by the stylesheet up to its natural width.
pub(super) fn inline(svg: &str, prefix: &str, root: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let mut s = svg[start..].to_string();
    // Natural size: `width="123pt" height="45pt"` → a max-width, so a small
    // diagram is not blown up and a big one shrinks to the column.
    if let (Some(w), Some(h)) = (attr(&s, "width"), attr(&s, "height")) {
        s = s.replacen(
            &format!("width=\"{w}\" height=\"{h}\""),
            &format!("class=\"diagram\" style=\"max-width: {w}\""),
            1,
        );
    }
    s = link_edges(&s);
    s = s.replace(" id=\"", &format!(" id=\"{prefix}-"));
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    let needle = format!("href=\"{MARK}");
    while let Some(i) = rest.find(&needle) {
        out.push_str(&rest[..i]);
        let after = &rest[i + needle.len()..];
        let end = after.find('"').unwrap_or(after.len());
        let id = &after[..end];
        out.push_str(&format!("href=\"{root}entity/{id}/index.html"));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Graphviz gives a line a tooltip but no link unless the scene has one;
/// each line of a diagram should open a page too. A line links to the page
/// of the entity at the end it is drawn from (both ends' pages list the
/// relation), found through that node's own link. Works on the SVG as Graphviz wrote
/// it: `<g class="node"><title>NAME</title>…<a xlink:href="…">` for nodes,
/// `<g class="edge"><title>FROM&#45;&gt;TO</title>…<a xlink:title=…>` for
/// lines; anything else is left as it is.
fn link_edges(svg: &str) -> String {
    let mut hrefs: BTreeMap<&str, &str> = BTreeMap::new();
    for part in svg.split("class=\"node\">").skip(1) {
        let (Some(name), Some(href)) = (
            between(part, "<title>", "</title>"),
            between(part, "xlink:href=\"", "\""),
        ) else {
            continue;
        };
        hrefs.insert(name, href);
    }
    let mut out = String::with_capacity(svg.len());
    let mut parts = svg.split("class=\"edge\">");
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        out.push_str("class=\"edge\">");
        let from = between(part, "<title>", "</title>")
            .and_then(|t| {
                t.split_once("&#45;&gt;")
                    .or_else(|| t.split_once("&#45;&#45;"))
            })
            .and_then(|(f, _)| hrefs.get(f));
        // This line's own group ends where the next node or cluster begins.
        let end = ["class=\"node\">", "class=\"cluster\">"]
            .iter()
            .filter_map(|m| part.find(m))
            .min()
            .unwrap_or(part.len());
        match from {
            Some(href) => {
                let linked = format!("<a xlink:href=\"{href}\" xlink:title=");
                out.push_str(&part[..end].replace("<a xlink:title=", &linked));
                out.push_str(&part[end..]);
            }
            None => out.push_str(part),
        }
    }
    out
}

/// The text between the first `open` and the next `close`.
fn between<'s>(s: &'s str, open: &str, close: &str) -> Option<&'s str> {
    let i = s.find(open)? + open.len();
    let j = s[i..].find(close)?;
    Some(&s[i..i + j])
}

/// The value of the first `name="…"` attribute.
fn attr<'s>(s: &'s str, name: &str) -> Option<&'s str> {
    let key = format!(" {name}=\"");
    let i = s.find(&key)? + key.len();
    let end = s[i..].find('"')?;
    Some(&s[i..i + end])
}

#[cfg(test)]
mod tests {
    use super::inline;

    #[test]
    fn inlining_prefixes_ids_and_makes_links_relative() {
        let svg = "<?xml version=\"1.0\"?>\n<svg width=\"100pt\" height=\"50pt\" viewBox=\"0 0 100 50\">\
                   <g id=\"node1\"><a xlink:href=\"detente-site:lecd\" xlink:title=\"x\"></a></g></svg>";
        let out = inline(svg, "ego", "../../");
        assert!(out.starts_with("<svg class=\"diagram\" style=\"max-width: 100pt\" viewBox"));
        assert!(out.contains("id=\"ego-node1\""));
        assert!(out.contains("xlink:href=\"../../entity/lecd/index.html\""));
    }

    #[test]
    fn lines_link_to_the_page_of_the_entity_they_start_from() {
        let svg = "<svg width=\"1pt\" height=\"1pt\">\
            <g id=\"node1\" class=\"node\"><title>n_a</title><g id=\"a_node1\"><a xlink:href=\"detente-site:a\" xlink:title=\"A\"></a></g></g>\
            <g id=\"node2\" class=\"node\"><title>n_b</title><g id=\"a_node2\"><a xlink:href=\"detente-site:b\" xlink:title=\"B\"></a></g></g>\
            <g id=\"edge1\" class=\"edge\"><title>n_a&#45;&gt;n_b</title><g id=\"a_edge1\"><a xlink:title=\"a succeeds b\"></a></g></g>\
            <g id=\"node3\" class=\"node\"><title>legend</title><g id=\"a_node3\"><a xlink:title=\"key\"></a></g></g></svg>";
        let out = inline(svg, "x", "../");
        assert!(
            out.contains("<a xlink:href=\"../entity/a/index.html\" xlink:title=\"a succeeds b\">")
        );
        // A node without a page stays without a link.
        assert!(out.contains("<a xlink:title=\"key\">"));
    }
}
