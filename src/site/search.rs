//! The search index: every name, short name, alias, other-language name and
//! id of every entity, folded here in Rust with [`fold`], the function
//! `detente find` uses, so the page's script only folds the query. What the
//! script needs to fold a query the same way (the traditional → simplified
//! pairs) ships in the index too.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::graph::Dataset;

use crate::model::text::{fold, traditional_to_simplified};

#[derive(Serialize)]
struct Index<'a> {
    /// Traditional → simplified Chinese characters the script replaces,
    /// as [`fold`] does: those whose simplified form occurs in the index
    /// (any other could not make a query match anyway).
    pairs: BTreeMap<char, char>,
    entries: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    /// (field, text as written, folded text).
    texts: Vec<(String, &'a str, String)>,
}

/// `assets/search-index.js`: a script rather than JSON, because a page
/// opened from `file://` may not fetch a file but may load a script.
pub(super) fn index_script(ds: &Dataset) -> String {
    let o = ds.ontology();
    let entries: Vec<Entry> = ds
        .entities()
        .map(|e| {
            let mut fields: Vec<(String, &str)> =
                vec![("name".into(), &e.name), ("id".into(), &e.id)];
            fields.extend(e.short.iter().map(|s| ("short".to_string(), s.as_str())));
            fields.extend(e.aliases.iter().map(|a| ("alias".to_string(), a.as_str())));
            fields.extend(
                e.names
                    .iter()
                    .map(|(l, n)| (format!("names.{l}"), n.as_str())),
            );
            Entry {
                id: &e.id,
                name: &e.name,
                kind: o.kinds.get(&e.kind).map_or(&e.kind, |k| &k.label),
                texts: fields
                    .into_iter()
                    .map(|(f, t)| {
                        let folded = fold(t);
                        (f, t, folded)
                    })
                    .collect(),
            }
        })
        .collect();
    let used: BTreeSet<char> = entries
        .iter()
        .flat_map(|e| e.texts.iter().flat_map(|t| t.2.chars()))
        .collect();
    let pairs = traditional_to_simplified()
        .into_iter()
        .filter(|(_, s)| used.contains(s))
        .collect();
    let index = Index { pairs, entries };
    let json = serde_json::to_string(&index).expect("serialisable");
    format!("window.DETENTE_SEARCH = {json};\n")
}
