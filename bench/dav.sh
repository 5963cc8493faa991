#!/usr/bin/env bash
# CalDAV/CardDAV benchmark, side by side in one run: our server (Release, scratch data, HTTPS) and Radicale (Debian's,
# started on free loopback ports by $PEERS/ref-dav-up.sh, default /work/shared/peers, which installs it when absent;
# its TLS listener is the one measured). One user each; the same workload (bench/Dav) against both.
# The collections are filled outside the timing: ours by PUT, Radicale's by writing its storage files (its PUT checks the
# UID against every item of the collection: filling 10,000 events by PUT would take hours); the timed PUT/s figures are
# more items PUT into the filled collections. Prints "name value unit" lines per target and "ratio" lines ours/Radicale.
# Usage: bench/dav.sh [--events N] [--cards N] [--put-events N] [--put-cards N]   (defaults 10000, 5000, 100, 50)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
peers=${PEERS:-/work/shared/peers}
work=$(mktemp -d /tmp/syncserver-bench-dav.XXXXXX)
ours_pid=""
cleanup() {
  [ -n "$ours_pid" ] && kill "$ours_pid" 2>/dev/null && wait "$ours_pid" 2>/dev/null || true
  REF_DIR="$work/peer" "$peers/ref-dav-down.sh" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

. bench/ports.sh

# --- ours: Release build, a scratch data directory, one user, only the HTTPS listener. Passwords are hashed with fewer
# PBKDF2 iterations (as in the tests and bench/imap.sh): Basic authentication checks the password on every request,
# and Radicale here checks a plain htpasswd entry.
if ! dpkg -s radicale >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq radicale >/dev/null
fi
./syncserver --help >/dev/null
export SYNCSERVER__SECURITY__PASSWORDITERATIONS=1000
dotnet .build/SyncServer.Server.dll domain add example.test --data "$work/ours" >/dev/null
echo pass | dotnet .build/SyncServer.Server.dll user add bench@example.test --password-stdin --data "$work/ours" >/dev/null
ours_port=$(free_port)
for listener in HTTP SMTP SUBMISSION SMTPS IMAP IMAPS POP3 POP3S; do export "SYNCSERVER__LISTENERS__$listener=0"; done
SYNCSERVER__LISTENERS__HTTPS=$ours_port dotnet .build/SyncServer.Server.dll serve --data "$work/ours" >"$work/ours.log" 2>&1 &
ours_pid=$!

# --- Radicale: its own state and ports under $work (never the shared default ones), one user, no Sabre.
radicale_port=$(free_port)
REF_DIR="$work/peer" RAD_PORT=$(free_port) RAD_TLS_PORT=$radicale_port WITH_SABRE=0 NUSERS=1 "$peers/ref-dav-up.sh" >&2

wait_port "$ours_port"
wait_port "$radicale_port"
echo "# syncserver pid $ours_pid HTTPS $ours_port; radicale $(dpkg-query -W -f '${Version}' radicale) HTTPS $radicale_port" >&2
dotnet run -c Release --project bench/Dav -- \
  --target syncserver "https://127.0.0.1:$ours_port/" bench@example.test pass \
    /dav/calendars/bench@example.test/calendar/ /dav/addressbooks/bench@example.test/contacts/ \
  --target radicale "https://127.0.0.1:$radicale_port/" user1 pass /user1/calendar/ /user1/contacts/ \
    --files "$work/peer/radicale/collections/collection-root" "$@"
