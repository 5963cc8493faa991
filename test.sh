#!/usr/bin/env bash
# Runs every test: builds the solution, starts a throwaway PostgreSQL for the storage contract tests,
# runs all test projects, and ends with one line "N passed, N failed" (non-zero exit on any failure,
# on a build error, or when no test ran).
set -uo pipefail
cd "$(dirname "$0")"

pgdir=$(mktemp -d /tmp/syncserver-pg.XXXXXX)
log=$(mktemp /tmp/syncserver-test.XXXXXX.log)
cleanup() { tests/scripts/postgres.sh stop "$pgdir"; }
trap cleanup EXIT

if ! SYNCSERVER_TEST_POSTGRES=$(tests/scripts/postgres.sh start "$pgdir"); then
  echo "error: could not start PostgreSQL (see $pgdir)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export SYNCSERVER_TEST_POSTGRES

dotnet test SyncServer.sln "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# VSTest prints one summary line per test assembly; add them up.
awk '
/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
  for (i = 1; i <= NF; i++) { g = $i; gsub(/,/, "", $(i+1));
    if (g == "Failed:") f += $(i+1); if (g == "Passed:") p += $(i+1); if (g == "Skipped:") s += $(i+1) }
  n++ }
END { if (n == 0) { print "0 passed, 0 failed"; exit 3 }
      printf "%d passed, %d failed, %d skipped\n", p, f, s; if (f > 0 || p == 0) exit 1 }' "$log"
summary=$?
rm -f "$log"
[ "$rc" -ne 0 ] && exit "$rc"
exit "$summary"
