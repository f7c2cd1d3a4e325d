//! `detente find`: search names, short names, aliases, names in other
//! languages and ids, ignoring case, accents and punctuation, with near
//! misses ranked below real matches.

use super::FindSettings;
use crate::model::entity::Entity;
use crate::model::graph::Dataset;
use crate::model::text::fold as normalize;
use serde::Serialize;

/// The answer to a look-up.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Found {
    /// What was looked for, as given.
    pub query: String,
    /// How many entities match in all.
    pub total: usize,
    /// The best of them, at most the limit, best first.
    pub matches: Vec<Match>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// The entity's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// Which field matched: `id`, `name`, `short`, `alias` or `names.LANG`.
    pub field: String,
    /// The text that matched.
    pub text: String,
    /// How it matched: `exact`, `prefix`, `word`, `contains`, `words` or `near`.
    pub how: &'static str,
    /// 0–100; higher is better.
    pub score: u32,
}

/// What is looked for, folded, with what matching it needs, made once.
struct Query<'q> {
    /// The folded text.
    text: &'q str,
    /// The same after a space: it starts a word.
    word: String,
    /// Its words.
    words: Vec<&'q str>,
}

impl<'q> Query<'q> {
    fn new(text: &'q str) -> Query<'q> {
        Query {
            text,
            word: format!(" {text}"),
            words: text.split(' ').collect(),
        }
    }
}

#[cfg(test)]
fn score(query: &str, text: &str) -> Option<(u32, &'static str)> {
    score_in(&Query::new(query), text, &mut String::new())
}

/// How well `text` matches `query`; `t` is room for `text` folded.
fn score_in(query: &Query, text: &str, t: &mut String) -> Option<(u32, &'static str)> {
    t.clear();
    crate::model::text::fold_into(text, t);
    let t = t.as_str();
    let (q, q_words) = (query.text, &query.words);
    if t.is_empty() {
        return None;
    }
    if t == q {
        return Some((100, "exact"));
    }
    if t.starts_with(q) {
        return Some((90, "prefix"));
    }
    if t.split(' ').any(|w| w.starts_with(q)) || t.contains(query.word.as_str()) {
        return Some((80, "word"));
    }
    if t.contains(q) {
        return Some((70, "contains"));
    }
    if q_words.len() > 1 && q_words.iter().all(|w| t.contains(w)) {
        return Some((60, "words"));
    }
    // Near misses: each query word against its best-matching text word.
    let sim: f64 = q_words
        .iter()
        .map(|q| {
            t.split(' ')
                .map(|w| strsim::jaro_winkler(q, w))
                .fold(0.0, f64::max)
        })
        .sum::<f64>()
        / q_words.len() as f64;
    let whole = strsim::jaro_winkler(q, t);
    let best = sim.max(whole);
    if best >= 0.84 {
        // 40–50, below every real match.
        Some((40 + (best * 10.0).round() as u32, "near"))
    } else {
        None
    }
}

/// The best matches for `settings`, best first, at most its limit, and how
/// many there are in all.
pub fn find(ds: &Dataset, settings: &FindSettings) -> Found {
    let mut hits = hits(ds, settings.text());
    let total = hits.len();
    hits.truncate(settings.limit());
    Found {
        query: settings.text().to_string(),
        total,
        matches: hits.into_iter().map(Hit::into_match).collect(),
    }
}

/// Every entity matching `text`, best first.
pub(crate) fn all(ds: &Dataset, text: &str) -> Vec<Match> {
    hits(ds, text).into_iter().map(Hit::into_match).collect()
}

/// Which field of an entity matched.
#[derive(Clone, Copy)]
enum Field<'a> {
    Name,
    Id,
    Short,
    Alias,
    /// A name in this language.
    Names(&'a str),
}

/// A [`Match`] before it is copied out: a look-up that matches most of a
/// large dataset keeps only its best few.
struct Hit<'a> {
    entity: &'a Entity,
    field: Field<'a>,
    text: &'a str,
    how: &'static str,
    score: u32,
}

impl Hit<'_> {
    fn into_match(self) -> Match {
        let e = self.entity;
        Match {
            id: e.id.to_string(),
            name: e.name.to_string(),
            kind: e.kind.to_string(),
            field: match self.field {
                Field::Name => "name".to_string(),
                Field::Id => "id".to_string(),
                Field::Short => "short".to_string(),
                Field::Alias => "alias".to_string(),
                Field::Names(lang) => format!("names.{lang}"),
            },
            text: self.text.to_string(),
            how: self.how,
            score: self.score,
        }
    }
}

/// Every entity matching `text`, best first.
fn hits<'a>(ds: &'a Dataset, text: &str) -> Vec<Hit<'a>> {
    let query = normalize(text);
    if query.is_empty() {
        return Vec::new();
    }
    let query = Query::new(&query);
    let mut t = String::new();
    let mut hits = Vec::new();
    for e in ds.entities() {
        let fields = [(Field::Name, e.name.as_str()), (Field::Id, e.id.as_str())]
            .into_iter()
            .chain(e.short.iter().map(|s| (Field::Short, s.as_str())))
            .chain(e.aliases.iter().map(|a| (Field::Alias, a.as_str())))
            .chain(e.names.iter().map(|(l, n)| (Field::Names(l), n.as_str())));
        let mut best: Option<Hit> = None;
        for (field, text) in fields {
            let Some((score, how)) = score_in(&query, text, &mut t) else {
                continue;
            };
            // Highest score; on a tie, the field listed first.
            if best.as_ref().is_none_or(|b| b.score < score) {
                best = Some(Hit {
                    entity: e,
                    field,
                    text,
                    how,
                    score,
                });
            }
        }
        hits.extend(best);
    }
    // Entities come in id order: a stable sort by score keeps it on a tie.
    hits.sort_by_key(|h| std::cmp::Reverse(h.score));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_matches_outrank_near_misses() {
        let exact = score("lecd", "LECD").unwrap();
        let word = score("cyber", "Law Enforcement and Cybersecurity Dialogue").unwrap();
        let near = score("laskay", "Lorand Laskai").unwrap();
        assert_eq!(exact.1, "exact");
        assert_eq!(word.1, "word");
        assert_eq!(near.1, "near");
        assert!(exact.0 > word.0 && word.0 > near.0);
        assert_eq!(score("obama", "Shanghai Institutes"), None);
    }
}
