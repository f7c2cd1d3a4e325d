//! The vocabulary of a dataset: which kinds of entity, relation, side and
//! status exist, and how each is drawn. It is read from `ontology.yaml`, not
//! compiled in, so a researcher can model another relationship without
//! touching the code. This module holds the declarations only; checking data
//! against them is the loader's job.

use std::collections::BTreeMap;

use serde::Serialize;

/// The declared vocabulary, keyed by id and ordered for stable output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ontology {
    /// Kinds of entity.
    pub kinds: BTreeMap<String, KindDef>,
    /// Types of relation.
    pub relations: BTreeMap<String, RelationDef>,
    /// Sides an entity or source can stand on.
    pub sides: BTreeMap<String, SideDef>,
    /// Statuses an entity can have.
    pub statuses: BTreeMap<String, StatusDef>,
}

/// A kind of entity.
#[derive(Debug, Clone, Serialize)]
pub struct KindDef {
    /// Singular label for people, e.g. `Dialogue mechanism`.
    pub label: String,
    /// Plural label, e.g. `Dialogue mechanisms`.
    pub plural: String,
    /// What it covers.
    pub description: Option<String>,
    /// Graphviz node shape.
    pub shape: String,
    /// Fill colour (`#rrggbb`).
    pub color: String,
}

/// A type of relation, written from its source to its target.
#[derive(Debug, Clone, Serialize)]
pub struct RelationDef {
    /// Label read from source to target, e.g. `succeeds`.
    pub label: String,
    /// Label read from target to source, e.g. `succeeded by`.
    pub inverse: String,
    /// What it means.
    pub description: Option<String>,
    /// Kinds allowed at the source; `None` means any kind.
    pub from: Option<Vec<String>>,
    /// Kinds allowed at the target; `None` means any kind.
    pub to: Option<Vec<String>>,
    /// Whether it links a mechanism to its predecessor in a lineage.
    pub lineage: bool,
    /// Line style: `solid`, `dashed`, `dotted` or `bold`.
    pub style: String,
    /// Line colour (`#rrggbb`).
    pub color: String,
}

impl RelationDef {
    /// Whether an entity of `kind` may stand at the source (`from = true`)
    /// or target end.
    pub fn allows(&self, kind: &str, from: bool) -> bool {
        let ends = if from { &self.from } else { &self.to };
        ends.as_ref().is_none_or(|k| k.iter().any(|k| k == kind))
    }
}

/// A side: a country, a joint body, a multilateral forum.
#[derive(Debug, Clone, Serialize)]
pub struct SideDef {
    /// Label for people, e.g. `United States`.
    pub label: String,
    /// Colour for diagrams (`#rrggbb`).
    pub color: String,
}

/// A status an entity can have.
#[derive(Debug, Clone, Serialize)]
pub struct StatusDef {
    /// Label for people.
    pub label: String,
    /// True for statuses of things that were proposed but never existed:
    /// their dates are when they were proposed, never when they existed.
    pub hypothetical: bool,
}

/// The Graphviz shapes a kind may use.
pub const SHAPES: &[&str] = &[
    "box",
    "rect",
    "rectangle",
    "square",
    "ellipse",
    "oval",
    "circle",
    "point",
    "egg",
    "triangle",
    "plaintext",
    "plain",
    "diamond",
    "trapezium",
    "parallelogram",
    "house",
    "pentagon",
    "hexagon",
    "septagon",
    "octagon",
    "doublecircle",
    "doubleoctagon",
    "tripleoctagon",
    "invtriangle",
    "invtrapezium",
    "invhouse",
    "Mdiamond",
    "Msquare",
    "Mcircle",
    "note",
    "tab",
    "folder",
    "box3d",
    "component",
    "cylinder",
    "underline",
    "star",
    "cds",
    "promoter",
    "signature",
    "rpromoter",
    "larrow",
    "rarrow",
    "lpromoter",
];

/// The line styles a relation may use.
pub const STYLES: &[&str] = &["solid", "dashed", "dotted", "bold"];
