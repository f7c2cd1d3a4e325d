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

use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use super::QueryError;
use crate::model::entity::{Citation, Entity};
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

/// Where a field is, spelt out (`relations[claims → lecd].sources[0].at`)
/// only for the few fields an answer shows.
#[derive(Clone, Copy)]
enum Name<'a> {
    /// `name`, `id`, `short`, `aliases`, `summary`, `place`.
    Plain(&'static str),
    /// `names.LANG`.
    Language(&'a str),
    /// `sources[I].at` or `sources[I].quote`, of the entity or of a
    /// relation it states (type, other end).
    Citation {
        relation: Option<(&'a str, &'a str)>,
        i: usize,
        quote: bool,
    },
    /// `relations[TYPE → TO].summary`.
    RelationSummary(&'a str, &'a str),
}

impl Name<'_> {
    fn spell(self) -> String {
        let prefix = |r: Option<(&str, &str)>| {
            r.map_or_else(String::new, |(kind, to)| {
                format!("relations[{kind} → {to}].")
            })
        };
        match self {
            Name::Plain(n) => n.to_string(),
            Name::Language(l) => format!("names.{l}"),
            Name::Citation { relation, i, quote } => format!(
                "{}sources[{i}].{}",
                prefix(relation),
                if quote { "quote" } else { "at" }
            ),
            Name::RelationSummary(kind, to) => format!("{}summary", prefix(Some((kind, to)))),
        }
    }
}

struct Field<'a> {
    name: Name<'a>,
    text: &'a str,
    weight: Weight,
}

fn citation_fields<'a>(
    relation: Option<(&'a str, &'a str)>,
    cites: &'a [Citation],
    out: &mut Vec<Field<'a>>,
) {
    for (i, c) in cites.iter().enumerate() {
        out.push(Field {
            name: Name::Citation {
                relation,
                i,
                quote: false,
            },
            text: &c.at,
            weight: Weight::Locator,
        });
        if let Some(q) = &c.quote {
            out.push(Field {
                name: Name::Citation {
                    relation,
                    i,
                    quote: true,
                },
                text: q,
                weight: Weight::Quote,
            });
        }
    }
}

/// Every field of `e`, then those of the relations it states (written
/// from it), in the order written.
fn fields<'a>(ds: &'a Dataset, e: &'a Entity, out: &mut Vec<Field<'a>>) {
    let name = |name, text| Field {
        name,
        text,
        weight: Weight::Name,
    };
    out.push(name(Name::Plain("name"), &e.name));
    out.push(name(Name::Plain("id"), &e.id));
    out.extend(e.short.iter().map(|s| name(Name::Plain("short"), s)));
    out.extend(e.aliases.iter().map(|a| name(Name::Plain("aliases"), a)));
    out.extend(e.names.iter().map(|(l, n)| name(Name::Language(l), n)));
    for (what, text) in [("summary", &e.summary), ("place", &e.place)] {
        out.extend(text.iter().map(|t| Field {
            name: Name::Plain(what),
            text: t,
            weight: Weight::Summary,
        }));
    }
    citation_fields(None, &e.sources, out);
    // Relations are searched as part of the entity that states them.
    let g = ds.graph();
    let mut stated: Vec<_> = ds
        .node(&e.id)
        .into_iter()
        .flat_map(|n| g.edges_directed(n, Direction::Outgoing))
        .collect();
    stated.sort_by_key(|x| x.id());
    for x in stated {
        let (r, to) = (x.weight(), &g[x.target()]);
        if let Some(s) = &r.summary {
            out.push(Field {
                name: Name::RelationSummary(&r.kind, &to.id),
                text: s,
                weight: Weight::Summary,
            });
        }
        citation_fields(Some((&r.kind, &to.id)), &r.sources, out);
    }
}

/// Entities matching `settings`, best first.
pub fn search<'a>(ds: &'a Dataset, settings: &SearchSettings) -> Search<'a> {
    let terms = &settings.terms;
    let mut results = Vec::new();
    let mut all = Vec::new();
    for e in ds.entities() {
        all.clear();
        fields(ds, e, &mut all);
        // Each field: its folded text and the terms it holds.
        let mut found: Vec<(usize, &Field, String, Vec<&String>)> = Vec::new();
        let mut best: Vec<u32> = vec![0; terms.len()];
        for (position, f) in all.iter().enumerate() {
            let folded = fold(f.text);
            let held: Vec<&String> = terms.iter().filter(|t| folded.contains(*t)).collect();
            if held.is_empty() {
                continue;
            }
            for (i, t) in terms.iter().enumerate() {
                if held.contains(&t) {
                    // A whole-field match of a name counts double.
                    let w = f.weight as u32 * if folded == *t { 2 } else { 1 };
                    best[i] = best[i].max(w);
                }
            }
            found.push((position, f, folded, held));
        }
        if best.contains(&0) {
            continue;
        }
        // Every term, where it was best found; and a bonus when one field
        // holds them all, which is closer to what was asked than scattered words.
        let together = found.iter().any(|(_, _, _, h)| h.len() == terms.len());
        let score = best.iter().sum::<u32>() + if together { 3 } else { 0 };
        // Most telling first; then in the order the fields are written.
        found.sort_by(|a, b| {
            (b.1.weight, b.3.len())
                .cmp(&(a.1.weight, a.3.len()))
                .then_with(|| a.0.cmp(&b.0))
        });
        let matches = found
            .into_iter()
            .take(3)
            .map(|(_, f, folded, held)| FieldMatch {
                snippet: snippet(f.text, &folded, held[0]),
                field: f.name.spell(),
                text: f.text,
                terms: held.into_iter().cloned().collect(),
            })
            .collect();
        results.push(SearchResult {
            id: &e.id,
            name: &e.name,
            label: e.label(),
            kind: &e.kind,
            score,
            matches,
        });
    }
    results.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.id.cmp(b.id)));
    let total = results.len();
    results.truncate(settings.limit);
    Search {
        query: settings.text.clone(),
        terms: terms.clone(),
        total,
        results,
    }
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
