#!/usr/bin/env python3
"""One `frontdesk book` process per booking, round-robin over RESOURCES resources, on a fresh
store: the user+system CPU time and the wall time of each process (mean, p50, p99, max).
Separates the store's own cost (journal replay, partition loads, compaction) from the disk and
the machine's load better than wall time does.

Usage: python3 Benchmarks/cli_book_cpu.py [--binary PATH] [--count N] [--resources R]
FRONTDESK_COMPACT_AFTER=N in the environment sets the compaction threshold (records).
"""
import argparse, os, subprocess, tempfile, time, datetime, resource, shutil

ap = argparse.ArgumentParser()
ap.add_argument("--binary", default=".build/release/frontdesk")
ap.add_argument("--count", type=int, default=300)
ap.add_argument("--resources", type=int, default=1)
args = ap.parse_args()

work = tempfile.mkdtemp(prefix="fd-cli-cpu-")
env = dict(os.environ, FRONTDESK_DATA=os.path.join(work, "fd"), TZ="UTC")
fd = args.binary
subprocess.run([fd, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
for r in range(args.resources):
    subprocess.run([fd, "resource", "add", "--name", f"R{r}", "--tz", "UTC"], env=env, check=True, stdout=subprocess.DEVNULL)
base = datetime.datetime(2027, 1, 1)
cpu, wall = [], []
for i in range(args.count):
    s = base + datetime.timedelta(minutes=15 * (i // args.resources))
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.perf_counter()
    subprocess.run([fd, "book", "--block", "bench", "--resource", f"R{i % args.resources}", "--start", s.strftime("%Y-%m-%d %H:%M"), "--duration", "15m"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    t1 = time.perf_counter(); r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
    wall.append((t1 - t0) * 1000)
shutil.rmtree(work)

def stats(xs):
    xs = sorted(xs); n = len(xs)
    return f"mean={sum(xs) / n:.2f} p50={xs[n // 2]:.2f} p99={xs[n * 99 // 100]:.2f} max={xs[-1]:.2f}"
print(f"{args.count} bookings over {args.resources} resources, one process each")
print(f"  cpu ms  : {stats(cpu)}")
print(f"  wall ms : {stats(wall)}")
