#!/usr/bin/env python3
"""Instructions of one `frontdesk import` (valgrind's callgrind), for one or more builds.

The rows are the ones `scale_vs_sqlite.py` imports (ROWS rows for CUSTOMERS distinct new
customers on 200 resources over 2 years, an idempotency key on every row); each build imports
them into its own copy of the same fresh store (`init` plus the 200 resources). Instruction
counts are what a machine shared with other builds does not skew; wall and CPU seconds under
load are printed beside them, for what they are worth. All threads are counted (the import's
planning, its record encoding and the compactions it starts).

Usage: python3 Benchmarks/import_instructions.py [--rows 5000] [--customers N] BINARY...
"""
import argparse, os, resource, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale_vs_sqlite as sv  # noqa: E402  (the same rows as the scale benchmark)

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=5000)
ap.add_argument("--customers", type=int, help="distinct customers (default: one per row)")
ap.add_argument("binaries", nargs="+")
args = ap.parse_args()
customers = args.customers or args.rows

work = tempfile.mkdtemp(prefix="fd-import-instr-")
try:
    bench = sv.Bench.__new__(sv.Bench)
    bench.size = {"resources": 200}
    rows = os.path.join(work, "rows.csv")
    bench.write_csv(rows, args.rows, customers)
    seed = os.path.join(work, "seed")
    first = args.binaries[0]
    quiet = dict(stdout=subprocess.DEVNULL, check=True)
    subprocess.run([first, "init", "--data", seed], **quiet)
    for i in range(200):
        subprocess.run([first, "resource", "add", "--data", seed, "--name", f"Room {i}", "--kind", "room", "--tz", "UTC"], **quiet)
    print(f"import of {args.rows:,} rows for {customers:,} customers, 200 resources, load {os.getloadavg()[0]:.1f}")
    for b in args.binaries:
        store = os.path.join(work, "store")
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(seed, store, symlinks=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", b, "import", rows, "--data", store],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        collected = [line.split(":")[-1].strip() for line in r.stderr.splitlines() if "Collected :" in line]
        summary = [line for line in r.stderr.splitlines() if line.startswith("imported ")]
        print(f"  {b}: {int(collected[-1]) / 1e6:,.0f} M instructions (under valgrind: {wall:.0f} s wall, "
              f"{after.ru_utime - before.ru_utime:.1f} s user); {summary[-1] if summary else r.stderr[-300:]}")
finally:
    shutil.rmtree(work, ignore_errors=True)
