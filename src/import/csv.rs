//! `detente import csv nodes.csv edges.csv`: two spreadsheets, one row per
//! entity and one per relation, into a YAML entity file for a dataset
//! whose ontology and sources already declare the vocabulary.
//!
//! Columns, matched by header name (case and spaces ignored), in any order:
//! - nodes: `ID`, `Kind` (or `Type`: a kind's id or label), `Name`,
//!   `Source` and `At` (the citation and its locator); optional `Short`,
//!   `Side`, `Status`, `Date`, `Place`, `Summary` (or `Description`),
//!   `Aliases` and `Other names` (both `;`-separated, the second as
//!   `lang: name`), `Quote` (the citation's exact words).
//! - edges: `From`, `To`, `Type` (a relation type's id or label), `Source`,
//!   `At`; optional `Role`, `Date`, `Summary` (or `Description`), `Stance`,
//!   `Claimed by`, `Quote`.
//!
//! Nothing a sheet holds is dropped: a column the import does not read, a
//! second column for one field, or a cell beyond the header's last column
//! is refused at its place rather than ignored.
//!
//! Every row is checked (ids, kinds, types, roles, sides, statuses, dates,
//! sources, stances, and that `From`/`To` name an entity here or in the
//! dataset), and every problem is reported with its file, row (the line
//! number a spreadsheet shows) and column. Only a clean import produces
//! YAML; the YAML is written by serde-saphyr, so quoting is its job.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::model::date::Date;
use crate::model::entity::Stance;
use crate::model::graph::Dataset;

/// One bad cell (or a missing column, at row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The file, as given.
    pub file: String,
    /// 1-based row as a spreadsheet numbers it (the header is row 1).
    pub row: usize,
    /// 1-based column, and its header.
    pub column: usize,
    /// The column's header, or the missing column's name.
    pub header: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.row, self.column)?;
        if !self.header.is_empty() {
            write!(f, "`{}`: ", self.header)?;
        }
        f.write_str(&self.message)
    }
}

/// The columns a sheet may have: each field, by the header names it goes
/// by (the first is the one messages use).
type Fields = &'static [&'static [&'static str]];

const NODE_FIELDS: Fields = &[
    &["ID"],
    &["Kind", "Type"],
    &["Name", "Label"],
    &["Short"],
    &["Side"],
    &["Status"],
    &["Date"],
    &["Place"],
    &["Summary", "Description"],
    &["Aliases"],
    &["Other names"],
    &["Source"],
    &["At"],
    &["Quote"],
];

const EDGE_FIELDS: Fields = &[
    &["From"],
    &["To"],
    &["Type"],
    &["Role"],
    &["Date"],
    &["Summary", "Description"],
    &["Stance"],
    &["Claimed by"],
    &["Source"],
    &["At"],
    &["Quote"],
];

#[derive(Serialize)]
struct Citation {
    source: String,
    at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<String>,
}

#[derive(Serialize)]
struct EntityOut {
    id: String,
    kind: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    short: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    names: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    side: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    sources: Vec<Citation>,
}

#[derive(Serialize)]
struct RelationOut {
    #[serde(rename = "type")]
    kind: String,
    from: String,
    to: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    sources: Vec<Citation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claimed_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stance: Option<String>,
}

#[derive(Serialize)]
struct FileOut {
    entities: Vec<EntityOut>,
    relations: Vec<RelationOut>,
}

/// A CSV file read into header and rows, with where each row starts.
struct Table<'a> {
    file: &'a str,
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

fn key(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Table<'_> {
    fn read<'a>(file: &'a str, text: &str, problems: &mut Vec<RowProblem>) -> Table<'a> {
        // Spreadsheets save "CSV UTF-8" with a byte order mark, which is
        // not part of the first header.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut r = ::csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = match r.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => {
                problems.push(RowProblem {
                    file: file.into(),
                    row: 1,
                    column: 1,
                    header: String::new(),
                    message: format!("not CSV: {e}"),
                });
                Vec::new()
            }
        };
        let mut rows = Vec::new();
        for rec in r.records() {
            match rec {
                Ok(rec) => {
                    let row = rec.position().map_or(0, |p| p.line() as usize);
                    rows.push((row, rec.iter().map(|s| s.trim().to_string()).collect()));
                }
                Err(e) => {
                    let row = e.position().map_or(0, |p| p.line() as usize);
                    problems.push(RowProblem {
                        file: file.into(),
                        row,
                        column: 1,
                        header: String::new(),
                        message: format!("not CSV: {e}"),
                    });
                }
            }
        }
        Table {
            file,
            headers,
            rows,
        }
    }

    /// Refuses what the import would otherwise drop without a word: a
    /// column no field of the sheet goes by, a second column for a field
    /// (only the first would be read), and a cell beyond the header's last
    /// column. A column with neither header nor text holds nothing to lose.
    fn refuse_unread(&self, sheet: &str, fields: Fields, problems: &mut Vec<RowProblem>) {
        let known = fields
            .iter()
            .map(|names| format!("`{}`", names[0]))
            .collect::<Vec<_>>()
            .join(", ");
        let mut first: BTreeMap<usize, usize> = BTreeMap::new();
        for (c, h) in self.headers.iter().enumerate() {
            let field = fields
                .iter()
                .position(|names| names.iter().any(|n| key(n) == key(h)));
            let message = match field {
                Some(f) => match first.get(&f) {
                    Some(&prev) => format!(
                        "a second column for `{}` (the first is column {}, `{}`), which would be ignored; keep one",
                        fields[f][0],
                        prev + 1,
                        self.headers[prev]
                    ),
                    None => {
                        first.insert(f, c);
                        continue;
                    }
                },
                None if h.is_empty() => {
                    if self
                        .rows
                        .iter()
                        .all(|(_, cells)| cells.get(c).is_none_or(String::is_empty))
                    {
                        continue;
                    }
                    format!(
                        "a column without a header, whose cells would be dropped; name it one of the {sheet} columns: {known}"
                    )
                }
                None => format!(
                    "not a column the import reads, so its cells would be dropped; the {sheet} columns are {known}: rename it, or remove it"
                ),
            };
            problems.push(RowProblem {
                file: self.file.into(),
                row: 1,
                column: c + 1,
                header: h.clone(),
                message,
            });
        }
        for (row, cells) in &self.rows {
            if let Some(c) = (self.headers.len()..cells.len()).find(|&c| !cells[c].is_empty()) {
                problems.push(RowProblem {
                    file: self.file.into(),
                    row: *row,
                    column: c + 1,
                    header: String::new(),
                    message: format!(
                        "`{}` is beyond the last column (the header has {}), so it would be dropped; give its column a header, or remove it",
                        cells[c],
                        self.headers.len()
                    ),
                });
            }
        }
    }

    /// The index of the first column called any of `names`.
    fn column(&self, names: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| names.iter().any(|n| key(h) == key(n)))
    }

    fn require(&self, names: &[&str], problems: &mut Vec<RowProblem>) -> Option<usize> {
        let c = self.column(names);
        if c.is_none() {
            problems.push(RowProblem {
                file: self.file.into(),
                row: 1,
                column: self.headers.len() + 1,
                header: names[0].into(),
                message: format!("no `{}` column", names.join("` or `")),
            });
        }
        c
    }
}

/// A row being checked: its cells, and where to report.
struct Row<'t, 'p> {
    table: &'t Table<'t>,
    row: usize,
    cells: &'t [String],
    problems: &'p mut Vec<RowProblem>,
}

impl Row<'_, '_> {
    fn report(&mut self, col: usize, message: String) {
        self.problems.push(RowProblem {
            file: self.table.file.into(),
            row: self.row,
            column: col + 1,
            header: self.table.headers.get(col).cloned().unwrap_or_default(),
            message,
        });
    }

    fn get(&self, col: Option<usize>) -> Option<String> {
        col.and_then(|c| self.cells.get(c))
            .filter(|s| !s.is_empty())
            .cloned()
    }

    fn required(&mut self, col: Option<usize>) -> Option<String> {
        let c = col?;
        let v = self.get(Some(c));
        if v.is_none() {
            self.report(c, "empty; every row needs it".into());
        }
        v
    }

    fn id(&mut self, col: Option<usize>) -> Option<String> {
        let v = self.required(col)?;
        let ok = v.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && v.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
        if !ok {
            self.report(
                col.unwrap_or(0),
                format!("`{v}` is not an id: use lower-case letters, digits, `-`, `_` and `.`"),
            );
            return None;
        }
        Some(v)
    }

    /// A term of the vocabulary, by id or by label.
    fn term(
        &mut self,
        col: Option<usize>,
        what: &str,
        terms: &[(String, String)],
        required: bool,
    ) -> Option<String> {
        let v = if required {
            self.required(col)?
        } else {
            self.get(col)?
        };
        match terms
            .iter()
            .find(|(id, label)| *id == v || label.eq_ignore_ascii_case(&v))
        {
            Some((id, _)) => Some(id.clone()),
            None => {
                let known: Vec<&str> = terms.iter().map(|(id, _)| id.as_str()).collect();
                self.report(
                    col.unwrap_or(0),
                    format!(
                        "unknown {what} `{v}`; the dataset declares: {}",
                        known.join(", ")
                    ),
                );
                None
            }
        }
    }

    fn date(&mut self, col: Option<usize>) -> Option<String> {
        let v = self.get(col)?;
        match Date::parse(&v) {
            Ok(_) => Some(v),
            Err(e) => {
                self.report(col.unwrap_or(0), format!("`{v}` is not an EDTF date: {e}"));
                None
            }
        }
    }

    /// The citation: `Source` must name a source of the dataset, `At` says
    /// where in it; both are needed, as every fact is cited.
    fn citation(
        &mut self,
        source: Option<usize>,
        at: Option<usize>,
        quote: Option<usize>,
        ds: &Dataset,
    ) -> Vec<Citation> {
        let (Some(s), Some(a)) = (self.required(source), self.required(at)) else {
            return Vec::new();
        };
        if ds.source(&s).is_none() {
            self.report(
                source.unwrap_or(0),
                format!("unknown source `{s}`; add it to sources.yaml first"),
            );
            return Vec::new();
        }
        vec![Citation {
            source: s,
            at: a,
            quote: self.get(quote),
        }]
    }

    /// A `;`-separated list, without empty items.
    fn list(&self, col: Option<usize>) -> Vec<String> {
        self.get(col)
            .map(|v| {
                v.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Other-language names, `lang: name; lang: name`, as the CSV export
    /// writes them.
    fn names(&mut self, col: Option<usize>) -> BTreeMap<String, String> {
        let mut names = BTreeMap::new();
        for item in self.list(col) {
            let pair = item
                .split_once(':')
                .map(|(l, n)| (l.trim(), n.trim()))
                .filter(|(l, n)| {
                    !n.is_empty()
                        && !l.is_empty()
                        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                });
            match pair {
                Some((lang, name)) if !names.contains_key(lang) => {
                    names.insert(lang.to_string(), name.to_string());
                }
                Some((lang, _)) => self.report(
                    col.unwrap_or(0),
                    format!("`{lang}` has two names; give one name a language"),
                ),
                None => self.report(
                    col.unwrap_or(0),
                    format!(
                        "`{item}` is not `language: name` (as in `zh: 中美执法与网络安全对话`)"
                    ),
                ),
            }
        }
        names
    }

    /// A role its relation type declares, by id or label.
    fn role(&mut self, col: Option<usize>, kind: Option<&str>, ds: &Dataset) -> Option<String> {
        let v = self.get(col)?;
        let def = ds.ontology().relations.get(kind?)?;
        if let Some((id, _)) = def
            .roles
            .iter()
            .find(|(id, r)| **id == v || r.label.eq_ignore_ascii_case(&v))
        {
            return Some(id.to_string());
        }
        let declared = if def.roles.is_empty() {
            "it declares none".to_string()
        } else {
            format!(
                "it declares: {}",
                def.roles.keys().cloned().collect::<Vec<_>>().join(", ")
            )
        };
        self.report(
            col.unwrap_or(0),
            format!(
                "`{v}` is not a role of `{}`; {declared}",
                kind.unwrap_or("")
            ),
        );
        None
    }
}

/// Checks two CSV files against `ds` (the dataset they will join) and
/// returns the YAML of one entity file, or every problem, in file and row
/// order.
pub fn import_csv(
    ds: &Dataset,
    nodes: (&str, &str),
    edges: (&str, &str),
) -> Result<String, Vec<RowProblem>> {
    let o = ds.ontology();
    let kinds: Vec<(String, String)> = o
        .kinds
        .iter()
        .map(|(k, d)| (k.to_string(), d.label.clone()))
        .collect();
    let types: Vec<(String, String)> = o
        .relations
        .iter()
        .map(|(k, d)| (k.to_string(), d.label.clone()))
        .collect();
    let sides: Vec<(String, String)> = o
        .sides
        .iter()
        .map(|(k, d)| (k.to_string(), d.label.clone()))
        .collect();
    let statuses: Vec<(String, String)> = o
        .statuses
        .iter()
        .map(|(k, d)| (k.to_string(), d.label.clone()))
        .collect();
    let stances: Vec<(String, String)> = Stance::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.as_str().to_string()))
        .collect();

    let mut problems = Vec::new();
    let nt = Table::read(nodes.0, nodes.1, &mut problems);
    let et = Table::read(edges.0, edges.1, &mut problems);
    let unreadable = !problems.is_empty();
    nt.refuse_unread("nodes", NODE_FIELDS, &mut problems);
    et.refuse_unread("edges", EDGE_FIELDS, &mut problems);
    let n_id = nt.require(&["ID"], &mut problems);
    let n_kind = nt.require(&["Kind", "Type"], &mut problems);
    let n_name = nt.require(&["Name", "Label"], &mut problems);
    let (n_short, n_side, n_status, n_date, n_place, n_summary, n_source, n_at) = (
        nt.column(&["Short"]),
        nt.column(&["Side"]),
        nt.column(&["Status"]),
        nt.column(&["Date"]),
        nt.column(&["Place"]),
        nt.column(&["Summary", "Description"]),
        nt.require(&["Source"], &mut problems),
        nt.require(&["At"], &mut problems),
    );
    let (n_aliases, n_names, n_quote) = (
        nt.column(&["Aliases"]),
        nt.column(&["Other names"]),
        nt.column(&["Quote"]),
    );
    let e_from = et.require(&["From"], &mut problems);
    let e_to = et.require(&["To"], &mut problems);
    let e_type = et.require(&["Type"], &mut problems);
    let (e_date, e_summary, e_source, e_at, e_stance, e_claimed) = (
        et.column(&["Date"]),
        et.column(&["Summary", "Description"]),
        et.require(&["Source"], &mut problems),
        et.require(&["At"], &mut problems),
        et.column(&["Stance"]),
        et.column(&["Claimed by"]),
    );
    let (e_role, e_quote) = (et.column(&["Role"]), et.column(&["Quote"]));
    let required = [
        n_id, n_kind, n_name, n_source, n_at, e_from, e_to, e_type, e_source, e_at,
    ];
    // Without a required column no row can be checked.
    if unreadable || required.iter().any(Option::is_none) {
        return Err(in_order(problems, nodes.0));
    }

    let mut entities = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (row, cells) in &nt.rows {
        let mut r = Row {
            table: &nt,
            row: *row,
            cells,
            problems: &mut problems,
        };
        let id = r.id(n_id);
        if let Some(id) = &id {
            if let Some(first) = seen.get(id) {
                r.report(n_id.unwrap_or(0), format!("`{id}` is also on row {first}"));
            } else if ds.entity(id).is_some() {
                r.report(
                    n_id.unwrap_or(0),
                    format!("`{id}` is already in the dataset"),
                );
            } else {
                seen.insert(id.clone(), *row);
            }
        }
        let kind = r.term(n_kind, "kind", &kinds, true);
        let name = r.required(n_name);
        let side = r.term(n_side, "side", &sides, false);
        let status = r.term(n_status, "status", &statuses, false);
        let date = r.date(n_date);
        let names = r.names(n_names);
        let sources = r.citation(n_source, n_at, n_quote, ds);
        if let (Some(id), Some(kind), Some(name), false) = (id, kind, name, sources.is_empty()) {
            entities.push(EntityOut {
                id,
                kind,
                name,
                short: r.get(n_short),
                names,
                aliases: r.list(n_aliases),
                side,
                date,
                status,
                place: r.get(n_place),
                summary: r.get(n_summary),
                sources,
            });
        }
    }
    let known: BTreeSet<&String> = seen.keys().collect();
    let mut relations = Vec::new();
    for (row, cells) in &et.rows {
        let mut r = Row {
            table: &et,
            row: *row,
            cells,
            problems: &mut problems,
        };
        let end = |r: &mut Row, col: Option<usize>| {
            let id = r.id(col)?;
            if known.contains(&id) || ds.entity(&id).is_some() {
                Some(id)
            } else {
                r.report(
                    col.unwrap_or(0),
                    format!("no entity `{id}` in nodes or in the dataset"),
                );
                None
            }
        };
        let from = end(&mut r, e_from);
        let to = end(&mut r, e_to);
        let kind = r.term(e_type, "relation type", &types, true);
        let role = r.role(e_role, kind.as_deref(), ds);
        let date = r.date(e_date);
        let stance = r.term(e_stance, "stance", &stances, false);
        let claimed_by = r.get(e_claimed);
        if let Some(c) = &claimed_by {
            if !known.contains(c) && ds.entity(c).is_none() {
                r.report(
                    e_claimed.unwrap_or(0),
                    format!("no entity `{c}` in nodes or in the dataset"),
                );
            }
        }
        let sources = r.citation(e_source, e_at, e_quote, ds);
        if let (Some(from), Some(to), Some(kind), false) = (from, to, kind, sources.is_empty()) {
            relations.push(RelationOut {
                kind,
                from,
                to,
                role,
                date,
                summary: r.get(e_summary),
                sources,
                claimed_by,
                stance,
            });
        }
    }
    if !problems.is_empty() {
        return Err(in_order(problems, nodes.0));
    }
    let yaml = serde_saphyr::to_string(&FileOut {
        entities,
        relations,
    })
    .expect("plain data serialises");
    Ok(format!("# Imported by `detente import csv`.\n{yaml}"))
}

/// Problems in file order (nodes first), then by row and column.
fn in_order(mut problems: Vec<RowProblem>, nodes: &str) -> Vec<RowProblem> {
    problems.sort_by(|a, b| {
        (a.file != nodes, a.row, a.column).cmp(&(b.file != nodes, b.row, b.column))
    });
    problems
}
