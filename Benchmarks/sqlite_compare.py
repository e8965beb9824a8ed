#!/usr/bin/env python3
"""SQLite side of the store benchmark: the same workloads as `frontdesk-storetool bench`.

WAL, synchronous=FULL, an index on (resource, start); every booking does the same overlap
check (SELECT on the resource's range, bounded by the longest booking) and then the insert, in
one transaction. The row
carries a JSON document of about the size of a Frontdesk booking so I/O volume is comparable.
Prints one `key=value` line per mode, like the Swift side.
"""
import json, os, random, sqlite3, subprocess, sys, time

BASE = 1_798_848_000  # 2027-01-02T00:00Z
DOC = json.dumps({"ref": "B-000", "customer": None, "status": "confirmed", "notes": "",
                  "created_by": {"user": "bench", "origin": "local", "source": "cli"},
                  "history": [{"action": "created", "changes": ["status confirmed", "time x – y"], "version": 1}],
                  "padding": "x" * 400})


TWO_YEARS = 730 * 86400


def slot(i, every=3600):
    s = BASE + i * every
    return s, s + 1800


def connect(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA busy_timeout=5000")
    return db


def create(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = connect(path)
    db.execute("CREATE TABLE bookings (id TEXT PRIMARY KEY, resource TEXT, start INTEGER, end INTEGER, status TEXT, doc TEXT)")
    db.execute("CREATE INDEX by_resource_start ON bookings (resource, start)")
    return db


# No booking in these workloads is longer than this, so an overlapping one starts after
# start - LONGEST. Bounding the index range by it is what any SQLite user would write (the store
# bounds its own loads the same way); without it every check scans all of the resource's
# earlier rows and SQLite's bulk import goes quadratic (docs/BENCHMARKS.md, *Method*).
LONGEST = 86400


def book(db, n, resource, start, end):
    # The same check as the store: anything on the resource overlapping [start, end)?
    clash = db.execute("SELECT 1 FROM bookings WHERE resource=? AND start < ? AND start > ? AND end > ? AND status != 'cancelled' LIMIT 1",
                       (resource, end, start - LONGEST, start)).fetchone()
    if clash:
        raise RuntimeError("conflict")
    db.execute("INSERT INTO bookings VALUES (?,?,?,?,?,?)", ("bk_%016d" % n, resource, start, end, "confirmed", DOC))


def peak_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return -1


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "commits":
        path, n = args[0], int(args[1])
        db = create(path)
        t0 = time.monotonic()
        for i in range(n):
            s, e = slot(i)
            db.execute("BEGIN IMMEDIATE")
            book(db, i, "res_0", s, e)
            db.execute("COMMIT")
        dt = time.monotonic() - t0
        print("commits=%d seconds=%.2f per_second=%.2f" % (n, dt, n / dt))
    elif mode == "bulk":
        path, n, nr = args[0], int(args[1]), int(args[2])
        db = create(path)
        every = TWO_YEARS // max(1, n // nr)  # spread over two years, as the Swift side does
        t0 = time.monotonic()
        db.execute("BEGIN IMMEDIATE")
        for i in range(n):
            s, e = slot(i // nr, every)
            book(db, i, "res_%d" % (i % nr), s, e)
        db.execute("COMMIT")
        dt = time.monotonic() - t0
        print("bulk=%d seconds=%.2f per_second=%.2f peak_mb=%.2f" % (n, dt, n / dt, peak_mb()))
    elif mode == "seed":
        # Setup for the cold-open run (untimed): the same rows as `bulk`, inserted without checks.
        path, n, nr = args[0], int(args[1]), int(args[2])
        db = create(path)
        every = TWO_YEARS // max(1, n // nr)
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO bookings VALUES (?,?,?,?,?,?)",
                       (("bk_%016d" % i, "res_%d" % (i % nr)) + slot(i // nr, every) + ("confirmed", DOC) for i in range(n)))
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        print("seeded=%d" % n)
    elif mode == "cold":
        path, resource = args[0], args[1]
        t0 = time.monotonic()
        db = connect(path)
        june0, june1 = 1_811_808_000, 1_814_400_000
        rows = db.execute("SELECT id, start, end, doc FROM bookings WHERE resource=? AND start >= ? AND start < ?",
                          (resource, june0, june1)).fetchall()
        dt = time.monotonic() - t0
        print("cold_open_ms=%.2f peak_mb=%.2f in_month=%d" % (dt * 1000, peak_mb(), len(rows)))
    elif mode == "latency":
        path, writers, n = args[0], int(args[1]), int(args[2])
        create(path).close()
        go = path + "-go"
        if os.path.exists(go):
            os.remove(go)
        procs = [subprocess.Popen([sys.executable, __file__, "latency-writer", path, "res_%d" % w, str(n), go], stdout=subprocess.PIPE, text=True)
                 for w in range(writers)]
        # Time only after every writer has connected and done one untimed commit (as the Swift side does).
        while not all(os.path.exists(go + ".ready-res_%d" % w) for w in range(writers)):
            time.sleep(0.001)
        open(go, "w").close()
        lat = []
        for p in procs:
            out, _ = p.communicate()
            lat += [float(x) for x in out.split()]
        for w in range(writers):
            os.remove(go + ".ready-res_%d" % w)
        os.remove(go)
        lat.sort()
        print("writers=%d commits=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f" % (writers, len(lat), lat[len(lat) // 2], lat[min(len(lat) - 1, len(lat) * 99 // 100)], lat[-1]))
    elif mode == "latency-writer":
        path, resource, n, go = args[0], args[1], int(args[2]), args[3]
        db = connect(path)
        s, e = slot(n + 10)
        db.execute("BEGIN IMMEDIATE")
        book(db, hash((resource, "warm")) & 0xFFFFFFFFFFFF, resource, s, e)
        db.execute("COMMIT")
        open(go + ".ready-" + resource, "w").close()
        while not os.path.exists(go):
            time.sleep(0.0005)
        out = []
        for i in range(n):
            s, e = slot(i)
            t0 = time.monotonic()
            db.execute("BEGIN IMMEDIATE")
            book(db, hash((resource, i)) & 0xFFFFFFFFFFFF, resource, s, e)
            db.execute("COMMIT")
            out.append("%.3f" % ((time.monotonic() - t0) * 1000))
        print("\n".join(out))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
