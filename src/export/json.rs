//! `json`: the whole dataset in one file, nothing left out, in the same
//! field names the YAML files use, so `--data FILE.json` loads it back into
//! the same dataset. Only where each definition was written (file and line)
//! is not carried over: it belongs to the files, not to the data.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::{ExportFile, Exporter};
use crate::model::entity::{Attribution, Citation, Entity, Names, Relation, Source};
use crate::model::graph::Dataset;
use crate::model::ontology::{EndRule, KindDef, Ontology, Role, SideDef};
use crate::model::small::Text;

/// The `json` format.
pub struct Json;

impl Exporter for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn about(&self) -> &'static str {
        "the whole dataset in one file; `--data FILE.json` loads it back"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let doc = Document {
            ontology: OntologyOut::new(ds.ontology()),
            sources: ds.sources().values().map(SourceOut::new).collect(),
            entities: ds.entities().map(EntityOut::new).collect(),
            relations: ds.relations().map(RelationOut::new).collect(),
        };
        // Serialising our own types into memory cannot fail.
        let mut bytes = serde_json::to_vec_pretty(&doc).expect("serialisable");
        bytes.push(b'\n');
        vec![ExportFile {
            name: "detente.json".into(),
            bytes,
        }]
    }
}

#[derive(Serialize)]
struct Document<'a> {
    ontology: OntologyOut<'a>,
    sources: Vec<SourceOut<'a>>,
    entities: Vec<EntityOut<'a>>,
    relations: Vec<RelationOut<'a>>,
}

/// A mapping that keeps the order it is given (sides are drawn in the
/// order the ontology declares them, so that order is data).
struct Ordered<'a, T>(Vec<(&'a str, T)>);

impl<T: Serialize> Serialize for Ordered<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct OntologyOut<'a> {
    kinds: BTreeMap<&'a str, KindOut<'a>>,
    relations: BTreeMap<&'a str, RelationDefOut<'a>>,
    sides: Ordered<'a, SideOut<'a>>,
    statuses: BTreeMap<&'a str, StatusOut<'a>>,
}

impl<'a> OntologyOut<'a> {
    fn new(o: &'a Ontology) -> Self {
        OntologyOut {
            kinds: o
                .kinds
                .iter()
                .map(|(k, d)| (k.as_str(), KindOut::new(d)))
                .collect(),
            relations: o
                .relations
                .iter()
                .map(|(k, d)| {
                    (
                        k.as_str(),
                        RelationDefOut {
                            label: &d.label,
                            inverse: &d.inverse,
                            description: d.description.as_deref(),
                            from: Ends(d.from.as_deref()),
                            to: Ends(d.to.as_deref()),
                            lineage: d.lineage,
                            identity: d.identity,
                            plays: d.plays,
                            roles: d
                                .roles
                                .iter()
                                .map(|(k, r)| {
                                    (
                                        k.as_str(),
                                        RoleOut {
                                            label: &r.label,
                                            description: r.description.as_deref(),
                                        },
                                    )
                                })
                                .collect(),
                            style: &d.style,
                            color: &d.color,
                        },
                    )
                })
                .collect(),
            sides: Ordered(
                o.sides_in_order()
                    .into_iter()
                    .map(|(k, d)| (k, SideOut::new(d)))
                    .collect(),
            ),
            statuses: o
                .statuses
                .iter()
                .map(|(k, d)| {
                    (
                        k.as_str(),
                        StatusOut {
                            label: &d.label,
                            description: d.description.as_deref(),
                            hypothetical: d.hypothetical,
                            end: d.end,
                        },
                    )
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct KindOut<'a> {
    label: &'a str,
    plural: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    shape: &'a str,
    color: &'a str,
    timeline: bool,
}

impl<'a> KindOut<'a> {
    fn new(d: &'a KindDef) -> Self {
        KindOut {
            label: &d.label,
            plural: &d.plural,
            description: d.description.as_deref(),
            shape: &d.shape,
            color: &d.color,
            timeline: d.timeline,
        }
    }
}

#[derive(Serialize)]
struct RelationDefOut<'a> {
    label: &'a str,
    inverse: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    from: Ends<'a>,
    to: Ends<'a>,
    lineage: bool,
    identity: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    plays: Option<Role>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    roles: BTreeMap<&'a str, RoleOut<'a>>,
    style: &'a str,
    color: &'a str,
}

#[derive(Serialize)]
struct RoleOut<'a> {
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct StatusOut<'a> {
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    hypothetical: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<EndRule>,
}

/// An entity's status or date: the value, or, when it rests on someone's
/// word, the value with who says so.
#[derive(Serialize)]
#[serde(untagged)]
enum Attributed<'a> {
    Plain(&'a str),
    Claimed {
        value: &'a str,
        claimed_by: &'a str,
        stance: &'static str,
        sources: Vec<CitationOut<'a>>,
    },
}

impl<'a> Attributed<'a> {
    /// `value` as written: plain, or with whose word it is.
    fn new(value: &'a str, claim: Option<&'a Attribution>) -> Self {
        match claim {
            None => Attributed::Plain(value),
            Some(c) => Attributed::Claimed {
                value,
                claimed_by: &c.claimed_by,
                stance: c.stance.as_str(),
                sources: citations(&c.sources),
            },
        }
    }
}

/// The kinds allowed at one end of a relation type; `"*"` for any.
struct Ends<'a>(Option<&'a [String]>);

impl Serialize for Ends<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(kinds) => kinds.serialize(s),
            None => s.serialize_str("*"),
        }
    }
}

#[derive(Serialize)]
struct SideOut<'a> {
    label: &'a str,
    color: &'a str,
    lane: &'a str,
}

impl<'a> SideOut<'a> {
    fn new(d: &'a SideDef) -> Self {
        SideOut {
            label: &d.label,
            color: &d.color,
            lane: &d.lane,
        }
    }
}

#[derive(Serialize)]
struct SourceOut<'a> {
    id: &'a str,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    authors: &'a [Text],
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    container: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    side: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

impl<'a> SourceOut<'a> {
    fn new(s: &'a Source) -> Self {
        SourceOut {
            id: &s.id,
            kind: s.kind.as_deref(),
            authors: &s.authors,
            title: &s.title,
            container: s.container.as_deref(),
            publisher: s.publisher.as_deref(),
            date: s.date.as_ref().map(|d| d.as_str()),
            url: s.url.as_deref(),
            language: s.language.as_deref(),
            side: s.side.as_deref(),
            license: s.license.as_deref(),
            note: s.note.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct CitationOut<'a> {
    source: &'a str,
    at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
}

fn citations(cs: &[Citation]) -> Vec<CitationOut<'_>> {
    cs.iter()
        .map(|c| CitationOut {
            source: &c.source,
            at: &c.at,
            quote: c.quote.as_deref(),
        })
        .collect()
}

#[derive(Serialize)]
struct EntityOut<'a> {
    id: &'a str,
    kind: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    short: Option<&'a str>,
    #[serde(skip_serializing_if = "Names::is_empty")]
    names: &'a Names,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [Text],
    #[serde(skip_serializing_if = "Option::is_none")]
    side: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<Attributed<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Attributed<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    sources: Vec<CitationOut<'a>>,
}

impl<'a> EntityOut<'a> {
    fn new(e: &'a Entity) -> Self {
        EntityOut {
            id: &e.id,
            kind: &e.kind,
            name: &e.name,
            short: e.short.as_deref(),
            names: &e.names,
            aliases: &e.aliases,
            side: e.side.as_deref(),
            date: e
                .date
                .as_ref()
                .map(|d| Attributed::new(d.as_str(), e.date_claim.as_ref())),
            status: e
                .status
                .as_deref()
                .map(|v| Attributed::new(v, e.status_claim.as_ref())),
            place: e.place.as_deref(),
            source: e.source.as_deref(),
            summary: e.summary.as_deref(),
            sources: citations(&e.sources),
        }
    }
}

#[derive(Serialize)]
struct RelationOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    from: &'a str,
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    sources: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claimed_by: Option<&'a str>,
    stance: &'static str,
}

impl<'a> RelationOut<'a> {
    fn new((from, to, r): (&'a Entity, &'a Entity, &'a Relation)) -> Self {
        RelationOut {
            kind: &r.kind,
            from: &from.id,
            to: &to.id,
            role: r.role.as_deref(),
            date: r.date.as_ref().map(|d| d.as_str()),
            summary: r.summary.as_deref(),
            sources: citations(&r.sources),
            claimed_by: r.claimed_by.as_deref(),
            stance: r.stance.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{self, SourceFile};

    /// Everything the model holds about a dataset, minus where each
    /// definition was written: what a lossless round trip must keep.
    fn everything(ds: &Dataset) -> serde_json::Value {
        let mut v = serde_json::json!({
            "ontology": ds.ontology(),
            "sides_in_order": ds.ontology().sides_in_order().iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            "sources": ds.sources(),
            "entities": ds.entities().collect::<Vec<_>>(),
            "relations": ds.relations().map(|(a, b, r)| (&a.id, &b.id, r)).collect::<Vec<_>>(),
        });
        strip_origins(&mut v);
        v
    }

    fn strip_origins(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("origin");
                m.values_mut().for_each(strip_origins);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip_origins),
            _ => {}
        }
    }

    fn round_trip(files: &[SourceFile]) {
        let ds = load::load(files).expect("the dataset loads");
        let out = Json.export(&ds);
        let text = String::from_utf8(out[0].bytes.clone()).unwrap();
        let file = SourceFile::dataset_json("export.json", text.clone());
        let back = load::load(&[file]).unwrap_or_else(|p| panic!("the export loads: {p:?}"));
        assert_eq!(everything(&ds), everything(&back));
        // And exporting again gives the same bytes.
        assert_eq!(Json.export(&back)[0].bytes, text.as_bytes());
    }

    #[test]
    fn json_round_trip_is_lossless_on_the_bundled_data() {
        round_trip(&load::builtin_files());
    }

    #[test]
    fn json_round_trip_is_lossless_on_the_examples_and_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in [
            "examples/transatlantic",
            "tests/fixtures/minimal",
            "tests/fixtures/semantics",
            "tests/fixtures/schema",
            "tests/fixtures/cli",
        ] {
            round_trip(&load::read_dir(&root.join(dir)).unwrap());
        }
    }

    /// Text a user may write: quotes, backslashes, braces, `<`, `&`,
    /// `]]>`, newlines, tabs, Chinese, emoji; never a control character
    /// the loader refuses, never blank.
    fn hostile() -> impl proptest::strategy::Strategy<Value = String> {
        r#"[a-zA-Z0-9 "'\\{}<>&\]\[:#,\n\t中美网络安全🙂é-]{0,24}[a-z中]"#
            .prop_map(|s: String| s.trim().to_string())
            .prop_filter("not blank", |s| !s.is_empty())
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Generated datasets with hostile text survive export, load and
        /// export again unchanged.
        #[test]
        fn json_round_trip_is_lossless_on_generated_data(
            names in proptest::collection::vec((hostile(), hostile(), hostile()), 1..8),
        ) {
            let entities: Vec<_> = names.iter().enumerate().map(|(i, (name, summary, at))| serde_json::json!({
                "id": format!("e{i}"), "kind": "mechanism", "name": name, "summary": summary,
                "names": { "zh": summary }, "aliases": [at],
                "date": format!("{}~", 2000 + i),
                "sources": [{ "source": "doc", "at": at, "quote": name }],
            })).collect();
            let relations: Vec<_> = (1..names.len()).map(|i| serde_json::json!({
                "type": "succeeds", "from": format!("e{i}"), "to": format!("e{}", i - 1),
                "summary": names[i].0, "sources": [{ "source": "doc", "at": names[i].2 }],
                "claimed_by": "e0", "stance": "prediction",
            })).collect();
            let doc = serde_json::json!({
                "ontology": {
                    "kinds": { "mechanism": { "label": names[0].0, "description": names[0].1 } },
                    "relations": { "succeeds": { "inverse": names[0].2, "from": ["mechanism"], "to": "*", "lineage": true } },
                    "sides": { "b": { "label": "B" }, "a": { "label": names[0].1 } },
                },
                "sources": [{ "id": "doc", "title": names[0].0, "authors": [names[0].1], "note": names[0].2 }],
                "entities": entities,
                "relations": relations,
            });
            let file = SourceFile::dataset_json("gen.json", serde_json::to_string_pretty(&doc).unwrap());
            let ds = load::load(&[file]).unwrap_or_else(|p| panic!("generated data loads: {p:?}"));
            let text = String::from_utf8(Json.export(&ds)[0].bytes.clone()).unwrap();
            let back = load::load(&[SourceFile::dataset_json("export.json", text.clone())])
                .unwrap_or_else(|p| panic!("the export loads: {p:?}"));
            prop_assert_eq!(everything(&ds), everything(&back));
            prop_assert_eq!(&Json.export(&back)[0].bytes, text.as_bytes());
            prop_assert_eq!(&back.entity("e0").unwrap().name, &names[0].0);
        }
    }
}
