//! Arguments, dispatch and exit codes. This is the only place that knows
//! about clap, stdout and terminals; the library gets plain values.
//!
//! Arguments go one way: `args.rs` (clap's raw arguments) → `plan.rs` (the
//! query layer's options, validated there into settings, once) → `run`
//! below (a query, its answer written as text or JSON, or a drawing).
//!
//! Exit codes: 0 success (and a closed pipe), 1 invalid data or an unknown
//! id, 2 a usage or I/O error.

mod answers;
mod args;
mod cache;
mod diagram;
mod exit;
mod export;
mod json;
mod man;
mod plan;
pub(crate) mod report;
mod site;
mod term;
mod text;
mod write;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use crate::load::{self, SourceFile};
use crate::query::{self, QueryError};
use clap::{CommandFactory, FromArgMatches};

use args::{AnswerFormat as Format, Args, Command, SourcesArg};
use exit::Exit;

/// How a run ends.
enum Failure {
    /// Invalid data, already reported problem by problem.
    Reported,
    /// Anything else, reported by `main` as text on stderr and, with
    /// `--format json`, also as `{"ok": false, "error": …}` on stdout.
    Error {
        exit: Exit,
        /// A stable name for the kind of error.
        code: &'static str,
        message: String,
        help: Option<String>,
    },
}

impl Failure {
    /// A usage mistake the library did not see (a format, a file name).
    fn usage(message: String) -> Failure {
        Failure::Error {
            exit: Exit::Usage,
            code: "usage",
            message,
            help: None,
        }
    }
}

impl From<QueryError> for Failure {
    fn from(e: QueryError) -> Failure {
        let (exit, code, help) = exit::of_query(&e);
        Failure::Error {
            exit,
            code,
            message: e.to_string(),
            help: help.map(str::to_string),
        }
    }
}

pub fn main() -> ExitCode {
    // What is kept for the next run is waited for however this run ends,
    // a panic included, so no temporary file of a kept one is left behind
    // by the end of the process (`cache::finish`, below, on the way out).
    struct Finish;
    impl Drop for Finish {
        fn drop(&mut self) {
            cache::finish();
        }
    }
    let _finish = Finish;
    term::init_width();
    // Help and usage are wrapped to the same width as the answers.
    let parsed = Args::command()
        .term_width(term::width())
        .max_term_width(term::width())
        .try_get_matches()
        .and_then(|mut m| Args::from_arg_matches_mut(&mut m));
    let args = match parsed {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return exit::of_clap(&e).into();
        }
    };
    let mut out = Out::default();
    let result = match &args.command {
        // About the command line itself: no dataset needed.
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Args::command(), "detente", &mut out.bytes);
            Ok(())
        }
        Command::Man => man::page(Args::command())
            .map(|page| out.bytes = page)
            .map_err(|e| Failure::usage(format!("cannot write the man page: {e}"))),
        _ => run(&args, &mut out),
    };
    if let Err(Failure::Error {
        code,
        message,
        help,
        ..
    }) = &result
    {
        let colour = term::colour(args.color, io::stderr().is_terminal());
        eprintln!("{} {message}", term::error_prefix(colour));
        if let Some(h) = help {
            eprintln!("  help: {h}");
        }
        if args.command.answer_format() == Some(Format::Json) {
            out.clear();
            json(
                &mut out,
                &serde_json::json!({ "ok": false, "error": { "code": code, "message": message, "help": help } }),
            );
        }
    }
    // Text answers (not JSON, not diagrams) may be coloured.
    let text_answer = args.command.answer_format() == Some(Format::Text);
    if text_answer && term::colour(args.color, io::stdout().is_terminal()) {
        out.bytes = term::paint(&out);
    }
    // Print what was produced, even on failure (e.g. JSON problem reports),
    // unless it was written as it was made; a reader that closed the pipe
    // early is not an error.
    let written = out.streamed.take().unwrap_or_else(|| {
        let mut stdout = io::stdout().lock();
        stdout.write_all(&out).and_then(|()| stdout.flush())
    });
    // The answer is out: what is kept for the next run may still be being
    // written, and is waited for, whole.
    cache::finish();
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {e}");
            return Exit::Usage.into();
        }
    }
    match result {
        Ok(()) => Exit::Success,
        Err(Failure::Reported) => Exit::Data,
        Err(Failure::Error { exit, .. }) => exit,
    }
    .into()
}

/// The dataset in directory `dir`, read file by file (see
/// `load::load_dir`), and copied to the cache for next time unless
/// `no_cache`, with where that copy is kept.
fn load_dir(
    dir: &std::path::Path,
    no_cache: bool,
) -> Result<(load::DirLoad, Option<cache::Kept>), load::DirFailure> {
    let loaded = load::load_dir(dir)?;
    let kept = if no_cache {
        None
    } else {
        cache::store(dir, &loaded.dataset, loaded.key)
    };
    Ok((loaded, kept))
}

/// What a run puts on standard output: bytes made in memory (text, which
/// may be painted; problems; errors), or a JSON answer, written to standard
/// output as it is made ([`Out::stream`]). Read and written as the bytes.
#[derive(Default)]
struct Out {
    bytes: Vec<u8>,
    /// How writing the answer as it was made went, when it was.
    streamed: Option<io::Result<()>>,
}

impl Out {
    /// Writes an answer straight to standard output through `write`, and a
    /// final newline: a JSON answer of hundreds of megabytes is never held
    /// whole (each of its pages a fault). Only the last thing a successful
    /// run does; the first write that fails (a closed pipe) ends it.
    fn stream(&mut self, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
        assert!(
            self.bytes.is_empty() && self.streamed.is_none(),
            "an answer is streamed once, and nothing is written before it"
        );
        let mut w = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        let written = write(&mut w)
            .and_then(|()| w.write_all(b"\n"))
            .and_then(|()| w.flush());
        self.streamed = Some(written);
    }
}

impl std::ops::Deref for Out {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.bytes
    }
}

impl std::ops::DerefMut for Out {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }
}

fn run(args: &Args, out: &mut Out) -> Result<(), Failure> {
    // Commands without `--format` (diagrams, exports, the site) report
    // invalid data as text.
    let format = args.command.answer_format().unwrap_or_default();
    // The bundled dataset was checked when detente was built (unless its
    // data did not load then): no YAML to read.
    let prebuilt = match &args.data {
        None if !args.no_cache => load::bundled().map(|ds| (ds, load::builtin_file_count(), None)),
        // A dataset directory that has not changed since its copy was
        // made: read the copy, not the files.
        Some(dir) if !args.no_cache && dir.is_dir() => {
            cache::load_unchanged(dir).map(|(ds, n, kept)| (ds, n, Some(kept)))
        }
        _ => None,
    };
    // A dataset directory read file by file, never holding all the texts.
    let mut streamed = None;
    let (files, origin) = match &args.data {
        Some(path) if path.is_file() && path.extension().is_some_and(|x| x == "json") => {
            match load::read_json(path) {
                Ok(files) => (files, path.display().to_string()),
                Err(e) => {
                    return Err(Failure::Error {
                        exit: Exit::Usage,
                        code: "io",
                        message: e.to_string(),
                        help: None,
                    })
                }
            }
        }
        _ if prebuilt.is_some() => {
            let origin = match &args.data {
                Some(dir) => dir.display().to_string(),
                None => "bundled dataset".to_string(),
            };
            (Vec::new(), origin)
        }
        Some(dir) => match load_dir(dir, args.no_cache) {
            Ok(loaded) => {
                streamed = Some(loaded);
                (Vec::new(), dir.display().to_string())
            }
            Err(load::DirFailure::Invalid(files, problems)) => {
                report_problems(format, args.color, &files, &problems, out);
                return Err(Failure::Reported);
            }
            Err(load::DirFailure::Read(e)) => {
                let (code, help) = match e {
                    load::ReadError::NotADataset { .. } => ("not-a-dataset", Some("point --data at a directory with `ontology.yaml`, or leave it out to use the bundled dataset".to_string())),
                    load::ReadError::Io { .. } => ("io", None),
                    load::ReadError::TooLarge { .. } => ("too-large", Some("split it into several files: every `.yaml` file in the directory is read (sources: files under `sources/`)".to_string())),
                };
                return Err(Failure::Error {
                    exit: Exit::Usage,
                    code,
                    message: e.to_string(),
                    help,
                });
            }
        },
        None => (load::builtin_files(), "bundled dataset".to_string()),
    };
    let prebuilt =
        prebuilt.or(streamed.map(|(l, kept): (load::DirLoad, _)| (l.dataset, l.files, kept)));
    let n_files = match &prebuilt {
        Some((_, n, _)) => *n,
        None => files.len(),
    };
    let loaded = match (prebuilt, &args.data) {
        (Some((ds, _, kept)), _) => Ok((ds, kept)),
        (None, Some(location)) if !args.no_cache => cache::load(&files, location),
        (None, _) => load::load(&files).map(|ds| (ds, None)),
    };
    let (ds, kept) = match loaded {
        Ok(loaded) => loaded,
        Err(problems) => {
            report_problems(format, args.color, &files, &problems, out);
            return Err(Failure::Reported);
        }
    };
    // The texts are kept only to show problems in context.
    drop(files);
    let ds = match &args.as_claimed_by {
        Some(id) => query::as_claimed_by(&ds, id)?,
        None => ds,
    };
    let ds = match args.command.cite_style() {
        Some(style) => {
            let references = crate::export::references(&ds, style.into());
            ds.with_references(references)
        }
        None => ds,
    };
    // Never dropped: the process ends after this run, and the system takes
    // back its memory at once, where freeing every string of a dataset one
    // by one took a sixth of a one-shot query's time (and seconds at 1M
    // entities). So it lives as long as the process, and what is kept for
    // the next run is written from it behind the answer (`cache::finish`).
    let ds: &'static crate::Dataset = Box::leak(Box::new(ds));
    match &args.command {
        Command::Check { .. } => {
            let summary = query::summary(ds, &origin, n_files);
            match format {
                Format::Text => text::check(out, ds, &summary),
                Format::Json => json(out, &summary),
            }
            Ok(())
        }
        Command::Show { id, .. } => {
            let card = query::card(ds, id)?;
            match format {
                Format::Text => text::card(out, ds, &card),
                Format::Json => json(out, &card),
            }
            Ok(())
        }
        Command::List { filter, count, .. } => {
            let entities = query::list(ds, &filter.settings(ds)?);
            match (format, count) {
                (_, true) => self::count(format, out, entities.len()),
                (Format::Text, false) => text::list(out, &entities),
                (Format::Json, false) => answer(out, &entities),
            }
            Ok(())
        }
        Command::Find { find, .. } => {
            let found = query::find(ds, &find.settings()?);
            emit(format, out, &found, text::find);
            Ok(())
        }
        Command::Search { search, count, .. } => {
            let settings = search.settings()?;
            // The index of the dataset as loaded; a view as one source
            // tells it is another dataset.
            if let (Some(kept), None) = (&kept, &args.as_claimed_by) {
                cache::search_index(ds, kept);
            }
            let s = query::search(ds, &settings);
            if let (Some(kept), None) = (&kept, &args.as_claimed_by) {
                cache::search_index_refused(ds, kept);
            }
            if *count {
                self::count(format, out, s.total);
            } else {
                emit(format, out, &s, answers::search);
            }
            Ok(())
        }
        Command::Lineage { lineage, .. } => {
            let l = query::lineage_with(ds, &lineage.settings(ds)?)?;
            emit(format, out, &l, answers::lineage);
            Ok(())
        }
        Command::Path { path, .. } => {
            let p = query::path(ds, &path.settings(ds)?)?;
            emit(format, out, &p, answers::paths);
            Ok(())
        }
        Command::Neighbors {
            neighbors, count, ..
        } => {
            let n = query::neighbors(ds, &neighbors.settings(ds)?)?;
            if *count {
                self::count(format, out, n.neighbors.len());
            } else {
                emit(format, out, &n, answers::neighbors);
            }
            Ok(())
        }
        Command::Active {
            date,
            kinds,
            explain,
            count,
            ..
        } => {
            if let Some(id) = explain {
                let e = query::explain(ds, &plan::explain(ds, date, id)?)?;
                emit(format, out, &e, answers::explanation);
            } else {
                let a = query::active(ds, &plan::active(ds, date, kinds)?);
                if *count {
                    let (d, p) = (a.definitely.len(), a.possibly.len());
                    match format {
                        Format::Text => {
                            let _ = writeln!(out, "definitely {d}\npossibly {p}");
                        }
                        Format::Json => json(
                            out,
                            &serde_json::json!({ "definitely": d, "possibly": p, "undated": a.undated }),
                        ),
                    }
                } else {
                    emit(format, out, &a, answers::active);
                }
            }
            Ok(())
        }
        Command::Timeline {
            timeline, sides, ..
        } => {
            let settings = timeline.settings(ds, sides)?;
            // The tables a timeline of much of the dataset reads, kept
            // beside the dataset's copy (not for a view as one source, nor
            // for one entity's timeline, which never reads them).
            let kept = kept.as_ref().filter(|_| args.as_claimed_by.is_none());
            let kept = kept.filter(|_| timeline.about.is_none());
            let read = kept.is_some_and(|k| cache::timeline_tables(ds, k));
            let t = query::timeline(ds, &settings)?;
            if let (Some(k), false) = (kept, read) {
                cache::keep_timeline_tables(ds, k);
            }
            match format {
                Format::Text => answers::timeline(out, &t),
                Format::Json => out.stream(|w| json::timeline(w, &t)),
            }
            Ok(())
        }
        Command::Diff { from, to, .. } => {
            let d = query::diff(ds, &plan::diff(from, to)?);
            emit(format, out, &d, answers::diff);
            Ok(())
        }
        Command::Compare { a, b, .. } => {
            let c = query::compare(ds, a, b)?;
            emit(format, out, &c, answers::compare);
            Ok(())
        }
        Command::Claims { claims, count, .. } => {
            let c = query::claims(ds, &claims.settings(ds)?);
            if *count {
                self::count(format, out, c.claims.len() + c.attributed.len());
            } else {
                emit(format, out, &c, answers::claims);
            }
            Ok(())
        }
        Command::Diagram { view, drawing } => {
            let drawing = drawing.drawing(&origin, args.as_claimed_by.as_deref())?;
            diagram(ds, view, drawing, out)
        }
        Command::Export {
            format,
            output,
            force,
            selection,
        } => {
            let selection = selection.settings(ds)?;
            let part = crate::export::select(ds, &selection);
            // `--as-claimed-by` narrowed the dataset before the selection:
            // its bibliography too holds only what that view cites. A
            // filtered selection holds only what it cites already.
            let part = if args.as_claimed_by.is_some() && selection.is_everything() {
                part.cited_sources_only()
            } else {
                part
            };
            let exporter = crate::export::exporter(format).expect("checked by clap");
            export::write(
                format,
                exporter.export(&part),
                output.as_deref(),
                *force,
                out,
            )
        }
        Command::Import {
            from:
                args::ImportFrom::Csv {
                    nodes,
                    edges,
                    output,
                },
        } => export::import_csv(ds, nodes, edges, output),
        Command::Site {
            output,
            title,
            base_url,
            force,
        } => site::run(
            ds,
            &origin,
            args.data.is_none(),
            output,
            title.as_deref(),
            base_url.as_deref(),
            *force,
        ),
        Command::Completions { .. } | Command::Man => unreachable!("answered in `main`"),
        Command::Stats { top, by: None, .. } => {
            // The scores of the dataset as loaded; a view as one source
            // is another dataset.
            let s = match (&kept, &args.as_claimed_by) {
                (Some(kept), None) => query::stats_from(ds, *top, &cache::centrality(ds, kept)),
                _ => query::stats(ds, *top),
            };
            emit(format, out, &s, answers::stats);
            Ok(())
        }
        Command::Stats { by: Some(by), .. } => {
            let c = query::counts(ds, (*by).into());
            emit(format, out, &c, answers::counts);
            Ok(())
        }
    }
}

fn diagram(
    ds: &crate::Dataset,
    view: &args::View,
    drawing: plan::Drawing,
    out: &mut Vec<u8>,
) -> Result<(), Failure> {
    use crate::view::{self as render, DiagramOptions, Scene};
    use plan::ViewSettings;
    let plan::Drawing {
        kind,
        output,
        file,
        sources,
        options: mut opts,
    } = drawing;
    // Checked once, however many times the view is drawn to fit.
    let settings = view.settings(ds)?;
    if let ViewSettings::Timeline(t) = &settings {
        // A timeline no slide or page could show legibly is refused before
        // it is laid out.
        if let Some(crowded) = render::refuse_unreadable(ds, t, &opts)? {
            return Err(diagram::crowded(crowded));
        }
    }
    let build = |opts: &DiagramOptions| -> Result<Scene, Failure> {
        let mut scene = match &settings {
            ViewSettings::Timeline(t) => Scene::Timeline(render::timeline(ds, t, opts)?),
            ViewSettings::Lineage(l) => Scene::Graph(render::lineage(ds, l, opts)?),
            ViewSettings::Network { settings, .. } => {
                Scene::Graph(render::network(ds, settings, opts)?)
            }
            ViewSettings::Ego(n) => Scene::Graph(render::ego(ds, n, opts)?),
        };
        scene.set_list_sources(sources == SourcesArg::List);
        Ok(scene)
    };
    let advice = view.advice();
    // Fitted by construction: a view too large for its medium is drawn
    // again, squeezed harder (fewer nodes, narrower labels), until it fits
    // or can be squeezed no more; then it is refused with what to do.
    let first = build(&opts)?;
    let mut scene = first.clone();
    let rendered = loop {
        let handout = sources == SourcesArg::Handout;
        match diagram::render(&scene, kind, opts.size, handout, advice)? {
            diagram::Outcome::Drawn(r) => break r,
            diagram::Outcome::TooBig(refusal, reach) => {
                // Squeezing narrows text a tenth a step: a drawing at less
                // than half the legible size will not get there, unless it
                // is a network whose entities detente chose and can cut.
                let cuttable = matches!(settings, ViewSettings::Network { cuttable: true, .. });
                if reach < 0.5 && !cuttable {
                    if kind == diagram::Kind::Dot {
                        break diagram::Rendered {
                            bytes: crate::render::dot::to_dot(&first).into_bytes(),
                            detail: None,
                        };
                    }
                    return Err(refusal);
                }
                opts.squeeze += 1;
                let next = build(&opts)?;
                let same = crate::render::dot::to_dot(&next) == crate::render::dot::to_dot(&scene);
                if opts.squeeze > diagram::MAX_SQUEEZE || same {
                    if kind == diagram::Kind::Dot {
                        // DOT is for editing: it is not refused for
                        // legibility. (A slide or page timeline far too big
                        // for any legible drawing is refused above,
                        // before it is laid out, whatever the format;
                        // `--size poster` draws it.)
                        scene = first;
                        break diagram::Rendered {
                            bytes: crate::render::dot::to_dot(&scene).into_bytes(),
                            detail: None,
                        };
                    }
                    return Err(refusal);
                }
                scene = next;
            }
        }
    };
    match output {
        Some(p) => {
            // The companion first: a picture never points at a source
            // list that failed to be written.
            if sources == SourcesArg::Handout {
                if let Some(file) = &file {
                    let companion = diagram::companion(file);
                    let text = crate::render::mermaid::sources_markdown(&scene);
                    let n = scene.sources().len();
                    write::write_file(&companion, text.as_bytes())?
                        .announce("markdown", Some(&format!("{n} numbered sources")));
                }
            }
            write::write_file(&p, &rendered.bytes)?
                .announce(kind.name(), rendered.detail.as_deref());
            Ok(())
        }
        None => {
            out.extend_from_slice(&rendered.bytes);
            Ok(())
        }
    }
}

/// A count: the bare number as text, so a script can use it as it is, or
/// `{"count": N}`.
fn count(format: Format, out: &mut Vec<u8>, n: usize) {
    match format {
        Format::Text => {
            let _ = writeln!(out, "{n}");
        }
        Format::Json => json(out, &serde_json::json!({ "count": n })),
    }
}

/// Text through `render`, or JSON.
fn emit<T: serde::Serialize>(
    format: Format,
    out: &mut Out,
    value: &T,
    render: fn(&mut Vec<u8>, &T),
) {
    match format {
        Format::Text => render(out, value),
        Format::Json => answer(out, value),
    }
}

/// An answer as JSON, written as it is made.
fn answer<T: serde::Serialize>(out: &mut Out, value: &T) {
    out.stream(|w| serde_json::to_writer_pretty(w, value).map_err(io::Error::from));
}

fn json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Serialising our own types into memory cannot fail.
    serde_json::to_writer_pretty(&mut *out, value).expect("serialisable");
    out.push(b'\n');
}

fn report_problems(
    format: Format,
    color: term::ColorChoice,
    files: &[SourceFile],
    problems: &[crate::Diagnostic],
    out: &mut Vec<u8>,
) {
    match format {
        Format::Json => {
            let items: Vec<_> = problems
                .iter()
                .map(|d| {
                    let mut v = serde_json::to_value(d).expect("serialisable");
                    v["message"] = d.problem.message().into();
                    v["help"] = d.help().into();
                    v
                })
                .collect();
            json(out, &serde_json::json!({ "ok": false, "problems": items }));
        }
        Format::Text => report::print(
            files,
            problems,
            term::colour(color, io::stderr().is_terminal()),
        ),
    }
}
