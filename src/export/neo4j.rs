//! `neo4j`: the CSV files and headers `neo4j-admin database import full`
//! expects (`:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed
//! properties such as `cited:int` and `earliest:date`), plus `import.cypher`,
//! a `LOAD CSV` script for a running server. Lists (aliases) use `;`, the
//! import tool's default array delimiter.

use super::csv::{citations, Edge};
use super::escape;
use super::table::{
    claim_citations, claim_stance, claimed_by, earliest, latest, record, sheet, written,
};
use super::{ExportFile, Exporter};
use crate::model::entity::Entity;
use crate::model::graph::Dataset;

/// The `neo4j` format.
pub struct Neo4j;

/// Neo4j labels and relationship types: the kind and type names, which
/// the loader restricts to identifiers, in the conventional case.
fn label(kind: &str) -> String {
    kind.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn rel_type(kind: &str) -> String {
    kind.to_uppercase().replace('-', "_")
}

const CYPHER: &str = "// Load detente's export into a running Neo4j server. Copy nodes.csv and
// relationships.csv into the server's import directory, then run this file
// (cypher-shell -f import.cypher). Relationships are created with APOC-free
// Cypher: one MERGE per relationship type present in the data.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
CALL (row) {
  MERGE (e:Entity {id: row.`id:ID`})
  SET e.name = row.name, e.label = row.label, e.short = row.short, e.kind = row.kind,
      e.side = row.side, e.status = row.status, e.date = row.date, e.place = row.place,
      e.status_claimed_by = row.status_claimed_by, e.status_stance = row.status_stance,
      e.status_citations = row.status_citations,
      e.date_claimed_by = row.date_claimed_by, e.date_stance = row.date_stance,
      e.date_citations = row.date_citations, e.record = row.record,
      e.earliest = CASE row.`earliest:date` WHEN '' THEN null ELSE date(row.`earliest:date`) END,
      e.latest = CASE row.`latest:date` WHEN '' THEN null ELSE date(row.`latest:date`) END,
      e.summary = row.summary, e.citations = row.citations,
      e.cited = toInteger(row.`cited:int`),
      e.aliases = CASE row.`aliases:string[]` WHEN '' THEN [] ELSE split(row.`aliases:string[]`, ';') END,
      e.names = CASE row.`names:string[]` WHEN '' THEN [] ELSE split(row.`names:string[]`, ';') END
} IN TRANSACTIONS OF 1000 ROWS;
";

impl Exporter for Neo4j {
    fn name(&self) -> &'static str {
        "neo4j"
    }

    fn about(&self) -> &'static str {
        "CSV for neo4j-admin import, and a LOAD CSV script"
    }

    fn export(&self, ds: &Dataset) -> Vec<ExportFile> {
        let nodes = sheet(
            &[
                ("id:ID", &|e: &&Entity| e.id.to_string()),
                (":LABEL", &|e| format!("Entity;{}", label(&e.kind))),
                ("name", &|e| e.name.to_string()),
                ("label", &|e| e.label().to_string()),
                ("short", &|e| {
                    e.short.as_deref().unwrap_or_default().to_string()
                }),
                ("kind", &|e| e.kind.to_string()),
                ("side", &|e| {
                    e.side.as_deref().unwrap_or_default().to_string()
                }),
                ("status", &|e| {
                    e.status.as_deref().unwrap_or_default().to_string()
                }),
                ("status_claimed_by", &|e| {
                    claimed_by(e.status_claim.as_ref())
                }),
                ("status_stance", &|e| claim_stance(e.status_claim.as_ref())),
                ("status_citations", &|e| {
                    claim_citations(ds, e.status_claim.as_ref())
                }),
                ("date", &|e| written(e.date.as_ref())),
                ("earliest:date", &|e| earliest(e.date.as_ref())),
                ("latest:date", &|e| latest(e.date.as_ref())),
                ("date_claimed_by", &|e| claimed_by(e.date_claim.as_ref())),
                ("date_stance", &|e| claim_stance(e.date_claim.as_ref())),
                ("date_citations", &|e| {
                    claim_citations(ds, e.date_claim.as_ref())
                }),
                ("place", &|e| {
                    e.place.as_deref().unwrap_or_default().to_string()
                }),
                // Other-language names as `lang: name`, one array item each.
                ("names:string[]", &|e| {
                    e.names
                        .iter()
                        .map(|(lang, n)| format!("{lang}: {}", n.replace(';', ",")))
                        .collect::<Vec<_>>()
                        .join(";")
                }),
                // The import tool splits arrays on `;`: an alias holding
                // one is written with a comma instead.
                ("aliases:string[]", &|e| {
                    e.aliases
                        .iter()
                        .map(|a| a.replace(';', ","))
                        .collect::<Vec<_>>()
                        .join(";")
                }),
                ("summary", &|e| {
                    e.summary.as_deref().unwrap_or_default().to_string()
                }),
                ("record", &|e| record(ds, e.source.as_deref())),
                ("citations", &|e| citations(ds, &e.sources)),
                ("cited:int", &|e| e.sources.len().to_string()),
            ],
            ds.entities(),
        );
        let rels = sheet(
            &[
                (":START_ID", &|(from, _, _): &Edge| from.id.to_string()),
                (":END_ID", &|(_, to, _)| to.id.to_string()),
                (":TYPE", &|(_, _, r)| rel_type(&r.kind)),
                ("role", &|(_, _, r)| {
                    r.role.as_deref().unwrap_or_default().to_string()
                }),
                ("date", &|(_, _, r)| written(r.date.as_ref())),
                ("earliest:date", &|(_, _, r)| earliest(r.date.as_ref())),
                ("latest:date", &|(_, _, r)| latest(r.date.as_ref())),
                ("stance", &|(_, _, r)| r.stance.as_str().to_string()),
                ("claimed_by", &|(_, _, r)| {
                    r.claimed_by.as_deref().unwrap_or_default().to_string()
                }),
                ("summary", &|(_, _, r)| {
                    r.summary.as_deref().unwrap_or_default().to_string()
                }),
                ("citations", &|(_, _, r)| citations(ds, &r.sources)),
                ("cited:int", &|(_, _, r)| r.sources.len().to_string()),
            ],
            ds.relations(),
        );
        let types: std::collections::BTreeSet<&str> =
            ds.relations().map(|(_, _, r)| r.kind.as_str()).collect();
        let mut cypher = String::from(CYPHER);
        for t in types {
            let t = rel_type(t);
            cypher.push_str(&format!(
                "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = '{t}'
CALL (row) {{
  MATCH (a:Entity {{id: row.`:START_ID`}})
  MATCH (b:Entity {{id: row.`:END_ID`}})
  CREATE (a)-[r:`{t}`]->(b)
  SET r.role = row.role, r.date = row.date,
      r.earliest = CASE row.`earliest:date` WHEN '' THEN null ELSE date(row.`earliest:date`) END,
      r.latest = CASE row.`latest:date` WHEN '' THEN null ELSE date(row.`latest:date`) END,
      r.stance = row.stance, r.claimed_by = row.claimed_by,
      r.summary = row.summary, r.citations = row.citations, r.cited = toInteger(row.`cited:int`)
}} IN TRANSACTIONS OF 1000 ROWS;
"
            ));
        }
        vec![
            ExportFile {
                name: "nodes.csv".into(),
                bytes: escape::csv(&nodes),
            },
            ExportFile {
                name: "relationships.csv".into(),
                bytes: escape::csv(&rels),
            },
            ExportFile {
                name: "import.cypher".into(),
                bytes: cypher.into_bytes(),
            },
        ]
    }
}
