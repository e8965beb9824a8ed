import Foundation
import Synchronization
import Testing
import FrontdeskCore
@testable import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// The pieces of the write lock's wait that stand in for NSCondition, Thread and ISO8601DateFormatter.
@Suite struct LockWaitTests {
    @Test func conditionWaitTimesOutAtItsDeadline() {
        let c = Condition()
        c.lock()
        let start = LockFile.monotonic()
        var signalled = false
        while LockFile.monotonic() < start + 0.05 { signalled = c.wait(until: start + 0.05) || signalled }
        c.unlock()
        let waited = LockFile.monotonic() - start
        #expect(!signalled)
        #expect(waited >= 0.05 && waited < 1, "\(waited)")
    }

    @Test func detachedThreadRunsAndSignalWakesTheWaiter() {
        let c = Condition()
        let done = Mutex(false)
        c.lock()
        let error = DetachedThread.start {
            usleep(20_000)
            c.lock()
            done.withLock { $0 = true }
            c.signal()
            c.unlock()
        }
        #expect(error == nil)
        let start = LockFile.monotonic()
        while !done.withLock({ $0 }) && LockFile.monotonic() < start + 5 { c.wait(until: start + 5) }
        c.unlock()
        #expect(done.withLock { $0 })
        #expect(LockFile.monotonic() - start < 4, "the signal did not wake the wait")
    }

    @Test func busyLockNamesItsHolderAndAWaiterGetsItWhenReleased() throws {
        let dir = NSTemporaryDirectory() + "frontdesk-lockwait-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fs = RealFileSystem()
        // Two descriptions of one file: flock makes them exclude each other, even in one process.
        let holder = try LockFile(path: dir + "/LOCK", fs: fs)
        let waiter = try LockFile(path: dir + "/LOCK", fs: fs)
        let before = time(nil)
        try holder.acquire(operation: "book\nnow", user: "alice", timeout: 1)
        let start = LockFile.monotonic()
        var busy: String?
        do throws(StoreError) {
            try waiter.acquire(operation: "cancel", user: "bob", timeout: 0.2)
        } catch {
            if case .busy(let text) = error { busy = text }
        }
        let waited = LockFile.monotonic() - start
        #expect(!waiter.held)
        #expect(waited >= 0.2 && waited < 3, "\(waited)")
        let after = time(nil)
        let formatter = ISO8601DateFormatter()
        let candidates = (before...after).map { "held by alice (pid \(getpid()), book now) since \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval($0))))" }
        #expect(busy.map(candidates.contains) == true, "\(busy ?? "not busy")")
        // A waiter whose holder lets go within its timeout gets the lock.
        nonisolated(unsafe) let letGo = holder   // touched by that thread only, while this one waits
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { letGo.release() }
        try waiter.acquire(operation: "cancel", user: "bob", timeout: 5)
        #expect(waiter.held)
        #expect(waiter.holderDescription().hasPrefix("held by bob (pid \(getpid()), cancel) since "))
        waiter.release()
    }

    @Test func aDamagedHolderTimeIsNotATrap() throws {
        let dir = NSTemporaryDirectory() + "frontdesk-lockwait-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lock = try LockFile(path: dir + "/LOCK", fs: RealFileSystem())
        for time in ["nan", "1e300", "-inf", "x"] {
            try Data("bob 12 \(time) book".utf8).write(to: URL(fileURLWithPath: dir + "/LOCK"))
            #expect(lock.holderDescription() == "held by another process", "\(time)")
        }
        try Data("bob 12 1804755600.9 book\n".utf8).write(to: URL(fileURLWithPath: dir + "/LOCK"))
        #expect(lock.holderDescription() == "held by bob (pid 12, book) since 2027-03-11T09:00:00Z")
    }
}
