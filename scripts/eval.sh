#!/bin/sh
# make eval — the matcher's and the pipeline's quality, measured:
#   1. on the generator's ground truth (scale SIB_EVAL_SCALE, default 1, seeds
#      SIB_EVAL_SEEDS, default "7 11 23"): duplicate pairs, probable links,
#      conflicts, lapsed and uninsured sets against si_truth;
#   2. on the public FEBRL benchmark (scripts/eval-febrl.sh).
set -eu
cd "$(dirname "$0")/.."
scale=${SIB_EVAL_SCALE:-1}
seeds=${SIB_EVAL_SEEDS:-"7 11 23"}
sh scripts/pg.sh start >/dev/null
eval "$(sh scripts/pg.sh env)"
for seed in $seeds; do
    db="sibatch_eval_${seed}"
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
    out=$(mktemp -d)
    ./bin/sibatch init-db --dsn "dbname=$db" 2>/dev/null
    t0=$(date +%s)
    ./bin/sibatch gen --dsn "dbname=$db" --scale "$scale" --seed "$seed" --as-of 2025-12 2>/dev/null
    t1=$(date +%s)
    ./bin/sibatch run --dsn "dbname=$db" --as-of 2025-12 --out "$out" 2>/dev/null
    t2=$(date +%s)
    echo "== generator truth: scale $scale, seed $seed (gen $((t1 - t0)) s, run $((t2 - t1)) s)"
    psql -d "$db" -f tests/eval/truth_metrics.sql
    rm -rf "$out"
    psql -q -d postgres -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
done
if [ -f scripts/eval-febrl.sh ]; then
    echo "== FEBRL (shared/data/febrl)"
    sh scripts/eval-febrl.sh
fi
