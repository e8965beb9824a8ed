#!/usr/bin/env bash
# TUI start-up figure: a release `frontdesk-testhost` (the `frontdesk` command line plus test
# seams; the shipped `frontdesk` reads no such knob) opens a store holding COUNT bookings (default
# 1,000,000 over RESOURCES resources, seeded by `frontdesk-storetool bench generate`) on a date
# inside the data, draws its first frame on a pseudo-terminal and exits
# (FRONTDESK_EXIT_AFTER_FIRST_FRAME=1). Not a test: it prints figures.
#
#   bash Benchmarks/tui-first-frame.sh                 # 1,000,000 bookings, 200 resources, 7 runs
#   COUNT=1000000 RESOURCES=40 RUNS=11 bash Benchmarks/tui-first-frame.sh
#   STORE=/path/to/copy-of-a-store DATE=2027-06-15 bash Benchmarks/tui-first-frame.sh
#
# STORE opens an existing store instead of seeding one (it is neither seeded nor removed; give a
# copy: opening it may catch up its journal and compact).
#
# Per run: first_frame_ms is measured by the process itself, from the kernel's record of its
# start (/proc/self/stat, 10 ms steps) to the first frame flushed to the terminal;
# launch_to_exit_ms is wall time around the whole process (fork to exit, seen from the driver).
# Runs after the first use a warm page cache; DROP_CACHES=1 (as root) drops it before each run.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-1000000}
RESOURCES=${RESOURCES:-200}
RUNS=${RUNS:-7}
DATE=${DATE:-2027-06-15}
ROWS=${ROWS:-50}
COLS=${COLS:-200}
SCRATCH=${SCRATCH:-.build-static}
WORK=${WORK:-$(mktemp -d /tmp/frontdesk-first-frame.XXXXXX)}

# Built as README "Install" builds `frontdesk` (Swift runtime and Foundation linked statically).
FLAGS=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
# NO_BUILD=1 runs the binaries already in $SCRATCH (for example while another product builds there).
[ -n "${NO_BUILD:-}" ] || swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product frontdesk-testhost "${FLAGS[@]}" >/dev/null
[ -n "${NO_BUILD:-}" ] || swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product frontdesk-storetool "${FLAGS[@]}" >/dev/null
BIN="$SCRATCH/release/frontdesk-testhost"
TOOL="$SCRATCH/release/frontdesk-storetool"

if [ -n "${STORE:-}" ]; then
    TARGET=$STORE
    echo "store: $STORE (given), date $DATE, terminal ${COLS}x${ROWS}"
else
    TARGET=$WORK/store
    if [ ! -f "$TARGET/FORMAT" ]; then
        mkdir -p "$WORK"
        echo "seeding: $($TOOL bench generate "$TARGET" "$COUNT" "$RESOURCES")"
    fi
    echo "store: $TARGET ($COUNT bookings, $RESOURCES resources), date $DATE, terminal ${COLS}x${ROWS}"
fi

python3 - "$BIN" "$TARGET" "$DATE" "$RUNS" "$ROWS" "$COLS" "${DROP_CACHES:-}" <<'PY'
import fcntl, os, pty, select, statistics, struct, subprocess, sys, termios, time
binary, store, date, runs, rows, cols, drop = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]

def one():
    if drop:
        subprocess.run(["sync"]); open("/proc/sys/vm/drop_caches", "w").write("3\n")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", FRONTDESK_EXIT_AFTER_FIRST_FRAME="1", LANG="C.UTF-8")
    env.pop("NO_COLOR", None)
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "--data", store, "--date", date], stdin=slave, stdout=slave,
                         stderr=subprocess.PIPE, env=env, start_new_session=True)
    os.close(slave)
    screen = b""
    while True:  # drain the terminal so the program never blocks on a full pty
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        elif p.poll() is not None:
            break
    err = p.stderr.read().decode()
    p.wait()
    wall = (time.perf_counter() - t0) * 1000
    os.close(master)
    ms = None
    for line in err.splitlines():
        if line.startswith("first_frame_ms="):
            ms = float(line.split("=", 1)[1])
    if p.returncode != 0 or ms is None:
        sys.exit(f"run failed (exit {p.returncode}): {err.strip()}")
    if b"Frontdesk" not in screen:
        sys.exit("the first frame did not reach the terminal")
    return ms, wall

results = [one() for _ in range(runs)]
for i, (ms, wall) in enumerate(results):
    print(f"run {i + 1}: first_frame_ms={ms:.0f} launch_to_exit_ms={wall:.1f}")
print(f"median of {runs}: first_frame_ms={statistics.median(r[0] for r in results):.0f} "
      f"launch_to_exit_ms={statistics.median(r[1] for r in results):.1f} (target: first frame <= 300 ms)")
PY
if [ -n "${STORE:-}" ]; then rmdir "$WORK" 2>/dev/null || true; elif [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; fi
