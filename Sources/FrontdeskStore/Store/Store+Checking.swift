import FrontdeskCore

extension Store {
    /// Verifies every file: FORMAT, each generation's manifest and every file it lists (size
    /// and CRC32C), and every journal and event segment (checksums and consecutive sequence
    /// numbers). A torn last record is a warning, not a failure.
    ///
    /// - Complexity: reads every byte of the store.
    public func check() -> CheckReport {
        var lines: [String] = []
        var ok = true
        var warnings = 0
        func fail(_ s: String) { ok = false; lines.append("FAIL " + s) }
        if let b = try? fs.readFile(directory + "/FORMAT"), let f = Int(String(decoding: b, as: UTF8.self).trimming(.whitespacesAndNewlines)),
           (1...StoreFormat.current).contains(f) {
            lines.append("ok   FORMAT \(f)")
        } else { fail("FORMAT missing or not 1...\(StoreFormat.current)") }

        var newest: Manifest?
        do {
            for g in try Generation.list(snapshotsDir, fs: fs) {
                let path = snapshotsDir + "/" + Manifest.name(g)
                do {
                    let gen = try Generation.open(path, fs: fs)
                    for rel in gen.manifest.files.keys.sorted() { _ = try gen.bytes(rel, fs: fs) }
                    lines.append("ok   snapshot generation \(g): \(gen.manifest.files.count) files verified, through record \(gen.manifest.lastSequence)")
                    if newest == nil { newest = gen.manifest }
                } catch {
                    fail("snapshot generation \(g): \(error)")
                }
            }
        } catch { fail("cannot list \(snapshotsDir): \(error)") }
        if newest == nil { fail("no usable snapshot generation") }

        do {
            var segs = try Journal.segments(in: eventsDir, fs: fs).map { ($0, false) }
            let live = try Journal.segments(in: journalDir, fs: fs)
            segs += live.map { ($0, true) }
            var expect: UInt64?
            for (i, (seg, isLive)) in segs.enumerated() {
                if let e = expect, seg.first != e { fail("\(seg.path): starts at record \(seg.first), expected \(e) (gap)") }
                let isLast = i == segs.count - 1
                let fs = self.fs
                let read = { () throws(StoreError) in SegmentScan(bytes: try fs.readFile(seg.path), offset: 0, expect: seg.first, events: true) }
                // As on open: a concurrent write can make one read of the padded segment look damaged.
                let scan = isLast && isLive ? try SegmentScan.settled(read) : try read()
                switch scan.tail {
                case .clean:
                    let free = scan.padding > 0 ? ", \(scan.padding) bytes of preallocated space after offset \(scan.validEnd)" : ""
                    lines.append("ok   \(seg.path): \(scan.records.count) records\(free)")
                case .torn(let n) where isLast && isLive:
                    warnings += 1
                    lines.append("warn \(seg.path): torn last record of \(n) bytes at offset \(scan.validEnd) (ignored; the next writer saves and zeroes it)")
                case .torn(let n): fail("\(seg.path): \(n) stray bytes at offset \(scan.validEnd) in a segment that is not the last")
                case .corrupt(let at, let d): fail("\(seg.path) at offset \(at): \(d)")
                }
                expect = seg.first + UInt64(scan.records.count)
            }
            if let m = newest, let first = live.first, first.first > m.lastSequence + 1 {
                fail("journal starts at record \(first.first) but the newest snapshot ends at \(m.lastSequence)")
            }
        } catch { fail("cannot read the journal: \(error)") }
        if let r = readOnlyReason { lines.append("note this process has the store read-only: \(r)") }
        return CheckReport(ok: ok, warnings: warnings, lines: lines)
    }
}
