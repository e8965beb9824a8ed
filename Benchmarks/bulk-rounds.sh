#!/usr/bin/env bash
# Interleaved bulk-import rounds: each round runs every given frontdesk-storetool build, then
# SQLite, on the same workload, so builds are compared in the same minutes (a shared machine's
# disk and neighbours move every figure from one minute to the next). Prints figures; not a test.
#   bash Benchmarks/bulk-rounds.sh [ROUNDS [N [TOOL ...]]]
#   bash Benchmarks/bulk-rounds.sh 3 1000000 OLD/frontdesk-storetool .build-store/release/frontdesk-storetool
# With no TOOL, builds and uses this checkout's release storetool. Store directories are left in
# WORK (default a new /tmp dir) until the end: deleting a large store just before a run makes
# ext4 allocate inodes slowly (`recently_deleted`) and skews the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}; N=${2:-1000000}; shift $(( $# < 2 ? $# : 2 ))
RESOURCES=${RESOURCES:-200}
if [ $# -eq 0 ]; then
  swift build -c release --scratch-path .build-store --product frontdesk-storetool >/dev/null
  set -- .build-store/release/frontdesk-storetool
fi
WORK=${WORK:-$(mktemp -d /tmp/frontdesk-rounds.XXXXXX)}
mkdir -p "$WORK"
echo "work dir: $WORK"
for i in $(seq 1 "$ROUNDS"); do
  echo "== round $i $(date +%T)"
  for t in "$@"; do
    printf '%-40s %s\n' "$t" "$("$t" bench bulk "$WORK/r$i-$(basename "$t")-$RANDOM" "$N" "$RESOURCES")"
  done
  printf '%-40s %s\n' sqlite "$(python3 Benchmarks/sqlite_compare.py bulk "$WORK/r$i.db" "$N" "$RESOURCES")"
done
[ -n "${KEEP:-}" ] || rm -rf "$WORK"
