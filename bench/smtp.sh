#!/usr/bin/env bash
# SMTP benchmark in one run: our server (Release, scratch data) and Postfix delivering to Dovecot over LMTP (the
# reference servers of $PEERS, installed from apt by ref-mail-up.sh when absent), both on loopback ports. Prints
# "name value unit" lines: messages/s for each and the ratio ours/theirs, then our peak RSS under large sessions.
# Usage: bench/smtp.sh [--connections 16] [--small 2000] [--large 100] [--submission 400] [--rss-sessions 200] [--rss-megabytes 50]
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-/work/shared/peers}
[[ -x "$PEERS/ref-mail-up.sh" ]] || { echo "no reference mail servers: set PEERS to the folder of ref-mail-up.sh" >&2; exit 1; }
users=10
work=$(mktemp -d /tmp/syncserver-bench-smtp.XXXXXX)
chmod 0755 "$work" # Dovecot's mail user must reach the reference maildirs under it
export REF_DIR="$work/ref" REF_USERS=$users REF_WIPE=1
trap '"$PEERS/ref-mail-down.sh" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$PEERS/ref-mail-up.sh" >&2

./syncserver domain add example.test --data "$work/ours" >&2
for i in $(seq 1 "$users"); do
  echo pass | ./syncserver user add "user$i@example.test" --password-stdin --data "$work/ours" >&2
done
dotnet run -c Release --project bench/Smtp -- --server .build/SyncServer.Server.dll --data "$work/ours" --users "$users" "$@"
