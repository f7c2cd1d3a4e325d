//! `detente search`: full-text search over everything written about an
//! entity — names, short names, aliases, names in other languages, its
//! summary and place, the locators and quotes of its citations, and the
//! summaries, locators and quotes of the relations (claims among them) it
//! states. Text is compared folded ([`crate::model::text::fold`]): case,
//! accents, width, punctuation and traditional/simplified Chinese do not
//! matter.
//!
//! A query is words and `"quoted phrases"`; an entity matches when every
//! word and phrase occurs in at least one of its fields. Results are one
//! per entity, ranked by where the words were found (a name outranks a
//! summary, which outranks a locator), each with the fields that matched
//! and a snippet around the match.

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::Serialize;

use super::QueryError;
use crate::model::entity::{Citation, Entity};
use crate::model::folded::{Field, Folded, Part};
use crate::model::graph::Dataset;
use crate::model::text::fold;

/// A search, as given.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Words and `"quoted phrases"`.
    pub text: String,
    /// At most this many entities in the answer; at least 1.
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            text: String::new(),
            limit: 10,
        }
    }
}

/// A search, checked: something to look for, a limit of at least 1.
#[derive(Debug, Clone)]
pub struct SearchSettings {
    text: String,
    terms: Vec<String>,
    limit: usize,
}

impl SearchOptions {
    /// Splits the query into folded terms and checks it.
    pub fn validate(&self) -> Result<SearchSettings, QueryError> {
        if self.limit == 0 {
            return Err(QueryError::TooFew {
                option: "--limit".into(),
                value: 0,
                min: 1,
            });
        }
        let terms = terms(&self.text);
        if terms.is_empty() {
            return Err(QueryError::NothingToSearch {
                text: self.text.clone(),
            });
        }
        Ok(SearchSettings {
            text: self.text.clone(),
            terms,
            limit: self.limit,
        })
    }
}

/// The folded terms of a query: each `"quoted phrase"` one term, every
/// other word one term; duplicates once.
fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        // Odd parts were inside quotes.
        let pieces: Vec<String> = if i % 2 == 1 {
            vec![fold(part)]
        } else {
            fold(part).split(' ').map(str::to_string).collect()
        };
        for p in pieces {
            if !p.is_empty() && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// The answer.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Search<'a> {
    /// The query, as given.
    pub query: String,
    /// The folded words and phrases every result contains.
    pub terms: Vec<String>,
    /// How many entities match in all.
    pub total: usize,
    /// The best of them, at most the limit, best first.
    pub results: Vec<SearchResult<'a>>,
}

/// One entity that matches.
#[derive(Debug, Serialize)]
pub struct SearchResult<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its short label, or its name.
    pub label: &'a str,
    /// Its kind.
    pub kind: &'a str,
    /// Higher is better.
    pub score: u32,
    /// The fields that contain a term, most telling first.
    pub matches: Vec<FieldMatch<'a>>,
}

/// A field that contains a term.
#[derive(Debug, Serialize)]
pub struct FieldMatch<'a> {
    /// Where the text is, as in the YAML: `name`, `aliases`, `names.zh`,
    /// `summary`, `sources[1].at`, `relations[claims → lecd].summary`, …
    pub field: String,
    /// The whole text of the field.
    pub text: &'a str,
    /// A short piece of it around the first match, `…` where cut.
    pub snippet: String,
    /// The terms it contains.
    pub terms: Vec<String>,
}

/// How telling a match in each kind of field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Weight {
    Locator = 2,
    Quote = 3,
    Summary = 4,
    Name = 8,
}

impl Weight {
    fn of(part: Part) -> Weight {
        match part {
            Part::Name | Part::Id | Part::Short | Part::Alias(_) | Part::Language(_) => {
                Weight::Name
            }
            Part::Summary | Part::Place | Part::RelationSummary(_) => Weight::Summary,
            Part::Citation { quote: true, .. } => Weight::Quote,
            Part::Citation { quote: false, .. } => Weight::Locator,
        }
    }
}

/// Where a field is, as in the YAML (`relations[claims → lecd].sources[0].at`),
/// and its whole text: spelt out only for the few fields an answer shows.
fn resolve<'a>(ds: &'a Dataset, e: &'a Entity, part: Part) -> (String, &'a str) {
    let g = ds.graph();
    // `relations[TYPE → TO].`, the prefix of a relation's fields.
    let relation = |x: EdgeIndex| {
        let to = &g[g.edge_endpoints(x).expect("an edge of this graph").1];
        (&g[x], format!("relations[{} → {}].", g[x].kind, to.id))
    };
    let citation = |cites: &'a [Citation], prefix: String, i: u32, quote: bool| {
        let c = &cites[i as usize];
        if quote {
            (
                format!("{prefix}sources[{i}].quote"),
                c.quote.as_deref().unwrap_or(""),
            )
        } else {
            (format!("{prefix}sources[{i}].at"), c.at.as_str())
        }
    };
    match part {
        Part::Name => ("name".into(), &e.name),
        Part::Id => ("id".into(), &e.id),
        Part::Short => ("short".into(), e.short.as_deref().unwrap_or("")),
        Part::Alias(i) => ("aliases".into(), &e.aliases[i as usize]),
        Part::Language(i) => {
            let (l, n) = e
                .names
                .iter()
                .nth(i as usize)
                .expect("indexed from these names");
            (format!("names.{l}"), n)
        }
        Part::Summary => ("summary".into(), e.summary.as_deref().unwrap_or("")),
        Part::Place => ("place".into(), e.place.as_deref().unwrap_or("")),
        Part::Citation {
            relation: None,
            i,
            quote,
        } => citation(&e.sources, String::new(), i, quote),
        Part::Citation {
            relation: Some(x),
            i,
            quote,
        } => {
            let (r, prefix) = relation(x);
            citation(&r.sources, prefix, i, quote)
        }
        Part::RelationSummary(x) => {
            let (r, prefix) = relation(x);
            (
                format!("{prefix}summary"),
                r.summary.as_deref().unwrap_or(""),
            )
        }
    }
}

/// The fields of `text` (a [`Folded::text`]) that contain `term`, each
/// once, in order, as where each starts.
fn holding(text: &[u8], term: &str) -> Vec<u32> {
    let finder = memchr::memmem::Finder::new(term.as_bytes());
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = finder.find(&text[at..]) {
        // A folded term holds no separator: the field is from the one
        // before the match to the one after it.
        let hit = at + i;
        let start = memchr::memrchr(b'\n', &text[..hit]).map_or(0, |s| s + 1);
        out.push(u32::try_from(start).expect("under 4 GB of searchable text"));
        // One hit a field is enough: go on from the next field.
        at = memchr::memchr(b'\n', &text[hit..]).map_or(text.len(), |e| hit + e);
    }
    out
}

/// A field of a matching entity and the terms (by position in the query) it holds.
struct Found {
    field: Field,
    weight: Weight,
    held: Vec<usize>,
}

/// Entities matching `settings`, best first.
///
/// Every term is looked for once in the dataset's folded text
/// (built on the first search of the dataset and kept, or read from a
/// copy), which gives the fields holding it; an entity matches when each
/// term is in one of its fields. An index read from a copy that does not
/// fit an entity the search matches is refused, and the search made again
/// on an index built from the dataset.
pub fn search<'a>(ds: &'a Dataset, settings: &SearchSettings) -> Search<'a> {
    loop {
        let index = ds.folded();
        if let Some(found) = search_in(ds, index, settings) {
            return found;
        }
        assert!(index.is_read(), "an index built from the graph fits it");
        ds.refuse_folded();
    }
}

/// [`search`] in `index`, or `None` if it does not fit the dataset where
/// the search used it.
fn search_in<'a>(
    ds: &'a Dataset,
    index: &'a Folded,
    settings: &SearchSettings,
) -> Option<Search<'a>> {
    let terms = &settings.terms;
    let g = ds.graph();
    let text = index.text();
    let holding: Vec<Vec<u32>> = terms.iter().map(|t| holding(text, t)).collect();
    // Walk the entities that hold the rarest term, each term's list at once:
    // every list is in field order, so in entity order.
    let rarest = (0..terms.len())
        .min_by_key(|&t| holding[t].len())
        .expect("a query has a term");
    let mut cursors = vec![0usize; terms.len()];
    let mut scored: Vec<(u32, NodeIndex, Vec<Found>)> = Vec::new();
    let mut last = None;
    for &f in &holding[rarest] {
        let entity = index.entity_at(f as usize);
        if last == Some(entity) {
            continue;
        }
        last = Some(entity);
        let (lo, hi) = index.span(entity);
        // Each term's fields in this entity, as (field start, term).
        let mut hits: Vec<(u32, usize)> = Vec::new();
        let mut every = true;
        for (t, list) in holding.iter().enumerate() {
            let c = &mut cursors[t];
            while *c < list.len() && (list[*c] as usize) < lo {
                *c += 1;
            }
            let from = *c;
            while *c < list.len() && (list[*c] as usize) < hi {
                *c += 1;
            }
            every &= *c > from;
            hits.extend(list[from..*c].iter().map(|&f| (f, t)));
        }
        if !every {
            continue;
        }
        // Which text each field is, checked against the entity when the
        // index was read from a copy: only for the entities that match.
        let fields = index.fields(g, entity)?;
        let mut best = vec![0u32; terms.len()];
        let mut found: Vec<Found> = Vec::new();
        hits.sort_unstable();
        for (f, t) in hits {
            let field = fields[fields.binary_search_by_key(&f, |x| x.start).ok()?];
            let weight = Weight::of(field.part);
            // A whole-field match counts double.
            let whole = (field.end - field.start) as usize == terms[t].len();
            best[t] = best[t].max(weight as u32 * if whole { 2 } else { 1 });
            match found.last_mut() {
                Some(x) if x.field.start == f => x.held.push(t),
                _ => found.push(Found {
                    field,
                    weight,
                    held: vec![t],
                }),
            }
        }
        // Every term, where it was best found; and a bonus when one field
        // holds them all, which is closer to what was asked than scattered words.
        let together = found.iter().any(|x| x.held.len() == terms.len());
        let score = best.iter().sum::<u32>() + if together { 3 } else { 0 };
        scored.push((score, entity, found));
    }
    // Nodes are in id order: best first, then by id.
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let total = scored.len();
    scored.truncate(settings.limit);
    let results = scored
        .into_iter()
        .map(|(score, n, mut found)| {
            let e = &g[n];
            // Held terms are in query order; fields in the order written.
            for x in &mut found {
                x.held.sort_unstable();
            }
            // Most telling first; then in the order the fields are written.
            found.sort_by(|a, b| {
                (b.weight, b.held.len())
                    .cmp(&(a.weight, a.held.len()))
                    .then_with(|| a.field.start.cmp(&b.field.start))
            });
            let matches = found
                .into_iter()
                .take(3)
                .map(|x| {
                    let (field, text) = resolve(ds, e, x.field.part);
                    let folded = index.folded(&x.field);
                    FieldMatch {
                        snippet: snippet(text, folded, &terms[x.held[0]]),
                        field,
                        text,
                        terms: x.held.iter().map(|&t| terms[t].clone()).collect(),
                    }
                })
                .collect();
            SearchResult {
                id: &e.id,
                name: &e.name,
                label: e.label(),
                kind: &e.kind,
                score,
                matches,
            }
        })
        .collect();
    Some(Search {
        query: settings.text.clone(),
        terms: terms.clone(),
        total,
        results,
    })
}

/// Fields this long or shorter are shown whole.
const SHORT: usize = 80;
/// Words either side of a match kept in a snippet.
const BEFORE: usize = 6;
const AFTER: usize = 10;
/// Characters kept of one long word (Chinese has no spaces to cut at).
const LONG_WORD: usize = 40;

/// A piece of `text` around the first place `term` occurs in its folded
/// form. Folding works word by word, so the match is found in the folded
/// words and the snippet cut from the original ones.
fn snippet(text: &str, folded: &str, term: &str) -> String {
    if text.chars().count() <= SHORT {
        return text.to_string();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut starts = Vec::with_capacity(words.len());
    let mut at = 0;
    for w in &words {
        starts.push(at);
        let f = fold(w);
        if !f.is_empty() {
            at += f.len() + 1;
        }
    }
    let hit = folded.find(term).unwrap_or(0);
    let i = starts.iter().rposition(|&s| s <= hit).unwrap_or(0);
    let (lo, hi) = (i.saturating_sub(BEFORE), (i + AFTER).min(words.len()));
    let mut s: String = words[lo..hi]
        .iter()
        .map(|w| {
            if w.chars().count() > LONG_WORD {
                format!("{}…", w.chars().take(LONG_WORD).collect::<String>())
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    if lo > 0 {
        s.insert_str(0, "… ");
    }
    if hi < words.len() {
        s.push_str(" …");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_phrases_are_one_term_and_words_are_many() {
        assert_eq!(
            terms(r#"Shen Yi "one-off  Bargains" shen"#),
            ["shen", "yi", "one off bargains"]
        );
        assert_eq!(terms("國際問題"), ["国际问题"]);
        assert!(terms(" -- ").is_empty());
    }

    #[test]
    fn snippets_cut_around_the_match() {
        let text = "one two three four five six seven eight nine ten eleven twelve \
                    thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty";
        let s = snippet(text, &fold(text), "fourteen");
        assert_eq!(
            s,
            "… eight nine ten eleven twelve thirteen fourteen fifteen sixteen \
             seventeen eighteen nineteen twenty"
        );
        assert_eq!(
            snippet("U.S.-China talks", "us china talks", "talks"),
            "U.S.-China talks"
        );
    }
}
