#!/usr/bin/env bash
# ActiveSync benchmark (bench/Eas, Release) against our server on scratch data over HTTPS: initial Sync of a
# 10,000-message folder (items/s, bytes on the wire), 1,000 Pings held at once (server RSS), change → Ping answer
# latency p50/p99. Prints "name value unit" lines. No peer: Z-Push (the EAS server this replaces) is not installed
# here, so there is no ratio line.
# Usage: bench/eas.sh [--messages N] [--pings N]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/syncserver-bench-eas.XXXXXX)
ours_pid=""
cleanup() {
  [ -n "$ours_pid" ] && kill "$ours_pid" 2>/dev/null && wait "$ours_pid" 2>/dev/null || true
  # The server's warnings and errors of the run, if any, go to stderr before its log is removed.
  grep -iE "warn|fail|error|exception" "$work/ours.log" 2>/dev/null | sed 's/^/# server: /' | head -20 >&2 || true
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"   # a thousand held Pings: as many descriptors as allowed

. bench/ports.sh

./syncserver --help >/dev/null
export SYNCSERVER__SECURITY__PASSWORDITERATIONS=1000
dotnet .build/SyncServer.Server.dll domain add example.test --data "$work/ours" >/dev/null
echo pass | dotnet .build/SyncServer.Server.dll user add bench@example.test --password-stdin --data "$work/ours" >/dev/null
https_port=$(free_port)
imaps_port=$(free_port)
for listener in HTTP SMTP SUBMISSION SMTPS IMAP POP3 POP3S; do export "SYNCSERVER__LISTENERS__$listener=0"; done
SYNCSERVER__LISTENERS__HTTPS=$https_port SYNCSERVER__LISTENERS__IMAPS=$imaps_port \
  dotnet .build/SyncServer.Server.dll serve --data "$work/ours" >"$work/ours.log" 2>&1 &
ours_pid=$!
wait_port "$https_port"
wait_port "$imaps_port"

echo "# peer: none (Z-Push is not installed here; no ratio)"
dotnet run -c Release --project bench/Eas -- "$https_port" "$imaps_port" bench@example.test pass "$ours_pid" "$@"
