//! The command line as clap sees it: raw arguments only. Nothing here
//! validates beyond what clap does; `mod.rs` turns these into the settings
//! the library accepts.

use std::path::PathBuf;

use crate::model::entity::Stance;
use crate::Date;
use clap::{Parser, Subcommand, ValueEnum};

pub(crate) use super::term::ColorChoice;

/// A time-aware knowledge graph of diplomatic dialogue mechanisms, with every
/// fact cited. Without --data it answers from the bundled China–U.S. cyber
/// dataset.
#[derive(Debug, Parser)]
#[command(name = "detente", version, about, max_term_width = 100)]
pub(crate) struct Args {
    /// Dataset directory (default: the bundled dataset).
    #[arg(long, global = true, env = "DETENTE_DATA", value_name = "DIR")]
    pub(crate) data: Option<PathBuf>,

    /// Answer from the plain record plus what this person, body or document
    /// claims (its own documents and authors count as its voice).
    #[arg(long, global = true, value_name = "ID")]
    pub(crate) as_claimed_by: Option<String>,

    /// Colour text output: auto (a terminal, unless NO_COLOR is set),
    /// always or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// `--format` of a command that answers a question: each command lists
/// only the formats it has, so clap refuses the others (exit 2) and help,
/// completions and the man page name only these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum AnswerFormat {
    /// Plain text, wrapped to the terminal, with numbered sources.
    #[default]
    Text,
    /// Pretty-printed JSON with stable field names (docs/schema.md).
    Json,
}

/// The `--format` flag of every answering command, flattened into each.
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct Answer {
    /// Output format.
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub(crate) format: AnswerFormat,
}

/// `--format` of `detente diagram`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiagramFormat {
    /// Graphviz source.
    Dot,
    /// Scalable picture, for the web.
    Svg,
    /// Bitmap sized for --size.
    Png,
    /// A page to print.
    Pdf,
    /// Mermaid source (Markdown with the source list when -o ends in .md).
    Mermaid,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check a dataset and summarise it; report every problem with its place.
    Check {
        #[command(flatten)]
        answer: Answer,
    },
    /// Show an entity: names, dates, summary, relations and numbered sources.
    Show {
        /// The entity's id (try `detente find` to look one up).
        id: String,
        #[command(flatten)]
        answer: Answer,
    },
    /// List entities, optionally of some kinds or sides.
    List {
        /// Only this kind (repeatable).
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<String>,
        /// Only this side (repeatable).
        #[arg(long = "side", value_name = "SIDE")]
        sides: Vec<String>,
        /// Print how many, not the list.
        #[arg(long)]
        count: bool,
        #[command(flatten)]
        answer: Answer,
    },
    /// Find entities by name, alias or name in another language.
    Find {
        /// Text to look for; case, accents and punctuation are ignored.
        text: String,
        /// At most this many results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[command(flatten)]
        answer: Answer,
    },
    /// Search everything written: names, summaries, claims, quotes, locators.
    Search {
        /// Words that must all occur, and "quoted phrases" (quote them for
        /// the shell too: '"one-off bargains"'). Case, accents, width,
        /// punctuation and traditional/simplified Chinese are ignored.
        #[arg(required = true, value_name = "TEXT")]
        text: Vec<String>,
        /// At most this many entities.
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Print how many entities match, not the results.
        #[arg(long)]
        count: bool,
        #[command(flatten)]
        answer: Answer,
    },
    /// The chain of a mechanism through lineage relations, in time order.
    Lineage {
        /// A member of the chain.
        id: String,
        /// Stop at identifications ("is probably the same as") instead of
        /// following them into the other name's chain.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        answer: Answer,
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
        #[arg(long, default_value_t = 20, value_name = "N", requires = "all")]
        limit: usize,
        /// Pass through an entity of this kind (repeatable: any of them).
        #[arg(long, value_name = "KIND")]
        via: Vec<String>,
        /// Do not pass through this entity (repeatable).
        #[arg(long, value_name = "ID")]
        avoid: Vec<String>,
        /// Do not cross identifications ("is probably the same as").
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        answer: Answer,
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
        /// Follow only relations with this role, e.g. co-chair (repeatable).
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
        /// Do not cross identifications ("is probably the same as").
        #[arg(long)]
        strict: bool,
        /// Print how many entities are reached, not the list.
        #[arg(long)]
        count: bool,
        #[command(flatten)]
        answer: Answer,
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
        #[arg(long, value_name = "ID", conflicts_with = "count")]
        explain: Option<String>,
        /// Print how many are definitely and possibly there, not the lists.
        #[arg(long)]
        count: bool,
        #[command(flatten)]
        answer: Answer,
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
        #[command(flatten)]
        answer: Answer,
    },
    /// What began, ended or happened between two dates.
    Diff {
        /// The earlier date (EDTF).
        #[arg(value_parser = date_arg)]
        from: Date,
        /// The later date (EDTF).
        #[arg(value_parser = date_arg)]
        to: Date,
        #[command(flatten)]
        answer: Answer,
    },
    /// Two entities side by side.
    Compare {
        /// The first entity.
        a: String,
        /// The second entity.
        b: String,
        #[command(flatten)]
        answer: Answer,
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
        /// Print how many claims, not the list.
        #[arg(long)]
        count: bool,
        #[command(flatten)]
        answer: Answer,
    },
    /// Draw a diagram: a timeline, a lineage, the network, or one entity's
    /// neighbourhood, as DOT, SVG, PNG, PDF or Mermaid.
    Diagram {
        #[command(subcommand)]
        view: View,
        /// Output format (default: from -o's extension, else dot).
        #[arg(long, global = true, value_enum, value_name = "FORMAT")]
        format: Option<DiagramFormat>,
        /// Write to this file (format from its extension: .dot .svg .png .pdf
        /// .mmd .md); without it, DOT or Mermaid goes to stdout.
        #[arg(short, long, global = true, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Link each entity to BASE followed by its id (SVG and Mermaid).
        #[arg(long, global = true, value_name = "URL")]
        link_base: Option<String>,
        /// The medium: a 1920×1080 slide, an A4/Letter handout page, or an
        /// unbounded poster. A view too large for its medium is refused
        /// with advice rather than shrunk into illegibility.
        #[arg(long, global = true, value_enum, default_value_t = SizeArg::Slide)]
        size: SizeArg,
        /// Where the numbered sources go: a compact list of documents under
        /// the diagram, a companion file `NAME.sources.md` with every
        /// locator (needs -o), or nowhere. Badges stay on the diagram.
        #[arg(long, global = true, value_enum, default_value_t = SourcesArg::List)]
        sources: SourcesArg,
        /// A title instead of the view's own.
        #[arg(long, global = true, value_name = "TEXT")]
        title: Option<String>,
        /// A caption instead of the view's own description (the line naming
        /// the data stays).
        #[arg(long, global = true, value_name = "TEXT")]
        caption: Option<String>,
    },
    /// Export the dataset (or part of it) for other tools: JSON, CSV,
    /// GraphML, GEXF, … (see docs/export.md).
    Export {
        /// The format.
        #[arg(id = "export-format", value_name = "FORMAT", value_parser = export_format)]
        format: String,
        /// Write to this file (one-file formats; default stdout) or into this
        /// directory (formats that are a set of files).
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Replace the files of an earlier export in the output directory.
        #[arg(long)]
        force: bool,
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
    /// Write a static website of the dataset: a page per entity, overview
    /// pages, clickable diagrams and a search that needs no server.
    Site {
        /// The directory to write the site into.
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// The title on every page (default: one naming the dataset).
        #[arg(long, value_name = "TEXT")]
        title: Option<String>,
        /// Where the site will be published (http or https), for canonical
        /// links and each page's citable address.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Replace DIR if it exists (it is swapped for the new site only
        /// once the new site is complete).
        #[arg(long)]
        force: bool,
    },
    /// Print a completion script for a shell, e.g.
    /// `source <(detente completions bash)`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `detente man > detente.1 && man ./detente.1`.
    Man,
    /// Turn spreadsheets into a YAML data file of the dataset (see
    /// docs/export.md): every bad row is reported, nothing is written
    /// unless all are good, and no existing file is replaced.
    Import {
        #[command(subcommand)]
        from: ImportFrom,
    },
    /// Counts, and the most connected and most central entities.
    Stats {
        /// How many entities to rank.
        #[arg(long, default_value_t = 10, value_name = "N", conflicts_with = "by")]
        top: usize,
        /// Only counts, grouped by this (every group listed, empty ones too).
        #[arg(long, value_enum, value_name = "GROUPING")]
        by: Option<ByArg>,
        #[command(flatten)]
        answer: Answer,
    },
}

impl Command {
    /// The format of a command that answers in text or JSON; `None` for
    /// commands that draw, export, write files or describe the CLI.
    pub(crate) fn answer_format(&self) -> Option<AnswerFormat> {
        use Command::*;
        match self {
            Check { answer }
            | Show { answer, .. }
            | List { answer, .. }
            | Find { answer, .. }
            | Search { answer, .. }
            | Lineage { answer, .. }
            | Path { answer, .. }
            | Neighbors { answer, .. }
            | Active { answer, .. }
            | Timeline { answer, .. }
            | Diff { answer, .. }
            | Compare { answer, .. }
            | Claims { answer, .. }
            | Stats { answer, .. } => Some(answer.format),
            Diagram { .. }
            | Export { .. }
            | Site { .. }
            | Completions { .. }
            | Man
            | Import { .. } => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum ImportFrom {
    /// A nodes sheet and an edges sheet (CSV, with a header row).
    Csv {
        /// One entity per row: ID, Kind, Name, Source, At, …
        nodes: PathBuf,
        /// One relation per row: From, To, Type, Source, At, …
        edges: PathBuf,
        /// The YAML file to write, or a directory to write `imported.yaml`
        /// into; it must not exist yet.
        #[arg(short, long, value_name = "PATH")]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum View {
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
        /// Only what existed, and held, on this date (EDTF), by the rule of
        /// `detente active`: undated entities are left out.
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        at: Option<Date>,
        /// With --at, draw undated entities too, in a band of their own.
        #[arg(long, requires = "at")]
        include_undated: bool,
        /// At most N entities, the most connected (default 24 on a slide, 40
        /// on a handout, all on a poster).
        #[arg(long, value_name = "N")]
        max_nodes: Option<usize>,
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

/// `--size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SizeArg {
    Slide,
    Handout,
    Poster,
}

/// `--sources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SourcesArg {
    List,
    Handout,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum DirectionArg {
    In,
    Out,
    Both,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ByArg {
    /// Entities by kind.
    Kind,
    /// Entities by side.
    Side,
    /// Relations by stance.
    Stance,
    /// Entities by status.
    Status,
    /// Citations by source document.
    Source,
}

impl From<ByArg> for crate::query::By {
    fn from(b: ByArg) -> crate::query::By {
        use crate::query::By;
        match b {
            ByArg::Kind => By::Kind,
            ByArg::Side => By::Side,
            ByArg::Stance => By::Stance,
            ByArg::Status => By::Status,
            ByArg::Source => By::Source,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum StanceArg {
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
pub(crate) fn date_arg(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|e| {
        format!("{e}; write EDTF such as 2016, 2016-06, 2016-06-01, 2015-12/2016-12 or 2018~")
    })
}

/// An export format's name, checked against the formats the library has.
pub(crate) fn export_format(s: &str) -> Result<String, String> {
    match crate::export::exporter(s) {
        Some(f) => Ok(f.name().to_string()),
        None => Err(format!(
            "formats: {}",
            crate::export::FORMATS
                .iter()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
