//! The vocabulary of a dataset: which kinds of entity, relation, side and
//! status exist, and how each is drawn. It is read from `ontology.yaml`, not
//! compiled in, so a researcher can model another relationship without
//! touching the code. This module holds the declarations only; checking data
//! against them is the loader's job.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::small::Text;

/// The declared vocabulary, keyed by id and ordered for stable output.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Ontology {
    /// Kinds of entity.
    pub kinds: BTreeMap<Text, KindDef>,
    /// Types of relation.
    pub relations: BTreeMap<Text, RelationDef>,
    /// Sides an entity or source can stand on.
    pub sides: BTreeMap<Text, SideDef>,
    /// Statuses an entity can have.
    pub statuses: BTreeMap<Text, StatusDef>,
}

/// A kind of entity.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Shown on a timeline by default.
    pub timeline: bool,
}

/// A type of relation, written from its source to its target.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Whether it says that its two ends are (probably) one and the same
    /// thing under two names. `lineage`, `path` and `neighbors` cross such
    /// relations unless asked to be strict.
    pub identity: bool,
    /// What part it plays in the questions detente answers, if any
    /// (`plays:` in YAML).
    pub plays: Option<Role>,
    /// The roles a relation of this type may name in its `role` field
    /// (co-chair, host, author…), by id, in the order declared.
    pub roles: BTreeMap<Text, RoleDef>,
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

    /// The label of `role` on this relation type, if declared.
    pub(crate) fn role_label(&self, role: &str) -> Option<&str> {
        self.roles.get(role).map(|r| r.label.as_str())
    }
}

/// A role a relation may name: the capacity in which its source stands to
/// its target, such as `co-chair` of a round or `preface-author` of a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleDef {
    /// Label for people, e.g. `co-chair`. Default: the id with `_` as
    /// spaces.
    pub label: String,
    /// What it means.
    pub description: Option<String>,
}

/// A side: a country, a joint body, a multilateral forum.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SideDef {
    /// Label for people, e.g. `United States`.
    pub label: String,
    /// Colour for diagrams (`#rrggbb`).
    pub color: String,
    /// Position in `ontology.yaml`: diagrams draw sides in this order,
    /// e.g. China on the left and the United States on the right.
    pub order: usize,
    /// The timeline lane it is drawn in; sides with the same lane share it
    /// (e.g. bilateral and multilateral in one "joint" lane). Default: its label.
    pub lane: String,
}

/// A status an entity can have.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatusDef {
    /// Label for people.
    pub label: String,
    /// What it means, in a sentence.
    pub description: Option<String>,
    /// True for statuses of things that did not exist (yet) as the sources
    /// tell it — proposed, pending, enacted but not set up: no query may
    /// draw them as existing at any date.
    pub hypothetical: bool,
    /// What the entity's date must say about its end, if anything.
    pub end: Option<EndRule>,
}

/// What a status requires of the entity's date, so that a status and a
/// date cannot contradict each other (an `ended` dialogue with no end, an
/// `active` one whose date is closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EndRule {
    /// The date must have a known end (`2015-09/2017-04`, `/2014`): it
    /// stopped, and the date says when.
    Closed,
    /// The date, if any, must not have a closed end (`2017/..` or `2017/`):
    /// it has not stopped as far as the sources know.
    Open,
}

impl EndRule {
    /// Every rule, in order.
    pub const ALL: [EndRule; 2] = [EndRule::Closed, EndRule::Open];

    /// The name used in YAML and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EndRule::Closed => "closed",
            EndRule::Open => "open",
        }
    }
}

/// The part a relation type plays in queries. A dataset with its own
/// vocabulary says which of its relation types found, end or hold rounds of
/// a mechanism, so `lineage` and `compare` work without knowing the names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Role {
    /// Source was created, renamed or agreed at the target (a summit, an event).
    Founding,
    /// Source was suspended, disrupted or ended by the target (an event).
    Ending,
    /// Source is a round or meeting of the target mechanism.
    Session,
    /// Source takes part in the target.
    Participation,
    /// Source deals with the target topic.
    Topic,
    /// Source wrote the target document.
    Authorship,
}

impl Role {
    /// Every role, in order.
    pub const ALL: [Role; 6] = [
        Role::Founding,
        Role::Ending,
        Role::Session,
        Role::Participation,
        Role::Topic,
        Role::Authorship,
    ];

    /// The name used in YAML and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Founding => "founding",
            Role::Ending => "ending",
            Role::Session => "session",
            Role::Participation => "participation",
            Role::Topic => "topic",
            Role::Authorship => "authorship",
        }
    }
}

impl Ontology {
    /// Sides in the order the ontology declares them.
    pub fn sides_in_order(&self) -> Vec<(&str, &SideDef)> {
        let mut v: Vec<(&str, &SideDef)> =
            self.sides.iter().map(|(k, d)| (k.as_str(), d)).collect();
        v.sort_by_key(|(_, d)| d.order);
        v
    }

    /// The relation types that play `role`.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &str> {
        self.relations
            .iter()
            .filter(move |(_, d)| d.plays == Some(role))
            .map(|(k, _)| k.as_str())
    }

    /// Whether relation type `kind` says its ends are one thing.
    pub fn identifies(&self, kind: &str) -> bool {
        self.relations.get(kind).is_some_and(|d| d.identity)
    }

    /// The label of role `role` on relation type `kind`, if declared.
    pub fn role_label(&self, kind: &str, role: &str) -> Option<&str> {
        self.relations.get(kind).and_then(|d| d.role_label(role))
    }

    /// Whether relation type `kind` plays `role`.
    pub fn plays(&self, kind: &str, role: Role) -> bool {
        self.relations
            .get(kind)
            .is_some_and(|d| d.plays == Some(role))
    }
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
