#!/bin/sh
# install-deps.sh — installs with apt-get whatever sibatch needs to build, test
# and demo that is not installed yet (Debian 12). Idempotent: prints one line
# per action and nothing for what is already present.
#
#   sh scripts/install-deps.sh          (as root, or as a user with sudo)
#
# Before PostgreSQL is installed, Debian is told not to create (and so not to
# start) a system cluster "15/main": sibatch runs its own private cluster
# (scripts/pg.sh), and the machine may have no systemd.
set -eu

PACKAGES="build-essential pkg-config postgresql-15 postgresql-client-15 libpq-dev
libcjson-dev zlib1g-dev libicu-dev libssl-dev libcriterion-dev time gzip procps
chromium fonts-noto-cjk"

installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

missing=
for p in $PACKAGES; do
    installed "$p" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=
elif command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
else
    echo "install-deps: not root and no sudo; as root: apt-get install$missing" >&2
    exit 1
fi

# No system cluster. postgresql-common's postinst reads create_main_cluster
# from this file only (not from createcluster.d); ucf keeps our version of the
# file when the package is installed afterwards (UCF_FORCE_CONFFOLD below).
conf=/etc/postgresql-common/createcluster.conf
case "$missing" in
*postgresql-15*)
    if ! grep -Eq '^[[:space:]]*create_main_cluster[[:space:]]*=[[:space:]]*(false|off|no|0)' "$conf" 2>/dev/null; then
        echo "install-deps: disabling Debian's default PostgreSQL cluster in $conf"
        $SUDO mkdir -p /etc/postgresql-common
        if [ -f "$conf" ]; then
            $SUDO sed -i '/^[[:space:]]*create_main_cluster[[:space:]]*=/d' "$conf"
        fi
        echo 'create_main_cluster = false' | $SUDO tee -a "$conf" >/dev/null
    fi
    ;;
esac

export DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1
echo "install-deps: apt-get update"
# Waits (up to 10 min) for the dpkg lock of another apt-get instead of failing.
LOCKWAIT="-o DPkg::Lock::Timeout=600"
# shellcheck disable=SC2086  # $LOCKWAIT is two words on purpose
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get $LOCKWAIT update -q >/dev/null
echo "install-deps: apt-get install$missing"
# shellcheck disable=SC2086  # word splitting of $LOCKWAIT and the package list is intended
$SUDO env DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get $LOCKWAIT install -y -q \
    --no-install-recommends -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-confdef \
    $missing >/dev/null
for p in $missing; do
    installed "$p" || { echo "install-deps: $p did not install" >&2; exit 1; }
done
echo "install-deps: done"
