//! Raw arguments → the settings the library accepts: ripgrep's step from
//! low-level to high-level arguments.
//!
//! Each group of options in `args.rs` becomes the query layer's options
//! here and nowhere else, and the query layer validates those into
//! settings (`validate`). A command and a diagram that share a group (the
//! `timeline` answer and `diagram timeline`, `neighbors` and `diagram ego`)
//! therefore get the same settings from the same words and are refused
//! alike, and the settings are checked once even when a diagram is drawn
//! several times to fit its medium. What only the command line can judge
//! (which format a file name asks for, a binary picture on a terminal,
//! `--link-base`) is judged here too, before any query runs.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use crate::export::CiteStyle;
use crate::model::date::Date;
use crate::model::entity::Stance;
use crate::model::graph::Dataset;
use crate::query::{
    ActiveOptions, ActiveSettings, By, ClaimFilter, ClaimSettings, DiffOptions, DiffSettings,
    ExplainOptions, ExplainSettings, Filter, FindOptions, FindSettings, LineageOptions,
    LineageSettings, ListSettings, NeighborOptions, NeighborSettings, NetworkOptions,
    NetworkSettings, PathOptions, PathSettings, QueryError, SearchOptions, SearchSettings,
    SelectionOptions, SelectionSettings, TimelineOptions, TimelineSettings, Towards,
};
use crate::view::{DiagramOptions, Size};

use super::args::{
    ByArg, CiteStyleArg, ClaimArgs, DiagramArgs, DiagramFormat, DirectionArg, FilterArgs, FindArgs,
    LineageArgs, NeighborArgs, NetworkArgs, PartArgs, PathArgs, Reach, SearchArgs, SelectionArgs,
    SizeArg, SourcesArg, StanceArg, TimelineArgs, View,
};
use super::{diagram, write, Failure};

impl FilterArgs {
    pub(super) fn settings(&self, ds: &Dataset) -> Result<ListSettings, QueryError> {
        Filter {
            kinds: self.kinds.clone(),
            sides: self.sides.clone(),
        }
        .validate(ds)
    }
}

/// `active DATE [--kind K]…`.
pub(super) fn active(
    ds: &Dataset,
    date: &Date,
    kinds: &[String],
) -> Result<ActiveSettings, QueryError> {
    ActiveOptions {
        date: date.clone(),
        kinds: kinds.to_vec(),
    }
    .validate(ds)
}

/// `active DATE --explain ID`.
pub(super) fn explain(ds: &Dataset, date: &Date, id: &str) -> Result<ExplainSettings, QueryError> {
    ExplainOptions {
        date: date.clone(),
        id: id.to_string(),
    }
    .validate(ds)
}

/// `diff FROM TO`.
pub(super) fn diff(from: &Date, to: &Date) -> Result<DiffSettings, QueryError> {
    DiffOptions {
        from: from.clone(),
        to: to.clone(),
    }
    .validate()
}

impl FindArgs {
    pub(super) fn settings(&self) -> Result<FindSettings, QueryError> {
        FindOptions {
            text: self.text.clone(),
            limit: self.limit,
        }
        .validate()
    }
}

impl SearchArgs {
    /// The query is the words as a search engine reads them; a phrase is
    /// quoted inside them (`search '"one-off bargains"'`).
    pub(super) fn settings(&self) -> Result<SearchSettings, QueryError> {
        SearchOptions {
            text: self.text.join(" "),
            limit: self.limit,
        }
        .validate()
    }
}

impl LineageArgs {
    pub(super) fn settings(&self, ds: &Dataset) -> Result<LineageSettings, QueryError> {
        LineageOptions {
            strict: self.strict,
        }
        .validate(ds, &self.id)
    }
}

impl PathArgs {
    pub(super) fn settings(&self, ds: &Dataset) -> Result<PathSettings, QueryError> {
        PathOptions {
            at: self.at.clone(),
            all: self.all,
            max_hops: self.max_hops,
            limit: self.limit,
            via: self.via.clone(),
            avoid: self.avoid.clone(),
            strict: self.strict,
        }
        .validate(ds, &self.from, &self.to)
    }
}

impl From<DirectionArg> for Towards {
    fn from(d: DirectionArg) -> Towards {
        match d {
            DirectionArg::In => Towards::In,
            DirectionArg::Out => Towards::Out,
            DirectionArg::Both => Towards::Both,
        }
    }
}

impl Reach {
    /// A neighbourhood that follows every relation, as `diagram ego` draws.
    fn options(&self) -> NeighborOptions {
        NeighborOptions {
            depth: self.depth,
            ..NeighborOptions::default()
        }
    }

    fn settings(&self, ds: &Dataset) -> Result<NeighborSettings, QueryError> {
        self.options().validate(ds, &self.id)
    }
}

impl NeighborArgs {
    pub(super) fn settings(&self, ds: &Dataset) -> Result<NeighborSettings, QueryError> {
        NeighborOptions {
            relations: self.relations.clone(),
            direction: self.direction.into(),
            roles: self.roles.clone(),
            strict: self.strict,
            ..self.reach.options()
        }
        .validate(ds, &self.reach.id)
    }
}

impl TimelineArgs {
    /// The timeline `timeline` lists (of these `sides`, all when empty) and
    /// `diagram timeline` draws.
    pub(super) fn settings(
        &self,
        ds: &Dataset,
        sides: &[String],
    ) -> Result<TimelineSettings, QueryError> {
        TimelineOptions {
            from: self.from.clone(),
            to: self.to.clone(),
            kinds: self.kinds.clone(),
            sides: sides.to_vec(),
            about: self.about.clone(),
        }
        .validate(ds)
    }
}

impl ClaimArgs {
    pub(super) fn settings(&self, ds: &Dataset) -> Result<ClaimSettings, QueryError> {
        ClaimFilter {
            by: self.by.clone(),
            stances: self.stance.iter().map(|&s| s.into()).collect(),
            about: self.about.clone(),
        }
        .validate(ds)
    }
}

impl NetworkArgs {
    fn settings(&self, ds: &Dataset) -> Result<NetworkSettings, QueryError> {
        let PartArgs {
            kinds,
            relations,
            sides,
        } = self.part.clone();
        NetworkOptions {
            kinds,
            relations,
            sides,
            at: self.at.clone(),
            include_undated: self.include_undated,
            max_nodes: self.max_nodes,
        }
        .validate(ds)
    }
}

impl SelectionArgs {
    pub(super) fn settings(&self, ds: &Dataset) -> Result<SelectionSettings, QueryError> {
        let PartArgs {
            kinds,
            relations,
            sides,
        } = self.part.clone();
        SelectionOptions {
            kinds,
            relations,
            sides,
            at: self.at.clone(),
        }
        .validate(ds)
    }
}

/// A view to draw, with its settings checked.
pub(super) enum ViewSettings {
    Timeline(TimelineSettings),
    Lineage(LineageSettings),
    Network {
        settings: NetworkSettings,
        /// Whether detente chose how many entities to draw, and so may
        /// draw fewer to fit the medium (a `--max-nodes` given is kept).
        cuttable: bool,
    },
    Ego(NeighborSettings),
}

impl View {
    pub(super) fn settings(&self, ds: &Dataset) -> Result<ViewSettings, QueryError> {
        Ok(match self {
            View::Timeline { timeline } => ViewSettings::Timeline(timeline.settings(ds, &[])?),
            View::Lineage { id } => {
                ViewSettings::Lineage(LineageOptions::default().validate(ds, id)?)
            }
            View::Network { network } => ViewSettings::Network {
                settings: network.settings(ds)?,
                cuttable: network.max_nodes.is_none(),
            },
            View::Ego { reach } => ViewSettings::Ego(reach.settings(ds)?),
        })
    }

    /// What to leave out when the picture is too large for its medium.
    pub(super) fn advice(&self) -> &'static str {
        match self {
            View::Timeline { .. } => "draw less: a shorter range with --from and --to, fewer kinds with --kind, or one mechanism with --about ID; or take the source list off the picture with --sources handout",
            View::Lineage { .. } => "a lineage is drawn whole: draw one member's neighbourhood with `diagram ego ID`, or its dates with `diagram timeline --about ID`",
            View::Network { .. } => "draw less: --max-nodes N, --kind, --side, --rel, or one entity's neighbourhood with `diagram ego ID`",
            View::Ego { .. } => "draw less: --depth 1, or a lineage or timeline of the entity",
        }
    }
}

/// How and where a diagram is drawn, checked.
pub(super) struct Drawing {
    pub(super) kind: diagram::Kind,
    /// Where it goes: a file, or standard output (`None`, `-o -`,
    /// `-o /dev/stdout`).
    pub(super) output: Option<PathBuf>,
    /// The file, when `output` names one (not standard output).
    pub(super) file: Option<PathBuf>,
    pub(super) sources: SourcesArg,
    pub(super) options: DiagramOptions,
}

impl DiagramArgs {
    /// The drawing these options ask for, of the dataset read from
    /// `origin` as `claimed_by` sees it.
    pub(super) fn drawing(
        &self,
        origin: &str,
        claimed_by: Option<&str>,
    ) -> Result<Drawing, Failure> {
        let usage = Failure::usage;
        // `-o -` and `-o /dev/stdout` say "standard output", not a file
        // name to take a format from.
        let file = self.output.as_deref().filter(|p| !write::is_stdout(p));
        let kind = kind(self.format, file)?;
        if file.is_none()
            && matches!(kind, diagram::Kind::Png | diagram::Kind::Pdf)
            && io::stdout().is_terminal()
        {
            return Err(usage(
                "PNG and PDF are binary: give -o FILE, or redirect the output".into(),
            ));
        }
        if let Some(p) = &self.output {
            write::check_output(p)?;
        }
        if self.sources == SourcesArg::Handout && file.is_none() {
            return Err(usage(
                "`--sources handout` writes the sources beside the picture: give -o FILE".into(),
            ));
        }
        let size = match self.size {
            SizeArg::Slide => Size::Slide,
            SizeArg::Handout => Size::Handout,
            SizeArg::Poster => Size::Poster,
        };
        Ok(Drawing {
            kind,
            output: self.output.clone(),
            file: file.map(Path::to_path_buf),
            sources: self.sources,
            options: DiagramOptions {
                data: origin.to_string(),
                claimed_by: claimed_by.map(str::to_string),
                link_base: self
                    .link_base
                    .as_deref()
                    .map(diagram::link_base)
                    .transpose()?,
                size,
                title: self.title.clone(),
                caption: self.caption.clone(),
                squeeze: 0,
                sources_apart: self.sources != SourcesArg::List,
            },
        })
    }
}

/// The format `--format` names, or else the one the file's name asks for,
/// or else DOT on standard output.
fn kind(format: Option<DiagramFormat>, file: Option<&Path>) -> Result<diagram::Kind, Failure> {
    use diagram::Kind;
    let markdown = file.is_some_and(|p| Kind::from_path(p) == Some(Kind::Markdown));
    Ok(match (format, file) {
        (Some(DiagramFormat::Dot), _) => Kind::Dot,
        (Some(DiagramFormat::Svg), _) => Kind::Svg,
        (Some(DiagramFormat::Png), _) => Kind::Png,
        (Some(DiagramFormat::Pdf), _) => Kind::Pdf,
        (Some(DiagramFormat::Mermaid), _) if markdown => Kind::Markdown,
        (Some(DiagramFormat::Mermaid), _) => Kind::Mermaid,
        (None, Some(p)) => Kind::from_path(p).ok_or_else(|| {
            Failure::usage(format!(
                "cannot tell the format from `{}`: use .dot, .svg, .png, .pdf, .mmd or .md, or give --format",
                p.display()
            ))
        })?,
        (None, None) => Kind::Dot,
    })
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

impl From<ByArg> for By {
    fn from(b: ByArg) -> By {
        match b {
            ByArg::Kind => By::Kind,
            ByArg::Side => By::Side,
            ByArg::Stance => By::Stance,
            ByArg::Status => By::Status,
            ByArg::Source => By::Source,
        }
    }
}

impl From<CiteStyleArg> for CiteStyle {
    fn from(s: CiteStyleArg) -> CiteStyle {
        match s {
            CiteStyleArg::Chicago => CiteStyle::Chicago,
            CiteStyleArg::Apa => CiteStyle::Apa,
        }
    }
}
