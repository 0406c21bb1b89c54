#!/bin/sh
# pg.sh — the project's private, throwaway PostgreSQL 15 cluster, for the demo,
# the tests and the benchmark. Never the machine's system cluster.
#
#   sh scripts/pg.sh start     create (first time) and start it, wait until it
#                              accepts connections, create database "sibatch"
#   sh scripts/pg.sh stop      stop it (fast mode); nothing if not running
#   sh scripts/pg.sh status    print whether it runs; exit 0 running, 1 not
#   sh scripts/pg.sh env       print "export PGHOST=... PGPORT=... PGUSER=... PGDATABASE=sibatch"
#   sh scripts/pg.sh destroy   stop it and delete its data
#   sh scripts/pg.sh psql ...  run psql on it (arguments passed on)
#
# Port: $SIB_PGPORT (default 55432). It listens on 127.0.0.1 and on a unix
# socket in its data area, with trust authentication for those only; the
# superuser is "postgres".
#
# Data area: .pg/ in the project tree (git-ignored): data/ (PGDATA), sock/,
# server.log. PostgreSQL refuses to run as root, so as root the server runs as
# the system user "postgres" (created if missing). When that user cannot reach
# the tree (e.g. a clone under /root, mode 700), the area is
# /tmp/sibatch-pg-<checksum of the tree path> and .pg is a symlink to it.
# Run as another user, the server runs as that user.
set -eu

PGBIN=/usr/lib/postgresql/15/bin
PORT=${SIB_PGPORT:-55432}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
LINK=$ROOT/.pg
SUM=$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
TMPAREA=/tmp/sibatch-pg-$SUM

say() { echo "pg.sh: $*"; }
die() { echo "pg.sh: $*" >&2; exit 1; }

[ -x "$PGBIN/pg_ctl" ] || die "PostgreSQL 15 is not installed ($PGBIN/pg_ctl missing): run sh scripts/install-deps.sh"

# Who runs the server: "postgres" when we are root, else ourselves ("").
if [ "$(id -u)" -eq 0 ]; then
    RUNAS=postgres
else
    RUNAS=
fi

# as_runner CMD ARGS... — runs CMD as the server's user, from / (the tree may
# be unreadable to it, and initdb wants a readable working directory), without
# the lock's descriptor 9 (the server would hold the lock for its lifetime).
as_runner() {
    if [ -n "$RUNAS" ]; then
        (cd / && runuser -u "$RUNAS" -- "$@") 9>&-
    else
        (cd / && "$@") 9>&-
    fi
}

ensure_user() {
    [ -n "$RUNAS" ] || return 0
    id "$RUNAS" >/dev/null 2>&1 && return 0
    say "creating system user $RUNAS"
    useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
        --shell /bin/sh "$RUNAS"
}

# The data area, resolved through the .pg symlink when there is one.
area() {
    if [ -L "$LINK" ] || [ -d "$LINK" ]; then
        (cd "$LINK" 2>/dev/null && pwd -P) || echo "$TMPAREA"
    else
        echo "$LINK"
    fi
}

# Chooses and creates the data area (first start only).
make_area() {
    if [ -L "$LINK" ]; then
        # A symlink whose target went away (/tmp cleaned): recreate the target.
        target=$(readlink "$LINK")
        mkdir -p "$target"
    elif [ ! -d "$LINK" ]; then
        inside=yes
        # shellcheck disable=SC2016  # $1 is expanded by the inner sh
        if [ -n "$RUNAS" ] && ! runuser -u "$RUNAS" -- sh -c 'cd "$1"' sh "$ROOT" 2>/dev/null; then
            inside=no       # the server's user cannot reach the tree
        fi
        # A unix socket path is limited to ~107 bytes.
        if [ ${#LINK} -gt 80 ]; then
            inside=no
        fi
        if [ $inside = yes ]; then
            mkdir -p "$LINK"
        else
            mkdir -p "$TMPAREA"
            ln -s "$TMPAREA" "$LINK"
            say "data area $TMPAREA (the tree is not reachable by user ${RUNAS:-$(id -un)} or its path is long); .pg links to it"
        fi
    fi
    a=$(area)
    mkdir -p "$a/sock"
    chmod 700 "$a"
    if [ -n "$RUNAS" ]; then
        chown -R "$RUNAS:" "$a"
    fi
}

running() {
    a=$(area)
    [ -f "$a/data/PG_VERSION" ] && as_runner "$PGBIN/pg_ctl" -D "$a/data" status >/dev/null 2>&1
}

# The port the running server listens on (4th line of postmaster.pid), else $PORT.
port() {
    a=$(area)
    p=
    if [ -r "$a/data/postmaster.pid" ]; then
        p=$(sed -n 4p "$a/data/postmaster.pid" 2>/dev/null || true)
    fi
    echo "${p:-$PORT}"
}

init_cluster() {
    a=$1
    say "initdb $a/data"
    as_runner "$PGBIN/initdb" -D "$a/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$a/initdb.log" 2>&1 || { cat "$a/initdb.log" >&2; die "initdb failed"; }
    # Trust, but only for the unix socket and 127.0.0.1.
    cat >"$a/data/pg_hba.conf" <<EOF
# sibatch private cluster (scripts/pg.sh): local connections only, trust.
local   all          all                 trust
host    all          all  127.0.0.1/32   trust
local   replication  all                 trust
EOF
    echo "include = 'sibatch.conf'" >>"$a/data/postgresql.conf"
    if [ -n "$RUNAS" ]; then
        chown "$RUNAS:" "$a/data/pg_hba.conf"
    fi
}

# The cluster's settings, written at every start: a cluster made by an older
# pg.sh runs with the current ones.
write_conf() {
    a=$1
    cat >"$a/data/sibatch.conf" <<EOF
# sibatch private cluster (scripts/pg.sh), tuned for batch work on a machine
# of 2 cores and 24 GiB. The port is given on the command line by pg.sh.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$a/sock'
max_connections = 100
shared_buffers = 1GB
work_mem = 64MB
# PostgreSQL's default. The run builds eleven indexes a night; on a virtual
# machine where a page of fresh memory cost about 10 us to fault in, 512MB of
# sort memory made them slower (the resolution tables' seven: 17-20 s against
# 10-13 s at scale 10; docs/performance-log.md).
maintenance_work_mem = 64MB
effective_cache_size = 12GB
max_wal_size = 4GB
checkpoint_timeout = 15min
random_page_cost = 1.1
max_worker_processes = 4
max_parallel_workers = 2
max_parallel_workers_per_gather = 1
# fsync stays on: the cluster survives a crash of the machine. synchronous
# commit is off, acceptable for a test and demo cluster only: a crash can lose
# the last few hundred milliseconds of commits, never corrupt the data. A
# production database keeps synchronous_commit = on.
fsync = on
synchronous_commit = off
# Tables created or truncated in the same transaction as their COPY skip WAL.
wal_level = minimal
max_wal_senders = 0
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
timezone = 'UTC'
EOF
    if [ -n "$RUNAS" ]; then
        chown "$RUNAS:" "$a/data/sibatch.conf"
    fi
}

wait_ready() {
    p=$1
    i=0
    while ! "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$p" -U postgres -d postgres; do
        i=$((i + 1))
        [ $i -lt 120 ] || die "the server did not become ready in 60 s (see $(area)/server.log)"
        sleep 0.5
    done
}

create_db() {
    p=$1
    if [ "$("$PGBIN/psql" -h 127.0.0.1 -p "$p" -U postgres -d postgres -XAtqc \
            "SELECT 1 FROM pg_database WHERE datname = 'sibatch'")" != 1 ]; then
        say "creating database sibatch"
        "$PGBIN/createdb" -h 127.0.0.1 -p "$p" -U postgres sibatch
    fi
}

cmd_start() {
    ensure_user
    make_area
    a=$(area)
    if running; then
        p=$(port)
        [ "$p" = "$PORT" ] || say "note: already running on port $p, not $PORT"
        wait_ready "$p"
        create_db "$p"
        return 0
    fi
    [ -f "$a/data/PG_VERSION" ] || init_cluster "$a"
    write_conf "$a"
    # A stale lock file of a server that died (machine restarted) is removed by
    # pg_ctl itself when its pid is gone.
    as_runner "$PGBIN/pg_ctl" -D "$a/data" -l "$a/server.log" -o "-p $PORT" -w -t 60 -s start \
        || { tail -n 20 "$a/server.log" >&2; die "could not start the server on port $PORT (see $a/server.log; port taken? set SIB_PGPORT to another one)"; }
    wait_ready "$PORT"
    create_db "$PORT"
    say "running on 127.0.0.1:$PORT, data $a/data"
}

cmd_stop() {
    running || return 0
    as_runner "$PGBIN/pg_ctl" -D "$(area)/data" -m fast -w -t 60 -s stop
}

cmd_status() {
    if running; then
        say "running on 127.0.0.1:$(port), data $(area)/data"
    else
        say "not running"
        return 1
    fi
}

cmd_env() {
    echo "export PGHOST=127.0.0.1 PGPORT=$(port) PGUSER=postgres PGDATABASE=sibatch"
}

cmd_destroy() {
    cmd_stop
    if [ -L "$LINK" ]; then
        target=$(readlink "$LINK")
        rm -rf "$target"
        rm -f "$LINK"
    else
        rm -rf "$LINK"
    fi
    say "destroyed"
}

cmd_psql() {
    exec "$PGBIN/psql" -h 127.0.0.1 -p "$(port)" -U postgres -d sibatch "$@"
}

# Serialize concurrent start/stop/destroy of the same tree's cluster.
lock() {
    if command -v flock >/dev/null 2>&1; then
        exec 9>"/tmp/sibatch-pg-$SUM.lock"
        flock -w 120 9 || die "another pg.sh holds /tmp/sibatch-pg-$SUM.lock"
    fi
}

case "${1:-}" in
start) lock; cmd_start ;;
stop) lock; cmd_stop ;;
status) cmd_status ;;
env) cmd_env ;;
destroy) lock; cmd_destroy ;;
psql) shift; cmd_psql "$@" ;;
*) echo "usage: sh scripts/pg.sh start|stop|status|env|destroy|psql [ARGS]" >&2; exit 2 ;;
esac
