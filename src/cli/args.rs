//! The command line as clap sees it: raw arguments only (ripgrep's "low
//! level" arguments). Nothing here validates beyond what clap does.
//!
//! An option that two commands share is declared once, in a group that both
//! flatten (`Answer`, `Range`, `TimelineArgs`, `Reach`, `DiagramArgs`, …), so
//! help, completions and the man page describe it alike everywhere. Each
//! group becomes the query layer's options in exactly one place, `plan.rs`,
//! and the query layer validates those into settings.

use std::path::PathBuf;

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

    /// Load the dataset from its YAML even if an unchanged copy is cached
    /// (or, for the bundled dataset, was checked when detente was built),
    /// and write no copy.
    #[arg(long, global = true)]
    pub(crate) no_cache: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The citation styles `--cite-style` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CiteStyleArg {
    Chicago,
    Apa,
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

/// The `--format` and `--cite-style` flags of every answering command,
/// flattened into each.
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct Answer {
    /// Output format.
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub(crate) format: AnswerFormat,
    /// Print the numbered sources in a citation style: chicago (notes and
    /// bibliography, 18th ed.) or apa (7th ed.).
    #[arg(long, value_enum, value_name = "STYLE")]
    pub(crate) cite_style: Option<CiteStyleArg>,
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
        #[command(flatten)]
        filter: FilterArgs,
        /// Print how many, not the list.
        #[arg(long)]
        count: bool,
        #[command(flatten)]
        answer: Answer,
    },
    /// Find entities by name, alias or name in another language.
    Find {
        #[command(flatten)]
        find: FindArgs,
        #[command(flatten)]
        answer: Answer,
    },
    /// Search everything written: names, summaries, claims, quotes, locators.
    Search {
        #[command(flatten)]
        search: SearchArgs,
        /// Print how many entities match, not the results.
        #[arg(long)]
        count: bool,
        #[command(flatten)]
        answer: Answer,
    },
    /// The chain of a mechanism through lineage relations, in time order.
    Lineage {
        #[command(flatten)]
        lineage: LineageArgs,
        #[command(flatten)]
        answer: Answer,
    },
    /// How two entities connect, hop by hop, with dates and sources.
    Path {
        #[command(flatten)]
        path: PathArgs,
        #[command(flatten)]
        answer: Answer,
    },
    /// The ego network of an entity.
    Neighbors {
        #[command(flatten)]
        neighbors: NeighborArgs,
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
        #[arg(long, value_name = "ID", conflicts_with_all = ["count", "kinds"])]
        explain: Option<String>,
        /// Print how many are definitely and possibly there, not the lists.
        #[arg(long)]
        count: bool,
        #[command(flatten)]
        answer: Answer,
    },
    /// Dated entities and relations in chronological order.
    Timeline {
        #[command(flatten)]
        timeline: TimelineArgs,
        /// Only this side (repeatable).
        #[arg(long = "side", value_name = "SIDE")]
        sides: Vec<String>,
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
        #[command(flatten)]
        claims: ClaimArgs,
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
        #[command(flatten)]
        drawing: DiagramArgs,
    },
    /// Export the dataset (or part of it) for other tools: JSON, CSV,
    /// GraphML, GEXF, … (see docs/export.md).
    Export {
        /// The format.
        #[arg(id = "export-format", value_name = "FORMAT", value_parser = export_formats())]
        format: String,
        /// Write to this file (one-file formats; default stdout) or into this
        /// directory (formats that are a set of files).
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Replace the files of an earlier export in the output directory.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        selection: SelectionArgs,
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
        self.answer().map(|a| a.format)
    }

    /// The citation style an answering command asks for, if any.
    pub(crate) fn cite_style(&self) -> Option<CiteStyleArg> {
        self.answer().and_then(|a| a.cite_style)
    }

    fn answer(&self) -> Option<Answer> {
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
            | Stats { answer, .. } => Some(*answer),
            Diagram { .. }
            | Export { .. }
            | Site { .. }
            | Completions { .. }
            | Man
            | Import { .. } => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Groups of options, each declared once and flattened into every command
// that takes it. `plan.rs` turns each into the query layer's options.

/// Which entities `list` lists.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct FilterArgs {
    /// Only this kind (repeatable).
    #[arg(long = "kind", value_name = "KIND")]
    pub(crate) kinds: Vec<String>,
    /// Only this side (repeatable).
    #[arg(long = "side", value_name = "SIDE")]
    pub(crate) sides: Vec<String>,
}

/// What `find` looks for.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct FindArgs {
    /// Text to look for; case, accents and punctuation are ignored.
    pub(crate) text: String,
    /// At most this many results.
    #[arg(long, default_value_t = 10)]
    pub(crate) limit: usize,
}

/// What `search` looks for.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SearchArgs {
    /// Words that must all occur, and "quoted phrases" (quote them for
    /// the shell too: '"one-off bargains"'). Case, accents, width,
    /// punctuation and traditional/simplified Chinese are ignored.
    #[arg(required = true, value_name = "TEXT")]
    pub(crate) text: Vec<String>,
    /// At most this many entities.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub(crate) limit: usize,
}

/// Which chain `lineage` follows.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct LineageArgs {
    /// A member of the chain.
    pub(crate) id: String,
    /// Stop at identifications ("is probably the same as") instead of
    /// following them into the other name's chain.
    #[arg(long)]
    pub(crate) strict: bool,
}

/// A path search.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct PathArgs {
    /// Where to start.
    pub(crate) from: String,
    /// Where to end.
    pub(crate) to: String,
    /// Use only relations that may hold on this date (EDTF).
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub(crate) at: Option<Date>,
    /// List every path up to --max-hops, shortest first.
    #[arg(long)]
    pub(crate) all: bool,
    /// Longest path listed with --all.
    #[arg(long, default_value_t = 4, value_name = "N", requires = "all")]
    pub(crate) max_hops: usize,
    /// At most this many paths with --all.
    #[arg(long, default_value_t = 20, value_name = "N", requires = "all")]
    pub(crate) limit: usize,
    /// Pass through an entity of this kind (repeatable: any of them).
    #[arg(long, value_name = "KIND")]
    pub(crate) via: Vec<String>,
    /// Do not pass through this entity (repeatable).
    #[arg(long, value_name = "ID")]
    pub(crate) avoid: Vec<String>,
    /// Do not cross identifications ("is probably the same as").
    #[arg(long)]
    pub(crate) strict: bool,
}

/// The centre and reach of a neighbourhood: `neighbors` and `diagram ego`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Reach {
    /// The entity at the centre.
    pub(crate) id: String,
    /// How many relations away.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub(crate) depth: usize,
}

/// A neighbourhood, and what to follow to reach it.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct NeighborArgs {
    #[command(flatten)]
    pub(crate) reach: Reach,
    /// Follow only this relation type (repeatable).
    #[arg(long = "rel", value_name = "TYPE")]
    pub(crate) relations: Vec<String>,
    /// Follow relations written outwards, inwards, or both.
    #[arg(long, value_enum, default_value_t = DirectionArg::Both)]
    pub(crate) direction: DirectionArg,
    /// Follow only relations with this role, e.g. co-chair (repeatable).
    #[arg(long = "role", value_name = "ROLE")]
    pub(crate) roles: Vec<String>,
    /// Do not cross identifications ("is probably the same as").
    #[arg(long)]
    pub(crate) strict: bool,
}

/// What a timeline covers: `timeline` and `diagram timeline`, which draws
/// what the answer lists.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct TimelineArgs {
    /// From this year or date (EDTF).
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub(crate) from: Option<Date>,
    /// Up to this year or date (EDTF).
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub(crate) to: Option<Date>,
    /// Only this kind (repeatable; a diagram draws by default mechanism,
    /// session, summit, event).
    #[arg(long = "kind", value_name = "KIND")]
    pub(crate) kinds: Vec<String>,
    /// Only this entity and what it is directly related to.
    #[arg(long, value_name = "ID")]
    pub(crate) about: Option<String>,
}

/// Which claims.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ClaimArgs {
    /// Made by this person, body or document.
    #[arg(long, value_name = "ID")]
    pub(crate) by: Option<String>,
    /// Only this stance (repeatable).
    #[arg(long, value_enum)]
    pub(crate) stance: Vec<StanceArg>,
    /// Touching this entity.
    #[arg(long, value_name = "ID")]
    pub(crate) about: Option<String>,
}

/// The kinds, relation types and sides to keep, of the network to draw or
/// the dataset to export.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct PartArgs {
    /// Only this kind (repeatable).
    #[arg(long = "kind", value_name = "KIND")]
    pub(crate) kinds: Vec<String>,
    /// Only this relation type (repeatable).
    #[arg(long = "rel", value_name = "TYPE")]
    pub(crate) relations: Vec<String>,
    /// Only this side (repeatable).
    #[arg(long = "side", value_name = "SIDE")]
    pub(crate) sides: Vec<String>,
}

/// Part of the network, to draw.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct NetworkArgs {
    #[command(flatten)]
    pub(crate) part: PartArgs,
    /// Only what existed, and held, on this date (EDTF), by the rule of
    /// `detente active`: undated entities are left out.
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub(crate) at: Option<Date>,
    /// With --at, draw undated entities too, in a band of their own.
    #[arg(long, requires = "at")]
    pub(crate) include_undated: bool,
    /// At most N entities, the most central, joined up (default 40 on a
    /// slide or handout, fewer if that many do not fit; all on a poster).
    #[arg(long, value_name = "N")]
    pub(crate) max_nodes: Option<usize>,
}

/// Part of the dataset, to export.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SelectionArgs {
    #[command(flatten)]
    pub(crate) part: PartArgs,
    /// Only what may have existed, and held, on this date (EDTF).
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub(crate) at: Option<Date>,
}

/// How and where every diagram is drawn (global to `diagram`'s views, so
/// they may come before or after the view).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct DiagramArgs {
    /// Output format (default: from -o's extension, else dot).
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<DiagramFormat>,
    /// Write to this file (format from its extension: .dot .svg .png .pdf
    /// .mmd .md); without it, DOT or Mermaid goes to stdout.
    #[arg(short, long, global = true, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Link each entity to BASE followed by its id (SVG and Mermaid).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) link_base: Option<String>,
    /// The medium: a 1920×1080 slide, an A4/Letter handout page, or an
    /// unbounded poster. A view too large for its medium is refused
    /// with advice rather than shrunk into illegibility.
    #[arg(long, global = true, value_enum, default_value_t = SizeArg::Slide)]
    pub(crate) size: SizeArg,
    /// Where the numbered sources go: a compact list of documents under
    /// the diagram, a companion file `NAME.sources.md` with every
    /// locator (needs -o), or nowhere. Badges stay on the diagram.
    #[arg(long, global = true, value_enum, default_value_t = SourcesArg::List)]
    pub(crate) sources: SourcesArg,
    /// A title instead of the view's own.
    #[arg(long, global = true, value_name = "TEXT")]
    pub(crate) title: Option<String>,
    /// A caption instead of the view's own description (the line naming
    /// the data stays).
    #[arg(long, global = true, value_name = "TEXT")]
    pub(crate) caption: Option<String>,
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
        #[command(flatten)]
        timeline: TimelineArgs,
    },
    /// The chain of a mechanism, left to right, with founding summits,
    /// rounds and what suspended it.
    Lineage {
        /// A member of the chain.
        id: String,
    },
    /// The network, clustered by side.
    Network {
        #[command(flatten)]
        network: NetworkArgs,
    },
    /// One entity and its neighbourhood.
    Ego {
        #[command(flatten)]
        reach: Reach,
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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum StanceArg {
    Record,
    Assertion,
    Prediction,
    Recommendation,
}

/// Dates on the command line are EDTF, like dates in the data.
pub(crate) fn date_arg(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|e| {
        format!("{e}; write EDTF such as 2016, 2016-06, 2016-06-01, 2015-12/2016-12 or 2018~")
    })
}

/// The export formats the library has, each with its one line of help,
/// so `export --help`, the completions and the man page list them and clap
/// refuses any other.
pub(crate) fn export_formats() -> clap::builder::PossibleValuesParser {
    crate::export::FORMATS
        .iter()
        .map(|f| clap::builder::PossibleValue::new(f.name()).help(f.about()))
        .collect::<Vec<_>>()
        .into()
}
