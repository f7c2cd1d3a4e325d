//! Arguments, dispatch and exit codes. This is the only place that knows
//! about clap, stdout and terminals; the library gets plain values.
//!
//! Exit codes: 0 success (and a closed pipe), 1 invalid data or an unknown
//! id, 2 a usage or I/O error.

mod answers;
mod report;
mod text;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use detente::load::{self, SourceFile};
use detente::model::entity::Stance;
use detente::query::{
    self, ClaimFilter, Filter, NeighborOptions, PathOptions, QueryError, TimelineOptions, Towards,
};
use detente::Date;

/// A time-aware knowledge graph of diplomatic dialogue mechanisms, with every
/// fact cited. Without --data it answers from the bundled China–U.S. cyber
/// dataset.
#[derive(Debug, Parser)]
#[command(name = "detente", version, about, max_term_width = 100)]
struct Args {
    /// Dataset directory (default: the bundled dataset).
    #[arg(long, global = true, env = "DETENTE_DATA", value_name = "DIR")]
    data: Option<PathBuf>,

    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Answer from the plain record plus what this person, body or document
    /// claims (its own documents and authors count as its voice).
    #[arg(long, global = true, value_name = "ID")]
    as_claimed_by: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a dataset and summarise it; report every problem with its place.
    Check,
    /// Show an entity: names, dates, summary, relations and numbered sources.
    Show {
        /// The entity's id (try `detente find` to look one up).
        id: String,
    },
    /// List entities, optionally of some kinds or sides.
    List {
        /// Only this kind (repeatable).
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<String>,
        /// Only this side (repeatable).
        #[arg(long = "side", value_name = "SIDE")]
        sides: Vec<String>,
    },
    /// Find entities by name, alias or name in another language.
    Find {
        /// Text to look for; case, accents and punctuation are ignored.
        text: String,
        /// At most this many results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// The chain of a mechanism through lineage relations, in time order.
    Lineage {
        /// A member of the chain.
        id: String,
    },
    /// How two entities connect, hop by hop, with dates and sources.
    Path {
        /// Where to start.
        from: String,
        /// Where to end.
        to: String,
        /// Use only relations that may hold on this date (EDTF).
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        at: Option<Date>,
        /// List every path up to --max-hops, shortest first.
        #[arg(long)]
        all: bool,
        /// Longest path listed with --all.
        #[arg(long, default_value_t = 4, value_name = "N")]
        max_hops: usize,
        /// At most this many paths with --all.
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        /// Pass through an entity of this kind (repeatable: any of them).
        #[arg(long, value_name = "KIND")]
        via: Vec<String>,
        /// Do not pass through this entity (repeatable).
        #[arg(long, value_name = "ID")]
        avoid: Vec<String>,
    },
    /// The ego network of an entity.
    Neighbors {
        /// The entity at the centre.
        id: String,
        /// How many relations away.
        #[arg(long, default_value_t = 1, value_name = "N")]
        depth: usize,
        /// Follow only this relation type (repeatable).
        #[arg(long = "rel", value_name = "TYPE")]
        relations: Vec<String>,
        /// Follow relations written outwards, inwards, or both.
        #[arg(long, value_enum, default_value_t = DirectionArg::Both)]
        direction: DirectionArg,
    },
    /// What existed on a date: definitely, possibly.
    Active {
        /// The date (EDTF: 2016, 2016-06, 2016-06-01, …).
        #[arg(value_parser = date_arg)]
        date: Date,
        /// Only this kind (repeatable).
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<String>,
        /// Say why this entity is or is not active on the date.
        #[arg(long, value_name = "ID")]
        explain: Option<String>,
    },
    /// Dated entities and relations in chronological order.
    Timeline {
        /// From this date (EDTF).
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        from: Option<Date>,
        /// Up to this date (EDTF).
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        to: Option<Date>,
        /// Only this kind (repeatable).
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<String>,
        /// Only this side (repeatable).
        #[arg(long = "side", value_name = "SIDE")]
        sides: Vec<String>,
        /// Only this entity, what touches it, and what it touches.
        #[arg(long, value_name = "ID")]
        about: Option<String>,
    },
    /// What began, ended or happened between two dates.
    Diff {
        /// The earlier date (EDTF).
        #[arg(value_parser = date_arg)]
        from: Date,
        /// The later date (EDTF).
        #[arg(value_parser = date_arg)]
        to: Date,
    },
    /// Two entities side by side.
    Compare {
        /// The first entity.
        a: String,
        /// The second entity.
        b: String,
    },
    /// Statements by who made them and their stance.
    Claims {
        /// Made by this person, body or document.
        #[arg(long, value_name = "ID")]
        by: Option<String>,
        /// Only this stance (repeatable).
        #[arg(long, value_enum)]
        stance: Vec<StanceArg>,
        /// Touching this entity.
        #[arg(long, value_name = "ID")]
        about: Option<String>,
    },
    /// Counts, and the most connected and most central entities.
    Stats {
        /// How many entities to rank.
        #[arg(long, default_value_t = 10, value_name = "N")]
        top: usize,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DirectionArg {
    In,
    Out,
    Both,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StanceArg {
    Record,
    Assertion,
    Prediction,
    Recommendation,
}

impl From<StanceArg> for Stance {
    fn from(s: StanceArg) -> Stance {
        match s {
            StanceArg::Record => Stance::Record,
            StanceArg::Assertion => Stance::Assertion,
            StanceArg::Prediction => Stance::Prediction,
            StanceArg::Recommendation => Stance::Recommendation,
        }
    }
}

/// Dates on the command line are EDTF, like dates in the data.
fn date_arg(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|e| {
        format!("{e}; write EDTF such as 2016, 2016-06, 2016-06-01, 2015-12/2016-12 or 2018~")
    })
}

/// How a run ends.
enum Failure {
    /// Invalid data, already reported problem by problem: exit 1.
    Reported,
    /// Anything else, reported by `main` as text on stderr and, with
    /// `--format json`, also as `{"ok": false, "error": …}` on stdout.
    Error {
        /// 1 for an unknown id or term, 2 for usage or I/O.
        exit: u8,
        /// A stable name for the kind of error.
        code: &'static str,
        message: String,
        help: Option<String>,
    },
}

impl From<QueryError> for Failure {
    fn from(e: QueryError) -> Failure {
        let (exit, code, help) = match &e {
            QueryError::UnknownEntity { .. } => (
                1,
                "unknown-entity",
                Some(
                    "`detente find TEXT` searches names and aliases; `detente list` shows every id",
                ),
            ),
            QueryError::UnknownTerm { .. } => (1, "unknown-term", None),
            QueryError::DatesOutOfOrder { .. } => (2, "dates-out-of-order", None),
        };
        Failure::Error {
            exit,
            code,
            message: e.to_string(),
            help: help.map(str::to_string),
        }
    }
}

pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let mut out = Vec::new();
    let result = run(&args, &mut out);
    if let Err(Failure::Error {
        code,
        message,
        help,
        ..
    }) = &result
    {
        eprintln!("error: {message}");
        if let Some(h) = help {
            eprintln!("  help: {h}");
        }
        if args.format == Format::Json {
            out.clear();
            json(
                &mut out,
                &serde_json::json!({ "ok": false, "error": { "code": code, "message": message, "help": help } }),
            );
        }
    }
    // Print what was produced, even on failure (e.g. JSON problem reports);
    // a reader that closed the pipe early is not an error.
    let mut stdout = io::stdout().lock();
    if let Err(e) = stdout.write_all(&out).and_then(|()| stdout.flush()) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {e}");
            return ExitCode::from(2);
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::from(1),
        Err(Failure::Error { exit, .. }) => ExitCode::from(exit),
    }
}

fn run(args: &Args, out: &mut Vec<u8>) -> Result<(), Failure> {
    let (files, origin) = match &args.data {
        Some(dir) => match load::read_dir(dir) {
            Ok(files) => (files, dir.display().to_string()),
            Err(e) => {
                let (code, help) = match e {
                    load::ReadError::NotADataset { .. } => ("not-a-dataset", Some("point --data at a directory with `ontology.yaml`, or leave it out to use the bundled dataset".to_string())),
                    load::ReadError::Io { .. } => ("io", None),
                };
                return Err(Failure::Error {
                    exit: 2,
                    code,
                    message: e.to_string(),
                    help,
                });
            }
        },
        None => (load::builtin_files(), "bundled dataset".to_string()),
    };
    let ds = match load::load(&files) {
        Ok(ds) => ds,
        Err(problems) => {
            report_problems(args.format, &files, &problems, out);
            return Err(Failure::Reported);
        }
    };
    let ds = match &args.as_claimed_by {
        Some(id) => query::as_claimed_by(&ds, id)?,
        None => ds,
    };
    match &args.command {
        Command::Check => {
            let summary = query::summary(&ds, &origin, files.len());
            match args.format {
                Format::Text => text::check(out, &ds, &summary),
                Format::Json => json(out, &summary),
            }
            Ok(())
        }
        Command::Show { id } => {
            let card = query::card(&ds, id)?;
            match args.format {
                Format::Text => text::card(out, &ds, &card),
                Format::Json => json(out, &card),
            }
            Ok(())
        }
        Command::List { kinds, sides } => {
            let filter = Filter {
                kinds: kinds.clone(),
                sides: sides.clone(),
            };
            let entities = query::list(&ds, &filter)?;
            match args.format {
                Format::Text => text::list(out, &entities),
                Format::Json => json(out, &entities),
            }
            Ok(())
        }
        Command::Find { text: q, limit } => {
            let matches = query::find(&ds, q, *limit);
            match args.format {
                Format::Text => text::find(out, q, &matches),
                Format::Json => json(out, &matches),
            }
            Ok(())
        }
        Command::Lineage { id } => {
            let l = query::lineage(&ds, id)?;
            emit(args.format, out, &l, answers::lineage);
            Ok(())
        }
        Command::Path {
            from,
            to,
            at,
            all,
            max_hops,
            limit,
            via,
            avoid,
        } => {
            let opts = PathOptions {
                at: at.clone(),
                all: *all,
                max_hops: *max_hops,
                limit: *limit,
                via: via.clone(),
                avoid: avoid.clone(),
            };
            let p = query::path(&ds, from, to, &opts)?;
            emit(args.format, out, &p, answers::paths);
            Ok(())
        }
        Command::Neighbors {
            id,
            depth,
            relations,
            direction,
        } => {
            let opts = NeighborOptions {
                depth: *depth,
                relations: relations.clone(),
                direction: match direction {
                    DirectionArg::In => Towards::In,
                    DirectionArg::Out => Towards::Out,
                    DirectionArg::Both => Towards::Both,
                },
            };
            let n = query::neighbors(&ds, id, &opts)?;
            emit(args.format, out, &n, answers::neighbors);
            Ok(())
        }
        Command::Active {
            date,
            kinds,
            explain,
        } => {
            if let Some(id) = explain {
                let e = query::explain(&ds, date, id)?;
                emit(args.format, out, &e, answers::explanation);
            } else {
                let a = query::active(&ds, date, kinds)?;
                emit(args.format, out, &a, answers::active);
            }
            Ok(())
        }
        Command::Timeline {
            from,
            to,
            kinds,
            sides,
            about,
        } => {
            let opts = TimelineOptions {
                from: from.clone(),
                to: to.clone(),
                kinds: kinds.clone(),
                sides: sides.clone(),
                about: about.clone(),
            };
            let t = query::timeline(&ds, &opts)?;
            emit(args.format, out, &t, answers::timeline);
            Ok(())
        }
        Command::Diff { from, to } => {
            let d = query::diff(&ds, from, to)?;
            emit(args.format, out, &d, answers::diff);
            Ok(())
        }
        Command::Compare { a, b } => {
            let c = query::compare(&ds, a, b)?;
            emit(args.format, out, &c, answers::compare);
            Ok(())
        }
        Command::Claims { by, stance, about } => {
            let filter = ClaimFilter {
                by: by.clone(),
                stances: stance.iter().map(|&s| s.into()).collect(),
                about: about.clone(),
            };
            let c = query::claims(&ds, &filter)?;
            emit(args.format, out, &c, answers::claims);
            Ok(())
        }
        Command::Stats { top } => {
            let s = query::stats(&ds, *top);
            emit(args.format, out, &s, answers::stats);
            Ok(())
        }
    }
}

/// Text through `render`, or JSON.
fn emit<T: serde::Serialize>(
    format: Format,
    out: &mut Vec<u8>,
    value: &T,
    render: fn(&mut Vec<u8>, &T),
) {
    match format {
        Format::Text => render(out, value),
        Format::Json => json(out, value),
    }
}

fn json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Serialising our own types into memory cannot fail.
    serde_json::to_writer_pretty(&mut *out, value).expect("serialisable");
    out.push(b'\n');
}

fn report_problems(
    format: Format,
    files: &[SourceFile],
    problems: &[detente::Diagnostic],
    out: &mut Vec<u8>,
) {
    match format {
        Format::Json => {
            let items: Vec<_> = problems
                .iter()
                .map(|d| {
                    let mut v = serde_json::to_value(d).expect("serialisable");
                    v["message"] = d.problem.to_string().into();
                    v["help"] = d.help().into();
                    v
                })
                .collect();
            json(out, &serde_json::json!({ "ok": false, "problems": items }));
        }
        Format::Text => report::print(files, problems),
    }
}
