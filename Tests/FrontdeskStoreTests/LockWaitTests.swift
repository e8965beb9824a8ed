import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskSystem
#if canImport(Glibc)
import Glibc
#endif

/// The pieces of the write lock's wait (a thread, a wait for its result with a deadline) and the
/// holder's note.
@Suite struct LockWaitTests {
    @Test func completionWaitTimesOutAtItsDeadline() {
        let c = Completion<Bool>()
        let start = LockFile.monotonic()
        let got = c.wait(timeout: 0.05)
        let waited = LockFile.monotonic() - start
        #expect(got == nil)
        // Never before the deadline; the upper bound only catches a wait that never ends.
        #expect(waited >= 0.05 && waited < 60, "\(waited)")
    }

    @Test func detachedThreadRunsAndCompletionWakesTheWaiter() {
        let c = Completion<Bool>()
        let error = DetachedThread.start {
            usleep(20_000)
            c.complete(true)
        }
        #expect(error == nil)
        let start = LockFile.monotonic()
        // The deadline only keeps a lost completion from hanging the run.
        #expect(c.wait(timeout: 60) == true)
        #expect(LockFile.monotonic() - start < 60, "the completion did not wake the wait")
        #expect(c.wait() == true, "a second wait returns the value at once")
    }

    @Test func anAbandonedWaitLeavesTheValueToItsMaker() {
        let c = Completion<Int>()
        #expect(c.abandon() == nil)
        #expect(!c.complete(1), "nobody takes a value after the wait was abandoned")
        let done = Completion<Int>()
        #expect(done.complete(2))
        #expect(done.abandon() == 2, "a value that came before the abandon is taken")
        #expect(!done.complete(3))
    }

    @Test func wakeupMergesTheNudgesGivenWhileNobodyWaits() {
        let w = Wakeup()
        #expect(!w.wait(timeout: 0), "no nudge yet")
        w.signal()
        w.signal()
        w.signal()
        #expect(w.wait(timeout: 0), "the nudges given before the wait wake it")
        #expect(!w.wait(timeout: 0), "three nudges before one wait wake it once")
        w.signal()
        #expect(w.wait(timeout: 0), "a nudge after a wait wakes the next wait")
    }

    @Test func wakeupWakesAWaiterOnAnotherThread() {
        let w = Wakeup()
        let rounds = 50
        let done = Completion<Bool>()
        let error = DetachedThread.start {
            for _ in 0..<rounds { w.signal(); usleep(200) }
            done.complete(true)
            w.signal()   // so the waiter wakes once more after `done`
        }
        #expect(error == nil)
        var woken = 0
        // The deadline only keeps a lost nudge from hanging the run: a wait that times out ends
        // the loop with `done` incomplete or too few wake-ups, which the expectations catch.
        while w.wait(timeout: 60) {
            woken += 1
            if done.isComplete { break }
        }
        #expect(done.isComplete, "a nudge was lost: the waiter timed out")
        #expect(woken >= 1 && woken <= rounds + 1, "\(woken) wake-ups for \(rounds + 1) nudges")
    }

    @Test func parallelWorkKeepsTheOrderAndTheFirstError() {
        struct Failure: Error, Equatable { var index: Int }
        #expect(ParallelWork.map(count: 100) { $0 * 2 } == (0..<100).map { $0 * 2 })
        #expect(throws: Failure(index: 3)) {
            try ParallelWork.map(count: 50) { (i: Int) throws(Failure) -> Int in
                if i == 3 || i == 40 { throw Failure(index: i) }
                return i
            }
        }
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
        // Not refused before its timeout; the upper bound only catches a wait that never ends.
        #expect(waited >= 0.2 && waited < 60, "\(waited)")
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
