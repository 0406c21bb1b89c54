#!/bin/sh
# with-pg.sh — runs a command against the private cluster of scripts/pg.sh:
#
#   sh scripts/with-pg.sh CMD [ARGS...]
#
# with PGHOST, PGPORT, PGUSER and PGDATABASE of `sh scripts/pg.sh env`, and
# SIBATCH_BIN set to this tree's bin/sibatch (unless already set). It does not
# start the cluster: run `sh scripts/pg.sh start` first.
set -eu
[ $# -gt 0 ] || { echo "usage: sh scripts/with-pg.sh CMD [ARGS...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd -P)
eval "$(sh "$here/pg.sh" env)"
SIBATCH_BIN=${SIBATCH_BIN:-$(dirname "$here")/bin/sibatch}
export SIBATCH_BIN
exec "$@"
