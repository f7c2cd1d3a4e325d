//! `detente diff DATE1 DATE2`: what began, what ended, what came and went
//! in between, and the founding and ending relations dated in the interval.
//! Each change is three-valued, like `active`.

use serde::Serialize;

use super::cite::{by_date, Brief, Cites, Fact, NumberedSource};
use super::DiffSettings;
use crate::model::date::Truth;
use crate::model::graph::Dataset;
use crate::model::ontology::Role;

/// The changes between two dates.
#[derive(Debug, Serialize)]
#[non_exhaustive]
pub struct Diff<'a> {
    /// The earlier date, as written.
    pub from: String,
    /// The later date, as written.
    pub to: String,
    /// Not in existence at `from`, in existence at `to`.
    pub began: Vec<Change<'a>>,
    /// In existence at `from`, not at `to`.
    pub ended: Vec<Change<'a>>,
    /// Happened between the two dates (summits, rounds, events), or began
    /// and ended between them.
    pub between: Vec<Change<'a>>,
    /// Founding and ending relations dated between the two dates.
    pub events: Vec<Fact<'a>>,
    /// Every citation used, numbered.
    pub sources: Vec<NumberedSource<'a>>,
}

/// One change.
#[derive(Debug, Serialize)]
pub struct Change<'a> {
    /// The entity.
    pub entity: Brief<'a>,
    /// How sure: definitely, or possibly given imprecise dates.
    pub truth: Truth,
}

/// What changed between the two dates of `settings`.
pub fn diff<'a>(ds: &'a Dataset, settings: &DiffSettings) -> Diff<'a> {
    let (d1, d2) = (settings.from(), settings.to());
    let o = ds.ontology();
    let mut cites = Cites::new(ds);
    let (mut began, mut ended, mut between) = (Vec::new(), Vec::new(), Vec::new());
    let mut dated: Vec<_> = ds
        .entities()
        .filter(|e| !ds.never_existed(e))
        .filter(|e| e.date.is_some())
        .collect();
    dated.sort_by(|a, b| by_date(a.date.as_ref(), b.date.as_ref()).then_with(|| a.id.cmp(&b.id)));
    let (gap_start, gap_end) = (d1.end().latest, d2.start().earliest);
    let (lo, hi) = (d1.start().earliest, d2.end().latest);
    for e in dated {
        let d = e.date.as_ref().expect("dated");
        use Truth::*;
        // Things dated by a single date or a set happened; only spans
        // (`A/B`) begin and end.
        let (bucket, truth) = if !d.is_interval() {
            if d.start().earliest > gap_start && d.end().latest < gap_end {
                (Some(&mut between), Definitely)
            } else if d.start().earliest <= hi
                && lo <= d.end().latest
                && d.end().latest > gap_start
                && d.start().earliest < gap_end
            {
                (Some(&mut between), Possibly)
            } else {
                (None, Not)
            }
        } else {
            match (d.covers(d1), d.covers(d2)) {
                (Not, Definitely) => (Some(&mut began), Definitely),
                (Not, Possibly) | (Possibly, Definitely) => (Some(&mut began), Possibly),
                (Definitely, Not) => (Some(&mut ended), Definitely),
                (Definitely, Possibly) | (Possibly, Not) => (Some(&mut ended), Possibly),
                // Every reading misses both dates: wholly before, after or
                // between them.
                (Not, Not) if d.start().earliest > gap_start && d.end().latest < gap_end => {
                    (Some(&mut between), Definitely)
                }
                _ => (None, Not),
            }
        };
        if let Some(bucket) = bucket {
            bucket.push(Change {
                entity: cites.brief(e),
                truth,
            });
        }
    }
    let mut events: Vec<_> = ds
        .relations()
        .filter(|(_, _, r)| o.plays(&r.kind, Role::Founding) || o.plays(&r.kind, Role::Ending))
        .filter(|(_, _, r)| {
            r.date
                .as_ref()
                .is_some_and(|d| d.end().latest > gap_start && d.start().earliest < gap_end)
        })
        .collect();
    events.sort_by(|a, b| {
        by_date(a.2.date.as_ref(), b.2.date.as_ref()).then_with(|| a.0.id.cmp(&b.0.id))
    });
    let events = events
        .into_iter()
        .map(|(f, t, r)| cites.fact(f, t, r))
        .collect();
    Diff {
        from: d1.as_str().into(),
        to: d2.as_str().into(),
        began,
        ended,
        between,
        events,
        sources: cites.finish(),
    }
}
