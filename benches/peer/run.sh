#!/bin/sh
# Reproduces the tables of docs/performance.md, from the repository root
# (every target: the whole-process comparison, the load curve, the queries
# in process and the gallery renders):
#
#     sh benches/peer/run.sh            # 1k, 10k, 100k; load curve to 100k
#     CURVE_1M=1 sh benches/peer/run.sh # and 1M entities on the load curve
#
# Corpora are generated (seed 1) under target/corpus/ once and reused.
# Whole-process timings, medians of alternating runs; see compare.py. The
# Python baseline takes seconds per run at 10k and minutes at 100k, so the
# number of runs falls with the size: RUNS_1K (default 3), RUNS_10K (1)
# and RUNS_100K (1) alternating pairs per task, and at 100k only `check`
# and `lineage` are compared (every other task pays the same load); then
# every query command is timed warm at 100k (RUNS_WARM, default 3), and
# search and stats again with nothing kept beside the copy. The
# whole run is about 8 minutes of CPU, mostly the Python baseline; on a
# busy shared machine its wall time is many times that. detente's cache copies go
# to target/corpus/.cache, never to the user's cache directory.
set -eu
cd "$(dirname "$0")/../.."
# One build of everything: the examples' dev-dependencies change the
# features of shared crates, so two builds would compile detente twice.
cargo build --release --quiet --bins --example corpus --example yardstick
corpus=target/corpus
# Copies of what is timed, so a rebuild while the run goes on changes nothing.
mkdir -p "$corpus/bin"
cp target/release/detente target/release/examples/yardstick target/release/examples/corpus "$corpus/bin/"
bin=$corpus/bin/detente
yardstick=$corpus/bin/yardstick
sizes="1000 10000 100000"
[ -n "${CURVE_1M:-}" ] && sizes="$sizes 1000000"
for n in $sizes; do
    # A corpus from before sources moved to `sources/` is written again.
    [ -d "$corpus/$n/sources" ] || { rm -rf "${corpus:?}/$n"; "$corpus/bin/corpus" "$n" "$corpus/$n"; }
done
XDG_CACHE_HOME="$PWD/$corpus/.cache"
export XDG_CACHE_HOME

echo "## machine"
echo
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /- CPU: /'
echo "- cores: $(nproc); memory: $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(rustc --version); Python $(python3 -c 'import sys, yaml, networkx; print(sys.version.split()[0], "PyYAML", yaml.__version__, "networkx", networkx.__version__)')"
echo "- commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); started $(date -u '+%Y-%m-%d %H:%M UTC')"
echo

echo "## one-shot query on the bundled dataset (perf stat -r 20, task-clock)"
echo
echo "| command | CPU (mean of 20) | wall (mean of 20) |"
echo "| --- | ---: | ---: |"
for flags in "" "--no-cache"; do
    # shellcheck disable=SC2086 # $flags is empty or one word
    perf stat -r 20 -x, -e task-clock -o "$corpus/.perf" "$bin" $flags lineage lecd >/dev/null
    cpu=$(awk -F, '/task-clock/ {print $1}' "$corpus/.perf")
    /usr/bin/time -f "%e" -o "$corpus/.time" sh -c "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do $bin $flags lineage lecd >/dev/null; done"
    wall=$(cat "$corpus/.time")
    awk -v f="$flags" -v c="$cpu" -v w="$wall" 'BEGIN {
        printf "| `detente %slineage lecd` | %.2f ms | %.2f ms |\n", (f == "" ? "" : f " "), c, w * 1000 / 20 }'
done
echo

echo "## detente against the Python baseline"
echo
python3 benches/peer/compare.py "$bin" "$corpus/1000" --runs "${RUNS_1K:-3}" --yardstick "$yardstick"
echo
python3 benches/peer/compare.py "$bin" "$corpus/10000" --runs "${RUNS_10K:-1}" --yardstick "$yardstick"
echo
python3 benches/peer/compare.py "$bin" "$corpus/100000" --runs "${RUNS_100K:-1}" \
    --tasks check,lineage --yardstick "$yardstick"
echo

echo "## load time against size"
echo
dirs=""
for n in $sizes; do dirs="$dirs $corpus/$n"; done
# shellcheck disable=SC2086 # $dirs is a list of paths without spaces
python3 benches/peer/curve.py "$bin" $dirs --yardstick "$yardstick"
echo

# Every query command warm at 100k, as text and as JSON, against the
# 0.5 s target (warm.py; RUNS_WARM runs each after the one that writes the
# cache copy, in a temporary cache directory of its own; about a minute).
echo "## warm, every query at 100k: wall, CPU, peak (medians of ${RUNS_WARM:-3} runs)"
echo
python3 benches/peer/warm.py "$corpus/100000" "$bin" --runs "${RUNS_WARM:-3}"
echo
# The same for the three commands that keep what they compute beside the
# dataset's copy, with nothing kept: their first run after the data changed.
echo "## warm, the first search, stats and timeline at 100k: nothing kept beside the copy (medians of ${RUNS_WARM:-3} runs)"
echo
python3 benches/peer/warm.py "$corpus/100000" "$bin" --runs "${RUNS_WARM:-3}" --first
echo

# The targets that are not whole-process comparisons, so that one run of
# this script measures every target of docs/performance.md: the queries
# on a loaded graph (divan, at 1k, 10k and 100k; each sample one query)
# and the time each gallery diagram takes to render, Graphviz included.
echo "## queries on the loaded graph, in process (divan; medians of 20 samples)"
echo
echo '```text'
DETENTE_BENCH_100K=1 cargo bench --quiet --bench perf -- --sample-count 20 'query_' 2>&1
echo '```'
echo
echo "## rendering each gallery diagram (benches/gallery.sh, the binary above)"
echo
echo '```text'
DETENTE="$bin" bash benches/gallery.sh
echo '```'
