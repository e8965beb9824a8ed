import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

/// The store never appends what it cannot read back, and a hand-edited time outside the
/// supported range is named damage, never a crash.
@Suite struct SupportedRangeStoreTests {
    static func segmentBytes(_ dir: String) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/journal") {
            out[name] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/journal/" + name)))
        }
        return out
    }

    @Test func theWriterRefusesAnOutOfRangeInstantAndAppendsNothing() throws {
        let dir = Support.tempDir("range-writer")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let kept = try Support.book(store, r, Support.slot(0))
        let before = try Self.segmentBytes(dir)
        let offset = store.offset
        // A planner that slips past the engine's checks: the store's writer is the last line.
        let far = Instant(iso8601: "9999-12-31T23:50:00Z")! + .hours(2)
        for bad in [far, Instant(seconds: -1), SupportedRange.upperBound] {
            let refusal = Self.refusal(store, r, end: bad)
            #expect(refusal?.description == "time: \(bad.iso8601) is outside the supported range (\(SupportedRange.text))", "\(String(describing: refusal))")
            #expect(try Self.segmentBytes(dir) == before, "bytes were appended for \(bad)")
            #expect(store.offset == offset)
            #expect(store.state.bookings.count == 1)
        }
        // Later writes are fine, and every process reads the store.
        let next = try Support.book(store, r, Support.slot(2))
        let reader = try Support.reopen(dir)
        #expect(!reader.isReadOnly)
        #expect(reader.state.bookings[kept.id] == kept && reader.state.bookings[next.id] == next)
        #expect(reader.check().ok, "\(reader.check().lines)")
    }

    /// What the store says to a planned booking whose end was changed to `end` after the
    /// engine's checks, or nil if it wrote it.
    static func refusal(_ store: Store, _ r: ResourceID, end: Instant) -> StoreError? {
        let plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<BookingOutcome> = { s, e throws(CoreError) in
            var p = try e.book(BookingRequest(resource: r, range: Support.slot(1)), in: s, by: Support.actor)
            for (i, m) in p.transaction.mutations.enumerated() {
                if case .booking(var b) = m { b.range.end = end; p.transaction.mutations[i] = .booking(b) }
            }
            return p
        }
        let result = Result { () throws(StoreError) -> BookingOutcome in try store.write("book", .book(BookingRequest(resource: r, range: Support.slot(1))), plan) }
        if case .failure(let e) = result { return e }
        return nil
    }

    /// Rewrites the last record of the last segment with `edit` applied to its JSON text and a
    /// correct checksum, as a hand edit would.
    static func handEdit(_ dir: String, _ edit: (String) -> String) throws -> String {
        let seg = try DamageTests.lastSegment(dir)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: seg)))
        let used = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let lines = bytes[..<used].split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        let last = try #require(lines.last)
        let payload = try #require(Frame.payload(last))
        let edited = edit(String(decoding: payload, as: UTF8.self))
        var out = Array(bytes[..<last.startIndex])
        out += Frame.encode(Array(edited.utf8))
        try Data(out).write(to: URL(fileURLWithPath: seg))
        return seg
    }

    @Test func aHandEditedFarYearIsNamedDamageNotACrash() throws {
        for year in ["10000", "2500", "1969"] {
            let dir = Support.tempDir("range-edit")
            defer { Support.remove(dir) }
            let (store, r) = try Support.newStore(dir)
            let kept = try Support.book(store, r, Support.slot(0))
            let edited = try Support.book(store, r, Support.slot(1))
            let start = edited.range.start.iso8601
            let seg = try Self.handEdit(dir) { text in
                #expect(text.contains(start))
                return text.replacingOccurrences(of: "\"" + start, with: "\"" + year + start.dropFirst(4))
            }
            let file = (seg as NSString).lastPathComponent
            do {
                let s = try Support.reopen(dir)
                // Opened: only read-only, saying which file is damaged, with the good record kept.
                #expect(s.isReadOnly, "year \(year) was accepted")
                #expect((s.readOnlyReason ?? "").contains(file), "\(s.readOnlyReason ?? "")")
                #expect(s.state.bookings[kept.id] == kept)
                #expect(s.state.bookings[edited.id] == nil)
                let report = s.check()
                #expect(!report.ok)
                #expect(report.lines.contains { $0.contains(file) }, "\(report.lines)")
            } catch let e as StoreError {
                #expect(e.description.contains(file), "year \(year): \(e)")
            }
        }
    }
}
