#!/usr/bin/env python3
"""Times `frontdesk backup` (full, then incremental, then `restore`) of a large store beside
`sqlite3 DB ".backup OUT"` of the same data.

The Frontdesk store is made by `frontdesk-storetool bench generate-scale` (one generation, as
a compaction writes it); the SQLite database by Benchmarks/scale_vs_sqlite.py's seeding (the
same bookings, customers and keys, WAL, indexes built after the rows). Page cache warm: every
run reads what the previous one read (the machine is shared; caches cannot be dropped).

    swift build -c release --product frontdesk-storetool && swift build -c release --product frontdesk
    python3 Benchmarks/backup_vs_sqlite.py --bookings 1000000 --customers 1000 --keys 1000 --resources 200
"""
import argparse, os, shutil, subprocess, sys, tempfile, time, types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale_vs_sqlite as sv  # noqa: E402  (Bench.sqlite_seed: the same SQLite set-up)


def du(path):
    return int(subprocess.run(["du", "-sb", path], capture_output=True, text=True, check=True).stdout.split()[0])


def timed(argv, env=None):
    t0 = time.perf_counter()
    p = subprocess.run(argv, capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{argv}: exit {p.returncode}: {p.stderr.strip()[-400:]}")
    return dt, p.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bookings", type=int, default=1_000_000)
    ap.add_argument("--customers", type=int, default=1000)
    ap.add_argument("--keys", type=int, default=1000)
    ap.add_argument("--resources", type=int, default=200)
    ap.add_argument("--bin", default=".build/release")
    ap.add_argument("--dir", default=None, help="work directory (default: a new one in /tmp)")
    args = ap.parse_args()
    work = args.dir or tempfile.mkdtemp(prefix="frontdesk-backup-bench-")
    store, dest, restored = (os.path.join(work, n) for n in ("store", "backups", "restored"))
    db, db_copy = os.path.join(work, "sqlite.db"), os.path.join(work, "sqlite-backup.db")
    tool, fd = os.path.join(args.bin, "frontdesk-storetool"), os.path.join(args.bin, "frontdesk")
    env = dict(os.environ, FRONTDESK_DATA=store)

    if not os.path.exists(os.path.join(store, "FORMAT")):
        t, out = timed([tool, "bench", "generate-scale", store, str(args.bookings), str(args.customers), str(args.keys),
                        str(args.resources)])
        print(f"generated store: {out} ({t:.1f} s)")
    if not os.path.exists(db):
        bench = types.SimpleNamespace(size={"resources": args.resources}, sqlite_schema=sv.Bench.sqlite_schema,
                                      sqlite_indexes=sv.Bench.sqlite_indexes)
        t0 = time.perf_counter()
        sv.Bench.sqlite_seed(bench, db, args.bookings, args.customers, args.keys)
        print(f"generated sqlite: {time.perf_counter() - t0:.1f} s")
    for p in (dest, restored, db_copy):
        shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else (os.path.exists(p) and os.remove(p))

    print(f"store {du(store) / 1e6:,.0f} MB, sqlite {du(db) / 1e6:,.0f} MB; {args.bookings:,} bookings")
    t_full, _ = timed([fd, "backup", dest, "--json"], env)
    print(f"frontdesk backup (full, verified): {t_full:.2f} s, {du(dest) / 1e6:,.0f} MB")
    timed([fd, "book", "--resource", "Room 0", "--start", "2031-06-01T09:00:00Z", "--duration", "30m", "--block", "bench"], env)
    t_inc, _ = timed([fd, "backup", dest, "--incremental", "--json"], env)
    print(f"frontdesk backup --incremental (one new record, verified): {t_inc:.2f} s")
    timed([fd, "compact"], env)
    t_inc2, out = timed([fd, "backup", dest, "--incremental", "--json"], env)
    print(f"frontdesk backup --incremental (after a compaction: a new generation, verified): {t_inc2:.2f} s; {out}")
    t_restore, _ = timed([fd, "restore", dest, restored, "--json"], env)
    print(f"frontdesk restore (chain of 3, checked): {t_restore:.2f} s")
    t_sq, _ = timed(["sqlite3", db, f".backup {db_copy}"])
    print(f"sqlite3 .backup: {t_sq:.2f} s, {du(db_copy) / 1e6:,.0f} MB")
    t_sqc, out = timed(["sqlite3", db_copy, "PRAGMA integrity_check;"])
    print(f"sqlite3 PRAGMA integrity_check of the copy: {t_sqc:.2f} s ({out})")
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
