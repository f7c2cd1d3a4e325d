// Checks a Cypher script with Neo4j's own parser and semantic analysis
// (@neo4j-cypher/language-support, the library behind Neo4j's VS Code
// extension and Workspace). Prints the number of statements and every
// diagnostic (errors and warnings) as JSON.
const fs = require('fs');
const { lintCypherQuery, parseStatementsStrs } = require('@neo4j-cypher/language-support');

const script = fs.readFileSync(process.argv[2], 'utf8');
const { diagnostics } = lintCypherQuery(script, {});
console.log(JSON.stringify({
  statements: parseStatementsStrs(script).length,
  diagnostics: diagnostics.map((d) => ({
    severity: d.severity === 1 ? 'error' : 'warning',
    line: d.range.start.line + 1,
    message: d.message,
  })),
}));
