#!/usr/bin/env bash
# Interleaved rounds of the store's everyday figures for one or more frontdesk-storetool builds:
# durable single commits, 8 writer processes, and a cold open of a 1,000,000-booking store with
# one resource's month read. Each round runs every build back to back, so builds are compared
# in the same minutes. Prints figures; not a test.
#   bash Benchmarks/store-rounds.sh [ROUNDS [TOOL ...]]
#   bash Benchmarks/store-rounds.sh 3 OLD/frontdesk-storetool .build-store/release/frontdesk-storetool
# Sizes: COMMITS (default 3000), LAT (commits per writer, 200), COLD (bookings on disk, 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}; shift $(( $# < 1 ? $# : 1 ))
COMMITS=${COMMITS:-3000}; LAT=${LAT:-200}; COLD=${COLD:-1000000}; RESOURCES=${RESOURCES:-200}
if [ $# -eq 0 ]; then
  swift build -c release --scratch-path .build-store --product frontdesk-storetool >/dev/null
  set -- .build-store/release/frontdesk-storetool
fi
WORK=${WORK:-$(mktemp -d /tmp/frontdesk-store-rounds.XXXXXX)}
mkdir -p "$WORK"
echo "work dir: $WORK"
# One cold store, written by the last build given, opened by every build.
last="${!#}"
gen=$("$last" bench generate "$WORK/cold" "$COLD" "$RESOURCES")
rid=$(echo "$gen" | sed 's/.*resource=//')
for i in $(seq 1 "$ROUNDS"); do
  echo "== round $i $(date +%T)"
  for t in "$@"; do
    name=$(basename "$(dirname "$(dirname "$t")")")/$(basename "$t")
    printf '%-44s commits  %s\n' "$name" "$("$t" bench commits "$WORK/c$i-$RANDOM" "$COMMITS")"
    printf '%-44s latency  %s\n' "$name" "$("$t" bench latency "$WORK/l$i-$RANDOM" 8 "$LAT")"
    sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
    printf '%-44s cold     %s\n' "$name" "$("$t" bench cold "$WORK/cold" "$rid")"
  done
done
[ -n "${KEEP:-}" ] || rm -rf "$WORK"
