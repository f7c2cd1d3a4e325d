//! `schema`: JSON Schemas of a dataset's files, so an editor with the YAML
//! language server (VS Code, Neovim, JetBrains) checks and completes them
//! as they are typed. The fields come from the loader's own field lists, so
//! the schema cannot drift from what `detente check` accepts; the kinds,
//! relation types, sides, statuses and source ids come from the dataset
//! itself, so an editor completes them too (export again after changing the
//! ontology or the sources). `detente check` stays the judge: it also
//! checks what a schema cannot, such as dates and references across files.

use serde_json::{json, Map, Value};

use super::{ExportFile, Exporter};
use crate::load::fields as f;
use crate::model::entity::Stance;
use crate::model::graph::Dataset;
use crate::model::ontology::{EndRule, Role, SHAPES, STYLES};

/// The `schema` format.
pub struct Schema;

/// What YAML may write where the loader wants text: it also accepts a
/// number or a word YAML reads as something else (`name: 1972`).
fn text() -> Value {
    json!({ "type": ["string", "number", "boolean"] })
}

fn id() -> Value {
    json!({ "type": ["string", "number"], "pattern": "^[a-z0-9][a-z0-9._-]*$" })
}

fn one_of<'a>(values: impl Iterator<Item = &'a str>, what: &str) -> Value {
    let values: Vec<&str> = values.collect();
    json!({ "enum": values, "description": format!("a {what} declared in the dataset") })
}

fn texts() -> Value {
    json!({ "oneOf": [text(), { "type": "array", "items": text() }] })
}

fn date() -> Value {
    json!({
        "type": ["string", "number"],
        "description": "EDTF: 2016, 2016-06, 2016-06-01, 2015-12/2016-12, 2018~, 2014?, 2017/.."
    })
}

/// An object whose properties are exactly `fields`, each typed by `ty`.
fn object(fields: &[&str], required: &[&str], ty: impl Fn(&str) -> Value) -> Value {
    let mut props = Map::new();
    for name in fields {
        props.insert((*name).to_string(), ty(name));
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": props,
    })
}

fn file(title: &str, body: Value, defs: Map<String, Value>) -> ExportFile {
    let mut doc = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
    });
    let m = doc.as_object_mut().expect("object");
    for (k, v) in body.as_object().expect("object") {
        m.insert(k.clone(), v.clone());
    }
    m.insert("definitions".into(), Value::Object(defs));
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("serialisable");
    bytes.push(b'\n');
    ExportFile {
        name: String::new(),
        bytes,
    }
}

/// A field the loader reads but this file does not know how to describe:
/// a new field in the loader must be described here too.
fn unknown(context: &str, name: &str) -> ! {
    panic!("the schema does not describe `{name}` in {context}: add it to src/export/schema.rs")
}

impl Exporter for Schema {
    fn name(&self) -> &'static str {
        "schema"
    }

    fn about(&self) -> &'static str {
        "JSON Schemas of the data files, for editors with the YAML language server"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let o = ds.ontology();
        let kind = one_of(o.kinds.keys().map(|k| k.as_str()), "kind");
        let rel = one_of(o.relations.keys().map(|k| k.as_str()), "relation type");
        let side = one_of(o.sides.keys().map(|k| k.as_str()), "side");
        let status = one_of(o.statuses.keys().map(|k| k.as_str()), "status");
        let source = one_of(ds.sources().keys().map(|k| k.as_str()), "source id");
        let stance = one_of(Stance::ALL.iter().map(|s| s.as_str()), "stance");

        let citation = object(f::CITATION, &["source", "at"], |n| match n {
            "source" => source.clone(),
            "at" | "quote" => text(),
            _ => unknown("a citation", n),
        });
        let citations = json!({ "type": "array", "items": { "$ref": "#/definitions/citation" } });
        let relation_field = |n: &str| match n {
            "type" => rel.clone(),
            "from" | "to" | "claimed_by" => id(),
            "role" => text(),
            "date" => date(),
            "summary" => text(),
            "sources" => citations.clone(),
            "stance" => stance.clone(),
            _ => unknown("a relation", n),
        };
        let inline = object(f::INLINE_RELATION, &["type", "to"], relation_field);
        let relation = object(f::RELATION, &["type", "from", "to"], relation_field);
        let entity = object(f::ENTITY, &["id", "kind", "name"], |n| match n {
            "id" => id(),
            "kind" => kind.clone(),
            "name" | "short" | "place" | "summary" => text(),
            "names" => json!({ "type": "object", "additionalProperties": text() }),
            "aliases" => texts(),
            "side" => side.clone(),
            // A status or date, plain or on someone's word.
            "status" | "date" => {
                let value = if n == "status" {
                    status.clone()
                } else {
                    date()
                };
                json!({ "oneOf": [
                    value.clone(),
                    {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["value", "claimed_by"],
                        "properties": {
                            "value": value,
                            "claimed_by": id(),
                            "stance": stance.clone(),
                            "sources": citations.clone()
                        }
                    }
                ]})
            }
            "source" => source.clone(),
            "sources" => citations.clone(),
            "relations" => {
                json!({ "type": "array", "items": { "$ref": "#/definitions/inlineRelation" } })
            }
            _ => unknown("an entity", n),
        });
        let mut defs = Map::new();
        defs.insert("citation".into(), citation.clone());
        defs.insert("inlineRelation".into(), inline);
        defs.insert("relation".into(), relation);
        defs.insert("entity".into(), entity);
        let entities = json!({
            "description": "A list of entities, or a mapping with `entities:` and `relations:` lists.",
            "oneOf": [
                { "type": "null" },
                { "type": "array", "items": { "$ref": "#/definitions/entity" } },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "entities": { "type": "array", "items": { "$ref": "#/definitions/entity" } },
                        "relations": { "type": "array", "items": { "$ref": "#/definitions/relation" } }
                    }
                }
            ]
        });
        let mut entity_file = file("detente entity file", entities, defs);
        entity_file.name = "entities.schema.json".into();

        let src = object(f::SOURCE, &["id", "title"], |n| match n {
            "id" => id(),
            "author" | "authors" => texts(),
            "type" | "title" | "container" | "publisher" | "url" | "language" | "license"
            | "note" => text(),
            "date" => date(),
            "side" => side.clone(),
            _ => unknown("a source", n),
        });
        let mut defs = Map::new();
        defs.insert("source".into(), src);
        let mut sources_file = file(
            "detente sources.yaml",
            json!({ "type": "array", "items": { "$ref": "#/definitions/source" } }),
            defs,
        );
        sources_file.name = "sources.schema.json".into();

        // The ontology declares the vocabulary, so its own terms are free.
        let kind_ref = json!({ "oneOf": [
            { "const": "*" },
            { "type": "array", "items": id() }
        ]});
        let color = json!({ "type": "string", "pattern": "^#[0-9a-fA-F]{6}$" });
        let kind_def = object(f::KIND, &["label"], |n| match n {
            "label" | "plural" | "description" => text(),
            "shape" => json!({ "enum": SHAPES }),
            "color" => color.clone(),
            "timeline" => json!({ "type": "boolean" }),
            _ => unknown("a kind", n),
        });
        // `role` is the old name of `plays`, which the loader refuses with a
        // hint; the schema leaves it out so an editor flags it too.
        let rel_fields: Vec<&str> = f::RELATION_TYPE
            .iter()
            .copied()
            .filter(|n| *n != "role")
            .collect();
        let role_def = object(&["label", "description"], &[], |_| text());
        let rel_def = object(&rel_fields, &["inverse", "from", "to"], |n| match n {
            "label" | "inverse" | "description" => text(),
            "identity" => json!({ "type": "boolean" }),
            "roles" => json!({ "oneOf": [
                { "type": "array", "items": id() },
                { "type": "object", "additionalProperties": role_def.clone() }
            ]}),
            "from" | "to" => kind_ref.clone(),
            "lineage" => json!({ "type": "boolean" }),
            "plays" => json!({ "enum": Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>() }),
            "style" => json!({ "enum": STYLES }),
            "color" => color.clone(),
            _ => unknown("a relation type", n),
        });
        let side_def = object(f::SIDE, &["label"], |n| match n {
            "label" | "lane" => text(),
            "color" => color.clone(),
            _ => unknown("a side", n),
        });
        let status_def = object(f::STATUS, &["label"], |n| match n {
            "label" | "description" => text(),
            "hypothetical" => json!({ "type": "boolean" }),
            "end" => json!({ "enum": EndRule::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>() }),
            _ => unknown("a status", n),
        });
        let keyed = |def: &str| json!({ "type": "object", "additionalProperties": { "$ref": format!("#/definitions/{def}") } });
        let top = object(f::ONTOLOGY, &["kinds"], |n| match n {
            "kinds" => keyed("kind"),
            "relations" => keyed("relationType"),
            "sides" => keyed("side"),
            "statuses" => keyed("status"),
            _ => unknown("ontology.yaml", n),
        });
        let mut defs = Map::new();
        defs.insert("kind".into(), kind_def);
        defs.insert("relationType".into(), rel_def);
        defs.insert("side".into(), side_def);
        defs.insert("status".into(), status_def);
        let mut ontology_file = file("detente ontology.yaml", top, defs);
        ontology_file.name = "ontology.schema.json".into();

        vec![entity_file, ontology_file, sources_file]
    }
}
