import FrontdeskCore
import FrontdeskJSON

/// The journal record schema: one framed line `<crc32c 8 hex> {"seq":N,"tx":{...}}\n` per
/// committed transaction (see docs/STORAGE.md, "Schema").
///
/// `{"seq":N,"tx":{"at":T,"actor":A,"mutations":[...],"events":[...]},"eventBookings":[...]}`:
/// members in that order, `eventBookings` only in a format 2 record whose events refer to
/// its mutations (``JournalRecord``). Bookings, counters and booking events are written and
/// read here and in ``BookingSchema``; the other mutations and events (reference data,
/// waitlist events) go through their `Codable` conformances and ``CompactJSONEncoder``.
package enum RecordSchema {
    // MARK: Writing

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
                if try !BookingSchema.writeMutation(m, to: &out) { out.bytes += try CompactJSONEncoder().encode(m) }
            }
            out.raw(#"],"events":["#)
            let refs = record.eventBookingReferences()
            for (i, e) in tx.events.enumerated() {
                if i > 0 { out.byte(0x2C) }
                var event = e
                if refs?[i] != nil { event.booking = nil }
                if try !BookingSchema.writeEvent(event, to: &out) { out.bytes += try CompactJSONEncoder().encode(event) }
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
    /// - Throws: a `DecodingError` naming what does not fit the schema.
    static func read<Bytes: Collection<UInt8>>(_ body: Bytes) throws -> JournalRecord {
        try CompactJSONDecoder().decode(JournalRecord.self, from: body)
    }

    /// The record in a line's payload without its events, as replay needs it: read straight
    /// from the tokens when it has the usual shape (every process replays the journal since the
    /// last compaction when it opens the store), else through `Codable`, which names the problem.
    ///
    /// - Throws: a `DecodingError` naming what does not fit the schema.
    package static func readReplay<Bytes: Collection<UInt8>>(_ body: Bytes) throws -> JournalRecord {
        let fast: JournalRecord?? = body.withContiguousStorageIfAvailable { raw in
            guard let doc = try? JSONDocument(UnsafeRawBufferPointer(raw)),
                  let r = readReplay(doc, at: 0) else { return nil }
            return JournalRecord(seq: r.seq, tx: Transaction(at: r.at, actor: r.actor, mutations: r.mutations))
        }
        if let fast = fast ?? nil { return fast }
        let r = try CompactJSONDecoder().decode(ReplayRecord.self, from: body)
        return JournalRecord(seq: r.seq, tx: Transaction(at: r.tx.at, actor: r.tx.actor, mutations: r.tx.mutations))
    }

    /// The record's sequence number, time, actor and mutations, as replay reads them (its events
    /// are skipped), or nil if it is not in the usual shape.
    static func readReplay(_ doc: JSONDocument, at index: Int) -> (seq: UInt64, at: Instant, actor: Actor, mutations: [Mutation])? {
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
        var at: Instant?, actor: Actor?, mutations: [Mutation]?
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

/// A journal record without its events, for replay, read through `Codable` when it is not in
/// the usual shape (``RecordSchema/readReplay(_:)``).
struct ReplayRecord: Decodable {
    struct Changes: Decodable {
        var at: Instant
        var actor: Actor
        var mutations: [Mutation]
    }
    var seq: UInt64
    var tx: Changes
}
