import Foundation
import Testing
@testable import FrontdeskCore

/// FrontdeskCore's TZif and POSIX-rule reading against glibc's, which reads the same files.
///
/// glibc runs in the `frontdesk-storetool tz-oracle` helper process (setenv and tzset are not
/// thread-safe, and suites run in parallel). Every TZif file under /usr/share/zoneinfo except
/// the posix/ and right/ trees is asked about at every transition between 1900 and 2100 and
/// the second before it (the footer rule's changes included, past the file's own), and at 40
/// random instants from 1850 to 2400 (before the first transition, and the footer far out).
@Suite struct ZoneOracleTests {
    static let zoneinfo = "/usr/share/zoneinfo"
    static let from1850: Int64 = -3_786_825_600, from1900: Int64 = -2_208_988_800
    static let until2100: Int64 = 4_102_444_800, until2400: Int64 = 13_569_465_600

    /// Names of the TZif files in the database, relative to it.
    static func zoneNames() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: zoneinfo) else { return [] }
        var names: [String] = []
        while let name = walker.nextObject() as? String {
            if name == "posix" || name == "right" { walker.skipDescendants(); continue }
            guard let f = FileHandle(forReadingAtPath: zoneinfo + "/" + name) else { continue }
            let magic = (try? f.read(upToCount: 4)) ?? nil
            try? f.close()
            if magic == Data("TZif".utf8) { names.append(name) }
        }
        return names.sorted()
    }

    /// A small deterministic generator, so a failure reproduces.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
    }

    /// The instants to ask about in one zone.
    static func instants(_ rules: ZoneRules, _ rng: inout Seeded) -> [Int64] {
        var out: [Int64] = []
        for t in rules.transitions where t >= from1900 && t < until2100 { out += [t - 1, t] }
        if let footer = rules.footer {
            let last = rules.transitions.last ?? from1900
            let firstYear = PosixTZRule.year(containing: max(last, from1900).floorDiv(86400))
            for year in firstYear...2100 {
                guard let changes = footer.changes(in: year) else { break }
                for t in [changes.start, changes.end] where t > last && t < until2100 { out += [t - 1, t] }
            }
        }
        for _ in 0..<40 { out.append(Int64.random(in: from1850..<until2400, using: &rng)) }
        return out
    }

    @Test func offsetsMatchGlibcForEveryZone() throws {
        let names = Self.zoneNames()
        #expect(names.count > 300, "expected the tz database at \(Self.zoneinfo)")
        let provider = ZoneInfoDirectory(location: Self.zoneinfo)
        var rng = Seeded(state: 0x5EED_2026)
        var asked: [(name: String, rules: ZoneRules, instants: [Int64])] = []
        var input = ""
        for name in names {
            let rules = try provider.rules(for: name)
            let instants = Self.instants(rules, &rng)
            asked.append((name, rules, instants))
            input += name
            for t in instants { input += " \(t)" }
            input += "\n"
        }

        let dir = Support.tempDir("tz-oracle")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(input.utf8).write(to: URL(fileURLWithPath: dir + "/in"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Support.tool)
        p.arguments = ["tz-oracle"]
        p.standardInput = FileHandle(forReadingAtPath: dir + "/in")
        _ = FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/out"))
        p.standardError = FileHandle.standardError
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let lines = Support.lines(dir + "/out")
        try #require(lines.count == asked.count, "one line per zone from the oracle")

        var compared = 0
        var offsetMismatches: [String] = []
        var dstMismatches: [String] = []
        for (line, zone) in zip(lines, asked) {
            let answers = line.split(separator: " ")
            #expect(answers.count == zone.instants.count, "\(zone.name)")
            for (answer, t) in zip(answers, zone.instants) where answer != "x" {
                let parts = answer.split(separator: ":")
                guard parts.count == 2, let offset = Int(parts[0]), let isDST = Int(parts[1]) else {
                    Issue.record("oracle said \(answer)"); continue
                }
                let ours = zone.rules.period(at: t)
                compared += 1
                let when = "\(zone.name) at \(Instant(seconds: t)) (\(t)): ours \(ours.offset)/\(ours.isDaylightSaving ? 1 : 0), glibc \(offset)/\(isDST)"
                if Int(ours.offset) != offset { offsetMismatches.append(when) }
                else if ours.isDaylightSaving != (isDST > 0) { dstMismatches.append(when) }
            }
        }
        print("ZoneOracleTests: \(names.count) zones, \(compared) instants compared with glibc")
        #expect(compared > 100_000)
        #expect(offsetMismatches.count == 0, "\(offsetMismatches.count) offsets differ, e.g.\n\(offsetMismatches.prefix(20).joined(separator: "\n"))")
        #expect(dstMismatches.count == 0, "\(dstMismatches.count) DST flags differ, e.g.\n\(dstMismatches.prefix(20).joined(separator: "\n"))")
    }
}
