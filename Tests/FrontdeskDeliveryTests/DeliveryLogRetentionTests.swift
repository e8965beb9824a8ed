import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskDelivery
import FrontdeskStore

/// The attempt log's retention: the deliverer deletes records older than `logRetention`, as a
/// prefix, at its first pass and then once every `logPruneInterval`; records it cannot date and
/// everything after them stay.
@Suite(.serialized) struct DeliveryLogRetentionTests {
    static func line(_ id: String, _ time: String) -> String {
        #"{"attempt":1,"event_id":"\#(id)","event_type":"booking.created","outcome":"delivered","target":"hook:all","time":"\#(time)"}"#
    }

    @Test func oldRecordsGoAsAPrefix() throws {
        let f = try DeliveryFixture(now: "2027-03-01T08:00:00Z")
        defer { f.cleanup() }
        let lines = [Self.line("evt_a", "2027-01-01T00:00:00Z"), Self.line("evt_b", "2027-01-02T00:00:00Z"),
                     Self.line("evt_c", "2027-02-20T00:00:00Z"), Self.line("evt_d", "2027-01-03T00:00:00Z")]
        try (lines.joined(separator: "\n") + "\n").write(toFile: f.dir + "/deliveries.jsonl", atomically: true, encoding: .utf8)
        let d = try f.deliverer()
        let first = try d.runOnce()
        #expect(first.prunedLogRecords == 2)
        // evt_d is old too, but after a newer record: the prefix rule keeps it until evt_c goes.
        #expect(try f.log().map(\.event_id) == ["evt_c", "evt_d"])
        // Not again within the interval, even once more records are old enough.
        f.clock.advance(by: .hours(12))
        try (Self.line("evt_e", "2027-01-04T00:00:00Z") + "\n").write(toFile: f.dir + "/deliveries.jsonl", atomically: true, encoding: .utf8)
        #expect(try d.runOnce().prunedLogRecords == 0)
        #expect(try f.log().map(\.event_id) == ["evt_e"])
        try (lines[2...].joined(separator: "\n") + "\n").write(toFile: f.dir + "/deliveries.jsonl", atomically: true, encoding: .utf8)
        f.clock.advance(by: .days(30))
        #expect(try d.runOnce().prunedLogRecords == 2)
        #expect(try f.log().isEmpty)
        #expect(FileManager.default.fileExists(atPath: f.dir + "/deliveries.jsonl"))
    }

    @Test func aRecordThatCannotBeDatedStopsPruning() throws {
        let f = try DeliveryFixture(now: "2027-03-01T08:00:00Z")
        defer { f.cleanup() }
        let text = [Self.line("evt_a", "2027-01-01T00:00:00Z"), "not json", Self.line("evt_b", "2027-01-02T00:00:00Z")].joined(separator: "\n") + "\n"
        try text.write(toFile: f.dir + "/deliveries.jsonl", atomically: true, encoding: .utf8)
        #expect(try f.deliverer().runOnce().prunedLogRecords == 1)
        let left = try String(contentsOfFile: f.dir + "/deliveries.jsonl", encoding: .utf8)
        #expect(left == "not json\n" + Self.line("evt_b", "2027-01-02T00:00:00Z") + "\n")
    }
}
