import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The store's write lock: `flock(LOCK_EX)` on `<dir>/LOCK`, a file that is never renamed or
/// deleted and is opened `O_CLOEXEC`. The kernel drops the lock when the holder dies, so there
/// are no stale locks. The holder writes who it is into the file for "busy" messages.
package final class LockFile {
    let file: OpenFile
    let path: String
    let fs: any FileSystem
    package private(set) var held = false
    /// The descriptor a blocking wait acquired the lock on (released by closing it), if any.
    private var waited: OpenFile?
    /// Whether our last acquisition had to wait, and when we last let go: a process writing in a
    /// loop under contention pauses briefly before retaking the lock, because flock has no
    /// queue and the releasing process would otherwise win again before woken waiters run.
    private var lastWaited = false
    private var lastRelease: Double = 0
    private var holderPrefix: (user: String, bytes: [UInt8])?

    static func monotonic() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    package init(path: String, fs: any FileSystem) throws(StoreError) {
        self.fs = fs
        self.path = path
        file = try fs.open(path, flags: O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o660)
    }

    deinit {
        release()
        fs.close(file)
    }

    /// A blocking `flock` running on a helper thread, which the caller may abandon at its deadline.
    private final class Wait: @unchecked Sendable {
        // @unchecked: every field is read and written under `condition`.
        let condition = Condition()
        var granted = false
        var abandoned = false
        var failed = false
    }

    /// Tries once without blocking; true if the lock is now held.
    package func tryAcquire(operation: String, user: String) throws(StoreError) -> Bool {
        guard try fs.flock(file, LOCK_EX | LOCK_NB) else { return false }
        held = true
        writeHolder(file, operation: operation, user: user)
        return true
    }

    /// Writes "user pid unix-time operation" padded to a fixed 160 bytes, so the file's size
    /// never changes after the first time (one pwrite, no ftruncate, in every write's path).
    private func writeHolder(_ f: OpenFile, operation: String, user: String) {
        // "user pid " is the same for every write of this process: built once, not per commit.
        if holderPrefix?.user != user { holderPrefix = (user, Array("\(user) \(getpid()) ".utf8)) }
        var text = holderPrefix!.bytes
        text.reserveCapacity(160)
        text += String(time(nil)).utf8
        text.append(0x20)
        for b in operation.utf8 { text.append(b == 0x0A ? 0x20 : b) }
        if text.count > 159 { text.removeLast(text.count - 159) }
        text += [UInt8](repeating: 0x20, count: 159 - text.count) + [0x0A]
        try? fs.writeAll(f, text, at: 0)
    }

    /// Takes the lock: `LOCK_NB` first; if busy, a blocking `flock` on a fresh descriptor in a
    /// helper thread (so waiters queue in the kernel instead of polling, which starved some
    /// writers), abandoned after `timeout` seconds with `.busy` naming the holder. An abandoned
    /// wait that later gets the lock lets go of it at once by closing its descriptor.
    ///
    /// `whileWaiting` runs on the calling thread as soon as the lock is found busy and then
    /// about every `pollInterval` seconds while it stays busy (the store reads the records
    /// other writers append meanwhile, so the critical section only decodes the last one or
    /// two); never when the first try takes the lock.
    package func acquire(operation: String, user: String, timeout: Double, pollInterval: Double = 0.001,
                         whileWaiting: () -> Void = {}) throws(StoreError) {
        if lastWaited && LockFile.monotonic() - lastRelease < 0.002 { usleep(500) }
        if try tryAcquire(operation: operation, user: user) { lastWaited = false; return }
        lastWaited = true
        whileWaiting()
        let deadline = LockFile.monotonic() + timeout
        let extra = try fs.open(path, flags: O_RDWR | O_CLOEXEC, mode: 0)
        let wait = Wait()
        let fs = self.fs
        let started = DetachedThread.start {
            let ok = (try? fs.flock(extra, LOCK_EX)) ?? false
            wait.condition.lock()
            if wait.abandoned || !ok { fs.close(extra) } else { wait.granted = true }
            wait.failed = !ok
            wait.condition.signal()
            wait.condition.unlock()
        }
        if let error = started {
            fs.close(extra)
            throw .io(op: "start the lock wait (pthread_create)", path: path, errno: error)
        }
        wait.condition.lock()
        while !wait.granted && !wait.failed && LockFile.monotonic() < deadline {
            wait.condition.wait(until: min(deadline, LockFile.monotonic() + pollInterval))
            if !wait.granted && !wait.failed {
                wait.condition.unlock()
                whileWaiting()
                wait.condition.lock()
            }
        }
        if wait.granted {
            wait.condition.unlock()
            waited = extra
            held = true
            writeHolder(extra, operation: operation, user: user)
            return
        }
        wait.abandoned = true
        wait.condition.unlock()
        throw .busy(holder: holderDescription())
    }

    package func release() {
        guard held else { return }
        held = false
        if let w = waited {
            waited = nil
            _ = try? fs.flock(w, LOCK_UN)
            fs.close(w)
        } else {
            _ = try? fs.flock(file, LOCK_UN)
        }
        lastRelease = LockFile.monotonic()
    }

    /// "held by alice (pid 42, book) since 2027-03-01T09:00:00Z", from the lock file's text.
    package func holderDescription() -> String {
        guard let bytes = try? fs.readAll(file, from: 0) else { return "held by another process" }
        let parts = String(decoding: bytes, as: UTF8.self).trimming(.whitespacesAndNewlines)
            .split(separator: " ", maxSplits: 3).map(String.init)
        // The bound keeps a damaged file's "nan" or "1e300" from trapping the conversion.
        guard parts.count == 4, let t = Double(parts[2]), t.isFinite, abs(t) < 1e12 else { return "held by another process" }
        // Whole seconds, as ISO8601DateFormatter wrote them (the holder writes whole seconds).
        let when = Instant(seconds: Int64(t.rounded(.down))).iso8601
        return "held by \(parts[0]) (pid \(parts[1]), \(parts[3])) since \(when)"
    }
}
