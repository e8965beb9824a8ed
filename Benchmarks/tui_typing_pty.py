#!/usr/bin/env python3
"""Issue #22's TUI keystroke figures seen from outside: `frontdesk-testhost` on a pseudo-terminal
over an existing store (give a copy), each key's time from writing it to the last byte of the
screen update it causes. Not a test: it prints figures.

    python3 Benchmarks/tui_typing_pty.py --store COPY [--binary .build-static/release/frontdesk-testhost]
        [--date 2027-06-15] [--query "Customer 0000001"] [--name "Customer 0123456"] [--runs 2]

Per run, in a fresh process: `/`, each character of the query, Enter (the search over the store
and the jump), `n` ×3, `N` ×3; then in another fresh process: Enter on the cursor's slot (the
booking form when the slot is free; otherwise `j` moves down until it is), each character of the
name (search-as-you-type through the customer index). A key's update is over when the terminal
stays quiet for QUIET seconds, so each figure includes the terminal's own update; the in-process
figures (no terminal) come from `frontdesk-bench tui-typing`.
"""
import argparse, fcntl, os, pty, select, signal, statistics, struct, subprocess, sys, termios, time

QUIET = 0.15
ap = argparse.ArgumentParser()
ap.add_argument("--store", required=True)
ap.add_argument("--binary", default=".build-static/release/frontdesk-testhost")
ap.add_argument("--date", default="2027-06-15")
ap.add_argument("--query", default="Customer 0000001")
ap.add_argument("--name", default="Customer 0123456")
ap.add_argument("--runs", type=int, default=2)
ap.add_argument("--rows", type=int, default=50)
ap.add_argument("--cols", type=int, default=200)
args = ap.parse_args()


class Desk:
    def __init__(self):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", args.rows, args.cols, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
        env.pop("NO_COLOR", None)
        self.p = subprocess.Popen([args.binary, "--data", args.store, "--date", args.date], stdin=slave, stdout=slave,
                                  stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        os.close(slave)
        self.screen = b""

    def settle(self, limit=60.0):
        """Reads until QUIET seconds pass with no output; the time the last byte came."""
        t0 = time.perf_counter()
        last, got = t0, b""
        while time.perf_counter() - t0 < limit:
            r, _, _ = select.select([self.master], [], [], QUIET)
            if not r:
                if got:
                    break
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
            last = time.perf_counter()
        self.screen = got
        return last

    def key(self, data):
        sent = time.perf_counter()
        os.write(self.master, data)
        return (self.settle(limit=30) - sent) * 1000

    def close(self):
        os.killpg(self.p.pid, signal.SIGKILL)
        self.p.wait()
        os.close(self.master)


def show(label, times):
    ms = [t for _, t in times]
    print(f"  {label}: median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms")
    print("    " + " | ".join(f"{k} {t:.1f}" for k, t in times))
    return max(ms)


worst = 0.0
for run in range(1, args.runs + 1):
    d = Desk()
    try:
        d.settle(limit=60)
        typed = [("/", d.key(b"/"))] + [(c, d.key(c.encode())) for c in args.query] + [("Enter", d.key(b"\r"))]
        found = b"No booking matches" not in d.screen
        worst = max(worst, show(f"run {run}, `/` \"{args.query}\"{'' if found else ' (no match)'}", typed))
        jumps = [("n", d.key(b"n")) for _ in range(3)] + [("N", d.key(b"N")) for _ in range(3)]
        worst = max(worst, show("n ×3, N ×3", jumps))
    finally:
        d.close()
    d = Desk()
    try:
        d.settle(limit=60)
        opened = None
        for _ in range(24):
            t = d.key(b"\r")
            if b"New booking" in d.screen:
                opened = t
                break
            d.key(b"\x1b")
            d.key(b"j")
        if opened is None:
            print("  the booking form did not open on a free slot")
            continue
        typed = [("open", opened)] + [(c, d.key(c.encode())) for c in args.name]
        worst = max(worst, show(f"run {run}, customer field \"{args.name}\"", typed))
    finally:
        d.close()
print(f"worst keystroke {worst:.1f} ms, wall time seen from the terminal (target <= 50 ms)")
