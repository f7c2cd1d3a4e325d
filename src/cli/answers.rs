//! Query answers as text: each fact on one line with its date and
//! citation numbers, claims attributed beneath, and the numbered source list
//! at the end, so an answer can be quoted as it stands.

use std::io::Write;

use crate::model::date::{Date, Truth};
use crate::model::entity::Stance;
use crate::query::{
    Active, Brief, Claims, Comparison, Counts, Diff, Explanation, Fact, Lineage, Neighborhood,
    NumberedSources, Paths, RowItem, Search, Stats, Timeline, What,
};
use unicode_width::UnicodeWidthStr;

use super::text::{
    cites, count, number, numbers, source_group, sources, table, width, wrap, wrapped,
};

fn date(b: &Brief) -> String {
    b.date.map(|d| d.human().to_string()).unwrap_or_default()
}

fn truth(t: Truth) -> &'static str {
    match t {
        Truth::Definitely => "definitely",
        Truth::Possibly => "possibly",
        Truth::Not => "not",
    }
}

/// `  (date)` after a fact, or nothing when it is undated.
fn when(date: Option<&Date>) -> String {
    date.map(|d| format!("  ({})", d.human()))
        .unwrap_or_default()
}

/// ` (date)`, for lines with tighter spacing.
fn when_tight(date: Option<&Date>) -> String {
    date.map(|d| format!(" ({})", d.human()))
        .unwrap_or_default()
}

/// `  as co-chair` after a fact with a role, or nothing.
fn role(f: &Fact) -> String {
    f.role_label
        .map(|r| format!("  as {r}"))
        .unwrap_or_default()
}

/// `from —label→ to  as ROLE  (date)  [n]`, then who claims it and what it says.
fn fact(out: &mut Vec<u8>, indent: usize, f: &Fact) {
    let pad_s = " ".repeat(indent);
    let when = when(f.date);
    let _ = writeln!(
        out,
        "{pad_s}{} —{}→ {}{}{when}  {}",
        f.from,
        f.label,
        f.to,
        role(f),
        cites(&f.citations)
    );
    claim(out, indent + 4, f);
}

fn claim(out: &mut Vec<u8>, indent: usize, f: &Fact) {
    let pad_s = " ".repeat(indent);
    if f.claimed_by.is_some() || f.stance != Stance::Record {
        let _ = writeln!(
            out,
            "{pad_s}{} by `{}`{}",
            f.stance.as_str(),
            f.claimed_by.unwrap_or("?"),
            reported_in(f)
        );
    }
    if let Some(s) = f.summary {
        let _ = writeln!(out, "{pad_s}{}", wrap(s, width() - indent, indent));
    }
}

fn brief_line(b: &Brief) -> String {
    let mut s = format!("{}  {}", b.id, b.label);
    let d = date(b);
    if !d.is_empty() {
        s.push_str(&format!("  ({d})"));
    }
    if b.hypothetical {
        s.push_str("  [proposed, never created]");
    }
    s.push_str(&format!("  {}", cites(&b.citations)));
    s
}

pub fn lineage(out: &mut Vec<u8>, l: &Lineage) {
    let links = l.links.len();
    let _ = writeln!(
        out,
        "Lineage of {} ({}, in time order)\n",
        l.id,
        count(links, "mechanism", "mechanisms")
    );
    for (i, link) in l.links.iter().enumerate() {
        let e = &link.entity;
        let status = e
            .status
            .map(|s| format!("  status: {s}"))
            .unwrap_or_default();
        let _ = writeln!(out, "{}. {}  {}", i + 1, e.id, e.name);
        let _ = writeln!(
            out,
            "   {}{status}  {}",
            if date(e).is_empty() {
                "undated".to_string()
            } else {
                date(e)
            },
            cites(&e.citations)
        );
        // Each line is the fact: the other entity, and the relation's own
        // date and citations.
        for (word, list) in [
            ("founded:", &link.founded),
            ("session:", &link.sessions),
            ("ended:  ", &link.ended),
        ] {
            for r in list.iter() {
                let when = when(r.fact.date.or(r.entity.date));
                let _ = writeln!(
                    out,
                    "   {word} {}  {}{}{when}  {}",
                    r.entity.id,
                    r.entity.label,
                    role(&r.fact),
                    cites(&r.fact.citations)
                );
                claim(out, 6, &r.fact);
            }
        }
        for f in &link.successors {
            let when = when_tight(f.date);
            let _ = writeln!(
                out,
                "   ↓ {} {}{when}  {}",
                f.inverse,
                f.from,
                cites(&f.citations)
            );
            claim(out, 6, f);
        }
        let _ = writeln!(out);
    }
    identifications(out, &l.identified, l.strict, true);
    sources(out, &l.sources);
}

/// The identifications an answer crossed, or with `--strict` stopped at,
/// so a reader knows where two names were taken for one thing.
/// `full` prints who claims each and why; without it, one line each (for
/// answers that list the relation in full already).
fn identifications(out: &mut Vec<u8>, list: &[Fact], strict: bool, full: bool) {
    if list.is_empty() {
        return;
    }
    let n = count(list.len(), "identification", "identifications");
    let _ = if strict {
        writeln!(
            out,
            "Stopped at {n} (--strict); without --strict they are followed:"
        )
    } else {
        writeln!(
            out,
            "Followed {n} (two names taken for one thing; --strict stops at them):"
        )
    };
    for f in list {
        if full {
            fact(out, 2, f);
        } else {
            let _ = writeln!(out, "  {} —{}→ {}", f.from, f.label, f.to);
        }
    }
}

pub fn paths(out: &mut Vec<u8>, p: &Paths) {
    let at =
        p.at.as_ref()
            .map(|d| format!(" at {d}"))
            .unwrap_or_default();
    if p.paths.is_empty() {
        let within = p
            .max_hops
            .map(|n| format!(" within {}", count(n, "hop", "hops")))
            .unwrap_or_default();
        if p.truncated {
            let _ = writeln!(
                out,
                "No connection between {} and {}{at}{within} found before the search reached its work limit; there may be one. Narrow the question (--max-hops, --avoid) and ask again.",
                p.from.id, p.to.id
            );
        } else {
            let _ = writeln!(
                out,
                "No connection between {} and {}{at}{within} with the options given.",
                p.from.id, p.to.id
            );
        }
        return;
    }
    let _ = writeln!(
        out,
        "{} from {} to {}{at}{}",
        count(p.paths.len(), "path", "paths"),
        p.from.id,
        p.to.id,
        if p.truncated {
            " (the list may be incomplete: more paths exist, or the search reached its work limit)"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "  from: {}", brief_line(&p.from));
    let _ = writeln!(out, "  to:   {}\n", brief_line(&p.to));
    for (i, path) in p.paths.iter().enumerate() {
        let t = path
            .truth
            .map(|t| format!(", {}", truth(t)))
            .unwrap_or_default();
        let ident = match path.identifications {
            0 => String::new(),
            n => format!(
                ", through {}; --strict avoids them",
                count(n, "identification", "identifications")
            ),
        };
        let _ = writeln!(
            out,
            "Path {} ({}{t}{ident})",
            i + 1,
            count(path.hops.len(), "hop", "hops")
        );
        for h in &path.hops {
            let when = when(h.fact.date);
            let t = h
                .truth
                .map(|t| format!("  [{}]", truth(t)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} —{}→ {}{}{when}{t}  {}",
                h.from.id,
                h.reads,
                h.to.id,
                role(&h.fact),
                cites(&h.fact.citations)
            );
            claim(out, 6, &h.fact);
        }
        let _ = writeln!(out);
    }
    sources(out, &p.sources);
}

pub fn neighbors(out: &mut Vec<u8>, n: &Neighborhood) {
    let _ = writeln!(
        out,
        "{} and {}\n",
        brief_line(&n.center),
        count(n.neighbors.len(), "neighbour", "neighbours")
    );
    let rows: Vec<Vec<String>> = n
        .neighbors
        .iter()
        .map(|x| {
            vec![
                x.distance.to_string(),
                match x.role {
                    Some(r) => format!("{} {} ({r}) →", x.via, x.reads),
                    None => format!("{} {} →", x.via, x.reads),
                },
                x.entity.id.to_string(),
                x.entity.kind.to_string(),
                date(&x.entity),
                x.entity.label.to_string(),
            ]
        })
        .collect();
    table(
        out,
        &["hops", "reached as", "id", "kind", "date", "label"],
        &rows,
    );
    let _ = writeln!(
        out,
        "\n{}",
        count(n.relations.len(), "relation", "relations")
    );
    for f in &n.relations {
        fact(out, 2, f);
    }
    if !n.identified.is_empty() {
        let _ = writeln!(out);
    }
    identifications(out, &n.identified, n.strict, false);
    sources(out, &n.sources);
}

pub fn active(out: &mut Vec<u8>, a: &Active) {
    for (label, list) in [("Definitely", &a.definitely), ("Possibly", &a.possibly)] {
        let _ = writeln!(out, "{label} in existence on {} ({})", a.date, list.len());
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|b| {
                vec![
                    format!("  {}", b.id),
                    b.kind.to_string(),
                    date(b),
                    b.label.to_string(),
                    cites(&b.citations),
                ]
            })
            .collect();
        if !rows.is_empty() {
            table(out, &["  id", "kind", "date", "label", "sources"], &rows);
        }
        let _ = writeln!(out);
    }
    if a.undated > 0 {
        let _ = writeln!(
            out,
            "{} without a date cannot be placed (see `detente list`).",
            count(a.undated, "entity", "entities")
        );
    }
    sources(out, &a.sources);
}

pub fn explanation(out: &mut Vec<u8>, e: &Explanation) {
    let answer = e.truth.map_or("unknown", truth);
    let d = e
        .entity_date
        .map(|d| format!(" [{}]", d.as_str()))
        .unwrap_or_default();
    let _ = writeln!(out, "{}{d} on {}: {answer}", e.id, e.date);
    let _ = writeln!(out, "  {}", wrap(&e.reason, width() - 2, 2));
}

/// A timeline, written straight into `out` with nothing made or allocated
/// per entry: a whole dataset of 100,000 entities lists hundreds of
/// thousands of entries and cites as many places. Each entry is read as
/// the dataset holds it ([`crate::query::Entries::items`]); the date
/// column is padded once for each run of entries at the same date (the
/// entries are in date order). The source list does not depend on the
/// text above it (see [`all_sources`]), so the two are written side by
/// side, on two threads when there are.
pub fn timeline(out: &mut Vec<u8>, t: &Timeline) {
    let ((), sources) = rayon::join(
        || entries(out, t),
        || {
            let mut list = Vec::new();
            all_sources(&mut list, &t.sources);
            list
        },
    );
    out.extend_from_slice(&sources);
}

/// The entries of a timeline, one line each (and one more for a claim).
fn entries(out: &mut Vec<u8>, t: &Timeline) {
    let mut w = 0;
    let mut seen: Option<&str> = None;
    for d in t.entries.dates() {
        if seen != Some(d.as_str()) {
            seen = Some(d.as_str());
            w = w.max(d.human().width());
        }
    }
    let w = w.min(32);
    let mut when: Vec<u8> = Vec::new();
    let mut seen: Option<&str> = None;
    let mut numbers: Vec<usize> = Vec::new();
    for item in t.entries.items() {
        if seen != Some(item.date.as_str()) {
            seen = Some(item.date.as_str());
            let human = item.date.human();
            when.clear();
            when.extend_from_slice(human.as_bytes());
            when.resize(when.len() + w.saturating_sub(human.width()), b' ');
        }
        out.extend_from_slice(&when);
        out.extend_from_slice(b"  ");
        let (label, role) = item.labels();
        let claimed_by = match item.what {
            What::Entity(e) => {
                for part in [&e.kind, " ", &e.id, "  ", label] {
                    out.extend_from_slice(part.as_bytes());
                }
                if item.hypothetical() {
                    out.extend_from_slice(b" [proposed]");
                }
                None
            }
            What::Relation { from, to, relation } => {
                for part in [&from.id, " \u{2014}", label, "\u{2192} ", &to.id] {
                    out.extend_from_slice(part.as_bytes());
                }
                if let Some(role) = role {
                    out.extend_from_slice(b"  as ");
                    out.extend_from_slice(role.as_bytes());
                }
                relation.claimed_by.as_deref().map(|c| (relation.stance, c))
            }
        };
        out.extend_from_slice(b"  ");
        numbers.clear();
        numbers.extend(item.citations());
        numbers.sort_unstable();
        for &n in &numbers {
            number(out, n);
        }
        out.push(b'\n');
        if let Some((stance, by)) = claimed_by {
            out.resize(out.len() + w, b' ');
            for part in ["  ", stance.as_str(), " by `", by, "`\n"] {
                out.extend_from_slice(part.as_bytes());
            }
        }
    }
    if t.entries.is_empty() {
        let _ = writeln!(out, "nothing dated matches");
    }
}

/// The source list of an answer whose text cites every number of its
/// list, as a timeline's does (each entry prints all its numbers): what
/// [`sources`] writes for it, each document's reference found once and
/// nothing made per citation.
fn all_sources(out: &mut Vec<u8>, list: &NumberedSources) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nSources");
    // Each citation's document, numbered in order of first number.
    let mut docs: Vec<&str> = Vec::new();
    let mut doc_of: Vec<u32> = Vec::with_capacity(list.len());
    let mut known: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
    let cited: Vec<(&str, &str, Option<&str>)> = list.citations().collect();
    for &(source, ..) in &cited {
        let d = *known.entry(source).or_insert_with(|| {
            docs.push(source);
            u32::try_from(docs.len() - 1).expect("fewer than 2^32 sources")
        });
        doc_of.push(d);
    }
    // The citations of each document, in order of number (a counting sort).
    let mut start = vec![0u32; docs.len() + 1];
    for &d in &doc_of {
        start[d as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut next = start.clone();
    let mut by_doc = vec![0u32; doc_of.len()];
    for (i, &d) in doc_of.iter().enumerate() {
        by_doc[next[d as usize] as usize] = u32::try_from(i).expect("fewer than 2^32 citations");
        next[d as usize] += 1;
    }
    for (d, &source) in docs.iter().enumerate() {
        let group = &by_doc[start[d] as usize..start[d + 1] as usize];
        source_group(
            out,
            list.reference(source),
            group.iter().map(|&i| {
                let (_, at, quote) = cited[i as usize];
                (i as usize + 1, at, quote)
            }),
        );
    }
}

pub fn diff(out: &mut Vec<u8>, d: &Diff) {
    let _ = writeln!(out, "From {} to {}\n", d.from, d.to);
    for (label, list) in [
        ("Began", &d.began),
        ("Ended", &d.ended),
        ("Happened in between", &d.between),
    ] {
        let _ = writeln!(out, "{label} ({})", list.len());
        for c in list.iter() {
            let _ = writeln!(out, "  {:<10}  {}", truth(c.truth), brief_line(&c.entity));
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "Founding and ending relations in between ({})",
        d.events.len()
    );
    for f in &d.events {
        fact(out, 2, f);
    }
    sources(out, &d.sources);
}

fn items(list: &[RowItem]) -> String {
    list.iter()
        .map(|i| {
            let when = when_tight(i.date);
            format!("{}{when}{}", i.text, cites(&i.citations))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn compare(out: &mut Vec<u8>, c: &Comparison) {
    let _ = writeln!(out, "A: {}", brief_line(&c.a));
    let _ = writeln!(out, "B: {}\n", brief_line(&c.b));
    for row in &c.rows {
        let mark = if row.same { "=" } else { "≠" };
        let _ = writeln!(out, "{mark} {}", row.label);
        if !row.both.is_empty() {
            let _ = writeln!(
                out,
                "    both  {}",
                wrap(&items(&row.both), width() - 10, 10)
            );
        }
        if !row.only_a.is_empty() {
            let _ = writeln!(
                out,
                "    A     {}",
                wrap(&items(&row.only_a), width() - 10, 10)
            );
        }
        if !row.only_b.is_empty() {
            let _ = writeln!(
                out,
                "    B     {}",
                wrap(&items(&row.only_b), width() - 10, 10)
            );
        }
    }
    for (label, list) in [("A", &c.claims_a), ("B", &c.claims_b)] {
        if !list.is_empty() {
            let _ = writeln!(out, "\nClaims about {label}");
            for f in list.iter() {
                fact(out, 2, f);
            }
        }
    }
    sources(out, &c.sources);
}

pub fn claims(out: &mut Vec<u8>, c: &Claims) {
    if c.claims.is_empty() && c.attributed.is_empty() {
        let _ = writeln!(out, "no claims match");
        return;
    }
    // Each claim written piece by piece into `out`: a whole-dataset answer
    // has tens of thousands, and formatting each line, its date, role and
    // citation numbers into strings of their own took half of printing it.
    let width = width();
    let mut last: Option<&str> = None;
    for f in &c.claims {
        if last != f.claimed_by {
            let _ = writeln!(
                out,
                "{}Claimed by {}",
                if last.is_some() { "\n" } else { "" },
                f.claimed_by.unwrap_or("?")
            );
            last = f.claimed_by;
        }
        // `  {stance:<14} {from} —{label}→ {to}{role}{when}  {cites}`
        let stance = f.stance.as_str();
        out.extend_from_slice(b"  ");
        out.extend_from_slice(stance.as_bytes());
        for _ in stance.chars().count()..14 {
            out.push(b' ');
        }
        for piece in [" ", f.from, " —", f.label, "→ ", f.to] {
            out.extend_from_slice(piece.as_bytes());
        }
        if let Some(r) = f.role_label {
            out.extend_from_slice(b"  as ");
            out.extend_from_slice(r.as_bytes());
        }
        if let Some(d) = f.date {
            out.extend_from_slice(b"  (");
            out.extend_from_slice(d.human().as_bytes());
            out.push(b')');
        }
        out.extend_from_slice(b"  ");
        numbers(out, &f.citations);
        out.push(b'\n');
        if let Some(s) = f.summary {
            out.extend_from_slice(&[b' '; 17]);
            wrapped(out, s, width - 17, 17);
            out.push(b'\n');
        }
        if !f.reported_in.is_empty() {
            out.extend_from_slice(b"                 as reported in ");
            for (i, d) in f.reported_in.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b", ");
                }
                out.push(b'`');
                out.extend_from_slice(d.as_bytes());
                out.push(b'`');
            }
            out.push(b'\n');
        }
    }
    // Statuses and dates one voice gives, after the relations.
    let mut last: Option<&str> = None;
    for a in &c.attributed {
        if last != Some(a.claimed_by) {
            let gap = if c.claims.is_empty() && last.is_none() {
                ""
            } else {
                "\n"
            };
            let _ = writeln!(out, "{gap}Statuses and dates claimed by {}", a.claimed_by);
            last = Some(a.claimed_by);
        }
        let _ = writeln!(
            out,
            "  {:<14} {} {}: {}  {}",
            a.stance.as_str(),
            a.entity,
            a.field,
            a.value,
            cites(&a.citations)
        );
    }
    sources(out, &c.sources);
}

/// ", as reported in `doc`" for a claim whose voice did not write the
/// document citing it (its witness); empty otherwise.
fn reported_in(f: &Fact) -> String {
    if f.reported_in.is_empty() {
        return String::new();
    }
    format!(", as reported in {}", witness_list(f))
}

fn witness_list(f: &Fact) -> String {
    let docs: Vec<String> = f.reported_in.iter().map(|d| format!("`{d}`")).collect();
    docs.join(", ")
}

pub fn stats(out: &mut Vec<u8>, s: &Stats) {
    let _ = writeln!(
        out,
        "{}, {}\n",
        count(s.entities, "entity", "entities"),
        count(s.relations, "relation", "relations")
    );
    let kv = |m: &std::collections::BTreeMap<&str, usize>| -> Vec<Vec<String>> {
        m.iter()
            .map(|(k, v)| vec![format!("  {k}"), format!("{v:>4}")])
            .collect()
    };
    table(out, &["  kind", "count"], &kv(&s.by_kind));
    let _ = writeln!(out);
    table(out, &["  relation type", "count"], &kv(&s.by_type));
    let _ = writeln!(out);
    table(out, &["  side", "count"], &kv(&s.by_side));
    let _ = writeln!(out);
    table(out, &["  stance", "count"], &kv(&s.by_stance));
    ranking(
        out,
        "Most connected (relations in and out)",
        "degree",
        &s.degree,
        |x| format!("{x}"),
    );
    let between = match s.betweenness_sources {
        None => "Most between (betweenness centrality, undirected, normalised)".to_string(),
        Some(k) => format!(
            "Most between (betweenness centrality, undirected, normalised; estimated from the shortest paths of {k} of the {} entities)",
            s.entities
        ),
    };
    ranking(out, &between, "betweenness", &s.betweenness, |x| {
        format!("{x:.3}")
    });
}

/// A titled table of ranked entities.
fn ranking(
    out: &mut Vec<u8>,
    title: &str,
    score: &str,
    ranked: &[crate::query::Ranked],
    fmt: fn(f64) -> String,
) {
    let _ = writeln!(out, "\n{title}");
    let rows: Vec<Vec<String>> = ranked
        .iter()
        .map(|r| vec![format!("  {}", r.id), r.kind.to_string(), fmt(r.score)])
        .collect();
    table(out, &["  id", "kind", score], &rows);
}

pub fn search(out: &mut Vec<u8>, s: &Search) {
    if s.results.is_empty() {
        let _ = writeln!(out, "nothing matches `{}`", s.query);
        return;
    }
    let _ = writeln!(
        out,
        "{} `{}`\n",
        count(s.total, "entity matches", "entities match"),
        s.query
    );
    for r in &s.results {
        let _ = writeln!(out, "{}  {}  ({})", r.id, r.name, r.kind);
        for m in &r.matches {
            let _ = writeln!(out, "    {}", m.field);
            let _ = writeln!(out, "        {}", wrap(&m.snippet, width() - 8, 8));
        }
    }
    let more = s.total - s.results.len();
    if more > 0 {
        let _ = writeln!(
            out,
            "\n{more} more {} match: raise --limit to see them",
            if more == 1 { "entity" } else { "entities" }
        );
    }
}

pub fn counts(out: &mut Vec<u8>, c: &Counts) {
    let rows: Vec<Vec<String>> = c
        .groups
        .iter()
        .map(|g| {
            let label = if g.label == g.key { "" } else { g.label };
            vec![
                format!("  {}", g.key),
                format!("{:>5}", g.count),
                label.to_string(),
            ]
        })
        .collect();
    let by = serde_json::to_value(c.by).expect("serialisable");
    let by = by.as_str().unwrap_or_default();
    table(out, &[&format!("  {by}"), "count", ""], &rows);
    let _ = writeln!(out, "\n{} {} in all", c.total, c.counting);
}
