//! Exit codes, decided here and nowhere else.
//!
//! 0 success (and a reader that closed the pipe early), 1 invalid data or
//! an id or term the data does not have, 2 a usage or I/O error: a request
//! that cannot be answered as asked, whatever the data says.

use std::process::ExitCode;

use crate::query::QueryError;

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The answer was given.
    Success,
    /// The data is invalid, or has no such id or term.
    Data,
    /// The request is malformed, or a file could not be read or written.
    Usage,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(match e {
            Exit::Success => 0,
            Exit::Data => 1,
            Exit::Usage => 2,
        })
    }
}

/// The exit, stable error code and general help for a query the library
/// refused. Every variant is listed, so a new one cannot slip through with
/// a guessed exit code.
pub(crate) fn of_query(e: &QueryError) -> (Exit, &'static str, Option<&'static str>) {
    match e {
        QueryError::UnknownEntity { .. } => (
            Exit::Data,
            "unknown-entity",
            Some("`detente find TEXT` searches names and aliases; `detente list` shows every id"),
        ),
        QueryError::UnknownTerm { .. } => (Exit::Data, "unknown-term", None),
        QueryError::DatesOutOfOrder { .. } => (Exit::Usage, "dates-out-of-order", None),
        QueryError::TooLong { .. } => (Exit::Usage, "too-long", None),
        QueryError::TooFew { .. } => (Exit::Usage, "too-few", None),
        QueryError::AvoidsAnEnd { .. } => (Exit::Usage, "avoids-an-end", None),
        QueryError::NothingToSearch { .. } => (Exit::Usage, "nothing-to-search", None),
        QueryError::NotInLineage { .. } => (
            Exit::Usage,
            "not-in-lineage",
            Some("`detente neighbors ID` shows how it is connected; `detente list --kind mechanism` lists what has a lineage"),
        ),
    }
}

/// Help and version requests end well; argument mistakes are usage errors.
pub(crate) fn of_clap(e: &clap::Error) -> Exit {
    if e.use_stderr() {
        Exit::Usage
    } else {
        Exit::Success
    }
}
