//! From YAML trees to raw records that still carry their positions.
//!
//! Each file is decoded on its own: field names, value shapes, ids, dates
//! and fixed vocabularies (stances, shapes). Every problem is recorded and
//! decoding goes on, so a user sees all of a file's mistakes in one run.
//! Anything that needs another file (does this entity exist? is this kind
//! declared?) is left to `resolve`.

use std::collections::BTreeMap;
use std::path::Path;

use super::problem::{Diagnostic, Place, Problem};
use super::suggest::suggest;
use super::yaml::{Node, Pos, Value};
use crate::model::date::{Date, DateError};
use crate::model::entity::{Names, Stance};
use crate::model::ontology::{
    EndRule, KindDef, Ontology, RelationDef, Role, RoleDef, SideDef, StatusDef, SHAPES, STYLES,
};
use crate::model::small::Text;

/// A value and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct At<T> {
    pub value: T,
    pub pos: Pos,
}

/// Collects problems for one file.
pub(crate) struct Ctx<'a> {
    pub file: &'a std::sync::Arc<Path>,
    pub problems: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    pub fn report(&mut self, pos: Pos, problem: Problem) {
        self.problems.push(Diagnostic {
            place: Place::new(self.file, pos),
            problem,
        });
    }
}

/// The fields of one mapping, after duplicate and unknown keys are reported.
struct Fields<'n> {
    pos: Pos,
    entries: Vec<(&'n str, &'n Node<'n>, Pos)>,
}

impl<'n> Fields<'n> {
    fn get(&self, name: &str) -> Option<&'n Node<'n>> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == name)
            .map(|(_, v, _)| *v)
    }

    /// The value, or a `MissingField` problem at the mapping.
    fn require(&self, ctx: &mut Ctx, name: &str, context: &str) -> Option<&'n Node<'n>> {
        let v = self.get(name);
        if v.is_none() {
            ctx.report(
                self.pos,
                Problem::MissingField {
                    field: name.into(),
                    context: context.into(),
                },
            );
        }
        v
    }
}

/// Opens a mapping: reports a non-mapping, non-text keys, duplicate keys
/// (with the first place) and unknown keys (with a suggestion).
fn fields<'n>(
    ctx: &mut Ctx,
    node: &'n Node<'n>,
    field: &str,
    context: &str,
    allowed: &[&str],
) -> Option<Fields<'n>> {
    let Value::Map(entries) = node.value else {
        wrong_type(ctx, node, field, "a mapping of `key: value` lines");
        return None;
    };
    let mut out: Vec<(&str, &Node<'_>, Pos)> = Vec::with_capacity(entries.len());
    // Where each key was first seen: a mapping with 100 000 keys must not
    // cost 100 000² comparisons to check for duplicates. A mapping of a
    // record's few fields is searched in place, among the keys kept so far
    // (the same keys): a map of its own was an allocation and a hash per
    // key, for every mapping of every file.
    const SCAN: usize = 16;
    let mut seen: Option<std::collections::HashMap<&str, Pos>> =
        (entries.len() > SCAN).then(|| std::collections::HashMap::with_capacity(entries.len()));
    for (k, v) in entries {
        let key = match k.value {
            Value::String(s) | Value::Number(s) | Value::Bool(s) => s,
            other => {
                ctx.report(
                    k.pos,
                    Problem::WrongType {
                        field: format!("{field} key"),
                        expected: "text".into(),
                        found: other.describe().into(),
                    },
                );
                continue;
            }
        };
        let first = match &seen {
            Some(seen) => seen.get(key).copied(),
            None => out.iter().find(|(k, _, _)| *k == key).map(|(_, _, p)| *p),
        };
        if let Some(first) = first {
            ctx.report(
                k.pos,
                Problem::DuplicateKey {
                    key: key.into(),
                    first_line: first.line,
                    first_column: first.column,
                },
            );
            continue;
        }
        if !allowed.is_empty() && !allowed.contains(&key) {
            ctx.report(
                k.pos,
                Problem::UnknownField {
                    field: key.into(),
                    context: context.into(),
                    suggestion: suggest(key, allowed.iter().copied()),
                    expected: allowed.iter().map(|s| s.to_string()).collect(),
                },
            );
            continue;
        }
        if let Some(seen) = &mut seen {
            seen.insert(key, k.pos);
        }
        out.push((key, v, k.pos));
    }
    Some(Fields {
        pos: node.pos,
        entries: out,
    })
}

fn wrong_type(ctx: &mut Ctx, node: &Node<'_>, field: &str, expected: &str) {
    ctx.report(
        node.pos,
        Problem::WrongType {
            field: field.into(),
            expected: expected.into(),
            found: node.value.describe().into(),
        },
    );
}

/// Characters that would let data restyle or reorder what a terminal shows:
/// control codes other than tab and newline, and bidirectional overrides;
/// and U+FFFE and U+FFFF, which neither YAML nor XML can carry, so a text
/// holding one could not be exported to JSON and loaded back.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// What texts of the data are read into: a `String` for the ontology, a
/// [`Text`] for the records of the data, held inline when short.
trait Str: for<'a> From<&'a str> + std::ops::Deref<Target = str> {}
impl Str for String {}
impl Str for Text {}

/// Text, or a number or word YAML reads as something else (`name: 1972`,
/// `aliases: [NO]`), as written. The one place text enters the model, so the
/// one place control characters are refused.
fn text<T: Str>(ctx: &mut Ctx, node: &Node<'_>, field: &str) -> Option<T> {
    match &node.value {
        Value::String(s) | Value::Number(s) | Value::Bool(s) => {
            if let Some(c) = s.chars().find(|c| forbidden(*c)) {
                ctx.report(
                    node.pos,
                    Problem::ControlCharacter {
                        field: field.into(),
                        codepoint: format!("U+{:04X}", u32::from(c)),
                    },
                );
                None
            } else if s.trim().is_empty() {
                ctx.report(
                    node.pos,
                    Problem::Empty {
                        field: field.into(),
                    },
                );
                None
            } else {
                Some(T::from(s.trim()))
            }
        }
        _ => {
            wrong_type(ctx, node, field, "text");
            None
        }
    }
}

fn opt_text<T: Str>(ctx: &mut Ctx, f: &Fields, field: &str) -> Option<T> {
    f.get(field).and_then(|n| text(ctx, n, field))
}

/// One text or a list of texts.
fn texts<T: Str>(ctx: &mut Ctx, f: &Fields, field: &str) -> Vec<T> {
    let Some(node) = f.get(field) else {
        return Vec::new();
    };
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| text(ctx, n, &format!("{field}[{i}]")))
            .collect(),
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            text(ctx, node, field).into_iter().collect()
        }
        _ => {
            wrong_type(ctx, node, field, "text or a list of texts");
            Vec::new()
        }
    }
}

fn boolean(ctx: &mut Ctx, f: &Fields, field: &str) -> bool {
    match f.get(field) {
        None => false,
        Some(Node {
            value: Value::Bool(b),
            ..
        }) if matches!(*b, "true" | "false") => *b == "true",
        Some(n) => {
            wrong_type(ctx, n, field, "`true` or `false`");
            false
        }
    }
}

/// An id: lower-case letters, digits, `-`, `_`, `.`; starting with a letter
/// or digit. Ids end up in file names, URLs and DOT, so they stay plain.
fn ident<T: Str>(ctx: &mut Ctx, node: &Node<'_>, field: &str) -> Option<At<T>> {
    let s: T = text(ctx, node, field)?;
    let reason = if !s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        Some("it must start with a lower-case letter or a digit")
    } else if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(*c)))
    {
        ctx.report(
            node.pos,
            Problem::InvalidId {
                id: s.to_string(),
                reason: format!("`{c}` is not allowed in an id"),
            },
        );
        return None;
    } else {
        None
    };
    if let Some(reason) = reason {
        ctx.report(
            node.pos,
            Problem::InvalidId {
                id: s.to_string(),
                reason: reason.into(),
            },
        );
        return None;
    }
    Some(At {
        value: s,
        pos: node.pos,
    })
}

fn opt_id<T: Str>(ctx: &mut Ctx, f: &Fields, field: &str) -> Option<At<T>> {
    f.get(field).and_then(|n| ident(ctx, n, field))
}

fn date(ctx: &mut Ctx, f: &Fields, field: &str) -> Option<At<Date>> {
    date_at(ctx, f.get(field)?, field)
}

/// An EDTF date in `node`; `field` names it in messages.
fn date_at(ctx: &mut Ctx, node: &Node<'_>, field: &str) -> Option<At<Date>> {
    let s: String = text(ctx, node, field)?;
    match Date::parse(&s) {
        Ok(d) => Some(At {
            value: d,
            pos: node.pos,
        }),
        Err(DateError::EndBeforeStart { .. }) => {
            ctx.report(node.pos, Problem::EndBeforeStart { text: s });
            None
        }
        Err(e) => {
            ctx.report(
                node.pos,
                Problem::InvalidDate {
                    text: s,
                    reason: e.to_string(),
                },
            );
            None
        }
    }
}

fn choice(ctx: &mut Ctx, node: &Node<'_>, field: &str, allowed: &[&str]) -> Option<String> {
    let s: String = text(ctx, node, field)?;
    if allowed.contains(&s.as_str()) {
        Some(s)
    } else {
        ctx.report(
            node.pos,
            Problem::InvalidValue {
                field: field.into(),
                value: s.clone(),
                suggestion: suggest(&s, allowed.iter().copied()),
                expected: allowed.iter().map(|s| s.to_string()).collect(),
            },
        );
        None
    }
}

fn color(ctx: &mut Ctx, f: &Fields, field: &str, default: &str) -> String {
    let Some(node) = f.get(field) else {
        return default.to_string();
    };
    let Some(s) = text::<String>(ctx, node, field) else {
        return default.to_string();
    };
    let ok = s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        s.to_ascii_lowercase()
    } else {
        ctx.report(
            node.pos,
            Problem::InvalidValue {
                field: field.into(),
                value: s,
                suggestion: None,
                expected: vec!["#rrggbb".into()],
            },
        );
        default.to_string()
    }
}

/// Items of a list, or a problem when it is not a list.
fn list<'n>(ctx: &mut Ctx, node: &'n Node<'n>, field: &str) -> &'n [Node<'n>] {
    match &node.value {
        Value::Seq(items) => items,
        Value::Null => &[],
        _ => {
            wrong_type(ctx, node, field, "a list (lines starting with `- `)");
            &[]
        }
    }
}

/// Items of a `key: {…}` mapping, in written order, with duplicate keys
/// reported.
fn keyed<'n>(ctx: &mut Ctx, node: &'n Node<'n>, field: &str) -> Vec<(At<Text>, &'n Node<'n>)> {
    let Some(f) = fields(ctx, node, field, field, &[]) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value, pos) in f.entries {
        let key_node = Node::new(pos, Value::String(key));
        if let Some(k) = ident(ctx, &key_node, field) {
            out.push((k, value));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// ontology.yaml

/// The fields of `ontology.yaml`, of a kind, a side, a status and a
/// relation type in it, and of a citation (shared with `export schema`).
pub(crate) const ONTOLOGY_FIELDS: &[&str] = &["kinds", "relations", "sides", "statuses"];
pub(crate) const KIND_FIELDS: &[&str] = &[
    "label",
    "plural",
    "description",
    "shape",
    "color",
    "timeline",
];
pub(crate) const SIDE_FIELDS: &[&str] = &["label", "color", "lane"];
pub(crate) const STATUS_FIELDS: &[&str] = &["label", "description", "hypothetical", "end"];
/// `role` is read only to point a user to `plays`, its new name.
pub(crate) const RELATION_TYPE_FIELDS: &[&str] = &[
    "label",
    "inverse",
    "description",
    "from",
    "to",
    "lineage",
    "identity",
    "plays",
    "roles",
    "role",
    "style",
    "color",
];
pub(crate) const CITATION_FIELDS: &[&str] = &["source", "at", "quote"];

const PALETTE_DEFAULT: &str = "#f2f2f2";
const EDGE_DEFAULT: &str = "#555555";

/// The ontology, with references between its own parts already checked.
pub(crate) fn ontology(ctx: &mut Ctx, root: &Node<'_>) -> Ontology {
    let mut o = Ontology::default();
    let Some(top) = fields(ctx, root, "ontology", "ontology.yaml", ONTOLOGY_FIELDS) else {
        return o;
    };
    if let Some(node) = top.require(ctx, "kinds", "ontology.yaml") {
        for (key, node) in keyed(ctx, node, "kinds") {
            let ctx_name = format!("kind `{}`", key.value);
            let Some(f) = fields(
                ctx,
                node,
                &format!("kinds.{}", key.value),
                &ctx_name,
                KIND_FIELDS,
            ) else {
                continue;
            };
            let label = f
                .require(ctx, "label", &ctx_name)
                .and_then(|n| text(ctx, n, "label"))
                .unwrap_or_else(|| key.value.to_string());
            let shape = f
                .get("shape")
                .and_then(|n| choice(ctx, n, "shape", SHAPES))
                .unwrap_or_else(|| "box".into());
            let def = KindDef {
                plural: opt_text(ctx, &f, "plural").unwrap_or_else(|| format!("{label}s")),
                label,
                description: opt_text(ctx, &f, "description"),
                shape,
                color: color(ctx, &f, "color", PALETTE_DEFAULT),
                timeline: boolean(ctx, &f, "timeline"),
            };
            o.kinds.insert(key.value, def);
        }
    }
    if let Some(node) = top.get("sides") {
        for (order, (key, node)) in keyed(ctx, node, "sides").into_iter().enumerate() {
            let ctx_name = format!("side `{}`", key.value);
            let Some(f) = fields(ctx, node, "sides", &ctx_name, SIDE_FIELDS) else {
                continue;
            };
            let label = f
                .require(ctx, "label", &ctx_name)
                .and_then(|n| text(ctx, n, "label"))
                .unwrap_or_else(|| key.value.to_string());
            // Sides are drawn as outlines and headings: the default must show.
            let color = color(ctx, &f, "color", EDGE_DEFAULT);
            let lane = opt_text(ctx, &f, "lane").unwrap_or_else(|| label.clone());
            o.sides.insert(
                key.value,
                SideDef {
                    label,
                    color,
                    order,
                    lane,
                },
            );
        }
    }
    if let Some(node) = top.get("statuses") {
        for (key, node) in keyed(ctx, node, "statuses") {
            let ctx_name = format!("status `{}`", key.value);
            let Some(f) = fields(ctx, node, "statuses", &ctx_name, STATUS_FIELDS) else {
                continue;
            };
            let label = f
                .require(ctx, "label", &ctx_name)
                .and_then(|n| text(ctx, n, "label"))
                .unwrap_or_else(|| key.value.to_string());
            let hypothetical = boolean(ctx, &f, "hypothetical");
            let end = f.get("end").and_then(|n| {
                let names: Vec<&str> = EndRule::ALL.iter().map(|r| r.as_str()).collect();
                choice(ctx, n, "end", &names)
                    .and_then(|s| EndRule::ALL.into_iter().find(|r| r.as_str() == s))
            });
            o.statuses.insert(
                key.value,
                StatusDef {
                    label,
                    description: opt_text(ctx, &f, "description"),
                    hypothetical,
                    end,
                },
            );
        }
    }
    if let Some(node) = top.require(ctx, "relations", "ontology.yaml") {
        for (key, node) in keyed(ctx, node, "relations") {
            let ctx_name = format!("relation `{}`", key.value);
            let Some(f) = fields(ctx, node, "relations", &ctx_name, RELATION_TYPE_FIELDS) else {
                continue;
            };
            // `role: founding` was renamed `plays:` when relations gained
            // roles of their own; an older ontology is pointed at the new
            // key rather than at `roles`, which means something else.
            if let Some((_, _, pos)) = f.entries.iter().find(|(k, _, _)| *k == "role") {
                ctx.report(
                    *pos,
                    Problem::UnknownField {
                        field: "role".into(),
                        context: ctx_name.clone(),
                        suggestion: Some("plays".into()),
                        expected: Vec::new(),
                    },
                );
            }
            let inverse = f
                .require(ctx, "inverse", &ctx_name)
                .and_then(|n| text(ctx, n, "inverse"))
                .unwrap_or_else(|| format!("inverse of {}", key.value));
            let path = format!("relations.{}", key.value);
            let from = kind_list(ctx, &f, "from", &ctx_name, &path, &o);
            let to = kind_list(ctx, &f, "to", &ctx_name, &path, &o);
            let def = RelationDef {
                label: opt_text(ctx, &f, "label").unwrap_or_else(|| key.value.replace('_', " ")),
                inverse,
                description: opt_text(ctx, &f, "description"),
                from,
                to,
                lineage: boolean(ctx, &f, "lineage"),
                identity: boolean(ctx, &f, "identity"),
                plays: f.get("plays").and_then(|n| {
                    let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                    choice(ctx, n, "plays", &names)
                        .and_then(|s| Role::ALL.into_iter().find(|r| r.as_str() == s))
                }),
                roles: f
                    .get("roles")
                    .map(|n| roles(ctx, n, &path))
                    .unwrap_or_default(),
                style: f
                    .get("style")
                    .and_then(|n| choice(ctx, n, "style", STYLES))
                    .unwrap_or_else(|| "solid".into()),
                color: color(ctx, &f, "color", EDGE_DEFAULT),
            };
            o.relations.insert(key.value, def);
        }
    }
    o
}

/// `roles:` of a relation type: a list of role ids, or a mapping of role
/// ids to `{label, description}`.
fn roles(ctx: &mut Ctx, node: &Node<'_>, path: &str) -> BTreeMap<Text, RoleDef> {
    let field = format!("{path}.roles");
    let default_label = |id: &str| id.replace('_', " ");
    let mut out = BTreeMap::new();
    match node.value {
        Value::Seq(items) => {
            let mut first: BTreeMap<String, Pos> = BTreeMap::new();
            for n in items {
                if let Some(id) = ident::<Text>(ctx, n, &field) {
                    if let Some(p) = first.get(id.value.as_str()) {
                        ctx.report(
                            id.pos,
                            Problem::DuplicateId {
                                what: "role".into(),
                                id: id.value.to_string(),
                                first: Place::new(ctx.file, *p),
                            },
                        );
                        continue;
                    }
                    first.insert(id.value.to_string(), id.pos);
                    let label = default_label(&id.value);
                    out.insert(
                        id.value,
                        RoleDef {
                            label,
                            description: None,
                        },
                    );
                }
            }
        }
        Value::Map(_) => {
            for (key, n) in keyed(ctx, node, &field) {
                let context = format!("role `{}`", key.value);
                let (label, description) = match &n.value {
                    Value::Null => (None, None),
                    _ => match fields(ctx, n, &field, &context, &["label", "description"]) {
                        Some(rf) => (
                            opt_text(ctx, &rf, "label"),
                            opt_text(ctx, &rf, "description"),
                        ),
                        None => (None, None),
                    },
                };
                let label = label.unwrap_or_else(|| default_label(&key.value));
                out.insert(key.value, RoleDef { label, description });
            }
        }
        _ => wrong_type(
            ctx,
            node,
            &field,
            "a list of role ids, or a mapping of role ids to `{label, description}`",
        ),
    }
    out
}

/// `from:`/`to:` of a relation type: a list of declared kinds, or `"*"`.
fn kind_list(
    ctx: &mut Ctx,
    f: &Fields,
    field: &str,
    context: &str,
    path: &str,
    o: &Ontology,
) -> Option<Vec<String>> {
    let node = f.require(ctx, field, context)?;
    if let Value::String(s) = &node.value {
        if *s == "*" {
            return None;
        }
    }
    let items: Vec<(String, Pos)> = match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|n| text(ctx, n, field).map(|s| (s, n.pos)))
            .collect(),
        _ => text(ctx, node, field)
            .map(|s| (s, node.pos))
            .into_iter()
            .collect(),
    };
    let mut kinds = Vec::new();
    for (k, pos) in items {
        if o.kinds.contains_key(k.as_str()) {
            kinds.push(k);
        } else {
            ctx.report(
                pos,
                Problem::Unknown {
                    what: "kind".into(),
                    suggestion: suggest(&k, o.kinds.keys().map(Text::as_str)),
                    id: k,
                    field: format!("{path}.{field}"),
                    unread: None,
                },
            );
        }
    }
    Some(kinds)
}

// ---------------------------------------------------------------------------
// sources.yaml

/// A source record before cross-checks.
pub(crate) struct RawSource {
    pub id: At<Text>,
    pub side: Option<At<Text>>,
    pub source: crate::model::entity::Source,
}

pub(crate) const SOURCE_FIELDS: &[&str] = &[
    "id",
    "type",
    "author",
    "authors",
    "title",
    "container",
    "publisher",
    "date",
    "url",
    "language",
    "side",
    "license",
    "note",
];

pub(crate) fn sources(ctx: &mut Ctx, root: &Node<'_>) -> Vec<RawSource> {
    let mut out = Vec::new();
    for (i, node) in list(ctx, root, "sources").iter().enumerate() {
        let context = format!("source #{}", i + 1);
        let Some(f) = fields(ctx, node, "source", &context, SOURCE_FIELDS) else {
            continue;
        };
        let Some(id) = f
            .require(ctx, "id", &context)
            .and_then(|n| ident::<Text>(ctx, n, "id"))
        else {
            continue;
        };
        let context = format!("source `{}`", id.value);
        let title = f
            .require(ctx, "title", &context)
            .and_then(|n| text(ctx, n, "title"))
            .unwrap_or_default();
        let mut authors = texts(ctx, &f, "authors");
        authors.extend(texts(ctx, &f, "author"));
        let side = opt_id::<Text>(ctx, &f, "side");
        let source = crate::model::entity::Source {
            id: id.value.clone(),
            kind: opt_text(ctx, &f, "type"),
            authors,
            title,
            container: opt_text(ctx, &f, "container"),
            publisher: opt_text(ctx, &f, "publisher"),
            date: date(ctx, &f, "date").map(|d| d.value),
            url: opt_text(ctx, &f, "url"),
            language: opt_text(ctx, &f, "language"),
            side: side.as_ref().map(|s| s.value.clone()),
            license: opt_text(ctx, &f, "license"),
            note: opt_text(ctx, &f, "note"),
            origin: origin(ctx, node.pos),
        };
        out.push(RawSource { id, side, source });
    }
    out
}

fn origin(ctx: &Ctx, pos: Pos) -> crate::model::entity::Origin {
    crate::model::entity::Origin {
        file: ctx.file.clone(),
        line: pos.line,
    }
}

// ---------------------------------------------------------------------------
// entity files

/// A citation before its source is looked up.
pub(crate) struct RawCitation {
    pub source: At<Text>,
    /// The field's path, for messages (`sources[0].source`).
    pub field: Text,
    pub at: Text,
    pub quote: Option<Text>,
}

/// An entity before cross-checks.
pub(crate) struct RawEntity {
    pub pos: Pos,
    pub id: At<Text>,
    pub kind: Option<At<Text>>,
    pub side: Option<At<Text>>,
    pub status: Option<At<Text>>,
    /// `status: {value, claimed_by, stance, sources}`: whose word it is.
    pub status_claim: Option<RawAttribution>,
    pub source: Option<At<Text>>,
    pub date: Option<At<Date>>,
    /// `date: {value, claimed_by, stance, sources}`: whose word it is.
    pub date_claim: Option<RawAttribution>,
    pub name: Text,
    pub short: Option<Text>,
    pub names: Names,
    pub aliases: Vec<Text>,
    pub place: Option<Text>,
    pub summary: Option<Text>,
    pub sources: Vec<RawCitation>,
}

/// Whose word a status or date rests on, before cross-checks.
pub(crate) struct RawAttribution {
    pub claimed_by: At<Text>,
    pub stance: Stance,
    pub sources: Vec<RawCitation>,
}

/// A relation before cross-checks.
pub(crate) struct RawRelation {
    pub pos: Pos,
    /// The path of its fields, e.g. `relations[2]`.
    pub path: Text,
    pub kind: At<Text>,
    pub from: At<Text>,
    pub to: At<Text>,
    pub role: Option<At<Text>>,
    pub date: Option<At<Date>>,
    pub summary: Option<Text>,
    pub sources: Vec<RawCitation>,
    pub claimed_by: Option<At<Text>>,
    pub stance: At<Stance>,
}

pub(crate) const ENTITY_FIELDS: &[&str] = &[
    "id",
    "kind",
    "name",
    "short",
    "names",
    "aliases",
    "side",
    "date",
    "status",
    "place",
    "source",
    "summary",
    "sources",
    "relations",
];

pub(crate) const INLINE_RELATION_FIELDS: &[&str] = &[
    "type",
    "to",
    "role",
    "date",
    "summary",
    "sources",
    "claimed_by",
    "stance",
];

pub(crate) const RELATION_FIELDS: &[&str] = &[
    "type",
    "from",
    "to",
    "role",
    "date",
    "summary",
    "sources",
    "claimed_by",
    "stance",
];

/// The four parts of a whole dataset in one file (`detente export json`):
/// `ontology`, `sources`, `entities` and `relations`, in that order.
pub(crate) fn dataset_parts<'n>(ctx: &mut Ctx, root: &'n Node<'n>) -> [Option<&'n Node<'n>>; 4] {
    const PARTS: [&str; 4] = ["ontology", "sources", "entities", "relations"];
    let Some(f) = fields(ctx, root, "file", "a dataset file", &PARTS) else {
        return [None; 4];
    };
    let ontology = f.require(ctx, "ontology", "a dataset file");
    PARTS.map(|p| if p == "ontology" { ontology } else { f.get(p) })
}

/// An entity file: a list of entities, or a mapping with `entities:` and
/// `relations:` lists.
pub(crate) fn entity_file(
    ctx: &mut Ctx,
    root: &Node<'_>,
    entities: &mut Vec<RawEntity>,
    relations: &mut Vec<RawRelation>,
) {
    let (entity_list, relation_list) = match &root.value {
        Value::Null => return,
        Value::Seq(_) => (Some(root), None),
        Value::Map(_) => {
            let Some(f) = fields(
                ctx,
                root,
                "file",
                "an entity file",
                &["entities", "relations"],
            ) else {
                return;
            };
            (f.get("entities"), f.get("relations"))
        }
        _ => {
            wrong_type(
                ctx,
                root,
                "file",
                "a list of entities, or a mapping with `entities:` and `relations:`",
            );
            return;
        }
    };
    entity_lists(ctx, entity_list, relation_list, entities, relations);
}

/// The `entities:` and `relations:` lists of an entity file or of a whole
/// dataset in one JSON file.
pub(crate) fn entity_lists(
    ctx: &mut Ctx,
    entity_list: Option<&Node<'_>>,
    relation_list: Option<&Node<'_>>,
    entities: &mut Vec<RawEntity>,
    relations: &mut Vec<RawRelation>,
) {
    if let Some(node) = entity_list {
        for (i, item) in list(ctx, node, "entities").iter().enumerate() {
            if let Some(e) = entity(ctx, item, i, relations) {
                entities.push(e);
            }
        }
    }
    if let Some(node) = relation_list {
        for (i, item) in list(ctx, node, "relations").iter().enumerate() {
            let path = format!("relations[{i}]");
            if let Some(r) = relation(ctx, item, None, path.clone(), path) {
                relations.push(r);
            }
        }
    }
}

fn entity(
    ctx: &mut Ctx,
    node: &Node<'_>,
    index: usize,
    relations: &mut Vec<RawRelation>,
) -> Option<RawEntity> {
    let context = format!("entity #{}", index + 1);
    let f = fields(ctx, node, "entity", &context, ENTITY_FIELDS)?;
    // Every field is checked even when the id is missing or bad: a user
    // fixes all of an entity's mistakes in one pass.
    let id = f
        .require(ctx, "id", &context)
        .and_then(|n| ident::<Text>(ctx, n, "id"));
    let context = id
        .as_ref()
        .map_or(context, |id| format!("entity `{}`", id.value));
    let kind = f
        .require(ctx, "kind", &context)
        .and_then(|n| ident(ctx, n, "kind"));
    let name = f
        .require(ctx, "name", &context)
        .and_then(|n| text(ctx, n, "name"));
    let mut names = Names::default();
    if let Some(node) = f.get("names") {
        if let Some(nf) = fields(ctx, node, "names", "names", &[]) {
            for (lang, value, key_pos) in nf.entries {
                // The language is text from the data too, shown beside the
                // name: it is held to the same rule as the name.
                if let Some(c) = lang.chars().find(|c| forbidden(*c)) {
                    ctx.report(
                        key_pos,
                        Problem::ControlCharacter {
                            field: "names".into(),
                            codepoint: format!("U+{:04X}", u32::from(c)),
                        },
                    );
                    continue;
                }
                if let Some(t) = text::<Text>(ctx, value, &format!("names.{lang}")) {
                    names.insert(lang, t);
                }
            }
        }
    }
    if let Some(node) = f.get("relations") {
        let owner = id.as_ref().map_or("?", |i| i.value.as_str()).to_string();
        for (i, item) in list(ctx, node, "relations").iter().enumerate() {
            let path = format!("relations[{i}]");
            let label = format!("`{owner}` {path}");
            if let Some(r) = relation(ctx, item, Some(id.as_ref()), label, path) {
                relations.push(r);
            }
        }
    }
    let sources = citations(ctx, &f, "sources");
    if f.get("sources")
        .is_none_or(|n| matches!(&n.value, Value::Seq(v) if v.is_empty()))
    {
        let what = id
            .as_ref()
            .map_or(context.clone(), |i| format!("entity `{}`", i.value));
        let at = id.as_ref().map_or(node.pos, |i| i.pos);
        ctx.report(at, Problem::Uncited { what });
    }
    let side = opt_id(ctx, &f, "side");
    let (status, status_claim) = match f.get("status") {
        Some(n) => attributed(ctx, n, "status", ident::<Text>),
        None => (None, None),
    };
    let source = opt_id(ctx, &f, "source");
    let (date, date_claim) = match f.get("date") {
        Some(n) => attributed(ctx, n, "date", date_at),
        None => (None, None),
    };
    let short = opt_text(ctx, &f, "short");
    let aliases = texts(ctx, &f, "aliases");
    let place = opt_text(ctx, &f, "place");
    let summary = opt_text(ctx, &f, "summary");
    let id = id?;
    Some(RawEntity {
        pos: node.pos,
        kind,
        side,
        status,
        status_claim,
        source,
        date,
        date_claim,
        name: name.unwrap_or_else(|| id.value.clone()),
        short,
        names,
        aliases,
        place,
        summary,
        sources,
        id,
    })
}

/// A field that may rest on someone's word: `status: ID` or `date: EDTF`
/// as plain record, or `{value: …, claimed_by: ID, stance: …, sources: […]}`
/// when one voice gives it (`field` names it in messages; `value` reads the
/// value node, plain or inside the mapping).
fn attributed<T>(
    ctx: &mut Ctx,
    node: &Node<'_>,
    field: &str,
    value: impl Fn(&mut Ctx, &Node<'_>, &str) -> Option<At<T>>,
) -> (Option<At<T>>, Option<RawAttribution>) {
    if !matches!(node.value, Value::Map(_)) {
        return (value(ctx, node, field), None);
    }
    let context = format!("`{field}`");
    let Some(f) = fields(
        ctx,
        node,
        field,
        &context,
        &["value", "claimed_by", "stance", "sources"],
    ) else {
        return (None, None);
    };
    let value = f
        .require(ctx, "value", &context)
        .and_then(|n| value(ctx, n, &format!("{field}.value")));
    let claimed_by = f
        .require(ctx, "claimed_by", &context)
        .and_then(|n| ident(ctx, n, &format!("{field}.claimed_by")));
    // A status or date on someone's word is, unless said otherwise, their
    // assertion.
    let stance = match f.get("stance") {
        None => Some(Stance::Assertion),
        Some(n) => {
            let names: Vec<&str> = Stance::ALL.iter().map(|s| s.as_str()).collect();
            choice(ctx, n, "stance", &names)
                .and_then(|s| Stance::ALL.into_iter().find(|x| x.as_str() == s))
        }
    };
    let sources = citations(ctx, &f, "sources");
    let claim = match (claimed_by, stance) {
        (Some(claimed_by), Some(stance)) => Some(RawAttribution {
            claimed_by,
            stance,
            sources,
        }),
        _ => None,
    };
    (value, claim)
}

/// A relation: inline on an entity (`inline` is `Some(owner id)`, the owner
/// possibly invalid) or in a file's `relations:` list (`inline` is `None`).
fn relation(
    ctx: &mut Ctx,
    node: &Node<'_>,
    inline: Option<Option<&At<Text>>>,
    label: String,
    path: String,
) -> Option<RawRelation> {
    let context = format!("relation {label}");
    // Inline relations start at their entity, so they have no `from`.
    let allowed = if inline.is_some() {
        INLINE_RELATION_FIELDS
    } else {
        RELATION_FIELDS
    };
    let f = fields(ctx, node, &path, &context, allowed)?;
    let kind = f
        .require(ctx, "type", &context)
        .and_then(|n| ident(ctx, n, "type"));
    let from = match inline {
        // Problems with the source end of an inline relation are reported
        // on the relation's own line, at its type.
        Some(owner) => owner.map(|o| At {
            value: o.value.clone(),
            pos: kind.as_ref().map_or(node.pos, |k| k.pos),
        }),
        None => f
            .require(ctx, "from", &context)
            .and_then(|n| ident(ctx, n, "from")),
    };
    let to = f
        .require(ctx, "to", &context)
        .and_then(|n| ident(ctx, n, "to"));
    let stance = match f.get("stance") {
        None => Some(At {
            value: Stance::Record,
            pos: node.pos,
        }),
        Some(n) => {
            let names: Vec<&str> = Stance::ALL.iter().map(|s| s.as_str()).collect();
            choice(ctx, n, "stance", &names).and_then(|s| {
                Stance::ALL
                    .into_iter()
                    .find(|x| x.as_str() == s)
                    .map(|value| At { value, pos: n.pos })
            })
        }
    };
    let sources = citations(ctx, &f, "sources");
    if f.get("sources")
        .is_none_or(|n| matches!(&n.value, Value::Seq(v) if v.is_empty()))
    {
        ctx.report(
            node.pos,
            Problem::Uncited {
                what: context.clone(),
            },
        );
    }
    let date = date(ctx, &f, "date");
    let summary = opt_text(ctx, &f, "summary");
    let claimed_by = opt_id(ctx, &f, "claimed_by");
    let role = opt_id(ctx, &f, "role");
    Some(RawRelation {
        pos: node.pos,
        path: Text::from(path),
        kind: kind?,
        from: from?,
        to: to?,
        role,
        date,
        summary,
        sources,
        claimed_by,
        stance: stance?,
    })
}

/// `sources: [{source: ID, at: "locator", quote: "…"}]`.
fn citations(ctx: &mut Ctx, f: &Fields, field: &str) -> Vec<RawCitation> {
    let Some(node) = f.get(field) else {
        return Vec::new();
    };
    let items = list(ctx, node, field);
    // Exactly as many as written: a growing vector would reserve room for
    // four, and there are hundreds of thousands of these in a big dataset.
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("{field}[{i}]");
        let Some(cf) = fields(
            ctx,
            item,
            &path,
            &format!("citation `{path}`"),
            CITATION_FIELDS,
        ) else {
            continue;
        };
        let context = format!("citation `{path}`");
        let source = cf
            .require(ctx, "source", &context)
            .and_then(|n| ident(ctx, n, "source"));
        let at = cf
            .require(ctx, "at", &context)
            .and_then(|n| text(ctx, n, "at"));
        let quote = opt_text(ctx, &cf, "quote");
        if let (Some(source), Some(at)) = (source, at) {
            out.push(RawCitation {
                source,
                field: Text::from(format!("{path}.source")),
                at,
                quote,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse;

    fn run(yaml: &str) -> (Vec<RawEntity>, Vec<RawRelation>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let file: std::sync::Arc<Path> = Path::new("t.yaml").into();
        let mut ctx = Ctx {
            file: &file,
            problems: &mut problems,
        };
        let (mut es, mut rs) = (Vec::new(), Vec::new());
        let arena = bumpalo::Bump::new();
        entity_file(&mut ctx, &parse(yaml, &arena).unwrap(), &mut es, &mut rs);
        (es, rs, problems)
    }

    fn places(d: &[Diagnostic]) -> Vec<(u32, u32, String)> {
        let mut v: Vec<_> = d
            .iter()
            .map(|d| (d.place.line, d.place.column, d.problem.to_string()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn every_problem_in_a_file_is_reported() {
        let (es, _, p) = run("- id: a\n  kind: agency\n  nmae: A\n  name: A\n  name: B\n  date: 2017-02-30\n- id: B\n  kind: person\n  name: x\n");
        assert_eq!(es.len(), 1);
        let want: Vec<(u32, u32, String)> = vec![
            (1, 7, "entity `a` cites no source".into()),
            (
                3,
                3,
                "unknown field `nmae` in entity #1 (did you mean `name`?)".into(),
            ),
            (
                5,
                3,
                "duplicate key `name` (first at line 4, column 3)".into(),
            ),
            (
                6,
                9,
                "invalid date `2017-02-30`: day is out of range for the month (at character 9)"
                    .into(),
            ),
            // The bad id does not stop the rest of the entity being checked.
            (7, 3, "entity #2 cites no source".into()),
            (
                7,
                7,
                "`B` is not a valid id: it must start with a lower-case letter or a digit".into(),
            ),
        ];
        assert_eq!(places(&p), want);
    }

    #[test]
    fn inline_relations_take_their_entity_as_source() {
        let (_, rs, p) = run(
            "- id: lecd\n  kind: mechanism\n  name: L\n  relations:\n    - { type: succeeds, to: hljd, stance: predicton }\n    - { type: succeeds, to: hljd, from: x }\n",
        );
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].from.value, "lecd");
        // Problems with the source end are placed at the relation's type.
        assert_eq!(
            rs[0].from.pos,
            Pos {
                line: 6,
                column: 15
            }
        );
        let want: Vec<(u32, u32, String)> = vec![
            (1, 7, "entity `lecd` cites no source".into()),
            (5, 7, "relation `lecd` relations[0] cites no source".into()),
            (
                5,
                43,
                "`predicton` is not a valid `stance` (did you mean `prediction`?)".into(),
            ),
            (6, 7, "relation `lecd` relations[1] cites no source".into()),
            (
                6,
                35,
                "unknown field `from` in relation `lecd` relations[1]".into(),
            ),
        ];
        assert_eq!(places(&p), want);
    }
}
