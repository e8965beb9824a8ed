import Testing
@testable import FrontdeskCore
import FrontdeskSystem

/// Builds TZif bytes (RFC 8536) for tests: a version 1 block with the transitions that fit in
/// 32 bits and, from version 2 on, the 64-bit block and the footer.
struct TZifBuilder {
    var version: UInt8 = UInt8(ascii: "2")
    var transitions: [(at: Int64, type: UInt8)] = []
    var types: [(offset: Int32, isDST: UInt8)] = [(0, 0)]
    var leapSeconds: [(at: Int64, correction: Int32)] = []
    var footer = ""
    var designations: [UInt8] = Array("LMT\0".utf8)

    var bytes: [UInt8] {
        var out: [UInt8] = []
        func be(_ v: UInt64, _ n: Int) { for i in (0..<n).reversed() { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
        func block(timeSize: Int) {
            let ts = timeSize == 4 ? transitions.filter { Int64(Int32.min)...Int64(Int32.max) ~= $0.at } : transitions
            let ls = timeSize == 4 ? leapSeconds.filter { Int64(Int32.min)...Int64(Int32.max) ~= $0.at } : leapSeconds
            out += Array("TZif".utf8) + [version == 1 ? 0 : version] + Array(repeating: 0, count: 15)
            for count in [types.count, types.count, ls.count, ts.count, types.count, designations.count] { be(UInt64(count), 4) }
            for t in ts { be(UInt64(bitPattern: t.at), timeSize) }
            out += ts.map(\.type)
            for t in types { be(UInt64(UInt32(bitPattern: t.offset)), 4); out += [t.isDST, 0] }
            out += designations
            for l in ls { be(UInt64(bitPattern: l.at), timeSize); be(UInt64(UInt32(bitPattern: l.correction)), 4) }
            out += Array(repeating: 0, count: types.count * 2)   // standard/wall and UT/local indicators
        }
        block(timeSize: 4)
        if version != 1 {
            block(timeSize: 8)
            out += [0x0A] + Array(footer.utf8) + [0x0A]
        }
        return out
    }
}

@Suite struct TZifParserTests {
    func t(_ iso: String) -> Int64 { Instant(iso8601: iso)!.seconds }

    func systemFile(_ name: String) throws -> [UInt8] {
        try WholeFile.read(path: "/usr/share/zoneinfo/" + name).get()
    }

    @Test func readsTheSystemsBerlin() throws {
        let rules = try TZifParser.parse(try systemFile("Europe/Berlin"))
        #expect(rules.transitions.count > 100)
        #expect(rules.footer == PosixTZRule("CET-1CEST,M3.5.0,M10.5.0/3"))
        #expect(rules.offset(at: t("2027-03-28T00:59:59Z")) == 3600)
        #expect(rules.offset(at: t("2027-03-28T01:00:00Z")) == 7200)
        #expect(rules.offset(at: t("1945-06-01T00:00:00Z")) == 10800, "Central European Midsummer Time")
        #expect(rules.offset(at: t("1850-01-01T00:00:00Z")) == 3208, "local mean time: +0:53:28")
        #expect(rules.offset(at: t("2300-07-01T00:00:00Z")) == 7200, "footer")
    }

    @Test func versionOneUses32BitTimesAndNoFooter() throws {
        var b = TZifBuilder(version: 1)
        b.types = [(1800, 0), (3600, 0), (7200, 1)]
        b.transitions = [(-1_000_000_000, 1), (1_000_000_000, 2)]
        let rules = try TZifParser.parse(b.bytes)
        #expect(rules.footer == nil)
        #expect(rules.period(at: -1_000_000_001) == ZoneRules.Period(offset: 1800, isDaylightSaving: false))
        #expect(rules.offset(at: 0) == 3600)
        #expect(rules.period(at: 4_000_000_000) == ZoneRules.Period(offset: 7200, isDaylightSaving: true), "last type continues")
    }

    @Test(arguments: [UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4")])
    func laterVersionsRead64BitTimesAndTheFooter(version: UInt8) throws {
        var b = TZifBuilder(version: version)
        b.types = [(-18000, 0), (-14400, 1), (-18000, 0)]
        // One transition before 1901 only exists in the 64-bit block.
        b.transitions = [(-3_000_000_000, 2), (t("2030-03-10T07:00:00Z"), 1), (t("2030-11-03T06:00:00Z"), 2)]
        b.footer = "EST5EDT,M3.2.0,M11.1.0"
        let rules = try TZifParser.parse(b.bytes)
        #expect(rules.transitions.first == -3_000_000_000)
        #expect(rules.offset(at: t("2031-03-09T06:59:59Z")) == -18000)
        #expect(rules.offset(at: t("2031-03-09T07:00:00Z")) == -14400, "after the last transition the footer decides")
    }

    @Test func emptyFooterKeepsTheLastType() throws {
        var b = TZifBuilder()
        b.types = [(0, 0), (19800, 0)]
        b.transitions = [(0, 1)]
        #expect(try TZifParser.parse(b.bytes).offset(at: 4_000_000_000) == 19800)
    }

    @Test func noTransitionsTakesTheFooter() throws {
        var b = TZifBuilder()
        b.types = [(3600, 0)]
        b.footer = "<+01>-1"
        #expect(try TZifParser.parse(b.bytes).offset(at: 0) == 3600)
    }

    @Test func leapSecondTablesWithoutCorrectionsAreIgnored() throws {
        var b = TZifBuilder(version: UInt8(ascii: "4"))
        b.leapSeconds = [(t("2030-01-01T00:00:00Z"), 0)]   // a version 4 expiry record
        #expect(try TZifParser.parse(b.bytes).offset(at: 0) == 0)
        b.leapSeconds = [(78_796_800, 1)]
        #expect(throws: TZifParser.Failure.invalid("leap-second corrections (a \"right/\" zone) are not supported")) { try TZifParser.parse(b.bytes) }
        #expect(throws: TZifParser.Failure.self) { try TZifParser.parse(try systemFile("right/Europe/Berlin")) }
    }

    @Test func refusesInvalidFiles() throws {
        var b = TZifBuilder()
        b.types = [(0, 0), (3600, 0)]
        b.transitions = [(10, 1), (10, 0)]
        #expect(throws: TZifParser.Failure.invalid("transition times do not ascend")) { try TZifParser.parse(b.bytes) }
        b.transitions = [(10, 2)]
        #expect(throws: TZifParser.Failure.self) { try TZifParser.parse(b.bytes) }
        b.transitions = []
        b.types = [(0, 2)]
        #expect(throws: TZifParser.Failure.invalid("isdst 2 is neither 0 nor 1")) { try TZifParser.parse(b.bytes) }
        b.types = [(93_600, 0)]
        #expect(throws: TZifParser.Failure.invalid("offset 93600 out of range")) { try TZifParser.parse(b.bytes) }
        b.types = [(0, 0)]
        b.footer = "EST5EDT,M3.2.0"
        #expect(throws: TZifParser.Failure.self) { try TZifParser.parse(b.bytes) }
        b.footer = ""
        b.types = []
        #expect(throws: TZifParser.Failure.invalid("no local time types")) { try TZifParser.parse(b.bytes) }
        #expect(throws: TZifParser.Failure.notTZif) { try TZifParser.parse(Array("# tzdb zone.tab\n".utf8)) }
        #expect(throws: TZifParser.Failure.notTZif) { try TZifParser.parse([]) }
        var wrongVersion = TZifBuilder().bytes
        wrongVersion[4] = UInt8(ascii: "1")
        #expect(throws: TZifParser.Failure.invalid("unknown version")) { try TZifParser.parse(wrongVersion) }
    }

    @Test func everyTruncationOfARealFileIsAnError() throws {
        for name in ["Europe/Berlin", "America/New_York", "Etc/UTC"] {
            let bytes = try systemFile(name)
            _ = try TZifParser.parse(bytes)
            for length in 0..<bytes.count {
                #expect(throws: TZifParser.Failure.self, "\(name) cut to \(length) bytes") { try TZifParser.parse(Array(bytes[..<length])) }
            }
        }
        let v1 = TZifBuilder(version: 1, transitions: [(100, 0)]).bytes
        for length in 0..<v1.count {
            #expect(throws: TZifParser.Failure.self) { try TZifParser.parse(Array(v1[..<length])) }
        }
    }

    @Test func randomByteFlipsGiveAnErrorOrValidRules() throws {
        var rng = SplitMix64(seed: 0x7A1F)
        var accepted = 0
        for name in ["Europe/Berlin", "Australia/Lord_Howe"] {
            let original = try systemFile(name)
            for _ in 0..<1_500 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                }
                guard let rules = try? TZifParser.parse(bytes) else { continue }
                accepted += 1
                #expect(zip(rules.transitions, rules.transitions.dropFirst()).allSatisfy { $0 < $1 })
                for _ in 0..<8 {
                    let offset = rules.offset(at: Int64.random(in: -1 << 40...1 << 40, using: &rng))
                    #expect(abs(offset) < 26 * 3600)
                }
                _ = rules.offset(at: .max)
                _ = rules.offset(at: .min)
            }
        }
        // Flips in designations, indicators and most offsets leave a well-formed file.
        #expect(accepted > 0)
    }
}
