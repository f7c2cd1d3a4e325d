//! In-process benchmarks (divan): loading, every query, every diagram
//! view (the scene and its DOT, without Graphviz) and every export format,
//! on generated corpora of 1k and 10k entities, and 100k with
//! `DETENTE_BENCH_100K=1`:
//!
//! ```sh
//! cargo bench --bench perf                        # 1k and 10k
//! DETENTE_BENCH_100K=1 cargo bench --bench perf   # and 100k
//! cargo bench --bench perf -- query               # only the queries
//! ```
//!
//! Corpora are generated (seed 1) under `target/corpus/N` when missing,
//! exactly as `cargo run --release --example corpus -- N target/corpus/N`
//! writes them. Each dataset is loaded once per size and shared by the
//! query, view and export benchmarks, which therefore time the answer
//! alone, not the load. See `docs/performance.md`.

#[path = "corpus/mod.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use detente::query::{
    self, LineageOptions, NeighborOptions, NetworkOptions, PathOptions, SearchOptions,
    TimelineOptions,
};
use detente::{diagram, Dataset, Date};
use divan::{black_box, Bencher};

fn main() {
    let listed: Vec<&str> = detente::FORMATS.iter().map(|f| f.name()).collect();
    assert_eq!(
        export::BENCHED,
        listed.as_slice(),
        "benches/perf.rs must benchmark every export format detente lists"
    );
    divan::main();
}

/// The corpus sizes benchmarked.
fn sizes() -> Vec<usize> {
    let mut s = vec![1_000, 10_000];
    if std::env::var_os("DETENTE_BENCH_100K").is_some() {
        s.push(100_000);
    }
    s
}

/// The directory of the corpus of `n` entities, generated if missing.
fn corpus_dir(n: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/corpus")
        .join(n.to_string());
    if !dir.join("ontology.yaml").exists() {
        corpus::write(&dir, n, 1).expect("write the corpus");
    }
    dir
}

/// A loaded corpus and the entities the questions are about.
struct Loaded {
    ds: Dataset,
    /// The last mechanism in id order that has a predecessor or successor.
    mechanism: String,
    /// The first person in id order.
    person: String,
    /// The claimant of the first claim, in the order written.
    claimant: String,
}

fn loaded(n: usize) -> &'static Loaded {
    static CACHE: OnceLock<Mutex<BTreeMap<usize, &'static Loaded>>> = OnceLock::new();
    let mut map = CACHE.get_or_init(Default::default).lock().unwrap();
    map.entry(n).or_insert_with(|| {
        let files = detente::read_dir(&corpus_dir(n)).expect("corpus is readable");
        let ds = detente::load(&files).expect("corpus is valid");
        let mechanism = ds
            .entities()
            .filter(|e| e.kind == "mechanism")
            .filter(|e| query::lineage(&ds, &e.id).is_ok_and(|l| l.links.len() > 1))
            .last()
            .expect("a mechanism in a lineage")
            .id
            .to_string();
        let person = ds
            .entities()
            .find(|e| e.kind == "person")
            .expect("a person")
            .id
            .to_string();
        let claimant = ds
            .relations()
            .find_map(|(_, _, r)| r.claimed_by.as_ref().map(|c| c.to_string()))
            .expect("a claim");
        Box::leak(Box::new(Loaded {
            ds,
            mechanism,
            person,
            claimant,
        }))
    })
}

mod load {
    use super::*;

    /// Reading and loading a corpus: the files, every check, the graph.
    #[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
    fn load(bencher: Bencher, n: usize) {
        let dir = corpus_dir(n);
        bencher.bench(|| {
            let files = detente::read_dir(&dir).unwrap();
            detente::load(&files).unwrap()
        });
    }
}

mod query_ {
    use super::*;

    #[divan::bench(args = sizes())]
    fn lineage(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = LineageOptions::default()
                .validate(&l.ds, &l.mechanism)
                .unwrap();
            black_box(query::lineage_with(&l.ds, &s).unwrap().links.len())
        });
    }

    #[divan::bench(args = sizes())]
    fn path(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = PathOptions::default()
                .validate(&l.ds, &l.person, &l.mechanism)
                .unwrap();
            black_box(query::path(&l.ds, &s).unwrap().paths.len())
        });
    }

    #[divan::bench(args = sizes())]
    fn neighbors(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = NeighborOptions::default()
                .validate(&l.ds, &l.mechanism)
                .unwrap();
            black_box(query::neighbors(&l.ds, &s).unwrap().neighbors.len())
        });
    }

    #[divan::bench(args = sizes())]
    fn active(bencher: Bencher, n: usize) {
        let l = loaded(n);
        let on = Date::parse("2016-06-01").unwrap();
        let s = query::ActiveOptions {
            date: on,
            kinds: Vec::new(),
        };
        bencher.bench(|| {
            let s = s.validate(&l.ds).unwrap();
            black_box(query::active(&l.ds, &s).definitely.len())
        });
    }

    /// The whole dataset's timeline: what is listed, in order, and every
    /// citation numbered. Its entries and numbered sources are made as
    /// they are read: `timeline_read` reads them all.
    #[divan::bench(args = sizes())]
    fn timeline(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = TimelineOptions::default().validate(&l.ds).unwrap();
            black_box(query::timeline(&l.ds, &s).unwrap().entries.len())
        });
    }

    /// The whole dataset's timeline read as printing it reads it: every
    /// entry as the dataset holds it (its date, its record, its labels and
    /// its citations' numbers, borrowed, nothing made) and every numbered
    /// source (each with its reference); the printing itself not included.
    #[divan::bench(args = sizes())]
    fn timeline_read(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = TimelineOptions::default().validate(&l.ds).unwrap();
            let t = query::timeline(&l.ds, &s).unwrap();
            let mut cited = 0;
            for e in t.entries.items() {
                black_box((e.date.human(), &e.what, e.labels(), e.hypothetical()));
                cited += e.citations().max().unwrap_or(0);
            }
            for s in t.sources.iter() {
                black_box(&s);
            }
            cited
        });
    }

    /// The whole dataset's timeline with every entry made into its answer
    /// ([`query::Entry`]: an entity in brief or a relation as a fact, each
    /// with its list of citation numbers), as its JSON makes them, and
    /// every numbered source made.
    #[divan::bench(args = sizes())]
    fn timeline_entries(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = TimelineOptions::default().validate(&l.ds).unwrap();
            let t = query::timeline(&l.ds, &s).unwrap();
            let mut cited = 0;
            for e in t.entries.iter() {
                cited += match black_box(&e) {
                    query::Entry::Entity { entity, .. } => entity.citations.len(),
                    query::Entry::Relation { fact, .. } => fact.citations.len(),
                };
            }
            for s in t.sources.iter() {
                black_box(&s);
            }
            cited
        });
    }

    /// The first timeline of a dataset: building the tables it keeps (every
    /// distinct citation numbered, every dated thing in date order), then
    /// the answer, as `timeline`.
    #[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
    fn timeline_first(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.with_inputs(|| l.ds.clone()).bench_values(|ds| {
            let s = TimelineOptions::default().validate(&ds).unwrap();
            let len = query::timeline(&ds, &s).unwrap().entries.len();
            (ds, len)
        });
    }

    /// `check`: the summary of a loaded dataset.
    #[divan::bench(args = sizes(), sample_count = 20)]
    fn check(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| black_box(query::summary(&l.ds, "corpus", 1)));
    }

    /// `list`: every entity.
    #[divan::bench(args = sizes(), sample_count = 20)]
    fn list(bencher: Bencher, n: usize) {
        let l = loaded(n);
        let s = query::Filter::default().validate(&l.ds).unwrap();
        bencher.bench(|| black_box(query::list(&l.ds, &s).len()));
    }

    /// `find a`: a look-up that matches most entities, and `find cyber`,
    /// one that matches few (every other name is scored as a near miss).
    #[divan::bench(args = sizes(), sample_count = 20)]
    fn find_a(bencher: Bencher, n: usize) {
        find(bencher, n, "a");
    }

    #[divan::bench(args = sizes(), sample_count = 20)]
    fn find_cyber(bencher: Bencher, n: usize) {
        find(bencher, n, "cyber");
    }

    fn find(bencher: Bencher, n: usize, text: &str) {
        let l = loaded(n);
        let s = query::FindOptions {
            text: text.into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        bencher.bench(|| black_box(query::find(&l.ds, &s).total));
    }

    /// `compare`: a person and a mechanism side by side.
    #[divan::bench(args = sizes())]
    fn compare(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            black_box(
                query::compare(&l.ds, &l.person, &l.mechanism)
                    .unwrap()
                    .rows
                    .len(),
            )
        });
    }

    /// `show`: one entity's card.
    #[divan::bench(args = sizes())]
    fn show(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| black_box(query::card(&l.ds, &l.mechanism).unwrap().groups.len()));
    }

    /// `claims --by`: what one voice claims.
    #[divan::bench(args = sizes())]
    fn claims_by(bencher: Bencher, n: usize) {
        let l = loaded(n);
        let f = query::ClaimFilter {
            by: Some(l.claimant.clone()),
            ..Default::default()
        };
        bencher.bench(|| {
            let s = f.validate(&l.ds).unwrap();
            black_box(query::claims(&l.ds, &s).claims.len())
        });
    }

    /// `claims`: every claim of the dataset.
    #[divan::bench(args = sizes(), sample_count = 20)]
    fn claims_all(bencher: Bencher, n: usize) {
        let l = loaded(n);
        let s = query::ClaimFilter::default().validate(&l.ds).unwrap();
        bencher.bench(|| black_box(query::claims(&l.ds, &s).claims.len()));
    }

    /// `diff 2015 2017`: what changed between two dates.
    #[divan::bench(args = sizes(), sample_count = 20)]
    fn diff(bencher: Bencher, n: usize) {
        let l = loaded(n);
        let s = query::DiffOptions {
            from: Date::parse("2015").unwrap(),
            to: Date::parse("2017").unwrap(),
        }
        .validate()
        .unwrap();
        bencher.bench(|| black_box(query::diff(&l.ds, &s).began.len()));
    }

    /// `stats`: counts and the most connected entities.
    #[divan::bench(args = sizes(), sample_count = 20)]
    fn stats(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| black_box(query::stats(&l.ds, 10)));
    }

    /// A search, checked.
    fn search_settings(text: &str) -> query::SearchSettings {
        SearchOptions {
            text: text.into(),
            limit: 20,
        }
        .validate()
        .unwrap()
    }

    /// Full-text search over every name, summary and quote, on a dataset
    /// searched before (its folded text already built).
    fn search(bencher: Bencher, n: usize, text: &str) {
        let l = loaded(n);
        let s = search_settings(text);
        black_box(query::search(&l.ds, &s).total);
        bencher.bench(|| black_box(query::search(&l.ds, &s).total));
    }

    /// Two words, each anywhere in an entity's texts.
    #[divan::bench(args = sizes())]
    fn search_words(bencher: Bencher, n: usize) {
        search(bencher, n, "cyber dialogue");
    }

    /// A quoted phrase.
    #[divan::bench(args = sizes())]
    fn search_phrase(bencher: Bencher, n: usize) {
        search(bencher, n, r#""norms of state behaviour""#);
    }

    /// A Chinese name in simplified characters, found in traditional ones too.
    #[divan::bench(args = sizes())]
    fn search_chinese(bencher: Bencher, n: usize) {
        search(bencher, n, "国际机制");
    }

    /// The first search of a dataset: folding all its text into the
    /// index, then the search. What a one-shot `detente search` pays.
    #[divan::bench(args = sizes(), sample_count = 10, sample_size = 1)]
    fn search_first(bencher: Bencher, n: usize) {
        let l = loaded(n);
        let s = search_settings("cyber dialogue");
        bencher.with_inputs(|| l.ds.clone()).bench_values(|ds| {
            let total = query::search(&ds, &s).total;
            (ds, total)
        });
    }
}

/// Each diagram view: the scene and its DOT text (Graphviz not included).
mod view {
    use super::*;

    fn opts() -> diagram::DiagramOptions {
        diagram::DiagramOptions {
            size: diagram::Size::Poster,
            ..Default::default()
        }
    }

    #[divan::bench(args = sizes())]
    fn lineage(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = LineageOptions::default()
                .validate(&l.ds, &l.mechanism)
                .unwrap();
            let scene = diagram::lineage(&l.ds, &s, &opts()).unwrap();
            diagram::to_dot(&diagram::Scene::Graph(scene))
        });
    }

    #[divan::bench(args = sizes())]
    fn ego(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = NeighborOptions::default()
                .validate(&l.ds, &l.mechanism)
                .unwrap();
            let scene = diagram::ego(&l.ds, &s, &opts()).unwrap();
            diagram::to_dot(&diagram::Scene::Graph(scene))
        });
    }

    /// The network of one kind: the whole graph would be a picture no
    /// one can read, at any size.
    #[divan::bench(args = sizes(), sample_count = 10)]
    fn network(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = NetworkOptions {
                kinds: vec!["mechanism".into()],
                ..Default::default()
            }
            .validate(&l.ds)
            .unwrap();
            let scene = diagram::network(&l.ds, &s, &opts()).unwrap();
            diagram::to_dot(&diagram::Scene::Graph(scene))
        });
    }

    #[divan::bench(args = sizes(), sample_count = 10)]
    fn timeline(bencher: Bencher, n: usize) {
        let l = loaded(n);
        bencher.bench(|| {
            let s = TimelineOptions::default().validate(&l.ds).unwrap();
            let scene = diagram::timeline(&l.ds, &s, &opts()).unwrap();
            diagram::to_dot(&diagram::Scene::Timeline(scene))
        });
    }
}

/// Each export format, of the whole dataset.
mod export {
    use super::*;

    macro_rules! formats {
        ($($f:ident = $name:literal),* $(,)?) => {
            /// The formats benchmarked, checked against the list at start.
            pub(super) const BENCHED: &[&str] = &[$($name),*];
            $(
                #[divan::bench(args = sizes(), sample_count = 5, sample_size = 1)]
                fn $f(bencher: Bencher, n: usize) {
                    let l = loaded(n);
                    let f = detente::exporter($name).expect("a format detente lists");
                    bencher.bench(|| f.export(&l.ds));
                }
            )*
        };
    }

    formats! {
        json = "json",
        csv = "csv",
        graphml = "graphml",
        gexf = "gexf",
        turtle = "turtle",
        neo4j = "neo4j",
        timelinejs = "timelinejs",
        bibtex = "bibtex",
        csl_json = "csl-json",
        schema = "schema",
    }
}
