//! Arguments, dispatch and exit codes. This is the only place that knows
//! about clap, stdout and terminals; the library gets plain values.
//!
//! Exit codes: 0 success (and a closed pipe), 1 invalid data or an unknown
//! id, 2 a usage or I/O error.

mod answers;
mod diagram;
mod report;
mod text;

use std::io::{self, IsTerminal, Write};
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

    /// Output format: text or json for answers; dot, svg, png, pdf or
    /// mermaid for diagrams (default from -o's extension, else dot).
    #[arg(long, global = true, value_enum)]
    format: Option<FormatArg>,

    /// Answer from the plain record plus what this person, body or document
    /// claims (its own documents and authors count as its voice).
    #[arg(long, global = true, value_name = "ID")]
    as_claimed_by: Option<String>,

    #[command(subcommand)]
    command: Command,
}

/// Every value `--format` takes; which are allowed depends on the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Dot,
    Svg,
    Png,
    Pdf,
    Mermaid,
}

/// How answers are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        #[arg(long, default_value_t = 4, value_name = "N", requires = "all")]
        max_hops: usize,
        /// At most this many paths with --all.
        #[arg(long, default_value_t = 20, value_name = "N", requires = "all",
              value_parser = at_least_one)]
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
    /// Draw a diagram: a timeline, a lineage, the network, or one entity's
    /// neighbourhood, as DOT, SVG, PNG, PDF or Mermaid.
    Diagram {
        #[command(subcommand)]
        view: View,
        /// Write to this file (format from its extension: .dot .svg .png .pdf
        /// .mmd .md); without it, DOT or Mermaid goes to stdout.
        #[arg(short, long, global = true, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Link each entity to BASE followed by its id (SVG and Mermaid).
        #[arg(long, global = true, value_name = "URL")]
        link_base: Option<String>,
    },
    /// Counts, and the most connected and most central entities.
    Stats {
        /// How many entities to rank.
        #[arg(long, default_value_t = 10, value_name = "N")]
        top: usize,
    },
}

#[derive(Debug, Subcommand)]
enum View {
    /// Mechanisms as spans and summits, rounds and events as markers on a
    /// year axis, in lanes: China, joint and multilateral, United States.
    Timeline {
        /// From this year or date (EDTF).
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        from: Option<Date>,
        /// Up to this year or date (EDTF).
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        to: Option<Date>,
        /// Only this kind (repeatable; default mechanism, session, summit, event).
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<String>,
        /// Only this entity and what it is directly related to.
        #[arg(long, value_name = "ID")]
        about: Option<String>,
    },
    /// The chain of a mechanism, left to right, with founding summits,
    /// rounds and what suspended it.
    Lineage {
        /// A member of the chain.
        id: String,
    },
    /// The network, clustered by side.
    Network {
        /// Only this kind (repeatable).
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<String>,
        /// Only this relation type (repeatable).
        #[arg(long = "rel", value_name = "TYPE")]
        relations: Vec<String>,
        /// Only this side (repeatable).
        #[arg(long = "side", value_name = "SIDE")]
        sides: Vec<String>,
        /// Only what may have existed, and held, on this date (EDTF).
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        at: Option<Date>,
    },
    /// One entity and its neighbourhood.
    Ego {
        /// The entity at the centre.
        id: String,
        /// How many relations away.
        #[arg(long, default_value_t = 1, value_name = "N")]
        depth: usize,
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

/// A count that must be at least 1.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
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
            QueryError::TooLong { .. } => (2, "too-long", None),
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
        if args.format == Some(FormatArg::Json) {
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

/// The answer format `--format` asks for; diagram formats are refused.
fn answer_format(args: &Args) -> Result<Format, Failure> {
    match args.format {
        None | Some(FormatArg::Text) => Ok(Format::Text),
        Some(FormatArg::Json) => Ok(Format::Json),
        Some(f) => Err(Failure::Error {
            exit: 2,
            code: "usage",
            message: format!(
                "`--format {}` is for `detente diagram`; answers are `text` or `json`",
                format!("{f:?}").to_lowercase()
            ),
            help: None,
        }),
    }
}

fn run(args: &Args, out: &mut Vec<u8>) -> Result<(), Failure> {
    let format = match &args.command {
        Command::Diagram { .. } => Format::Text,
        _ => answer_format(args)?,
    };
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
            report_problems(format, &files, &problems, out);
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
            match format {
                Format::Text => text::check(out, &ds, &summary),
                Format::Json => json(out, &summary),
            }
            Ok(())
        }
        Command::Show { id } => {
            let card = query::card(&ds, id)?;
            match format {
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
            match format {
                Format::Text => text::list(out, &entities),
                Format::Json => json(out, &entities),
            }
            Ok(())
        }
        Command::Find { text: q, limit } => {
            let matches = query::find(&ds, q, *limit);
            match format {
                Format::Text => text::find(out, q, &matches),
                Format::Json => json(out, &matches),
            }
            Ok(())
        }
        Command::Lineage { id } => {
            let l = query::lineage(&ds, id)?;
            emit(format, out, &l, answers::lineage);
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
            emit(format, out, &p, answers::paths);
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
            emit(format, out, &n, answers::neighbors);
            Ok(())
        }
        Command::Active {
            date,
            kinds,
            explain,
        } => {
            if let Some(id) = explain {
                let e = query::explain(&ds, date, id)?;
                emit(format, out, &e, answers::explanation);
            } else {
                let a = query::active(&ds, date, kinds)?;
                emit(format, out, &a, answers::active);
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
            emit(format, out, &t, answers::timeline);
            Ok(())
        }
        Command::Diff { from, to } => {
            let d = query::diff(&ds, from, to)?;
            emit(format, out, &d, answers::diff);
            Ok(())
        }
        Command::Compare { a, b } => {
            let c = query::compare(&ds, a, b)?;
            emit(format, out, &c, answers::compare);
            Ok(())
        }
        Command::Claims { by, stance, about } => {
            let filter = ClaimFilter {
                by: by.clone(),
                stances: stance.iter().map(|&s| s.into()).collect(),
                about: about.clone(),
            };
            let c = query::claims(&ds, &filter)?;
            emit(format, out, &c, answers::claims);
            Ok(())
        }
        Command::Diagram {
            view,
            output,
            link_base,
        } => diagram(
            args,
            &ds,
            &origin,
            view,
            output.as_deref(),
            link_base.clone(),
            out,
        ),
        Command::Stats { top } => {
            let s = query::stats(&ds, *top);
            emit(format, out, &s, answers::stats);
            Ok(())
        }
    }
}

fn diagram(
    args: &Args,
    ds: &detente::Dataset,
    origin: &str,
    view: &View,
    output: Option<&std::path::Path>,
    link_base: Option<String>,
    out: &mut Vec<u8>,
) -> Result<(), Failure> {
    use detente::export::{self, DiagramOptions, NetworkOptions, Scene, TimelineDiagramOptions};
    let usage = |message: String| Failure::Error {
        exit: 2,
        code: "usage",
        message,
        help: None,
    };
    let kind = match (args.format, output) {
        (Some(FormatArg::Dot), _) => diagram::Kind::Dot,
        (Some(FormatArg::Svg), _) => diagram::Kind::Svg,
        (Some(FormatArg::Png), _) => diagram::Kind::Png,
        (Some(FormatArg::Pdf), _) => diagram::Kind::Pdf,
        (Some(FormatArg::Mermaid), Some(p)) if diagram::Kind::from_path(p) == Some(diagram::Kind::Markdown) => diagram::Kind::Markdown,
        (Some(FormatArg::Mermaid), _) => diagram::Kind::Mermaid,
        (Some(f @ (FormatArg::Text | FormatArg::Json)), _) => {
            return Err(usage(format!(
                "`--format {}` is for answers; diagrams are dot, svg, png, pdf or mermaid",
                format!("{f:?}").to_lowercase()
            )))
        }
        (None, Some(p)) => diagram::Kind::from_path(p).ok_or_else(|| {
            usage(format!(
                "cannot tell the format from `{}`: use .dot, .svg, .png, .pdf, .mmd or .md, or give --format",
                p.display()
            ))
        })?,
        (None, None) => diagram::Kind::Dot,
    };
    if output.is_none()
        && matches!(kind, diagram::Kind::Png | diagram::Kind::Pdf)
        && io::stdout().is_terminal()
    {
        return Err(usage(
            "PNG and PDF are binary: give -o FILE, or redirect the output".into(),
        ));
    }
    let opts = DiagramOptions {
        data: origin.to_string(),
        claimed_by: args.as_claimed_by.clone(),
        link_base,
    };
    let scene = match view {
        View::Timeline {
            from,
            to,
            kinds,
            about,
        } => Scene::Timeline(export::timeline(
            ds,
            &TimelineDiagramOptions {
                from: from.clone(),
                to: to.clone(),
                kinds: kinds.clone(),
                about: about.clone(),
            },
            &opts,
        )?),
        View::Lineage { id } => Scene::Graph(export::lineage(ds, id, &opts)?),
        View::Network {
            kinds,
            relations,
            sides,
            at,
        } => Scene::Graph(export::network(
            ds,
            &NetworkOptions {
                kinds: kinds.clone(),
                relations: relations.clone(),
                sides: sides.clone(),
                at: at.clone(),
            },
            &opts,
        )?),
        View::Ego { id, depth } => Scene::Graph(export::ego(ds, id, *depth, &opts)?),
    };
    let bytes = diagram::render(&scene, kind)?;
    match output {
        Some(p) => diagram::write_file(p, &bytes),
        None => {
            out.extend_from_slice(&bytes);
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
