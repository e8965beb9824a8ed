#!/usr/bin/env python3
"""One process per booking: `frontdesk book` against the sqlite3 command line doing the same
indexed check-and-insert transaction (WAL, synchronous=FULL). Prints bookings/s for both.

The two sides alternate, one process each in turn (which side goes first alternates too), so a
busy machine or a slow disk weighs on both alike; per-process medians and 90th percentiles are
printed beside the totals, and each side's user+system CPU per process. A process of either
side is mostly start-up and its disk flushes (`frontdesk book` makes one fdatasync; the sqlite3
CLI five: the commit and the new WAL file's directory, then three for the checkpoint when the
last connection closes), so the wall-time ratio moves with the disk's flush latency: read it
beside the CPU and instruction counts.

Usage: python3 Benchmarks/cli_vs_sqlite3.py [--count N] [--binary PATH]
"""
import argparse, os, resource, shutil, subprocess, tempfile, time, datetime

ap = argparse.ArgumentParser()
ap.add_argument("--count", type=int, default=300)
ap.add_argument("--binary", default=".build/release/frontdesk")
args = ap.parse_args()

work = tempfile.mkdtemp(prefix="fd-cli-bench-")
env = dict(os.environ, FRONTDESK_DATA=os.path.join(work, "fd"), TZ="UTC")
fd = args.binary
subprocess.run([fd, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
subprocess.run([fd, "resource", "add", "--name", "R1", "--tz", "UTC"], env=env, check=True, stdout=subprocess.DEVNULL)
base = datetime.datetime(2027, 1, 1)
starts = [base + datetime.timedelta(minutes=15 * i) for i in range(args.count)]

db = os.path.join(work, "b.db")
subprocess.run(["sqlite3", db, "PRAGMA journal_mode=WAL; CREATE TABLE bookings(id INTEGER PRIMARY KEY, resource TEXT, start INTEGER, end INTEGER, status TEXT);"
                " CREATE INDEX by_resource_start ON bookings(resource, start);"], check=True, stdout=subprocess.DEVNULL)


def fd_command(s):
    return [fd, "book", "--block", "bench", "--resource", "R1", "--start", s.strftime("%Y-%m-%d %H:%M"), "--duration", "15m"]


def sqlite_sql(s):
    st = int(s.replace(tzinfo=datetime.timezone.utc).timestamp()); en = st + 900
    # The same overlap rule as Frontdesk: start < new_end and end > new_start, bounded by the
    # longest booking so the (resource, start) index is used.
    return (f"PRAGMA synchronous=FULL; BEGIN IMMEDIATE; "
            f"INSERT INTO bookings(resource,start,end,status) SELECT 'R1',{st},{en},'confirmed' WHERE NOT EXISTS ("
            f"SELECT 1 FROM bookings WHERE resource='R1' AND start < {en} AND start > {st} - 86400 AND end > {st} AND status NOT IN ('cancelled','no_show')); "
            f"SELECT changes(); COMMIT;")


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_fd(s, cpu):
    c0, t0 = cpu_seconds(), time.perf_counter()
    subprocess.run(fd_command(s), env=env, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    cpu.append(cpu_seconds() - c0)
    return elapsed


def run_sqlite(s, cpu):
    c0, t0 = cpu_seconds(), time.perf_counter()
    out = subprocess.run(["sqlite3", db, sqlite_sql(s)], check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - t0
    cpu.append(cpu_seconds() - c0)
    assert out.strip().endswith("1"), out
    return elapsed


fd_times, sq_times, fd_cpu, sq_cpu = [], [], [], []
for i, s in enumerate(starts):
    if i % 2 == 0:
        fd_times.append(run_fd(s, fd_cpu)); sq_times.append(run_sqlite(s, sq_cpu))
    else:
        sq_times.append(run_sqlite(s, sq_cpu)); fd_times.append(run_fd(s, fd_cpu))
fd_s, sq_s = sum(fd_times), sum(sq_times)


def instructions(cmd, env=None):
    """Instructions one process executes (valgrind's callgrind): a figure a busy machine does not skew."""
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd, env=env,
                       capture_output=True, text=True)
    for line in r.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    return None


def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))] * 1000


n = args.count
print(f"one process per booking, {n} bookings, the two sides alternating")
print(f"  frontdesk book : {n / fd_s:8.1f} bookings/s  ({fd_s / n * 1000:.2f} ms each; median {quantile(fd_times, 0.5):.2f}, p90 {quantile(fd_times, 0.9):.2f})")
print(f"  sqlite3 CLI    : {n / sq_s:8.1f} bookings/s  ({sq_s / n * 1000:.2f} ms each; median {quantile(sq_times, 0.5):.2f}, p90 {quantile(sq_times, 0.9):.2f})")
print(f"  ratio          : {sq_s / fd_s:.2f}x sqlite3's speed (target >= 0.5x); of the medians {quantile(sq_times, 0.5) / quantile(fd_times, 0.5):.2f}x")
# User+system CPU of each process: what a disk with instant flushes would leave of the ratio.
print(f"  cpu ms each    : frontdesk book {sum(fd_cpu) / n * 1000:.2f}, sqlite3 {sum(sq_cpu) / n * 1000:.2f} (ratio {sum(sq_cpu) / sum(fd_cpu):.2f}x)")
if shutil.which("valgrind"):
    # One more booking each, counted in instructions, after the N already stored.
    s = base + datetime.timedelta(minutes=15 * n)
    fi = instructions(fd_command(s), env)
    si = instructions(["sqlite3", db, sqlite_sql(s)])
    if fi and si:
        print(f"  instructions   : frontdesk book {fi / 1e6:.1f} M, sqlite3 {si / 1e6:.1f} M (booking {n + 1}, under valgrind)")
shutil.rmtree(work)
