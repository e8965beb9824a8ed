#!/usr/bin/env python3
"""Runs argv; samples /proc/PID/task/*/schedstat (on-CPU ns, run-queue wait ns) every 20 ms
until exit; prints wall, CPU (user+sys from wait4), last-seen on-CPU and run-queue wait summed
over threads, peak RSS, major faults, context switches."""
import os, subprocess, sys, time, glob
argv = sys.argv[1:]
t0 = time.perf_counter()
p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seen = {}
while p.poll() is None:
    for f in glob.glob(f"/proc/{p.pid}/task/*/schedstat"):
        try:
            run, wait, _ = open(f).read().split()
            seen[f] = (int(run), int(wait))
        except Exception:
            pass
    time.sleep(0.02)
# poll() reaped it; usage from resource of children is aggregate, so use os.wait4 semantics via rusage diff
import resource
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
run = sum(v[0] for v in seen.values()) / 1e9
wait = sum(v[1] for v in seen.values()) / 1e9
print(f"wall {wall:.2f} s  user {ru.ru_utime:.2f} s  sys {ru.ru_stime:.2f} s  on-cpu(sampled) {run:.2f} s  runqueue-wait(sampled) {wait:.2f} s  "
      f"threads {len(seen)}  maxrss {ru.ru_maxrss/1024:.1f} MB  majflt {ru.ru_majflt}  vcsw {ru.ru_nvcsw}  ivcsw {ru.ru_nivcsw}  rc {p.returncode}")
