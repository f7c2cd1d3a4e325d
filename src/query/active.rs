//! `detente active DATE`: what existed on a date, three-valued. An entity
//! is *definitely* there when every possible day of the date lies inside
//! every possible reading of its span; *possibly* when some reading
//! overlaps. Proposals (statuses marked `hypothetical`) never existed and
//! are never listed; undated entities cannot be placed and are counted.

use serde::Serialize;

use super::cite::{brief, Brief, Cites, NumberedSource};
use super::{ActiveSettings, ExplainSettings, QueryError};
use crate::model::date::{Date, Limit, Truth, Window};
use crate::model::entity::Entity;
use crate::model::graph::Dataset;

/// What was there on a date.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Active<'a> {
    /// The date asked about, as written.
    pub date: String,
    /// Entities certainly in existence on every day of the date.
    pub definitely: Vec<Brief<'a>>,
    /// Entities that may have been, given how imprecise the dates are.
    pub possibly: Vec<Brief<'a>>,
    /// How many entities (of the kinds asked for) have no date.
    pub undated: usize,
    /// Every citation used, numbered.
    pub sources: Vec<NumberedSource<'a>>,
}

/// Why one entity is or is not in the answer.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Explanation<'a> {
    /// The entity.
    pub id: &'a str,
    /// The date asked about.
    pub date: String,
    /// The answer; `null` for an undated entity, which `active` cannot place.
    pub truth: Option<Truth>,
    /// The entity's date, if any.
    pub entity_date: Option<&'a Date>,
    /// In words.
    pub reason: String,
}

/// Whether `e` existed on `date`: the one rule every dated answer follows,
/// `detente active` and the dated diagrams alike. `None` when it cannot be
/// placed in time (it has no date), so that no dated view draws it as if
/// it were there; `Some(Truth::Not)` for what never existed (a proposal).
pub fn presence(ds: &Dataset, e: &Entity, date: &Date) -> Option<Truth> {
    presence_of(ds.never_existed(e), e, date)
}

/// [`presence`], told whether `e` never existed: `active` asks that of
/// every entity of the dataset and looks the statuses up once.
fn presence_of(never_existed: bool, e: &Entity, date: &Date) -> Option<Truth> {
    if never_existed {
        return Some(Truth::Not);
    }
    e.date.as_ref().map(|d| d.covers(date))
}

/// What existed on the date of `settings`, optionally only entities of some kinds.
pub fn active<'a>(ds: &'a Dataset, settings: &ActiveSettings) -> Active<'a> {
    let (date, kinds) = (&settings.opts.date, &settings.opts.kinds);
    let keep = |e: &Entity| kinds.is_empty() || kinds.iter().any(|v| v.as_str() == e.kind.as_str());
    // The statuses that mark what never existed ([`Dataset::never_existed`]),
    // looked up once rather than once per entity.
    let never: Vec<&str> = ds
        .ontology()
        .statuses
        .iter()
        .filter(|(_, s)| s.hypothetical)
        .map(|(id, _)| id.as_str())
        .collect();
    let mut undated = 0;
    // Each entity there, with its date's packed limits: sorted by those
    // first, with no need to reach the entity (entities are in id order,
    // so their index breaks ties as the id does).
    let mut dated: Vec<([i32; 4], usize, &Entity, Truth)> = Vec::new();
    for (i, e) in ds.entities().enumerate() {
        if !keep(e) {
            continue;
        }
        let never_existed = e
            .status
            .as_ref()
            .is_some_and(|s| never.contains(&s.as_str()));
        match (presence_of(never_existed, e, date), &e.date) {
            (None, _) => undated += 1,
            (Some(Truth::Not), _) | (_, None) => {}
            (Some(t), Some(d)) => dated.push((d.packed_limits(), i, e, t)),
        }
    }
    dated.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| super::cite::by_date(a.2.date.as_ref(), b.2.date.as_ref()))
            .then(a.1.cmp(&b.1))
    });
    let mut cites = Cites::new(ds);
    let (mut definitely, mut possibly) = (Vec::new(), Vec::new());
    for (_, _, e, t) in dated {
        let citations = cites.number(&e.sources);
        let b = brief(e, false, citations);
        match t {
            Truth::Definitely => definitely.push(b),
            _ => possibly.push(b),
        }
    }
    Active {
        date: date.as_str().to_string(),
        definitely,
        possibly,
        undated,
        sources: cites.finish(),
    }
}

fn day(l: Limit) -> String {
    match l {
        Limit::Day(d) => d.to_string(),
        Limit::Past => "the indefinite past".into(),
        Limit::Future => "the indefinite future".into(),
    }
}

fn window(w: Window) -> String {
    match (w.earliest, w.latest) {
        (Limit::Future, Limit::Future) => "not yet (it is ongoing)".into(),
        (Limit::Past, Limit::Past) => "at an open, indefinite start".into(),
        (a, b) if a == b => format!("on {}", day(a)),
        (Limit::Past, b) => format!("on or before {}", day(b)),
        (a, Limit::Future) => format!("on or after {} (its end is not known)", day(a)),
        (a, b) => format!("between {} and {}", day(a), day(b)),
    }
}

/// Why the entity of `settings` is or is not active on its date. Settings
/// made for another dataset that lacks their entity are refused as an
/// unknown entity.
pub fn explain<'a>(
    ds: &'a Dataset,
    settings: &ExplainSettings,
) -> Result<Explanation<'a>, QueryError> {
    let date = settings.date();
    let e = super::entity(ds, settings.id())?;
    let (q0, q1) = (date.start().earliest, date.end().latest);
    let asked = if q0 == q1 {
        day(q0)
    } else {
        format!("{} to {}", day(q0), day(q1))
    };
    let (truth, reason) = if ds.never_existed(e) {
        (
            Some(Truth::Not),
            format!(
                "`{}` has status `{}`, which marks something that did not exist, or not yet, as the sources tell it{}",
                e.id,
                e.status.as_deref().unwrap_or(""),
                e.status
                    .as_ref()
                    .and_then(|s| ds.ontology().statuses.get(s))
                    .and_then(|s| s.description.as_deref())
                    .map(|d| {
                        let d = d.trim_end_matches('.');
                        let mut c = d.chars();
                        let first = c.next().map(|f| f.to_lowercase().collect::<String>());
                        format!(" ({}{})", first.unwrap_or_default(), c.as_str())
                    })
                    .unwrap_or_default()
            ),
        )
    } else if let Some(d) = &e.date {
        let truth = d.covers(date);
        let (s, en) = (d.start(), d.end());
        let reason = match truth {
            Truth::Definitely => format!(
                "it had begun by {} and did not end before {}, so it spans all of {asked}",
                day(s.latest),
                day(en.earliest)
            ),
            Truth::Not if s.earliest > q1 => {
                format!("it began {}, after {asked}", window(s))
            }
            Truth::Not => format!("it ended {}, before {asked}", window(en)),
            Truth::Possibly => {
                let mut why = Vec::new();
                if s.latest > q0 {
                    why.push(format!("it began {}", window(s)));
                }
                if en.earliest < q1 {
                    why.push(format!("it ended {}", window(en)));
                }
                if d.is_approximate() || d.is_uncertain() {
                    why.push("its date is marked approximate or uncertain, which widens each end by one unit".into());
                }
                format!(
                    "{}, so it may or may not span all of {asked}",
                    why.join(" and ")
                )
            }
        };
        (Some(truth), reason)
    } else {
        (
            None,
            format!(
                "`{}` has no date, so when it existed is unknown; it is counted as undated",
                e.id
            ),
        )
    };
    Ok(Explanation {
        id: &e.id,
        date: date.as_str().to_string(),
        truth,
        entity_date: e.date.as_ref(),
        reason,
    })
}
