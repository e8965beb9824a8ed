#!/usr/bin/env python3
"""One process per booking: `frontdesk book` against the sqlite3 command line doing the same
indexed check-and-insert transaction (WAL, synchronous=FULL). Prints bookings/s for both.

Usage: python3 Benchmarks/cli_vs_sqlite3.py [--count N] [--binary PATH]
"""
import argparse, os, shutil, subprocess, tempfile, time, datetime

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

t0 = time.perf_counter()
for s in starts:
    subprocess.run([fd, "book", "--block", "bench", "--resource", "R1", "--start", s.strftime("%Y-%m-%d %H:%M"), "--duration", "15m"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
fd_s = time.perf_counter() - t0

db = os.path.join(work, "b.db")
subprocess.run(["sqlite3", db, "PRAGMA journal_mode=WAL; CREATE TABLE bookings(id INTEGER PRIMARY KEY, resource TEXT, start INTEGER, end INTEGER, status TEXT);"
                " CREATE INDEX by_resource_start ON bookings(resource, start);"], check=True, stdout=subprocess.DEVNULL)
t0 = time.perf_counter()
for s in starts:
    st = int(s.replace(tzinfo=datetime.timezone.utc).timestamp()); en = st + 900
    # The same overlap rule as Frontdesk: start < new_end and end > new_start, bounded by the
    # longest booking so the (resource, start) index is used.
    sql = (f"PRAGMA synchronous=FULL; BEGIN IMMEDIATE; "
           f"INSERT INTO bookings(resource,start,end,status) SELECT 'R1',{st},{en},'confirmed' WHERE NOT EXISTS ("
           f"SELECT 1 FROM bookings WHERE resource='R1' AND start < {en} AND start > {st} - 86400 AND end > {st} AND status NOT IN ('cancelled','no_show')); "
           f"SELECT changes(); COMMIT;")
    out = subprocess.run(["sqlite3", db, sql], check=True, capture_output=True, text=True).stdout
    assert out.strip().endswith("1"), out
sq_s = time.perf_counter() - t0

def instructions(cmd, env=None):
    """Instructions one process executes (valgrind's callgrind): a figure a busy machine does not skew."""
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd, env=env,
                       capture_output=True, text=True)
    for line in r.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    return None

n = args.count
print(f"one process per booking, {n} bookings")
print(f"  frontdesk book : {n / fd_s:8.1f} bookings/s  ({fd_s / n * 1000:.2f} ms each)")
print(f"  sqlite3 CLI    : {n / sq_s:8.1f} bookings/s  ({sq_s / n * 1000:.2f} ms each)")
print(f"  ratio          : {sq_s / fd_s:.2f}x sqlite3's speed (target >= 0.5x)")
if shutil.which("valgrind"):
    # One more booking each, counted in instructions, after the N already stored.
    s = base + datetime.timedelta(minutes=15 * n)
    fi = instructions([fd, "book", "--block", "bench", "--resource", "R1", "--start", s.strftime("%Y-%m-%d %H:%M"), "--duration", "15m"], env)
    st = int(s.replace(tzinfo=datetime.timezone.utc).timestamp()); en = st + 900
    sql = (f"PRAGMA synchronous=FULL; BEGIN IMMEDIATE; "
           f"INSERT INTO bookings(resource,start,end,status) SELECT 'R1',{st},{en},'confirmed' WHERE NOT EXISTS ("
           f"SELECT 1 FROM bookings WHERE resource='R1' AND start < {en} AND start > {st} - 86400 AND end > {st} AND status NOT IN ('cancelled','no_show')); "
           f"SELECT changes(); COMMIT;")
    si = instructions(["sqlite3", db, sql])
    if fi and si:
        print(f"  instructions   : frontdesk book {fi / 1e6:.1f} M, sqlite3 {si / 1e6:.1f} M (booking {n + 1}, under valgrind)")
shutil.rmtree(work)
