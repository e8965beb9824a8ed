import Foundation
import Synchronization
import Testing
@testable import FrontdeskTUI
#if canImport(Glibc)
import Glibc
#endif

/// `StandardStream`, used instead of `FileHandle.standardOutput/Error/Input`: every byte gets
/// out through signals and partial writes, and a vanished reader is not a crash.
@Suite(.serialized) struct StandardStreamTests {
    /// A pipe's two descriptors.
    static func pipePair() -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        return (fds[0], fds[1])
    }

    @Test func writesEverythingThroughPartialWritesAndEINTR() throws {
        // A handler without SA_RESTART: a signal during a blocked write(2) makes it return
        // early, with a partial count or with EINTR.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        action.sa_flags = 0
        var previous = sigaction()
        sigaction(SIGUSR1, &action, &previous)
        defer { sigaction(SIGUSR1, &previous, nil) }

        let (r, w) = Self.pipePair()
        defer { close(r) }
        let payload = (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let writer = Mutex<pthread_t?>(nil)
        let result = Mutex<Bool?>(nil)
        let thread = Thread {
            // Threads started from the test's (Dispatch) thread inherit its blocked signals.
            var unblock = sigset_t()
            sigemptyset(&unblock)
            sigaddset(&unblock, SIGUSR1)
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
            writer.withLock { $0 = pthread_self() }
            let ok = StandardStream(descriptor: w).write(payload)
            close(w)
            result.withLock { $0 = ok }
        }
        thread.start()
        while writer.withLock({ $0 }) == nil { usleep(1000) }
        let target = writer.withLock { $0! }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        var signals = 0
        while true {
            // The reader is slow, so the pipe (64 KiB) stays full and the writer sits blocked in
            // write(2) when a signal comes. Two signals between reads: the first ends a call that
            // wrote part of its bytes (it returns the count), the second the next call, blocked
            // before writing anything (it fails with EINTR).
            for _ in 0..<2 {
                if result.withLock({ $0 }) == nil { pthread_kill(target, SIGUSR1); signals += 1 }
                usleep(500)
            }
            let n = read(r, &buffer, buffer.count)
            if n > 0 { received += buffer[0..<n] } else if n == 0 { break } else if errno != EINTR { Issue.record("read: \(errno)"); break }
        }
        #expect(result.withLock { $0 } == true)
        // Plain Bools: an #expect on the arrays themselves would print megabytes on failure.
        let sameCount = received.count == payload.count, sameBytes = received == payload
        #expect(sameCount, "received \(received.count) of \(payload.count) bytes")
        #expect(sameBytes)
        #expect(signals > 10)
    }

    @Test func aClosedReaderIsFalseNotACrash() {
        let old = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, old) }
        let (r, w) = Self.pipePair()
        close(r)
        #expect(StandardStream(descriptor: w).write("nobody reads this\n") == false)
        close(w)
        #expect(StandardStream(descriptor: w).write("closed descriptor\n") == false)
    }

    @Test func readToEndReadsEverything() throws {
        let (r, w) = Self.pipePair()
        let payload = Array(repeating: Array("line of text\n".utf8), count: 20_000).flatMap { $0 }
        let thread = Thread {
            _ = StandardStream(descriptor: w).write(payload)
            close(w)
        }
        thread.start()
        let got = try StandardStream(descriptor: r).readToEnd()
        close(r)
        let same = got == payload
        #expect(same, "read \(got.count) of \(payload.count) bytes")
        #expect(throws: StandardStream.ReadError.self) { try StandardStream(descriptor: -1).readToEnd() }
    }
}
