import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Verifies the whole store: FORMAT, each generation's manifest and every file it lists
    /// (size and CRC32C), every journal and event segment (checksums, consecutive sequence
    /// numbers across segments, a journal that reaches the newest generation, a last segment
    /// that was not cut), the bookings by the engine's own rules (no conflicting blocking
    /// bookings, end after start, known resources and customers, unique references within
    /// the counters), and the kinds and modes of the files. A torn last record is a warning,
    /// not a failure; so is what cannot be told apart from a harmless crash (see
    /// docs/STORAGE.md, "Checking").
    ///
    /// One line per finding, naming the file, the offset or record and the bookings.
    ///
    /// - Complexity: reads every byte of the store and loads every booking.
    public func check() -> CheckReport {
        var lines: [String] = []
        var ok = true
        var warnings = 0
        func fail(_ s: String) { ok = false; lines.append("FAIL " + s) }
        func warn(_ s: String) { warnings += 1; lines.append("warn " + s) }
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
                    var bad = 0
                    let files = try gen.manifest.allFiles()
                    for rel in files.keys.sorted() {
                        do { _ = try gen.bytes(rel, fs: fs) } catch {
                            bad += 1
                            fail("\(path)/\(rel): \(error) — \(Store.whatIsMissing(damagedPath: path + "/" + rel)) cannot be read")
                        }
                    }
                    if bad == 0 {
                        lines.append("ok   snapshot generation \(g): \(files.count) files verified, through record \(gen.manifest.lastSequence)")
                        checkIdempotencyShards(gen, fail: fail)
                        let logged = checkAuditChunks(gen, fail: fail)
                        if logged > 0 { lines.append("ok   snapshot generation \(g): \(logged) audit entries decode") }
                    }
                    if newest == nil { newest = gen.manifest }
                } catch {
                    fail("snapshot generation \(g): \(error)")
                }
            }
        } catch { fail("cannot list \(snapshotsDir): \(error)") }
        if newest == nil { fail("no usable snapshot generation") }

        // Where each booking version after the snapshot was read from, to name it in findings.
        var origin: [BookingID: String] = [:]
        var lastRecord: UInt64?
        do {
            var segs = try Journal.segments(in: eventsDir, fs: fs).map { ($0, false) }
            let live = try Journal.segments(in: journalDir, fs: fs)
            segs += live.map { ($0, true) }
            var expect: UInt64?
            for (i, (seg, isLive)) in segs.enumerated() {
                if let e = expect, seg.first != e {
                    if seg.first > e, let m = newest, seg.first - 1 <= m.lastSequence {
                        // Folded into the newest generation: the state is whole, only their events are gone.
                        warn("\(seg.path): starts at record \(seg.first), expected \(e): the events of records \(e)…\(seg.first - 1) are gone (their changes are in snapshot generation \(m.generation))")
                    } else {
                        fail("\(seg.path): starts at record \(seg.first), expected \(e) (gap: records \(e)…\(seg.first > e ? seg.first - 1 : e) missing)")
                    }
                }
                let isLast = i == segs.count - 1
                var st = stat()
                guard lstat(seg.path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
                    // Never opened: a fifo would block, a link would be followed.
                    fail("\(seg.path) is not a regular file; records from \(seg.first) on cannot be read")
                    expect = nil
                    continue
                }
                let fs = self.fs
                var size = 0
                let read = { () throws(StoreError) in
                    let bytes = try fs.readFile(seg.path)
                    size = bytes.count
                    return SegmentScan(bytes: bytes, offset: 0, expect: seg.first, events: true)
                }
                // As on open: a concurrent write can make one read of the padded segment look damaged.
                let scan = isLast && isLive ? try SegmentScan.settled(read) : try read()
                for rec in scan.records where rec.seq > (newest?.lastSequence ?? 0) {
                    for case .booking(let b) in rec.tx.mutations { origin[b.id] = "\(seg.path) record \(rec.seq)" }
                }
                switch scan.tail {
                case .clean:
                    let free = scan.padding > 0 ? ", \(scan.padding) bytes of preallocated space after offset \(scan.validEnd)" : ""
                    lines.append("ok   \(seg.path): \(scan.records.count) records\(free)")
                case .torn(let n) where isLast && isLive:
                    warn("\(seg.path): torn last record of \(n) bytes at offset \(scan.validEnd) (ignored; the next writer saves and zeroes it)")
                case .torn(let n): fail("\(seg.path): \(n) stray bytes at offset \(scan.validEnd) in a segment that is not the last")
                case .corrupt(let at, let d):
                    fail("\(seg.path) at offset \(at): \(d); records from \(seg.first + UInt64(scan.records.count)) on in this segment cannot be read")
                }
                if isLast && isLive { checkCut(seg, size: size, scan: scan, fail: fail, warn: warn) }
                expect = seg.first + UInt64(scan.records.count)
            }
            lastRecord = expect.map { $0 - 1 }
            if let m = newest, let first = live.first, first.first > m.lastSequence + 1 {
                fail("journal starts at record \(first.first) but the newest snapshot ends at \(m.lastSequence)")
            }
            if live.isEmpty { fail("\(journalDir): no journal segment") }
        } catch { fail("cannot read the journal: \(error)") }
        if let m = newest, let last = lastRecord, last < m.lastSequence {
            fail("the journal ends at record \(last) but snapshot generation \(m.generation) holds records through \(m.lastSequence): records \(last + 1)…\(m.lastSequence) were cut from the journal")
        }
        if let last = lastRecord { checkLaterEvidence(lastRecord: last, fail: fail) }
        checkBookings(origin: origin, fail: fail, note: { lines.append($0) })
        checkServices(fail: fail, warn: warn, note: { lines.append($0) })
        checkOccupancy(fail: fail, note: { lines.append($0) })
        checkCustomerIndex(fail: fail, note: { lines.append($0) })
        checkSearchIndex(fail: fail, note: { lines.append($0) })
        checkFileKinds(fail: fail, warn: warn)
        if let r = readOnlyReason { lines.append("note this process has the store read-only: \(r)") }
        return CheckReport(ok: ok, warnings: warnings, lines: lines)
    }

    /// The idempotency shards of a generation whose files verified: the layout the manifest
    /// lists, and every shard decodes and holds only keys that hash to it, each once (a key in
    /// another shard would never be found).
    ///
    /// - Complexity: O(bytes of the shards).
    func checkIdempotencyShards(_ gen: Generation, fail: (String) -> Void) {
        let layout: IdempotencyLayout
        do {
            layout = try gen.idempotencyLayout()
            try layout.verify(gen.manifest, path: gen.path)
        } catch {
            fail("\(error) — no idempotency key of this generation can be looked up")
            return
        }
        for n in 0..<layout.count {
            do { _ = try gen.idempotencyShard(n, layout: layout, fs: fs) } catch {
                fail("\(error) — \(Store.whatIsMissing(damagedPath: gen.path + "/" + layout.path(n))) cannot be read")
            }
        }
    }

    /// A cut last segment. A segment is created holding `preallocateBytes` zeros (fsynced
    /// before it is renamed into journal/), so with preallocation on an empty last segment was
    /// cut. A record is written over zeros, or, when it does not fit, extends the file past its
    /// old size, which is a multiple of the preallocation (a multiple of 4096 bytes for every
    /// size in use), or the valid end after a rotation cut the padding off. So bytes that run
    /// to the end of the file with no zeros after them can come from a crash only if the last
    /// record started before such a boundary and runs past it, or right after a rotation that
    /// a crash interrupted, which a second crash then had to follow: otherwise the file was
    /// cut. A file that ends exactly after a record with no padding is what a crash between
    /// cutting the padding and starting the next segment leaves, and cannot be told from a cut
    /// at a record boundary: a warning that says so.
    func checkCut(_ seg: (first: UInt64, path: String), size: Int, scan: SegmentScan,
                  fail: (String) -> Void, warn: (String) -> Void) {
        let p = Int(options.preallocateBytes)
        guard p > 0 else { return }
        let grain = p % 4096 == 0 ? 4096 : p
        let next = seg.first + UInt64(scan.records.count)
        if size == 0 {
            fail("\(seg.path) is empty, but a segment is created holding \(p) bytes of zeros before any record: it was cut (truncated); any records from \(seg.first) on that it held are lost")
            return
        }
        let start = Int(scan.validEnd)
        switch scan.tail {
        case .torn(let n) where start + n == size:
            // The last boundary before the end of the file: a crash's extension starts at or before it.
            let boundary = (size - 1) / grain * grain
            if boundary <= start {
                fail("\(seg.path) ends at offset \(size) inside record \(next), with no preallocated space after it and no extension of the file it could be part of: it was cut (truncated); record \(next) and any after it are lost")
            } else {
                warn("\(seg.path) ends at offset \(size) inside record \(next) with no preallocated space after it: a crash while that record extended the segment, or the file was cut (records from \(next) lost); this cannot be told apart")
            }
        case .clean where scan.padding == 0 && start == size && !scan.records.isEmpty:
            warn("\(seg.path) ends exactly after record \(next - 1) with no preallocated space: a crash between cutting its padding and starting the next segment (harmless), or the file was cut at a record boundary (records after \(next - 1) lost); this cannot be told apart")
        default: break
        }
    }

    /// What outlives a cut journal: an event consumer's cursor (the last record it read) and
    /// the names of torn-tail copies (`torn-<seq>-<time>.bak` is saved when record seq is next).
    func checkLaterEvidence(lastRecord: UInt64, fail: (String) -> Void) {
        for rel in options.eventConsumerFiles {
            let path = directory + "/" + rel
            guard let bytes = try? fs.readFile(path),
                  let cursor = try? ConsumerCursorSchema.cursor(in: bytes) else { continue }
            if cursor > lastRecord {
                fail("\(path) has read records through \(cursor), but the journal ends at record \(lastRecord): records \(lastRecord + 1)…\(cursor) are missing")
            }
        }
        for name in (try? fs.list(journalDir)) ?? [] where name.hasPrefix("torn-") && name.hasSuffix(".bak") {
            let parts = name.dropFirst(5).split(separator: "-")
            guard let seq = parts.first.flatMap({ UInt64($0) }), seq > lastRecord + 1 else { continue }
            fail("\(journalDir)/\(name) was saved when record \(seq) was next, but the journal ends at record \(lastRecord): records \(lastRecord + 1)…\(seq - 1) are missing")
        }
    }

    /// The bookings by the engine's own rules, on every partition of the generation in use
    /// plus the journal: a record or file with a valid checksum may be forged or hand-edited.
    func checkBookings(origin: [BookingID: String], fail: (String) -> Void, note: (String) -> Void) {
        // Every customer shard, one at a time (the bookings' customers are checked against
        // them all); one that cannot be read leaves its customers unchecked, not missing.
        var unreadableShards: Set<Int> = []
        if customerLayout.isSharded {
            for n in 0..<customerLayout.shardCount {
                do { try loadCustomerShards([n]) } catch {
                    unreadableShards.insert(n)
                    note("note customers in \(CustomerLayout.shardPath(n)) not checked: \(error)")
                }
            }
        }
        let partitions: [String]
        do { partitions = try generation.manifest.partitions() } catch {
            fail("\(error) — the bookings of this generation cannot be listed")
            partitions = []
        }
        for key in partitions where !loadedPartitions.contains(key) {
            // Damaged files were reported with the generation; check what can be read.
            do { try loadPartitions([key], withCustomers: false) } catch { note("note bookings in \(Generation.partitionPath(key)) not checked: \(error)") }
        }
        let state = self.state
        let now = engine.clock.now()
        func place(_ b: Booking) -> String {
            origin[b.id] ?? generation.path + "/" + Generation.partitionPath(Partition.key(b))
        }
        func name(_ b: Booking) -> String { "\(b.ref) (\(b.id))" }
        var byRef: [String: [Booking]] = [:]
        var reported: Set<[BookingID]> = []
        var checked = 0
        for b in state.bookings.values.sorted(by: { $0.id < $1.id }) {
            checked += 1
            if b.range.end <= b.range.start {
                fail("\(place(b)): booking \(name(b)) ends at \(b.range.end), not after its start \(b.range.start)")
            }
            if state.resources[b.resource] == nil {
                fail("\(place(b)): booking \(name(b)) is on resource \(b.resource), which does not exist")
            }
            for r in b.otherResources where state.resources[r] == nil {
                fail("\(place(b)): booking \(name(b)) also holds resource \(r), which does not exist")
            }
            if let c = b.customer, state.customers[c] == nil,
               !customerLayout.isSharded || !unreadableShards.contains(CustomerLayout.shard(c.rawValue, count: customerLayout.shardCount)) {
                fail("\(place(b)): booking \(name(b)) is for customer \(c), which does not exist")
            }
            if let c = b.charges {
                for problem in Self.moneyProblems(c, storeCurrency: state.currency) {
                    fail("\(place(b)): booking \(name(b)) \(problem)")
                }
            }
            byRef[b.ref.uppercased(), default: []].append(b)
            if let n = Self.referenceNumber(b.ref, prefix: "B"), n > state.counters.bookings {
                fail("\(place(b)): booking \(name(b)) has reference number \(n), beyond the booking counter \(state.counters.bookings): the record that counted it is missing, or this one was forged")
            }
            if state.resources[b.resource] != nil, b.range.end > b.range.start {
                for other in state.conflicts(of: b, at: now) {
                    let pair = [b.id, other.id].sorted()
                    guard reported.insert(pair).inserted else { continue }
                    fail("\(place(b)): booking \(name(b)) (\(b.status), \(b.range.start)–\(b.range.end) on \(b.resource)) conflicts with \(name(other)) (\(other.status), \(other.range.start)–\(other.range.end) on \(other.resource)) in \(place(other))")
                }
            }
        }
        for (ref, list) in byRef.sorted(by: { $0.key < $1.key }) where list.count > 1 {
            fail("reference \(ref) is used by \(list.count) bookings: " + list.map { "\(name($0)) in \(place($0))" }.joined(separator: ", "))
        }
        note("ok   \(checked) bookings checked against the engine's rules")
    }

    /// What is wrong with a booking's charges: a currency other than the store's (or none set),
    /// refunds beyond payments, totals that do not fit 64 bits, an entry id used twice.
    static func moneyProblems(_ c: Charges, storeCurrency: Currency?) -> [String] {
        var out: [String] = []
        if let s = storeCurrency {
            if s != c.currency { out.append("is priced in \(c.currency.code) but the store's currency is \(s.code)") }
        } else {
            out.append("is priced in \(c.currency.code) but the store has no currency set")
        }
        do {
            if try c.paid() < 0 { out.append("has refunds beyond its payments (\(c.money(try c.total(.refund))) refunded, \(c.money(try c.total(.payment))) paid)") }
            if try c.fees() < 0 { out.append("has fee reversals beyond its fees (\(c.money(try c.total(.feeReversal))) reversed, \(c.money(try c.total(.fee))) charged)") }
        } catch {
            out.append("has ledger totals that do not add up: \(error)")
        }
        var ids: Set<String> = []
        for e in c.ledger where !ids.insert(e.id).inserted { out.append("has ledger entry \(e.id) twice") }
        return out
    }

    /// The number in a short reference (`B-7K2` → 7·1024 + 20·32 + 2), nil if it is not one.
    static func referenceNumber(_ ref: String, prefix: Character) -> Int? {
        let u = Array(ref.utf8)
        guard u.count >= 5, u.count <= 15, u[0] == prefix.asciiValue, u[1] == UInt8(ascii: "-") else { return nil }
        let crockford = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        var n = 0
        for c in u[2...] {
            guard let d = crockford.firstIndex(of: c) else { return nil }
            n = n << 5 | d
        }
        return n
    }

    /// Kinds and modes of everything in the store, without following links: directories where
    /// directories belong, regular files elsewhere, no symbolic links, fifos or devices, nothing
    /// writable by every user (failures); anything readable by every user (a warning: a shared
    /// store is 0660/02770, a private one 0600/0700). `LOCK` and `COMPACT` are notes the store
    /// never follows, so a link there is reported as a warning; hooks are programs, so files
    /// under `hooks/` may be executable (never set-id).
    func checkFileKinds(fail: (String) -> Void, warn: (String) -> Void) {
        func visit(_ path: String, depth: Int, dirExpected: Bool?, note: Bool = false, program: Bool = false) {
            var st = stat()
            guard lstat(path, &st) == 0 else { return }
            let kind = st.st_mode & S_IFMT
            let mode = st.st_mode & 0o7777
            if kind == S_IFLNK {
                if note {
                    warn("\(path) is a symbolic link (a lock note, never followed): someone replaced it; remove it")
                } else {
                    fail("\(path) is a symbolic link: the store never follows links; remove it")
                }
                return
            }
            if kind != S_IFREG && kind != S_IFDIR {
                fail("\(path) is not a regular file or directory (mode \(String(st.st_mode, radix: 8)))")
                return
            }
            if let dirExpected, dirExpected != (kind == S_IFDIR) {
                fail("\(path) is a \(kind == S_IFDIR ? "directory" : "file") where a \(dirExpected ? "directory" : "file") belongs")
                return
            }
            if mode & 0o002 != 0 {
                fail("\(path) is writable by every user (mode \(String(mode, radix: 8))): a shared store is 0660/02770, a private one 0600/0700")
            } else if mode & 0o004 != 0 {
                warn("\(path) is readable by every user (mode \(String(mode, radix: 8))): a shared store is 0660/02770, a private one 0600/0700")
            }
            if kind == S_IFREG && mode & (program ? 0o6000 : 0o6111) != 0 {
                fail("\(path) has \(program ? "set-id" : "execute or set-id") bits (mode \(String(mode, radix: 8)))")
            }
            guard kind == S_IFDIR, depth < 6, let names = try? fs.list(path) else { return }
            for n in names.sorted() {
                let child = path + "/" + n
                switch (depth, path.hasSuffix("/snapshots")) {
                case (0, _):
                    let dirs: Set<String> = ["journal", "snapshots", "tmp", "events"]
                    let files: Set<String> = ["FORMAT", "LOCK", "COMPACT"]
                    visit(child, depth: 1, dirExpected: dirs.contains(n) ? true : files.contains(n) ? false : nil,
                          note: n == "LOCK" || n == "COMPACT", program: n == "hooks")
                case (1, true): visit(child, depth: 2, dirExpected: true)
                case (1, false) where path.hasSuffix("/journal") || path.hasSuffix("/events"): visit(child, depth: 2, dirExpected: false)
                default: visit(child, depth: depth + 1, dirExpected: nil, program: program)
                }
            }
        }
        visit(directory, depth: 0, dirExpected: true)
    }
}
