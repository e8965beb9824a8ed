#!/usr/bin/env python3
"""Issue #24 ("Tests and figures"): `frontdesk report utilisation` for 200 resources over a
year on a 1,000,000-booking store, beside the same query in SQLite, in one run. Not a test:
it prints figures (target: <= 2 s and <= 200 MB peak RSS for Frontdesk).

    python3 Benchmarks/report_vs_sqlite.py                      # generate the store, then measure
    python3 Benchmarks/report_vs_sqlite.py --store DIR          # reuse a store made by generate-scale
    python3 Benchmarks/report_vs_sqlite.py --bookings 20000 --resources 20 --runs 3   # quick

The store is made by `frontdesk-storetool bench generate-scale DIR BOOKINGS CUSTOMERS 0
RESOURCES` (the store's own seeding API): booking k on resource k / per (per = BOOKINGS /
RESOURCES), 30 minutes every `every` seconds from 2027-01-02T00:00Z over two years, so a year
holds half the bookings. Resources have no schedule (open all the time).

Frontdesk: one process, `frontdesk report utilisation --from 2027-01-01 --to 2027-12-31
--tz UTC --json` (also with `--by weekday-hour`, the heatmap, and `report takings`, a
manager's report over the same bookings). SQLite: the sqlite3 CLI on a
database of the same rows (WAL, an index on (resource, start)) computing the same booked
seconds per resource, clipped to the year, for bookings that occupy their slot (the rows never
overlap, so a sum equals the union Frontdesk takes). Wall time, CPU time (user + system) and
peak RSS of each process come from wait4; the median of --runs, caches warm (one untimed run
first). With --before-bin-dir, every Frontdesk case also runs that build's `frontdesk`,
interleaved run by run with this one (before, after, before, ...), so both see the same load.
The two totals are compared, and the run stops if they differ (with --store it says by how
much instead).

    python3 Benchmarks/report_vs_sqlite.py --store COPY --runs 3 --bin-dir .build/release --before-bin-dir OLD/release
"""
import argparse, os, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

BASE = 1_798_848_000                     # 2027-01-02T00:00Z, where generate-scale's slots start
TWO_YEARS = 730 * 86400
YEAR = (1_798_761_600, 1_830_297_600)    # 2027-01-01 .. 2028-01-01 UTC


def measured(argv, env=None):
    """Runs argv as a child and reads its wall time and peak RSS from wait4."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv[:3])}: exit {os.waitstatus_to_exitcode(status)}: {err.decode()[-400:]}")
    return dt, usage.ru_maxrss / 1024, out.decode(), usage.ru_utime + usage.ru_stime


def generate(tool, path, bookings, customers, resources):
    t0 = time.perf_counter()
    out = subprocess.run([tool, "bench", "generate-scale", path, str(bookings), str(customers), "0", str(resources)],
                         check=True, capture_output=True, text=True).stdout.strip()
    print(f"generated in {time.perf_counter() - t0:.0f} s: {out}", flush=True)
    for part in out.split():
        if part.startswith("every="):
            return int(part.split("=")[1])
    sys.exit("generate-scale printed no every=")


def sqlite_db(path, bookings, resources, every):
    """The same rows as the store: (resource, start, end, status), WAL, indexed on (resource, start)."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE bookings (id INTEGER PRIMARY KEY, resource TEXT, start INTEGER, end INTEGER, status TEXT)")
    per = -(-bookings // resources)
    db.execute("BEGIN")
    db.executemany("INSERT INTO bookings VALUES (?,?,?,?,?)",
                   ((k, f"Room {k // per}", BASE + (k % per) * every, BASE + (k % per) * every + 1800, "confirmed") for k in range(bookings)))
    db.execute("COMMIT")
    db.execute("CREATE INDEX by_resource_start ON bookings (resource, start)")
    db.execute("ANALYZE")
    db.close()


SQL = f"""
PRAGMA journal_mode=WAL;
SELECT resource, SUM(MIN(end, {YEAR[1]}) - MAX(start, {YEAR[0]})) AS booked, {YEAR[1] - YEAR[0]} AS open
FROM bookings WHERE start < {YEAR[1]} AND end > {YEAR[0]} AND status NOT IN ('cancelled', 'no_show')
GROUP BY resource ORDER BY resource;
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bookings", type=int, default=1_000_000)
    ap.add_argument("--resources", type=int, default=200)
    ap.add_argument("--customers", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin-dir", default=".build/release")
    ap.add_argument("--before-bin-dir", help="another build's directory: its frontdesk runs every case too, interleaved")
    ap.add_argument("--store", help="an existing store made by generate-scale with --bookings and --resources (not changed)")
    ap.add_argument("--every", type=int, help="with --store: generate-scale's every= (default: computed)")
    ap.add_argument("--dir", help="work directory (default: a new one in /tmp, removed after)")
    args = ap.parse_args()
    frontdesk = os.path.abspath(os.path.join(args.bin_dir, "frontdesk"))
    tool = os.path.abspath(os.path.join(args.bin_dir, "frontdesk-storetool"))
    work = args.dir or tempfile.mkdtemp(prefix="report-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        per = -(-args.bookings // args.resources)
        if args.store:
            store = args.store
            every = args.every or TWO_YEARS // per // 60 * 60
        else:
            store = os.path.join(work, "store")
            every = generate(tool, store, args.bookings, args.customers, args.resources)
        in_year = sum(1 for k in range(per) if BASE + k * every < YEAR[1]) * args.resources
        print(f"store: {args.bookings:,} bookings on {args.resources} resources, {in_year:,} in the year; every={every}", flush=True)
        db = os.path.join(work, "bookings.db")
        t0 = time.perf_counter()
        sqlite_db(db, args.bookings, args.resources, every)
        print(f"sqlite database made in {time.perf_counter() - t0:.0f} s", flush=True)

        env = dict(os.environ, FRONTDESK_DATA=store, TZ="UTC")
        year = ["--from", "2027-01-01", "--to", "2027-12-31", "--tz", "UTC"]
        reports = {
            f"report utilisation (year, {args.resources} resources)": ["report", "utilisation", *year, "--json"],
            "report utilisation --by weekday-hour": ["report", "utilisation", *year, "--by", "weekday-hour", "--json"],
            "report takings (year)": ["report", "takings", *year, "--json"],
        }
        builds = [("", frontdesk)]
        if args.before_bin_dir:
            builds = [("before: ", os.path.abspath(os.path.join(args.before_bin_dir, "frontdesk"))), ("after:  ", frontdesk)]
        groups = [[(label + name, [binary, *argv]) for label, binary in builds] for name, argv in reports.items()]
        groups.append([("sqlite3 CLI, the same per-resource sums", ["sqlite3", "-batch", db, SQL])])
        results = {}
        for group in groups:
            for _, argv in group:
                measured(argv, env)   # warm the page cache
            runs = {name: [] for name, _ in group}
            for _ in range(args.runs):
                for name, argv in group:   # interleaved: each build sees the same load
                    runs[name].append(measured(argv, env))
            for name, rs in runs.items():
                wall = statistics.median(r[0] for r in rs)
                rss = statistics.median(r[1] for r in rs)
                cpu = statistics.median(r[3] for r in rs)
                results[name] = (wall, rss, rs[-1][2], cpu)
                print(f"{name:58} {wall * 1000:8.0f} ms wall {cpu * 1000:7.0f} ms CPU {rss:7.1f} MB peak   "
                      f"(wall: {', '.join(f'{r[0] * 1000:.0f}' for r in rs)} ms; CPU: {', '.join(f'{r[3] * 1000:.0f}' for r in rs)} ms)", flush=True)
        first = groups[0][-1][0]
        with open("/proc/loadavg") as f:
            print(f"load average at the end: {f.read().split()[0]}", flush=True)

        import json
        report = json.loads(results[first][2])
        fd_booked = report["total"]["booked_seconds"]
        fd_open = report["total"]["open_seconds"]
        rows = [line.split("|") for line in results[groups[-1][0][0]][2].split("\n") if "|" in line]
        sq_booked = sum(int(r[1]) for r in rows)
        print(f"booked seconds: frontdesk {fd_booked:,}, sqlite {sq_booked:,}; open seconds frontdesk {fd_open:,} "
              f"({len(report['by_resource'])} resources, sqlite {len(rows)} with bookings)", flush=True)
        if fd_booked != sq_booked:
            # A reused store may hold bookings made after generate-scale (another benchmark's
            # `book` runs); SQLite holds only the generated layout.
            if not args.store:
                sys.exit("the two totals differ")
            print(f"the totals differ by {fd_booked - sq_booked:,} s: the reused store holds bookings beyond generate-scale's layout")
        if args.before_bin_dir and results[groups[0][0][0]][2] != results[first][2]:
            sys.exit("the two builds' utilisation reports differ")
        fw, fr, _, _ = results[first]
        print(f"target <= 2 s and <= 200 MB: {'met' if fw <= 2 and fr <= 200 else 'NOT met'} ({fw:.2f} s, {fr:.0f} MB)")
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
