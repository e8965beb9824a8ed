import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

/// Journal record formats: format 2 writes an event's booking as a reference to the record's
/// mutation; format 1 stores keep full events; both decode to the same transaction.
@Suite struct RecordFormatTests {
    static func lines(_ dir: String) throws -> [String] {
        let seg = try FileManager.default.contentsOfDirectory(atPath: dir + "/journal").filter { $0.hasSuffix(".jsonl") }.sorted().last!
        // The zeros after the last record are preallocated space, not a line.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/journal/" + seg)))
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func newStoresWriteEventsThatReferToTheBooking() throws {
        let dir = Support.tempDir("format2")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let b = try Support.book(store, r, Support.slot(1))
        #expect(try String(contentsOfFile: dir + "/FORMAT", encoding: .utf8) == "\(StoreFormat.current)\n")
        let line = try Self.lines(dir).last!
        #expect(line.contains("\"eventBookings\":[1]"))
        #expect(line.components(separatedBy: "\"history\"").count == 2, "the booking's history is written once")
        let reader = try Support.reopen(dir)
        let events = try reader.events(after: 0).filter { $0.event.type == .bookingCreated }
        #expect(events.count == 1 && events[0].event.booking == b)
        try store.compact()
        #expect(store.generation.manifest.format == StoreFormat.current)
    }

    @Test func formatOneStoresKeepFullEvents() throws {
        let dir = Support.tempDir("format1")
        defer { Support.remove(dir) }
        _ = try Support.newStore(dir)
        try "1\n".write(toFile: dir + "/FORMAT", atomically: false, encoding: .utf8)
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let r = store.state.resources.keys.first!
        let b = try Support.book(store, r, Support.slot(1))
        let line = try Self.lines(dir).last!
        #expect(!line.contains("eventBookings"))
        #expect(line.components(separatedBy: "\"history\"").count == 3)
        #expect(try store.events(after: 0).first { $0.event.type == .bookingCreated }?.event.booking == b)
        try store.compact()
        // The journal stays format 1; the generation's sharded tables, audit log, settings and
        // section lists are format 5's, which a format 1 program refuses rather than reading a
        // store without customers.
        #expect(store.generation.manifest.format == StoreFormat.businessDay)
        #expect(store.check().ok)
    }

    @Test func compactRecordsRoundTripAndRejectBadReferences() throws {
        let dir = Support.tempDir("format-unit")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let b = try Support.book(store, r, Support.slot(1))
        let other = try Support.book(store, r, Support.slot(2))
        let template = try store.events(after: 0).first { $0.event.booking != nil }!.event
        var newer = b
        newer.notes = "changed"
        var e1 = template; e1.booking = b          // an older version in the same record: kept in full
        var e2 = template; e2.booking = newer      // the final version: a reference
        var e3 = template; e3.booking = other      // not in the record: kept in full
        var e4 = template; e4.booking = nil
        let tx = Transaction(at: Support.now, actor: Support.actor, mutations: [.booking(b), .booking(newer)], events: [e1, e2, e3, e4])
        let line = try JournalRecord(seq: 7, tx: tx, compactEvents: true).encoded()
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains("\"eventBookings\":[null,1,null,null]"))
        let scan = SegmentScan(bytes: line, offset: 0, expect: 7, events: true)
        #expect(scan.tail == .clean && scan.records.count == 1)
        #expect(scan.records.first?.tx == tx)
        // Format 1 encoding of the same transaction decodes to the same thing.
        let full = try JournalRecord(seq: 7, tx: tx).encoded()
        #expect(!String(decoding: full, as: UTF8.self).contains("eventBookings"))
        #expect(SegmentScan(bytes: full, offset: 0, expect: 7, events: true).records.first?.tx == tx)
        // A reference to a mutation that is not a booking, or out of range, does not decode.
        for bad in ["[null,5,null,null]", "[null,1]", "[0,1,null,null]"] {
            let body = Array(text.dropFirst(9).dropLast().replacingOccurrences(of: "[null,1,null,null]", with: bad).utf8)
            let framed = Frame.encode(body)
            if case .corrupt = SegmentScan(bytes: framed, offset: 0, expect: 7, events: true).tail {} else {
                Issue.record("bad reference \(bad) accepted")
            }
        }
    }
}
