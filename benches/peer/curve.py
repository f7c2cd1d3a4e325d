#!/usr/bin/env python3
"""The load time of detente against the size of the data, as whole processes.

    python3 benches/peer/curve.py DETENTE DIR [DIR ...] [--yardstick BIN]

For each corpus directory (in increasing size), runs `detente --data DIR --no-cache check` (cold: every
file read, parsed and checked, the graph built) several times and prints a
Markdown table of median wall time, median CPU time (user + system, all
threads), CPU per 1,000 entities, and that as a multiple of the smallest
size's; then the same `lineage` query warm (reading the cache copy the first
warm run writes). With --yardstick, the program that parses the same files
with serde-saphyr alone on one thread is timed too, once per size, as the
machine's own curve: what reading the YAML at all costs per entity.

Runs per size fall with the size, so the whole takes about a minute without
1M and two more with it: small sizes are repeated more because a run of a
few milliseconds is noisy.

The cache copies go to the cache directory in XDG_CACHE_HOME (run.sh points
it under target/corpus/).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import pick_ids  # noqa: E402
from warm import timed  # noqa: E402

SCRATCH = tempfile.TemporaryDirectory(prefix="detente-curve-")
RUNS = {1_000: 15, 10_000: 7, 100_000: 3, 1_000_000: 2}


def measured(cmd, runs):
    """Median wall, median CPU and the largest peak (KB) of `runs` runs of
    `cmd` (warm.py's `timed`: output thrown away, peak from GNU time); a
    failure stops the measurement."""
    walls, cpus, peaks = [], [], []
    peak_file = os.path.join(SCRATCH.name, "peak")
    for _ in range(runs):
        wall, cpu, peak, code, err = timed(cmd, os.environ, peak_file)
        if code != 0:
            sys.exit(f"{' '.join(cmd)} exited with {code}: {err.decode()[-2000:]}")
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return statistics.median(walls), statistics.median(cpus), max(peaks)


def size_of(root):
    total = 0
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        total += sum(os.path.getsize(os.path.join(d, f)) for f in files)
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("detente")
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--yardstick")
    a = ap.parse_args()

    rows = []
    for root in a.dirs:
        out = subprocess.run([a.detente, "--data", root, "check", "--format", "json"],
                             capture_output=True, check=True).stdout
        n = json.loads(out)["entities"]
        runs = next((r for size, r in sorted(RUNS.items()) if n <= size), 2)
        cold = measured([a.detente, "--data", root, "--no-cache", "check"], runs)
        _, mech = pick_ids(root)
        warm_cmd = [a.detente, "--data", root, "lineage", mech]
        measured(warm_cmd, 1)  # writes the cache copy
        warm = measured(warm_cmd, runs)
        yard = measured([a.yardstick, root], 1) if a.yardstick else None
        rows.append((n, size_of(root), runs, cold, warm, yard))

    base_n, _, _, base_cold, _, base_yard = rows[0]
    base_cpu = base_cold[1] / base_n
    print("Cold: `detente --data DIR --no-cache check`, medians of the runs given. "
          "Warm: `detente --data DIR lineage ID` reading the cache copy. "
          "Per entity: CPU per 1,000 entities, and as a multiple of the "
          f"{base_n:,}-entity corpus's."
          + (" Parse alone: the serde-saphyr yardstick, one thread, one run." if a.yardstick else ""))
    print()
    head = ("| entities | YAML | runs | cold wall | cold CPU | CPU per 1k | × per entity "
            "| cold peak | peak / YAML | warm wall | warm CPU | warm peak |")
    rule = "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    if a.yardstick:
        head += " parse alone CPU per 1k | × per entity |"
        rule += " ---: | ---: |"
    print(head)
    print(rule)
    for n, size, runs, (cw, cc, cp), (ww, wc, wp), yard in rows:
        line = (f"| {n:,} | {size / 1e6:.1f} MB | {runs} | {cw:.3f} s | {cc:.3f} s "
                f"| {cc * 1000 / n:.4f} s | {cc / n / base_cpu:.2f}× "
                f"| {cp / 1024:.0f} MB | {cp * 1024 / size:.1f}× "
                f"| {ww:.3f} s | {wc:.3f} s | {wp / 1024:.0f} MB |")
        if yard:
            line += (f" {yard[1] * 1000 / n:.4f} s "
                     f"| {yard[1] / n / (base_yard[1] / base_n):.2f}× |")
        print(line)


if __name__ == "__main__":
    main()
