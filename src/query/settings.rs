//! Every query's options, validated once, here.
//!
//! Like ripgrep's two-stage arguments: a caller (the command line, a test, a
//! web page) fills in plain *options* — strings and dates as the user gave
//! them — and turns them into *settings* with `validate`. Settings can only
//! be made that way, so a query or a diagram that accepts settings never
//! re-checks them, and two commands cannot judge the same input differently:
//! a reversed range, an unknown kind, an `--avoid` naming an end or a
//! `--max-hops 0` is refused here and nowhere else, with the same error
//! whichever answer (text, JSON, diagram) was asked for.
//!
//! Settings are checked against one dataset. Handed to another, a query
//! whose settings name an entity that dataset lacks answers
//! [`QueryError::UnknownEntity`], never a panic; a kind or side it does not
//! declare simply matches nothing there.

use std::collections::BTreeSet;

use super::{term, ClaimFilter, Filter, LineageOptions, QueryError};
use crate::model::date::Date;
use crate::model::entity::Stance;
use crate::model::graph::Dataset;

/// Checks that `from` does not begin after `to` ends; overlapping dates
/// (`--from 2016 --to 2016-06`) are a range, reversed ones are a mistake.
fn range(from: Option<&Date>, to: Option<&Date>) -> Result<(), QueryError> {
    match (from, to) {
        (Some(f), Some(t)) if f.start().earliest > t.end().latest => {
            Err(QueryError::DatesOutOfOrder {
                from: f.as_str().into(),
                to: t.as_str().into(),
            })
        }
        _ => Ok(()),
    }
}

/// Checks that two dates are in order and do not overlap, as `diff` needs:
/// what "changed between" `2016` and `2016-06` would mean nothing.
fn disjoint(from: &Date, to: &Date) -> Result<(), QueryError> {
    if from.end().latest >= to.start().earliest {
        return Err(QueryError::DatesOutOfOrder {
            from: from.as_str().into(),
            to: to.as_str().into(),
        });
    }
    Ok(())
}

/// Checks a count that must be at least 1.
fn at_least_one(option: &'static str, value: usize) -> Result<(), QueryError> {
    if value == 0 {
        return Err(QueryError::TooFew {
            option: option.into(),
            value,
            min: 1,
        });
    }
    Ok(())
}

fn kinds(ds: &Dataset, kinds: &[String]) -> Result<(), QueryError> {
    kinds
        .iter()
        .try_for_each(|k| term("kind", k, ds.ontology().kinds.keys()))
}

fn sides(ds: &Dataset, sides: &[String]) -> Result<(), QueryError> {
    sides
        .iter()
        .try_for_each(|s| term("side", s, ds.ontology().sides.keys()))
}

fn relation_types(ds: &Dataset, types: &[String]) -> Result<(), QueryError> {
    types
        .iter()
        .try_for_each(|r| term("relation type", r, ds.ontology().relations.keys()))
}

/// Roles some relation type declares (`neighbors --role co-chair`).
fn roles(ds: &Dataset, roles: &[String]) -> Result<(), QueryError> {
    let declared: std::collections::BTreeSet<&crate::model::small::Text> = ds
        .ontology()
        .relations
        .values()
        .flat_map(|d| d.roles.keys())
        .collect();
    roles
        .iter()
        .try_for_each(|r| term("role", r, declared.iter().copied()))
}

/// An entity id as the user typed it, checked and made canonical.
fn id(ds: &Dataset, id: &str) -> Result<String, QueryError> {
    Ok(super::entity(ds, id)?.id.to_string())
}

/// A look-up by name, as given.
#[derive(Debug, Clone)]
pub struct FindOptions {
    /// A name, short name, alias or id, or part of one.
    pub text: String,
    /// At most this many matches in the answer; at least 1.
    pub limit: usize,
}

impl Default for FindOptions {
    fn default() -> Self {
        FindOptions {
            text: String::new(),
            limit: 10,
        }
    }
}

/// A look-up, checked: something to look for, a limit of at least 1 (a
/// limit of 0 answered "nothing matches" about names that were there).
#[derive(Debug, Clone)]
pub struct FindSettings {
    pub(crate) text: String,
    pub(crate) limit: usize,
}

impl FindOptions {
    /// Checks the look-up.
    pub fn validate(&self) -> Result<FindSettings, QueryError> {
        at_least_one("--limit", self.limit)?;
        if crate::model::text::fold(&self.text).is_empty() {
            return Err(QueryError::NothingToSearch {
                text: self.text.clone(),
            });
        }
        Ok(FindSettings {
            text: self.text.clone(),
            limit: self.limit,
        })
    }
}

impl FindSettings {
    /// What to look for, as given.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// At most this many matches.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

/// What a timeline (the answer or the diagram) covers, as given.
#[derive(Debug, Clone, Default)]
pub struct TimelineOptions {
    /// Only what may overlap this date or later.
    pub from: Option<Date>,
    /// Only what may overlap this date or earlier.
    pub to: Option<Date>,
    /// Only entities of these kinds (and relations touching them).
    pub kinds: Vec<String>,
    /// Only entities on these sides (and relations touching them).
    pub sides: Vec<String>,
    /// Only this entity, the relations touching it, and the entities at their other ends.
    pub about: Option<String>,
}

/// What a timeline covers, checked: the range is in order, the kinds and
/// sides are declared, the entity exists.
#[derive(Debug, Clone)]
pub struct TimelineSettings {
    pub(crate) from: Option<Date>,
    pub(crate) to: Option<Date>,
    pub(crate) kinds: Vec<String>,
    pub(crate) sides: Vec<String>,
    pub(crate) about: Option<String>,
}

impl TimelineOptions {
    /// Checks the options against `ds`.
    pub fn validate(&self, ds: &Dataset) -> Result<TimelineSettings, QueryError> {
        kinds(ds, &self.kinds)?;
        sides(ds, &self.sides)?;
        let about = self.about.as_deref().map(|a| id(ds, a)).transpose()?;
        range(self.from.as_ref(), self.to.as_ref())?;
        Ok(TimelineSettings {
            from: self.from.clone(),
            to: self.to.clone(),
            kinds: self.kinds.clone(),
            sides: self.sides.clone(),
            about,
        })
    }
}

impl TimelineSettings {
    /// The start of the range, if any.
    pub fn from(&self) -> Option<&Date> {
        self.from.as_ref()
    }
    /// The end of the range, if any.
    pub fn to(&self) -> Option<&Date> {
        self.to.as_ref()
    }
    /// The kinds asked for (all when empty).
    pub fn kinds(&self) -> &[String] {
        &self.kinds
    }
    /// The sides asked for (all when empty).
    pub fn sides(&self) -> &[String] {
        &self.sides
    }
    /// The entity the timeline is about, if any (its canonical id).
    pub fn about(&self) -> Option<&str> {
        self.about.as_deref()
    }
    /// The same settings with the kinds a drawing shows when none were asked
    /// for: those the ontology marks `timeline: true` (every kind if it marks
    /// none). Declared kinds, so nothing needs checking again.
    pub fn or_drawn_kinds(&self, ds: &Dataset) -> TimelineSettings {
        if !self.kinds.is_empty() {
            return self.clone();
        }
        let o = ds.ontology();
        let marked: Vec<String> = o
            .kinds
            .iter()
            .filter(|(_, d)| d.timeline)
            .map(|(k, _)| k.to_string())
            .collect();
        TimelineSettings {
            kinds: if marked.is_empty() {
                o.kinds.keys().map(|k| k.to_string()).collect()
            } else {
                marked
            },
            ..self.clone()
        }
    }
}

/// How to search for paths, as given.
#[derive(Debug, Clone)]
pub struct PathOptions {
    /// Use only relations that may hold on this date.
    pub at: Option<Date>,
    /// List every simple path up to `max_hops`, not only the shortest.
    pub all: bool,
    /// Longest path considered with `all`; at least 1.
    pub max_hops: usize,
    /// At most this many paths with `all`; at least 1.
    pub limit: usize,
    /// The path must pass through an entity of one of these kinds (searched
    /// up to [`super::VIA_MAX_HOPS`] hops).
    pub via: Vec<String>,
    /// The path must not pass through these entities (not its ends).
    pub avoid: Vec<String>,
    /// Do not cross identifications (relation types marked `identity`,
    /// "is probably the same as"); without it they are hops like any other,
    /// and each path counts those it uses.
    pub strict: bool,
}

impl Default for PathOptions {
    fn default() -> Self {
        PathOptions {
            at: None,
            all: false,
            max_hops: 4,
            limit: 20,
            via: Vec::new(),
            avoid: Vec::new(),
            strict: false,
        }
    }
}

/// A path search, checked: both ends exist, every avoided entity exists and
/// is not an end, the kinds are declared, the counts are at least 1.
#[derive(Debug, Clone)]
pub struct PathSettings {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) opts: PathOptions,
}

impl PathOptions {
    /// Checks a search from `from` to `to` against `ds`.
    pub fn validate(&self, ds: &Dataset, from: &str, to: &str) -> Result<PathSettings, QueryError> {
        let (from, to) = (id(ds, from)?, id(ds, to)?);
        kinds(ds, &self.via)?;
        let mut avoid = Vec::with_capacity(self.avoid.len());
        for a in &self.avoid {
            let a = id(ds, a)?;
            // Avoiding an end would silently answer another question.
            if a == from || a == to {
                return Err(QueryError::AvoidsAnEnd { id: a });
            }
            avoid.push(a);
        }
        at_least_one("--max-hops", self.max_hops)?;
        at_least_one("--limit", self.limit)?;
        Ok(PathSettings {
            from,
            to,
            opts: PathOptions {
                avoid,
                ..self.clone()
            },
        })
    }
}

impl PathSettings {
    /// Where the paths start (a canonical id).
    pub fn from(&self) -> &str {
        &self.from
    }
    /// Where they end (a canonical id).
    pub fn to(&self) -> &str {
        &self.to
    }
    /// The rest of the search, checked.
    pub fn options(&self) -> &PathOptions {
        &self.opts
    }
}

/// Which relations to follow from the centre of an ego network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Towards {
    /// Relations written from the entity outwards.
    Out,
    /// Relations written towards the entity.
    In,
    /// Both.
    #[default]
    Both,
}

/// How far and along what, as given.
#[derive(Debug, Clone)]
pub struct NeighborOptions {
    /// How many relations away; at least 1.
    pub depth: usize,
    /// Only these relation types (all when empty).
    pub relations: Vec<String>,
    /// Which way relations may point, seen from the entity nearer the centre.
    pub direction: Towards,
    /// Only relations with one of these roles (all when empty).
    pub roles: Vec<String>,
    /// Do not cross identifications (relation types marked `identity`):
    /// without it, an entity said to be the same as one reached is reached
    /// at the same distance, and the answer lists the identifications used.
    pub strict: bool,
}

impl Default for NeighborOptions {
    fn default() -> Self {
        NeighborOptions {
            depth: 1,
            relations: Vec::new(),
            direction: Towards::Both,
            roles: Vec::new(),
            strict: false,
        }
    }
}

/// An ego network, checked: the centre exists, the depth is at least 1,
/// the relation types and roles are declared.
#[derive(Debug, Clone)]
pub struct NeighborSettings {
    pub(crate) center: String,
    pub(crate) opts: NeighborOptions,
}

impl NeighborOptions {
    /// Checks the neighbourhood of `center` against `ds`.
    pub fn validate(&self, ds: &Dataset, center: &str) -> Result<NeighborSettings, QueryError> {
        let center = id(ds, center)?;
        relation_types(ds, &self.relations)?;
        roles(ds, &self.roles)?;
        at_least_one("--depth", self.depth)?;
        Ok(NeighborSettings {
            center,
            opts: self.clone(),
        })
    }
}

impl NeighborSettings {
    /// The entity at the centre (a canonical id).
    pub fn center(&self) -> &str {
        &self.center
    }
    /// The rest, checked.
    pub fn options(&self) -> &NeighborOptions {
        &self.opts
    }
}

/// Part of the network, as given.
#[derive(Debug, Clone, Default)]
pub struct NetworkOptions {
    /// Only these kinds (all when empty).
    pub kinds: Vec<String>,
    /// Only these relation types (all when empty).
    pub relations: Vec<String>,
    /// Only these sides (all when empty).
    pub sides: Vec<String>,
    /// Only what existed, and relations that held, on this date, by the
    /// rule of `detente active` ([`crate::query::presence`]).
    pub at: Option<Date>,
    /// At most this many entities, the most central on the relations
    /// drawn, joined up (default: 40 for a slide or handout, fewer when
    /// that many do not fit; all on a poster; at least 1).
    pub max_nodes: Option<usize>,
    /// With `at`: draw undated entities too, in a band of their own.
    pub include_undated: bool,
}

/// Part of the network, checked: every kind, relation type and side is declared.
#[derive(Debug, Clone)]
pub struct NetworkSettings {
    pub(crate) opts: NetworkOptions,
}

impl NetworkOptions {
    /// Checks the selection against `ds`.
    pub fn validate(&self, ds: &Dataset) -> Result<NetworkSettings, QueryError> {
        kinds(ds, &self.kinds)?;
        relation_types(ds, &self.relations)?;
        sides(ds, &self.sides)?;
        if let Some(n) = self.max_nodes {
            at_least_one("--max-nodes", n)?;
        }
        Ok(NetworkSettings { opts: self.clone() })
    }
}

impl NetworkSettings {
    /// The selection, checked.
    pub fn options(&self) -> &NetworkOptions {
        &self.opts
    }
}

/// Which entities to list, checked: every kind and side is declared (a
/// typo must not look like "nothing there").
#[derive(Debug, Clone)]
pub struct ListSettings {
    pub(crate) filter: Filter,
}

impl Filter {
    /// Checks the filter against `ds`.
    pub fn validate(&self, ds: &Dataset) -> Result<ListSettings, QueryError> {
        kinds(ds, &self.kinds)?;
        sides(ds, &self.sides)?;
        Ok(ListSettings {
            filter: self.clone(),
        })
    }
}

impl ListSettings {
    /// The filter, checked.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }
}

/// What existed on a date, as given.
#[derive(Debug, Clone)]
pub struct ActiveOptions {
    /// The date asked about.
    pub date: Date,
    /// Only entities of these kinds (all when empty).
    pub kinds: Vec<String>,
}

/// What existed on a date, checked: the kinds are declared.
#[derive(Debug, Clone)]
pub struct ActiveSettings {
    pub(crate) opts: ActiveOptions,
}

impl ActiveOptions {
    /// Checks the options against `ds`.
    pub fn validate(&self, ds: &Dataset) -> Result<ActiveSettings, QueryError> {
        kinds(ds, &self.kinds)?;
        Ok(ActiveSettings { opts: self.clone() })
    }
}

impl ActiveSettings {
    /// The options, checked.
    pub fn options(&self) -> &ActiveOptions {
        &self.opts
    }
}

/// Why one entity is or is not there on a date, as given.
#[derive(Debug, Clone)]
pub struct ExplainOptions {
    /// The date asked about.
    pub date: Date,
    /// The entity.
    pub id: String,
}

/// An explanation, checked: the entity exists.
#[derive(Debug, Clone)]
pub struct ExplainSettings {
    pub(crate) date: Date,
    pub(crate) id: String,
}

impl ExplainOptions {
    /// Checks the options against `ds`.
    pub fn validate(&self, ds: &Dataset) -> Result<ExplainSettings, QueryError> {
        Ok(ExplainSettings {
            date: self.date.clone(),
            id: id(ds, &self.id)?,
        })
    }
}

impl ExplainSettings {
    /// The date asked about.
    pub fn date(&self) -> &Date {
        &self.date
    }
    /// The entity (a canonical id).
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// What changed between two dates, as given.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// The earlier date.
    pub from: Date,
    /// The later date.
    pub to: Date,
}

/// A comparison of two dates, checked: they are in order and do not
/// overlap (what "changed between" `2016` and `2016-06` would mean nothing).
#[derive(Debug, Clone)]
pub struct DiffSettings {
    pub(crate) opts: DiffOptions,
}

impl DiffOptions {
    /// Checks the dates.
    pub fn validate(&self) -> Result<DiffSettings, QueryError> {
        disjoint(&self.from, &self.to)?;
        Ok(DiffSettings { opts: self.clone() })
    }
}

impl DiffSettings {
    /// The earlier date.
    pub fn from(&self) -> &Date {
        &self.opts.from
    }
    /// The later date.
    pub fn to(&self) -> &Date {
        &self.opts.to
    }
}

/// Which claims, checked: the claimant and the entity exist. The claimant
/// is kept with every id that speaks with its voice ([`super::voices`]).
#[derive(Debug, Clone)]
pub struct ClaimSettings {
    pub(crate) by: Option<(String, BTreeSet<String>)>,
    pub(crate) stances: Vec<Stance>,
    pub(crate) about: Option<String>,
}

impl ClaimFilter {
    /// Checks the filter against `ds`.
    pub fn validate(&self, ds: &Dataset) -> Result<ClaimSettings, QueryError> {
        let by = self
            .by
            .as_deref()
            .map(|b| id(ds, b).map(|b| (b.clone(), super::voices(ds, &b))))
            .transpose()?;
        Ok(ClaimSettings {
            by,
            stances: self.stances.clone(),
            about: self.about.as_deref().map(|a| id(ds, a)).transpose()?,
        })
    }
}

impl ClaimSettings {
    /// The claimant (a canonical id), if any.
    pub fn by(&self) -> Option<&str> {
        self.by.as_ref().map(|(b, _)| b.as_str())
    }
    /// The stances asked for (all when empty).
    pub fn stances(&self) -> &[Stance] {
        &self.stances
    }
    /// The entity the claims must touch (a canonical id), if any.
    pub fn about(&self) -> Option<&str> {
        self.about.as_deref()
    }
}

/// A lineage, checked: its member exists and is something a lineage
/// relation can join.
#[derive(Debug, Clone)]
pub struct LineageSettings {
    pub(crate) id: String,
    pub(crate) opts: LineageOptions,
}

impl LineageOptions {
    /// Checks the lineage of `id` against `ds`.
    pub fn validate(&self, ds: &Dataset, id: &str) -> Result<LineageSettings, QueryError> {
        Ok(LineageSettings {
            id: lineage_member(ds, id)?.id.to_string(),
            opts: self.clone(),
        })
    }
}

impl LineageSettings {
    /// The member asked about (a canonical id).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The rest, checked.
    pub fn options(&self) -> &LineageOptions {
        &self.opts
    }
}

/// The part of a dataset to export, as given.
#[derive(Debug, Clone, Default)]
pub struct SelectionOptions {
    /// Only entities of these kinds (all when empty).
    pub kinds: Vec<String>,
    /// Only relations of these types (all when empty).
    pub relations: Vec<String>,
    /// Only entities on these sides (all when empty).
    pub sides: Vec<String>,
    /// Only what may have existed, and relations that may have held, on
    /// this date; undated entities and relations are kept.
    pub at: Option<Date>,
}

/// The part of a dataset to export, checked: every kind, relation type and
/// side is declared.
#[derive(Debug, Clone)]
pub struct SelectionSettings {
    pub(crate) opts: SelectionOptions,
}

impl SelectionOptions {
    /// Checks the selection against `ds`.
    pub fn validate(&self, ds: &Dataset) -> Result<SelectionSettings, QueryError> {
        kinds(ds, &self.kinds)?;
        relation_types(ds, &self.relations)?;
        sides(ds, &self.sides)?;
        Ok(SelectionSettings { opts: self.clone() })
    }
}

impl SelectionSettings {
    /// The selection, checked.
    pub fn options(&self) -> &SelectionOptions {
        &self.opts
    }
    /// Whether the selection keeps everything.
    pub fn is_everything(&self) -> bool {
        let o = &self.opts;
        o.kinds.is_empty() && o.relations.is_empty() && o.sides.is_empty() && o.at.is_none()
    }
}

/// Checks that `id` can be part of a lineage: its kind is at either end of
/// some relation type marked `lineage: true`, or it has such a relation.
/// Asking the lineage of a person is a mistake, not a chain of one.
pub(crate) fn lineage_member<'a>(
    ds: &'a Dataset,
    id: &str,
) -> Result<&'a crate::model::entity::Entity, QueryError> {
    let e = super::entity(ds, id)?;
    let o = ds.ontology();
    let lineage: Vec<(
        &crate::model::small::Text,
        &crate::model::ontology::RelationDef,
    )> = o.relations.iter().filter(|(_, d)| d.lineage).collect();
    let can = lineage
        .iter()
        .any(|(_, d)| d.allows(&e.kind, true) || d.allows(&e.kind, false))
        || ds
            .links(&e.id)
            .iter()
            .any(|l| lineage.iter().any(|(k, _)| **k == l.relation.kind));
    if can {
        return Ok(e);
    }
    let mut kinds: Vec<&str> = lineage
        .iter()
        .flat_map(|(_, d)| d.from.iter().chain(d.to.iter()).flatten())
        .map(String::as_str)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    Err(QueryError::NotInLineage {
        id: e.id.to_string(),
        kind: e.kind.to_string(),
        relations: lineage.iter().map(|(k, _)| k.to_string()).collect(),
        kinds: kinds.into_iter().map(str::to_string).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds() -> Dataset {
        let files =
            crate::load::read_dir(std::path::Path::new("tests/fixtures/semantics")).unwrap();
        crate::load::load(&files).unwrap()
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_reversed_range_is_refused_and_an_overlapping_one_is_not() {
        let ds = ds();
        let reversed = TimelineOptions {
            from: Some(date("2021")),
            to: Some(date("2013")),
            ..TimelineOptions::default()
        };
        assert!(matches!(
            reversed.validate(&ds),
            Err(QueryError::DatesOutOfOrder { .. })
        ));
        let same = TimelineOptions {
            from: Some(date("2016")),
            to: Some(date("2016-06")),
            ..TimelineOptions::default()
        };
        assert!(same.validate(&ds).is_ok());
        assert!(disjoint(&date("2016"), &date("2016-06")).is_err());
        assert!(disjoint(&date("2016"), &date("2017")).is_ok());
    }

    #[test]
    fn avoiding_an_end_and_zero_counts_are_refused() {
        let ds = ds();
        let avoid = PathOptions {
            avoid: vec!["p".into()],
            ..PathOptions::default()
        };
        assert_eq!(
            avoid.validate(&ds, "p", "q").unwrap_err(),
            QueryError::AvoidsAnEnd { id: "p".into() }
        );
        let zero = PathOptions {
            all: true,
            max_hops: 0,
            ..PathOptions::default()
        };
        assert!(matches!(
            zero.validate(&ds, "p", "q"),
            Err(QueryError::TooFew { min: 1, .. })
        ));
        let depth = NeighborOptions {
            depth: 0,
            ..NeighborOptions::default()
        };
        assert!(depth.validate(&ds, "p").is_err());
    }

    #[test]
    fn a_find_for_nothing_or_with_a_zero_limit_is_refused() {
        let find = |text: &str, limit| FindOptions {
            text: text.into(),
            limit,
        };
        assert!(matches!(
            find("lecd", 0).validate(),
            Err(QueryError::TooFew { min: 1, .. })
        ));
        assert!(matches!(
            find(" -- ", 10).validate(),
            Err(QueryError::NothingToSearch { .. })
        ));
        let ok = find("LECD", 3).validate().unwrap();
        assert_eq!((ok.text(), ok.limit()), ("LECD", 3));
    }

    #[test]
    fn lineage_of_something_no_lineage_relation_can_join_is_refused() {
        let ds = ds();
        assert!(lineage_member(&ds, "lone").is_ok(), "a mechanism, alone");
        let err = lineage_member(&ds, "p").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`p` is a person, and no lineage relation (`follows`) joins a person: \
             lineage relations join mechanism"
        );
    }
}
