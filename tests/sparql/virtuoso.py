"""Start a private Virtuoso Open Source server on localhost, load a Turtle
file into it, run SPARQL queries over its HTTP endpoint, print the answers
as JSON, and stop the server.

    python3 tests/sparql/virtuoso.py FILE.ttl '{"name": "SELECT ?id ..."}'

Prints {"name": [sorted values of ?id], ...}. The server runs from a
temporary directory on free ports, so it touches nothing else on the
machine, and it is stopped (and the directory removed) however the script
ends. Needs Debian's `virtuoso-opensource` (virtuoso-t, isql-vt).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

DEFAULT_INI = "/etc/virtuoso-opensource-7/virtuoso.ini"
GRAPH = "urn:detente:test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(work, sql, http):
    """The packaged configuration, with every file in `work` and our ports."""
    overrides = {
        ("Database", "DatabaseFile"): f"{work}/virtuoso.db",
        ("Database", "ErrorLogFile"): f"{work}/virtuoso.log",
        ("Database", "LockFile"): f"{work}/virtuoso.lck",
        ("Database", "TransactionFile"): f"{work}/virtuoso.trx",
        ("Database", "xa_persistent_file"): f"{work}/virtuoso.pxa",
        ("TempDatabase", "DatabaseFile"): f"{work}/virtuoso-temp.db",
        ("TempDatabase", "TransactionFile"): f"{work}/virtuoso-temp.trx",
        ("Parameters", "ServerPort"): f"127.0.0.1:{sql}",
        ("Parameters", "DirsAllowed"): f"., {work}",
        ("Parameters", "NumberOfBuffers"): "10000",
        ("Parameters", "MaxDirtyBuffers"): "6000",
        ("HTTPServer", "ServerPort"): f"127.0.0.1:{http}",
    }
    out, section = [], None
    for line in open(DEFAULT_INI, encoding="utf-8"):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        elif "=" in stripped and not stripped.startswith(";"):
            key = stripped.split("=", 1)[0].strip()
            if (section, key) in overrides:
                line = f"{key} = {overrides.pop((section, key))}\n"
        out.append(line)
    # Keys the packaged file leaves out are added to their section's end.
    text = "".join(out)
    for (section, key), value in overrides.items():
        text = text.replace(f"[{section}]\n", f"[{section}]\n{key} = {value}\n", 1)
    return text


def isql(sql_port, statement):
    return subprocess.run(
        ["isql-vt", str(sql_port), "dba", "dba", f"exec={statement}"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def main():
    ttl, queries = sys.argv[1], json.loads(sys.argv[2])
    work = tempfile.mkdtemp(prefix="detente-virtuoso-")
    server = None
    try:
        sql, http = free_port(), free_port()
        ini = os.path.join(work, "virtuoso.ini")
        with open(ini, "w", encoding="utf-8") as f:
            f.write(config(work, sql, http))
        shutil.copy(ttl, os.path.join(work, "data.ttl"))
        server = subprocess.Popen(
            ["virtuoso-t", "+configfile", ini, "+foreground", "+wait"],
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 120
        while isql(sql, "select 1;").returncode != 0:
            if server.poll() is not None or time.time() > deadline:
                log = open(os.path.join(work, "virtuoso.log"), encoding="utf-8", errors="replace").read()
                sys.exit(f"virtuoso did not start:\n{log[-3000:]}")
            time.sleep(1)
        path = os.path.join(work, "data.ttl")
        loaded = isql(sql, f"DB.DBA.TTLP_MT(file_to_string_output('{path}'), '', '{GRAPH}', 0); checkpoint;")
        if loaded.returncode != 0 or "Error" in loaded.stdout:
            sys.exit(f"loading failed:\n{loaded.stdout}\n{loaded.stderr}")
        answers = {}
        for name, query in queries.items():
            url = f"http://127.0.0.1:{http}/sparql?" + urllib.parse.urlencode(
                {"default-graph-uri": GRAPH, "query": query}
            )
            req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(req, timeout=120) as r:
                result = json.load(r)
            answers[name] = sorted({b["id"]["value"] for b in result["results"]["bindings"]})
        print(json.dumps(answers))
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
