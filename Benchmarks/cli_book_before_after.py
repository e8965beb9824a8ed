#!/usr/bin/env python3
"""`frontdesk book`, one process per booking, by two builds in turn: the user+system CPU time and
the wall time of each process, median and 90th percentile per build, and the ratio after/before.

Each build books on a store of its own (`init` plus one resource, as `cli_vs_sqlite3.py` makes
it); the two alternate process by process (which goes first alternates too), so a busy machine
weighs on both alike. `--grant-group G` grants group G a role in the after build's store first
(`staff add --group G --role desk`), so its start-up also looks up the account's groups.
Also prints each build's median user and system time and minor page faults per process (the
rusage of the child), and the load average at the end.

Usage: python3 Benchmarks/cli_book_before_after.py --before PATH --after PATH [--count N] [--grant-group G]
"""
import argparse, os, resource, subprocess, tempfile, time, datetime, statistics

ap = argparse.ArgumentParser()
ap.add_argument("--before", required=True)
ap.add_argument("--after", required=True)
ap.add_argument("--count", type=int, default=100)
ap.add_argument("--grant-group")
args = ap.parse_args()

work = tempfile.mkdtemp(prefix="fd-before-after-")
sides = {}
for name, binary in (("before", args.before), ("after", args.after)):
    env = dict(os.environ, FRONTDESK_DATA=os.path.join(work, name), TZ="UTC")
    subprocess.run([binary, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "resource", "add", "--name", "R1", "--tz", "UTC"], env=env, check=True, stdout=subprocess.DEVNULL)
    if name == "after" and args.grant_group:
        subprocess.run([binary, "staff", "add", "--group", args.grant_group, "--role", "desk"], env=env, check=True, stdout=subprocess.DEVNULL)
    sides[name] = (binary, env, [], [], [], [], [])

base = datetime.datetime(2027, 1, 1)
for i in range(args.count):
    s = (base + datetime.timedelta(minutes=15 * i)).strftime("%Y-%m-%d %H:%M")
    for name in (("before", "after") if i % 2 == 0 else ("after", "before")):
        binary, env, cpu, wall, user, system, faults = sides[name]
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.perf_counter()
        subprocess.run([binary, "book", "--block", "bench", "--resource", "R1", "--start", s, "--duration", "15m"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        wall.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
        user.append(r1.ru_utime - r0.ru_utime); system.append(r1.ru_stime - r0.ru_stime)
        faults.append(r1.ru_minflt - r0.ru_minflt)

def p90(xs): return sorted(xs)[int(0.9 * (len(xs) - 1))]
med = {}
for name in ("before", "after"):
    _, _, cpu, wall, user, system, faults = sides[name]
    med[name] = (statistics.median(cpu), statistics.median(wall))
    print(f"{name:6s} CPU median {1000 * med[name][0]:.2f} ms p90 {1000 * p90(cpu):.2f} ms; "
          f"wall median {1000 * med[name][1]:.2f} ms p90 {1000 * p90(wall):.2f} ms ({args.count} processes); "
          f"user median {1000 * statistics.median(user):.2f} ms, system median {1000 * statistics.median(system):.2f} ms, "
          f"minor faults median {statistics.median(faults):.0f}")
print(f"load average {os.getloadavg()[0]:.1f} at the end")
print(f"after/before: CPU {med['after'][0] / med['before'][0]:.3f}, wall {med['after'][1] / med['before'][1]:.3f}")
