import Dispatch
import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

/// The real file system, except that calls from any thread but the one that created it wait
/// for a permit: a test thread steps a background compaction one file operation at a time and
/// acts on the same store between two steps.
final class SteppedFileSystem: FileSystem, @unchecked Sendable {
    // @unchecked: `owner` is set once; the semaphores are thread-safe.
    let real = RealFileSystem()
    let owner = pthread_self()
    /// Signalled by a non-owner thread when it is about to perform an operation.
    let arrived = DispatchSemaphore(value: 0)
    /// Signalled by the test to let one operation through.
    let permit = DispatchSemaphore(value: 0)

    func step() {
        guard pthread_equal(pthread_self(), owner) == 0 else { return }
        arrived.signal()
        permit.wait()
    }

    func open(_ path: String, flags: Int32, mode: UInt32) throws(StoreError) -> OpenFile { step(); return try real.open(path, flags: flags, mode: mode) }
    func close(_ file: OpenFile) { real.close(file) }
    func pwrite(_ file: OpenFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(StoreError) -> Int { step(); return try real.pwrite(file, bytes, at: offset) }
    func pread(_ file: OpenFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(StoreError) -> Int { try real.pread(file, into: buffer, at: offset) }
    func fsync(_ file: OpenFile) throws(StoreError) { step(); try real.fsync(file) }
    func fdatasync(_ file: OpenFile) throws(StoreError) { step(); try real.fdatasync(file) }
    func ftruncate(_ file: OpenFile, to size: Int64) throws(StoreError) { step(); try real.ftruncate(file, to: size) }
    func size(_ file: OpenFile) throws(StoreError) -> Int64 { try real.size(file) }
    func flock(_ file: OpenFile, _ operation: Int32) throws(StoreError) -> Bool { step(); return try real.flock(file, operation) }
    func rename(_ from: String, to: String) throws(StoreError) { step(); try real.rename(from, to: to) }
    func link(_ from: String, to: String) throws(StoreError) { step(); try real.link(from, to: to) }
    func unlink(_ path: String) throws(StoreError) { step(); try real.unlink(path) }
    func mkdir(_ path: String, mode: UInt32) throws(StoreError) { step(); try real.mkdir(path, mode: mode) }
    func rmdir(_ path: String) throws(StoreError) { step(); try real.rmdir(path) }
    func chmod(_ path: String, mode: UInt32) throws(StoreError) { step(); try real.chmod(path, mode: mode) }
    func fsyncDirectory(_ path: String) throws(StoreError) { step(); try real.fsyncDirectory(path) }
    func syncFileSystem(_ anchor: OpenFile) throws(StoreError) { step(); try real.syncFileSystem(anchor) }
    var syncsWholeFileSystem: Bool { real.syncsWholeFileSystem }
    func list(_ path: String) throws(StoreError) -> [String] { step(); return try real.list(path) }
    func stat(_ path: String) -> (isDirectory: Bool, size: Int64, inode: UInt64)? { real.stat(path) }
    func modificationTime(_ path: String) -> Double? { real.modificationTime(path) }
    func fileSystemType(_ path: String) throws(StoreError) -> Int64 { try real.fileSystemType(path) }
}

/// A compaction's generation is written on a background thread while the same store goes on
/// writing: what it writes is exactly the state at its boundary, what changed after the
/// boundary is still newer in memory once the store adopts the generation, and nothing
/// acknowledged is ever missing for a reader.
@Suite struct BackgroundCompactionTests {
    /// Every booking in a generation's partitions, by id.
    static func bookings(in gen: Generation) throws -> [BookingID: Booking] {
        var out: [BookingID: Booking] = [:]
        for key in try gen.manifest.partitions() {
            for b in try gen.partition(key, fs: RealFileSystem()) { out[b.id] = b }
        }
        return out
    }

    /// The references of bookings that differ between two maps (empty when equal), so a
    /// failure names them instead of printing every booking.
    static func differences(_ a: [BookingID: Booking], _ b: [BookingID: Booking]) -> [String] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.map { (a[$0] ?? b[$0])!.ref }.sorted()
    }

    @Test func theSameStoreWritesBetweenEveryStepOfItsBackgroundCompaction() throws {
        let dir = Support.tempDir("bg-compaction")
        defer { Support.remove(dir) }
        let fs = SteppedFileSystem()
        var options = Support.options(fs, compactAfter: 12)
        options.compactInBackground = true
        let (store, r1) = try Support.newStore(dir, options: options)
        let r2 = try Support.addResource(store, "Room 2")
        let rs = [r1, r2]

        // Fill the segment until a write starts the compaction (it returns at once).
        var acknowledged: [BookingID: Booking] = [:]
        var hour: Int64 = 0
        while store.backgroundCompaction == nil {
            let b = try Support.book(store, rs[Int(hour) % 2], Support.slot(hour * 30))
            acknowledged[b.id] = b
            hour += 1
            #expect(hour < 40, "no compaction started")
            if hour >= 40 { return }
        }
        let boundary = store.backgroundCompaction!.job.boundary
        #expect(boundary == store.lastSequence)
        let atBoundary = acknowledged
        let generationBefore = store.generation.manifest.generation

        // Step the compaction one file operation at a time; between two steps, this thread
        // books, reschedules or cancels on the same store and a fresh reader checks everything.
        var steps = 0
        var changedAfter: Set<BookingID> = []
        var before = Array(atBoundary.keys).sorted { $0.rawValue < $1.rawValue }
        while true {
            if fs.arrived.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
                if store.backgroundCompaction?.job.isFinished ?? true { break }
                continue
            }
            steps += 1
            switch steps % 3 {
            case 0:
                let b = try Support.book(store, rs[steps % 2], Support.slot(1000 + Int64(steps) * 30))
                acknowledged[b.id] = b
                changedAfter.insert(b.id)
            case 1 where !before.isEmpty:
                let id = before.removeFirst()
                let to = Support.slot(2000 + Int64(steps) * 30)
                let moved = try store.write("reschedule", .reschedule(id, to: to, resource: nil, scope: .this)) { s, e throws(CoreError) in
                    try e.reschedule(id, to: to, in: s, by: Support.actor)
                }[0]
                acknowledged[moved.id] = moved
                changedAfter.insert(moved.id)
            case 2 where !before.isEmpty:
                let id = before.removeFirst()
                let cancelled = try store.write("cancel", .cancel(id)) { s, e throws(CoreError) in
                    try e.cancel(id, reason: "test", in: s, by: Support.actor)
                }[0]
                acknowledged[cancelled.id] = cancelled
                changedAfter.insert(cancelled.id)
            default:
                break
            }
            let reader = try Support.reopen(dir)
            #expect(!reader.isReadOnly, "step \(steps): \(reader.readOnlyReason ?? "")")
            for (id, b) in acknowledged {
                #expect(reader.state.bookings[id] == b, "step \(steps): the reader has \(String(describing: reader.state.bookings[id]?.ref)) for \(b.ref)")
            }
            fs.permit.signal()
        }
        #expect(steps > 20, "the compaction took only \(steps) steps")

        // Adopted at the next read: the generation holds exactly the state at the boundary.
        _ = try store.refresh()
        #expect(store.backgroundCompaction == nil)
        #expect(store.notices.allSatisfy { !$0.contains("compaction failed") }, "\(store.notices)")
        #expect(store.generation.manifest.generation == generationBefore + 1)
        #expect(store.generation.manifest.lastSequence == boundary)
        #expect(Self.differences(try Self.bookings(in: store.generation), atBoundary) == [])
        // What changed after the boundary is what memory still holds as newer than the files.
        #expect(store.touched == changedAfter)

        // The next compaction (on this thread) folds those changes in; a fresh open agrees.
        try store.compact()
        let reopened = try Support.reopen(dir)
        #expect(Self.differences(reopened.state.bookings, acknowledged) == [])
        #expect(Self.differences(try Self.bookings(in: reopened.generation), acknowledged) == [])
        #expect(Self.differences(store.state.bookings, acknowledged) == [])
    }

    /// A store released (or told to finish) while its compaction runs waits for it: the
    /// generation at the boundary is on disk when `waitForBackgroundWork` returns.
    @Test func waitingForBackgroundWorkLeavesTheGenerationOnDisk() throws {
        let dir = Support.tempDir("bg-compaction-wait")
        defer { Support.remove(dir) }
        var options = Support.options(compactAfter: 6)
        options.compactInBackground = true
        let (store, r1) = try Support.newStore(dir, options: options)
        var hour: Int64 = 0
        while store.backgroundCompaction == nil && hour < 40 {
            try Support.book(store, r1, Support.slot(hour))
            hour += 1
        }
        let boundary = try #require(store.backgroundCompaction?.job.boundary)
        store.waitForBackgroundWork()
        #expect(store.backgroundCompaction == nil)
        let newest = try #require(try Generation.list(dir + "/snapshots", fs: RealFileSystem()).first)
        let gen = try Generation.open(dir + "/snapshots/" + Manifest.name(newest), fs: RealFileSystem())
        #expect(gen.manifest.lastSequence == boundary)
        #expect(store.generation.manifest.generation == newest)
    }
}
