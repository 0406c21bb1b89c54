#!/bin/sh
# demo.sh — the demo of `make demo`: starts the private cluster, creates the
# schemas, generates Shishi at scale 1 and runs the nightly job for 2025-12,
# then says where the results are. Each step is timed; a failing step stops
# the demo with its exit code.
set -eu
cd "$(dirname "$0")/.."
BIN=./bin/sibatch
[ -x "$BIN" ] || { echo "demo: $BIN is missing: run make first" >&2; exit 1; }

sh scripts/pg.sh start
eval "$(sh scripts/pg.sh env)"

# step NAME ARGS... — runs bin/sibatch NAME ARGS, timed.
step() {
    name=$1
    echo "demo: sibatch $*"
    t0=$(date +%s)
    rc=0
    "$BIN" "$@" || rc=$?
    t1=$(date +%s)
    if [ $rc -ne 0 ]; then
        echo "demo: sibatch $name failed with exit code $rc after $((t1 - t0)) s" >&2
        echo "demo: the cluster is still running; stop it with: make pg-stop" >&2
        exit $rc
    fi
    echo "demo: sibatch $name done in $((t1 - t0)) s"
}

step init-db
step gen --scale 1 --seed 7 --as-of 2025-12
step run --as-of 2025-12 --out out

echo
if [ -d out/2025-12 ]; then
    echo "Results:   $(pwd)/out/2025-12/"
    # shellcheck disable=SC2012  # a listing for people to read
    ls -l out/2025-12/ | sed 's/^/           /'
    for f in out/2025-12/summary.html out/summary.html; do
        [ -f "$f" ] && echo "Summary:   $(pwd)/$f"
    done
else
    echo "No results in out/2025-12/: the nightly run published nothing (see its log above)." >&2
    exit 1
fi
echo "Database:  $(sh scripts/pg.sh env)   (psql: sh scripts/pg.sh psql)"
echo "Stop the cluster with: make pg-stop   (delete it: sh scripts/pg.sh destroy)"
