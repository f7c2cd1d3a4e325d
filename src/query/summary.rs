//! What `detente check` reports for a valid dataset: how many entities of
//! each kind, relations of each type, sources and citations.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::graph::Dataset;

/// The summary of a valid dataset.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Summary<'a> {
    /// Always true: an invalid dataset has problems, not a summary.
    pub ok: bool,
    /// Where the data came from, as the user named it.
    pub data: &'a str,
    /// How many files were read.
    pub files: usize,
    /// Entities.
    pub entities: usize,
    /// Entities by kind; declared kinds with none are listed with 0.
    pub by_kind: BTreeMap<&'a str, usize>,
    /// Relations.
    pub relations: usize,
    /// Relations by type; declared types with none are listed with 0.
    pub by_type: BTreeMap<&'a str, usize>,
    /// Sources listed.
    pub sources: usize,
    /// Citations on entities and relations.
    pub citations: usize,
}

/// Counts for `ds`, read from `files` files at `data`.
pub fn summary<'a>(ds: &'a Dataset, data: &'a str, files: usize) -> Summary<'a> {
    let o = ds.ontology();
    // Counted in a hash map, then sorted: an ordered map's lookups compared
    // strings four or five times for each of a dataset's hundreds of
    // thousands of entities and relations.
    let mut kinds: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut citations = 0;
    for e in ds.entities() {
        *kinds.entry(&e.kind).or_default() += 1;
        citations += e.sources.len();
    }
    let mut types: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut relations = 0;
    for r in ds.graph().edge_weights() {
        *types.entry(&r.kind).or_default() += 1;
        relations += 1;
        citations += r.sources.len();
    }
    // Declared but unused kinds and types show as 0: a gap worth seeing.
    let mut by_kind: BTreeMap<&str, usize> = o.kinds.keys().map(|k| (k.as_str(), 0)).collect();
    by_kind.extend(kinds);
    let mut by_type: BTreeMap<&str, usize> = o.relations.keys().map(|k| (k.as_str(), 0)).collect();
    by_type.extend(types);
    Summary {
        ok: true,
        data,
        files,
        entities: ds.entities().count(),
        by_kind,
        relations,
        by_type,
        sources: ds.sources().len(),
        citations,
    }
}
