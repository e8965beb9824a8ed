#!/usr/bin/env bash
# Store benchmark: Frontdesk's journal+snapshot store next to SQLite (WAL, synchronous=FULL),
# same workloads, same run. Not a test: it prints figures.
#   bash Benchmarks/run-store-bench.sh            # defaults below
#   COMMITS=3000 BULK=1000000 COLD=1000000 LAT=300 bash Benchmarks/run-store-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
COMMITS=${COMMITS:-2000}      # durable single-booking commits, one process
BULK=${BULK:-100000}          # bulk import size (1,000,000 is the figure in docs/BENCHMARKS.md; it takes minutes)
RESOURCES=${RESOURCES:-200}
COLD=${COLD:-1000000}         # bookings on disk for the cold-open run
LAT=${LAT:-200}               # commits per writer, 8 writers
WORK=${WORK:-$(mktemp -d /tmp/frontdesk-bench.XXXXXX)}

swift build -c release --scratch-path .build-store --product frontdesk-storetool >/dev/null
TOOL=.build-store/release/frontdesk-storetool
PY=Benchmarks/sqlite_compare.py
mkdir -p "$WORK"
echo "work dir: $WORK"

row() { printf '%-44s | %-70s | %s\n' "$1" "$2" "$3"; }
row "workload" "frontdesk store" "sqlite3 $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"

row "durable single commits ($COMMITS)" "$($TOOL bench commits "$WORK/commits" "$COMMITS")" "$(python3 $PY commits "$WORK/commits.db" "$COMMITS")"
row "bulk import ($BULK, $RESOURCES resources)" "$($TOOL bench bulk "$WORK/bulk" "$BULK" "$RESOURCES")" "$(python3 $PY bulk "$WORK/bulk.db" "$BULK" "$RESOURCES")"

# Cold open: a store with $COLD bookings on disk (seeded straight into a snapshot), and the
# same rows in SQLite (inserted without checks); then a fresh process opens and reads one resource's month.
gen=$($TOOL bench generate "$WORK/cold" "$COLD" "$RESOURCES")
rid=$(echo "$gen" | sed 's/.*resource=//')
python3 $PY seed "$WORK/cold.db" "$COLD" "$RESOURCES" >/dev/null
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
row "cold open + 1 resource-month ($COLD on disk)" "$($TOOL bench cold "$WORK/cold" "$rid")" "$(python3 $PY cold "$WORK/cold.db" res_$((RESOURCES / 2)))"
row "8 writer processes x $LAT commits" "$($TOOL bench latency "$WORK/lat" 8 "$LAT")" "$(python3 $PY latency "$WORK/lat.db" 8 "$LAT")"
echo "($gen)"
[ -n "${KEEP:-}" ] || rm -rf "$WORK"
