#!/usr/bin/env python3
"""Issue #22 ("Scale"): Frontdesk with a million customers, bookings and idempotency keys,
side by side with SQLite in the same run. Not a test: it prints figures.

    python3 Benchmarks/scale_vs_sqlite.py --quick      # small sizes, a few minutes
    python3 Benchmarks/scale_vs_sqlite.py              # the issue's sizes (long on a slow build)
    python3 Benchmarks/scale_vs_sqlite.py --only commands,tui --runs 9

Binaries come from --bin-dir (default .build-static/release, the static build of README
*Install*); --build builds frontdesk, frontdesk-testhost and frontdesk-storetool there first.
The harness talks to Frontdesk only through its command line and `frontdesk-storetool bench
generate-scale` (the store's own seeding API), never through file layouts.

SQLite side (as Benchmarks/sqlite_compare.py): WAL, synchronous=FULL; bookings indexed on
(resource, start) and (customer, start); a UNIQUE index on the normalised customer name
(case- and accent-folded), indexes on phone and e-mail; a UNIQUE index on the idempotency key;
every insert does the same bounded overlap check, in one transaction with the key and customer.

Sections (--only):
  import    `frontdesk import FILE` of R rows for C distinct new customers, a key on every row,
            against a Python sqlite3 loop doing the same checks, one transaction per 1,000 rows
            (the import's default chunk). A Frontdesk import still running after --timeout
            seconds is stopped and reported with the rows it had judged.
  commands  one process per command (`book` by customer name with a new key, `list` of one
            resource's month, `list --customer` over a year) on a big store and on a 10-booking
            store: median wall time of --runs, and big/small; the sqlite3 CLI doing the same on
            databases of the same sizes.
  book      `frontdesk book` one process per booking against the sqlite3 CLI
            (Benchmarks/cli_vs_sqlite3.py).
  tui       start to first frame of `frontdesk-testhost` on the big and the small store;
            `/` search typed on a pseudo-terminal: each key's time to its screen update and
            Enter's (see `tui_search_latency`, the place for an in-process hook).
"""
import argparse, csv, datetime, os, random, resource, shutil, signal, sqlite3, statistics, subprocess, sys, tempfile, time, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sqlite_compare as sc  # noqa: E402  (connect(), DOC, LONGEST: the same SQLite set-up)

REPO = os.path.dirname(HERE)
BASE = 1_798_848_000          # 2027-01-02T00:00Z, where generate-scale's slots start
TWO_YEARS = 730 * 86400
MONTH = (1_811_808_000, 1_814_400_000)   # 2027-06-01 .. 2027-07-01 UTC
YEAR = (1_798_761_600, 1_830_297_600)    # 2027-01-01 .. 2028-01-01 UTC
FULL = dict(imports=[(20_000, 20_000), (100_000, 100_000), (1_000_000, 200_000)], resources=200,
            big=(1_000_000, 1_000_000, 1_000_000), book=300, runs=7, timeout=900)
QUICK = dict(imports=[(2_000, 2_000), (10_000, 10_000), (20_000, 4_000)], resources=20,
             big=(20_000, 20_000, 20_000), book=30, runs=3, timeout=120)
SMALL = (10, 10, 10)


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def wall(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")


def norm(name):
    """The normalised name SQLite's unique index is on: case- and accent-insensitive."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


def median_ms(xs):
    return statistics.median(xs) * 1000


def row(*cols):
    widths = (46, 52, 40, 20)
    print(" | ".join(str(c).ljust(w) for c, w in zip(cols, widths)).rstrip(), flush=True)


class Bench:
    def __init__(self, args):
        self.args = args
        self.size = dict(QUICK if args.quick else FULL)
        if args.imports:
            self.size["imports"] = [tuple(int(x) for x in pair.split("/")) for pair in args.imports.split(",")]
        self.runs = args.runs or self.size["runs"]
        self.timeout = args.timeout or self.size["timeout"]
        self.work = args.work or tempfile.mkdtemp(prefix="fd-scale-")
        os.makedirs(self.work, exist_ok=True)
        self.bin = os.path.abspath(args.bin_dir)
        self.fd = os.path.join(self.bin, "frontdesk")
        self.env = dict(os.environ, TZ="UTC", LANG="C.UTF-8")
        self.env.pop("FRONTDESK_DATA", None)
        # Each run books slots and keys no earlier run on the same (kept) stores used.
        self.stamp = int(time.time())
        self.slot_base = random.Random(self.stamp).randrange(1 << 20)

    # ---- helpers ---------------------------------------------------------------------------
    def frontdesk(self, store, *argv, check=True, timeout=None):
        r = subprocess.run([self.fd] + list(argv) + ["--data", store],
                           env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=timeout)
        if check and r.returncode != 0:
            sys.exit(f"frontdesk {' '.join(argv)} failed (exit {r.returncode}): {r.stderr.strip()}")
        return r

    def timed(self, argv, timeout=None, check_out=None):
        """Wall time of one process, fork to exit, and its user + system CPU time.

        The CPU time is what a busy shared machine moves least: with more runnable processes
        than cores, wall time is the CPU time divided by the share the process got.
        """
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        r = subprocess.run(argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
        dt = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if r.returncode != 0:
            sys.exit(f"{' '.join(argv[:3])} … failed (exit {r.returncode}): {r.stderr.strip()[:500]}")
        if check_out is not None:
            check_out(r.stdout)
        return dt, cpu

    def init_store(self, path, resources):
        self.frontdesk(path, "init")
        for i in range(resources):
            self.frontdesk(path, "resource", "add", "--name", f"Room {i}", "--kind", "room", "--tz", "UTC")

    def generate(self, path, bookings, customers, keys):
        if os.path.exists(os.path.join(path, "FORMAT")):
            return "(reused)"
        tool = os.path.join(self.bin, "frontdesk-storetool")
        t0 = time.perf_counter()
        out = subprocess.run([tool, "bench", "generate-scale", path, str(bookings), str(customers), str(keys),
                              str(self.size["resources"])], check=True, capture_output=True, text=True).stdout.strip()
        return f"{out} wall_s={time.perf_counter() - t0:.1f}"

    # ---- 1. import -------------------------------------------------------------------------
    def import_rows(self, n, customers):
        """The rows of an import: n bookings over 2 years on every resource, a key on each."""
        nr = self.size["resources"]
        per = max(1, -(-n // nr))
        every = TWO_YEARS // per // 60 * 60
        for i in range(n):
            s = BASE + (i // nr) * every
            yield (f"Room {i % nr}", f"Customer {i % customers:07d}", s, s + 1800, "", f"imp-{i:07d}", "")

    def write_csv(self, path, n, customers):
        with open(path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["resource", "customer", "start", "end", "status", "idempotency_key", "notes"])
            for r, c, s, e, st, k, no in self.import_rows(n, customers):
                w.writerow([r, c, iso(s), iso(e), st, k, no])

    def frontdesk_import(self, store, csv_path, n):
        out_path = csv_path + ".out"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)

        def cpu():
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        with open(out_path, "w") as out:
            t0 = time.perf_counter()
            p = subprocess.Popen([self.fd, "import", csv_path, "--data", store], env=self.env, stdout=out,
                                 stderr=subprocess.PIPE, text=True, start_new_session=True)
            try:
                _, err = p.communicate(timeout=self.timeout)
                dt = time.perf_counter() - t0
            except subprocess.TimeoutExpired:
                dt = time.perf_counter() - t0
                os.killpg(p.pid, signal.SIGKILL)
                p.communicate()
                with open(out_path) as f:
                    done = sum(1 for _ in f)
                # For the ratio, the whole import at the rate so far: a lower bound on its time
                # as long as rows get no cheaper as the store fills (on main each row scans every
                # customer stored so far, so they get dearer).
                whole = dt * n / done if done else dt
                return whole, f"stopped after {dt:.0f} s at {done:,} of {n:,} rows ({done / dt:,.0f}/s, cpu {cpu():.0f} s)", False
        with open(out_path) as f:
            lines = f.read().splitlines()
        created = sum('"created"' in line for line in lines)
        if p.returncode != 0 or created != n:
            return dt, f"exit {p.returncode}, {created:,} of {n:,} created: {err.strip()[-300:]}", False
        return dt, f"{dt:.2f} s ({n / dt:,.0f} rows/s, cpu {cpu():.1f} s)", True

    @staticmethod
    def sqlite_schema(db):
        db.executescript("""
            CREATE TABLE customers (id TEXT PRIMARY KEY, ref TEXT, name TEXT, name_norm TEXT, phone TEXT, email TEXT);
            CREATE TABLE bookings (id TEXT PRIMARY KEY, ref TEXT, resource TEXT, customer TEXT, start INTEGER,
                                   end INTEGER, status TEXT, doc TEXT);
            CREATE TABLE idempotency (key TEXT, fingerprint TEXT, bookings TEXT, created_at INTEGER);
        """)

    @staticmethod
    def sqlite_indexes(db):
        db.executescript("""
            CREATE UNIQUE INDEX customers_by_name ON customers (name_norm);
            CREATE INDEX customers_by_phone ON customers (phone);
            CREATE INDEX customers_by_email ON customers (email);
            CREATE INDEX bookings_by_resource_start ON bookings (resource, start);
            CREATE INDEX bookings_by_customer_start ON bookings (customer, start);
            CREATE UNIQUE INDEX idempotency_by_key ON idempotency (key);
        """)

    def sqlite_import(self, path, csv_path, n):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        db = sc.connect(path)
        self.sqlite_schema(db)
        self.sqlite_indexes(db)
        now = int(time.time())
        t0, c0 = time.perf_counter(), time.process_time()
        with open(csv_path, newline="") as f:
            rows = csv.DictReader(f)
            tally = {}
            made = 0
            in_tx = 0
            for i, r in enumerate(rows):
                if in_tx == 0:
                    db.execute("BEGIN IMMEDIATE")
                outcome = self.sqlite_import_row(db, i, r, now)
                tally[outcome] = tally.get(outcome, 0) + 1
                in_tx += 1
                if in_tx == 1000:
                    db.execute("COMMIT")
                    in_tx = 0
            if in_tx:
                db.execute("COMMIT")
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        db.close()
        made = tally.get("created", 0)
        ok = made == n
        return dt, f"{dt:.2f} s ({n / dt:,.0f} rows/s, cpu {cpu:.1f} s)" + ("" if ok else f" {tally}"), ok

    @staticmethod
    def sqlite_import_row(db, i, r, now):
        s = int(datetime.datetime.fromisoformat(r["start"]).timestamp())   # a C parser: Python's strptime would
        e = int(datetime.datetime.fromisoformat(r["end"]).timestamp())     # be most of SQLite's side
        name, key, resource = r["customer"], r["idempotency_key"], r["resource"]
        fingerprint = "\x1f".join([resource, "name:" + name, str(s), str(e), r["status"] or "confirmed", r["notes"]])
        if key:
            bound = db.execute("SELECT fingerprint FROM idempotency WHERE key=?", (key,)).fetchone()
            if bound:
                return "duplicate" if bound[0] == fingerprint else "invalid"
        customer = None
        if name:
            n = norm(name)
            found = db.execute("SELECT id FROM customers WHERE name_norm=?", (n,)).fetchone()
            if found:
                customer = found[0]
            else:
                customer = "cus_%011d" % i
                db.execute("INSERT INTO customers VALUES (?,?,?,?,NULL,NULL)", (customer, "C-%d" % i, name, n))
        clash = db.execute("SELECT 1 FROM bookings WHERE resource=? AND start < ? AND start > ? AND end > ? "
                           "AND status NOT IN ('cancelled','no_show') LIMIT 1", (resource, e, s - sc.LONGEST, s)).fetchone()
        if clash:
            return "conflict"
        bid = "bk_%011d" % i
        db.execute("INSERT INTO bookings VALUES (?,?,?,?,?,?,?,?)", (bid, "B-%d" % i, resource, customer, s, e, "confirmed", sc.DOC))
        if key:
            db.execute("INSERT INTO idempotency VALUES (?,?,?,?)", (key, fingerprint, bid, now))
        return "created"

    def section_import(self):
        print("\n== 1. import, a key on every row (wall time, cpu = user + system; ratio: SQLite's wall time / Frontdesk's; target >= 1.0x)")
        row("rows / distinct customers", "frontdesk import", "sqlite3 (python loop)", "ratio")
        for n, customers in self.size["imports"]:
            d = os.path.join(self.work, f"import-{n}-{customers}")
            os.makedirs(d, exist_ok=True)
            csv_path = os.path.join(d, "rows.csv")
            self.write_csv(csv_path, n, customers)
            store = os.path.join(d, "store")
            self.init_store(store, self.size["resources"])
            fd_s, fd_text, fd_ok = self.frontdesk_import(store, csv_path, n)
            sq_s, sq_text, sq_ok = self.sqlite_import(os.path.join(d, "import.db"), csv_path, n)
            ratio = f"{sq_s / fd_s:.3g}x" if fd_ok else f"<= {sq_s / fd_s:.2g}x (rate so far)"
            row(f"{n:,} / {customers:,}", fd_text, sq_text, ratio)
            if not self.args.keep:
                shutil.rmtree(d, ignore_errors=True)

    # ---- 2. commands on a big store against a 10-booking one -------------------------------
    def sqlite_seed(self, path, bookings, customers, keys):
        """The same content as generate-scale, in SQLite (untimed; indexes built after the rows)."""
        if os.path.exists(path):
            return
        db = sc.connect(path)
        self.sqlite_schema(db)
        nr = self.size["resources"]
        per = max(1, -(-bookings // nr))
        every = TWO_YEARS // per // 60 * 60
        now = int(time.time())
        db.execute("BEGIN")
        db.executemany("INSERT INTO customers VALUES (?,?,?,?,?,?)",
                       ((f"cus_{i:011d}", f"C-{i + 1}", f"Customer {i:07d}", norm(f"Customer {i:07d}"), f"+1555{i:07d}",
                         f"customer{i:07d}@example.com") for i in range(customers)))
        db.executemany("INSERT INTO bookings VALUES (?,?,?,?,?,?,?,?)",
                       ((f"bk_{k:011d}", f"B-{k + 1}", f"Room {k // per}", f"cus_{k % customers:011d}", BASE + (k % per) * every,
                         BASE + (k % per) * every + 1800, "confirmed", sc.DOC) for k in range(bookings)))
        db.executemany("INSERT INTO idempotency VALUES (?,?,?,?)",
                       ((f"seed-{j:07d}", f"seed {j}", f"bk_{j % bookings:011d}", now) for j in range(keys)))
        db.execute("COMMIT")
        self.sqlite_indexes(db)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()

    def book_slot(self, j):
        """A free half hour on Room 0: an hour after a seeded slot of the big store (the j-th
        from this run's random base, so runs on kept stores do not collide)."""
        per = max(1, -(-self.size["big"][0] // self.size["resources"]))
        s = BASE + ((self.slot_base + j) % per) * (TWO_YEARS // per // 60 * 60) + 3600
        return s, s + 1800

    def fd_commands(self, store, tag):
        m0, m1 = MONTH
        y0, y1 = YEAR
        book = lambda j: [self.fd, "book", "--data", store, "--resource", "Room 0", "--start", wall(self.book_slot(j)[0]),
                          "--duration", "30m", "--customer", "Customer 0000001", "--idempotency-key", f"bench-{tag}-{self.stamp}-{j}"]
        month = lambda j: [self.fd, "list", "--data", store, "--resource", "Room 0", "--from", wall(m0), "--to", wall(m1)]
        cust = lambda j: [self.fd, "list", "--data", store, "--customer", "Customer 0000000", "--from", wall(y0), "--to", wall(y1)]
        return [("book by customer name, new key", book), ("list one resource's month", month),
                ("list --customer, a year", cust)]

    def sq_commands(self, db):
        m0, m1 = MONTH
        y0, y1 = YEAR
        doc = sc.DOC.replace("'", "''")

        def book(j):
            s, e = self.book_slot(j)
            key = f"bench-{os.path.basename(db)}-{self.stamp}-{j}"
            # One process, one transaction: customer by normalised name, key, overlap, insert.
            return ["sqlite3", db, "PRAGMA synchronous=FULL; BEGIN IMMEDIATE; "
                    f"INSERT INTO bookings SELECT 'bk_b{self.stamp}_{j}', 'B-b{self.stamp}_{j}', 'Room 0', c.id, {s}, {e}, 'confirmed', '{doc}' "
                    f"FROM customers c WHERE c.name_norm = '{norm('Customer 0000001')}' "
                    f"AND NOT EXISTS (SELECT 1 FROM idempotency WHERE key = '{key}') "
                    f"AND NOT EXISTS (SELECT 1 FROM bookings WHERE resource = 'Room 0' AND start < {e} AND start > {s - sc.LONGEST} "
                    f"AND end > {s} AND status NOT IN ('cancelled','no_show')); "
                    f"INSERT INTO idempotency SELECT '{key}', 'fp', 'bk_b{self.stamp}_{j}', strftime('%s','now') WHERE changes() = 1; "
                    "SELECT changes(); COMMIT;"]

        def month(j):
            return ["sqlite3", db, "SELECT b.ref, b.start, b.end, b.resource, c.name, b.status, b.doc FROM bookings b "
                    f"LEFT JOIN customers c ON c.id = b.customer WHERE b.resource = 'Room 0' AND b.start < {m1} "
                    f"AND b.start > {m0 - sc.LONGEST} AND b.end > {m0} ORDER BY b.start;"]

        def cust(j):
            return ["sqlite3", db, "SELECT b.ref, b.start, b.end, b.resource, c.name, b.status, b.doc FROM customers c "
                    f"JOIN bookings b ON b.customer = c.id WHERE c.name_norm = '{norm('Customer 0000000')}' "
                    f"AND b.start < {y1} AND b.start > {y0 - sc.LONGEST} AND b.end > {y0} ORDER BY b.start;"]
        return [book, month, cust]

    def section_commands(self):
        nb, nc, nk = self.size["big"]
        print(f"\n== 2. one process per command: {nb:,} bookings, {nc:,} customers, {nk:,} live keys "
              f"against {SMALL[0]} of each (median of {self.runs}, wall ms; target <= 25 ms and big/small <= 1.5)")
        big, small = os.path.join(self.work, "big"), os.path.join(self.work, "small")
        print("seeding big store:", self.generate(big, nb, nc, nk))
        print("seeding small store:", self.generate(small, *SMALL))
        t0 = time.perf_counter()
        self.sqlite_seed(os.path.join(self.work, "big.db"), nb, nc, nk)
        self.sqlite_seed(os.path.join(self.work, "small.db"), *SMALL)
        print(f"seeding SQLite: {time.perf_counter() - t0:.1f} s")
        row("command", "frontdesk big / small: wall (cpu)", "sqlite3 big / small: wall", "frontdesk big/small")

        def ok_book(out):
            assert out.strip().endswith("1"), f"sqlite3 booking not inserted: {out!r}"
        fb, fs = self.fd_commands(big, "big"), self.fd_commands(small, "small")
        sb, ss = self.sq_commands(os.path.join(self.work, "big.db")), self.sq_commands(os.path.join(self.work, "small.db"))
        tmo = self.args.command_timeout
        for i, (name, _) in enumerate(fb):
            check = ok_book if i == 0 else None
            # --warmup untimed runs first (page cache, and the book command's first write).
            times = {}
            for label, make in (("fb", fb[i][1]), ("fs", fs[i][1]), ("sb", sb[i]), ("ss", ss[i])):
                # Slots after the timed runs' (a fixed offset would wrap onto them on small stores).
                for j in range(self.args.warmup):
                    self.timed(make(self.runs + j), timeout=tmo, check_out=check if label[0] == "s" else None)
                times[label] = [self.timed(make(j), timeout=tmo, check_out=check if label[0] == "s" else None)
                                for j in range(self.runs)]
            fbm, fsm, sbm, ssm = (median_ms([t[0] for t in times[k]]) for k in ("fb", "fs", "sb", "ss"))
            fbc, fsc = (median_ms([t[1] for t in times[k]]) for k in ("fb", "fs"))
            row(name, f"{fbm:.1f} / {fsm:.1f} ms ({fbc:.0f} / {fsc:.0f})", f"{sbm:.1f} / {ssm:.1f} ms", f"{fbm / fsm:.2f}x")

    # ---- 3. book, one process per booking --------------------------------------------------
    def section_book(self):
        n = self.size["book"]
        print(f"\n== 3. `frontdesk book` one process per booking against the sqlite3 CLI ({n} bookings; target >= 0.5x)")
        r = subprocess.run([sys.executable, os.path.join(HERE, "cli_vs_sqlite3.py"), "--count", str(n), "--binary", self.fd],
                           capture_output=True, text=True)
        print(r.stdout.rstrip() or r.stderr.rstrip())

    # ---- 4. TUI --------------------------------------------------------------------------
    def first_frame(self, store, date="2027-06-15", rows=50, cols=200):
        import fcntl, pty, select, struct, termios
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(self.env, TERM="xterm-256color", FRONTDESK_EXIT_AFTER_FIRST_FRAME="1")
        env.pop("NO_COLOR", None)
        t0 = time.perf_counter()
        p = subprocess.Popen([os.path.join(self.bin, "frontdesk-testhost"), "--data", store, "--date", date], stdin=slave,
                             stdout=slave, stderr=subprocess.PIPE, env=env, start_new_session=True)
        os.close(slave)
        screen = b""
        while True:  # drain the terminal so the program never blocks on a full pty
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                screen += chunk
            elif p.poll() is not None:
                break
        err = p.stderr.read().decode()
        p.wait()
        launch = (time.perf_counter() - t0) * 1000
        os.close(master)
        ms = next((float(line.split("=", 1)[1]) for line in err.splitlines() if line.startswith("first_frame_ms=")), None)
        if p.returncode != 0 or ms is None or b"Frontdesk" not in screen:
            sys.exit(f"TUI run failed (exit {p.returncode}): {err.strip()[:300]}")
        return ms, launch

    def tui_search_latency(self, store, text="Customer 0000001", date="2027-06-15", rows=50, cols=200):
        """`/` search on a pseudo-terminal: each typed key's time to its screen update, and Enter's.

        Measured from outside, so it needs no hook: after writing a key the driver reads the
        terminal until it stays quiet for QUIET seconds; the key's latency is the time to the
        last byte of that update. This is the prompt's echo plus any work a keystroke triggers
        (search-as-you-type, once the search runs per key); Enter runs the search over the
        store. A FrontdeskTestHost seam that reports each keystroke's time from inside (like
        FirstFrameExit) would replace this; the booking form's customer field is the other
        place to measure, once a hook can open the form on a free slot.
        """
        import fcntl, pty, select, struct, termios
        QUIET = 0.15
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = dict(self.env, TERM="xterm-256color")
        env.pop("NO_COLOR", None)
        p = subprocess.Popen([os.path.join(self.bin, "frontdesk-testhost"), "--data", store, "--date", date], stdin=slave,
                             stdout=slave, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        os.close(slave)

        def settle(limit=60.0):
            """Reads until QUIET seconds pass with no output; returns (when the last byte came, bytes)."""
            t0 = time.perf_counter()
            last, got = t0, b""
            while time.perf_counter() - t0 < limit:
                r, _, _ = select.select([master], [], [], QUIET)
                if not r:
                    if got:
                        break
                    continue
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                got += chunk
                last = time.perf_counter()
            return last, got
        try:
            _, first = settle(limit=self.args.command_timeout)
            if b"Frontdesk" not in first:
                return "the first frame did not arrive"
            keys = []
            os.write(master, b"/")
            settle()
            for ch in text:
                sent = time.perf_counter()
                os.write(master, ch.encode())
                last, _ = settle(limit=10)
                keys.append(last - sent)
            sent = time.perf_counter()
            os.write(master, b"\r")
            last, screen = settle(limit=self.args.command_timeout)
            enter = last - sent
            found = b"No booking matches" not in screen
            return (f"key median {median_ms(keys):.1f} ms, max {max(keys) * 1000:.1f} ms; "
                    f"Enter {enter * 1000:.0f} ms{'' if found else ' (no match)'}")
        finally:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            os.close(master)

    def section_tui(self):
        nb, nc, nk = self.size["big"]
        print(f"\n== 4. TUI on the same stores (median of {self.runs}; target: first frame <= 300 ms, <= 50 ms a keystroke)")
        big, small = os.path.join(self.work, "big"), os.path.join(self.work, "small")
        self.generate(big, nb, nc, nk)
        self.generate(small, *SMALL)
        row("what", "big store", "small store", "big/small")
        fb = [self.first_frame(big) for _ in range(self.runs)]
        fs = [self.first_frame(small) for _ in range(self.runs)]
        b, s = statistics.median(x[0] for x in fb), statistics.median(x[0] for x in fs)
        row("first_frame_ms (process's own, 10 ms steps)", f"{b:.0f} ms", f"{s:.0f} ms", f"{b / max(s, 1):.2f}x")
        b, s = statistics.median(x[1] for x in fb), statistics.median(x[1] for x in fs)
        row("launch to exit, wall", f"{b:.1f} ms", f"{s:.1f} ms", f"{b / s:.2f}x")
        row("/ search (outside view)", self.tui_search_latency(big), self.tui_search_latency(small), "")

    # ---- driver ----------------------------------------------------------------------------
    def header(self):
        commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout
        built = datetime.datetime.fromtimestamp(os.path.getmtime(self.fd), datetime.timezone.utc).strftime("%H:%M UTC")
        print(f"scale_vs_sqlite: {'quick' if self.args.quick else 'full'}, checkout {commit}{' (modified)' if dirty else ''}, "
              f"binaries {self.bin} (frontdesk built {built}), sqlite {sqlite3.sqlite_version}, "
              f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, load {os.getloadavg()[0]:.1f}, work {self.work}")

    def build(self):
        flags = ["-Xswiftc", "-Xfrontend", "-Xswiftc", "-disable-concrete-type-metadata-mangled-name-accessors"]
        scratch = os.path.dirname(self.bin.rstrip("/"))
        for product in ("frontdesk", "frontdesk-testhost", "frontdesk-storetool"):
            subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", scratch,
                            "--product", product] + flags, cwd=REPO, check=True, stdout=subprocess.DEVNULL)

    def run(self):
        if self.args.build:
            self.build()
        for b in ("frontdesk", "frontdesk-testhost", "frontdesk-storetool"):
            if not os.access(os.path.join(self.bin, b), os.X_OK):
                sys.exit(f"no {b} in {self.bin}: build it (--build) or give --bin-dir")
        self.header()
        only = set(self.args.only.split(",")) if self.args.only else {"import", "commands", "book", "tui"}
        try:
            if "import" in only:
                self.section_import()
            if "commands" in only:
                self.section_commands()
            if "book" in only:
                self.section_book()
            if "tui" in only:
                self.section_tui()
        finally:
            if not self.args.keep and not self.args.work:
                shutil.rmtree(self.work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "),
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run of a few minutes)")
    ap.add_argument("--bin-dir", default=os.path.join(REPO, ".build-static", "release"),
                    help="where frontdesk, frontdesk-testhost and frontdesk-storetool are")
    ap.add_argument("--build", action="store_true", help="build the three binaries into --bin-dir's scratch path first")
    ap.add_argument("--only", help="comma-separated sections: import,commands,book,tui")
    ap.add_argument("--imports", help="import sizes ROWS/CUSTOMERS,... instead of the mode's (e.g. 20000/20000)")
    ap.add_argument("--runs", type=int, help="runs per command (median)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs before each command's timed ones")
    ap.add_argument("--timeout", type=int, help="seconds before a Frontdesk import is stopped")
    ap.add_argument("--command-timeout", type=int, default=300, help="seconds before one command counts as failed")
    ap.add_argument("--work", help="work directory (kept; seeded stores in it are reused: use an empty one after changing the build)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    Bench(ap.parse_args()).run()


if __name__ == "__main__":
    main()
