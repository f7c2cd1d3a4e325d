//! `neo4j`: the CSV files and headers `neo4j-admin database import full`
//! expects (`:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed
//! properties such as `cited:int` and `earliest:date`), plus `import.cypher`,
//! a `LOAD CSV` script for a running server. Lists (aliases) use `;`, the
//! import tool's default array delimiter.

use super::escape;
use super::{csv::citations, dates, ExportFile, Exporter};
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
  SET e.name = row.name, e.label = row.label, e.kind = row.kind,
      e.side = row.side, e.status = row.status, e.date = row.date,
      e.earliest = CASE row.`earliest:date` WHEN '' THEN null ELSE date(row.`earliest:date`) END,
      e.latest = CASE row.`latest:date` WHEN '' THEN null ELSE date(row.`latest:date`) END,
      e.summary = row.summary, e.citations = row.citations,
      e.cited = toInteger(row.`cited:int`),
      e.aliases = CASE row.`aliases:string[]` WHEN '' THEN [] ELSE split(row.`aliases:string[]`, ';') END
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
        let mut nodes = vec![[
            "id:ID",
            ":LABEL",
            "name",
            "label",
            "kind",
            "side",
            "status",
            "date",
            "earliest:date",
            "latest:date",
            "aliases:string[]",
            "summary",
            "citations",
            "cited:int",
        ]
        .map(String::from)
        .to_vec()];
        for e in ds.entities() {
            let (earliest, latest) = dates(e.date.as_ref());
            nodes.push(vec![
                e.id.clone(),
                format!("Entity;{}", label(&e.kind)),
                e.name.clone(),
                e.label().to_string(),
                e.kind.clone(),
                e.side.clone().unwrap_or_default(),
                e.status.clone().unwrap_or_default(),
                e.date
                    .as_ref()
                    .map(|d| d.as_str().to_string())
                    .unwrap_or_default(),
                earliest,
                latest,
                // The import tool splits arrays on `;`: an alias holding
                // one is written with a comma instead.
                e.aliases
                    .iter()
                    .map(|a| a.replace(';', ","))
                    .collect::<Vec<_>>()
                    .join(";"),
                e.summary.clone().unwrap_or_default(),
                citations(ds, &e.sources),
                e.sources.len().to_string(),
            ]);
        }
        let mut rels = vec![[
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "date",
            "earliest:date",
            "latest:date",
            "stance",
            "claimed_by",
            "summary",
            "citations",
            "cited:int",
        ]
        .map(String::from)
        .to_vec()];
        let mut types = std::collections::BTreeSet::new();
        for (from, to, r) in ds.relations() {
            let (earliest, latest) = dates(r.date.as_ref());
            types.insert(r.kind.clone());
            rels.push(vec![
                from.id.clone(),
                to.id.clone(),
                rel_type(&r.kind),
                r.date
                    .as_ref()
                    .map(|d| d.as_str().to_string())
                    .unwrap_or_default(),
                earliest,
                latest,
                r.stance.as_str().to_string(),
                r.claimed_by.clone().unwrap_or_default(),
                r.summary.clone().unwrap_or_default(),
                citations(ds, &r.sources),
                r.sources.len().to_string(),
            ]);
        }
        let mut cypher = String::from(CYPHER);
        for t in types {
            let t = rel_type(&t);
            cypher.push_str(&format!(
                "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
WITH row WHERE row.`:TYPE` = '{t}'
CALL (row) {{
  MATCH (a:Entity {{id: row.`:START_ID`}})
  MATCH (b:Entity {{id: row.`:END_ID`}})
  CREATE (a)-[r:`{t}`]->(b)
  SET r.date = row.date, r.stance = row.stance, r.claimed_by = row.claimed_by,
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
