import Foundation
import Synchronization
import Testing
@testable import FrontdeskCore

/// A provider serving fixed bytes and counting what it was asked.
final class FakeZoneProvider: ZoneRulesProvider {
    let location = "/fake/zoneinfo"
    let files: [String: [UInt8]]
    let configured: String?
    let asked = Mutex<[String]>([])

    init(files: [String: [UInt8]], configured: String? = nil) {
        self.files = files
        self.configured = configured
    }

    func rules(for identifier: String) throws(ZoneLookupError) -> ZoneRules {
        asked.withLock { $0.append(identifier) }
        guard let bytes = files[identifier] else { throw .unknown(identifier) }
        do { return try TZifParser.parse(bytes) } catch { throw .unreadable(identifier, path: location + "/" + identifier, reason: error.description) }
    }

    func configuredLocalIdentifier() -> String? { configured }
}

@Suite struct ZoneDatabaseTests {
    static let plusOne = TZifBuilder(types: [(3600, 0)], footer: "<+01>-1").bytes

    @Test(arguments: [
        "", "/", "/etc/localtime", "../../etc/passwd", "Europe/../../x", "Europe/./Berlin", "Europe/..", "./Europe/Berlin",
        "Europe//Berlin", "Europe/Berlin/", "Europe/Ber lin", "Europe/Berlin\0", "Europe\\Berlin", "EST", "GMT", "utc",
        "Europe/Berlin\n", "Europe/Bérlin", "~/Europe/Berlin", "Europe/*", String(repeating: "A/", count: 128) + "B",
    ])
    func refusesNamesThatAreNotIANAStyle(_ name: String) {
        #expect(!ZoneDatabase.isValidIdentifier(name))
        let db = ZoneDatabase(provider: FakeZoneProvider(files: [:]))
        #expect(throws: ZoneLookupError.invalidIdentifier(name)) { try db.zone(name).get() }
        #expect(Zone(name) == nil)
    }

    @Test(arguments: ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Etc/GMT-14", "America/Port-au-Prince", "posix/Europe/Berlin"])
    func acceptsIANANames(_ name: String) {
        #expect(ZoneDatabase.isValidIdentifier(name))
    }

    @Test func utcNeedsNoDatabase() throws {
        let db = ZoneDatabase(provider: ZoneInfoDirectory(location: "/nonexistent/zoneinfo"))
        let utc = try db.zone("UTC").get()
        #expect(utc == .utc)
        #expect(utc.offset(at: Instant(seconds: 1_800_000_000)) == 0)
    }

    @Test func aMissingDatabaseIsNamedAsTheCause() {
        let db = ZoneDatabase(provider: ZoneInfoDirectory(location: "/nonexistent/zoneinfo"))
        let failure = ZoneLookupError.noDatabase("Europe/Berlin", location: "/nonexistent/zoneinfo")
        #expect(throws: failure) { try db.zone("Europe/Berlin").get() }
        #expect(failure.description == "unknown time zone \"Europe/Berlin\" (no tz database at /nonexistent/zoneinfo: install the tzdata package)")
    }

    @Test func unknownNamesDirectoriesAndOtherFilesAreUnknown() {
        let db = ZoneDatabase(provider: ZoneInfoDirectory.system)
        for name in ["Europe/Atlantis", "America/Argentina", "Europe/Berlin/x"] {
            #expect(throws: ZoneLookupError.unknown(name)) { try db.zone(name).get() }
        }
        #expect(ZoneLookupError.unknown("Europe/Atlantis").description == "unknown time zone \"Europe/Atlantis\" (expected an IANA name such as Europe/London)")
    }

    @Test func damagedFilesSayWhy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zonedb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/Area", withIntermediateDirectories: true)
        let cut = Array(Self.plusOne.dropLast(3))
        try Data(cut).write(to: URL(fileURLWithPath: dir + "/Area/Cut"))
        try Data("# not TZif\n".utf8).write(to: URL(fileURLWithPath: dir + "/Area/README"))
        try Data(Self.plusOne).write(to: URL(fileURLWithPath: dir + "/Area/Fine"))
        let db = ZoneDatabase(provider: ZoneInfoDirectory(location: dir))
        #expect(throws: ZoneLookupError.unreadable("Area/Cut", path: dir + "/Area/Cut", reason: "truncated TZif file")) { try db.zone("Area/Cut").get() }
        #expect(throws: ZoneLookupError.unknown("Area/README"), "a file that is not TZif is no zone") { try db.zone("Area/README").get() }
        #expect(try db.zone("Area/Fine").get().offset(at: Instant(seconds: 0)) == 3600)
    }

    @Test func rulesAreReadOnceAndShared() throws {
        let provider = FakeZoneProvider(files: ["Area/One": Self.plusOne])
        let db = ZoneDatabase(provider: provider)
        let a = try db.zone("Area/One").get()
        let b = try db.zone("Area/One").get()
        #expect(a == b && a.rules === b.rules)
        #expect(a.offset(at: Instant(seconds: 0)) == 3600)
        _ = db.zone("UTC")
        #expect(provider.asked.withLock { $0 } == ["Area/One"], "UTC never reaches the provider; a cached zone is not read again")
        // Installing another provider forgets the cache.
        let other = FakeZoneProvider(files: ["Area/One": TZifBuilder(types: [(7200, 0)], footer: "<+02>-2").bytes])
        db.install(other)
        #expect(try db.zone("Area/One").get().offset(at: Instant(seconds: 0)) == 7200)
        #expect(a.offset(at: Instant(seconds: 0)) == 3600, "zones already made keep their rules")
    }

    @Test func concurrentLookupsAgree() async throws {
        let db = ZoneDatabase(provider: ZoneInfoDirectory.system)
        let names = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Lord_Howe"]
        let offsets = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<8 {
                group.addTask { names.map { try! db.zone($0).get().offset(at: Instant(seconds: 1_800_000_000)) } }
            }
            return await group.reduce(into: [[Int]]()) { $0.append($1) }
        }
        #expect(Set(offsets).count == 1)
    }

    @Test func theSharedDatabaseReadsTheSystemsFiles() throws {
        let berlin = try #require(Zone("Europe/Berlin"))
        #expect(berlin.offset(at: Instant(iso8601: "2027-07-01T00:00:00Z")!) == 7200)
        #expect(Zone("Europe/Berlin")?.rules === berlin.rules)
    }

    /// A scratch zoneinfo directory with two zones, an `Etc/GMT`, and a place for the links.
    struct Machine {
        let root: String
        var zoneinfo: String { root + "/usr/share/zoneinfo" }
        var provider: ZoneInfoDirectory {
            ZoneInfoDirectory(location: zoneinfo, localtimeLink: root + "/etc/localtime", timezoneFile: root + "/etc/timezone")
        }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("zonedb-\(UUID().uuidString)").path
            let fm = FileManager.default
            for dir in ["/etc", "/usr/share/zoneinfo/Europe", "/usr/share/zoneinfo/America", "/usr/share/zoneinfo/Etc"] {
                try fm.createDirectory(atPath: root + dir, withIntermediateDirectories: true)
            }
            for name in ["Europe/Berlin", "America/New_York", "Etc/GMT"] {
                try fm.copyItem(atPath: "/usr/share/zoneinfo/" + name, toPath: zoneinfo + "/" + name)
            }
        }

        func link(_ target: String) throws {
            try FileManager.default.createSymbolicLink(atPath: root + "/etc/localtime", withDestinationPath: target)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func localZoneFollowsTZThenTheLinkThenTheTextFile() throws {
        let m = try Machine()
        defer { m.remove() }
        var db = ZoneDatabase(provider: m.provider)
        #expect(db.localZone(tz: nil) == .utc, "nothing configured")
        try Data("America/New_York\n".utf8).write(to: URL(fileURLWithPath: m.root + "/etc/timezone"))
        db = ZoneDatabase(provider: m.provider)
        #expect(db.localZone(tz: nil).identifier == "America/New_York", "/etc/timezone")
        try m.link(m.zoneinfo + "/Europe/Berlin")
        #expect(db.localZone(tz: nil).identifier == "Europe/Berlin", "the link wins over /etc/timezone")
        #expect(db.localZone(tz: "").identifier == "UTC", "empty TZ is UTC")
        #expect(db.localZone(tz: ":").identifier == "UTC")
        #expect(db.localZone(tz: "America/New_York").identifier == "America/New_York")
        #expect(db.localZone(tz: ":America/New_York").identifier == "America/New_York")
        #expect(db.localZone(tz: m.zoneinfo + "/America/New_York").identifier == "America/New_York")
        #expect(db.localZone(tz: ":" + m.zoneinfo + "/America/New_York").identifier == "America/New_York")
        #expect(db.localZone(tz: "posix/America/New_York").identifier == "America/New_York")
        #expect(db.localZone(tz: "GMT").identifier == "Etc/GMT")
        #expect(db.localZone(tz: "UTC").identifier == "UTC")
        // What names no zone falls back to the machine's: a POSIX rule, a path elsewhere, garbage.
        for tz in ["EST5EDT,M3.2.0,M11.1.0", "/etc/passwd", "/elsewhere/zoneinfo/America/New_York", "America/Atlantis", "../../x"] {
            #expect(db.localZone(tz: tz).identifier == "Europe/Berlin", "TZ=\(tz)")
        }
    }

    @Test func relativeLinksAndLinksIntoPosixWork() throws {
        let m = try Machine()
        defer { m.remove() }
        try m.link("../usr/share/zoneinfo/posix/America/New_York")
        #expect(ZoneDatabase(provider: m.provider).localZone(tz: nil).identifier == "America/New_York")
        #expect(ZoneInfoDirectory.afterZoneinfo("/a/zoneinfo/b/zoneinfo/Europe/Berlin") == "Europe/Berlin")
        #expect(ZoneInfoDirectory.afterZoneinfo("/etc/zoneinfo") == "")
    }
}
