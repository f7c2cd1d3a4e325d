//! Every query as a library call, on the bundled dataset. Each answer is a
//! plain value you can inspect or serialise; nothing here prints for you.
//!
//! Run with `cargo run --example queries`.

use detente::query::{
    self, ActiveOptions, ClaimFilter, DiffOptions, ExplainOptions, NeighborOptions, PathOptions,
    TimelineOptions,
};
use detente::Date;
use detente::{builtin_files, load};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ds = load(&builtin_files()).map_err(|p| format!("{} problems in the data", p.len()))?;

    // The chain the Law Enforcement and Cybersecurity Dialogue belongs to.
    let chain = query::lineage(&ds, "lecd")?;
    let names: Vec<&str> = chain.links.iter().map(|l| l.entity.label).collect();
    println!("lineage: {}", names.join(" → "));

    // How the CAC and DHS connect, and whose word that rests on.
    let path = query::path(&ds, &PathOptions::default().validate(&ds, "cac", "dhs")?)?;
    for hop in &path.paths[0].hops {
        let who = hop.fact.claimed_by.unwrap_or("the record");
        println!(
            "path: {} {} {} ({}, {who})",
            hop.from.id,
            hop.reads,
            hop.to.id,
            hop.fact.stance.as_str()
        );
    }

    // What existed on 1 June 2016, three-valued.
    let on = Date::parse("2016-06-01")?;
    let active = query::active(
        &ds,
        &ActiveOptions {
            date: on.clone(),
            kinds: Vec::new(),
        }
        .validate(&ds)?,
    );
    println!(
        "active on {}: {} definitely, {} possibly, {} undated",
        on,
        active.definitely.len(),
        active.possibly.len(),
        active.undated
    );
    let why = ExplainOptions {
        date: on,
        id: "hljd".into(),
    };
    println!("why: {}", query::explain(&ds, &why.validate(&ds)?)?.reason);

    // The dated record touching the HLJD.
    let timeline = query::timeline(
        &ds,
        &TimelineOptions {
            about: Some("hljd".into()),
            ..Default::default()
        }
        .validate(&ds)?,
    )?;
    println!("timeline about hljd: {} entries", timeline.entries.len());

    // What changed between 2016 and 2018.
    let between = DiffOptions {
        from: Date::parse("2016")?,
        to: Date::parse("2018")?,
    };
    let diff = query::diff(&ds, &between.validate()?);
    println!(
        "2016→2018: {} began, {} ended",
        diff.began.len(),
        diff.ended.len()
    );

    // The ego network, side-by-side comparison, claims and statistics.
    let ego = query::neighbors(&ds, &NeighborOptions::default().validate(&ds, "hljd")?)?;
    println!("hljd has {} neighbours", ego.neighbors.len());
    let cmp = query::compare(&ds, "hljd", "lecd")?;
    let differ: Vec<&str> = cmp
        .rows
        .iter()
        .filter(|r| !r.same)
        .map(|r| r.label.as_str())
        .collect();
    println!("hljd and lecd differ in: {}", differ.join(", "));
    let claims = query::claims(
        &ds,
        &ClaimFilter {
            by: Some("shen-yi".into()),
            ..Default::default()
        }
        .validate(&ds)?,
    );
    println!("Shen Yi makes {} claims", claims.claims.len());
    let stats = query::stats(&ds, 3);
    println!("most central: {}", stats.betweenness[0].id);

    // Any query as one source tells it.
    let siis = query::as_claimed_by(&ds, "siis-report")?;
    println!(
        "lineage as the SIIS report tells it: {} links",
        query::lineage(&siis, "lecd")?.links.len()
    );
    Ok(())
}
