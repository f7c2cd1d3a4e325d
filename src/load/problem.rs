//! What can be wrong with a dataset, each problem with its place.
//!
//! Problems are data: the loader collects every one it finds and the binary
//! decides how to draw them. Messages are lower-case with values in
//! backticks; `help` says what the likely fix is.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use super::suggest::did_you_mean;
pub use super::yaml::Pos;

/// A file and a position in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    /// The file, as the user named it (or `data/…` for the built-in dataset).
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Place {
    pub(crate) fn new(file: &std::path::Path, pos: Pos) -> Place {
        Place {
            file: file.to_path_buf(),
            line: pos.line,
            column: pos.column,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One problem found while loading, at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Where it is.
    #[serde(flatten)]
    pub place: Place,
    /// What it is.
    #[serde(flatten)]
    pub problem: Problem,
}

impl Diagnostic {
    /// A suggestion for fixing it, when there is one.
    pub fn help(&self) -> Option<String> {
        self.problem.help()
    }

    /// The problem as one line for a person: [`Problem::message`] after the
    /// place, with the file name made printable too.
    pub fn message(&self) -> String {
        format!(
            "{}: {}",
            printable(&self.place.to_string()),
            self.problem.message()
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.problem)
    }
}

/// The kinds of problem, each with the values a message needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
#[allow(missing_docs)] // the fields are named for what they hold
#[non_exhaustive]
pub enum Problem {
    /// The YAML itself is malformed, or breaks a parser budget.
    #[error("invalid YAML: {message}")]
    Syntax { message: String },

    /// A flow list or mapping (`[`, `{`) opened here and never closed; the
    /// parser noticed it where it met what cannot be inside one, often
    /// later (`noticed_…`, absent when it noticed at the bracket itself).
    #[error(
        "invalid YAML: this `{bracket}` opens a flow {} that is never closed{}",
        flow_what(bracket),
        noticed_line.zip(*noticed_column).map_or_else(String::new, |(l, c)| format!(" (noticed at line {l}, column {c})"))
    )]
    UnclosedBracket {
        bracket: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        noticed_line: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        noticed_column: Option<u32>,
    },

    /// A key appears twice in one mapping.
    #[error("duplicate key `{key}` (first at line {first_line}, column {first_column})")]
    DuplicateKey {
        key: String,
        first_line: u32,
        first_column: u32,
    },

    /// A key the format does not know.
    #[error("unknown field `{field}` in {context}{}", did_you_mean(suggestion))]
    UnknownField {
        field: String,
        context: String,
        suggestion: Option<String>,
        expected: Vec<String>,
    },

    /// A required key is missing.
    #[error("{context} has no `{field}`")]
    MissingField { field: String, context: String },

    /// A value of the wrong shape.
    #[error("`{field}` must be {expected}, not {found}")]
    WrongType {
        field: String,
        expected: String,
        found: String,
    },

    /// A value outside a fixed set of choices.
    #[error("`{value}` is not a valid `{field}`{}", did_you_mean(suggestion))]
    InvalidValue {
        field: String,
        value: String,
        suggestion: Option<String>,
        expected: Vec<String>,
    },

    /// An id that does not follow the id rules.
    #[error("`{id}` is not a valid id: {reason}")]
    InvalidId { id: String, reason: String },

    /// Two things share one id.
    #[error("duplicate {what} id `{id}` (first defined at {first})")]
    DuplicateId {
        what: String,
        id: String,
        first: Place,
    },

    /// A reference to something not defined.
    #[error("unknown {what} `{id}` in `{field}`{}", unread.as_ref().map_or_else(|| did_you_mean(suggestion), |f| format!(" (it may be defined in `{f}`, which could not be read)")))]
    Unknown {
        what: String,
        id: String,
        field: String,
        suggestion: Option<String>,
        /// A file that failed to parse and might define it; no guess is
        /// offered then.
        unread: Option<String>,
    },

    /// A relation whose end has a kind the ontology does not allow.
    #[error(
        "`{relation}` cannot {direction} {kind} `{id}`: the ontology allows only {}",
        list(allowed)
    )]
    KindNotAllowed {
        relation: String,
        direction: String,
        id: String,
        kind: String,
        allowed: Vec<String>,
    },

    /// Not an EDTF date, or no such day.
    #[error("invalid date `{text}`: {reason}")]
    InvalidDate { text: String, reason: String },

    /// An interval that ends before it starts.
    #[error("date `{text}` ends before it starts")]
    EndBeforeStart { text: String },

    /// Lineage relations that go round in a circle.
    #[error("lineage cycle through `{relation}`: {}", path.join(" → "))]
    LineageCycle { relation: String, path: Vec<String> },

    /// A relation's `role` that its type does not declare.
    #[error("`{role}` is not a role of `{relation}`{}", did_you_mean(suggestion))]
    RoleNotAllowed {
        relation: String,
        role: String,
        suggestion: Option<String>,
        allowed: Vec<String>,
    },

    /// A status that its entity's date contradicts.
    #[error("status `{status}` {}, but {}", if *closed { "says it stopped" } else { "says it has not stopped" }, match date { None => "it has no date".to_string(), Some(d) => format!("the date `{d}` {}", if *closed { "gives no end" } else { "ends" }) })]
    StatusContradictsDate {
        status: String,
        /// The date as written; none when the entity has no date.
        date: Option<String>,
        /// True when the status needs a closed date, false when an open one.
        closed: bool,
    },

    /// A non-record stance with no one to attribute it to.
    #[error("a `{stance}` must say who made it: add `claimed_by`")]
    StanceWithoutClaimant { stance: String },

    /// Something stated without a source.
    #[error("{what} cites no source")]
    Uncited { what: String },

    /// A control character or bidirectional override in text.
    #[error("`{field}` contains the control character {codepoint}")]
    ControlCharacter { field: String, codepoint: String },

    /// An `ontology.yaml` or `sources.yaml` in a sub-directory.
    #[error("`{name}` is only read at the top of the dataset directory; this one is ignored")]
    MisplacedFile { name: String },

    /// An empty text where text is required.
    #[error("`{field}` is empty")]
    Empty { field: String },
}

/// What a bracket opens: `[` a list, `{` a mapping.
fn flow_what(bracket: &str) -> &'static str {
    if bracket == "{" {
        "mapping"
    } else {
        "list"
    }
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => "nothing".to_string(),
        1 => quoted[0].clone(),
        _ => format!(
            "{} and {}",
            quoted[..quoted.len() - 1].join(", "),
            quoted[quoted.len() - 1]
        ),
    }
}

/// Longest value echoed in a message, in characters; longer ones are cut in
/// the middle. A message quotes what the data says, and data can be a
/// 50 MB line: the place already says where to look.
const MAX_QUOTED: usize = 120;

/// Longest message, in characters, whatever it quotes (parser messages
/// included).
const MAX_MESSAGE: usize = 1_000;

/// `s` with every character that could restyle, move or reorder a terminal
/// (control codes, newline and tab included, and bidirectional controls)
/// written as a visible `\u{…}` escape. A message is one line, so a newline
/// in a quoted value is escaped too.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` cut to at most `max` characters (plus the ellipsis and the count of
/// what was left out), keeping its start and end.
fn shorten(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max * 2 / 3).collect();
    let tail_len = max - max * 2 / 3;
    let tail: String = s.chars().skip(n - tail_len).collect();
    format!("{head}…[{} characters]…{tail}", n - max)
}

impl Problem {
    /// The message for a person: every value quoted in backticks is cut to
    /// a readable length and every control character made visible, so a
    /// hostile file cannot flood or restyle the terminal. The `Display`
    /// form, and the fields themselves, stay exact for programs.
    pub fn message(&self) -> String {
        let full = self.to_string();
        let mut out = String::new();
        // Odd pieces are inside backticks: the values from the data.
        for (i, piece) in full.split('`').enumerate() {
            if i > 0 {
                out.push('`');
            }
            if i % 2 == 1 {
                out.push_str(&shorten(piece, MAX_QUOTED));
            } else {
                out.push_str(piece);
            }
        }
        printable(&shorten(&out, MAX_MESSAGE))
    }

    /// The likely fix, in a sentence.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            // The parser's messages are many and unnamed; the few with a fix
            // of their own are told apart by their (fixed) words.
            Problem::Syntax { message } if message.contains("not UTF-8") => {
                "save the file as UTF-8 text (in most editors: Save with Encoding, UTF-8)".into()
            }
            Problem::Syntax { message } if message.contains("a tab where indentation") => {
                "replace the tab with spaces".into()
            }
            Problem::Syntax { message } if message.contains("unsupported tag") => {
                "remove the tag: detente reads plain YAML texts, lists and mappings".into()
            }
            Problem::Syntax { message } if message.contains("split it into several files") => {
                "every `.yaml` file in the dataset directory is read, so the data can be spread over as many as needed (sources over files under `sources/`)".into()
            }
            Problem::Syntax { .. } => {
                "check indentation, quotes and brackets near this place; text containing `: ` or `#` needs quotes".into()
            }
            Problem::UnclosedBracket { bracket, .. } => format!(
                "close it with `{}` where the {} ends; a `{bracket}` that is part of a text needs the text in quotes",
                if bracket == "{" { "}" } else { "]" },
                flow_what(bracket)
            ),
            Problem::DuplicateKey { key, .. } => {
                format!("keep one `{key}`; when both are meant, make it a list")
            }
            Problem::UnknownField {
                suggestion: Some(s),
                ..
            } => format!("rename it to `{s}`"),
            Problem::UnknownField { expected, .. } => {
                format!("the fields allowed here are {}", list(expected))
            }
            Problem::MissingField { field, .. } => format!("add `{field}: …`"),
            Problem::InvalidValue {
                suggestion: Some(s),
                ..
            } => format!("write `{s}`"),
            Problem::InvalidValue { expected, .. } => format!("use one of {}", list(expected)),
            Problem::InvalidId { .. } => {
                "ids use lower-case letters, digits, `-`, `_` and `.`, and start with a letter or digit".into()
            }
            Problem::DuplicateId { .. } => "give one of them another id".into(),
            Problem::Unknown {
                unread: Some(f), ..
            } => format!("fix `{f}` first; this may then resolve itself"),
            // A close id may still be the wrong guess for a source or an
            // entity not yet written (`ncuscr-2019` beside `ncuscr-2017`),
            // so the way to add it stays in the help.
            Problem::Unknown {
                what,
                id,
                suggestion: Some(s),
                ..
            } => match what.as_str() {
                "source" => format!(
                    "write `{s}`, or if `{id}` is a new source, add it to sources.yaml: \
                     `- {{ id: {id}, title: \"…\", author: …, date: … }}`"
                ),
                "entity" => format!(
                    "write `{s}`, or if `{id}` is new, create it in a data file: \
                     `- {{ id: {id}, kind: …, name: …, sources: [{{ source: …, at: \"…\" }}] }}`"
                ),
                _ => format!("write `{s}`"),
            },
            Problem::Unknown { what, id, .. } => match what.as_str() {
                "kind" => "declare it under `kinds:` in ontology.yaml, or fix the spelling".into(),
                "side" => "declare it under `sides:` in ontology.yaml, or fix the spelling".into(),
                "status" => {
                    "declare it under `statuses:` in ontology.yaml, or fix the spelling".into()
                }
                "relation type" => {
                    "declare it under `relations:` in ontology.yaml, or fix the spelling".into()
                }
                "source" => format!(
                    "if it is a new source, add it to sources.yaml: \
                     `- {{ id: {id}, title: \"…\", author: …, date: … }}`; \
                     otherwise correct the id"
                ),
                "entity" => format!(
                    "if it is new, create it in a data file: \
                     `- {{ id: {id}, kind: …, name: …, sources: [{{ source: …, at: \"…\" }}] }}`; \
                     otherwise correct the id"
                ),
                _ => format!("define an {what} with this id, or fix the spelling"),
            },
            Problem::KindNotAllowed { relation, .. } => format!(
                "use another relation type, or add the kind to `{relation}` in ontology.yaml"
            ),
            Problem::InvalidDate { .. } => {
                "write EDTF: `2017`, `2017-10`, `2017-10-04`, `2015-12/2016-12`, `2018~` (about), `2014?` (uncertain), `2017/..` (ongoing)".into()
            }
            Problem::EndBeforeStart { .. } => "swap the two ends, or fix the typo".into(),
            Problem::LineageCycle { .. } => {
                "a mechanism cannot succeed its own successor; remove or reverse one of these relations".into()
            }
            Problem::RoleNotAllowed {
                suggestion: Some(s),
                ..
            } => format!("write `{s}`"),
            Problem::RoleNotAllowed {
                relation, allowed, ..
            } if allowed.is_empty() => format!(
                "`{relation}` declares no roles: add `roles: [...]` to it in ontology.yaml, or remove `role`"
            ),
            Problem::RoleNotAllowed {
                relation, allowed, ..
            } => format!(
                "use one of {}, or declare it under `roles:` of `{relation}` in ontology.yaml",
                list(allowed)
            ),
            Problem::StatusContradictsDate { closed: true, .. } => {
                "give the date an end (`2015-09/2017-04`, `/2014`), or choose a status for something still going".into()
            }
            Problem::StatusContradictsDate { closed: false, .. } => {
                "open the date's end (`2017/..` ongoing, `2017/` end unknown), or choose a status for something that stopped".into()
            }
            Problem::StanceWithoutClaimant { .. } => {
                "name the person, body or document making it with `claimed_by: ID`, or use `stance: record`".into()
            }
            Problem::Uncited { .. } => {
                "add `sources: [{source: ID, at: \"page or section\"}]`".into()
            }
            Problem::Empty { .. } => "write the text, or remove the field".into(),
            Problem::MisplacedFile { name } if name.to_lowercase().starts_with("sources.") => {
                format!(
                    "move its contents into the top-level `{name}` or a file under `sources/`, or rename the file"
                )
            }
            Problem::MisplacedFile { name } => {
                format!("move its contents into the top-level `{name}`, or rename the file")
            }
            Problem::ControlCharacter { .. } => {
                "remove it: control codes and direction overrides could disguise what a reader sees, and U+FFFE and U+FFFF cannot be written to YAML, JSON or XML".into()
            }
            Problem::WrongType { .. } => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_cut_long_values_and_show_control_characters() {
        let p = Problem::InvalidId {
            id: "x".repeat(1_000_000),
            reason: "too long".into(),
        };
        let m = p.message();
        assert!(m.len() < 400, "{}", m.len());
        assert!(m.contains("…[999880 characters]…"), "{m}");
        let p = Problem::ControlCharacter {
            field: "names.e\u{202e}n\u{1b}[2J".into(),
            codepoint: "U+001B".into(),
        };
        assert_eq!(
            p.message(),
            "`names.e\\u{202e}n\\u{1b}[2J` contains the control character U+001B"
        );
    }

    #[test]
    fn messages_name_values_in_backticks() {
        let p = Problem::Unknown {
            what: "entity".into(),
            id: "lecd-2071".into(),
            field: "relations[3].to".into(),
            suggestion: Some("lecd-2017".into()),
            unread: None,
        };
        assert_eq!(
            p.to_string(),
            "unknown entity `lecd-2071` in `relations[3].to` (did you mean `lecd-2017`?)"
        );
        let p = Problem::KindNotAllowed {
            relation: "session_of".into(),
            direction: "point to".into(),
            id: "xi-jinping".into(),
            kind: "person".into(),
            allowed: vec!["mechanism".into()],
        };
        assert_eq!(
            p.to_string(),
            "`session_of` cannot point to person `xi-jinping`: the ontology allows only `mechanism`"
        );
    }
}
