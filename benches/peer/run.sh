#!/bin/sh
# Reproduces the tables of docs/performance.md, from the repository root:
#
#     sh benches/peer/run.sh            # 1k, 10k, 100k; load curve to 100k
#     CURVE_1M=1 sh benches/peer/run.sh # and 1M entities on the load curve
#
# Corpora are generated (seed 1) under target/corpus/ once and reused.
# Whole-process timings, medians of alternating runs; see compare.py.
set -eu
cd "$(dirname "$0")/../.."
cargo build --release --quiet
cargo build --release --quiet --example corpus --example yardstick
bin=target/release/detente
corpus=target/corpus
sizes="1000 10000 100000"
[ -n "${CURVE_1M:-}" ] && sizes="$sizes 1000000"
for n in $sizes; do
    [ -d "$corpus/$n" ] || target/release/examples/corpus "$n" "$corpus/$n"
done

echo "## machine"
echo
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /- CPU: /'
echo "- cores: $(nproc); memory: $(free -g | awk '/Mem:/ {print $2}') GiB; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(rustc --version); Python $(python3 -c 'import sys, yaml, networkx; print(sys.version.split()[0], "PyYAML", yaml.__version__, "networkx", networkx.__version__)')"
echo

echo "## detente against the Python baseline"
echo
python3 benches/peer/compare.py "$bin" "$corpus/1000" "$corpus/10000" --runs 3 \
    --yardstick target/release/examples/yardstick
echo
# One run at 100k, of the load and checks alone: the Python baseline takes
# minutes per run there, and every detente query pays the same load.
python3 benches/peer/compare.py "$bin" "$corpus/100000" --runs 1 --tasks check \
    --yardstick target/release/examples/yardstick
echo

echo "## load time against size (detente check, one run each)"
echo
echo "| entities | YAML | wall | CPU (user + system) | peak memory | peak / YAML |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $sizes; do
    bytes=$(du -sb "$corpus/$n" | cut -f1)
    /usr/bin/time -f "%e %U %S %M" -o target/corpus/.time "$bin" --data "$corpus/$n" check >/dev/null
    read -r wall user sys kb < target/corpus/.time
    awk -v n="$n" -v b="$bytes" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kb" 'BEGIN {
        printf "| %d | %.1f MB | %.2f s | %.2f s | %.0f MB | %.1f× |\n", n, b / 1e6, w, u + s, k / 1024, k * 1024 / b }'
done
