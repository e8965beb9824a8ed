#!/usr/bin/env python3
"""Import at scale: `frontdesk import` of N rows for N distinct new customers, an idempotency
key on every row, into a fresh store; then the same file again (every row a replay). Prints
wall seconds and CPU seconds (user + system, which a busy machine skews less) for each N, so
a cost per row that grows with the store shows as time growing faster than N.

Usage: python3 Benchmarks/import_scale.py [--rows 10000 20000 100000] [--binary PATH]
"""
import argparse, datetime, os, resource, shutil, subprocess, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, nargs="+", default=[10000, 20000, 100000])
ap.add_argument("--binary", default=".build/release/frontdesk")
ap.add_argument("--resources", type=int, default=20)
args = ap.parse_args()


def csv(path, n, resources):
    """n rows round-robin over the resources, half an hour apart on each, one new customer a row."""
    base = datetime.datetime(2027, 1, 4, tzinfo=datetime.timezone.utc)
    with open(path, "w") as f:
        f.write("resource,customer,start,end,status,idempotency_key,notes\n")
        for i in range(n):
            s = base + datetime.timedelta(minutes=30 * (i // resources))
            e = s + datetime.timedelta(minutes=30)
            f.write(f"R{i % resources + 1},Customer {i:07d},{s.strftime('%Y-%m-%dT%H:%M:%SZ')},"
                    f"{e.strftime('%Y-%m-%dT%H:%M:%SZ')},,row-{i},\n")


def timed(cmd, env, must_pass=True):
    """Wall seconds, CPU seconds and the summary line (`imported N rows: ...`) of one run of cmd."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0 and must_pass:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
    summary = [l for l in r.stderr.splitlines() if l.startswith("imported ")]
    return took, cpu, summary[-1] if summary else r.stderr.strip()[-200:]


print(f"{'rows':>8} {'import s':>9} {'cpu s':>7} {'rows/s':>8} {'re-run s':>9} {'cpu s':>7}  summary of the re-run")
for n in args.rows:
    work = tempfile.mkdtemp(prefix="fd-import-bench-")
    try:
        env = dict(os.environ, FRONTDESK_DATA=os.path.join(work, "fd"), TZ="UTC")
        subprocess.run([args.binary, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        for r in range(args.resources):
            subprocess.run([args.binary, "resource", "add", "--name", f"R{r + 1}", "--tz", "UTC"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        path = os.path.join(work, "rows.csv")
        csv(path, n, args.resources)
        first, first_cpu, _ = timed([args.binary, "import", path], env)
        # A re-run whose rows are not all replays exits 8: shown in its summary, not fatal.
        again, again_cpu, summary = timed([args.binary, "import", path], env, must_pass=False)
        print(f"{n:>8} {first:>9.2f} {first_cpu:>7.2f} {n / first:>8.0f} {again:>9.2f} {again_cpu:>7.2f}  {summary}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
