//! Arguments, dispatch and exit codes. This is the only place that knows
//! about clap, stdout and terminals; the library gets plain values.
//!
//! Exit codes: 0 success (and a closed pipe), 1 invalid data or an unknown
//! id, 2 a usage or I/O error.

mod report;
mod text;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use detente::load::{self, SourceFile};
use detente::query::{self, Filter, QueryError};

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
}

/// How a run ends.
enum Failure {
    /// Invalid data or an unknown id: exit 1.
    Data,
    /// Usage or I/O: exit 2.
    Usage,
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
        Err(Failure::Data) => ExitCode::from(1),
        Err(Failure::Usage) => ExitCode::from(2),
    }
}

fn run(args: &Args, out: &mut Vec<u8>) -> Result<(), Failure> {
    let (files, origin) = match &args.data {
        Some(dir) => match load::read_dir(dir) {
            Ok(files) => (files, dir.display().to_string()),
            Err(e) => {
                eprintln!("error: {e}");
                if matches!(e, load::ReadError::NotADataset { .. }) {
                    eprintln!("  help: point --data at a directory with `ontology.yaml`, or leave it out to use the bundled dataset");
                }
                return Err(Failure::Usage);
            }
        },
        None => (load::builtin_files(), "bundled dataset".to_string()),
    };
    let ds = match load::load(&files) {
        Ok(ds) => ds,
        Err(problems) => {
            report_problems(args.format, &files, &problems, out);
            return Err(Failure::Data);
        }
    };
    match &args.command {
        Command::Check => {
            match args.format {
                Format::Text => text::check(out, &ds, &origin, files.len()),
                Format::Json => json(out, &text::check_summary(&ds, &origin, files.len())),
            }
            Ok(())
        }
        Command::Show { id } => {
            let card = query::card(&ds, id).map_err(query_failed)?;
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
            let entities = query::list(&ds, &filter).map_err(query_failed)?;
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
    }
}

fn query_failed(e: QueryError) -> Failure {
    eprintln!("error: {e}");
    if let QueryError::UnknownEntity { .. } = e {
        eprintln!(
            "  help: `detente find TEXT` searches names and aliases; `detente list` shows every id"
        );
    }
    Failure::Data
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
