#!/usr/bin/env bash
# How long each gallery diagram takes to render, as a teacher runs it: the
# whole `detente diagram … -o FILE` process, Graphviz included. Each view
# is rendered RUNS times (default 5) after one warm-up; the median and the
# fastest are printed in milliseconds, with the median CPU time (detente
# and Graphviz together; GNU time at /usr/bin/time). From the repository root:
#
#     bash benches/gallery.sh            # release build
#     RUNS=11 DETENTE=target/debug/detente bash benches/gallery.sh
#
# Slide views are timed as PNG, poster views as SVG (as the gallery has
# them). A benchmark, not a test: nothing fails on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DETENTE:-}" ]; then
    cargo build --quiet --release
fi
detente=${DETENTE:-target/release/detente}
runs=${RUNS:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-22s %9s %8s %9s  %s\n' view median_ms min_ms cpu_ms format
grep -v '^#' docs/gallery/views.txt | grep -v '^[[:space:]]*$' | while IFS='|' read -r name args _; do
    name=$(echo "$name" | xargs)
    read -r -a words <<< "$args"
    ext=png
    case " $args " in *" poster "*) ext=svg ;; esac
    "$detente" diagram "${words[@]}" -o "$out/$name.$ext" 2>/dev/null
    times=()
    cpus=()
    for _ in $(seq "$runs"); do
        # Wall time, and the CPU time of detente and the `dot` it runs
        # (GNU time counts waited-for children): on a shared, loaded
        # machine the CPU time is the steadier figure.
        /usr/bin/time -f '%e %U %S' -o "$out/time" \
            "$detente" diagram "${words[@]}" -o "$out/$name.$ext" 2>/dev/null
        read -r wall user sys < "$out/time"
        times+=($(echo "$wall * 1000 / 1" | bc))
        cpus+=($(echo "($user + $sys) * 1000 / 1" | bc))
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    cpu=($(printf '%s\n' "${cpus[@]}" | sort -n))
    printf '%-22s %9d %8d %9d  %s\n' "$name" "${sorted[$((runs / 2))]}" "${sorted[0]}" "${cpu[$((runs / 2))]}" "$ext"
done
