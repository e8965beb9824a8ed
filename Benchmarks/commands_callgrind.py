#!/usr/bin/env python3
"""Issue #22's commands on a store, one process each: instructions (valgrind's callgrind) and
wall time, so a store of a million bookings, customers and keys can be set against one of ten.

Usage:
  python3 Benchmarks/commands_callgrind.py --binary BIN --store DIR [--runs N] [--wall N]
      [--slots "2027-01-06 06:30,2027-01-06 08:00,..."] [--key-prefix P] [--out-dir D]

The store is used as it is (copy it first: `book` writes). Commands, as in docs/BENCHMARKS.md
"Commands at a million":
  book     book --resource "Room 0" --start SLOT --duration 30m --customer "Customer 0000001"
           --idempotency-key NEW (one slot and key per run, so give as many slots as runs + wall)
  month    list --resource "Room 0" --from "2027-06-01 00:00" --to "2027-07-01 00:00"
  customer list --customer "Customer 0000000" --from "2027-01-01 00:00" --to "2028-01-01 00:00"
Prints, per command, the instructions of each callgrind run, the median wall and CPU (user +
system) time of the runs without valgrind (none with `--wall 0`) and the one-minute load average after them. `--out-dir` keeps the callgrind files for `callgrind_annotate
--inclusive=yes`.
"""
import argparse, os, subprocess, statistics, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--binary", required=True)
ap.add_argument("--store", required=True)
ap.add_argument("--runs", type=int, default=2, help="callgrind runs per command")
ap.add_argument("--wall", type=int, default=5, help="wall-time runs per command")
ap.add_argument("--slots", required=True, help="free half hours of Room 0, comma-separated, one per book")
ap.add_argument("--key-prefix", default="cg")
ap.add_argument("--out-dir", default=None)
ap.add_argument("--only", default="book,month,customer")
args = ap.parse_args()

env = dict(os.environ, TZ="UTC")
slots = [s.strip() for s in args.slots.split(",") if s.strip()]
out_dir = args.out_dir or tempfile.mkdtemp(prefix="fd-cg-")
os.makedirs(out_dir, exist_ok=True)
counter = [0]

def book_args():
    i = counter[0]
    counter[0] += 1
    if i >= len(slots):
        raise SystemExit(f"need more than {len(slots)} slots")
    return ["book", "--data", args.store, "--resource", "Room 0", "--start", slots[i], "--duration", "30m",
            "--customer", "Customer 0000001", "--idempotency-key", f"{args.key_prefix}-{os.getpid()}-{i}"]

commands = {
    "book": book_args,
    "month": lambda: ["list", "--data", args.store, "--resource", "Room 0", "--from", "2027-06-01 00:00", "--to", "2027-07-01 00:00"],
    "customer": lambda: ["list", "--data", args.store, "--customer", "Customer 0000000", "--from", "2027-01-01 00:00",
                         "--to", "2028-01-01 00:00"],
}

def instructions(path):
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise SystemExit(f"no totals in {path}")

for name in args.only.split(","):
    make = commands[name]
    counts = []
    for r in range(args.runs):
        out = os.path.join(out_dir, f"{name}.{r}.out")
        p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", args.binary] + make(),
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise SystemExit(f"{name} failed ({p.returncode}): {p.stdout[-400:]} {p.stderr[-400:]}")
        counts.append(instructions(out))
    walls, cpus = [], []
    for r in range(args.wall):
        t0 = time.perf_counter()
        p = subprocess.Popen([args.binary] + make(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(p.pid, 0)
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
        if p.returncode != 0:
            raise SystemExit(f"{name} failed ({p.returncode}): {err[-400:]}")
    ins = " ".join(f"{c / 1e6:.1f}M" for c in counts)
    wall = (f"  wall median {statistics.median(walls):.1f} ms (min {min(walls):.1f}), CPU (user+sys) median "
            f"{statistics.median(cpus):.1f} ms (min {min(cpus):.1f}), {len(walls)} runs") if walls else ""
    print(f"{name:9s} instructions {ins}{wall}  load average {os.getloadavg()[0]:.1f}", flush=True)
print(f"callgrind files: {out_dir}")
