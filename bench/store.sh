#!/usr/bin/env bash
# Store benchmark on SQLite and on a throwaway PostgreSQL, in Release: prints "name value unit" lines.
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir=$(mktemp -d /tmp/syncserver-bench-pg.XXXXXX)
trap 'tests/scripts/postgres.sh stop "$pgdir"' EXIT
cs=$(tests/scripts/postgres.sh start "$pgdir")
dotnet run -c Release --project bench/Store -- --postgres "$cs" "$@"
