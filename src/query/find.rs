//! `detente find`: search names, short names, aliases, names in other
//! languages and ids, ignoring case, accents and punctuation, with near
//! misses ranked below real matches.

use super::FindSettings;
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

fn score(query: &str, text: &str) -> Option<(u32, &'static str)> {
    let t = normalize(text);
    if t.is_empty() {
        return None;
    }
    if t == query {
        return Some((100, "exact"));
    }
    if t.starts_with(query) {
        return Some((90, "prefix"));
    }
    if t.split(' ').any(|w| w.starts_with(query)) || t.contains(&format!(" {query}")) {
        return Some((80, "word"));
    }
    if t.contains(query) {
        return Some((70, "contains"));
    }
    let q_words: Vec<&str> = query.split(' ').collect();
    if q_words.len() > 1 && q_words.iter().all(|w| t.contains(w)) {
        return Some((60, "words"));
    }
    // Near misses: each query word against its best-matching text word.
    let t_words: Vec<&str> = t.split(' ').collect();
    let sim: f64 = q_words
        .iter()
        .map(|q| {
            t_words
                .iter()
                .map(|w| strsim::jaro_winkler(q, w))
                .fold(0.0, f64::max)
        })
        .sum::<f64>()
        / q_words.len() as f64;
    let whole = strsim::jaro_winkler(query, &t);
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
    let mut matches = all(ds, settings.text());
    let total = matches.len();
    matches.truncate(settings.limit());
    Found {
        query: settings.text().to_string(),
        total,
        matches,
    }
}

/// Every entity matching `text`, best first.
pub(crate) fn all(ds: &Dataset, text: &str) -> Vec<Match> {
    let query = normalize(text);
    if query.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for e in ds.entities() {
        let mut fields: Vec<(String, &str)> = vec![("name".into(), &e.name), ("id".into(), &e.id)];
        fields.extend(e.short.iter().map(|s| ("short".to_string(), s.as_str())));
        fields.extend(e.aliases.iter().map(|a| ("alias".to_string(), a.as_str())));
        fields.extend(
            e.names
                .iter()
                .map(|(l, n)| (format!("names.{l}"), n.as_str())),
        );
        let best = fields
            .iter()
            .filter_map(|(f, t)| score(&query, t).map(|(s, how)| (s, how, f, *t)))
            // Highest score; on a tie, the field listed first.
            .fold(
                None,
                |acc: Option<(u32, &str, &String, &str)>, x| match acc {
                    Some(a) if a.0 >= x.0 => Some(a),
                    _ => Some(x),
                },
            );
        if let Some((score, how, field, t)) = best {
            hits.push(Match {
                id: e.id.to_string(),
                name: e.name.to_string(),
                kind: e.kind.to_string(),
                field: field.clone(),
                text: t.to_string(),
                how,
                score,
            });
        }
    }
    hits.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
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
