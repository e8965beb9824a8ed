#!/usr/bin/env python3
"""The protocol conformance records of a built binary, counted by module (and, with --module M,
by protocol within M, or every record of M with --list).

The Swift runtime answers a conformance check it has not cached (an `as?`/`is` against a
protocol, a generic requirement met at run time) by scanning every record of the binary's
`swift5_protocol_conformances` section, so each uncached check in a process costs in proportion
to this count (docs/BENCHMARKS.md, *Command line*). Each record is a 32-bit offset from itself
to a conformance descriptor; the descriptors' symbols name the type, protocol and module.

Usage: python3 Benchmarks/conformance_records.py BINARY [--module M [--list]]
Needs readelf, nm and `swift demangle`; the binary must keep its symbol table (SwiftPM's
release builds do).
"""
import argparse, collections, struct, subprocess

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("--module")
ap.add_argument("--list", action="store_true")
args = ap.parse_args()

section = None
for line in subprocess.run(["readelf", "-SW", args.binary], capture_output=True, text=True, check=True).stdout.splitlines():
    if "swift5_protocol_conformances" in line:
        fields = line.split("]", 1)[1].split()
        section = (int(fields[2], 16), int(fields[3], 16), int(fields[4], 16))
if section is None:
    raise SystemExit(f"{args.binary}: no swift5_protocol_conformances section")
address, offset, size = section
with open(args.binary, "rb") as f:
    f.seek(offset)
    data = f.read(size)

descriptors = {}
for line in subprocess.run(["nm", "--defined-only", args.binary], capture_output=True, text=True, check=True).stdout.splitlines():
    fields = line.split()
    if len(fields) == 3 and fields[2].endswith("Mc"):
        descriptors[int(fields[0], 16)] = fields[2]
names = []
for i in range(size // 4):
    target = address + i * 4 + struct.unpack_from("<i", data, i * 4)[0]
    names.append(descriptors.get(target, f"unnamed descriptor at {target:#x}"))
demangled = subprocess.run(["swift", "demangle", "--compact"], input="\n".join(names), capture_output=True, text=True,
                           check=True).stdout.splitlines()

def module(record):
    return record.rsplit(" in ", 1)[-1] if " in " in record else "?"

print(f"{len(demangled)} conformance records in {args.binary}")
if args.module:
    mine = [r.removeprefix("protocol conformance descriptor for ") for r in demangled if module(r) == args.module]
    if args.list:
        for r in sorted(mine): print(f"  {r}")
    else:
        for protocol, n in collections.Counter(r.rsplit(" in ", 1)[0].split(" : ")[-1] for r in mine).most_common():
            print(f"  {n:6d}  {protocol}")
else:
    for name, n in collections.Counter(module(r) for r in demangled).most_common():
        print(f"  {n:6d}  {name}")
