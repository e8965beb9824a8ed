import FrontdeskCore
import FrontdeskJSON

/// The journal record schema: one framed line `<crc32c 8 hex> {"seq":N,"tx":{...}}\n` per
/// committed transaction (see docs/STORAGE.md, "Schema").
///
/// `{"seq":N,"tx":{"at":T,"actor":A,"mutations":[...],"events":[...]},"eventBookings":[...]}`:
/// members in that order, `eventBookings` only in a format 2 record whose events refer to
/// its mutations (``JournalRecord``). A mutation is an object with exactly one member naming
/// its kind: `{"booking":B}`, `{"counters":C}` (``BookingSchema``), `{"resource":…}`
/// (``ResourceSchema``), `{"schedule":…}` (``ScheduleSchema``), `{"customer":…}`
/// (``CustomerSchema``), `{"waitlist":…}` (``WaitlistSchema``), `{"idempotency_key":…}`
/// (``IdempotencySchema``), `{"forget_idempotency_key":"<key>"}`, `{"audit":…}` (``AuditSchema``),
/// `{"staff":…}` (``StaffSchema``), `{"setting":…}` (``SettingSchema``) or `{"service":…}`
/// (``ServiceSchema``); events are ``EventSchema``'s.
package enum RecordSchema {
    // MARK: Writing

    /// Appends a mutation: `{"<kind>":value}`.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func writeMutation(_ m: Mutation, to out: inout JSONWriter) throws {
        if try BookingSchema.writeMutation(m, to: &out) { return }
        switch m {
        case .booking, .counters: return // written above
        case .resource(let r): out.raw(#"{"resource":"#); ResourceSchema.write(r, to: &out)
        case .schedule(let s): out.raw(#"{"schedule":"#); try ScheduleSchema.write(s, to: &out)
        case .customer(let c): out.raw(#"{"customer":"#); CustomerSchema.write(c, to: &out)
        case .waitlist(let w): out.raw(#"{"waitlist":"#); try WaitlistSchema.write(w, to: &out)
        case .idempotencyKey(let r): out.raw(#"{"idempotency_key":"#); try IdempotencySchema.write(r, to: &out)
        case .forgetIdempotencyKey(let k): out.raw(#"{"forget_idempotency_key":"#); out.string(k)
        case .audit(let e): out.raw(#"{"audit":"#); try AuditSchema.write(e, to: &out)
        case .staff(let g): out.raw(#"{"staff":"#); try StaffSchema.write(g, to: &out)
        case .setting(let s): out.raw(#"{"setting":"#); try SettingSchema.write(s, to: &out)
        case .service(let v): out.raw(#"{"service":"#); ServiceSchema.write(v, to: &out)
        }
        out.byte(0x7D)
    }

    /// The framed line of `record`, newline included.
    ///
    /// Written by hand, framing included, in one buffer: a record is written on every commit.
    ///
    /// - Throws: `StoreError.core(.outsideSupportedRange)` for a time the reader could not
    ///   take back (nothing is written).
    static func line(_ record: JournalRecord) throws(StoreError) -> [UInt8] {
        let tx = record.tx
        do {
            var out = JSONWriter()
            out.bytes.reserveCapacity(1200 * max(1, tx.mutations.count))
            out.bytes += Frame.header // filled in by `Frame.seal`
            out.raw(#"{"seq":"#); out.unsigned(record.seq)
            out.raw(#","tx":{"at":"#); try BookingSchema.instant(tx.at, to: &out)
            out.raw(#","actor":"#); BookingSchema.actor(tx.actor, to: &out)
            out.raw(#","mutations":["#)
            for (i, m) in tx.mutations.enumerated() {
                if i > 0 { out.byte(0x2C) }
                try writeMutation(m, to: &out)
            }
            out.raw(#"],"events":["#)
            let refs = record.eventBookingReferences()
            for (i, e) in tx.events.enumerated() {
                if i > 0 { out.byte(0x2C) }
                var event = e
                if refs?[i] != nil { event.booking = nil }
                if try !BookingSchema.writeEvent(event, to: &out) { try EventSchema.write(event, to: &out) }
            }
            out.raw("]}")
            if let refs {
                out.raw(#","eventBookings":["#)
                for (i, r) in refs.enumerated() {
                    if i > 0 { out.byte(0x2C) }
                    if let r { out.signed(Int64(r)) } else { out.null() }
                }
                out.byte(0x5D)
            }
            out.byte(0x7D)
            Frame.seal(&out.bytes)
            return out.bytes
        } catch EncodingError.invalidValue(let value as Instant, _) {
            throw .core(.outsideSupportedRange(field: "time", value: value.iso8601))
        } catch {
            throw .damaged(path: "(encoding)", detail: "cannot encode record \(record.seq): \(error)")
        }
    }

    // MARK: Reading

    /// The whole record in a line's payload, events included.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit the schema, or `JSONSyntaxError`.
    static func read<Bytes: Collection<UInt8>>(_ body: Bytes) throws -> JournalRecord {
        try record(SchemaValue.root(Array(body)))
    }

    /// The record at `v`, events included, with format 2 event bookings put back.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func record(_ v: SchemaValue) throws(SchemaError) -> JournalRecord {
        let o = try v.object()
        let seq = try o.value("seq").integer(UInt64.self)
        let t = try o.value("tx").object()
        var tx = Transaction(at: try t.value("at").instant(), actor: try t.value("actor").actor(),
                             mutations: try t.value("mutations").array(mutation), events: try t.value("events").array(EventSchema.read))
        var record = JournalRecord(seq: seq, tx: tx)
        guard let refsValue = o.optional("eventBookings") else { return record }
        let refs = try refsValue.array { e throws(SchemaError) -> Int? in e.token.kind == .null ? nil : try e.integer(Int.self) }
        record.compactEvents = true
        guard refs.count == tx.events.count else {
            throw refsValue.error("\(refs.count) references for \(tx.events.count) events")
        }
        for (i, r) in refs.enumerated() {
            guard let r else { continue }
            guard tx.events[i].booking == nil, tx.mutations.indices.contains(r), case .booking(let b) = tx.mutations[r] else {
                throw refsValue.error("event \(i) refers to mutation \(r), which is not a booking")
            }
            tx.events[i].booking = b
        }
        record.tx = tx
        return record
    }

    /// The mutation at `v`: an object with exactly one known member naming its kind (unknown
    /// members are ignored).
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func mutation(_ v: SchemaValue) throws(SchemaError) -> Mutation {
        let o = try v.object()
        let known = o.keys.filter { mutationKinds.contains($0) }
        guard known.count == 1, let kind = known.first else {
            throw v.error("a mutation has exactly one key naming its record type")
        }
        let value = try o.value(kind)
        switch kind {
        case "booking": return .booking(try BookingSchema.read(value))
        case "resource": return .resource(try ResourceSchema.read(value))
        case "schedule": return .schedule(try ScheduleSchema.read(value))
        case "customer": return .customer(try CustomerSchema.read(value))
        case "waitlist": return .waitlist(try WaitlistSchema.read(value))
        case "idempotency_key": return .idempotencyKey(try IdempotencySchema.read(value))
        case "forget_idempotency_key": return .forgetIdempotencyKey(try value.string())
        case "audit": return .audit(try AuditSchema.read(value))
        case "staff": return .staff(try StaffSchema.read(value))
        case "setting": return .setting(try SettingSchema.read(value))
        case "service": return .service(try ServiceSchema.read(value))
        default: return .counters(try BookingSchema.counters(value))
        }
    }

    private static let mutationKinds: Set<String> = [
        "booking", "resource", "schedule", "customer", "waitlist", "idempotency_key", "forget_idempotency_key", "counters", "audit", "staff", "setting", "service",
    ]

    /// The record in a line's payload without its events, as replay needs it: read straight
    /// from the tokens when it has the usual shape (every process replays the journal since the
    /// last compaction when it opens the store), else by the general reader, which names the
    /// problem. Events are not read (nor checked) either way.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit the schema, or `JSONSyntaxError`.
    package static func readReplay<Bytes: Collection<UInt8>>(_ body: Bytes) throws -> JournalRecord {
        let root = try body.withContiguousStorageIfAvailable { raw in
            try SchemaValue(doc: JSONDocument(UnsafeRawBufferPointer(raw)), index: 0, path: "")
        } ?? SchemaValue.root(Array(body))
        if let r = readReplay(root.doc, at: 0) {
            return JournalRecord(seq: r.seq, tx: Transaction(at: r.at, actor: r.actor, mutations: r.mutations))
        }
        let o = try root.object()
        let seq = try o.value("seq").integer(UInt64.self)
        let t = try o.value("tx").object()
        return JournalRecord(seq: seq, tx: Transaction(at: try t.value("at").instant(), actor: try t.value("actor").actor(),
                                                       mutations: try t.value("mutations").array(mutation)))
    }
    /// The record's sequence number, time, actor and mutations, as replay reads them (its events
    /// are skipped), or nil if it is not in the usual shape.
    static func readReplay(_ doc: JSONDocument, at index: Int) -> (seq: UInt64, at: Instant, actor: Author, mutations: [Mutation])? {
        let r = BookingSchema.Reader(doc: doc)
        var seq: UInt64?, tx: Int?
        guard r.members(of: index, Self.recordKeys, { k, v in
            if k == 0 {
                let t = doc.tokens[v]
                seq = t.kind == .number ? JSONNumber.uint64(doc.raw(t), plain: t.flags == 0) : nil
                return seq != nil
            }
            tx = v
            return true
        }), let seq, let tx else { return nil }
        var at: Instant?, actor: Author?, mutations: [Mutation]?
        guard r.members(of: tx, Self.transactionKeys, { k, v in
            switch k {
            case 0: at = r.instant(v); return at != nil
            case 1: actor = r.actor(v); return actor != nil
            default: mutations = BookingSchema.readMutations(doc, at: v); return mutations != nil
            }
        }), let at, let actor, let mutations else { return nil }
        return (seq, at, actor, mutations)
    }

    private static let recordKeys = ["seq", "tx"].map { Array($0.utf8) }
    private static let transactionKeys = ["at", "actor", "mutations"].map { Array($0.utf8) }
}

