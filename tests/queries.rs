//! Query semantics that are easy to get wrong, on a small purpose-built
//! dataset (`tests/fixtures/semantics`): lineage with a branch and a merge,
//! three-valued dates at the edges of intervals and with `~`/`?`, open and
//! unknown ends, paths that exist only at some dates.

use std::path::Path;

use detente::query::{self, ClaimFilter, PathOptions, QueryError, TimelineOptions};
use detente::Truth;
use detente::{Dataset, Date};

fn ds() -> Dataset {
    let files = detente::read_dir(Path::new("tests/fixtures/semantics")).unwrap();
    detente::load(&files).unwrap_or_else(|p| panic!("{p:?}"))
}

// The queries take validated settings; these check the options first, as
// the command line does.
fn path<'a>(
    ds: &'a Dataset,
    from: &str,
    to: &str,
    opts: &PathOptions,
) -> Result<query::Paths<'a>, QueryError> {
    query::path(ds, &opts.validate(ds, from, to)?)
}

fn neighbors<'a>(
    ds: &'a Dataset,
    id: &str,
    opts: &query::NeighborOptions,
) -> Result<query::Neighborhood<'a>, QueryError> {
    query::neighbors(ds, &opts.validate(ds, id)?)
}

fn timeline<'a>(
    ds: &'a Dataset,
    opts: &TimelineOptions,
) -> Result<query::Timeline<'a>, QueryError> {
    query::timeline(ds, &opts.validate(ds)?)
}

fn active<'a>(
    ds: &'a Dataset,
    on: &str,
    kinds: &[String],
) -> Result<query::Active<'a>, QueryError> {
    let opts = query::ActiveOptions {
        date: date(on),
        kinds: kinds.to_vec(),
    };
    Ok(query::active(ds, &opts.validate(ds)?))
}

fn diff<'a>(ds: &'a Dataset, from: &str, to: &str) -> Result<query::Diff<'a>, QueryError> {
    let opts = query::DiffOptions {
        from: date(from),
        to: date(to),
    };
    Ok(query::diff(ds, &opts.validate()?))
}

fn claims<'a>(ds: &'a Dataset, filter: &ClaimFilter) -> Result<query::Claims<'a>, QueryError> {
    Ok(query::claims(ds, &filter.validate(ds)?))
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn ids(briefs: &[query::Brief]) -> Vec<String> {
    briefs.iter().map(|b| b.id.to_string()).collect()
}

#[test]
fn lineage_follows_branches_and_merges_in_time_order() {
    let ds = ds();
    for start in ["a", "c", "e"] {
        let l = query::lineage(&ds, start).unwrap();
        let order: Vec<&str> = l.links.iter().map(|l| l.entity.id).collect();
        assert_eq!(order, ["a", "b", "c", "d", "e"], "from {start}");
    }
    let l = query::lineage(&ds, "b").unwrap();
    let b = &l.links[1];
    let successors: Vec<&str> = b.successors.iter().map(|f| f.from).collect();
    assert_eq!(successors, ["c", "d"], "the branch");
    assert_eq!(b.ended[0].entity.id, "crisis-2009");
    let e = &l.links[4];
    let predecessors: Vec<&str> = e.predecessors.iter().map(|f| f.to).collect();
    assert_eq!(predecessors, ["c", "d"], "the merge");
    assert_eq!(l.links[0].founded[0].entity.id, "summit-2000");
    // Every fact in the answer is cited.
    assert!(l.links.iter().all(|l| !l.entity.citations.is_empty()));
    assert!(!l.sources.is_empty());
}

/// Settings are checked against one dataset; handed to another that lacks
/// the entity they name, `lineage_with`, `explain` and `timeline` panicked
/// ("checked by … validate against this dataset"). They answer an unknown
/// entity instead, as `path` and `neighbors` do.
#[test]
fn settings_used_with_another_dataset_are_refused_not_a_panic() {
    let here = ds();
    let other = detente::load(&detente::builtin_files()).unwrap();
    assert!(other.entity("lone").is_none());
    let unknown = |e: QueryError| match e {
        QueryError::UnknownEntity { id, .. } => assert_eq!(id, "lone"),
        e => panic!("{e}"),
    };
    let lineage = query::LineageOptions::default()
        .validate(&here, "lone")
        .unwrap();
    unknown(query::lineage_with(&other, &lineage).unwrap_err());
    unknown(detente::diagram::lineage(&other, &lineage, &Default::default()).unwrap_err());
    let explain = query::ExplainOptions {
        date: date("2021"),
        id: "lone".into(),
    }
    .validate(&here)
    .unwrap();
    unknown(query::explain(&other, &explain).unwrap_err());
    let about = TimelineOptions {
        about: Some("lone".into()),
        ..Default::default()
    }
    .validate(&here)
    .unwrap();
    unknown(query::timeline(&other, &about).unwrap_err());
    unknown(detente::diagram::timeline(&other, &about, &Default::default()).unwrap_err());
    let path = PathOptions::default().validate(&here, "lone", "a").unwrap();
    unknown(query::path(&other, &path).unwrap_err());
    // With their own dataset they answer.
    assert_eq!(query::lineage_with(&here, &lineage).unwrap().links.len(), 1);
    assert!(query::timeline(&here, &about).is_ok());
}

#[test]
fn lineage_of_an_entity_without_lineage_is_itself() {
    let ds = ds();
    let l = query::lineage(&ds, "lone").unwrap();
    assert_eq!(l.links.len(), 1);
    assert!(l.links[0].predecessors.is_empty() && l.links[0].successors.is_empty());
}

fn truth_of(ds: &Dataset, id: &str, on: &str) -> Option<Truth> {
    let opts = query::ExplainOptions {
        date: date(on),
        id: id.into(),
    };
    query::explain(ds, &opts.validate(ds).unwrap())
        .unwrap()
        .truth
}

#[test]
fn active_is_three_valued_at_interval_edges() {
    let ds = ds();
    // c is 2010/2012: it starts some day in 2010 and ends some day in 2012.
    assert_eq!(truth_of(&ds, "c", "2009-12-31"), Some(Truth::Not));
    assert_eq!(truth_of(&ds, "c", "2010-01-01"), Some(Truth::Possibly));
    assert_eq!(truth_of(&ds, "c", "2010-12-31"), Some(Truth::Definitely));
    assert_eq!(truth_of(&ds, "c", "2011"), Some(Truth::Definitely));
    assert_eq!(truth_of(&ds, "c", "2012-01-01"), Some(Truth::Definitely));
    assert_eq!(truth_of(&ds, "c", "2012-01-02"), Some(Truth::Possibly));
    assert_eq!(truth_of(&ds, "c", "2012-12-31"), Some(Truth::Possibly));
    assert_eq!(truth_of(&ds, "c", "2013-01-01"), Some(Truth::Not));
    // A whole year as the question is only definite when the span covers it all.
    assert_eq!(truth_of(&ds, "c", "2010"), Some(Truth::Possibly));
}

#[test]
fn approximate_and_uncertain_ends_widen_by_one_unit() {
    let ds = ds();
    // d is 2011~/2013?: it may start from 2010 to 2012 and end from 2012 to 2014.
    assert_eq!(truth_of(&ds, "d", "2009-12-31"), Some(Truth::Not));
    assert_eq!(truth_of(&ds, "d", "2010-06"), Some(Truth::Possibly));
    assert_eq!(truth_of(&ds, "d", "2011-06"), Some(Truth::Possibly));
    assert_eq!(truth_of(&ds, "d", "2012-12-31"), Some(Truth::Possibly));
    assert_eq!(truth_of(&ds, "d", "2014-12-31"), Some(Truth::Possibly));
    assert_eq!(truth_of(&ds, "d", "2015-01-01"), Some(Truth::Not));
}

#[test]
fn open_and_unknown_ends() {
    let ds = ds();
    // e is 2014/.. (still going); lone is 2020/ (end unknown).
    assert_eq!(truth_of(&ds, "e", "2090"), Some(Truth::Definitely));
    assert_eq!(truth_of(&ds, "lone", "2021"), Some(Truth::Possibly));
    assert_eq!(truth_of(&ds, "lone", "2019"), Some(Truth::Not));
}

#[test]
fn active_lists_definitely_and_possibly_and_never_proposals() {
    let ds = ds();
    let mechanisms = ["mechanism".to_string()];
    let a = active(&ds, "2011-06", &mechanisms).unwrap();
    assert_eq!(ids(&a.definitely), ["c"]);
    assert_eq!(ids(&a.possibly), ["d"]);
    // The proposal is dated 2015, but it never existed.
    let a = active(&ds, "2015", &[]).unwrap();
    assert!(!ids(&a.definitely).contains(&"idea".to_string()));
    assert!(!ids(&a.possibly).contains(&"idea".to_string()));
    assert_eq!(truth_of(&ds, "idea", "2015"), Some(Truth::Not));
    // Undated entities are counted, not guessed.
    assert_eq!(a.undated, 1);
    assert_eq!(truth_of(&ds, "bureau", "2015"), None);
    // Kinds filter, and an unknown kind is an error.
    let a = active(&ds, "2000-06-01", &["summit".into()]).unwrap();
    assert_eq!(ids(&a.definitely), ["summit-2000"]);
    assert!(matches!(
        active(&ds, "2000", &["sumit".into()]),
        Err(QueryError::UnknownTerm { suggestion: Some(s), .. }) if s == "summit"
    ));
}

fn hop_ids(p: &query::Path) -> Vec<String> {
    let mut v = vec![p.hops[0].from.id.to_string()];
    v.extend(p.hops.iter().map(|h| h.to.id.to_string()));
    v
}

#[test]
fn paths_exist_only_at_some_dates() {
    let ds = ds();
    let at = |d: &str| PathOptions {
        at: Some(date(d)),
        ..PathOptions::default()
    };
    // No date: the two-hop path through the office.
    let p = path(&ds, "p", "q", &PathOptions::default()).unwrap();
    assert_eq!(hop_ids(&p.paths[0]), ["p", "office", "q"]);
    assert_eq!(p.paths[0].truth, None);
    // January 2012: both certainly worked at the office (q had started by
    // the end of 2011; p left no earlier than June 2012).
    let p = path(&ds, "p", "q", &at("2012-01")).unwrap();
    assert_eq!(hop_ids(&p.paths[0]), ["p", "office", "q"]);
    assert_eq!(p.paths[0].truth, Some(Truth::Definitely));
    // Mid-2011: q may not have started yet.
    let p = path(&ds, "p", "q", &at("2011-06")).unwrap();
    assert_eq!(hop_ids(&p.paths[0]), ["p", "office", "q"]);
    assert_eq!(p.paths[0].truth, Some(Truth::Possibly));
    // 2009: q was not at the office yet, and the only other way round runs
    // through mechanism `a`, which ended in 2004: no connection then.
    let p = path(&ds, "p", "q", &at("2009")).unwrap();
    assert!(p.paths.is_empty());
    // In 2003 `a` existed, but p had not yet joined the office: still none.
    assert!(path(&ds, "p", "q", &at("2003")).unwrap().paths.is_empty());
    // Avoiding the office, the way round goes through `a` and the bureau.
    let avoid = PathOptions {
        avoid: vec!["office".into()],
        ..PathOptions::default()
    };
    // Avoiding an end would answer another question: refused.
    assert_eq!(
        path(&ds, "office", "q", &avoid).unwrap_err(),
        QueryError::AvoidsAnEnd {
            id: "office".into()
        }
    );
    let p = path(&ds, "a", "q", &PathOptions::default()).unwrap();
    assert_eq!(hop_ids(&p.paths[0]), ["a", "bureau", "q"]);
    // Relations are travelled backwards too, and say so.
    let reads: Vec<(bool, &str)> = p.paths[0]
        .hops
        .iter()
        .map(|h| (h.forward, h.reads))
        .collect();
    assert_eq!(reads, [(false, "joined by"), (false, "employs")]);
    // At a date, a hop is no more certain than its ends: the bureau has no
    // date, so even while `a` certainly existed the hop is only possible.
    let p = path(&ds, "a", "q", &at("2002")).unwrap();
    assert_eq!(p.paths[0].hops[0].truth, Some(Truth::Possibly));
    // Something that never existed cannot be passed through at any date.
    assert!(path(&ds, "p", "idea", &at("2015"))
        .unwrap()
        .paths
        .is_empty());
}

#[test]
fn paths_can_be_steered_listed_and_absent() {
    let ds = ds();
    let opts = |f: &dyn Fn(&mut PathOptions)| {
        let mut o = PathOptions::default();
        f(&mut o);
        o
    };
    let p = path(&ds, "p", "q", &opts(&|o| o.avoid = vec!["office".into()])).unwrap();
    assert!(hop_ids(&p.paths[0]).iter().all(|id| id != "office"));
    let p = path(&ds, "p", "q", &opts(&|o| o.via = vec!["mechanism".into()])).unwrap();
    assert_eq!(hop_ids(&p.paths[0]), ["p", "office", "a", "bureau", "q"]);
    let p = path(
        &ds,
        "p",
        "q",
        &opts(&|o| {
            o.all = true;
            o.max_hops = 4;
        }),
    )
    .unwrap();
    let lengths: Vec<usize> = p.paths.iter().map(|p| p.hops.len()).collect();
    assert_eq!(lengths[0], 2);
    assert!(
        lengths.windows(2).all(|w| w[0] <= w[1]),
        "shortest first: {lengths:?}"
    );
    assert!(p.paths.len() >= 2);
    // No connection at all.
    let p = path(&ds, "lone", "p", &PathOptions::default()).unwrap();
    assert!(p.paths.is_empty());
    // Unknown ids are errors with a suggestion.
    assert!(matches!(
        path(&ds, "p", "offic", &PathOptions::default()),
        Err(QueryError::UnknownEntity { suggestion: Some(s), .. }) if s == "office"
    ));
}

#[test]
fn neighbors_respect_depth_relation_and_direction() {
    let ds = ds();
    let n = |depth, rels: &[&str], dir| {
        neighbors(
            &ds,
            "b",
            &query::NeighborOptions {
                depth,
                relations: rels.iter().map(|s| s.to_string()).collect(),
                direction: dir,
                ..Default::default()
            },
        )
        .unwrap()
    };
    let ids = |x: &query::Neighborhood| -> Vec<String> {
        x.neighbors
            .iter()
            .map(|n| n.entity.id.to_string())
            .collect()
    };
    use query::Towards::*;
    assert_eq!(ids(&n(1, &[], Both)), ["a", "c", "crisis-2009", "d"]);
    assert_eq!(ids(&n(1, &[], Out)), ["a", "crisis-2009"]);
    assert_eq!(ids(&n(1, &["follows"], In)), ["c", "d"]);
    let two = n(2, &["follows"], Both);
    assert_eq!(ids(&two), ["a", "c", "d", "e"]);
    assert_eq!(
        two.neighbors
            .iter()
            .find(|x| x.entity.id == "e")
            .unwrap()
            .distance,
        2
    );
}

#[test]
fn timeline_orders_partial_dates_and_filters() {
    let ds = ds();
    let t = timeline(
        &ds,
        &TimelineOptions {
            kinds: vec!["mechanism".into(), "summit".into(), "event".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let dates: Vec<&str> = t.entries.iter().map(|e| e.date().as_str()).collect();
    // The year 2000 (a relation) before 2000/2004 (a span starting then)
    // before 2000-06-01; uncertain 2011~/2013? where its earliest start puts it.
    assert_eq!(&dates[..4], ["2000", "2000/2004", "2000-06-01", "2005"]);
    // 2011~ may start as early as 2010-01-01, like 2010/2012, but may start
    // later, so it comes second; both come before the plain year 2011.
    let pos = |d: &str| dates.iter().position(|x| *x == d).unwrap();
    assert!(pos("2010/2012") < pos("2011~/2013?"), "{dates:?}");
    assert!(pos("2011~/2013?") < pos("2011"), "{dates:?}");
    let t = timeline(
        &ds,
        &TimelineOptions {
            from: Some(date("2009")),
            to: Some(date("2010")),
            ..Default::default()
        },
    )
    .unwrap();
    let dates: Vec<&str> = t.entries.iter().map(|e| e.date().as_str()).collect();
    // Spans that began long before and are still going overlap it too.
    assert_eq!(
        dates,
        [
            "1970/..",
            "1970/..",
            "2000/..",
            "2005/2009",
            "2008/2012-06",
            "2009",
            "2009-03",
            "2010",
            "2010/2012",
            "2011~/2013?"
        ]
    );
    let t = timeline(
        &ds,
        &TimelineOptions {
            about: Some("a".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(t.entries.iter().all(|e| match e {
        query::Entry::Entity { entity, .. } =>
            ["a", "b", "summit-2000", "office"].contains(&entity.id),
        query::Entry::Relation { fact, .. } => fact.from == "a" || fact.to == "a",
    }));
}

#[test]
fn diff_separates_beginnings_endings_and_happenings() {
    let ds = ds();
    let d = diff(&ds, "2004", "2011").unwrap();
    let of = |v: &[query::Change]| -> Vec<(String, Truth)> {
        v.iter()
            .map(|c| (c.entity.id.to_string(), c.truth))
            .collect()
    };
    assert_eq!(
        of(&d.began),
        [
            ("c".into(), Truth::Definitely),
            ("d".into(), Truth::Possibly)
        ]
    );
    assert_eq!(of(&d.ended), [("a".into(), Truth::Possibly)]);
    assert_eq!(
        of(&d.between),
        [
            ("b".into(), Truth::Definitely),
            ("crisis-2009".into(), Truth::Definitely)
        ]
    );
    assert_eq!(d.events.len(), 1);
    assert_eq!(d.events[0].kind, "halted_by");
    assert!(matches!(
        diff(&ds, "2011", "2004"),
        Err(QueryError::DatesOutOfOrder { .. })
    ));
}

#[test]
fn claims_and_the_as_claimed_by_view() {
    let ds = ds();
    let c = claims(
        &ds,
        &ClaimFilter {
            by: Some("p".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(c.claims.len(), 1);
    assert_eq!(c.claims[0].to, "e");
    let c = claims(
        &ds,
        &ClaimFilter {
            by: Some("q".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(c.claims.is_empty());
    // As q sees it, p's prediction is not there; the record is.
    let view = query::as_claimed_by(&ds, "q").unwrap();
    assert_eq!(view.relations().count(), ds.relations().count() - 1);
    let view = query::as_claimed_by(&ds, "p").unwrap();
    assert_eq!(view.relations().count(), ds.relations().count());
}

#[test]
fn compare_aligns_shared_items() {
    let ds = ds();
    let c = query::compare(&ds, "c", "d").unwrap();
    let row = c.rows.iter().find(|r| r.field == "predecessors").unwrap();
    assert!(row.same);
    assert_eq!(row.both[0].id, Some("b"));
    let row = c.rows.iter().find(|r| r.field == "period").unwrap();
    assert!(!row.same);
}

#[test]
fn stats_rank_by_degree_and_betweenness() {
    let ds = ds();
    let s = query::stats(&ds, 3);
    assert_eq!(s.entities, 13);
    assert_eq!(s.by_stance["prediction"], 1);
    // a sits between the lineage and the two bodies: the most central.
    assert_eq!(s.betweenness[0].id, "a");
    assert!(s.degree[0].score >= s.degree[1].score);
}
