import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting
#if canImport(Glibc)
import Glibc
#endif

/// Shared fixtures: temporary store directories, a resource, booking helpers, helper processes.
enum Support {
    static let actor = Author(user: "test", origin: "local", source: .cli)
    /// 2027-01-01T00:00:00Z, the fixed "now" of in-process tests.
    static let now = Instant(seconds: 1_798_761_600)
    static let stress = ProcessInfo.processInfo.environment["FRONTDESK_STRESS"] == "1"

    static func tempDir(_ name: String) -> String {
        let base = FileManager.default.temporaryDirectory.path + "/frontdesk-store-tests"
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let path = base + "/\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// Whether `condition` holds, polled every 10 ms until it does. The minute's limit only
    /// keeps a broken build from hanging the run; it is no timing check.
    static func eventually(_ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(60)
        while !condition() && Date() < end { usleep(10_000) }
        return condition()
    }

    static func copy(_ from: String, _ to: String) {
        remove(to)
        try! FileManager.default.copyItem(atPath: from, toPath: to)
    }

    /// Segments are preallocated 4 KiB at a time (the default is 320 KiB): small enough that the
    /// crash and damage tests, which copy and checksum whole files, stay fast, and that a few
    /// records fill it, so writes both overwrite padding and extend segments.
    ///
    /// Sharded tables start at `minimumShards` shards (the default is 16): two, so that a
    /// compaction of a small store still both rewrites a shard and links an unchanged one of
    /// each table, while the crash tests, which fault every file operation, do not repeat each
    /// one for 16 equivalent shards. Tests of shard counts and growth pass
    /// ``productionShards``.
    static func options(_ fs: any FileSystem = RealFileSystem(), rotate: Int64 = 64 << 20, compactAfter: Int = 10_000,
                        preallocate: Int64 = 4096, minimumShards: Int = 2) -> StoreOptions {
        var o = StoreOptions(lockTimeout: 10, compactAfterRecords: compactAfter, rotateAfterBytes: rotate, preallocateBytes: preallocate,
                             fileSystem: fs, user: "test", identifiers: RandomIdentifierSource())
        o.minimumShards = minimumShards
        return o
    }

    /// The minimum shard count of a store made with default options.
    static let productionShards = StoreOptions().minimumShards

    /// A new store with one resource; returns the store and the resource id.
    static func newStore(_ dir: String, options: StoreOptions? = nil) throws -> (Store, ResourceID) {
        let store = try Store.create(at: dir, clock: FixedClock(now), options: options ?? Self.options())
        let r = try addResource(store, "Room 1")
        return (store, r)
    }

    static func addResource(_ store: Store, _ name: String) throws -> ResourceID {
        try store.write("add resource", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: name, zone: .utc), in: s, by: actor)
        }.id
    }

    static func slot(_ hour: Int64, minutes: Int64 = 30) -> TimeRange {
        let start = now + .days(31) + .hours(hour)
        return TimeRange(start: start, end: start + .minutes(minutes))
    }

    @discardableResult
    static func book(_ store: Store, _ resource: ResourceID, _ range: TimeRange) throws -> Booking {
        let request = BookingRequest(resource: resource, range: range)
        return try store.write("book", .book(request)) { s, e throws(CoreError) in
            try e.book(request, in: s, by: actor)
        }.bookings[0]
    }

    static let everything = TimeRange(start: Instant(seconds: 0), end: Instant(seconds: 4_102_444_800))

    /// Opens with the real file system (or `fs`) and loads every partition and every customer.
    static func reopen(_ dir: String, fs: any FileSystem = RealFileSystem()) throws -> Store {
        let s = try Store.open(at: dir, clock: FixedClock(now), options: options(fs))
        try s.load(resources: nil, range: everything)
        _ = try s.allCustomers()
        return s
    }

    /// Opens like ``reopen(_:fs:)`` through a `FaultyFileSystem` that injects nothing: the
    /// same operations on the same files, its syncs modelled rather than made. The crash
    /// tests check hundreds of recovered stores (open, check, write, compact, open again),
    /// and a real sync on a shared disk waits for every other process's writes.
    static func reopenModelled(_ dir: String) throws -> Store { try reopen(dir, fs: FaultyFileSystem()) }

    /// The helper executable, built next to the test bundle.
    static var tool: String {
        var dir = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        for _ in 0..<4 {
            dir.deleteLastPathComponent()
            let candidate = dir.appendingPathComponent("frontdesk-storetool").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return CommandLine.arguments[0]
    }

    /// Starts the helper with its stdout captured into a file (read after it ends).
    static func spawn(_ args: [String], output: String, compactAfter: Int? = nil) throws -> Process {
        let p = Process()
        if let compactAfter {
            var env = ProcessInfo.processInfo.environment
            env["FRONTDESK_COMPACT_AFTER"] = String(compactAfter)
            p.environment = env
        }
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        p.standardError = FileHandle.standardError
        try p.run()
        return p
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
