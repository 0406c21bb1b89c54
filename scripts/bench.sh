#!/bin/sh
# bench.sh — `make bench`: the performance benchmark of `sibatch run` (issue 5
# "Speed and memory", issue 3 "Speed and memory", issue 4 "Speed"). A
# benchmark, not a test: it prints figures, it does not pass or fail on them.
#
#   sh scripts/bench.sh          (make bench runs `make all` first)
#
# For each scale of $SIB_BENCH_SCALES (default "1 10") it
#   1. generates the data set into its own database sibatch_bench_s<scale>
#      (bin/sibatch gen --seed $SIB_BENCH_SEED --as-of $SIB_BENCH_AS_OF
#      --months 36), unless si_truth.generation there already says it was made
#      with the same seed, scale, as-of and months: then it is reused. A fresh
#      generation is followed by VACUUM ANALYZE of si_src; its time, peak RSS
#      and table sizes are recorded in $WORK/<db>.gen.txt and shown again on
#      reuse;
#   2. times, $SIB_BENCH_REPEAT times (default 3), interleaved so that every
#      candidate sees the same machine load:
#        read1  the read limit, one stream: psql COPY ... TO STDOUT > /dev/null
#               of contribution, enrollment, population, employer in turn
#               (the enrollment COPY is also kept alone: issue 3's yardstick);
#        read2  the read limit, two parallel streams: contribution split in
#               two halves by ctid range (TID range scans), the first half
#               plus enrollment in one stream, the second half plus population
#               and employer in the other;
#        peer   bench/peer.sql, the pure-SQL peer (exact and normalized IDs
#               only), output kept for the comparison of figures;
#        run    bin/sibatch run --as-of $SIB_BENCH_AS_OF --out <fresh dir>
#               under /usr/bin/time -v (peak RSS). The first run of a month is
#               the first publication; every later one is a rerun of the same
#               month, the normal nightly idempotent case;
#      and prints medians with min–max, the ratios, peak RSS, the per-stage
#      seconds of the median run (from its log) and the peer's totals beside
#      sibatch's;
#   3. with SIB_BENCH_MONTHS120=1 (default), the same runs on scale 1 with
#      --months 120 (database sibatch_bench_s1_m120), for issue 4's question
#      of how clearing scales with contribution history.
#
# Environment: SIB_BENCH_SCALES, SIB_BENCH_REPEAT, SIB_BENCH_SEED (7),
# SIB_BENCH_AS_OF (2025-12), SIB_BENCH_MONTHS120 (1), SIB_BENCH_M120_REPEAT
# (repetitions of the 120-month runs, default SIB_BENCH_REPEAT), SIB_BENCH_DIR (work and
# result files, default build/bench). The private cluster of scripts/pg.sh is
# started if needed. Results: $WORK/results.txt (also printed).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"
SCALES=${SIB_BENCH_SCALES:-"1 10"}
REPEAT=${SIB_BENCH_REPEAT:-3}
SEED=${SIB_BENCH_SEED:-7}
ASOF=${SIB_BENCH_AS_OF:-2025-12}
MONTHS120=${SIB_BENCH_MONTHS120:-1}
M120_REPEAT=${SIB_BENCH_M120_REPEAT:-$REPEAT}
WORK=${SIB_BENCH_DIR:-$ROOT/build/bench}
BIN=$ROOT/bin/sibatch
PGBIN=/usr/lib/postgresql/15/bin
ASOFN=$(echo "$ASOF" | tr -d -)
RESULTS=$WORK/results.txt

say() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

[ -x "$BIN" ] || die "$BIN missing: run make all first"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install time)"
case "$REPEAT" in '' | *[!0-9]* | 0) die "SIB_BENCH_REPEAT must be a positive integer" ;; esac
case "$ASOFN" in [0-9][0-9][0-9][0-9][0-9][0-9]) ;; *) die "SIB_BENCH_AS_OF must be YYYY-MM" ;; esac

sh scripts/pg.sh start >&2
eval "$(sh scripts/pg.sh env)"
PSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1"
mkdir -p "$WORK"
: >"$RESULTS"

# out TEXT — a result line: printed and appended to $RESULTS.
out() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# stats FILE — "median min max" of the numbers in FILE, one a line (the median
# of an even count is the mean of the middle two).
stats() {
    sort -g "$1" | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "- - -"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f %.2f %.2f\n", m, v[1], v[NR] }'
}
# fmt FILE — "median (min–max)".
fmt() { stats "$1" | awk '{ printf "%s (%s–%s)", $1, $2, $3 }'; }
med() { stats "$1" | awk '{ print $1 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

q() { $PSQL -d "$1" -Atc "$2"; }

# ensure_data DB SCALE MONTHS — the data set, generated or reused.
ensure_data() {
    db=$1 scale=$2 months=$3
    if [ "$(q postgres "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ]; then
        "$PGBIN/createdb" "$db"
    fi
    same=$(q "$db" "SELECT count(*) FROM pg_tables WHERE schemaname = 'si_truth' AND tablename = 'generation'")
    if [ "$same" = 1 ]; then
        same=$(q "$db" "SELECT count(*) FROM si_truth.generation WHERE seed = $SEED
                        AND scale = $scale AND as_of = $ASOFN AND months = $months")
    fi
    if [ "$same" = 1 ]; then
        say "$db: reusing the data (seed $SEED, scale $scale, as-of $ASOF, $months months)"
    else
        say "$db: generating scale $scale, $months months (seed $SEED, as-of $ASOF)"
        t0=$(now)
        /usr/bin/time -v -o "$WORK/$db.gen.time" "$BIN" gen --dsn "dbname=$db" --scale "$scale" \
            --seed "$SEED" --as-of "$ASOF" --months "$months" >"$WORK/$db.gen.log" 2>&1 \
            || { tail -n 20 "$WORK/$db.gen.log" >&2; die "generation of $db failed"; }
        t1=$(now)
        $PSQL -d "$db" -c "VACUUM ANALYZE si_src.employer, si_src.enrollment, si_src.population, si_src.contribution"
        t2=$(now)
        {
            echo "generated $(date -u +%Y-%m-%dT%H:%MZ): scale $scale, months $months, seed $SEED, as-of $ASOF"
            echo "gen seconds $(elapsed "$t0" "$t1"), peak RSS $(awk -F': ' '/Maximum resident/ { printf "%.0f MiB", $2 / 1024 }' "$WORK/$db.gen.time"), then VACUUM ANALYZE $(elapsed "$t1" "$t2") s"
        } >"$WORK/$db.gen.txt"
    fi
    "$BIN" init-db --dsn "dbname=$db" >/dev/null 2>&1 || die "init-db on $db failed"
    if [ ! -f "$WORK/$db.gen.txt" ]; then
        echo "generated before this benchmark's records (reused; generation time not measured here)" >"$WORK/$db.gen.txt"
    fi
    q "$db" "SELECT 'rows: enrollment ' || enrollments || ', contribution ' || contributions
                 || ', population ' || population_rows || ', employer ' || employers
             FROM si_truth.generation" >>"$WORK/$db.gen.txt.now"
    q "$db" "SELECT 'sizes: ' || string_agg(c.relname || ' ' || pg_size_pretty(pg_total_relation_size(c.oid)), ', ' ORDER BY c.relname)
                 || ', database ' || pg_size_pretty(pg_database_size(current_database()))
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'si_src' AND c.relkind = 'r'" >>"$WORK/$db.gen.txt.now"
    out "[$db] $(head -n 2 "$WORK/$db.gen.txt" | paste -sd ';' -)"
    out "[$db] $(paste -sd ';' "$WORK/$db.gen.txt.now")"
    rm -f "$WORK/$db.gen.txt.now"
}

copy_out() { $PSQL -d "$1" -c "COPY $2 TO STDOUT" >/dev/null; }

# read1 DB TAG I — one stream, table after table.
read1() {
    db=$1 tag=$2
    t0=$(now)
    copy_out "$db" si_src.contribution
    t1=$(now)
    copy_out "$db" si_src.enrollment
    t2=$(now)
    copy_out "$db" si_src.population
    copy_out "$db" si_src.employer
    t3=$(now)
    elapsed "$t0" "$t3" >>"$WORK/$tag.read1"
    echo >>"$WORK/$tag.read1"
    elapsed "$t1" "$t2" >>"$WORK/$tag.copyenr"
    echo >>"$WORK/$tag.copyenr"
}

# read2 DB TAG — two parallel streams.
read2() {
    db=$1 tag=$2
    pages=$(q "$db" "SELECT pg_relation_size('si_src.contribution') / current_setting('block_size')::int")
    half=$((pages / 2 + 1))
    t0=$(now)
    (copy_out "$db" "(SELECT * FROM si_src.contribution WHERE ctid < '($half,0)')"
     copy_out "$db" si_src.enrollment) &
    p1=$!
    (copy_out "$db" "(SELECT * FROM si_src.contribution WHERE ctid >= '($half,0)')"
     copy_out "$db" si_src.population
     copy_out "$db" si_src.employer) &
    p2=$!
    wait $p1 || die "read2 stream 1 failed"
    wait $p2 || die "read2 stream 2 failed"
    t1=$(now)
    elapsed "$t0" "$t1" >>"$WORK/$tag.read2"
    echo >>"$WORK/$tag.read2"
}

peer() {
    db=$1 tag=$2 i=$3
    t0=$(now)
    $PSQL -d "$db" -v as_of="$ASOFN" -f bench/peer.sql -o "$WORK/$tag.peer.$i.out" \
        || die "bench/peer.sql failed on $db"
    t1=$(now)
    elapsed "$t0" "$t1" >>"$WORK/$tag.peer"
    echo >>"$WORK/$tag.peer"
}

# run DB TAG I — one sibatch run into a fresh output folder.
run() {
    db=$1 tag=$2 i=$3
    dir=$WORK/out/$tag.$i
    rm -rf "$dir"
    mkdir -p "$dir"
    t0=$(now)
    /usr/bin/time -v -o "$WORK/$tag.run.$i.time" "$BIN" run --dsn "dbname=$db" --as-of "$ASOF" \
        --out "$dir" >"$WORK/$tag.run.$i.out" 2>"$WORK/$tag.run.$i.log" \
        || { tail -n 20 "$WORK/$tag.run.$i.log" >&2; die "sibatch run on $db failed (log $WORK/$tag.run.$i.log)"; }
    t1=$(now)
    s=$(elapsed "$t0" "$t1")
    echo "$s" >>"$WORK/$tag.run"
    echo "$s $i" >>"$WORK/$tag.runidx"
    awk -F': ' '/Maximum resident/ { printf "%.0f\n", $2 / 1024 }' "$WORK/$tag.run.$i.time" >>"$WORK/$tag.rss"
}

# stage_seconds LOG — "stage seconds" lines of the run's per-stage totals
# (a stage's line: stage=X seconds=Y, then other fields such as rss_mib=).
stage_seconds() {
    sed -n 's/.* stage=\([a-z_]*\) seconds=\([0-9.]*\).*/\1 \2/p' "$1"
}

# median_run TAG — index of the run whose time is the median (lower middle).
median_run() {
    sort -g "$WORK/$1.runidx" | awk '{ i[NR] = $2 } END { print i[int((NR + 1) / 2)] }'
}

# bench_db DB TAG — the timed repetitions and the report of one data set.
bench_db() {
    db=$1 tag=$2
    rm -f "$WORK/$tag".read1 "$WORK/$tag".read2 "$WORK/$tag".copyenr "$WORK/$tag".peer \
        "$WORK/$tag".run "$WORK/$tag".runidx "$WORK/$tag".rss
    i=1
    while [ "$i" -le "$REPEAT" ]; do
        say "$tag: repetition $i of $REPEAT: read limit (1 stream)"
        read1 "$db" "$tag"
        say "$tag: repetition $i: read limit (2 streams)"
        read2 "$db" "$tag"
        say "$tag: repetition $i: SQL peer"
        peer "$db" "$tag" "$i"
        say "$tag: repetition $i: sibatch run$([ "$i" -gt 1 ] && echo ' (a rerun of the same month)')"
        run "$db" "$tag" "$i"
        i=$((i + 1))
    done
    for f in read1 read2 copyenr peer run; do
        sed -i '/^$/d' "$WORK/$tag.$f"
    done
    contrib=$(q "$db" "SELECT contributions FROM si_truth.generation")
    m=$(median_run "$tag")
    rssmax=$(sort -g "$WORK/$tag.rss" | tail -n 1)
    stage_seconds "$WORK/$tag.run.$m.log" >"$WORK/$tag.stages"
    rd=$(awk '$1 == "resolve" || $1 == "dedup" { s += $2 } END { printf "%.2f", s }' "$WORK/$tag.stages")

    out ""
    out "== $tag ($db): $REPEAT repetitions, median (min–max) seconds; every run after the first publication of $ASOF in this database is a rerun of the same month (the nightly idempotent case) =="
    out "$(printf '%-14s %12s %-24s %-22s %-22s %-22s %9s %9s %8s' scale contrib_rows 'sibatch run' 'read limit 1 stream' 'read limit 2 streams' 'SQL peer' run/read1 run/peer peak_RSS)"
    out "$(printf '%-14s %12s %-24s %-22s %-22s %-22s %9s %9s %8s' "$tag" "$contrib" "$(fmt "$WORK/$tag.run")" \
        "$(fmt "$WORK/$tag.read1")" "$(fmt "$WORK/$tag.read2")" "$(fmt "$WORK/$tag.peer")" \
        "$(ratio "$(med "$WORK/$tag.run")" "$(med "$WORK/$tag.read1")")" \
        "$(ratio "$(med "$WORK/$tag.run")" "$(med "$WORK/$tag.peer")")" "${rssmax}MiB")"
    out "run/read2 $(ratio "$(med "$WORK/$tag.run")" "$(med "$WORK/$tag.read2")"); peak RSS per run (MiB): $(paste -sd ' ' "$WORK/$tag.rss")"
    out "per repetition (same load): $(paste -d ' ' "$WORK/$tag.run" "$WORK/$tag.read1" "$WORK/$tag.read2" "$WORK/$tag.peer" \
        | awk '{ printf "%s#%d run %s read1 %s read2 %s peer %s run/read1 %.2f run/peer %.2f", (NR > 1 ? "; " : ""), NR, $1, $2, $3, $4, $1 / $2, $1 / $4 }')"
    out "per-stage seconds of the median run (run $m): $(awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }' "$WORK/$tag.stages")"
    out "resolve+dedup $rd s vs COPY enrollment out $(fmt "$WORK/$tag.copyenr") s: ratio $(ratio "$rd" "$(med "$WORK/$tag.copyenr")") (issue 3 target <= 1.5)"
    compare "$tag" "$m"
}

# compare TAG RUN — totals per scheme: sibatch's extracts beside the peer's.
compare() {
    tag=$1 m=$2
    dir=$WORK/out/$tag.$m/$ASOF
    peerout=$WORK/$tag.peer.$m.out
    [ -f "$dir/pension.csv.gz" ] || { out "no extracts in $dir to compare"; return 0; }
    out "totals (sibatch | SQL peer | difference); the peer has no fuzzy links, so records sibatch links probabilistically are separate persons there:"
    {
        zcat "$dir/pension.csv.gz" | awk -F, 'NR > 1 { for (c = 5; c <= 12; c++) s["sib " $4 " " c] += $c }
            END { for (k in s) printf "%s %.2f\n", k, s[k] }'
        zcat "$dir/unemployment.csv.gz" | awk -F, 'NR > 1 { for (c = 4; c <= 9; c++) s["sib 210 " c] += $c }
            END { for (k in s) printf "%s %.2f\n", k, s[k] }'
        zcat "$dir/injury.csv.gz" | awk -F, 'NR > 1 { for (c = 5; c <= 9; c++) s["sib 410 " c] += $c }
            END { for (k in s) printf "%s %.2f\n", k, s[k] }'
        awk -F, '/^#/ { b = $0; next }
            b == "#pension" { for (c = 5; c <= 12; c++) s["peer " $4 " " c] += $c }
            b == "#unemployment" { for (c = 4; c <= 9; c++) s["peer 210 " c] += $c }
            b == "#injury" { for (c = 5; c <= 9; c++) s["peer 410 " c] += $c }
            END { for (k in s) printf "%s %.2f\n", k, s[k] }' "$peerout"
    } | awk '
        BEGIN {
            split("insured contributing lapsed beneficiaries duplicates conflict_persons refund_due contributions_12m", pn, " ")
            split("insured contributing lapsed employers duplicates contributions_12m", un, " ")
            split("insured project_based employers lapsed contributions_12m", jn, " ")
        }
        { v[$1 " " $2 " " $3] = $4; seen[$2 " " $3] = 1 }
        END {
            n = split("110 120 170 210 410", sch, " ")
            for (i = 1; i <= n; i++) {
                s = sch[i]; line = s ":"
                if (s == "210") { lo = 4; hi = 9 } else if (s == "410") { lo = 5; hi = 9 } else { lo = 5; hi = 12 }
                for (c = lo; c <= hi; c++) {
                    name = (s == "210") ? un[c - 3] : (s == "410") ? jn[c - 4] : pn[c - 4]
                    a = v["sib " s " " c] + 0; b = v["peer " s " " c] + 0
                    if (name ~ /refund|contributions/)
                        line = line sprintf(" %s %.2f|%.2f|%+.2f", name, a, b, b - a)
                    else
                        line = line sprintf(" %s %d|%d|%+d", name, a, b, b - a)
                }
                print line
            }
        }' | tee -a "$RESULTS"
}

echo "bench: $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); scales: $SCALES; repeat $REPEAT; sibatch $("$BIN" --version 2>/dev/null | head -n 1 || true)" | tee -a "$RESULTS"
for s in $SCALES; do
    db=sibatch_bench_s$(echo "$s" | tr . _)
    ensure_data "$db" "$s" 36
done
if [ "$MONTHS120" = 1 ]; then
    ensure_data sibatch_bench_s1_m120 1 120
fi
for s in $SCALES; do
    db=sibatch_bench_s$(echo "$s" | tr . _)
    bench_db "$db" "s$s"
done
if [ "$MONTHS120" = 1 ]; then
    REPEAT=$M120_REPEAT bench_db sibatch_bench_s1_m120 s1_m120
    if [ -f "$WORK/s1.stages" ]; then
        out ""
        out "== contribution history (issue 4): scale 1, 36 vs 120 months (median runs) =="
        for t in s1 s1_m120; do
            out "$t: run $(fmt "$WORK/$t.run") s; $(awk '$1 ~ /^(read|clearing|campaign)$/ { printf "%s=%s ", $1, $2 }' "$WORK/$t.stages")"
        done
    fi
fi
say "results in $RESULTS"
