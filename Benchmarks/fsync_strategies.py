#!/usr/bin/env python3
"""How to make many new small files durable: the figures behind SnapshotWriter's one syncfs.

Creates FILES files of SIZE bytes in 24 directories (a bulk import's generation: 200 resources x
24 months is 4,800 partition files) and makes them and their directories durable four ways:
  each    write + fsync each file as it is written (compaction's fallback before Linux 5.8)
  after   write all, then fsync each
  sfr     write all, starting write-back of each with sync_file_range(SYNC_FILE_RANGE_WRITE),
          then fsync each
  syncfs  write all, then one syncfs(2) (reports write-back errors only since Linux 5.8)
Each way ends by fsyncing the 24 directories. Not a test: it prints seconds and µs per file.

  python3 Benchmarks/fsync_strategies.py [DIR [FILES [SIZE]]]   # default /tmp, 4800, 12000
"""
import ctypes
import os
import shutil
import sys
import tempfile
import time

libc = ctypes.CDLL("libc.so.6", use_errno=True)
SYNC_FILE_RANGE_WRITE = 2


def run(root, mode, n, size):
    d = tempfile.mkdtemp(prefix="fsync-%s-" % mode, dir=root)
    for m in range(24):
        os.makedirs("%s/%02d" % (d, m))
    os.sync()
    data = b"x" * size
    anchor = os.open(d, os.O_RDONLY | os.O_DIRECTORY)  # opened first: syncfs reports errors since its open
    t0 = time.monotonic()
    fds = []
    for i in range(n):
        fd = os.open("%s/%02d/%d.json" % (d, i % 24, i), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o660)
        os.write(fd, data)
        if mode == "each":
            os.fsync(fd)
            os.close(fd)
            continue
        if mode == "sfr":
            libc.sync_file_range(fd, ctypes.c_longlong(0), ctypes.c_longlong(0), SYNC_FILE_RANGE_WRITE)
        fds.append(fd)
    if mode in ("after", "sfr"):
        for fd in fds:
            os.fsync(fd)
    if mode == "syncfs" and libc.syncfs(anchor) != 0:
        raise OSError(ctypes.get_errno(), "syncfs")
    for fd in fds:
        os.close(fd)
    for m in range(24):
        fd = os.open("%s/%02d" % (d, m), os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    dt = time.monotonic() - t0
    os.close(anchor)
    print("%-7s %6.2f s  %5.0f us/file" % (mode, dt, dt / n * 1e6))
    return d


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 4800
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 12000
    made = [run(root, mode, n, size) for mode in ("each", "after", "sfr", "syncfs")]
    # Deleting right away would slow the next run's inode allocation on ext4 without a journal
    # (recently deleted inodes are skipped for a minute or more), so the directories go last.
    for d in made:
        shutil.rmtree(d)


if __name__ == "__main__":
    main()
