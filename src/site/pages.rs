//! The pages of the site and what each template is given. Everything a
//! template shows is plain data here; escaping is the template engine's.

use std::collections::{BTreeMap, BTreeSet};

use minijinja::{context, Value};
use serde::Serialize;

use super::diagrams::{self, Drawn};
use super::{SiteError, SiteOptions};
use crate::model::date::{Date, Limit};
use crate::model::entity::{Citation, Entity, Relation, Stance};
use crate::model::graph::Dataset;
use crate::model::ontology::Role;
use crate::query::{
    self, ActiveOptions, ActiveSettings, ClaimFilter, NumberedSource, TimelineOptions,
};

/// One page to render.
pub(super) struct Page {
    pub path: String,
    pub template: &'static str,
    pub context: Value,
}

/// A date as a reader sees it, and as written.
#[derive(Serialize)]
struct DateView {
    human: String,
    edtf: String,
}

impl DateView {
    fn of(d: &Date) -> DateView {
        DateView {
            human: d.human().to_string(),
            edtf: d.as_str().to_string(),
        }
    }
}

/// A link to an entity's page.
#[derive(Serialize)]
struct Ref {
    id: String,
    name: String,
    label: String,
    kind: String,
    kind_label: String,
    side: Option<String>,
    date: Option<DateView>,
    hypothetical: bool,
}

fn entity_ref(ds: &Dataset, e: &Entity) -> Ref {
    let o = ds.ontology();
    Ref {
        id: e.id.to_string(),
        name: e.name.to_string(),
        label: e.label().to_string(),
        kind: e.kind.to_string(),
        kind_label: o
            .kinds
            .get(&e.kind)
            .map_or(e.kind.to_string(), |k| k.label.clone()),
        side: e
            .side
            .as_ref()
            .map(|s| o.sides.get(s).map_or(s.to_string(), |d| d.label.clone())),
        date: e.date.as_ref().map(DateView::of),
        hypothetical: ds.never_existed(e),
    }
}

fn ref_by_id(ds: &Dataset, id: &str) -> Option<Ref> {
    ds.entity(id).map(|e| entity_ref(ds, e))
}

/// Who says a relation holds, and as what kind of statement.
#[derive(Serialize)]
struct Claim {
    by: Option<Ref>,
    by_id: Option<String>,
    stance: &'static str,
    /// Not the record: someone's assertion, prediction or recommendation.
    claim: bool,
}

fn claim(ds: &Dataset, claimed_by: Option<&str>, stance: Stance) -> Option<Claim> {
    if claimed_by.is_none() && stance == Stance::Record {
        return None;
    }
    Some(Claim {
        by: claimed_by.and_then(|c| ref_by_id(ds, c)),
        by_id: claimed_by.map(str::to_string),
        stance: stance.as_str(),
        claim: stance != Stance::Record,
    })
}

/// A numbered citation with its document.
#[derive(Serialize)]
struct SourceView {
    n: usize,
    id: String,
    reference: String,
    url: Option<String>,
    at: String,
    quote: Option<String>,
}

/// Only web addresses become links; anything else is shown as text.
fn web_url(url: Option<&str>) -> Option<String> {
    url.filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(str::to_string)
}

/// The reference without its address, which the page shows as a link.
fn reference(ds: &Dataset, id: &str) -> (String, Option<String>) {
    match ds.source(id) {
        Some(s) => {
            let bare = crate::model::entity::Source {
                url: None,
                ..s.clone()
            };
            (bare.reference(), web_url(s.url.as_deref()))
        }
        None => (id.to_string(), None),
    }
}

fn sources(ds: &Dataset, list: Vec<NumberedSource>) -> Vec<SourceView> {
    list.into_iter()
        .map(|s| {
            let (reference, url) = reference(ds, s.source);
            SourceView {
                n: s.n,
                id: s.source.to_string(),
                reference,
                url,
                at: s.at.to_string(),
                quote: s.quote.map(str::to_string),
            }
        })
        .collect()
}

/// What every page's frame needs.
fn frame(opts: &SiteOptions, path: &str, heading: &str, section: &str) -> Value {
    let root = "../".repeat(path.matches('/').count());
    let pretty = path.strip_suffix("index.html").unwrap_or(path);
    let canonical = opts.base_url.as_ref().map(|b| format!("{b}{pretty}"));
    context! {
        site_title => opts.title,
        root => root,
        heading => heading,
        section => section,
        canonical => canonical,
        stable_path => format!("/{pretty}"),
        data => opts.data,
    }
}

fn page(path: String, template: &'static str, frame: Value, ctx: Value) -> Page {
    Page {
        path,
        template,
        context: context! { ..frame, ..ctx },
    }
}

fn svg(drawn: &Drawn, key: &str, prefix: &str, root: &str) -> Option<Value> {
    drawn
        .get(key)
        .map(|s| Value::from_safe_string(diagrams::inline(s, prefix, root)))
}

pub(super) fn pages(
    ds: &Dataset,
    opts: &SiteOptions,
    drawn: &Drawn,
) -> Result<Vec<Page>, SiteError> {
    let chains = diagrams::chains(ds)?;
    let mut out = vec![index(ds, opts), search(opts)];
    for e in ds.entities() {
        out.push(entity(ds, opts, drawn, &chains, e)?);
    }
    out.push(timeline(ds, opts, drawn)?);
    out.push(mechanisms(ds, opts, drawn, &chains));
    out.push(actors(ds, opts));
    out.push(claims(ds, opts)?);
    out.push(sources_page(ds, opts));
    out.push(as_of(ds, opts)?);
    Ok(out)
}

#[derive(Serialize)]
struct KindSection {
    kind: String,
    label: String,
    entities: Vec<Ref>,
}

fn by_name(a: &Ref, b: &Ref) -> std::cmp::Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.id.cmp(&b.id))
}

fn index(ds: &Dataset, opts: &SiteOptions) -> Page {
    let o = ds.ontology();
    let mut kinds: Vec<KindSection> = o
        .kinds
        .iter()
        .map(|(k, d)| {
            let mut entities: Vec<Ref> = ds
                .entities()
                .filter(|e| &e.kind == k)
                .map(|e| entity_ref(ds, e))
                .collect();
            entities.sort_by(by_name);
            KindSection {
                kind: k.to_string(),
                label: d.plural.clone(),
                entities,
            }
        })
        .filter(|s| !s.entities.is_empty())
        .collect();
    kinds.sort_by(|a, b| a.label.cmp(&b.label));
    let path = "index.html".to_string();
    let f = frame(opts, &path, &opts.title, "home");
    page(
        path,
        "index.html",
        f,
        context! {
            kinds => kinds,
            entity_count => ds.entities().count(),
            relation_count => ds.relations().count(),
            source_count => ds.sources().len(),
        },
    )
}

fn search(opts: &SiteOptions) -> Page {
    let path = "search/index.html".to_string();
    let f = frame(opts, &path, "Search", "search");
    page(path, "search.html", f, context! {})
}

#[derive(Serialize)]
struct Item {
    other: Ref,
    /// The part played (`co-chair`, `host`), as the ontology labels it.
    role: Option<String>,
    date: Option<DateView>,
    summary: Option<String>,
    claim: Option<Claim>,
    citations: Vec<usize>,
}

#[derive(Serialize)]
struct GroupView {
    label: String,
    kind: String,
    lineage: bool,
    outgoing: bool,
    items: Vec<Item>,
}

fn entity(
    ds: &Dataset,
    opts: &SiteOptions,
    drawn: &Drawn,
    chains: &[Vec<String>],
    e: &Entity,
) -> Result<Page, SiteError> {
    let card = query::card(ds, &e.id)?;
    let path = format!("entity/{}/index.html", e.id);
    let root = "../../";
    let groups: Vec<GroupView> = card
        .groups
        .iter()
        .map(|g| GroupView {
            label: g.label.to_string(),
            kind: g.kind.to_string(),
            lineage: g.lineage,
            outgoing: g.direction == "out",
            items: g
                .items
                .iter()
                .map(|i| Item {
                    other: ref_by_id(ds, i.id).expect("a relation's end exists"),
                    role: i.role_label.map(str::to_string),
                    date: i.date.map(DateView::of),
                    summary: i.summary.map(str::to_string),
                    claim: claim(ds, i.claimed_by, i.stance),
                    citations: i.citations.clone(),
                })
                .collect(),
        })
        .collect();
    let chain = chains
        .iter()
        .find(|c| c.iter().any(|v| v.as_str() == e.id.as_str()));
    let lineage_svg = chain.and_then(|c| svg(drawn, &format!("lineage:{}", c[0]), "lineage", root));
    let names: Vec<(String, String)> = e
        .names
        .iter()
        .map(|(l, n)| (l.to_string(), n.to_string()))
        .collect();
    let f = frame(opts, &path, &e.name, "entity");
    let ctx = context! {
        entity => context! {
            id => e.id,
            name => e.name,
            short => e.short,
            aliases => e.aliases,
            names => names,
            kind_label => card.kind_label,
            side_label => card.side_label,
            status_label => card.status_label,
            // A status or date on one voice's word says whose, as a claimed
            // relation does.
            status_claim => e.status_claim.as_ref().and_then(|c| claim(ds, Some(&c.claimed_by), c.stance)),
            status_citations => card.status_citations,
            hypothetical => card.hypothetical,
            date => e.date.as_ref().map(DateView::of),
            date_claim => e.date_claim.as_ref().and_then(|c| claim(ds, Some(&c.claimed_by), c.stance)),
            date_citations => card.date_citations,
            place => e.place,
            summary => e.summary,
            citations => card.citations,
        },
        groups => groups,
        sources => sources(ds, card.sources),
        ego_svg => svg(drawn, &format!("ego:{}", e.id), "ego", root),
        lineage_svg => lineage_svg,
    };
    Ok(page(path, "entity.html", f, ctx))
}

/// A relation as a line of a list: from, how, to.
#[derive(Serialize)]
struct FactView {
    from: Ref,
    label: String,
    to: Ref,
    date: Option<DateView>,
    summary: Option<String>,
    claim: Option<Claim>,
    citations: Vec<usize>,
}

fn fact_view(ds: &Dataset, f: &query::Fact) -> FactView {
    FactView {
        from: ref_by_id(ds, f.from).expect("a relation's end exists"),
        label: f.label.to_string(),
        to: ref_by_id(ds, f.to).expect("a relation's end exists"),
        date: f.date.map(DateView::of),
        summary: f.summary.map(str::to_string),
        claim: claim(ds, f.claimed_by, f.stance),
        citations: f.citations.clone(),
    }
}

#[derive(Serialize)]
struct TimelineRow {
    date: DateView,
    entity: Option<Ref>,
    fact: Option<FactView>,
    citations: Vec<usize>,
}

/// What `detente active DATE` asks of every kind.
fn active_on(ds: &Dataset, date: Date) -> Result<ActiveSettings, SiteError> {
    Ok(ActiveOptions {
        date,
        kinds: Vec::new(),
    }
    .validate(ds)?)
}

fn timeline(ds: &Dataset, opts: &SiteOptions, drawn: &Drawn) -> Result<Page, SiteError> {
    let t = query::timeline(ds, &TimelineOptions::default().validate(ds)?)?;
    let rows: Vec<TimelineRow> = t
        .entries
        .iter()
        .map(|entry| match entry {
            query::Entry::Entity { date, entity } => TimelineRow {
                date: DateView::of(date),
                entity: ref_by_id(ds, entity.id),
                fact: None,
                citations: entity.citations.clone(),
            },
            query::Entry::Relation { date, fact } => TimelineRow {
                date: DateView::of(date),
                entity: None,
                fact: Some(fact_view(ds, &fact)),
                citations: fact.citations.clone(),
            },
        })
        .collect();
    let path = "timeline/index.html".to_string();
    let f = frame(opts, &path, "Timeline", "timeline");
    let ctx = context! {
        rows => rows,
        sources => sources(ds, t.sources.iter().collect()),
        timeline_svg => svg(drawn, "timeline", "timeline", "../"),
        drawn_from => diagrams::timeline_start(ds),
    };
    Ok(page(path, "timeline.html", f, ctx))
}

fn mechanisms(ds: &Dataset, opts: &SiteOptions, drawn: &Drawn, chains: &[Vec<String>]) -> Page {
    let o = ds.ontology();
    // The kinds that can stand in a lineage: those its relation types join.
    let lineage_kinds: BTreeSet<&str> = o
        .relations
        .values()
        .filter(|d| d.lineage)
        .flat_map(|d| d.from.iter().chain(d.to.iter()).flatten())
        .map(String::as_str)
        .collect();
    let in_chain: BTreeSet<&str> = chains.iter().flatten().map(String::as_str).collect();
    let chain_views: Vec<Value> = chains
        .iter()
        .map(|c| {
            context! {
                members => c.iter().filter_map(|id| ref_by_id(ds, id)).collect::<Vec<_>>(),
                svg => svg(drawn, &format!("lineage:{}", c[0]), &format!("lineage-{}", c[0]), "../"),
            }
        })
        .collect();
    let mut alone: Vec<Ref> = ds
        .entities()
        .filter(|e| lineage_kinds.contains(e.kind.as_str()) && !in_chain.contains(e.id.as_str()))
        .filter(|e| !ds.never_existed(e))
        .map(|e| entity_ref(ds, e))
        .collect();
    alone.sort_by(|a, b| by_date_ref(ds, a, b));
    let mut proposed: Vec<Ref> = ds
        .entities()
        .filter(|e| ds.never_existed(e))
        .map(|e| entity_ref(ds, e))
        .collect();
    proposed.sort_by(by_name);
    let path = "mechanisms/index.html".to_string();
    let f = frame(opts, &path, "Mechanisms by lineage", "mechanisms");
    page(
        path,
        "mechanisms.html",
        f,
        context! { chains => chain_views, alone => alone, proposed => proposed },
    )
}

fn by_date_ref(ds: &Dataset, a: &Ref, b: &Ref) -> std::cmp::Ordering {
    let d = |r: &Ref| ds.entity(&r.id).and_then(|e| e.date.as_ref());
    query::cite::by_date(d(a), d(b)).then_with(|| by_name(a, b))
}

#[derive(Serialize)]
struct SideSection {
    label: String,
    kinds: Vec<KindSection>,
}

fn actors(ds: &Dataset, opts: &SiteOptions) -> Page {
    let o = ds.ontology();
    // Actors: the kinds that can take part in something, as the ontology
    // says; every kind when it says nothing about taking part.
    let mut actor_kinds: BTreeSet<&str> = o
        .relations
        .values()
        .filter(|d| d.plays == Some(Role::Participation))
        .flat_map(|d| d.from.iter().flatten())
        .map(String::as_str)
        .collect();
    if actor_kinds.is_empty() {
        actor_kinds = o.kinds.keys().map(|k| k.as_str()).collect();
    }
    let mut sides: Vec<(Option<&str>, String)> = o
        .sides_in_order()
        .into_iter()
        .map(|(k, d)| (Some(k), d.label.clone()))
        .collect();
    sides.push((None, "No side given".into()));
    let sections: Vec<SideSection> = sides
        .into_iter()
        .map(|(side, label)| {
            let mut kinds: Vec<KindSection> = actor_kinds
                .iter()
                .map(|k| {
                    let mut entities: Vec<Ref> = ds
                        .entities()
                        .filter(|e| e.kind == *k && e.side.as_deref() == side)
                        .map(|e| entity_ref(ds, e))
                        .collect();
                    entities.sort_by(by_name);
                    KindSection {
                        kind: k.to_string(),
                        label: o.kinds.get(*k).map_or(k.to_string(), |d| d.plural.clone()),
                        entities,
                    }
                })
                .filter(|s| !s.entities.is_empty())
                .collect();
            kinds.sort_by(|a, b| a.label.cmp(&b.label));
            SideSection { label, kinds }
        })
        .filter(|s| !s.kinds.is_empty())
        .collect();
    let path = "actors/index.html".to_string();
    let f = frame(opts, &path, "Actors by side", "actors");
    page(path, "actors.html", f, context! { sides => sections })
}

#[derive(Serialize)]
struct StanceSection {
    stance: &'static str,
    facts: Vec<FactView>,
}

#[derive(Serialize)]
struct VoiceSection {
    voice: Option<Ref>,
    id: String,
    stances: Vec<StanceSection>,
}

fn claims(ds: &Dataset, opts: &SiteOptions) -> Result<Page, SiteError> {
    let c = query::claims(ds, &ClaimFilter::default().validate(ds)?);
    let mut voices: BTreeMap<String, BTreeMap<Stance, Vec<FactView>>> = BTreeMap::new();
    for f in &c.claims {
        let by = f.claimed_by.unwrap_or_default().to_string();
        voices
            .entry(by)
            .or_default()
            .entry(f.stance)
            .or_default()
            .push(fact_view(ds, f));
    }
    let sections: Vec<VoiceSection> = voices
        .into_iter()
        .map(|(id, stances)| VoiceSection {
            voice: ref_by_id(ds, &id),
            id,
            stances: stances
                .into_iter()
                .map(|(s, facts)| StanceSection {
                    stance: s.as_str(),
                    facts,
                })
                .collect(),
        })
        .collect();
    let path = "claims/index.html".to_string();
    let f = frame(opts, &path, "Claims by voice and stance", "claims");
    Ok(page(
        path,
        "claims.html",
        f,
        context! { voices => sections, sources => sources(ds, c.sources) },
    ))
}

#[derive(Serialize)]
struct Backlink {
    entity: Option<Ref>,
    fact: Option<FactView>,
    at: String,
    quote: Option<String>,
}

#[derive(Serialize)]
struct SourceEntry {
    id: String,
    reference: String,
    url: Option<String>,
    note: Option<String>,
    license: Option<String>,
    cited_by: Vec<Backlink>,
}

fn sources_page(ds: &Dataset, opts: &SiteOptions) -> Page {
    let mut cited: BTreeMap<&str, Vec<Backlink>> = BTreeMap::new();
    let cite = |c: &Citation| (c.at.to_string(), c.quote.as_ref().map(|q| q.to_string()));
    for e in ds.entities() {
        for c in &e.sources {
            let (at, quote) = cite(c);
            cited.entry(&c.source).or_default().push(Backlink {
                entity: Some(entity_ref(ds, e)),
                fact: None,
                at,
                quote,
            });
        }
    }
    for (from, to, r) in ds.relations() {
        for c in &r.sources {
            let (at, quote) = cite(c);
            cited.entry(&c.source).or_default().push(Backlink {
                entity: None,
                fact: Some(relation_view(ds, from, to, r)),
                at,
                quote,
            });
        }
    }
    let entries: Vec<SourceEntry> = ds
        .sources()
        .values()
        .map(|s| {
            let (reference, url) = reference(ds, &s.id);
            SourceEntry {
                id: s.id.to_string(),
                reference,
                url,
                note: s.note.as_ref().map(|t| t.to_string()),
                license: s.license.as_ref().map(|t| t.to_string()),
                cited_by: cited.remove(s.id.as_str()).unwrap_or_default(),
            }
        })
        .collect();
    // A bibliography's order: by the reference as printed, ignoring
    // opening quotes and brackets.
    let mut entries = entries;
    entries.sort_by_cached_key(|e| {
        (
            e.reference
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase(),
            e.id.clone(),
        )
    });
    let path = "sources/index.html".to_string();
    let f = frame(opts, &path, "Sources", "sources");
    page(path, "sources.html", f, context! { sources => entries })
}

fn relation_view(ds: &Dataset, from: &Entity, to: &Entity, r: &Relation) -> FactView {
    let label = ds
        .ontology()
        .relations
        .get(&r.kind)
        .map_or(r.kind.to_string(), |d| d.label.clone());
    FactView {
        from: entity_ref(ds, from),
        label,
        to: entity_ref(ds, to),
        date: r.date.as_ref().map(DateView::of),
        summary: r.summary.as_ref().map(|t| t.to_string()),
        claim: claim(ds, r.claimed_by.as_deref(), r.stance),
        citations: Vec::new(),
    }
}

/// An entity on the "as of" page with the windows its start and end may
/// fall in, as days since 1970-01-01, for the script.
#[derive(Serialize)]
struct Span {
    order: usize,
    entity: Ref,
    s0: i64,
    s1: i64,
    e0: i64,
    e1: i64,
    /// Where it is on the page's date without a script: `definitely`,
    /// `possibly` or `not`.
    at_start: &'static str,
}

/// Open ends as day numbers beyond any real date, for the script.
const FAR: i64 = 1_000_000_000;

fn day(l: Limit) -> i64 {
    match l {
        Limit::Past => -FAR,
        Limit::Day(d) => d.since_epoch(),
        Limit::Future => FAR,
    }
}

fn as_of(ds: &Dataset, opts: &SiteOptions) -> Result<Page, SiteError> {
    let mut dated: Vec<&Entity> = ds
        .entities()
        .filter(|e| e.date.is_some() && !ds.never_existed(e))
        .collect();
    dated.sort_by(|a, b| {
        query::cite::by_date(a.date.as_ref(), b.date.as_ref()).then_with(|| a.id.cmp(&b.id))
    });
    // Without a script the page shows the year in which the most entries
    // were certainly active (the later on a tie): a year with something to
    // see, chosen from the data alone.
    let span_years: Vec<i64> = dated
        .iter()
        .flat_map(|e| {
            let d = e.date.as_ref().expect("dated");
            [d.start().earliest, d.end().latest]
        })
        .filter_map(|l| match l {
            Limit::Day(d) => Some(d.ymd().0),
            _ => None,
        })
        .collect();
    let (lo, hi) = (
        span_years.iter().min().copied().unwrap_or(2000),
        span_years.iter().max().copied().unwrap_or(2000),
    );
    let mut best: Option<(usize, i64)> = None;
    for y in lo..=hi {
        let Ok(d) = Date::parse(&format!("{y:04}")) else {
            continue;
        };
        let n = query::active(ds, &active_on(ds, d)?).definitely.len();
        if best.is_none_or(|(m, _)| n >= m) {
            best = Some((n, y));
        }
    }
    let date = best
        .and_then(|(_, y)| Date::parse(&format!("{y:04}")).ok())
        .unwrap_or_else(|| Date::parse("2000").expect("a valid date"));
    let answer = query::active(ds, &active_on(ds, date.clone())?);
    let definitely: BTreeSet<&str> = answer.definitely.iter().map(|b| b.id).collect();
    let possibly: BTreeSet<&str> = answer.possibly.iter().map(|b| b.id).collect();
    let spans: Vec<Span> = dated
        .iter()
        .enumerate()
        .map(|(order, e)| {
            let d = e.date.as_ref().expect("dated");
            Span {
                order,
                entity: entity_ref(ds, e),
                s0: day(d.start().earliest),
                s1: day(d.start().latest),
                e0: day(d.end().earliest),
                e1: day(d.end().latest),
                at_start: if definitely.contains(e.id.as_str()) {
                    "definitely"
                } else if possibly.contains(e.id.as_str()) {
                    "possibly"
                } else {
                    "not"
                },
            }
        })
        .collect();
    let path = "as-of/index.html".to_string();
    let f = frame(opts, &path, "As of a date", "as-of");
    Ok(page(
        path,
        "as-of.html",
        f,
        context! {
            date => DateView::of(&date),
            spans => spans,
            first_year => lo,
            last_year => hi,
            undated => answer.undated,
        },
    ))
}
