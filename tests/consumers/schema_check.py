"""Validate every YAML file of a dataset against the schemas `detente export
schema` wrote, the way an editor's YAML language server would (YAML 1.2:
`2017-10-04` is text, not a date), and a file with mistakes against the
entity schema.

    python3 tests/consumers/schema_check.py SCHEMA_DIR DATA_DIR...

Prints {"checked": N, "errors": [...], "bad": [...]} as JSON.
"""

import glob
import json
import os
import sys

import jsonschema
import yaml


class Yaml12(yaml.SafeLoader):
    """PyYAML without YAML 1.1's timestamps, as the language server reads."""


Yaml12.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def messages(error):
    """The error and, under a `oneOf`, what each alternative said."""
    yield error.message
    for sub in error.context or []:
        yield from messages(sub)


def schema_for(path):
    name = os.path.basename(path)
    if name.startswith("ontology."):
        return "ontology"
    if name.startswith("sources."):
        return "sources"
    return "entities"


def main():
    schema_dir, data_dirs = sys.argv[1], sys.argv[2:]
    schemas = {
        n: json.load(open(os.path.join(schema_dir, f"{n}.schema.json"), encoding="utf-8"))
        for n in ["entities", "ontology", "sources"]
    }
    for s in schemas.values():
        jsonschema.Draft7Validator.check_schema(s)
    checked, errors = 0, []
    for data in data_dirs:
        for path in sorted(glob.glob(os.path.join(data, "**", "*.yaml"), recursive=True)):
            with open(path, encoding="utf-8") as f:
                doc = yaml.load(f, Loader=Yaml12)
            validator = jsonschema.Draft7Validator(schemas[schema_for(path)])
            errors += [f"{path}: {e.message}" for e in validator.iter_errors(doc)]
            checked += 1
    bad = [
        {"id": "x", "kind": "mechanism", "name": "X", "summray": "a misspelt field"},
        {"id": "Y!", "kind": "mechanismm", "name": "Y", "sources": [{"source": "siis-2021"}]},
    ]
    found = sorted(
        m for e in jsonschema.Draft7Validator(schemas["entities"]).iter_errors(bad) for m in messages(e)
    )
    print(json.dumps({"checked": checked, "errors": errors, "bad": found}))


if __name__ == "__main__":
    main()
